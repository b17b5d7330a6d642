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
#include "ui/accountability/BackgroundJob.h"
#include "ui/accountability/Common.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/CoreServices.h"

namespace facelead::ui {

using accountability::qs;

TrainerModeDialog::TrainerModeDialog(const QString& suggestedStore,
                                     std::function<std::optional<QString>(const TrainerModeRequest&)> attempt,
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
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #b00020;"));
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

std::optional<QString> TrainerModeDialog::tryOpen() {
    auto problem = attempt_(request());
    error_->setText(problem.value_or(QString()));
    if (!problem) accept();
    return problem;
}

QString TrainerModeDialog::errorText() const { return error_->text(); }

std::optional<QString> enterTrainerMode(AppContext& context, const TrainerModeRequest& request) {
    if (request.storePath.isEmpty()) return QObject::tr("Choose a file for the training store.");
    const std::filesystem::path path = request.storePath.toStdString();
    const auto live = context.storePath();
    Result<accounts::Session> session = makeError(ErrorCode::Internal, "not opened");
    if (request.createNew) {
        auto created = training::createTrainingStore(path, live, request.username.toStdString(),
                                                     request.displayName.toStdString(), request.password.toStdString(),
                                                     context.clock(), context.securityPolicy());
        if (!created) return qs(created.error().message);
        session = std::move(created->session);
    } else {
        session = training::openTrainingStore(path, live, request.username.toStdString(), request.password.toStdString(),
                                              context.clock(), context.securityPolicy());
    }
    if (!session) return qs(session.error().message);
    auto services = CoreServices::open(std::move(*session), context.clock());
    if (!services) return qs(services.error().message);
    context.signOut();  // only now: the training store is open
    context.setServices(std::move(services.value()));
    context.setTrainingMode(true);
    return std::nullopt;
}

std::optional<QString> loadDemoGallery(QWidget* parent, AppContext& context, const QString& folder) {
    CoreServices* services = context.services();
    if (!services || !context.trainingMode()) return QObject::tr("Open a training store first.");
    {
        auto training = training::isTrainingStore(services->store());
        if (!training || !*training) return QObject::tr("The demo gallery goes into a training store only.");
    }
    const face::FaceEngine* engine = context.engine();
    if (!engine) return context.engineStatusText();
    auto items = gallery::itemsFromFolder(folder.toStdString());
    if (!items) return qs(items.error().message);
    auto report = runWithProgress<gallery::EnrolReport>(
        parent, context, QObject::tr("Loading the demo gallery…"),
        [services, engine, items = std::move(*items)](const reports::ProgressFn& progress) {
            std::atomic<bool> cancel = false;
            gallery::EnrolOptions options;
            options.cancel = &cancel;
            options.progress = [&](std::size_t done, std::size_t total) {
                if (!progress(int(done), int(total), "Enrolling demo faces")) cancel = true;
            };
            return services->gallery().enrol(services->store(), *engine, services->galleryActor(), items, options);
        });
    if (!report) return qs(report.error().message);
    return std::nullopt;
}

bool openTrainerMode(QWidget* parent, AppContext& context) {
    const QString suggested = QString::fromStdString((context.storePath().parent_path() / "training.store").string());
    TrainerModeDialog dialog(suggested, [&context](const TrainerModeRequest& r) { return enterTrainerMode(context, r); },
                             parent);
    if (dialog.exec() != QDialog::Accepted) return false;
    const QString folder = dialog.request().demoGalleryFolder;
    if (!folder.isEmpty())
        if (auto problem = loadDemoGallery(parent, context, folder))
            QMessageBox::warning(parent, QObject::tr("Demo gallery"), *problem);
    return true;
}

}  // namespace facelead::ui
