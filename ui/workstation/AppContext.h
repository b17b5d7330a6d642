#pragma once
// AppContext: everything a screen needs — the signed-in session, the open store's services, the face
// engine, the gallery, the settings and the training-mode flag. One instance is made by app/gui_main.cpp
// (or by a GUI test) and passed by reference to every window, page and dialog. No global singletons.
//
// Threading contract (the store is NOT thread-safe):
//   * Store-touching calls (accounts, cases, gallery, audit) run on the UI thread, EXCEPT the two long jobs
//     that must write as they go (enrolment, a 1:N search). Those run on a worker thread while holding
//     storeMutex(); the UI shows a modal progress dialog for them, so no other store call is attempted,
//     and any UI-thread store call that could overlap takes the same lock (StoreLock below).
//   * Pure compute (decode, detection, enhancement previews) runs on QtConcurrent workers and never
//     touches the store; its result is written from the UI thread afterwards.
//   * The FaceEngine is thread-safe by its own contract (core/face/FaceEngine.h).

#include <QObject>
#include <QSettings>
#include <QString>

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "core/accounts/Session.h"
#include "core/common/Clock.h"
#include "core/common/Result.h"
#include "core/workflow/SearchRequest.h"

namespace facelead::face { class FaceEngine; }

namespace facelead::ui {

class CoreServices;  // the open store and its services; defined in ui/workstation/CoreServices.h

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

    // --- the open store and the signed-in user (nullptr when signed out)
    CoreServices* services() const { return services_.get(); }
    void setServices(std::unique_ptr<CoreServices> services);  // after sign-in; emits sessionChanged
    void signOut();                                             // drops the session; emits sessionChanged
    bool signedIn() const { return services_ != nullptr; }
    // The policy thresholds in force: the store's agency settings once signed in (the same the core
    // enforces), the local defaults before.
    const workflow::PolicySettings& policy() const;

    // --- training mode (the accountability area's trainer screens switch it; every screen shows it)
    bool trainingMode() const { return trainingMode_; }
    void setTrainingMode(bool on);

    std::mutex& storeMutex() { return storeMutex_; }

signals:
    void sessionChanged();
    void engineChanged();
    void trainingModeChanged(bool on);

private:
    std::unique_ptr<QSettings> qsettings_;
    WorkstationSettings settings_;
    accounts::SecurityPolicy securityPolicy_;
    std::shared_ptr<const Clock> clock_ = std::make_shared<SystemClock>();
    std::shared_ptr<const face::FaceEngine> engine_;
    QString engineProblem_;
    std::unique_ptr<CoreServices> services_;
    bool trainingMode_ = false;
    std::mutex storeMutex_;
};

// Holds storeMutex() for a scope: `StoreLock lock(context);`
using StoreLock = std::lock_guard<std::mutex>;

}  // namespace facelead::ui
