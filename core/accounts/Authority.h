#pragma once
// Who may do what, asked of the core for the signed-in session (issue 8: one home for each rule).
//
// Every facade starts with authorize(session, action): the acting user is re-read from the store (roles,
// status and a pending password change may have changed since sign-in), given the roles and status the
// signed audit log grants (Session::withSignedGrants: a users table rewritten outside FaceLead grants
// nothing) and checked against the role table
// of workflow/Access. A refusal is a typed error (PermissionDenied, AccountNotActive, TrainingRequired,
// PasswordChangeRequired) and is recorded in the audit log as "access.refused" with who, what and why
// (SOP 302.02 VI.C.2: audits of use include attempts). The refused action's own transaction rolls back,
// so the refusal is written afterwards, in its own committed transaction, by refusalsAudited().
//
// Threading: like the Session, used from one thread at a time.

#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "core/accounts/Session.h"
#include "core/accounts/User.h"
#include "core/common/Result.h"
#include "core/workflow/Access.h"

namespace facelead::accounts {

// PermissionDenied, AccountNotActive, TrainingRequired, PasswordChangeRequired, PolicyViolation,
// SeatLimitReached: the answers that refuse a person or what they asked under the SOP or the agency's settings
// (as opposed to bad input or a store failure).
bool isRefusal(const Error& error);

// The signed-in user as the store knows them now, active. PasswordChangeRequired while an administrator's
// password has not been changed (use currentUser(session, false) for the change itself).
Result<User> currentUser(Session& session, bool refuseWhilePasswordChangeIsDue = true);
// currentUser, then the role table: PermissionDenied naming the action and the roles that may do it.
// While the signed log's account entries are damaged (audit::AccountLedger::accountsHeldBack) nobody may do
// anything but examine it (RunAudit, ListUsers, CheckStore): AuditChainBroken, accountsHeldBackMessage.
Result<User> authorize(Session& session, workflow::Action action);
// What everyone is told while the accounts are held back ("" when they are not): the damaged entry and the
// way out (the recovery key's re-affirmation, accounts::reaffirmAccounts).
std::string accountsHeldBackMessage(const audit::AccountLedger& ledger);

// Appends "access.refused" {action: what, code, reason} by the signed-in user, in its own transaction. Its
// object is the account the refused action was aimed at (targetUserId: object "user" <id>, and its user name
// in details "username", so the entry names whose access someone tried to change: trial 9), else the
// signed-in user. Call it only outside a transaction (inside one it would roll back with the refused change).
// asked: what was asked for, when the action names it (e.g. the roles requested), in details "asked".
Result<void> recordRefusal(Session& session, std::string_view what, const Error& why,
                           std::optional<std::int64_t> targetUserId = std::nullopt, std::string_view asked = {});

// Runs fn() (returning Result<T>); when it is refused, records the refusal (recordRefusal, naming
// targetUserId) once the store is outside any transaction. Nested calls record once (the outermost). Returns
// fn's result unchanged.
template <typename Fn>
auto refusalsAudited(Session& session, std::string_view what, std::optional<std::int64_t> targetUserId,
                     std::string_view asked, Fn&& fn) -> std::invoke_result_t<Fn&> {
    const bool outermost = session.enterRefusalScope();
    auto result = fn();
    session.leaveRefusalScope();
    if (!result && outermost && !session.store().inTransaction() && isRefusal(result.error())) {
        if (auto recorded = recordRefusal(session, what, result.error(), targetUserId, asked); !recorded)
            return recorded.error();
    }
    return result;
}

template <typename Fn>
auto refusalsAudited(Session& session, std::string_view what, std::optional<std::int64_t> targetUserId, Fn&& fn)
    -> std::invoke_result_t<Fn&> {
    return refusalsAudited(session, what, targetUserId, {}, std::forward<Fn>(fn));
}

// The same for an action aimed at no account (a search, an export...): the refusal's object is the actor.
template <typename Fn>
auto refusalsAudited(Session& session, std::string_view what, Fn&& fn) -> std::invoke_result_t<Fn&> {
    return refusalsAudited(session, what, std::nullopt, std::forward<Fn>(fn));
}

}  // namespace facelead::accounts
