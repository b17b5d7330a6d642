#include <QButtonGroup>
#include <QCheckBox>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "core/imaging/Video.h"
#include "ui/widgets/ImageConvert.h"
#include "ui/widgets/ImageView.h"
#include "ui/widgets/ScreenFit.h"
#include "ui/widgets/SteadyLabel.h"
#include "ui/wizard/ProbeFaces.h"
#include "ui/wizard/SearchWizard.h"
#include "ui/wizard/VideoFrameDialog.h"
#include "ui/wizard/WizardPages.h"
#include "ui/workstation/AppContext.h"

namespace facelead::ui {

namespace {

QPlainTextEdit* shortTextEdit(const QString& accessibleName, const QString& placeholder, QWidget* parent) {
    auto* edit = new QPlainTextEdit(parent);
    edit->setAccessibleName(accessibleName);
    edit->setPlaceholderText(placeholder);
    edit->setTabChangesFocus(true);
    edit->setMaximumHeight(60);
    return edit;
}

}  // namespace

ProbePage::ProbePage(SearchWizard& wizard)
    : wizard_(wizard),
      view_(new ImageView(this)),
      details_(new QLabel(this)),
      chooseButton_(new QPushButton(tr("&Choose image…"), this)),
      videoButton_(new QPushButton(tr("Open &video…"), this)),
      imageSource_(new QLineEdit(this)),
      consentGroup_(new QButtonGroup(this)),
      notDetained_(new QCheckBox(tr("The person was not detained for the purpose of capturing this image "
                                    "(SOP 302.02 VI.B.5)"), this)),
      reasonUnable_(shortTextEdit(tr("Reason the person could not consent"),
                                  tr("e.g. unconscious after a traffic collision, unable to communicate"), this)),
      submissionPurpose_(shortTextEdit(tr("Purpose of the submission"),
                                       tr("e.g. identify the injured person to notify next of kin"), this)),
      issues_(new QLabel(this)) {
    setTitle(tr("2. Probe image and consent"));
    setSubTitle(tr("Load the image (or drop it here), or open a video and choose a frame. The file is kept as an "
                   "immutable original: it is hashed now and the hash is checked on every later read (SOP 302.02 "
                   "VI.B.2)."));
    setAcceptDrops(true);

    view_->setAccessibleName(tr("Probe image preview"));
    details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // The file's details, or why it cannot be used, in room kept for their four lines: loading an image
    // never shrinks the preview and moves "Choose image…" (trial 12).
    reserveLines(*details_, 4);
    details_->setAccessibleName(tr("Probe image details or loading error"));
    chooseButton_->setAccessibleName(tr("Choose the probe image file"));
    videoButton_->setAccessibleName(tr("Open a video and choose a frame as the probe"));
    imageSource_->setAccessibleName(tr("Source of the image"));
    imageSource_->setPlaceholderText(tr("e.g. CCTV export, Main St pharmacy, camera 3, 2026-11-20 14:05"));

    auto* left = new QVBoxLayout;
    left->addWidget(view_, 1);
    auto* chooseRow = new QHBoxLayout;
    chooseRow->addWidget(chooseButton_);
    chooseRow->addWidget(videoButton_);
    chooseRow->addStretch();
    left->addLayout(chooseRow);
    left->addWidget(details_);

    auto* right = new QVBoxLayout;
    auto* sourceForm = new QFormLayout;
    sourceForm->addRow(tr("&Source of the image:"), imageSource_);
    right->addLayout(sourceForm);
    auto* consent = new QGroupBox(tr("How was the image captured? (consent record)"), this);
    auto* consentLayout = new QVBoxLayout(consent);
    const std::pair<workflow::ConsentKind, QString> kinds[] = {
        {workflow::ConsentKind::ConsensualEncounter,
         tr("Captured WITH consent during a consensual &encounter (VI.B.4)")},
        {workflow::ConsentKind::WithoutConsent,
         tr("&Taken by the agency WITHOUT consent (VI.A.3 Note)")},
        {workflow::ConsentKind::NotAgencyCapture,
         tr("NOT a capture of the person by the agency (crime-scene still, CCTV, social &media…)")},
    };
    for (const auto& [kind, label] : kinds) {
        auto* button = new QRadioButton(label, consent);
        button->setAccessibleName(QString(label).remove(QLatin1Char('&')));
        consentGroup_->addButton(button, int(kind));
        consentButtons_.push_back(button);
        consentLayout->addWidget(button);
        if (kind == workflow::ConsentKind::ConsensualEncounter) {
            notDetained_->setAccessibleName(tr("Not detained for the capture"));
            consentLayout->addWidget(notDetained_);
        }
        if (kind == workflow::ConsentKind::WithoutConsent) {
            auto* form = new QFormLayout;
            form->addRow(tr("Why the person could not consent:"), reasonUnable_);
            form->addRow(tr("Purpose of this submission:"), submissionPurpose_);
            consentLayout->addLayout(form);
        }
    }
    right->addWidget(consent);
    issues_->setWordWrap(true);
    issues_->setStyleSheet(QStringLiteral("color:#8a4b00;"));
    issues_->setAccessibleName(tr("What is still missing"));
    right->addWidget(issues_);
    right->addStretch();

    QVBoxLayout* outer = scrollingContent(*this);  // fits a 1366x768 screen: the page scrolls, the buttons stay
    auto* layout = new QHBoxLayout;
    outer->addLayout(layout, 1);
    layout->addLayout(left, 3);
    layout->addLayout(right, 2);

    connect(chooseButton_, &QPushButton::clicked, this, &ProbePage::chooseFile);
    connect(videoButton_, &QPushButton::clicked, this, &ProbePage::chooseVideo);
    connect(imageSource_, &QLineEdit::textChanged, this, &ProbePage::update);
    connect(consentGroup_, &QButtonGroup::idToggled, this, &ProbePage::update);
    connect(notDetained_, &QCheckBox::toggled, this, &ProbePage::update);
    connect(reasonUnable_, &QPlainTextEdit::textChanged, this, &ProbePage::update);
    connect(submissionPurpose_, &QPlainTextEdit::textChanged, this, &ProbePage::update);
    connect(&loader_, &QFutureWatcher<std::shared_ptr<Result<ProbeOriginal>>>::finished, this, &ProbePage::showLoaded);
    update();
}

QRadioButton* ProbePage::consentButton(workflow::ConsentKind kind) const {
    return qobject_cast<QRadioButton*>(consentGroup_->button(int(kind)));
}

void ProbePage::chooseFile() {
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Choose the probe image"), QString(),
        tr("Images (*.jpg *.jpeg *.png *.bmp *.tif *.tiff *.webp *.gif *.pgm *.ppm);;All files (*)"));
    if (!file.isEmpty()) loadFile(file);
}

