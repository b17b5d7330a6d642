#include "ui/wizard/FurtherProbeDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <memory>

#include "core/imaging/Video.h"
#include "ui/widgets/ImageConvert.h"
#include "ui/widgets/ImageView.h"
#include "ui/widgets/PolicyBanner.h"
#include "ui/widgets/SteadyLabel.h"
#include "ui/widgets/WrappedCheckBox.h"
#include "ui/wizard/HandMarkingPanel.h"
#include "ui/wizard/ProbeFaces.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/Background.h"

namespace facelead::ui {

FurtherProbeDialog::FurtherProbeDialog(AppContext& context, ProbeOriginal original, int probeNumber, bool sourceRequired,
                                       QWidget* parent)
    : QDialog(parent),
      context_(context),
      original_(std::move(original)),
      view_(new ImageView(this)),
      faceTable_(makeFaceTable(this)),
      quality_(new QLabel(this)),
      acknowledgement_(new WrappedCheckBox(tr("I acknowledge this probe is of POOR quality: the candidate list will be "
                                              "less reliable, and any lead needs especially careful corroboration."),
                                           this)),
      acknowledge_(acknowledgement_->box()),
      message_(new QLabel(this)),
      source_(new QLineEdit(this)),
      sourceRequired_(sourceRequired),
      markButton_(new QPushButton(tr("&Mark the face by hand…"), this)),
      marking_(new HandMarkingPanel(*view_, this)),
      add_(new QPushButton(tr("&Add this probe"), this)) {
    const QString name = QFileInfo(QString::fromStdString(original_.file.string())).fileName();
    setWindowTitle(tr("Probe %1 — %2").arg(probeNumber).arg(name));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new PolicyBanner(PolicyBanner::Kind::Intelligence, this));
    if (context.trainingMode()) layout->addWidget(new PolicyBanner(PolicyBanner::Kind::Training, this));
    QString source = tr("<b>%1</b> · SHA-256 <tt>%2</tt>").arg(name.toHtmlEscaped(), QString::fromStdString(original_.sha256));
    if (original_.videoFrame)
        source += tr(" · frame %1 at %2 of the video")
                      .arg(original_.videoFrame->frame)
                      .arg(QString::fromStdString(imaging::timecodeText(original_.videoFrame->timeMs)));
    auto* intro = new QLabel(tr("Another image of the SAME unknown person, searched together with the first probe: one "
                                "candidate list for all. Choose the person's face; its original is stored untouched "
                                "with the search (SOP 302.02 VI.B.2).<br>%1").arg(source), this);
    intro->setWordWrap(true);
    intro->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(intro);
    // Its own source, never the first probe's (trial 40 F6): another still or frame may come from another camera.
    source_->setAccessibleName(tr("Source of this probe image"));
    source_->setPlaceholderText(sourceRequired ? tr("required: e.g. CCTV export, Main St pharmacy, camera 2")
                                               : tr("optional: e.g. body-worn camera, Officer Diaz"));
    auto* sourceForm = new QFormLayout;
    sourceForm->addRow(tr("&Source of this image:"), source_);
    layout->addLayout(sourceForm);
    connect(source_, &QLineEdit::textChanged, this, &FurtherProbeDialog::updateAdd);

