// AuditLog::verify: walks the chain once, replaying what it says about the accounts (keys, roles, status)
// so that each entry is checked against the authority its signer had at that moment, then compares the
// replayed accounts with the users table. The threat model: docs/SECURITY.md.

#include <sodium.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/audit/AuditLog.h"
#include "core/audit/detail/Entries.h"
#include "core/common/Hash.h"

namespace facelead::audit {
namespace {

constexpr const char* kAdministrator = "program_administrator";
constexpr const char* kSupervisor = "supervisor";

// Events recorded before anyone could sign them (failed sign-ins kept in the key file) are signed by
// whoever opens the store next; the entry names the person they are about, the signer who carried them.
const std::set<std::string> kCarriedOverActions = {"signin.failed", "signin.refused_locked",
                                                   "signin.refused_not_active", "account.locked"};
// Changes only a program administrator may sign: account changes (SOP 302.02 VI.C.3.a) and taking a subject
// out of the gallery (workflow::Action::ManageGallery, Gallery::removeSubject).
const std::set<std::string> kAdministratorActions = {"user.created",   "user.deactivated", "user.password_reset",
                                                     "user.suspended", "user.reactivated", "gallery.subject_removed"};

std::set<std::string> roleSet(const std::string& text) {
    std::set<std::string> roles;
    std::stringstream stream(text);
    std::string role;
    while (std::getline(stream, role, ','))
        if (!role.empty()) roles.insert(role);
    return roles;
}

std::string joined(const std::set<std::string>& roles) {
    std::string text;
    for (const auto& role : roles) text += (text.empty() ? "" : ",") + role;
    return text.empty() ? "(none)" : text;
}

struct Account {
    std::set<std::string> roles;
    std::string status;
    std::string publicKey;
};

bool signatureHolds(const AuditEntry& entry) {
    std::vector<std::uint8_t> key;
    std::vector<std::uint8_t> signature;
    if (!fromHex(entry.signerKey, key) || key.size() != crypto_sign_PUBLICKEYBYTES) return false;
    if (!fromHex(entry.signature, signature) || signature.size() != crypto_sign_BYTES) return false;
    const std::string message = AuditLog::kSignaturePrefix + entry.hash;
    return crypto_sign_verify_detached(signature.data(),
                                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                       key.data()) == 0;
}

class Replay {
public:
    // "" when the entry holds; otherwise what is wrong with it.
    std::string check(const AuditEntry& entry, const nlohmann::json& details) {
        if (entry.signer.empty()) {
            if (signedSeen_) return "it is not signed (every entry after the first signed one must be)";
            return {};
        }
        if (!signatureHolds(entry))
            return "its signature does not match its contents (it was changed, or the chain was re-hashed, "
                   "after " +
                   entry.signer + " signed it)";
        Account& signer = accounts_[entry.signer];
        const bool selfDeclared = entry.action == AuditLog::kKeyCertified &&
                                  details.value("username", "") == entry.signer &&
                                  details.value("public_key", "") == entry.signerKey;
        if (signer.publicKey.empty()) {
            // The root: the first signed entry opening a new store; or an account from before signatures
            // declaring its own key at its first sign-in after the upgrade (trust on first use).
            const bool root = !signedSeen_ && entry.action == "store.created";
            if (!root && !selfDeclared)
                return "it is signed by " + entry.signer + " with a key nobody certified";
            signer.publicKey = entry.signerKey;
        } else if (signer.publicKey != entry.signerKey) {
            return "it is signed with a key that is not " + entry.signer + "'s certified key";
        }
        const bool systemEvent = entry.username == "system";
        if (!systemEvent && entry.username != entry.signer && kCarriedOverActions.count(entry.action) == 0)
            return "it is written in the name of " + entry.username + " but signed by " + entry.signer;
        if (!systemEvent) {
            const bool recovery = entry.signer == store::Store::kRecoverySigner;
            const bool administrator = signer.roles.count(kAdministrator) > 0;
            if (kAdministratorActions.count(entry.action) > 0 && !administrator)
                return entry.signer + " was not a program administrator when signing this " + entry.action;
            if (entry.action == AuditLog::kKeyCertified && !administrator && !recovery && !selfDeclared)
                return entry.signer + " certified a key without being a program administrator";
            // A role change is applied by a second person: a program administrator or a supervisor.
            if (entry.action == "user.roles_changed" && !administrator && signer.roles.count(kSupervisor) == 0)
                return entry.signer + " was neither a program administrator nor a supervisor when signing this " +
                       entry.action;
            if (entry.action == "user.approved" && signer.roles.count(kSupervisor) == 0)
                return entry.signer + " was not a supervisor when approving an account";
        }
        if (entry.action == "user.approved" && details.contains("public_key") &&
            details.value("public_key", "") != accounts_[details.value("username", "")].publicKey)
            return "it approves a key that is not the account's certified key";
        signedSeen_ = true;
        return {};
    }

