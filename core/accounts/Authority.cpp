#include "core/accounts/Authority.h"

#include <nlohmann/json.hpp>

#include "core/accounts/AccountService.h"
#include "core/audit/AuditLog.h"

namespace facelead::accounts {

bool isRefusal(const Error& error) {
    switch (error.code) {
    case ErrorCode::PermissionDenied:
    case ErrorCode::AccountNotActive:
    case ErrorCode::TrainingRequired:
    case ErrorCode::PasswordChangeRequired:
    case ErrorCode::PolicyViolation:  // a rule of the SOP refused the request: an attempt, audited (VI.C.2)
        return true;
    default:
        return false;
    }
}

Result<User> currentUser(Session& session, bool refuseWhilePasswordChangeIsDue) {
    auto stored = loadUser(session.store(), session.userId());
    if (!stored) return stored.error();
    auto user = session.withSignedGrants(std::move(*stored));
    if (!user) return user.error();
    if (!user->isActive()) {
        return makeError(ErrorCode::AccountNotActive,
                         "Your account is " + std::string(workflow::statusName(user->status)) +
                             "; ask a program administrator (SOP 302.02 VI.D.2, VI.C.2 NOTE).");
    }
    if (refuseWhilePasswordChangeIsDue && session.mustChangePassword()) {
        return makeError(ErrorCode::PasswordChangeRequired,
                         "Your password was set by an administrator: choose your own password first "
                         "(facelead-cli user passwd, or the workstation's change-password prompt).");
    }
    return user;
}

Result<User> authorize(Session& session, workflow::Action action) {
    auto user = currentUser(session);
    if (!user) return user.error();
    FACELEAD_TRY(workflow::requireRole(user->roles, action));
    return user;
}

Result<void> recordRefusal(Session& session, std::string_view what, const Error& why) {
    const nlohmann::json details{
        {"action", what}, {"code", errorCodeName(why.code)}, {"reason", why.message}};
    auto recorded = session.store().transact([&](store::Transaction& tx) {
        return audit::AuditLog::append(
            tx, {session.userId(), "access.refused", "user", std::to_string(session.userId()), details.dump()});
    });
    if (!recorded) return recorded.error();
    return {};
}

}  // namespace facelead::accounts
