#pragma once
// The lockout after repeated failed sign-ins, as the signed audit log records it (trial 60 F5). The key file
// counts failures and holds the lock's end, because a failed sign-in cannot write the store; but the key file is
// the desktop user's to edit, so a lock cleared there outside FaceLead (an insider letting himself, or a colleague's
// password guesser, in again at once) is not the end of it: once the lock's "account.locked" entry is in the log
// (carried over from the key file by the next sign-in, or written by a wrong second-factor code), it holds until
// its end unless a program administrator reset the password or the recovery key recovered the account after it.
// The carried-over queue itself can still be emptied before anyone carries it (docs/SECURITY.md).
//
// Thread-safety: as the Store given.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/common/Clock.h"
#include "core/common/Result.h"
#include "core/store/Store.h"

namespace facelead::accounts {

// The end (ISO 8601 UTC) of a lockout of account `userId` that the signed log holds and that has not ended at
// `now`; nullopt when there is none.
Result<std::optional<std::string>> lockedUntilAsSigned(store::Store& store, std::int64_t userId, TimePoint now);

// For audit verify: one sentence per sign-in that succeeded inside a lockout the signed log recorded.
Result<std::vector<std::string>> signInsWhileLocked(store::Store& store);

}  // namespace facelead::accounts
