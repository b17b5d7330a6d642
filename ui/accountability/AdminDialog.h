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
#include "core/admin/AgencySettings.h"
#include "core/workflow/Roles.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class QTabWidget;
class QWidget;

namespace facelead::ui {

class AppContext;

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
    RoleChecks* roles_;
};

class AdminDialog : public QDialog {
    Q_OBJECT
public:
    explicit AdminDialog(AppContext& context, QWidget* parent = nullptr);

    void refresh();
    QTableWidget* usersTable() const { return users_; }
    QString seatText() const;
    QString lastError() const;
    QTabWidget* tabs() const { return tabs_; }
    bool selectUser(const QString& username);

    // The actions behind the buttons, on the selected user; nullopt when done, else the core's message.
    std::optional<QString> createUser(const NewUserRequest& request);
    std::optional<QString> approveSelected();
    std::optional<QString> suspendSelected(const QString& reason);
    std::optional<QString> reactivateSelected();
    std::optional<QString> deactivateSelected(const QString& reason);
    std::optional<QString> setRolesOfSelected(const workflow::RoleSet& roles);
    std::optional<QString> resetPasswordOfSelected(const QString& password);

    // The settings tab.
    Result<admin::AgencySettings> settingsFromForm() const;
    void showSettings(const admin::AgencySettings& settings);
    std::optional<QString> saveSettings(const admin::AgencySettings& settings);

private:
    QWidget* buildUsersTab();
    QWidget* buildSettingsTab();
    std::int64_t selectedUserId() const;
    template <typename Action>
    std::optional<QString> act(Action&& action);
    void askAndRun(const QString& question, const std::function<std::optional<QString>(const QString&)>& run);

    AppContext& context_;
    QTabWidget* tabs_;
    QTableWidget* users_;
    QLabel* seats_;
    QLabel* error_;
    std::map<std::string, QWidget*> settingFields_;  // by SettingSpec::key
    QLabel* settingsMessage_;
};

}  // namespace facelead::ui
