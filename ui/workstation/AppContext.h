#pragma once
// AppContext: everything a screen needs — the signed-in session, the open store's services, the face
// engine, the gallery, the settings and the training-mode flag. One instance is made by app/gui_main.cpp
// (or by a GUI test) and passed by reference to every window, page and dialog. No global singletons.
//
// Threading contract: the open store and its services belong to ONE owner, the store thread of store()
// (ui/workstation/StoreOwner.h). Screens post store jobs there and get the answer on the UI thread; the
// UI thread never touches the store, never locks it, never waits for it. What a screen needs synchronously
// about the session (who is signed in, the agency settings) is a copy taken at sign-in (user(),
// agencySettings()). Pure compute (decode, detection, previews) runs on the thread pool
// (ui/workstation/Background.h). The FaceEngine is thread-safe by its own contract (core/face/FaceEngine.h).

#include <QObject>
#include <QSettings>
#include <QString>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "core/accounts/Session.h"
#include "core/admin/AgencySettings.h"
#include "core/common/Clock.h"
#include "core/common/Result.h"
#include "core/workflow/SearchRequest.h"
#include "ui/workstation/StoreOwner.h"

namespace facelead::face { class FaceEngine; }

namespace facelead::ui {


// User-adjustable workstation settings, persisted with QSettings (organisation "FaceLead").
struct WorkstationSettings {
    QString storePath;              // last store signed in to; empty: facelead::defaultStorePath()
    QString modelsDir;              // empty: facelead::defaultModelsDir()
    int idleLockMinutes = 15;       // lock after this long without input (0 = never); the agency setting wins
    workflow::PolicySettings policy;  // agency thresholds the wizard shows; the core enforces its own copy

    static WorkstationSettings load(QSettings& settings);
    void save(QSettings& settings) const;
};

class AppContext : public QObject {
    Q_OBJECT
public:
    // settingsFile: empty for the user's normal QSettings; tests pass a file in a temporary folder.
    explicit AppContext(const QString& settingsFile = {}, QObject* parent = nullptr);
    ~AppContext() override;

    QSettings& qsettings() { return *qsettings_; }
    WorkstationSettings& settings() { return settings_; }
    void saveSettings();

    // Sign-in rules (password length, lockout, key-derivation cost; tests use KdfParams::minimum()).
    accounts::SecurityPolicy& securityPolicy() { return securityPolicy_; }
    const std::shared_ptr<const Clock>& clock() const { return clock_; }
    void setClock(std::shared_ptr<const Clock> clock) { clock_ = std::move(clock); }

    std::filesystem::path storePath() const;
    std::filesystem::path modelsDir() const;

    // --- face engine (loaded in the background at start; nullptr until ready or when models are missing)
    // Shared so that tests can hand one loaded engine to several contexts.
    const face::FaceEngine* engine() const { return engine_.get(); }
    void setEngine(std::shared_ptr<const face::FaceEngine> engine);
    // Verifies the model files, then loads the engine on a worker thread; emits engineChanged when done.
    void loadEngineAsync();
    // The status-bar sentence: ready, loading, or the missing-model message with how to fix it.
    QString engineStatusText() const;
    void setEngineProblem(const QString& message);  // model check / load failure, shown in the status bar
    bool engineReady() const { return engine_ != nullptr; }

    // --- the open store (owned by the store thread) and the signed-in user
    StoreOwner& store() { return store_; }
    // Opens a session on the store thread (openSession() runs there: key derivation, opening, migration)
    // and installs it: user() and agencySettings() are set and sessionChanged is emitted before
    // reply(nullopt); on failure reply(the core's message). reply runs while guard lives.
    using SessionOpener = std::function<Result<accounts::Session>()>;
    void openSession(const QObject* guard, SessionOpener openSession,
                     std::function<void(std::optional<QString> refusal)> reply);
    void signOut();  // closes the store after the jobs already posted; emits sessionChanged
    bool signedIn() const { return user_.has_value(); }
    // Copies taken at sign-in (the UI thread reads them; the store thread has its own).
    const accounts::User& user() const { return *user_; }
    const admin::AgencySettings& agencySettings() const { return agency_; }
    // An administrator set this user's password: nothing but choosing their own is allowed (the core refuses
    // the rest), so the pages are not read meanwhile (trial 63 F3: each read was a refusal recorded in their name
    // for something they never tried). Cleared by passwordChosen() once the change is done.
    bool passwordChangeDue() const { return passwordChangeDue_; }
    void passwordChosen() { passwordChangeDue_ = false; }
    // The policy thresholds in force: the store's agency settings once signed in (the same the core
    // enforces), the local defaults before.
    const workflow::PolicySettings& policy() const;

    // --- training mode (the accountability area's trainer screens switch it; every screen shows it)
    bool trainingMode() const { return trainingMode_; }
    void setTrainingMode(bool on);

signals:
    void sessionChanged();
    void engineChanged();
    void trainingModeChanged(bool on);
    // A window wrote to the store in a way the work lists show (the main window re-reads them).
    void storeChanged();

private:
    std::unique_ptr<QSettings> qsettings_;
    WorkstationSettings settings_;
    accounts::SecurityPolicy securityPolicy_;
    std::shared_ptr<const Clock> clock_ = std::make_shared<SystemClock>();
    std::shared_ptr<const face::FaceEngine> engine_;
    QString engineProblem_;
    std::optional<accounts::User> user_;
    bool passwordChangeDue_ = false;
    admin::AgencySettings agency_;
    workflow::PolicySettings agencyPolicy_;
    bool trainingMode_ = false;
    StoreOwner store_;  // last: destroyed first, closing the store while the rest still exists
};

}  // namespace facelead::ui
