#pragma once
// The tamper-evident audit log (SOP 302.02 VI.C.2: audits of use; VI.B.6 investigative information).
// Append-only: triggers in the store refuse UPDATE and DELETE of audit_log rows. Each entry holds
// seq, UTC time (toIsoUtc), user id and name, action, object type and id, details (JSON), the signer and
// its public key, prev_hash and hash = SHA-256(prev_hash || canonical entry); the first entry's prev_hash
// is 64 zeros. The hash is signed (Ed25519, "facelead-audit-v1:" || hash) with the signer's key from its
// key slot, so an insider holding the database key can re-hash the chain but cannot re-sign other
// people's entries. Keys are certified in the chain itself ("key.certified", signed by a program
// administrator or the recovery slot; the first entry's key is the root) and approvals name the key they
// approve. The threat model and what is not defended: docs/SECURITY.md.
//
// append() takes a Transaction: the event commits together with the change it records, or not at all;
// the store's signer signs it.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Clock.h"
#include "core/common/Result.h"
#include "core/store/Store.h"

namespace facelead::audit {

struct AuditEntryInput {
    std::optional<std::int64_t> userId{};  // the acting user; nullopt for "system"
    std::string action{};                 // dotted verb, e.g. "case.created", "user.approved"
    std::string objectType{};             // "case", "user", "image", "store", ...
    std::string objectId{};               // the object's id as text ("" when none)
    std::string detailsJson = "{}";      // a JSON object; stored in canonical (compact, sorted) form
    // Only for events recorded before the store could be opened (failed sign-ins): the name as typed and
    // the time it happened. Normally empty: the name is looked up from userId, the time is tx.now().
    std::optional<std::string> username = std::nullopt;
    std::optional<TimePoint> at = std::nullopt;
};

struct AuditEntry {
    std::int64_t seq = 0;
    std::string at;  // toIsoUtc
    std::optional<std::int64_t> userId;
    std::string username;
    std::string action;
    std::string objectType;
    std::string objectId;
    std::string detailsJson;
    std::string signer;     // the account whose key signed the entry; "" before signatures (schema < 4)
    std::string signerKey;  // its Ed25519 public key, hex
    std::string signature;  // Ed25519 over kSignaturePrefix + hash, hex
    std::string prevHash;
    std::string hash;
};

struct AuditFilter {
    std::optional<std::int64_t> userId{};
    std::optional<std::string> action{};       // exact, or a prefix ending in '.', e.g. "signin."
    std::optional<std::string> objectType{};
    std::optional<std::string> objectId{};
    std::optional<TimePoint> from{};           // inclusive
    std::optional<TimePoint> to{};             // exclusive
    std::int64_t afterSeq = 0;               // paging: entries with seq > afterSeq
    std::int64_t limit = 0;                  // 0 = no limit
};

struct VerifyReport {
    std::int64_t entriesChecked = 0;
    std::int64_t unsignedEntries = 0;            // entries written before signatures (an upgraded store)
    std::optional<std::int64_t> firstBrokenSeq;  // the first entry whose hash, link, signature or authority fails
    std::int64_t brokenEntries = 0;              // every such entry
    // What is wrong with each, for the auditor, one sentence per entry in chain order; the first
    // kListedEntryProblems only (a re-hashed chain breaks every entry after the change).
    std::vector<std::string> entryProblems;
    static constexpr std::int64_t kListedEntryProblems = 50;
    // The accounts as stored disagree with what the signed log says happened to them (roles, status, keys,
    // names), and so do the agency settings a program administrator signs (AccountLedger::compareSettings).
    std::vector<std::string> accountProblems;
    // The cases as stored disagree with what the signed log recorded at their creation (creator, assigned case
    // officer): the rows that decide who may read a case file were edited outside FaceLead.
    std::vector<std::string> caseProblems;
    // Gallery faces as stored disagree with their signed enrolment (a renamed subject, a rewritten descriptor or
    // photo hash, a face moved to another subject): core/gallery/EnrolledFaces.h.
    std::vector<std::string> galleryProblems;
    // The chain against the heads anchored outside the store (core/store/Anchor.h): entries anchored there
    // but missing or different here (rollback, truncation, lost -wal, a rewritten chain, another copy of the
    // store in use alongside this one).
    std::vector<std::string> anchorProblems;
    std::vector<store::AnchoredHead> foreignHeads;  // the anchored heads behind anchorProblems
    std::size_t anchorsChecked = 0;
    std::size_t anchorsAcknowledged = 0;  // heads a program administrator acknowledged (kAnchorsAcknowledged)
    std::string anchorNote;  // why the anchors could not be checked ("" when they were)
    bool intact() const {
        return !firstBrokenSeq && accountProblems.empty() && caseProblems.empty() && galleryProblems.empty() &&
               anchorProblems.empty();
    }
    // Every finding, one per line without a final newline ("" when intact).
    std::string describe() const;
};

enum class ExportFormat { Csv, Json };

class AuditLog {
public:
    // Appends one entry in the caller's transaction; returns its seq. InvalidArgument when the action is
    // empty or the details are not a JSON object.
    static Result<std::int64_t> append(store::Transaction& tx, const AuditEntryInput& input);

