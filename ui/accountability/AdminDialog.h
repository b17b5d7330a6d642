#pragma once
// Administration (SOP 302.02 VI.C.2-3, VI.D.2): the user accounts with their status, training and whether
// the search gate lets them through, seat usage, and the agency settings. Every button collects one value
// (a NewUserRequest, a role set, a reason, a password, an AgencySettings) and hands it to
// admin::Administration / admin::saveSettings, which check and audit it; refusals are shown as the core
// worded them.

#include <QDialog>

#include <functional>
#include <map>
#include <optional>

#include "core/accounts/AccountService.h"
#include "core/admin/Administration.h"
#include "core/admin/AgencySettings.h"
#include "core/workflow/Roles.h"
#include "ui/dialogs/ConfirmStep.h"
#include "ui/dialogs/SignInDialogs.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class QTabWidget;
class QWidget;

namespace facelead::ui {

class AppContext;
struct AdminView;

struct NewUserRequest {
    QString username;
    QString displayName;
    QString password;
    workflow::RoleSet roles;
};

// A check box per role.
class RoleChecks : public QWidget {
    Q_OBJECT
public:
    explicit RoleChecks(QWidget* parent = nullptr);
    workflow::RoleSet roles() const;
    void setRoles(const workflow::RoleSet& roles);

private:
    std::map<workflow::Role, QCheckBox*> boxes_;
};

class NewUserDialog : public QDialog {
    Q_OBJECT
public:
    explicit NewUserDialog(QWidget* parent = nullptr);
    NewUserRequest request() const;

private:
    QLineEdit* username_;
    QLineEdit* displayName_;
    QLineEdit* password_;
    QLineEdit* repeat_;
    RoleChecks* roles_;
    QLabel* problem_;
};

class AdminDialog : public QDialog {
    Q_OBJECT
public:
    explicit AdminDialog(AppContext& context, QWidget* parent = nullptr);

    // Re-reads the users and settings on the store thread; then() runs once they are shown.
    void refresh(std::function<void()> then = {});
    QTableWidget* usersTable() const { return users_; }
    QString seatText() const;
    QString lastError() const;
    QTabWidget* tabs() const { return tabs_; }
    bool selectUser(const QString& username);

    // The actions behind the buttons, on the selected user, run on the store thread; answer gets nullopt
    // when done, else the core's message (also shown in the dialog).
    void createUser(const NewUserRequest& request, Answer answer = {});
    void approveSelected(Answer answer = {});
    // The key the selected person made with their own password, by the fingerprint they show in person (trial 63 F2).
    void approveKeyOfSelected(const QString& fingerprint, Answer answer = {});
    void suspendSelected(const QString& reason, Answer answer = {});
    void reactivateSelected(const QString& reason, Answer answer = {});
    void deactivateSelected(const QString& reason, Answer answer = {});
    void setRolesOfSelected(const workflow::RoleSet& roles, Answer answer = {});
    void resetPasswordOfSelected(const QString& password, Answer answer = {});
    // A requested role change, applied only by a second authorized person (issue 9 item 6; the core decides).
    void approveSelectedRoleChange(Answer answer = {});
    QTableWidget* roleChangesTable() const { return roleChanges_; }

    // The settings tab.
    Result<admin::AgencySettings> settingsFromForm() const;
    void showSettings(const admin::AgencySettings& settings);
    void saveSettings(const admin::AgencySettings& settings, Answer answer = {});

signals:
    void refreshed();  // the users and settings were read back from the store

private:
    void showView(const Result<AdminView>& view);
    QWidget* buildUsersTab();
    QWidget* buildSettingsTab();
    std::int64_t selectedUserId() const;
    template <typename Action>
    void act(Action action, const Answer& answer);
    template <typename T>
    void showOutcome(const Result<T>& done, const Answer& answer);
    void showRoleChanges(const std::vector<accounts::RoleChangeRequest>& requests,
                         const std::vector<admin::UserOverview>& users);
    // A step that cannot be taken back names the account (question's %1) and asks first (confirmStep); a
    // status change also asks why (kept in the audit log). Cancel changes nothing.
    void askAndRun(const QString& title, const QString& question, AskReason askReason,
                   const std::function<void(const QString&)>& run);
    QString selectedUserText() const;  // "ivan (Ivan Investigator)", or empty
    workflow::RoleSet selectedUserRoles() const;  // as the signed log grants them
    // "Approve access…" is offered for an account pending approval only, else says why in its tool tip; it reads
    // "Approve key…" for an account whose own new key waits for a supervisor's approval.
    void offerApproval();
    bool selectedKeyAwaitsApproval() const;

    AppContext& context_;
    QTabWidget* tabs_;
    QTableWidget* users_;
    QTableWidget* roleChanges_;  // requests waiting for a second person; row data: the request id
    QLabel* seats_;
    QLabel* userDetails_;  // the selected user's gate, in full
    QLabel* error_;
    std::map<std::string, QWidget*> settingFields_;  // by SettingSpec::key
    QLabel* settingsMessage_;
    QPushButton* approve_ = nullptr;
};

}  // namespace facelead::ui
