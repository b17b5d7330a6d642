#include "core/accounts/Authority.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/accounts/AccountService.h"
#include "core/accounts/KeyApproval.h"
#include "core/accounts/UserRows.h"
#include "core/audit/AuditLog.h"

namespace facelead::accounts {

bool isRefusal(const Error& error) {
    switch (error.code) {
    case ErrorCode::PermissionDenied:
    case ErrorCode::AccountNotActive:
    case ErrorCode::TrainingRequired:
    case ErrorCode::PasswordChangeRequired:
    case ErrorCode::PolicyViolation:  // a rule of the SOP refused the request: an attempt, audited (VI.C.2)
    case ErrorCode::ApprovalRequired:  // a search the rule pack holds for a supervisor's approval: an attempt too
    case ErrorCode::SeatLimitReached:  // the agency's licence seats refused an approval: an attempt too
    case ErrorCode::AuditChainBroken:  // refused while the accounts are held back (accountsHeldBackMessage)
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
    // Its sign-in is refused (Session.cpp); this session made the key itself, by the change just done.
    if (refuseWhilePasswordChangeIsDue && ownKeyAwaitsApproval(session.ledger(), user->username))
        return keyAwaitsApproval(user->username, session.store().signerPublicKey());
    return user;
}

std::string accountsHeldBackMessage(const audit::AccountLedger& ledger) {
    const std::string reason = ledger.heldBackReason();
    if (reason.empty()) return {};
    // A store put back to an older copy is told as such, not as tampering (trial 65 F3).
    const bool rolledBack = std::ranges::all_of(ledger.unansweredDamage(), [](const audit::DamagedEntry& damaged) {
        return damaged.action == audit::AccountLedger::kLostAnchoredHead;
    });
    return (rolledBack ? "The store holds older account states than the anchor outside it recorded (" + reason +
                             "): it was put back to an older copy (a backup restored), truncated, or lost its -wal."
                       : "The signed audit log's account entries were damaged after signing (" + reason + ").") +
           " Nobody can tell whose roles or status that touched, so FaceLead refuses every change until the "
           "holder of the recovery key has reviewed `facelead-cli audit verify` and re-affirmed every account "
           "(`facelead-cli store reaffirm`; SOP 302.02 VI.C.2-3). Reading what a role opens (case files, work lists, "
           "search approvals) waits too, as a stolen role could read it; the audit log, the user list and the store "
           "check stay open for examining the damage.";
}

namespace {

// What stays open while the accounts are held back: examining the damage.
bool examinesTheDamage(workflow::Action action) {
    return action == workflow::Action::RunAudit || action == workflow::Action::ListUsers ||
           action == workflow::Action::CheckStore;
}

}  // namespace

Result<User> authorize(Session& session, workflow::Action action) {
    auto user = currentUser(session);
    if (!user) return user.error();
    FACELEAD_TRY(workflow::requireRole(user->roles, action));
    if (!examinesTheDamage(action))
        if (const auto heldBack = accountsHeldBackMessage(session.ledger()); !heldBack.empty())
            return makeError(ErrorCode::AuditChainBroken, heldBack);
    return user;
}

Result<void> recordRefusal(Session& session, std::string_view what, const Error& why,
                           std::optional<std::int64_t> targetUserId, std::string_view asked) {
    nlohmann::json details{{"action", what}, {"code", errorCodeName(why.code)}, {"reason", why.message}};
    if (!asked.empty()) details["asked"] = asked;
    if (targetUserId) {
        // An unknown id is recorded as given: the attempt is the fact, whether or not the account exists.
        if (auto target = loadUser(session.store(), *targetUserId)) details["username"] = target->username;
    }
    const std::string objectId = std::to_string(targetUserId.value_or(session.userId()));
    auto recorded = session.store().transact([&](store::Transaction& tx) {
        return audit::AuditLog::append(tx, {session.userId(), "access.refused", "user", objectId, details.dump()});
    });
    if (recorded) return {};
    if (recorded.error().code != ErrorCode::AccountNotActive) return recorded.error();
    // The account signs nothing more (deactivated, or its key replaced, while this session was open: trial 71 F4):
    // like its forced sign-out, the attempt waits in the key file, in FaceLead's own words only (it is in clear),
    // and the next sign-in carries it into the log.
    return detail::queueForNextSignIn(session.store(), "access.refused",
                                      nlohmann::json{{"reason", detail::kNoLongerAdmitted}}.dump());
}

}  // namespace facelead::accounts
