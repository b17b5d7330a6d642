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

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

std::string_view leadStatusName(LeadStatus status);   // "candidate", "possible_lead", ...
std::optional<LeadStatus> leadStatusFromName(std::string_view name);
std::string_view leadStatusLabel(LeadStatus status);  // "Possible lead", for people

enum class FollowUpOutcome { Corroborated, Excluded, Inconclusive };
std::string_view followUpOutcomeName(FollowUpOutcome outcome);  // "corroborated", "excluded", "inconclusive"
std::optional<FollowUpOutcome> followUpOutcomeFromName(std::string_view name);

using UserId = std::int64_t;

struct Actor {
    UserId userId = 0;
    RoleSet roles;
};

// What the transitions need to know about a lead; the store keeps the rest (notes, times).
struct LeadState {
    LeadStatus status = LeadStatus::Candidate;
    std::optional<UserId> followUpBy;            // who recorded the latest follow-up
    std::optional<FollowUpOutcome> followUpOutcome;
    std::string followUpEvidence;                // its corroborating evidence, re-checked when clearing
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
};

// VI.C.1: the supervisor's review of the follow-up.
struct Review {
    bool followUpConfirmed = false;  // the supervisor confirms investigative follow-up was conducted
    bool clearForAction = false;     // asks for "cleared for action"; needs a confirmed, corroborating follow-up
    std::string note;
};

// Candidate or possible lead -> possible lead / excluded, with a note. Investigators and case officers.
Result<LeadState> decideCandidate(const LeadState& state, const Actor& actor, LeadDecision decision,
                                  std::string_view note, const PolicySettings& settings);

// Possible lead (or one returned for, or already with, follow-up) -> follow_up_recorded. Only the case's
// assigned case officer (VI.B.3).
Result<LeadState> recordFollowUp(const LeadState& state, const Actor& actor, UserId assignedCaseOfficer,
                                 const FollowUp& followUp, const PolicySettings& settings);

// follow_up_recorded -> cleared_for_action / reviewed_not_cleared / returned_for_follow_up. Supervisors
// only, never the person who recorded the follow-up (VI.C.1).
Result<LeadState> reviewFollowUp(const LeadState& state, const Actor& actor, const Review& review,
                                 const PolicySettings& settings);

}  // namespace facelead::workflow