    view_->setAccessibleName(tr("Faces found in the further probe"));
    view_->setMinimumSize(520, 360);
    faceTable_->setAccessibleName(tr("Faces of the further probe and their quality"));
    quality_->setWordWrap(true);
    quality_->setAccessibleName(tr("Quality verdict of the chosen face"));
    acknowledge_->setAccessibleName(tr("Acknowledge the poor quality of this probe"));
    acknowledgement_->hide();
    makeErrorLine(*message_);
    message_->setAccessibleName(tr("Detection message"));
    auto* side = new QVBoxLayout;
    side->addWidget(faceTable_, 1);
    side->addWidget(quality_);
    side->addWidget(acknowledgement_);
    side->addWidget(message_);
    side->addWidget(markButton_);
    side->addWidget(marking_);
    auto* body = new QHBoxLayout;
    body->addWidget(view_, 3);
    body->addLayout(side, 2);
    layout->addLayout(body, 1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    add_->setAccessibleName(tr("Add this probe to the search"));
    buttons->addButton(add_, QDialogButtonBox::AcceptRole);
    layout->addWidget(buttons);
    connect(add_, &QPushButton::clicked, this, &FurtherProbeDialog::add);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(view_, &ImageView::boxClicked, this, &FurtherProbeDialog::chooseFace);
    connect(faceTable_, &QTableWidget::currentCellChanged, this, [this](int row) { chooseFace(row); });
    connect(acknowledge_, &QCheckBox::toggled, this, &FurtherProbeDialog::updateAdd);
    // Hand marking as on the face page (issue 10 item 4): the marked face joins the list as the next face, chosen.
    markButton_->setAccessibleName(tr("Mark the face of this probe by hand"));
    markButton_->setEnabled(false);
    connect(markButton_, &QPushButton::clicked, this, [this] {
        const face::FaceEngine* engine = context_.engine();
        if (!engine || detecting_) return;
        markButton_->setEnabled(false);
        marking_->start(original_.image, *engine);
        updateAdd();
    });
    connect(marking_, &HandMarkingPanel::stopped, this, [this] {
        markButton_->setEnabled(!detecting_ && context_.engine());
        chooseFace(chosenFace_);  // its marked points, if any, back in view
        updateAdd();
    });
    connect(marking_, &HandMarkingPanel::faceMarked, this, [this](const face::Face& marked) {
        faces_.push_back(marked);
        showFaceList();
        message_->clear();
        chooseFace(int(faces_.size()) - 1);
    });
    view_->setImage(toQImage(original_.image.rgb));
    resize(1100, 640);
    detect();
}

void FurtherProbeDialog::detect() {
    const face::FaceEngine* engine = context_.engine();
    updateAdd();
    if (!engine) {
        message_->setText(context_.engineStatusText());
        return;
    }
    detecting_ = true;
    message_->setText(tr("Detecting faces…"));
    // The probe policy, as the face page and the CLI's --probe: every face from 24 px, in reading order.
    computeThen(this, [engine, image = original_.image] {
        return std::make_shared<Result<std::vector<face::Face>>>(
            engine->analyze(image, {face::FacePick::All, true, face::DetectionPolicy::Probe}));
    }, [this](const std::shared_ptr<Result<std::vector<face::Face>>>& found) { showFaces(*found); });
}

void FurtherProbeDialog::showFaces(const Result<std::vector<face::Face>>& found) {
    detecting_ = false;
    faces_.clear();
    chosenFace_ = -1;
    if (found) faces_ = found.value();
    showFaceList();
    markButton_->setEnabled(context_.engine() != nullptr);
    if (!found) message_->setText(QString::fromStdString(found.error().message));
    else if (faces_.empty())
        message_->setText(tr("No face was found in this image. Mark the face by hand (click the centres of both "
                             "eyes), or choose another image."));
    else message_->clear();
    if (faces_.size() == 1) chooseFace(0);
    updateAdd();
    emit detectionFinished();
}

void FurtherProbeDialog::showFaceList() { view_->setBoxes(showFaceRows(*faceTable_, faces_)); }

void FurtherProbeDialog::chooseFace(int index) {
    if (index < 0 || index >= int(faces_.size())) return;
    chosenFace_ = index;
    view_->setSelectedBox(index);
    if (faceTable_->currentRow() != index) faceTable_->selectRow(index);
    const face::Face& chosen = faces_[std::size_t(index)];
    showMarkedPoints(*view_, chosen);
    const bool poor = chosen.quality.verdict == face::QualityVerdict::Poor;
    quality_->setText(chosenFaceHtml(chosen, index + 1));
    quality_->setStyleSheet(poor ? QStringLiteral("color:#b00020;") : QString());
    acknowledge_->setChecked(false);
    acknowledgement_->setVisible(poor);
    updateAdd();
}

void FurtherProbeDialog::updateAdd() {
    const bool chosen = chosenFace_ >= 0 && faces_[std::size_t(chosenFace_)].descriptor.has_value();
    const bool poor = chosen && faces_[std::size_t(chosenFace_)].quality.verdict == face::QualityVerdict::Poor;
    const bool sourced = !sourceRequired_ || !source_->text().trimmed().isEmpty();
    add_->setEnabled(!detecting_ && !marking_->marking() && chosen && (!poor || acknowledge_->isChecked()) && sourced);
}

void FurtherProbeDialog::add() {
    if (!add_->isEnabled()) return;
    const face::Face& face = faces_[std::size_t(chosenFace_)];
    // Numbered among the detected faces, as the examiner saw them; a face marked by hand is none of them (the core
    // records no number for it).
    const auto detected = std::count_if(faces_.begin(), faces_.end(), [](const face::Face& f) { return !f.marked; });
    chosen_ = FurtherProbeDraft{original_, face, chosenFace_ + 1, int(detected),
                                face.quality.verdict == face::QualityVerdict::Poor && acknowledge_->isChecked(),
                                source_->text().trimmed().toStdString()};
    accept();
}

QString FurtherProbeDialog::message() const { return message_->text(); }

}  // namespace facelead::ui
