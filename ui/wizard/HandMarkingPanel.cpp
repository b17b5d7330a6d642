#include "ui/wizard/HandMarkingPanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "core/face/HandMarking.h"
#include "ui/widgets/ImageView.h"
#include "ui/widgets/SteadyLabel.h"

namespace facelead::ui {
namespace {

// The eyes are required (2 points); then the nose tip (3) and both mouth corners (5) if the examiner likes.
bool usableCount(std::size_t count) { return count == 2 || count == 3 || count == 5; }

}  // namespace

HandMarkingPanel::HandMarkingPanel(ImageView& view, QWidget* parent)
    : QWidget(parent),
      view_(view),
      prompt_(new QLabel(this)),
      error_(new QLabel(this)),
      undo_(new QPushButton(tr("&Undo last point"), this)),
      use_(new QPushButton(tr("U&se the marked points"), this)),
      cancel_(new QPushButton(tr("Stop marking"), this)) {
    // Three lines kept whatever the prompt says, so the picture being clicked on does not move as the next prompt
    // replaces the last (trial 74 F6: it moved 7 px between two clicks under Xvfb).
    reserveLines(*prompt_, 3);
    prompt_->setAccessibleName(tr("Next point to mark"));
    makeErrorLine(*error_);
    error_->setAccessibleName(tr("Why the marked points were refused"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(undo_);
    buttons->addWidget(use_);
    buttons->addWidget(cancel_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(prompt_);
    layout->addLayout(buttons);
    layout->addWidget(error_);
    hide();

    connect(&view_, &ImageView::pointPicked, this, [this](QPointF p) {
        if (marking_) addPoint(p);
    });
    connect(undo_, &QPushButton::clicked, this, &HandMarkingPanel::undo);
    connect(use_, &QPushButton::clicked, this, &HandMarkingPanel::use);
    connect(cancel_, &QPushButton::clicked, this, &HandMarkingPanel::stop);
    connect(&maker_, &QFutureWatcher<std::shared_ptr<Result<face::Face>>>::finished, this, [this] {
        working_ = false;
        const auto made = maker_.result();
        if (!*made) {
            // The core's refusal, word for word; the points stay so the wrong one can be undone.
            error_->setText(QString::fromStdString(made->error().message));
            refresh();
            return;
        }
        const face::Face face = made->value();
        stop();
        emit faceMarked(face);
    });
}

void HandMarkingPanel::start(const imaging::Image& image, const face::FaceEngine& engine) {
    image_ = image;
    engine_ = &engine;
    points_.clear();
    error_->clear();
    marking_ = true;
    view_.setPointPicking(true);
    show();
    refresh();
}

void HandMarkingPanel::stop() {
    if (!marking_) return;
    marking_ = false;
    points_.clear();
    view_.setPointPicking(false);
    view_.setLandmarks({});
    view_.setLandmarksVisible(false);
    hide();
    emit stopped();
}

void HandMarkingPanel::addPoint(QPointF imagePoint) {
    if (!marking_ || working_ || points_.size() >= face::markedPointNames().size()) return;
    points_.push_back({imagePoint.x(), imagePoint.y()});
    error_->clear();
    refresh();
}

void HandMarkingPanel::undo() {
    if (working_ || points_.empty()) return;
    points_.pop_back();
    error_->clear();
    refresh();
}

void HandMarkingPanel::use() {
    if (!marking_ || working_ || !usableCount(points_.size())) return;
    auto points = face::markedPointsFrom(points_);
    if (!points) {
        error_->setText(QString::fromStdString(points.error().message));
        return;
    }
    working_ = true;
    refresh();
    maker_.setFuture(QtConcurrent::run([engine = engine_, image = image_, marked = *points] {
        return std::make_shared<Result<face::Face>>(engine->analyzeMarked(image, marked));
    }));
}

QString HandMarkingPanel::prompt() const { return prompt_->text(); }

QString HandMarkingPanel::error() const { return error_->text(); }

void HandMarkingPanel::refresh() {
    std::vector<QPointF> shown;
    for (const face::Point& p : points_) shown.emplace_back(p.x, p.y);
    view_.setLandmarks(shown);
    view_.setLandmarksVisible(true);
    const auto& names = face::markedPointNames();
    const std::size_t count = points_.size();
    QString next;
    if (count < 2) {
        next = tr("Click the centre of the <b>%1</b> (%2). Zoom with the wheel or +/−; drag to move the image.")
                   .arg(QString::fromStdString(names[count]),
                        count == 0 ? tr("the eye on the left of the picture") : tr("the other eye"));
    } else if (count < names.size()) {
        next = tr("Optional: click the <b>%1</b>, or use the %2 points marked.")
                   .arg(QString::fromStdString(names[count]))
                   .arg(count);
        if (count == 4) next = tr("Click the <b>%1</b> as well (both mouth corners, or undo the left one).")
                                   .arg(QString::fromStdString(names[count]));
    } else {
        next = tr("All five points are marked.");
    }
    prompt_->setText(tr("<b>Marking the face by hand</b> — %1 of 5 points.<br>%2").arg(count).arg(next));
    undo_->setEnabled(!working_ && count > 0);
    use_->setEnabled(!working_ && usableCount(count));
    cancel_->setEnabled(!working_);
}

}  // namespace facelead::ui
