#include "core/accounts/AccountService.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/accounts/UserRows.h"
#include "core/audit/AuditLog.h"
#include "core/store/KeyFile.h"

namespace facelead::accounts {
namespace {

using workflow::Role;
using workflow::UserStatus;

constexpr const char* kUserColumns =
    "id, username, display_name, roles, status, created_at, created_by, approved_by, approved_at, "
    "training_completed_at, training_signed_off_by, last_activity_at, deactivated_at";

std::optional<TimePoint> parseTime(const std::optional<std::string>& text) {
    TimePoint time;
    if (!text || !fromIsoUtc(*text, time)) return std::nullopt;
    return time;
}

User readUser(const store::Statement& row) {
    User user;
    user.id = row.getInt(0);
    user.username = row.getText(1);
    user.displayName = row.getText(2);
    user.roles = rolesFromText(row.getText(3));
    user.status = workflow::statusFromName(row.getText(4)).value_or(UserStatus::Suspended);
    user.createdAt = parseTime(row.getText(5)).value_or(TimePoint{});
    user.createdBy = row.getOptionalInt(6);
    user.approvedBy = row.getOptionalInt(7);
    user.approvedAt = parseTime(row.getOptionalText(8));
    user.trainingCompletedAt = parseTime(row.getOptionalText(9));
    user.trainingSignedOffBy = row.getOptionalInt(10);
    user.lastActivityAt = parseTime(row.getOptionalText(11));
    user.deactivatedAt = parseTime(row.getOptionalText(12));
    return user;
}

template <typename Value>
Result<User> loadUserBy(store::Store& store, const char* column, const Value& value) {
    auto statement = store.prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE " + column + " = ?");
    if (!statement) return statement.error();
    statement->bind(1, value);
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return makeError(ErrorCode::NotFound, "There is no such user account.");
    return readUser(*statement);
}

Error denied(const std::string& what, const char* rule) {
    return makeError(ErrorCode::PermissionDenied, "Only " + what + " may do this (SOP 302.02 " + rule + ").");
}

// The acting user as stored now (roles may have changed since sign-in), required to be active.
Result<User> actingUser(store::Transaction& tx, std::int64_t id) {
    auto user = loadUser(tx.store(), id);
    if (!user) return user.error();
    if (!user->isActive())
        return makeError(ErrorCode::AccountNotActive, "Your account is no longer active. Sign in again.");
    return user;
}

Result<User> requireAdministrator(store::Transaction& tx, std::int64_t actorId) {
    auto actor = actingUser(tx, actorId);
    if (!actor) return actor;
    if (!actor->hasRole(Role::ProgramAdministrator)) return denied("a program administrator", "VI.C.3.a");
    return actor;
}

Result<void> setStatus(store::Transaction& tx, std::int64_t userId, UserStatus status, std::string_view reason) {
    auto update = tx.prepare(
        "UPDATE users SET status = ?, status_reason = ?, "
        "deactivated_at = CASE WHEN ? = 'deactivated' THEN ? ELSE deactivated_at END WHERE id = ?");
    if (!update) return update.error();
    const std::string name(workflow::statusName(status));
    return update->bind(1, name).bind(2, reason).bind(3, name).bind(4, toIsoUtc(tx.now())).bind(5, userId).run();
}

// The store must keep at least one active program administrator, or nobody could manage accounts.
Result<void> keepAnAdministrator(store::Transaction& tx, std::int64_t losingUserId) {
    auto statement = tx.prepare("SELECT roles FROM users WHERE status = 'active' AND id != ?");
    if (!statement) return statement.error();
    statement->bind(1, losingUserId);
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        if (rolesFromText(statement->getText(0)).count(Role::ProgramAdministrator) > 0) return {};
    }
    return makeError(ErrorCode::PolicyViolation,
                     "This is the last active program administrator; make another one first (SOP 302.02 VI.C.3.a).");
}

}  // namespace

