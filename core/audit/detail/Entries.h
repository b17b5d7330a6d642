#pragma once
// Private to core/audit: reading audit_log rows, and which entries are account entries.

#include <string>
#include <string_view>

#include "core/audit/AuditLog.h"
#include "core/store/Statement.h"

namespace facelead::audit::detail {

inline constexpr const char* kColumns =
    "seq, at, user_id, username, action, object_type, object_id, details, prev_hash, hash, signer, signer_key, "
    "signature";

// A row selected with kColumns.
AuditEntry readEntry(const store::Statement& row);

inline constexpr const char* kTrainingRecorded = "user.training_recorded";
inline constexpr const char* kTrainerModeDeclared = "store.training_created";
inline constexpr const char* kTableRestored = "user.table_restored";
// A supervisor approves the key an active account's owner made with their own password after a reset
// (accounts::AccountService::approve; a pending account's is approved with its access, "user.approved").
inline constexpr const char* kKeyApproved = "user.key_approved";

// The account entries: what AccountLedger replays (roles, status, keys, training, acknowledged anchors), with
// the first entry of the chain (store.created, the root key).
bool isAccountEntry(std::string_view action);
// SQL condition selecting the account entries of audit_log.
std::string accountEntriesCondition();
// Whether an entry of this action signs kPreviousAccountEntry: the account entries and the sign-ins.
bool namesPreviousAccountEntry(std::string_view action);
// Each account entry appended names the account entry before it (details "previous_account_entry": {seq,
// hash}), inside what it signs: an account entry deleted, renamed out of the account entries or slipped in
// between breaks that link where the replay reads it, not only in a full `audit verify` (trial 12A).
inline constexpr const char* kPreviousAccountEntry = "previous_account_entry";
// Each account entry appended also signs every account's roles, status, approval and training as they stand
// after it ({username: {roles, status, approved_at, training_completed_at}}; AccountLedger::accountsAfter):
// an entry deleted or renamed out of the account entries, or rewritten to name another account, leaves the
// next honest signer's record disagreeing with the replay, which names the accounts it touched (trial 13A).
inline constexpr const char* kAccountsAfter = "accounts_after";
// A successful sign-in names the account entry before it too (kPreviousAccountEntry): an account entry deleted,
// renamed or changed after someone signed in, the last one included (no later account entry links to it),
// leaves an honest sign-in naming an entry the replay no longer has (trial 13A). Sign-ins are read with the
// account entries; their signatures are checked only when the link disagrees.
inline constexpr const char* kSignedIn = "signin.succeeded";

}  // namespace facelead::audit::detail
