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

}  // namespace facelead::audit