namespace detail {

Result<User> loadUserWhere(store::Store& store, const char* column, std::string_view value) {
    return loadUserBy(store, column, value);
}

Result<User> loadUserWhere(store::Store& store, const char* column, std::int64_t value) {
    return loadUserBy(store, column, value);
}

Result<std::size_t> carryOverPendingEvents(store::Transaction& tx) {
    auto events = tx.store().pendingEvents();
    if (!events) return events.error();
    for (const auto& event : *events) {
        auto user = loadUserBy(tx.store(), "username", event.username);
        const auto userId = user ? std::optional<std::int64_t>(user->id) : std::nullopt;
        FACELEAD_TRY(audit::AuditLog::append(tx, {userId, event.action, "user",
                                                  userId ? std::to_string(*userId) : std::string(),
                                                  event.detailsJson, event.username, event.at}));
    }
    return events->size();
}

Result<void> checkNewUsername(std::string_view username) {
    const bool lengthOk = username.size() >= 2 && username.size() <= 64;
    const bool charactersOk = std::all_of(username.begin(), username.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '-';
    });
    if (!lengthOk || !charactersOk)
        return makeError(ErrorCode::InvalidArgument,
                         "A user name has 2 to 64 letters, digits, dots, dashes or underscores.");
    return {};
}

}  // namespace detail

Result<User> loadUser(store::Store& store, std::int64_t userId) { return loadUserBy(store, "id", userId); }

Result<User> AccountService::addUser(const NewUser& newUser, std::string_view initialPassword) {
    FACELEAD_TRY(detail::checkNewUsername(newUser.username));
    if (newUser.displayName.empty())
        return makeError(ErrorCode::InvalidArgument, "A new account needs the person's display name.");
    if (newUser.roles.empty())
        return makeError(ErrorCode::InvalidArgument, "A new account needs at least one role.");
    FACELEAD_TRY(checkPasswordPolicy(session_.policy(), newUser.username, initialPassword));
    return session_.store().transact([&](store::Transaction& tx) -> Result<User> {
        auto actor = requireAdministrator(tx, session_.userId());
        if (!actor) return actor.error();
        auto insert = tx.prepare(
            "INSERT INTO users(username, display_name, roles, status, created_at, created_by) "
            "VALUES (?, ?, ?, 'pending_approval', ?, ?)");
        if (!insert) return insert.error();
        auto inserted = insert->bind(1, newUser.username).bind(2, newUser.displayName)
                            .bind(3, rolesToText(newUser.roles)).bind(4, toIsoUtc(tx.now()))
                            .bind(5, actor->id).run();
        if (!inserted && inserted.error().code == ErrorCode::AlreadyExists)
            return makeError(ErrorCode::AlreadyExists,
                             "There is already an account named '" + newUser.username + "'. Choose another name.");
        FACELEAD_TRY(inserted);
        const std::int64_t id = tx.lastInsertId();
        FACELEAD_TRY(audit::AuditLog::append(
            tx, {actor->id, "user.created", "user", std::to_string(id),
                 nlohmann::json{{"username", newUser.username}, {"roles", rolesToText(newUser.roles)},
                                {"status", "pending_approval"}}.dump()}));
        // Last: a failed key-file write rolls the account back.
        FACELEAD_TRY(tx.store().writeKeySlot(newUser.username, initialPassword));
        return loadUser(tx.store(), id);
    });
}

Result<User> AccountService::approve(std::int64_t userId) {
    return session_.store().transact([&](store::Transaction& tx) -> Result<User> {
        auto actor = actingUser(tx, session_.userId());
        if (!actor) return actor.error();
        if (!actor->hasRole(Role::Supervisor)) return denied("a supervisor", "VI.D.2.a");
        if (userId == actor->id)
            return makeError(ErrorCode::PermissionDenied,
                             "Nobody approves their own access; another supervisor must (SOP 302.02 VI.D.2.a).");
        auto target = loadUser(tx.store(), userId);
        if (!target) return target.error();
        if (target->status != UserStatus::PendingApproval)
            return makeError(ErrorCode::InvalidTransition, "Only an account waiting for approval can be approved.");
        auto update = tx.prepare(
            "UPDATE users SET status = 'active', approved_by = ?, approved_at = ? WHERE id = ?");
        if (!update) return update.error();
        FACELEAD_TRY(update->bind(1, actor->id).bind(2, toIsoUtc(tx.now())).bind(3, userId).run());
        FACELEAD_TRY(audit::AuditLog::append(tx, {actor->id, "user.approved", "user", std::to_string(userId),
                                                  nlohmann::json{{"username", target->username}}.dump()}));
        return loadUser(tx.store(), userId);
    });
}

