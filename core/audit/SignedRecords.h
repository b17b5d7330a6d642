#pragma once
// What holds a stored record to the signed audit log: the entry that recorded a row signs a digest of the row as
// written, and the row is read only while that digest still matches and the entry is as its signer signed it
// (an insider holding the database key can rewrite rows, not re-sign entries; docs/SECURITY.md). Used by the
// case file (core/cases/detail/SignedRows.h) and the gallery (core/gallery/EnrolledFaces.h).
//
// Thread-safety: as the Store and AccountLedger given (neither is shared across threads).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/audit/AccountLedger.h"
#include "core/audit/AuditLog.h"
#include "core/common/Result.h"
#include "core/store/Store.h"

namespace facelead::audit {

// True when the entry is as its signer signed it, in their own name, with a key the signed log certified for them
// (an entry of a store from before signatures: while the store is not signed from its start).
bool signedAsRecorded(const AccountLedger& ledger, const AuditEntry& entry);

// Whether the signed log gave `username` the role (its name, workflow::roleName) when entry `seq` was written: the
// accounts' state the latest account entry before it signed (AccountLedger::accountsAfter); in a store from before
// those, the roles the ledger replays now. An approval, a resolution, a gallery removal or a retention decision is
// held to its author's role at the time: one signed by someone who did not hold it opens nothing.
Result<bool> heldRoleWhen(store::Store& store, const AccountLedger& ledger, const std::string& username,
                          std::int64_t seq, std::string_view role);

// The first entry of `action` on each object of `objectType` (by object id) that is signed as recorded by someone
// who held `role` when signing (heldRoleWhen); a later copy, or one signed without the role, counts for nothing.
// For records one person may make once: a gallery subject's removal, a retention decision.
Result<std::map<std::int64_t, AuditEntry>> firstEntriesSignedByRole(store::Store& store, const AccountLedger& ledger,
                                                                    const std::string& action,
                                                                    const std::string& objectType,
                                                                    std::string_view role);

// SHA-256 (hex) of the row `id` of `table` as written: `columns` (an SQL select list over the row; a BLOB column
// must be given as hex(...)) as a JSON array of text, null for NULL. NotFound when there is no such row.
Result<std::string> rowDigest(store::Store& store, const std::string& table, const std::string& columns,
                              std::int64_t id);

// rowDigest for many rows of one table, its statement prepared once: an enrolment digests every face it writes,
// and preparing the read per face was most of what the digests cost (docs/PERFORMANCE.md, 2026-12-03). Use it
// within the transaction (or the store's lifetime) it was prepared in; not thread-safe, as the store.
class RowDigests {
public:
    static Result<RowDigests> prepare(store::Store& store, const std::string& table, const std::string& columns);
    Result<std::string> of(std::int64_t id);

private:
    RowDigests(store::Statement statement, std::string table) : statement_(std::move(statement)), table_(std::move(table)) {}
    store::Statement statement_;
    std::string table_;
};

// A case row as stored: who created it and whom it assigns (they decide who reads the case file), and the number
// and offence every report and disclosure carries.
struct StoredCase {
    std::string caseNumber;
    std::string offence;
    std::optional<std::int64_t> createdBy;
    std::optional<std::int64_t> assignedOfficer;
    std::string status;  // kCaseStatus: FaceLead writes no other (trial 23A F1)
};

// The one status a case has: FaceLead opens cases and never closes one, so any other value in the row is an edit
// (trial 23A F1: "closed - expunged by court order" written into the table went into the disclosure packet).
inline constexpr const char* kCaseStatus = "open";

// Where the row disagrees with the case's signed creation entry (AuditLog::kCaseCreated, its first intact one), as
// a clause ("the store names another assigned case officer than the signed audit log (user #7, not user #4)");
// "" when it agrees. An entry from before a field was recorded is not held to it. The one rule for reading a case
// (cases::detail::checkCaseSigned) and for audit verify (trial 16A F4).
std::string caseCreationDisagreement(const StoredCase& row, const AuditEntry& created);

}  // namespace facelead::audit