void ProbePage::chooseVideo() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Open the video"), QString(),
                                                      tr("Videos (*.mp4 *.m4v *.mov *.avi *.mkv *.webm);;All files (*)"));
    if (!file.isEmpty()) openVideo(file);
}

VideoFrameDialog* ProbePage::openVideo(const QString& file) {
    auto* dialog = new VideoFrameDialog(wizard_.context(), file, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (dialog->chosen()) useOriginal(*dialog->chosen());
    });
    dialog->open();  // window-modal, and returns at once: no nested event loop
    return dialog;
}

void ProbePage::useOriginal(ProbeOriginal original) {
    clearProbe();
    showOriginal(original);
    wizard_.draft().original = std::move(original);
    update();
    emit loadFinished();
}

void ProbePage::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().size() == 1 &&
        event->mimeData()->urls().front().isLocalFile())
        event->acceptProposedAction();
}

void ProbePage::dropEvent(QDropEvent* event) {
    loadFile(event->mimeData()->urls().front().toLocalFile());
    event->acceptProposedAction();
}

void ProbePage::loadFile(const QString& file) {
    if (loading_) return;
    loading_ = true;
    chooseButton_->setEnabled(false);
    clearProbe();
    details_->setText(tr("Loading and hashing %1…").arg(QFileInfo(file).fileName()));
    emit completeChanged();
    const std::filesystem::path path = file.toStdString();
    loader_.setFuture(QtConcurrent::run([path] { return std::make_shared<Result<ProbeOriginal>>(readProbe(path)); }));
}

// A new original invalidates everything derived from the previous one.
void ProbePage::clearProbe() {
    loadError_.clear();
    SearchDraft& draft = wizard_.draft();
    draft.original.reset();
    draft.enhanced.reset();
    draft.searchEnhancedCopy = false;
    draft.faces.clear();
    draft.chosenFace = -1;
    view_->clear();
}