Result<void> AccountService::changePassword(std::string_view currentPassword, std::string_view newPassword) {
    const std::string username = session_.user().username;
    auto keys = store::loadKeyFile(session_.store().keyFile());
    if (!keys) return keys.error();
    const store::KeySlot* slot = keys->findSlot(username);
    if (slot == nullptr) return makeError(ErrorCode::AccountNotActive, "Your account has no key slot any more.");
    if (auto current = store::unwrapDatabaseKey(*slot, currentPassword); !current)
        return makeError(ErrorCode::WrongCredentials, "The current password is wrong.");
    FACELEAD_TRY(checkPasswordPolicy(session_.policy(), username, newPassword));
    if (currentPassword == newPassword)
        return makeError(ErrorCode::PasswordTooWeak, "The new password must differ from the current one.");
    return session_.store().transact([&](store::Transaction& tx) -> Result<void> {
        auto actor = actingUser(tx, session_.userId());
        if (!actor) return actor.error();
        FACELEAD_TRY(audit::AuditLog::append(tx, {actor->id, "user.password_changed", "user",
                                                  std::to_string(actor->id)}));
        return tx.store().writeKeySlot(username, newPassword);
    });
}

Result<void> AccountService::resetPassword(std::int64_t userId, std::string_view newPassword) {
    return session_.store().transact([&](store::Transaction& tx) -> Result<void> {
        auto actor = requireAdministrator(tx, session_.userId());
        if (!actor) return actor.error();
        auto target = loadUser(tx.store(), userId);
        if (!target) return target.error();
        if (target->status == UserStatus::Deactivated)
            return makeError(ErrorCode::InvalidTransition, "A deactivated account has no password to reset.");
        FACELEAD_TRY(checkPasswordPolicy(session_.policy(), target->username, newPassword));
        FACELEAD_TRY(audit::AuditLog::append(tx, {actor->id, "user.password_reset", "user", std::to_string(userId),
                                                  nlohmann::json{{"username", target->username}}.dump()}));
        return tx.store().writeKeySlot(target->username, newPassword);  // a fresh slot: no failures, no lockout
    });
}

Result<User> AccountService::deactivate(std::int64_t userId, std::string_view reason) {
    return session_.store().transact([&](store::Transaction& tx) -> Result<User> {
        auto actor = requireAdministrator(tx, session_.userId());
        if (!actor) return actor.error();
        if (userId == actor->id)
            return makeError(ErrorCode::PermissionDenied, "Another program administrator must deactivate you.");
        auto target = loadUser(tx.store(), userId);
        if (!target) return target.error();
        if (target->status == UserStatus::Deactivated)
            return makeError(ErrorCode::InvalidTransition, "This account is already deactivated.");
        if (target->hasRole(Role::ProgramAdministrator)) FACELEAD_TRY(keepAnAdministrator(tx, userId));
        FACELEAD_TRY(setStatus(tx, userId, UserStatus::Deactivated, reason));
        FACELEAD_TRY(audit::AuditLog::append(
            tx, {actor->id, "user.deactivated", "user", std::to_string(userId),
                 nlohmann::json{{"username", target->username}, {"reason", reason}}.dump()}));
        FACELEAD_TRY(tx.store().removeKeySlot(target->username));
        return loadUser(tx.store(), userId);
    });
}

Result<User> AccountService::suspend(std::int64_t userId, std::string_view reason) {
    return session_.store().transact([&](store::Transaction& tx) -> Result<User> {
        auto actor = requireAdministrator(tx, session_.userId());
        if (!actor) return actor.error();
        if (userId == actor->id)
            return makeError(ErrorCode::PermissionDenied, "Another program administrator must suspend you.");
        auto target = loadUser(tx.store(), userId);
        if (!target) return target.error();
        if (target->status != UserStatus::Active && target->status != UserStatus::PendingApproval)
            return makeError(ErrorCode::InvalidTransition, "Only an active or pending account can be suspended.");
        if (target->hasRole(Role::ProgramAdministrator)) FACELEAD_TRY(keepAnAdministrator(tx, userId));
        FACELEAD_TRY(setStatus(tx, userId, UserStatus::Suspended, reason));
        FACELEAD_TRY(audit::AuditLog::append(
            tx, {actor->id, "user.suspended", "user", std::to_string(userId),
                 nlohmann::json{{"username", target->username}, {"reason", reason}}.dump()}));
        return loadUser(tx.store(), userId);
    });
}

