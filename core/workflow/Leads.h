#pragma once
// The life of a search candidate under SOP 302.02. A candidate is never a "match" (VI.B.1): it may become a
// possible lead, which the assigned case officer follows up (VI.B.3), which a supervisor reviews (VI.C.1);
// only then may it be "cleared for action".
//
//   candidate --mark--> possible_lead --follow-up--> follow_up_recorded --review--> cleared_for_action
//       |                   |                 ^            |                   \--> reviewed_not_cleared
//       +--exclude--> excluded <--exclude-----+            +--review (not confirmed)--> returned_for_follow_up
//                                                                                        (--follow-up--> ...)
//
// The transition functions are pure: they take the current state and the acting user and return the new
// state, or InvalidTransition / PermissionDenied / PolicyViolation with the reason and the section.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Result.h"
#include "core/workflow/Roles.h"
#include "core/workflow/SearchRequest.h"

namespace facelead::workflow {

enum class LeadStatus {
    Candidate,
    PossibleLead,
    Excluded,
    FollowUpRecorded,
    ReturnedForFollowUp,   // the supervisor could not confirm the follow-up: more investigation needed
    ReviewedNotCleared,    // follow-up confirmed, but it did not corroborate the lead: no action
    ClearedForAction,      // follow-up confirmed and corroborating (VI.C.1)
};

// True when one step of the workflow (decideCandidate, recordFollowUp, reviewFollowUp) can take a lead from
// `from` to `to`: a lead's signed history is replayed against it (cases/detail/SignedRows.h), so an entry
// copied to the end of the log cannot take a cleared lead back (trial 16A).
bool isLeadTransition(LeadStatus from, LeadStatus to);

std::string_view leadStatusName(LeadStatus status);   // "candidate", "possible_lead", ...
std::optional<LeadStatus> leadStatusFromName(std::string_view name);
std::string_view leadStatusLabel(LeadStatus status);  // "Possible lead", for people
std::vector<LeadStatus> allLeadStatuses();            // in the order above (e.g. to size a column for every label)

enum class FollowUpOutcome { Corroborated, Excluded, Inconclusive };
std::string_view followUpOutcomeName(FollowUpOutcome outcome);  // "corroborated", "excluded", "inconclusive"
std::optional<FollowUpOutcome> followUpOutcomeFromName(std::string_view name);

using UserId = std::int64_t;

// Issue 11 item 3: independent evidence attached to a follow-up. The types are the agency's list (the
// evidence_types table: documents, location data, physical evidence, witness identification through a proper
// procedure, admission, other). A type marked as an identification procedure (a photo line-up) is never the
// first evidence of a lead: a line-up that follows straight from the search is how wrongful arrests happened.
struct EvidenceType {
    std::string code;   // "documents"
    std::string label;  // "Documents"
    bool identificationProcedure = false;
    bool operator==(const EvidenceType&) const = default;
};

// The types FaceLead defines, as the store's evidence_types table (schema v7) holds them. The table is no signed
// record: a table that differs was edited outside FaceLead (trial 44 F4: a line-up's flag switched off let an attested
// line-up clear a lead), and nothing is decided on evidence from it (cases/detail/Examinations.h).
const std::vector<EvidenceType>& definedEvidenceTypes();

// An item counts as independent evidence only when the case officer attests, item by item, that it stands apart
// from the face search: it would hold if the search had never run (not the candidate list, the probe, a gallery
// photo, or a resemblance seen in them). Words are only a floor (the phrase lists below); the attestation is the
// officer's own, signed statement, shown wherever the item is. A line-up is never attested: it shows the
// candidate the search chose. Unattested items are kept and shown, and count for nothing.
struct EvidenceItem {
    std::string type;         // an EvidenceType code
    std::string description;  // what it is and where it is kept
    bool independentOfSearch = false;  // attested by the follow-up's author (see above)
};

// The sentence the case officer attests, for the form, the CLI help and the records.
inline constexpr const char* kIndependenceAttestation =
    "stands apart from the face search: it would hold if the search had never run (not the candidate list, the "
    "probe, a gallery photo or a resemblance seen in them)";

// Issue 11 item 3: the discrepancies to check between the candidate and the description of the person sought.
enum class ChecklistItem { Height, Age, Build, MarksAndTattoos, Whereabouts };
inline constexpr std::size_t kChecklistItemCount = 5;
const std::array<ChecklistItem, kChecklistItemCount>& allChecklistItems();
std::string_view checklistItemName(ChecklistItem item);   // "marks_and_tattoos"
std::string_view checklistItemLabel(ChecklistItem item);  // "Marks and tattoos"
std::optional<ChecklistItem> checklistItemFromName(std::string_view name);

enum class ChecklistAnswer { Unanswered, Consistent, Inconsistent, CouldNotCheck };
std::string_view checklistAnswerName(ChecklistAnswer answer);  // "unanswered", "consistent", "inconsistent", "could_not_check"
std::optional<ChecklistAnswer> checklistAnswerFromName(std::string_view name);

struct ChecklistEntry {
    ChecklistAnswer answer = ChecklistAnswer::Unanswered;
    std::string note;
};
struct DiscrepancyChecklist {
    std::array<ChecklistEntry, kChecklistItemCount> entries{};  // in allChecklistItems() order
    ChecklistEntry& operator[](ChecklistItem item) { return entries[static_cast<std::size_t>(item)]; }
    const ChecklistEntry& operator[](ChecklistItem item) const { return entries[static_cast<std::size_t>(item)]; }
    bool answered() const;  // no entry is Unanswered
};

// One line each, for a printed or shown record (trial 14B: the case report and case window left them out):
// "documents: pawn ticket, exhibit 3; ..." ("-" for none) and "Height: consistent; ...; Whereabouts at the
// time: inconsistent (he was in county jail)".
std::string evidenceItemsText(const std::vector<EvidenceItem>& items);
// "attested independent of the search", or that it was not and counts for nothing.
std::string independenceText(const EvidenceItem& item);
std::string checklistText(const DiscrepancyChecklist& checklist);

struct Actor {
    UserId userId = 0;
    RoleSet roles;
};

// What the transitions need to know about a lead; the store keeps the rest (notes, times).
struct LeadState {
    LeadStatus status = LeadStatus::Candidate;
    std::int64_t followUpId = 0;                 // the store's id of the latest follow-up (0: none yet)
    std::optional<UserId> followUpBy;            // who recorded the latest follow-up
    std::optional<FollowUpOutcome> followUpOutcome;
    std::string followUpEvidence;                // its corroborating evidence, re-checked when clearing
    // Attested independent evidence items attached to the LATEST follow-up: the follow-up the supervisor reviews,
    // whose checklist is answered, is the one that holds its evidence (trial 19B MEDIUM-5: items of an earlier
    // follow-up cleared a later one that had none).
    std::size_t latestFollowUpEvidenceItems = 0;
    DiscrepancyChecklist checklist;              // of the latest follow-up
    bool examinersDisagree = false;              // an unresolved disagreement between examiners (Examination.h)
    bool independentlyVerified = false;          // a second examiner's judgement recorded, agreeing or resolved
};

// Issue 9 item 4, VI.B.1: the face search's own output (its score, similarity, rank, "match") is never
// corroborating evidence. True when nothing of substance remains of `evidence` once the words and numbers
// that only restate the search result are taken out (fewer than minChars letters).
bool restatesTheSearchOnly(std::string_view evidence, std::size_t minChars);

enum class LeadDecision { PossibleLead, Exclude };

// VI.B.3: what the assigned case officer did to corroborate the lead.
struct FollowUp {
    std::string stepsTaken;
    std::string corroboratingEvidence;  // may be empty when the outcome is not corroborated
    FollowUpOutcome outcome = FollowUpOutcome::Inconclusive;
    std::vector<EvidenceItem> evidence;  // issue 11 item 3: independent evidence items
    DiscrepancyChecklist checklist;      // issue 11 item 3: may be partly answered until clearing
};

// The new items of a follow-up against the agency's types: InvalidArgument for an unknown type or an item
// without a description; PolicyViolation for an identification procedure (photo line-up) attested as standing apart
// from the search, or when the lead has no attested independent evidence on an EARLIER follow-up
// (`independentItemsBefore`): an item recorded with the line-up does not show that the line-up came after it
// (trial 27 F12).
Result<void> checkEvidence(const std::vector<EvidenceItem>& items, const std::vector<EvidenceType>& types,
                           std::size_t independentItemsBefore);

// VI.C.1: the supervisor's review of the follow-up.
struct Review {
    bool followUpConfirmed = false;  // the supervisor confirms investigative follow-up was conducted
    bool clearForAction = false;     // asks for "cleared for action"; needs a confirmed, corroborating follow-up
    std::string note;
    // The follow-up the supervisor was shown and reviews (its store id). She confirms what she saw: when the
    // case officer has recorded a newer one since, the review is refused rather than applied to it.
    std::int64_t followUpId = 0;
};

// Candidate or possible lead -> possible lead / excluded, with a note. Investigators and case officers.
Result<LeadState> decideCandidate(const LeadState& state, const Actor& actor, LeadDecision decision,
                                  std::string_view note, const PolicySettings& settings);

// Possible lead (or one returned for, already with, or reviewed after follow-up: new information, which sends a
// cleared lead back to review) -> follow_up_recorded. Only the case's assigned case officer (VI.B.3).
Result<LeadState> recordFollowUp(const LeadState& state, const Actor& actor, UserId assignedCaseOfficer,
                                 const FollowUp& followUp, const PolicySettings& settings);

// follow_up_recorded -> cleared_for_action / reviewed_not_cleared / returned_for_follow_up. Supervisors
// only, never the person who recorded the follow-up (VI.C.1), and only of the lead's latest follow-up, which the
// review names (Review::followUpId). Cleared for action also needs (issue 11 item 3)
// at least one independent evidence item attached to the latest follow-up, the same follow-up's discrepancy
// checklist answered with no inconsistency, and no open disagreement between examiners.
Result<LeadState> reviewFollowUp(const LeadState& state, const Actor& actor, const Review& review,
                                 const PolicySettings& settings);

}  // namespace facelead::workflow