    void apply(const AuditEntry& entry, const nlohmann::json& details) {
        const std::string name = details.value("username", "");
        if (name.empty()) return;
        Account& account = accounts_[name];
        const std::string& action = entry.action;
        if (action == "user.created") {
            account.roles = roleSet(details.value("roles", ""));
            account.status = details.value("status", "pending_approval");
        } else if (action == "user.roles_changed") {
            account.roles = roleSet(details.value("to", ""));
        } else if (action == "user.approved") {
            account.status = "active";
        } else if (action == "user.deactivated" || action == "user.deactivated_inactive") {
            account.status = "deactivated";
        } else if (action == "user.suspended") {
            account.status = "suspended";
        } else if (action == "user.reactivated") {
            account.status = details.value("status", "active");
        } else if (action == AuditLog::kKeyCertified) {
            account.publicKey = details.value("public_key", "");
        }
        if (!account.status.empty()) known_.insert(name);
    }

    // The users table against the replayed accounts.
    Result<std::vector<std::string>> compareWithUsers(store::Store& store) const {
        std::vector<std::string> problems;
        auto users = store.prepare("SELECT username, roles, status FROM users ORDER BY id");
        if (!users) return users.error();
        while (true) {
            auto row = users->step();
            if (!row) return row.error();
            if (!*row) break;
            const std::string name = users->getText(0);
            const auto roles = roleSet(users->getText(1));
            const std::string status = users->getText(2);
            if (known_.count(name) == 0) {
                if (bornSigned_)
                    problems.push_back("The account " + name +
                                       " exists in the store but no signed entry created it.");
                continue;
            }
            const Account& logged = accounts_.at(name);
            if (roles != logged.roles)
                problems.push_back("The account " + name + " has the roles " + joined(roles) +
                                   " in the store, but the signed audit log grants " + joined(logged.roles) +
                                   ".");
            if (status != logged.status)
                problems.push_back("The account " + name + " is " + status +
                                   " in the store, but the signed audit log says " + logged.status + ".");
        }
        return problems;
    }

