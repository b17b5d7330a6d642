#pragma once
// The way back after the signed log's account entries were damaged (audit::AccountLedger::take: an entry
// changed after signing, or deleted, renamed or slipped in between). Nobody can tell whose roles or status
// the damage touched, so FaceLead refuses every change (accounts::authorize) until the holder of the recovery
// key - the one secret the agency keeps apart from every account (VI.D.2) - has reviewed `audit verify` and
// signs every account's roles, status and key as they should stand ("accounts.reaffirmed", obeyed only from
// the recovery slot). The accounts proposed are those the signed log replays; the holder suspends any whose
// damaged entry they cannot answer for, and a program administrator and a second person then restore those
// through the ordinary two-person steps. Trial 12A: one changed byte in the founder's entry bricked the store.
//
// Threading: opens its own store handle; call it from one thread.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/accounts/Session.h"
#include "core/audit/AccountLedger.h"
#include "core/common/Clock.h"
#include "core/common/Result.h"

namespace facelead::accounts {

struct ReaffirmationRequest {
    std::vector<std::string> suspend;  // accounts the holder does not vouch for: suspended with no roles
    // Accounts the holder takes as the signed entries in the store grant them, setting aside what a head anchored
    // outside the store recorded (audit::AccountLedger::expectLostAnchors): a forged anchor record can only take
    // away, and the holder, who has read audit verify, judges it (trial 15A).
    std::vector<std::string> asSigned;
    std::string reason;                // why, for the record (e.g. the ticket of the review)
    bool confirm = false;              // false: only show what would be signed
};

struct ReaffirmedAccount {
    std::string username;
    std::string roles;   // role names, comma-separated; "" for none
    std::string status;  // workflow::statusName
    bool approved = false;
    bool trained = false;
    std::string note;  // why it is proposed otherwise than replayed ("" when it is not)
};

struct DamagedAccountEntry {
    audit::DamagedEntry entry;
    std::string readsNow;  // its details as they read now (compact JSON): what the holder has to judge
    // Who it says signed it, as it reads now: its details are that signer's words, not those of the people they
    // name (trial 81 F4: "approved by: sup" in an entry an investigator wrote and signed). "" for a lost head.
    std::string signer;
};

struct Reaffirmation {
    std::vector<DamagedAccountEntry> damage;   // the damaged account entries it answers for
    std::vector<ReaffirmedAccount> accounts;  // in user-name order
    bool signedNow = false;                    // false when only proposed (request.confirm false)
};

// Opens the store with the recovery key and re-affirms the accounts. InvalidArgument when the reason is
// missing or nothing is held back, and when a confirmed re-affirmation would leave no active program
// administrator (nobody could administer or audit the store again: trial 15A); NotFound when a name to suspend
// or take as signed is no account; WrongCredentials for a wrong recovery key.
Result<Reaffirmation> reaffirmAccounts(const std::filesystem::path& path, std::string_view recoveryKey,
                                       const ReaffirmationRequest& request, std::shared_ptr<const Clock> clock,
                                       const SecurityPolicy& policy = {});

}  // namespace facelead::accounts