void ProbePage::showOriginal(const ProbeOriginal& original) {
    view_->setImage(toQImage(original.image.rgb));
    const QString name = QFileInfo(QString::fromStdString(original.file.string())).fileName().toHtmlEscaped();
    // What intake noticed (a damaged file, an animation's frame used: intake cases C06, C09; a frame the decoder
    // rebuilt from damaged data: trial 72 F3) is said here in red, never dropped: the face page and the stored search
    // carry the damage in the quality's reasons too.
    QString notes;
    const auto addNote = [&notes](const QString& note) {
        notes += QStringLiteral("<br><span style='color:#b00020; font-weight:bold;'>%1</span>").arg(note.toHtmlEscaped());
    };
    for (const std::string& note : original.image.notes.messages()) addNote(QString::fromStdString(note));
    if (original.videoFrame) {
        // What the video page's read-through found, said again with the frame (trial 77 F9), or that it was not run
        // (trial 78 F9: the quick look's words alone read as the whole story).
        const auto& read = original.wholeVideoRead;
        if (read && read->summary) addNote(tr("Damaged video: %1.").arg(QString::fromStdString(*read->summary)));
        if (!read)
            notes += tr("<br><i>The whole video was not read for damage: opening looked at its end and four frames "
                        "(Check the whole video for damage, on the video page, reads every frame).</i>");
        // A frame is no file of its own: say which frame of which video, as its recipe will (VI.B.2).
        details_->setText(tr("<b>%1</b> (video, stored whole as the original)<br>SHA-256: <tt>%2</tt><br>%3 · %4 × %5 "
                             "pixels · %6<br>Probe: %7")
                              .arg(name, QString::fromStdString(original.sha256),
                                   QString::fromStdString(original.file.extension().string()).mid(1).toUpper())
                              .arg(original.image.width())
                              .arg(original.image.height())
                              .arg(QLocale().formattedDataSize(qint64(original.image.fileBytes)),
                                   tr("frame %1 at %2, a derived image")
                                       .arg(original.videoFrame->frame)
                                       .arg(QString::fromStdString(imaging::timecodeText(original.videoFrame->timeMs)))) +
                          notes);
        return;
    }
    const imaging::CaptureMetadata& meta = original.image.metadata;
    const QString unknown = tr("not recorded in the file");
    const QString device = QString::fromStdString(imaging::deviceText(meta));
    details_->setText(
        tr("<b>%1</b><br>SHA-256: <tt>%2</tt><br>%3 · %4 × %5 pixels · %6<br>Taken: %7 · Device: %8")
            .arg(name, QString::fromStdString(original.sha256), QString::fromStdString(original.image.format).toUpper())
            .arg(original.image.width())
            .arg(original.image.height())
            .arg(QLocale().formattedDataSize(qint64(original.image.fileBytes)),
                 meta.dateTimeOriginal ? QString::fromStdString(*meta.dateTimeOriginal) : unknown,
                 device.isEmpty() ? unknown : device.toHtmlEscaped()) +
        notes);
}

QString ProbePage::detailsText() const { return details_->text(); }

void ProbePage::showLoaded() {
    loading_ = false;
    chooseButton_->setEnabled(true);
    const std::shared_ptr<Result<ProbeOriginal>> loaded = loader_.result();
    if (!*loaded) {
        loadError_ = tr("This image cannot be used: %1").arg(QString::fromStdString(loaded->error().message));
        details_->setText(QStringLiteral("<span style='color:#b00020; font-weight:bold;'>%1</span>")
                              .arg(loadError_.toHtmlEscaped()));
    } else {
        showOriginal(loaded->value());
        wizard_.draft().original = std::move(loaded->value());
    }
    update();
    emit loadFinished();
}

void ProbePage::prefill(const workflow::SearchRequest& request, const QString& file) {
    imageSource_->setText(QString::fromStdString(request.imageSource));
    if (request.consent) {
        if (QRadioButton* button = consentButton(request.consent->kind)) button->setChecked(true);
        notDetained_->setChecked(request.consent->notDetainedForCapture);
        reasonUnable_->setPlainText(QString::fromStdString(request.consent->reasonUnableToConsent));
        submissionPurpose_->setPlainText(QString::fromStdString(request.consent->submissionPurpose));
    }
    if (!file.isEmpty()) loadFile(file);
}

QString ProbePage::loadError() const { return loadError_; }

void ProbePage::update() {
    workflow::SearchRequest& request = wizard_.draft().request;
    request.imageSource = imageSource_->text().trimmed().toStdString();
    const int checked = consentGroup_->checkedId();
    if (checked < 0) {
        request.consent.reset();
    } else {
        // Only the fields of the chosen kind: text typed under another kind and then abandoned is never
        // recorded (issue 9 item 5).
        workflow::ConsentRecord record;
        record.kind = workflow::ConsentKind(checked);
        if (record.kind == workflow::ConsentKind::ConsensualEncounter) record.notDetainedForCapture = notDetained_->isChecked();
        if (record.kind == workflow::ConsentKind::WithoutConsent) {
            record.reasonUnableToConsent = reasonUnable_->toPlainText().toStdString();
            record.submissionPurpose = submissionPurpose_->toPlainText().toStdString();
        }
        request.consent = record;
    }
    const bool consensual = checked == int(workflow::ConsentKind::ConsensualEncounter);
    const bool without = checked == int(workflow::ConsentKind::WithoutConsent);
    notDetained_->setEnabled(consensual);
    reasonUnable_->setEnabled(without);
    submissionPurpose_->setEnabled(without);
    issues_->setText(issues());
    emit completeChanged();
}

QString ProbePage::issues() const {
    using F = workflow::RequestField;
    QString text = issuesText(workflow::findIssues(wizard_.draft().request, wizard_.context().policy()),
                              {F::Consent, F::ImageSource});
    if (!wizard_.draft().original && !loading_)
        text.prepend(tr("• Load the probe image.") + (text.isEmpty() ? QString() : QStringLiteral("\n")));
    return text;
}

bool ProbePage::isComplete() const { return !loading_ && wizard_.draft().original && issues().isEmpty(); }

}  // namespace facelead::ui
