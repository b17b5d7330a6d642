#pragma once
// After a password another account set (a new account's, a reset's), its owner's own password change makes a key
// that a supervisor who did not set the password approves, with the fingerprint the owner shows them in person
// (trial 63 F2; core/accounts/KeyApproval.h). In tests the owner's session shows it and the approver types it.

#include "core/accounts/AccountService.h"
#include "core/accounts/Session.h"
#include "core/common/Result.h"

namespace facelead::test {

inline Result<accounts::User> approveOwnKey(accounts::Session& approver, accounts::Session& owner) {
    auto fingerprint = accounts::AccountService(owner).ownKeyAwaitingApproval();
    if (!fingerprint) return fingerprint.error();
    if (!*fingerprint) return makeError(ErrorCode::InvalidTransition, owner.user().username + "'s key awaits no approval");
    return accounts::AccountService(approver).approveKey(owner.userId(), **fingerprint);
}

}  // namespace facelead::test
