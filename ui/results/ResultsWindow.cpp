#include "ui/results/ResultsWindow.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "core/face/FaceEngine.h"
#include "core/imaging/Intake.h"
#include "core/workflow/Purposes.h"
#include "ui/results/CandidateModel.h"
#include "ui/results/LeadActions.h"
#include "ui/widgets/ImageConvert.h"
#include "ui/widgets/ImageView.h"
#include "ui/widgets/PolicyBanner.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/CoreServices.h"

namespace facelead::ui {

namespace {

constexpr int kThumbnailSide = 56;

QRectF toRect(const face::Box& box) { return QRectF(box.left, box.top, box.width(), box.height()); }

double overlap(const QRectF& a, const QRectF& b) {
    const QRectF common = a.intersected(b);
    const double shared = common.width() * common.height();
    const double all = a.width() * a.height() + b.width() * b.height() - shared;
    return all > 0 ? shared / all : 0;
}

// The analysed face that best covers the stored box (or the largest when there is no box).
std::optional<FaceGeometry> geometryFor(const std::vector<face::Face>& faces, const std::optional<QRectF>& stored) {
    const face::Face* best = nullptr;
    double bestScore = -1;
    for (const face::Face& f : faces) {
        const double score = stored ? overlap(toRect(f.box), *stored) : double(f.box.width()) * f.box.height();
        if (score > bestScore) { bestScore = score; best = &f; }
    }
    if (!best) {
        if (stored) return FaceGeometry{*stored, {}};
        return std::nullopt;
    }
    FaceGeometry geometry{toRect(best->box), {}};
    for (const face::Point& p : best->landmarks) geometry.landmarks.emplace_back(p.x, p.y);
    return geometry;
}

std::optional<FaceGeometry> boxOnly(const std::optional<QRectF>& box) {
    if (!box) return std::nullopt;
    return FaceGeometry{*box, {}};
}

QImage thumbnail(const imaging::Image& image, const face::Box& box) {
    const int margin = box.width() / 3;
    cv::Rect area(box.left - margin, box.top - margin, box.width() + 2 * margin, box.height() + 2 * margin);
    area &= cv::Rect(0, 0, image.width(), image.height());
    if (area.empty()) area = cv::Rect(0, 0, image.width(), image.height());
    return toQImage(image.rgb(area).clone()).scaled(kThumbnailSide, kThumbnailSide, Qt::KeepAspectRatio,
                                                    Qt::SmoothTransformation);
}

}  // namespace

ResultsWindow::ResultsWindow(AppContext& context, std::int64_t searchId, QWidget* parent)
    : QWidget(parent, Qt::Window),
      context_(context),
      searchId_(searchId),
      model_(new CandidateModel(this)),
      table_(new QTableView(this)),
      visibleCount_(new QSpinBox(this)),
      header_(new QLabel(this)),
      error_(new QLabel(this)),
      comparison_(new ComparisonView(this)),
      markButton_(new QPushButton(tr("Mark &possible lead…"), this)),
      excludeButton_(new QPushButton(tr("&Exclude…"), this)),
      followUpButton_(new QPushButton(tr("Record &follow-up…"), this)),
      reviewButton_(new QPushButton(tr("Supervisor &review…"), this)) {
    setObjectName(QStringLiteral("resultsWindow"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Search %1 — candidate list — FaceLead").arg(searchId));
    table_->setModel(model_);
    table_->setAccessibleName(tr("Candidate list"));
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(kThumbnailSide + 6);
    table_->setIconSize(QSize(kThumbnailSide, kThumbnailSide));
    table_->horizontalHeader()->setStretchLastSection(true);
    visibleCount_->setAccessibleName(tr("Number of candidates shown"));
    header_->setWordWrap(true);
    header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color:#b00020; font-weight:bold;"));
    error_->setAccessibleName(tr("Error message"));

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto* countRow = new QHBoxLayout;
    countRow->addWidget(new QLabel(tr("Show the first"), left));
    countRow->addWidget(visibleCount_);
    countRow->addWidget(new QLabel(tr("candidates"), left));
    countRow->addStretch();
    leftLayout->addLayout(countRow);
    leftLayout->addWidget(table_, 1);
    auto* buttons = new QHBoxLayout;
    for (QPushButton* button : {markButton_, excludeButton_, followUpButton_, reviewButton_}) buttons->addWidget(button);
    leftLayout->addLayout(buttons);

    auto* splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(comparison_);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({700, 800});

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new PolicyBanner(PolicyBanner::Kind::Intelligence, this));
    if (context_.trainingMode()) layout->addWidget(new PolicyBanner(PolicyBanner::Kind::Training, this));
    layout->addWidget(header_);
    layout->addWidget(error_);
    layout->addWidget(splitter, 1);

    connect(visibleCount_, &QSpinBox::valueChanged, model_, &CandidateModel::setVisibleCount);
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { if (current.isValid()) showCandidate(current.row()); });
    connect(markButton_, &QPushButton::clicked, this, [this] {
        if (auto row = currentRow(); row && decideCandidate(context_, this, model_->candidate(*row).id, candidateLabel(*row),
                                                            workflow::LeadDecision::PossibleLead))
            afterLeadChange(*row);
    });
    connect(excludeButton_, &QPushButton::clicked, this, [this] {
        if (auto row = currentRow(); row && decideCandidate(context_, this, model_->candidate(*row).id, candidateLabel(*row),
                                                            workflow::LeadDecision::Exclude))
            afterLeadChange(*row);
    });
    connect(followUpButton_, &QPushButton::clicked, this, [this] {
        if (auto row = currentRow(); row && recordFollowUp(context_, this, model_->candidate(*row).id, candidateLabel(*row)))
            afterLeadChange(*row);
    });
    connect(reviewButton_, &QPushButton::clicked, this, [this] {
        if (auto row = currentRow(); row && reviewFollowUp(context_, this, model_->candidate(*row).id, candidateLabel(*row)))
            afterLeadChange(*row);
    });
    connect(&probeAnalysis_, &QFutureWatcher<Analysis>::finished, this, [this] {
        const Analysis faces = probeAnalysis_.result();
        // The stored box is in the searched image's pixels: usable only when the original was searched.
        std::optional<QRectF> stored;
        if (search_ && searchedOriginal_) stored = toRect(search_->faceBox);
        comparison_->setProbe(probeImage_, *faces ? geometryFor(faces->value(), stored) : boxOnly(stored),
                              tr("<b>Original probe</b> (as received, never enhanced)"));
        if (shownRow_ >= 0) showCandidate(shownRow_);
    });
    resize(1500, 900);
    load();
}

ResultsWindow::~ResultsWindow() {
    probeAnalysis_.waitForFinished();
    candidateAnalysis_.waitForFinished();
}

QString ResultsWindow::errorText() const { return error_->text(); }

void ResultsWindow::load() {
    CoreServices* services = context_.services();
    if (!services) return;
    StoreLock lock(context_.storeMutex());
    auto search = services->cases().getSearch(searchId_);
    if (!search) {
        error_->setText(QString::fromStdString(search.error().message));
        return;
    }
    search_ = std::move(search.value());
    std::map<std::int64_t, gallery::Subject> subjects;
    if (auto listed = services->gallery().listSubjects(services->store()))
        for (gallery::Subject& s : listed.value()) subjects.emplace(s.id, std::move(s));
    if (auto faces = services->gallery().listFaces(services->store()))
        for (gallery::GalleryFace& f : faces.value()) galleryFaces_.emplace(f.id, std::move(f));
    model_->setCandidates(search_->candidates, std::move(subjects));
    visibleCount_->setRange(0, int(search_->candidates.size()));
    visibleCount_->setValue(int(search_->candidates.size()));

    QString requestText;
    if (auto request = services->cases().getRequest(search_->requestId)) {
        const workflow::SearchRequest& r = request->request;
        const auto citation = r.purpose ? workflow::purposeInfo(*r.purpose).citation : std::string_view("?");
        requestText = tr("Case <b>%1</b> — %2 — purpose %3")
                          .arg(QString::fromStdString(r.caseNumber).toHtmlEscaped(),
                               QString::fromStdString(r.offence).toHtmlEscaped(),
                               QString::fromUtf8(citation.data(), qsizetype(citation.size())));
    }
    header_->setText(tr("%1<br>Search %2 run by %3 at %4 against %5 gallery faces; %6 candidates listed "
                        "(nearest first). A candidate is not an identification.")
                         .arg(requestText)
                         .arg(search_->id)
                         .arg(QString::fromStdString(search_->runBy.displayName).toHtmlEscaped(),
                              QString::fromStdString(search_->runAt))
                         .arg(search_->gallerySize)
                         .arg(search_->candidates.size()));

    // Thumbnails of the gallery photos (small images; their hashes are re-checked by the gallery).
    for (const cases::CandidateRecord& c : search_->candidates) {
        auto bytes = services->gallery().faceImage(services->store(), c.galleryFaceId, services->user().id);
        if (!bytes) continue;
        auto image = imaging::decodeBytes(bytes.value());
        auto face = galleryFaces_.find(c.galleryFaceId);
        if (image && face != galleryFaces_.end()) model_->setThumbnail(c.galleryFaceId, thumbnail(image.value(), face->second.box));
    }
    table_->resizeColumnsToContents();
    loadProbe();
    updateButtons();
}

void ResultsWindow::loadProbe() {
    // Always the ORIGINAL: walk from the searched image up to the original it was derived from.
    CoreServices* services = context_.services();
    std::int64_t imageId = search_->imageId;
    bool searchedOriginal = true;
    while (true) {
        auto image = services->cases().readImage(imageId);
        if (!image) {
            error_->setText(tr("The probe image cannot be shown: %1").arg(QString::fromStdString(image.error().message)));
            return;
        }
        if (image->record.kind == cases::ImageKind::Derived && image->record.parentId) {
            imageId = *image->record.parentId;
            searchedOriginal = false;
            continue;
        }
        probeImage_ = toQImage(image->image.rgb);
        searchedOriginal_ = searchedOriginal;
        const face::FaceEngine* engine = context_.engine();
        if (!engine) {
            comparison_->setProbe(probeImage_, std::nullopt, tr("<b>Original probe</b>"));
            return;
        }
        imaging::Image pixels = std::move(image->image);
        probeAnalysis_.setFuture(QtConcurrent::run([engine, pixels] {
            return std::make_shared<Result<std::vector<face::Face>>>(engine->analyze(pixels, {face::FacePick::All, false}));
        }));
        return;
    }
}

void ResultsWindow::selectRow(int row) { table_->selectRow(row); }

std::optional<int> ResultsWindow::currentRow() const {
    const QModelIndex current = table_->currentIndex();
    if (!current.isValid()) return std::nullopt;
    return current.row();
}

QString ResultsWindow::candidateLabel(int row) const {
    const cases::CandidateRecord& c = model_->candidate(row);
    return tr("candidate %1, %2").arg(c.rank).arg(QString::fromStdString(c.subjectName));
}

void ResultsWindow::showCandidate(int row) {
    CoreServices* services = context_.services();
    if (!services || row < 0 || row >= model_->rowCount()) return;
    const bool newRow = row != shownRow_;
    shownRow_ = row;
    const cases::CandidateRecord c = model_->candidate(row);
    std::vector<std::uint8_t> bytes;
    {
        StoreLock lock(context_.storeMutex());
        if (newRow) {
            // Looking at a candidate is itself recorded (SOP 302.02 VI.C.2).
            if (auto viewed = services->cases().viewCandidate(c.id); !viewed) {
                error_->setText(QString::fromStdString(viewed.error().message));
                comparison_->clearCandidate(error_->text());
                return;
            }
        }
        auto loaded = services->gallery().faceImage(services->store(), c.galleryFaceId, services->user().id);
        if (!loaded) {
            comparison_->clearCandidate(QString::fromStdString(loaded.error().message));
            return;
        }
        bytes = std::move(loaded.value());
    }
    auto image = imaging::decodeBytes(bytes);
    if (!image) {
        comparison_->clearCandidate(QString::fromStdString(image.error().message));
        return;
    }
    const QString caption = tr("<b>Candidate %1</b>: %2 — distance %3, score %4 (%5)")
                                .arg(c.rank)
                                .arg(QString::fromStdString(c.subjectName).toHtmlEscaped())
                                .arg(c.distance, 0, 'f', 3)
                                .arg(c.score, 0, 'f', 2)
                                .arg(leadStatusText(c.status));
    auto stored = galleryFaces_.find(c.galleryFaceId);
    const std::optional<QRectF> box = stored == galleryFaces_.end() ? std::nullopt : std::optional(toRect(stored->second.box));
    const QImage shown = toQImage(image->rgb);
    comparison_->setCandidate(shown, boxOnly(box), caption);
    if (const face::FaceEngine* engine = context_.engine()) {
        candidateAnalysis_.waitForFinished();
        disconnect(&candidateAnalysis_, nullptr, this, nullptr);
        connect(&candidateAnalysis_, &QFutureWatcher<Analysis>::finished, this, [this, shown, box, caption, row] {
            const Analysis faces = candidateAnalysis_.result();
            if (row == shownRow_ && *faces) comparison_->setCandidate(shown, geometryFor(faces->value(), box), caption);
        });
        imaging::Image pixels = std::move(image.value());
        candidateAnalysis_.setFuture(QtConcurrent::run([engine, pixels] {
            return std::make_shared<Result<std::vector<face::Face>>>(engine->analyze(pixels, {face::FacePick::All, false}));
        }));
    }
    updateButtons();
}

void ResultsWindow::afterLeadChange(int row) {
    CoreServices* services = context_.services();
    if (!services) return;
    StoreLock lock(context_.storeMutex());
    if (auto search = services->cases().getSearch(searchId_)) {
        for (const cases::CandidateRecord& c : search->candidates)
            if (c.id == model_->candidate(row).id) model_->updateCandidate(c);
    }
    updateButtons();
    emit changed();
}

void ResultsWindow::updateButtons() {
    const std::optional<int> row = currentRow();
    using S = workflow::LeadStatus;
    const S status = row ? model_->candidate(*row).status : S::Candidate;
    markButton_->setEnabled(row && (status == S::Candidate || status == S::Excluded));
    excludeButton_->setEnabled(row && (status == S::Candidate || status == S::PossibleLead));
    followUpButton_->setEnabled(row && (status == S::PossibleLead || status == S::ReturnedForFollowUp ||
                                        status == S::FollowUpRecorded));
    reviewButton_->setEnabled(row && status == S::FollowUpRecorded);
}

}  // namespace facelead::ui
