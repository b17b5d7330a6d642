#pragma once
// What the sign-ins found wrong with the audit log's anchors and no program administrator has answered for yet
// (VI.C.2.b: the audit is theirs). Recorded in the log itself ("audit.anchor_mismatch", AuditLog::checkAnchoredHeads'
// sentence) by the sign-in that found it; answered by "audit.anchors_acknowledged" (AuditTrail::acknowledgeAnchors).

#include <string>

#include "core/common/Result.h"
#include "core/store/Store.h"

namespace facelead::audit {

// The newest anchor mismatch a sign-in recorded that no program administrator has acknowledged since ("" when none).
Result<std::string> unansweredAnchorMismatch(store::Store& store);

// Appends "audit.anchor_mismatch" {problem, anchor, reported_to} in `tx`, as a sign-in records what it found.
Result<void> recordAnchorMismatch(store::Transaction& tx, const std::string& problem, std::string_view reportedTo);

// The unanswered mismatch, else the anchors compared now (AuditLog::checkAnchoredHeads) and a new mismatch recorded
// for `reportedTo`: a session signed in before an insider rewrote the log must not go on working over it until its
// next sign-in (trial 26 F1: a search ran in an open window). "" when the log holds to its anchors.
Result<std::string> anchorMismatchNow(store::Store& store, std::string_view reportedTo);

}  // namespace facelead::audit