    // Walks the whole chain, naming every broken entry. A broken chain is a successful verify with
    // firstBrokenSeq set.
    static Result<VerifyReport> verify(store::Store& store);

    // The quick check of every sign-in: the store's chain against every head anchored outside it that no program
    // administrator acknowledged (one lookup per head; a deletion from the middle leaves the highest head matching,
    // trial 23A F12), then every entry's link to the one before it since the last acknowledgement (a deletion inside
    // one transaction leaves every head matching, trial 24A N1). The problem found ("" when all hold).
    static Result<std::string> checkAnchoredHeads(store::Store& store);

    static Result<std::vector<AuditEntry>> list(store::Store& store, const AuditFilter& filter = {});

    // The seq of the newest entry that records a change to what the store holds (0 for none); entries that
    // record a reading (a view, a listing, an export, a check, a refusal) are passed over. Every change writes
    // its entry, so a screen that compares this with what it saw when it last read the store knows whether
    // it is out of date (issue 9: windows stayed stale after another program changed the store), and its own
    // audited reads do not make it look out of date.
    static Result<std::int64_t> lastChange(store::Store& store);

    // Writes the (filtered) entries with all columns, hashes included. The JSON export can be re-verified
    // byte for byte; the CSV one is for reading in a spreadsheet (cells that a spreadsheet would run as a
    // formula get a leading apostrophe).
    static Result<void> exportTo(store::Store& store, ExportFormat format, std::ostream& out,
                                 const AuditFilter& filter = {});

    // The hash rule, exposed so external tools and tests can recompute it. The canonical entry is the
    // JSON array [seq, at, user_id, username, action, object_type, object_id, details] with signer and
    // signer_key appended for a signed entry.
    static std::string computeHash(const AuditEntry& entry);
    // What is wrong with one entry on its own: "" when its hash matches its contents and its signature (by the
    // key it names) matches its hash. Whether that key was certified is the caller's to check.
    static std::string integrityProblem(const AuditEntry& entry);
    static constexpr const char* kSignaturePrefix = "facelead-audit-v1:";
    // The action that certifies an account's public key (details: username, public_key, reason).
    static constexpr const char* kKeyCertified = "key.certified";
    // A program administrator acknowledges anchored heads that are not in this store (details: heads
    // [{seq, hash}], reason, anchor): they are no longer reported; heads anchored afterwards still are.
    static constexpr const char* kAnchorsAcknowledged = "audit.anchors_acknowledged";
    // The recovery-key holder re-affirms every account (details: accounts [{username, roles, status,
    // public_key, approved_at, training_completed_at}], answers_for [seq], reason) after account entries were
    // damaged (AccountLedger::take; accounts::reaffirmAccounts). Obeyed only from the recovery slot.
    static constexpr const char* kAccountsReaffirmed = "accounts.reaffirmed";
    // What every account entry also signs, for the chain rather than the reader (hidden in readable views):
    // the account entry before it, and every account's roles and status after it (AccountLedger::take).
    static bool isChainBookkeeping(std::string_view detailKey);
    // A case created (object: the case; details: case_number, offence, assigned_officer_id; the entry's user
    // is its creator): what decides who reads the case file, checked against the cases table (verify; the
    // need to know, core/cases/detail/NeedToKnow.h).
    static constexpr const char* kCaseCreated = "case.created";
    static constexpr const char* kGenesisHash =
        "0000000000000000000000000000000000000000000000000000000000000000";
};

}  // namespace facelead::audit
