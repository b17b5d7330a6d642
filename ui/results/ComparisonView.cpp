#include "ui/results/ComparisonView.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QSlider>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>
#include <complex>

#include "ui/widgets/ImageView.h"
#include "ui/widgets/PolicyBanner.h"
#include "ui/widgets/SteadyLabel.h"

namespace facelead::ui {

namespace {

constexpr auto kFlickerInterval = std::chrono::milliseconds(600);

// Two reference points of a face: the eye centres from the 5 landmarks (points 0-1 and 2-3 are the
// corners of each eye), else the middle of the box's left and right edges.
std::pair<QPointF, QPointF> referencePoints(const FaceGeometry& face) {
    if (face.landmarks.size() >= 4)
        return {(face.landmarks[0] + face.landmarks[1]) / 2, (face.landmarks[2] + face.landmarks[3]) / 2};
    const double y = face.box.center().y();
    return {QPointF(face.box.left(), y), QPointF(face.box.right(), y)};
}

// The similarity transform taking (a1, a2) onto (b1, b2).
QTransform similarity(QPointF a1, QPointF a2, QPointF b1, QPointF b2) {
    const std::complex<double> ca1(a1.x(), a1.y()), ca2(a2.x(), a2.y()), cb1(b1.x(), b1.y()), cb2(b2.x(), b2.y());
    if (std::abs(ca2 - ca1) < 1e-6) return {};
    const std::complex<double> s = (cb2 - cb1) / (ca2 - ca1);
    const std::complex<double> t = cb1 - s * ca1;
    return QTransform(s.real(), s.imag(), -s.imag(), s.real(), t.real(), t.imag());
}

std::vector<QPointF> landmarksOf(const std::optional<FaceGeometry>& face) {
    return face ? face->landmarks : std::vector<QPointF>{};
}

}  // namespace

ComparisonView::ComparisonView(QWidget* parent)
    : QWidget(parent),
      probe_(new ImageView(this)),
      candidate_(new ImageView(this)),
      probeCaption_(new QLabel(this)),
      candidateCaption_(new QLabel(this)),
      sync_(new QCheckBox(tr("&Lock zoom and pan"), this)),
      landmarks_(new QCheckBox(tr("Show lan&dmarks"), this)),
      blend_(new QSlider(Qt::Horizontal, this)),
      flicker_(new QCheckBox(tr("Flic&ker"), this)),
      flickerTimer_(new QTimer(this)) {
    probe_->setAccessibleName(tr("Original probe image"));
    candidate_->setAccessibleName(tr("Candidate gallery photo"));
    sync_->setChecked(true);
    sync_->setAccessibleName(tr("Lock zoom and pan of both images"));
    landmarks_->setAccessibleName(tr("Show face landmarks"));
    blend_->setRange(0, 100);
    blend_->setAccessibleName(tr("Blend the candidate over the probe (opacity)"));
    flicker_->setAccessibleName(tr("Flicker between probe and candidate"));
    // Two lines kept for each caption, shown or not: the images below never move as a caption comes, goes or
    // wraps (issue 9 re-trial: the probe moved 14 px down when a candidate's caption wrapped to two lines).
    reserveLines(*probeCaption_, 2);
    reserveLines(*candidateCaption_, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new PolicyBanner(PolicyBanner::Kind::LeadOnly, this));
    auto* grid = new QGridLayout;
    grid->addWidget(probeCaption_, 0, 0);
    grid->addWidget(candidateCaption_, 0, 1);
    grid->addWidget(probe_, 1, 0);
    grid->addWidget(candidate_, 1, 1);
    grid->setRowStretch(1, 1);
    layout->addLayout(grid, 1);
    auto* controls = new QHBoxLayout;
    controls->addWidget(sync_);
    controls->addWidget(landmarks_);
    controls->addSpacing(16);
    controls->addWidget(new QLabel(tr("Blend candidate over probe:"), this));
    controls->addWidget(blend_, 1);
    controls->addWidget(flicker_);
    layout->addLayout(controls);

    connect(probe_, &ImageView::viewChanged, this, &ComparisonView::followProbe);
    connect(candidate_, &ImageView::viewChanged, this, &ComparisonView::followCandidate);
    connect(sync_, &QCheckBox::toggled, this, [this](bool on) { if (on) followProbe(probe_->zoom(), probe_->center()); });
    connect(landmarks_, &QCheckBox::toggled, probe_, &ImageView::setLandmarksVisible);
    connect(landmarks_, &QCheckBox::toggled, candidate_, &ImageView::setLandmarksVisible);
    connect(blend_, &QSlider::valueChanged, this, [this](int percent) {
        if (!flicker_->isChecked()) probe_->setBlendOpacity(percent / 100.0);
    });
    flickerTimer_->setInterval(kFlickerInterval);
    connect(flickerTimer_, &QTimer::timeout, this, [this] {
        flickerShown_ = !flickerShown_;
        probe_->setBlendOpacity(flickerShown_ ? 1.0 : 0.0);
    });
    connect(flicker_, &QCheckBox::toggled, this, [this](bool on) {
        if (on) flickerTimer_->start();
        else flickerTimer_->stop();
        probe_->setBlendOpacity(on ? 0.0 : blend_->value() / 100.0);
    });
}

void ComparisonView::setProbe(const QImage& image, const std::optional<FaceGeometry>& face, const QString& caption) {
    probeImage_ = image;
    probeFace_ = face;
    probe_->setImage(image);
    probe_->setLandmarks(landmarksOf(face));
    probeCaption_->setText(caption);
    updateRegistration();
}

QString ComparisonView::probeCaption() const { return probeCaption_->text(); }

void ComparisonView::setCandidate(const QImage& image, const std::optional<FaceGeometry>& face, const QString& caption) {
    candidateImage_ = image;
    candidateFace_ = face;
    candidate_->setImage(image);
    candidate_->setLandmarks(landmarksOf(face));
    candidateCaption_->setText(caption);
    updateRegistration();
}

void ComparisonView::clearCandidate(const QString& message) {
    candidateImage_ = {};
    candidateFace_.reset();
    candidate_->clear();
    candidateCaption_->setText(message);
    updateRegistration();
}

void ComparisonView::updateRegistration() {
    candidateToProbe_ = QTransform();
    scale_ = 1;
    if (probeFace_ && candidateFace_) {
        const auto [c1, c2] = referencePoints(*candidateFace_);
        const auto [p1, p2] = referencePoints(*probeFace_);
        candidateToProbe_ = similarity(c1, c2, p1, p2);
        scale_ = std::hypot(candidateToProbe_.m11(), candidateToProbe_.m12());
        if (scale_ <= 0) scale_ = 1;
    }
    if (probeFace_ && !probeImage_.isNull()) {
        // Start framed on the probe face (with room around it); the candidate follows when locked.
        const QRectF face = probeFace_->box;
        probe_->frame(face.adjusted(-face.width() * 0.6, -face.height() * 0.6, face.width() * 0.6, face.height() * 0.6));
    }
    updateBlend();
}

// Locked views follow each other only when both show an image: an empty view's "view" (zoom 1 at the origin, sent
// as it is laid out) must not move the other one (found: a hand-marked probe shown off to a corner until a
// candidate was chosen).
void ComparisonView::followProbe(double zoom, QPointF center) {
    if (!sync_->isChecked() || following_ || candidateImage_.isNull() || probeImage_.isNull()) return;
    following_ = true;
    candidate_->setViewState(zoom * scale_, candidateToProbe_.inverted().map(center));
    following_ = false;
}

void ComparisonView::followCandidate(double zoom, QPointF center) {
    if (!sync_->isChecked() || following_ || probeImage_.isNull() || candidateImage_.isNull()) return;
    following_ = true;
    probe_->setViewState(zoom / scale_, candidateToProbe_.map(center));
    following_ = false;
}

void ComparisonView::updateBlend() {
    if (probeImage_.isNull() || candidateImage_.isNull()) {
        probe_->setBlendImage({});
        return;
    }
    // The candidate drawn in the probe's pixel frame, so the blend lines the faces up.
    QImage warped(probeImage_.size(), QImage::Format_RGB888);
    warped.fill(Qt::black);
    {
        QPainter painter(&warped);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        painter.setTransform(candidateToProbe_);
        painter.drawImage(QPointF(0, 0), candidateImage_);
    }
    probe_->setBlendImage(warped);
    if (!flicker_->isChecked()) probe_->setBlendOpacity(blend_->value() / 100.0);
}

}  // namespace facelead::ui
