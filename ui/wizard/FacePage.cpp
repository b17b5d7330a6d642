#include <cmath>

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "core/common/Text.h"
#include "core/face/FaceEngine.h"
#include "core/imaging/Video.h"
#include "ui/widgets/ImageConvert.h"
#include "ui/widgets/ImageView.h"
#include "ui/widgets/ScreenFit.h"
#include "ui/widgets/SteadyLabel.h"
#include "ui/widgets/WrappedCheckBox.h"
#include "ui/wizard/FurtherProbesPanel.h"
#include "ui/wizard/HandMarkingPanel.h"
#include "ui/wizard/ProbeFaces.h"
#include "ui/wizard/SearchWizard.h"
#include "ui/wizard/WizardPages.h"
#include "ui/workstation/Background.h"
#include "ui/workstation/AppContext.h"

namespace facelead::ui {

FacePage::FacePage(SearchWizard& wizard)
    : wizard_(wizard),
      imageChoice_(new QComboBox(this)),
      view_(new ImageView(this)),
      faceTable_(makeFaceTable(this)),
      quality_(new QLabel(this)),
      acknowledgement_(new WrappedCheckBox(tr("I acknowledge the probe is of POOR quality: the candidate list will be "
                                              "less reliable, and any lead needs especially careful corroboration."),
                                           this)),
      acknowledge_(acknowledgement_->box()),
      message_(new QLabel(this)),
      markButton_(new QPushButton(tr("&Mark the face by hand…"), this)),
      marking_(new HandMarkingPanel(*view_, this)),
      furtherProbes_(new FurtherProbesPanel(wizard, this)) {
    setTitle(tr("4. Face selection"));
    setSubTitle(tr("Pick the face to search. Click a numbered box or a row of the table. If the face was not found "
                   "or its box is wrong, mark the face by hand: click the centres of both eyes."));
    markButton_->setAccessibleName(tr("Mark the face by hand"));
    markButton_->setEnabled(false);
    imageChoice_->setAccessibleName(tr("Image to search"));
    view_->setAccessibleName(tr("Detected faces"));
    faceTable_->setAccessibleName(tr("Detected faces and their quality"));
    quality_->setWordWrap(true);
    quality_->setAccessibleName(tr("Quality verdict of the chosen face"));
    acknowledge_->setAccessibleName(tr("Acknowledge the poor quality probe"));
    acknowledgement_->setObjectName(QStringLiteral("poorQualityAcknowledgement"));
    acknowledgement_->hide();
    makeErrorLine(*message_);
    message_->setAccessibleName(tr("Detection message"));

    auto* form = new QFormLayout;
    form->addRow(tr("Search &this image:"), imageChoice_);
    auto* side = new QVBoxLayout;
    side->addLayout(form);
    side->addWidget(faceTable_, 1);
    side->addWidget(quality_);
    side->addWidget(acknowledgement_);
    side->addWidget(message_);
    side->addWidget(markButton_);
    side->addWidget(marking_);
    side->addWidget(furtherProbes_);
    QVBoxLayout* outer = scrollingContent(*this);  // fits a 1366x768 screen: the page scrolls, the buttons stay
    auto* layout = new QHBoxLayout;
    outer->addLayout(layout, 1);
    layout->addWidget(view_, 3);
    layout->addLayout(side, 2);

    connect(imageChoice_, &QComboBox::activated, this, [this](int index) {
        wizard_.draft().searchEnhancedCopy = index == 1;
        detect();
    });
    // The wizard may be started while the models still load: detection runs once the engine is ready.
    connect(&wizard_.context(), &AppContext::engineChanged, this, [this] {
        if (wizard_.currentPage() == this && wizard_.context().engine() && wizard_.draft().faces.empty()) detect();
    });
    connect(view_, &ImageView::boxClicked, this, &FacePage::chooseFace);
    connect(markButton_, &QPushButton::clicked, this, [this] {
        const auto image = wizard_.draft().chosenProbeImage();
        const face::FaceEngine* engine = wizard_.context().engine();
        if (!image || !engine) return;
        markButton_->setEnabled(false);
        marking_->start(*image, *engine);
    });
    connect(marking_, &HandMarkingPanel::stopped, this, [this] {
        markButton_->setEnabled(!detecting_);
        chooseFace(wizard_.draft().chosenFace);  // its marked points, if any, back in view
    });
    connect(marking_, &HandMarkingPanel::faceMarked, this, [this](const face::Face& marked) {
        SearchDraft& draft = wizard_.draft();
        draft.faces.push_back(marked);
        showFaces();
        chooseFace(int(draft.faces.size()) - 1);
        // The face just marked, with room around it, whatever zoom and pan the marking left (trial 73 F7: only the
        // chin was left in view).
        const face::Box& box = marked.box;
        view_->frame(QRectF(box.left, box.top, box.width(), box.height()).adjusted(-box.width(), -box.height(), box.width(), box.height()));
    });
    connect(faceTable_, &QTableWidget::currentCellChanged, this, [this](int row) { chooseFace(row); });
    connect(acknowledge_, &QCheckBox::toggled, this, [this](bool on) {
        wizard_.draft().poorQualityAcknowledged = on;
        emit completeChanged();
    });
    connect(&detector_, &QFutureWatcher<std::shared_ptr<Result<std::vector<face::Face>>>>::finished, this, [this] {
        detecting_ = false;
        if (detection_) std::exchange(detection_, nullptr)->finish();
        const auto found = detector_.result();
        SearchDraft& draft = wizard_.draft();
        draft.faces.clear();
        draft.chosenFace = -1;
        if (!*found && found->error().code == ErrorCode::Cancelled)
            message_->setText(tr("Face detection was cancelled. Go back a page and on again to detect the faces, or mark "
                                 "the face by hand."));
        else if (!*found) message_->setText(QString::fromStdString(found->error().message));
        else draft.faces = std::move(found->value());  // in reading order (FaceEngine.h)
        markButton_->setEnabled(wizard_.context().engine() != nullptr);
        showFaces();
        emit detectionFinished();
    });
}

void FacePage::initializePage() {
    const SearchDraft& draft = wizard_.draft();
    imageChoice_->clear();
    // A video's frame is a derived image: the video is the original (VI.B.2, issue 10 item 5).
    const auto& frame = draft.original ? draft.original->videoFrame : std::nullopt;
    imageChoice_->addItem(frame ? tr("Frame %1 at %2 of the video (the video is the original)")
                                      .arg(frame->frame)
                                      .arg(QString::fromStdString(imaging::timecodeText(frame->timeMs)))
                                : tr("Original"));
    if (draft.enhanced)
        imageChoice_->addItem(tr("Enhanced copy (%1)")
                                  .arg(QString::fromStdString(text::counted(draft.enhanced->recipe.steps.size(), "step", "steps"))));
    imageChoice_->setCurrentIndex(draft.searchEnhancedCopy && draft.enhanced ? 1 : 0);
    wizard_.draft().searchEnhancedCopy = imageChoice_->currentIndex() == 1;
    furtherProbes_->showProbes();
    detect();
}

void FacePage::detect() {
    SearchDraft& draft = wizard_.draft();
    const cv::Mat* chosen = draft.chosenImage();
    const face::FaceEngine* engine = wizard_.context().engine();
    draft.faces.clear();
    draft.chosenFace = -1;
    draft.poorQualityAcknowledged = false;
    acknowledge_->setChecked(false);
    faceTable_->setRowCount(0);
    quality_->clear();
    marking_->stop();  // points marked on another image mean nothing here
    view_->setLandmarksVisible(false);
    markButton_->setEnabled(false);
    if (!chosen) return;
    view_->setImage(toQImage(*chosen));
    view_->setStamp(draft.searchEnhancedCopy ? tr("ENHANCED COPY — not the original (SOP 302.02 VI.B.2)") : QString());
    if (!engine) {
        message_->setText(wizard_.context().engineStatusText());
        emit completeChanged();
        return;
    }
    detecting_ = true;
    const double smallest = face::probeSmallestFaceIn(engine->config(), chosen->cols, chosen->rows);
    scanNote_ = smallest > engine->config().probeSmallestFacePx
                    ? tr("This picture is %1 × %2 pixels, larger than a 4K frame: faces narrower than %3 px are not looked "
                         "for in it. To find smaller faces, crop the part that matters on the previous page (a copy; the "
                         "original is kept).").arg(chosen->cols).arg(chosen->rows).arg(std::ceil(smallest))
                    : QString();
    message_->setText(tr("Detecting faces…"));
    emit completeChanged();
    const imaging::Image image = *draft.chosenProbeImage();  // analyze() does not write the shared pixels
    // Up to ~10 s on a 4K frame (docs/PERFORMANCE.md): progress over the parts of the picture scanned, and Cancel.
    detection_ = std::make_shared<JobProgress>(this, tr("Detecting faces…"));
    detector_.setFuture(QtConcurrent::run([engine, image, progress = detection_] {
        const auto report = [progress](std::size_t done, std::size_t total) {
            progress->report(int(done), int(total), "Parts of the picture scanned");
        };
        // The probe policy (issue 10): every face from 24 px, numbered in reading order, as the CLI's --face N.
        return std::make_shared<Result<std::vector<face::Face>>>(engine->analyze(
            image, {face::FacePick::All, true, face::DetectionPolicy::Probe}, report, progress->cancelFlag()));
    }));
}

void FacePage::showFaces() {
    const SearchDraft& draft = wizard_.draft();
    view_->setBoxes(showFaceRows(*faceTable_, draft.faces));
    if (draft.faces.empty()) {
        if (message_->text() == tr("Detecting faces…"))
            message_->setText(tr("No face was found in this image. Mark the face by hand, try an enhanced copy "
                                 "(crop, upscale, brightness) on the previous page, or choose another image.") +
                              (scanNote_.isEmpty() ? QString() : QStringLiteral(" ") + scanNote_));
    } else {
        message_->setText(scanNote_);
        if (draft.searchedBefore && !draft.searchEnhancedCopy) return chooseSearchedBefore();
        if (draft.faces.size() == 1) chooseFace(0);
    }
    emit completeChanged();
}

// A copy of a stored search: the face found again over the box that search searched is chosen, and the page says so;
// when none is, it says that too, so the examiner never searches another face without knowing (trial 41 F9).
void FacePage::chooseSearchedBefore() {
    const SearchDraft& draft = wizard_.draft();
    const face::Box& before = *draft.searchedBefore;
    const int best = faceOverBox(draft.faces, before);  // as the further probes of a copy are found again
    const QString where = tr("the box at (%1, %2), %3 × %4 pixels").arg(before.left).arg(before.top).arg(before.width()).arg(before.height());
    if (best >= 0) chooseFace(best);
    message_->setText(best >= 0 ? tr("Face %1 is chosen: the face the copied search searched (%2). Check it.").arg(best + 1).arg(where)
                                : tr("The face the copied search searched (%1) was not found again: choose a face or mark "
                                     "it by hand.").arg(where));
    emit completeChanged();
}

void FacePage::chooseFace(int index) {
    SearchDraft& draft = wizard_.draft();
    if (index < 0 || index >= int(draft.faces.size())) return;
    draft.chosenFace = index;
    view_->setSelectedBox(index);
    if (faceTable_->currentRow() != index) faceTable_->selectRow(index);
    const face::Face& chosen = draft.faces[std::size_t(index)];
    showMarkedPoints(*view_, chosen);
    const face::Quality& quality = chosen.quality;
    const bool poor = quality.verdict == face::QualityVerdict::Poor;
    quality_->setText(chosenFaceHtml(chosen, index + 1));
    quality_->setStyleSheet(poor ? QStringLiteral("color:#b00020;") : QString());
    draft.poorQualityAcknowledged = false;
    acknowledge_->setChecked(false);
    acknowledgement_->setVisible(poor);
    emit completeChanged();
}

QString FacePage::message() const { return message_->text(); }

QString FacePage::qualityText() const { return quality_->text(); }

bool FacePage::isComplete() const {
    const face::Face* chosen = wizard_.draft().face();
    if (detecting_ || !chosen || !chosen->descriptor) return false;
    return chosen->quality.verdict != face::QualityVerdict::Poor || wizard_.draft().poorQualityAcknowledged;
}

}  // namespace facelead::ui