Result<User> AccountService::reactivate(std::int64_t userId) {
    return session_.store().transact([&](store::Transaction& tx) -> Result<User> {
        auto actor = requireAdministrator(tx, session_.userId());
        if (!actor) return actor.error();
        auto target = loadUser(tx.store(), userId);
        if (!target) return target.error();
        if (target->status != UserStatus::Suspended)
            return makeError(ErrorCode::InvalidTransition, "Only a suspended account can be reactivated.");
        // Never approved: back to waiting for a supervisor, not straight to active (VI.D.2.a).
        const UserStatus next = target->approvedAt ? UserStatus::Active : UserStatus::PendingApproval;
        FACELEAD_TRY(setStatus(tx, userId, next, ""));
        FACELEAD_TRY(audit::AuditLog::append(
            tx, {actor->id, "user.reactivated", "user", std::to_string(userId),
                 nlohmann::json{{"username", target->username}, {"status", workflow::statusName(next)}}.dump()}));
        return loadUser(tx.store(), userId);
    });
}

Result<User> AccountService::setRoles(std::int64_t userId, const workflow::RoleSet& roles) {
    if (roles.empty()) return makeError(ErrorCode::InvalidArgument, "An account needs at least one role.");
    return session_.store().transact([&](store::Transaction& tx) -> Result<User> {
        auto actor = requireAdministrator(tx, session_.userId());
        if (!actor) return actor.error();
        auto target = loadUser(tx.store(), userId);
        if (!target) return target.error();
        if (target->hasRole(Role::ProgramAdministrator) && roles.count(Role::ProgramAdministrator) == 0 &&
            target->isActive())
            FACELEAD_TRY(keepAnAdministrator(tx, userId));
        auto update = tx.prepare("UPDATE users SET roles = ? WHERE id = ?");
        if (!update) return update.error();
        FACELEAD_TRY(update->bind(1, rolesToText(roles)).bind(2, userId).run());
        FACELEAD_TRY(audit::AuditLog::append(
            tx, {actor->id, "user.roles_changed", "user", std::to_string(userId),
                 nlohmann::json{{"username", target->username}, {"from", rolesToText(target->roles)},
                                {"to", rolesToText(roles)}}.dump()}));
        return loadUser(tx.store(), userId);
    });
}

Result<User> AccountService::recordTraining(std::int64_t userId, TimePoint completedAt) {
    return session_.store().transact([&](store::Transaction& tx) -> Result<User> {
        auto actor = actingUser(tx, session_.userId());
        if (!actor) return actor.error();
        if (!actor->hasRole(Role::Trainer) && !actor->hasRole(Role::ProgramAdministrator))
            return denied("a trainer or a program administrator", "VI.D.2.b");
        if (userId == actor->id)
            return makeError(ErrorCode::PermissionDenied, "Nobody signs off their own training (SOP 302.02 VI.D.2.b).");
        auto target = loadUser(tx.store(), userId);
        if (!target) return target.error();
        if (completedAt > tx.now())
            return makeError(ErrorCode::InvalidArgument, "Training cannot be completed in the future.");
        auto update = tx.prepare("UPDATE users SET training_completed_at = ?, training_signed_off_by = ? WHERE id = ?");
        if (!update) return update.error();
        FACELEAD_TRY(update->bind(1, toIsoUtc(completedAt)).bind(2, actor->id).bind(3, userId).run());
        FACELEAD_TRY(audit::AuditLog::append(
            tx, {actor->id, "user.training_recorded", "user", std::to_string(userId),
                 nlohmann::json{{"username", target->username}, {"completed_at", toIsoUtc(completedAt)}}.dump()}));
        return loadUser(tx.store(), userId);
    });
}

Result<std::vector<User>> AccountService::list() {
    auto statement = session_.store().prepare(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY username");
    if (!statement) return statement.error();
    std::vector<User> users;
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        users.push_back(readUser(*statement));
    }
    return users;
}

Result<User> AccountService::find(std::int64_t userId) { return loadUser(session_.store(), userId); }

Result<User> AccountService::findByUsername(std::string_view username) {
    return loadUserBy(session_.store(), "username", username);
}

Result<void> AccountService::touchActivity() {
    return session_.store().transact([&](store::Transaction& tx) -> Result<void> {
        auto update = tx.prepare("UPDATE users SET last_activity_at = ? WHERE id = ?");
        if (!update) return update.error();
        return update->bind(1, toIsoUtc(tx.now())).bind(2, session_.userId()).run();
    });
}

}  // namespace facelead::accounts
