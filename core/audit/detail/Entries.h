#pragma once
// Private to core/audit: reading audit_log rows.

#include "core/audit/AuditLog.h"
#include "core/store/Statement.h"

namespace facelead::audit::detail {

inline constexpr const char* kColumns =
    "seq, at, user_id, username, action, object_type, object_id, details, prev_hash, hash, signer, signer_key, "
    "signature";

// A row selected with kColumns.
AuditEntry readEntry(const store::Statement& row);

}  // namespace facelead::audit::detail
