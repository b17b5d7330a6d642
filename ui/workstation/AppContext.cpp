#include "ui/workstation/AppContext.h"

#include <QFutureWatcher>
#include <QtConcurrent>

#include "core/admin/Administration.h"
#include "core/common/Paths.h"
#include "core/face/FaceEngine.h"
#include "core/training/TrainingService.h"
#include "ui/workstation/CoreServices.h"

namespace facelead::ui {

namespace {
const auto kStorePath = QStringLiteral("store/path");
const auto kModelsDir = QStringLiteral("engine/modelsDir");
const auto kIdleLock = QStringLiteral("session/idleLockMinutes");
const auto kMinJustification = QStringLiteral("policy/minJustificationChars");
const auto kCandidates = QStringLiteral("search/defaultCandidates");
}  // namespace

WorkstationSettings WorkstationSettings::load(QSettings& settings) {
    WorkstationSettings loaded;
    loaded.storePath = settings.value(kStorePath).toString();
    loaded.modelsDir = settings.value(kModelsDir).toString();
    loaded.idleLockMinutes = settings.value(kIdleLock, loaded.idleLockMinutes).toInt();
    loaded.policy.minJustificationChars =
        settings.value(kMinJustification, qulonglong(loaded.policy.minJustificationChars)).toULongLong();
    loaded.policy.defaultCandidateLimit = settings.value(kCandidates, loaded.policy.defaultCandidateLimit).toInt();
    return loaded;
}

void WorkstationSettings::save(QSettings& settings) const {
    settings.setValue(kStorePath, storePath);
    settings.setValue(kModelsDir, modelsDir);
    settings.setValue(kIdleLock, idleLockMinutes);
    settings.setValue(kMinJustification, qulonglong(policy.minJustificationChars));
    settings.setValue(kCandidates, policy.defaultCandidateLimit);
}

AppContext::AppContext(const QString& settingsFile, QObject* parent)
    : QObject(parent),
      qsettings_(settingsFile.isEmpty() ? std::make_unique<QSettings>()
                                        : std::make_unique<QSettings>(settingsFile, QSettings::IniFormat)) {
    settings_ = WorkstationSettings::load(*qsettings_);
}

AppContext::~AppContext() = default;

void AppContext::saveSettings() { settings_.save(*qsettings_); }

std::filesystem::path AppContext::storePath() const {
    return settings_.storePath.isEmpty() ? defaultStorePath() : std::filesystem::path(settings_.storePath.toStdString());
}

std::filesystem::path AppContext::modelsDir() const {
    return settings_.modelsDir.isEmpty() ? defaultModelsDir() : std::filesystem::path(settings_.modelsDir.toStdString());
}

void AppContext::setEngine(std::shared_ptr<const face::FaceEngine> engine) {
    engine_ = std::move(engine);
    if (engine_) engineProblem_.clear();
    emit engineChanged();
}

void AppContext::loadEngineAsync() {
    face::EngineConfig config;
    config.modelsDir = modelsDir();
    if (auto verified = face::FaceEngine::verifyModels(config.modelsDir); !verified) {
        setEngineProblem(QString::fromStdString(verified.error().message));
        return;
    }
    using Loaded = Result<std::unique_ptr<face::FaceEngine>>;
    auto* watcher = new QFutureWatcher<std::shared_ptr<Loaded>>(this);
    connect(watcher, &QFutureWatcher<std::shared_ptr<Loaded>>::finished, this, [this, watcher] {
        std::shared_ptr<Loaded> loaded = watcher->result();
        watcher->deleteLater();
        if (*loaded) setEngine(std::move(loaded->value()));
        else setEngineProblem(QString::fromStdString(loaded->error().message));
    });
    watcher->setFuture(QtConcurrent::run([config] { return std::make_shared<Loaded>(face::FaceEngine::create(config)); }));
}

void AppContext::setEngineProblem(const QString& message) {
    engineProblem_ = message;
    emit engineChanged();
}

QString AppContext::engineStatusText() const {
    if (engine_) return tr("Face engine ready (models verified)");
    if (!engineProblem_.isEmpty()) return tr("Face engine NOT ready: %1").arg(engineProblem_);
    return tr("Face engine loading…");
}

const workflow::PolicySettings& AppContext::policy() const { return user_ ? agencyPolicy_ : settings_.policy; }

namespace {
// What the UI thread keeps of a session opened on the store thread.
struct SessionFacts {
    accounts::User user;
    admin::AgencySettings agency;
    bool trainingStore = false;
    bool passwordChangeDue = false;
};
}  // namespace

void AppContext::openSession(const QObject* guard, SessionOpener openSession,
                             std::function<void(std::optional<QString>)> reply) {
    StoreOwner* owner = &store_;
    store_.runUnsigned(this, [owner, clock = clock_, openSession = std::move(openSession)]() -> Result<SessionFacts> {
        auto session = openSession();
        if (!session) return session.error();
        auto services = CoreServices::open(std::move(session.value()), clock);
        if (!services) return services.error();
        auto training = training::isTrainingStore((*services)->store());
        SessionFacts facts{(*services)->user(), (*services)->agencySettings(), training && *training,
                           (*services)->session().mustChangePassword()};
        owner->adoptOnStoreThread(std::move(services.value()));
        return facts;
    }, [this, watched = QPointer<QObject>(const_cast<QObject*>(guard)), reply = std::move(reply)](Result<SessionFacts> facts) {
        if (facts) {
            user_ = facts->user;
            passwordChangeDue_ = facts->passwordChangeDue;
            agency_ = facts->agency;
            agencyPolicy_ = admin::policySettings(agency_);
            settings_.idleLockMinutes = agency_.idleLockMinutes;
            setTrainingMode(facts->trainingStore);
            emit sessionChanged();
        }
        if (watched) reply(facts ? std::nullopt : std::optional(QString::fromStdString(facts.error().message)));
    });
}

void AppContext::signOut() {
    if (!user_) return;
    store_.close();
    user_.reset();
    setTrainingMode(false);
    emit sessionChanged();
}

void AppContext::setTrainingMode(bool on) {
    if (on == trainingMode_) return;
    trainingMode_ = on;
    emit trainingModeChanged(on);
}

}  // namespace facelead::ui
