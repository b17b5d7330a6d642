#pragma once
// What the signed audit log says about each account: its roles, status and certified key, replayed from
// the account entries (created, approved, roles changed, deactivated, training signed off, key certified, ...) with each entry's
// hash, signature and its signer's authority at that moment checked. The users table is only a copy of
// this: an insider holding the database key can rewrite the table but not sign a grant as a program
// administrator or supervisor, so the core acts on the ledger (issue 8; docs/SECURITY.md).
//
// Used twice, with one rule (take()): AuditLog::verify feeds it every entry of the chain in order; a signed-in
// Session catches it up with catchUp() before each decision (only the account entries appended since it last
// looked are read).
//
// Threading: none; one ledger per session, used from the session's thread.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/audit/AuditLog.h"
#include "core/common/Result.h"
#include "core/store/Store.h"

namespace facelead::audit {

// An account entry whose contents no longer match its hash or signature: changed after it was signed.
struct ChangedEntry {
    std::int64_t seq = 0;
    std::string action;
    std::string username;  // the account it names now (the change may have rewritten this too); "" for none
};

struct SignedAccount {
    std::set<std::string> roles;  // role names (workflow::roleName)
    std::string status;           // workflow::statusName; "" until the log creates the account
    std::string publicKey;        // hex, "" until certified
    std::string approvedAt;       // ISO 8601 UTC of the supervisor's approval (or an account created active); ""
    std::string trainingCompletedAt;  // ISO 8601 UTC of the latest training sign-off by a trainer; "" before
};

class AccountLedger {
public:
    // Reads the account entries after the last one it read (all of them the first time) and takes each.
    Result<void> catchUp(store::Store& store);

    // One entry, in chain order: checks its hash, its signature and its signer's authority at that moment, and
    // applies it when all hold; "" then, otherwise what is wrong with it. An entry that fails is not applied:
    // its grant does not count. An account entry changed after it was signed may have taken something away
    // (a role, the account itself), so skipping it would give that back (trial 11): the account it names is
    // held back instead (suspended, no roles) until a program administrator reactivates it and a second person
    // grants roles, and the entry is listed in changedEntries().
    std::string take(const AuditEntry& entry, const nlohmann::json& details);

    // The account as the signed log leaves it; nullptr when no entry created it.
    const SignedAccount* find(const std::string& username) const;
    // True when the chain was signed from its first entry (stores created with signatures): an account the
    // log never created was then added behind FaceLead's back.
    bool bornSigned() const { return bornSigned_; }

    // The account entries found changed after they were signed, in chain order.
    const std::vector<ChangedEntry>& changedEntries() const { return changedEntries_; }
    // The users table against the replayed accounts: one sentence per disagreement.
    Result<std::vector<std::string>> compareWithUsers(store::Store& store) const;
    // The first entry of the chain: whether it is signed, and the store id it recorded.
    void noteFirstEntry(const AuditEntry& entry, const nlohmann::json& details);
    const std::string& createdStoreId() const { return createdStoreId_; }
    // Heads anchored outside the store (seq, hash) that a program administrator acknowledged as not this
    // store's (AuditLog::kAnchorsAcknowledged): another copy's entries, or a restore they answer for.
    bool acknowledged(std::int64_t seq, const std::string& hash) const {
        return acknowledgedHeads_.count({seq, hash}) > 0;
    }

private:
    // The signer's authority for an entry whose hash and signature hold: "" or what is wrong.
    std::string checkAuthority(const AuditEntry& entry, const nlohmann::json& details);
    void apply(const AuditEntry& entry, const nlohmann::json& details);
    void holdBack(const AuditEntry& entry, const nlohmann::json& details);
    bool actsForNobody(const AuditEntry& entry, const nlohmann::json& details, bool selfDeclared) const;

    std::map<std::string, SignedAccount> accounts_;
    bool signedSeen_ = false;
    bool bornSigned_ = false;
    std::string createdStoreId_;  // as the signed first entry recorded it
    std::set<std::pair<std::int64_t, std::string>> acknowledgedHeads_;
    std::string rootSigner_;         // who signed the first entry: the founding account
    bool othersCreated_ = false;     // an account besides the founder's exists
    bool trainerModeStore_ = false;  // declared a trainer-mode store by its founder while alone (TrainingService)
    std::int64_t readUpTo_ = 0;   // catchUp: the last seq read
    std::vector<ChangedEntry> changedEntries_;
};

}  // namespace facelead::audit
