#pragma once
// The fingerprint a person reads to the supervisor who approves their own key (AccountService::approveKey;
// audit::AccountLedger::KeyStanding): after a password another account chose (a new account's initial password,
// a reset), the owner's first change makes a key of their own, but whoever knew that password could have made it
// first in their place (trial 63 F2). Only the owner, in person, can show which key is theirs.
//
// The fingerprint: the first 80 bits of SHA-256 over the Ed25519 public key, as 20 upper-case hex digits in five
// groups of four ("3F9A 12C0 77BD E041 9C2A"): short enough to read aloud, and no one can make a second key with
// the same fingerprint in the time an approval waits (2^80 tries). Thread-safe (pure functions).

#include <string>
#include <string_view>

#include "core/audit/AccountLedger.h"
#include "core/common/Result.h"

namespace facelead::accounts {

// "" when publicKeyHex is not hex.
std::string keyFingerprint(std::string_view publicKeyHex);
// Whether the typed text names this key's fingerprint: every one of its 20 hex digits, in order; spaces, dashes
// and case are ignored.
bool fingerprintMatches(std::string_view typed, std::string_view publicKeyHex);
// Whether the account's key is one its owner made (a password change, a recovery) that waits for a supervisor's
// approval: what refuses their sign-in and session, and what approveKey approves. A key another account made
// (before the owner's own change) is not: it waits for that change first.
bool ownKeyAwaitsApproval(const audit::AccountLedger& ledger, const std::string& username);
// Whether the key this store has for the account was replaced in audit entries it no longer holds (a reset or a
// password change lost with a rollback, anchored outside the store: AccountLedger::keysReplacedByAnchor): it signs
// nothing until a program administrator resets the password. What refuses the sign-in and flags the account's row.
bool keyReplacedInLostEntries(const audit::AccountLedger& ledger, const std::string& username);
// AccountNotActive, for the owner of a key that waits for a supervisor's approval: what to do, with the fingerprint.
Error keyAwaitsApproval(std::string_view username, std::string_view publicKeyHex);

}  // namespace facelead::accounts
