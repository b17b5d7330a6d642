#pragma once
// Private to core/cases: the case-file rows an insider holding the database key could rewrite — an image's hash,
// a search and the gallery face each of its candidates names, a search request's purpose, justification,
// consent and source, an examiner's conclusion, a supervisor's resolution of a disagreement, a lead's decision
// and note, a follow-up, a supervisor's review — held to the audit entry that recorded them. That entry signs a digest of
// the row as written (kRowDigest; entries from before it: the fields they name), so a row that no longer matches
// its intact entry, signed with a key the log certified, is refused wherever the case is read or acted on
// (trial 14A: a rewritten conclusion let a lead be marked, a rewritten purpose went into the disclosure packet;
// trial 15A: a lead rewritten to "Excluded: alibi confirmed" was shown and disclosed as its marker's). A lead
// row changes with every decision, follow-up and review, so each of those entries also signs the lead row as it
// left it (kLeadRowDigest), and the row is held to the latest. Each decision is also held to the gate it passed:
// a possible lead to the examinations and resolution the log had recorded before it (trial 17A N3).

#include <cstdint>
#include <string>

#include "core/accounts/Session.h"
#include "core/audit/AccountLedger.h"
#include "core/audit/AuditLog.h"
#include "core/common/Result.h"
#include "core/store/Store.h"
#include "core/workflow/Roles.h"

namespace facelead::cases::detail {

inline constexpr const char* kRowDigest = "row_sha256";
inline constexpr const char* kRequestRow = "search_requests";
inline constexpr const char* kImageRow = "images";  // its entry signs a digest (before trial 22A F6: its hash)
inline constexpr const char* kSearchRow = "searches";  // with its candidate list, in rank order
inline constexpr const char* kExaminationRow = "examinations";
inline constexpr const char* kResolutionRow = "examination_resolutions";  // a supervisor's, of a disagreement
inline constexpr const char* kFollowUpRow = "follow_ups";
inline constexpr const char* kReviewRow = "reviews";
inline constexpr const char* kLeadRow = "leads";
inline constexpr const char* kLeadRowDigest = "lead_row_sha256";

// SHA-256 (hex) of one row of the tables above as written: its recorded columns (a follow-up's with its evidence
// items) as a JSON array of text (null for NULL). NotFound when there is no such row.
Result<std::string> rowDigest(store::Store& store, const std::string& table, std::int64_t id);

// A search's probe templates (search_probe_templates, schema v15), which the blindness rule and the second approver's
// hold compare pictures by: SHA-256 (hex) of their bytes in position order, signed in the search's "search.run" entry
// under kProbeTemplatesDigest (trial 51 F3: one template rewritten made a score seen for it "unseen").
inline constexpr const char* kProbeTemplatesDigest = "probe_templates_sha256";
Result<std::string> probeTemplatesDigest(store::Store& store, std::int64_t searchId);
// The same digest of the templates in `table` (position, template) whose `keyColumn` is `id` (a search approval
// request's probes sign theirs the same way).
Result<std::string> templatesDigest(store::Store& store, const std::string& table, const std::string& keyColumn,
                                    std::int64_t id);
// AuditChainBroken when search `searchId`'s templates no longer hash to what its first "search.run" entry recorded
// (an entry from before it recorded them: taken as it is). Reads that entry without checking its signature, which
// audit verify does (checkCaseRowsSigned); for the readers that hold only a store (RankShown.cpp).
Result<void> checkProbeTemplatesKept(store::Store& store, std::int64_t searchId);

// audit::heldRoleWhen for the session's store and ledger.
Result<bool> heldRoleWhen(accounts::Session& session, const std::string& username, std::int64_t seq,
                          workflow::Role role);

// AuditChainBroken (a refusal: audit it) when a search request, examination, resolution, lead, follow-up or
// review of the case no longer matches its signed entry, a row the log recorded is gone, or a lead was marked
// although the log shows its gate closed, naming which; likewise when a display name shown beside the work
// differs from the one the log signed.
Result<void> checkCaseRowsSigned(accounts::Session& session, std::int64_t caseId);

// One line per search approval request ("Case N: …") whose row its requester's signed request does not ask for
// as it stands (CaseApprovals.cpp). Such a request is refused wherever it is used; audit verify names it too
// (trial 22A F10: a request forged in a colleague's name was refused but verify called the log intact).
Result<std::vector<std::string>> editedApprovalRequests(accounts::Session& session);

}  // namespace facelead::cases::detail
