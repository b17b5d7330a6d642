#pragma once
// The investigator's main window: cases, my searches, leads awaiting my follow-up, reviews awaiting me,
// the gallery; menus, toolbar, shortcuts, status bar (who is signed in, engine/model status), idle lock.
//
// The accountability area (ui/accountability/) adds its screens through administrationMenu() and
// reportsMenu(); the lead wires that in app/gui_main.cpp.

#include <QMainWindow>

#include <chrono>
#include <functional>
#include <optional>

#include "core/accounts/Session.h"
#include "core/workflow/Access.h"
#include "ui/dialogs/SignInDialogs.h"

class QAction;
class QLabel;
class QMenu;
class QTabWidget;
class QTimer;
class QToolBar;

namespace facelead::ui {

class AppContext;
class PolicyBanner;
class WorkstationPage;

// Help > "Who may do what": the core's role table (workflow/Access.h) as a table of each action, the roles that may
// do it and the SOP 302.02 section it comes from, read from the table itself so it cannot fall behind.
QString rolePermissionsHtml();

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(AppContext& context, QWidget* parent = nullptr);
    ~MainWindow() override;

    // ---- extension points for ui/accountability (admin screens, audit viewer, statistics, reports,
    // training/trainer mode). Add actions; they are enabled/disabled by the caller from the session.
    QMenu* administrationMenu() const { return administrationMenu_; }
    QMenu* reportsMenu() const { return reportsMenu_; }
    QToolBar* mainToolBar() const { return toolBar_; }
    // Offers "Trainer mode…" on the sign-in screen; enter() opens a training store and signs in to it,
    // returning false when the trainer gave up.
    void setTrainerModeEntry(std::function<bool(QWidget* parent)> enter) { trainerModeEntry_ = std::move(enter); }

    // Shows the sign-in dialog (or first-run store creation). Returns false when the user gave up.
    bool signIn();
    // Locks the window and asks for the password again (also called by the idle timer).
    void lock();
    bool isLocked() const { return locked_; }
    // The idle period before the lock; by default the agency setting (idleLockMinutes). Tests set a few
    // milliseconds to run the real idle timer without waiting minutes; nullopt returns to the setting.
    void setIdleLockInterval(std::optional<std::chrono::milliseconds> interval);
    // How often the window asks the core whether the signed-in account is still admitted (deactivated,
    // suspended, its slot revoked by a key rotation); tests set milliseconds.
    void setAdmissionCheckInterval(std::chrono::milliseconds interval);

    // For tests and the status bar.
    QString engineStatusText() const;
    QString signedInText() const;
    QTabWidget* tabs() const { return tabs_; }

    // Opens the search wizard for a new search (optionally prefilled with a case number).
    void newSearch(const QString& caseNumber = {});
    void openCase(std::int64_t caseId);
    QString selectedCaseNumber() const;  // the Cases page's selected row, empty when none
    void openResults(std::int64_t searchId);
    // Re-reads every tab from the store (after a change made in another window).
    void refreshPages();
    // Asks the signed-in user for their current and a new password (File > Change my password).
    void changeOwnPassword();
    // After sign-in: while an administrator's password is due for replacement, asks for the user's own; when
    // they give up, signs out (nothing else is allowed until then).
    void chooseOwnPasswordIfDue();

protected:
    void closeEvent(QCloseEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void recordSessionEvent(accounts::SessionEvent event);  // audited on the store thread
    bool may(workflow::Action action) const;  // the core's role table, for what to offer (the core checks again)
    void rememberStore(const QString& storePath, const QString& username);
    void offerUnconfirmedRecoveryKey();
    void showSessionWarnings();
    // ChangePasswordDialog (current, then new twice) until the core accepts or the user cancels; true when changed.
    bool replacePassword(const QString& title, const QString& explanation);
    void showKeyFingerprint(const QString& title, const QString& fingerprint);
    // The core's answer to a sign-in that opened (or was refused); remembers the store on success.
    void answerSignIn(const SignInRequest& request, std::optional<QString> refusal, const Answer& answer);
    // The agency requires a second factor and the account has none: the enrolment dialog, whose confirmed
    // code signs in (accounts/SecondFactor.h).
    void showWarnings(const std::vector<std::string>& warnings);
    void enrolSecondFactor(const SignInRequest& request, const QString& why, const Answer& answer);
    void enrolSecondFactorAtUnlock(const std::string& username, const QString& password, const QString& why,
                                   const Answer& answer);
    void createActions();
    void createMenus();
    void updateSessionState();
    void updateEngineState();
    // "New search…" is offered only when the core's search gate is open (cases::CaseService::searchGate: role,
    // approval, training, VI.D.2; the same check the search passes again); otherwise it is disabled and its
    // tool tip and status text give the core's reason. Asked on the store thread.
    void updateSearchGate();
    void signOut();
    void closeSessionWindows();
    // The core no longer admits the signed-in account (an administrator deactivated or suspended it):
    // the session ends at once, whatever window is open, and the person is told why.
    void checkStillAdmitted();
    void endRevokedSession(const QString& why);
    void restartIdleTimer();
    void showAbout();
    void showRoleTable();
    void showPolicySummary();

    AppContext& context_;
    QTabWidget* tabs_ = nullptr;
    std::vector<WorkstationPage*> pages_;
    PolicyBanner* trainingBanner_ = nullptr;
    QLabel* userLabel_ = nullptr;
    QLabel* engineLabel_ = nullptr;
    QMenu* administrationMenu_ = nullptr;
    QMenu* reportsMenu_ = nullptr;
    QToolBar* toolBar_ = nullptr;
    QTimer* idleTimer_ = nullptr;
    QTimer* admissionTimer_ = nullptr;
    void setCommandsEnabled(bool enabled);  // the menus and the toolbar, off while locked
    bool locked_ = false;
    std::optional<std::chrono::milliseconds> idleLockInterval_;
    std::function<bool(QWidget*)> trainerModeEntry_;

    QAction* newSearchAction_ = nullptr;
    QAction* newCaseAction_ = nullptr;
    QAction* openCaseAction_ = nullptr;
    QAction* refreshAction_ = nullptr;
    QAction* enrolFolderAction_ = nullptr;
    QAction* enrolCsvAction_ = nullptr;
    QAction* lockAction_ = nullptr;
    QAction* signOutAction_ = nullptr;
    QAction* changePasswordAction_ = nullptr;
    QAction* signInAction_ = nullptr;
    QAction* quitAction_ = nullptr;
};

}  // namespace facelead::ui
