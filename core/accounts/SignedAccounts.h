#pragma once
// The accounts as the signed audit log leaves them (issue 8; docs/SECURITY.md). The users table is only a
// copy that an insider holding the database key can rewrite, in either direction: to let someone in, or to
// lock a colleague out. So every rule that admits, counts or chooses accounts reads the roles and status
// here, never the table's own: sign-in, the licence seats, the inactivity sweep, the two-person approval,
// the last program administrator, the case officers a case may be assigned to and the trainees a trainer
// may sign off. A table that disagrees is flagged (Administration::overview, audit verify), never obeyed.
//
// Threading: none; call from the store's thread. Each call replays the account entries of the log afresh
// (a few hundred signature checks in a large agency: milliseconds).

#include <string>
#include <string_view>
#include <vector>

#include "core/accounts/Session.h"
#include "core/accounts/User.h"
#include "core/audit/AccountLedger.h"
#include "core/common/Result.h"
#include "core/store/Store.h"

namespace facelead::accounts {

// One stored account given the roles and status that `ledger` replayed (Session::signedGrantsOf is this
// with the session's own ledger). In a store signed from its start, an account no signed entry created
// comes back with no roles and held back; in an older store such an account keeps what the table says.
Session::SignedGrants applySignedGrants(const audit::AccountLedger& ledger, User stored);

// Whether `ledger` holds the accounts to heads anchored outside the store that its chain no longer holds (an older
// copy put in its place, a lost -wal), unanswered: the users table then differs from the signed log with no edit
// made, and the answer is the anchor mismatch's, not restore-table (trial 64 F2, trial 68 F4).
bool heldToLostHeads(const audit::AccountLedger& ledger);

// Every account, in user-name order, with the signed roles and status.
Result<std::vector<User>> signedAccounts(store::Store& store);
// The accounts the signed log leaves active, in user-name order.
Result<std::vector<User>> activeSignedAccounts(store::Store& store);

// One account whose users-table row was put back to what the signed log says.
struct RestoredAccount {
    std::string username;
    std::string wasEdited;  // how the table differed (the SignedGrants mismatch sentence)
};

struct TableRestored {
    std::vector<RestoredAccount> accounts;  // the rows put back
    bool slotRemoved = false;               // an account no signed entry created lost its key slot: rotate the key
};
inline constexpr const char* kGhostSlotRemoved = "account added outside FaceLead removed";  // the rotation's reason

// In `tx`: every users-table row that disagrees with the signed log (a fresh replay, so an entry appended earlier
// in `tx` counts) is written back to it, each recorded as "user.table_restored" {username, was_edited, roles,
// reason} in the name of `actorId` (nullopt: the recovery key's holder). Store errors as they come.
Result<TableRestored> writeTableAsSigned(store::Transaction& tx, std::optional<std::int64_t> actorId,
                                         const std::string& reason);

// A program administrator puts every users-table row that disagrees with the signed log back to the log's
// roles and status (an account no signed entry created: no roles, deactivated, its key slot removed), each
// recorded as "user.table_restored" with the difference and the reason, in one transaction. The signed log
// itself is never changed: the edit stays on record (account.grants_mismatch, the verify report before).
// PermissionDenied unless ManageUsers (audited); InvalidArgument for a blank reason or when the table already
// agrees.
Result<std::vector<RestoredAccount>> restoreUsersTable(Session& session, std::string_view reason);

}  // namespace facelead::accounts