    void noteFirstEntry(const AuditEntry& entry, const nlohmann::json& details) {
        bornSigned_ = !entry.signer.empty();
        if (entry.action == "store.created") createdStoreId_ = details.value("store_id", "");
    }
    const std::string& createdStoreId() const { return createdStoreId_; }

private:
    std::map<std::string, Account> accounts_;
    std::set<std::string> known_;  // accounts whose creation the log records
    bool signedSeen_ = false;
    bool bornSigned_ = false;
    std::string createdStoreId_;  // as the signed first entry recorded it
};

std::string shortHash(const std::string& hash) { return hash.substr(0, 12); }

// What is wrong with the store's chain (hashes by seq, 1-based) given one anchored head; "" when it agrees.
std::string compareWithHead(const std::vector<std::string>& hashes, const store::AnchoredHead& head,
                            const std::string& anchorName) {
    const auto storeEnd = static_cast<std::int64_t>(hashes.size());
    if (head.seq > storeEnd)
        return "The store ends at audit entry " + std::to_string(storeEnd) + ", but " + anchorName +
               " recorded entry " + std::to_string(head.seq) + " (hash " + shortHash(head.hash) + "...) at " +
               head.at +
               ": committed entries are missing (the store was rolled back to an older copy, truncated, or "
               "lost its "
               "-wal file after a crash).";
    if (hashes[static_cast<std::size_t>(head.seq - 1)] != head.hash)
        return "Audit entry " + std::to_string(head.seq) + " differs from the one " + anchorName +
               " recorded at " + head.at + " (hash " + shortHash(head.hash) + "..., now " +
               shortHash(hashes[static_cast<std::size_t>(head.seq - 1)]) +
               "...): the entries recorded then were lost (the store was rolled back to an older copy, "
               "truncated, or "
               "lost its -wal file after a crash) or the chain was rewritten.";
    return {};
}

// Every anchored head of the store against the chain; fills the report's anchor fields.
void checkAnchors(store::Store& store, const std::vector<std::string>& hashes,
                  const std::string& createdStoreId, VerifyReport& report) {
    if (!createdStoreId.empty() && createdStoreId != store.storeId()) {
        report.anchorProblems.push_back("The store's id was changed (the signed first entry says " +
                                        createdStoreId + ", the store says " +
                                        (store.storeId().empty() ? "nothing valid" : store.storeId()) +
                                        "): its anchors are hidden.");
        return;
    }
    if (store.storeId().empty()) {
        report.anchorNote = "The store has no valid id, so its chain is not anchored.";
        return;
    }
    auto heads = store.anchor().heads(store.storeId());
    if (!heads) {
        report.anchorNote = heads.error().message;
        return;
    }
    if (heads->empty()) {
        report.anchorNote = "No anchor for this store was found in " + store.anchor().describe() + ".";
        return;
    }
    report.anchorsChecked = heads->size();
    std::set<std::string> seen;
    for (const auto& head : *heads) {
        auto problem = compareWithHead(hashes, head, store.anchor().describe());
        if (!problem.empty() && seen.insert(problem).second)
            report.anchorProblems.push_back(std::move(problem));
    }
}

}  // namespace

std::string VerifyReport::describe() const {
    std::string text = firstBrokenSeq ? problem : std::string();
    for (const auto& account : accountProblems) text += (text.empty() ? "" : "\n") + account;
    for (const auto& anchor : anchorProblems) text += (text.empty() ? "" : "\n") + anchor;
    return text;
}

Result<VerifyReport> AuditLog::verify(store::Store& store) {
    if (sodium_init() < 0) return makeError(ErrorCode::Internal, "The cryptography library failed to start.");
    auto statement =
        store.prepare(std::string("SELECT ") + detail::kColumns + " FROM audit_log ORDER BY seq");
    if (!statement) return statement.error();
    VerifyReport report;
    Replay replay;
    std::vector<std::string> hashes;
    std::string previousHash = kGenesisHash;
    std::int64_t expectedSeq = 1;
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        const AuditEntry entry = detail::readEntry(*statement);
        ++report.entriesChecked;
        if (entry.signer.empty()) ++report.unsignedEntries;
        const auto parsed = nlohmann::json::parse(entry.detailsJson, nullptr, false);
        const nlohmann::json details = parsed.is_object() ? parsed : nlohmann::json::object();
        if (expectedSeq == 1) replay.noteFirstEntry(entry, details);
        std::string problem;
        if (entry.seq != expectedSeq)
            problem =
                "entries are missing before this one (expected sequence " + std::to_string(expectedSeq) + ")";
        else if (entry.prevHash != previousHash)
            problem =
                "its link to the previous entry does not match (an entry before it was changed or removed)";
        else if (computeHash(entry) != entry.hash)
            problem = "its contents do not match its hash (the entry was changed)";
        else
            problem = replay.check(entry, details);
        if (!problem.empty() && !report.firstBrokenSeq) {
            report.firstBrokenSeq = entry.seq;
            report.problem =
                "Audit entry " + std::to_string(entry.seq) + " (" + entry.action + "): " + problem + ".";
        }
        // After the first break the walk goes on only to collect the hashes the anchors are checked against.
        if (!report.firstBrokenSeq) replay.apply(entry, details);
        hashes.push_back(entry.hash);
        previousHash = entry.hash;
        expectedSeq = entry.seq + 1;
    }
    if (!report.firstBrokenSeq) {
        auto accounts = replay.compareWithUsers(store);
        if (!accounts) return accounts.error();
        report.accountProblems = std::move(*accounts);
    }
    checkAnchors(store, hashes, replay.createdStoreId(), report);
    return report;
}

Result<std::string> AuditLog::checkLatestAnchor(store::Store& store) {
    if (store.storeId().empty()) return std::string();
    auto heads = store.anchor().heads(store.storeId());
    if (!heads || heads->empty()) return std::string();  // nothing to check against: `audit verify` says so
    const auto highest = std::max_element(heads->begin(), heads->end(),
                                          [](const auto& a, const auto& b) { return a.seq < b.seq; });
    auto statement =
        store.prepare("SELECT seq, hash FROM audit_log WHERE seq IN (?, (SELECT max(seq) FROM audit_log))");
    if (!statement) return statement.error();
    statement->bind(1, highest->seq);
    std::int64_t storeEnd = 0;
    std::string hashAtHead;
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        storeEnd = std::max(storeEnd, statement->getInt(0));
        if (statement->getInt(0) == highest->seq) hashAtHead = statement->getText(1);
    }
    // Only the anchored entry's hash matters; the others stand in for "present".
    std::vector<std::string> hashes(static_cast<std::size_t>(std::max(storeEnd, std::int64_t(0))));
    if (highest->seq <= storeEnd) hashes[static_cast<std::size_t>(highest->seq - 1)] = hashAtHead;
    return compareWithHead(hashes, *highest, store.anchor().describe());
}

}  // namespace facelead::audit
