#include "ui/accountability/TrainerMode.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>

#include "core/face/FaceEngine.h"
#include "core/gallery/Gallery.h"
#include "core/training/TrainingService.h"
#include "ui/widgets/SteadyLabel.h"
#include "ui/workstation/Background.h"
#include "ui/accountability/Common.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/CoreServices.h"

namespace facelead::ui {

using accountability::qs;

TrainerModeDialog::TrainerModeDialog(const QString& suggestedStore, AttemptFn<TrainerModeRequest> attempt,
                                     QWidget* parent)
    : QDialog(parent), attempt_(std::move(attempt)), storePath_(new QLineEdit(suggestedStore, this)),
      createNew_(new QCheckBox(tr("Create a new training store"), this)), username_(new QLineEdit(this)),
      displayName_(new QLineEdit(this)), password_(new QLineEdit(this)), galleryFolder_(new QLineEdit(this)),
      error_(new QLabel(this)) {
    setWindowTitle(tr("Trainer mode — separate training store"));
    setObjectName(QStringLiteral("trainerModeDialog"));
    createNew_->setChecked(true);
    password_->setEchoMode(QLineEdit::Password);
    auto* form = new QFormLayout(this);
    auto* banner = new QLabel(tr("TRAINING: a separate store with demonstration data only. The live case store is "
                                 "never opened here, and nothing done in training counts in live statistics."),
                              this);
    banner->setWordWrap(true);
    banner->setStyleSheet(QStringLiteral("background: #ffb300; color: black; font-weight: bold; padding: 6px;"));
    form->addRow(banner);
    auto* storeRow = new QHBoxLayout;
    storeRow->addWidget(storePath_);
    auto* browse = new QPushButton(tr("Browse…"), this);
    storeRow->addWidget(browse);
    form->addRow(tr("Training store"), storeRow);
    form->addRow(QString(), createNew_);
    form->addRow(tr("Trainer user name"), username_);
    form->addRow(tr("Trainer full name (new store)"), displayName_);
    form->addRow(tr("Password"), password_);
    auto* galleryRow = new QHBoxLayout;
    galleryRow->addWidget(galleryFolder_);
    auto* browseGallery = new QPushButton(tr("Browse…"), this);
    galleryRow->addWidget(browseGallery);
    form->addRow(tr("Demo gallery folder (optional)"), galleryRow);
    error_->setObjectName(QStringLiteral("trainerModeError"));
    makeErrorLine(*error_);
    form->addRow(error_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Enter trainer mode"));
    form->addRow(buttons);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Training store"), storePath_->text(),
                                                          tr("FaceLead store (*.store)"), nullptr,
                                                          QFileDialog::DontConfirmOverwrite);
        if (!path.isEmpty()) storePath_->setText(path);
    });
    connect(browseGallery, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Demo gallery: one sub-folder per person"));
        if (!folder.isEmpty()) galleryFolder_->setText(folder);
    });
    connect(createNew_, &QCheckBox::toggled, displayName_, &QWidget::setEnabled);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] { tryOpen(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

TrainerModeRequest TrainerModeDialog::request() const {
    return {storePath_->text().trimmed(), createNew_->isChecked(), username_->text().trimmed(),
            displayName_->text().trimmed(), password_->text(), galleryFolder_->text().trimmed()};
}

void TrainerModeDialog::setRequest(const TrainerModeRequest& request) {
    storePath_->setText(request.storePath);
    createNew_->setChecked(request.createNew);
    username_->setText(request.username);
    displayName_->setText(request.displayName);
    password_->setText(request.password);
    galleryFolder_->setText(request.demoGalleryFolder);
}

void TrainerModeDialog::tryOpen() {
    attemptFrom(this, [this, r = request()](Answer answer) { attempt_(r, std::move(answer)); },
                [this](std::optional<QString> problem) {
                    showRefusal(*error_, problem.value_or(QString()));
                    if (!problem) accept();
                });
}

QString TrainerModeDialog::errorText() const { return error_->text(); }

void enterTrainerMode(AppContext& context, const TrainerModeRequest& request, const Answer& answer) {
    if (request.storePath.isEmpty()) {
        answer(QObject::tr("Choose a file for the training store."));
        return;
    }
    // The live session is replaced on the store thread only once the training store is open.
    context.openSession(&context, [r = request, live = context.storePath(), clock = context.clock(),
                                   policy = context.securityPolicy()]() -> Result<accounts::Session> {
        const std::filesystem::path path = r.storePath.toStdString();
        if (!r.createNew)
            return training::openTrainingStore(path, live, r.username.toStdString(), r.password.toStdString(), clock, policy);
        auto created = training::createTrainingStore(path, live, r.username.toStdString(), r.displayName.toStdString(),
                                                     r.password.toStdString(), clock, policy);
        if (!created) return created.error();
        return std::move(created->session);
    }, answer);
}

void loadDemoGallery(QWidget* parent, AppContext& context, const QString& folder, const Answer& answer) {
    if (!context.signedIn() || !context.trainingMode()) {
        answer(QObject::tr("Open a training store first."));
        return;
    }
    const face::FaceEngine* engine = context.engine();
    if (!engine) {
        answer(context.engineStatusText());
        return;
    }
    auto items = gallery::itemsFromFolder(folder.toStdString());
    if (!items) {
        answer(qs(items.error().message));
        return;
    }
    runWithProgress(parent, context, QObject::tr("Loading the demo gallery…"),
                    [engine, items = std::move(*items)](CoreServices& s, const JobProgress& progress) -> Result<gallery::EnrolReport> {
                        auto training = training::isTrainingStore(s.store());
                        if (!training || !*training)
                            return makeError(ErrorCode::PermissionDenied, "The demo gallery goes into a training store only.");
                        gallery::EnrolOptions options;
                        options.cancel = progress.cancelFlag();
                        options.progress = [&progress](std::size_t done, std::size_t total) {
                            progress.report(int(done), int(total), "Enrolling demo faces");
                        };
                        return s.gallery().enrol(s.store(), *engine, s.galleryActor(), items, options);
                    },
                    [&context, answer](const Result<gallery::EnrolReport>& report) {
                        emit context.storeChanged();  // the gallery tab shows the demo faces at once
                        answer(report ? std::nullopt : std::optional(qs(report.error().message)));
                    });
}

bool openTrainerMode(QWidget* parent, AppContext& context) {
    const QString suggested = QString::fromStdString((context.storePath().parent_path() / "training.store").string());
    TrainerModeDialog dialog(suggested, [&context](const TrainerModeRequest& r, const Answer& answer) {
        enterTrainerMode(context, r, answer);
    }, parent);
    if (dialog.exec() != QDialog::Accepted) return false;
    const QString folder = dialog.request().demoGalleryFolder;
    if (!folder.isEmpty())
        loadDemoGallery(parent, context, folder, [parent](std::optional<QString> problem) {
            if (problem) QMessageBox::warning(parent, QObject::tr("Demo gallery"), *problem);
        });
    return true;
}

}  // namespace facelead::ui
