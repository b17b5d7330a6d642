#include "core/workflow/Leads.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/workflow/Phrases.h"
#include "core/workflow/detail/Names.h"

namespace facelead::workflow {
namespace {

std::string scoreIsNotEvidence(const PolicySettings& settings) {
    return "A corroborated outcome needs corroborating evidence found by the follow-up (at least " +
           std::to_string(settings.minNoteChars) +
           " characters besides the search itself): the face-search result, its score or rank, is never "
           "corroboration (VI.B.1).";
}


using detail::Named;

constexpr std::array kStatuses{
    Named<LeadStatus>{LeadStatus::Candidate, "candidate", "Candidate"},
    Named<LeadStatus>{LeadStatus::PossibleLead, "possible_lead", "Possible lead"},
    Named<LeadStatus>{LeadStatus::Excluded, "excluded", "Excluded"},
    Named<LeadStatus>{LeadStatus::FollowUpRecorded, "follow_up_recorded", "Follow-up recorded, awaiting review"},
    Named<LeadStatus>{LeadStatus::ReturnedForFollowUp, "returned_for_follow_up", "Returned for further follow-up"},
    Named<LeadStatus>{LeadStatus::ReviewedNotCleared, "reviewed_not_cleared", "Reviewed, not cleared for action"},
    Named<LeadStatus>{LeadStatus::ClearedForAction, "cleared_for_action", "Cleared for action"},
};

constexpr std::array kOutcomes{
    Named<FollowUpOutcome>{FollowUpOutcome::Corroborated, "corroborated"},
    Named<FollowUpOutcome>{FollowUpOutcome::Excluded, "excluded"},
    Named<FollowUpOutcome>{FollowUpOutcome::Inconclusive, "inconclusive"},
};

constexpr std::array<Named<ChecklistItem>, kChecklistItemCount> kChecklist{{
    {ChecklistItem::Height, "height", "Height"},
    {ChecklistItem::Age, "age", "Age"},
    {ChecklistItem::Build, "build", "Build"},
    {ChecklistItem::MarksAndTattoos, "marks_and_tattoos", "Marks and tattoos"},
    {ChecklistItem::Whereabouts, "whereabouts", "Whereabouts at the time"},
}};

constexpr std::array kAnswers{
    Named<ChecklistAnswer>{ChecklistAnswer::Unanswered, "unanswered"},
    Named<ChecklistAnswer>{ChecklistAnswer::Consistent, "consistent"},
    Named<ChecklistAnswer>{ChecklistAnswer::Inconsistent, "inconsistent"},
    Named<ChecklistAnswer>{ChecklistAnswer::CouldNotCheck, "could_not_check"},
};

// Issue 11 item 3: what "cleared for action" needs besides a confirmed, corroborated follow-up.
Result<void> checkCorroborationGates(const LeadState& state) {
    // The evidence and the answered checklist belong to the follow-up under review (trial 19B MEDIUM-5).
    if (state.latestFollowUpEvidenceItems == 0) {
        return makeError(ErrorCode::PolicyViolation,
                         "A lead is cleared for action only with at least one independent evidence item attached to "
                         "the follow-up under review (#" + std::to_string(state.followUpId) +
                             "; documents, location data, physical evidence, ...; not a line-up, and not \"other\" "
                             "alone), which the case officer attested " + kIndependenceAttestation +
                             ". Items of an earlier follow-up do not corroborate this one (issue 11, corroboration "
                             "before action).");
    }
    if (!state.checklist.answered()) {
        return makeError(ErrorCode::PolicyViolation,
                         "Answer the discrepancy checklist (height, age, build, marks and tattoos, whereabouts at the "
                         "time) in the follow-up before the lead is cleared for action (issue 11).");
    }
    bool checked = false;
    for (ChecklistItem item : allChecklistItems()) {
        if (state.checklist[item].answer == ChecklistAnswer::Inconsistent) {
            return makeError(ErrorCode::PolicyViolation,
                             "The follow-up found a discrepancy (" + std::string(checklistItemLabel(item)) +
                                 "): return the lead for further follow-up instead of clearing it (issue 11).");
        }
        checked = checked || state.checklist[item].answer == ChecklistAnswer::Consistent;
    }
    // Trial 23C H3: "could not check" on all five items answered the checklist and cleared a lead nobody had held
    // against the description of the person sought.
    if (!checked) {
        return makeError(ErrorCode::PolicyViolation,
                         "Nothing in the discrepancy checklist was checked (every item \"could not be checked\"): check "
                         "at least one of height, age, build, marks and tattoos or whereabouts at the time against the "
                         "candidate before the lead is cleared for action (issue 11).");
    }
    if (state.examinersDisagree) {
        return makeError(ErrorCode::PolicyViolation,
                         "The examiners of this candidate disagree: resolve the disagreement before clearing the lead "
                         "(issue 11, independent verification).");
    }
    return {};
}

// Issue 11 item 2: where the agency's rule pack asks it, a second trained examiner has verified the candidate.
Result<void> checkVerified(const LeadState& state, const PolicyPack& pack) {
    if (!pack.verificationBeforeClearing || state.independentlyVerified) return {};
    return makeError(ErrorCode::PolicyViolation,
                     "The agency's rule pack (" + pack.name() + ") asks a second trained examiner, who did not make "
                     "the first examination, to verify the candidate before a lead is cleared for action (" +
                         pack.verificationCitation + "). Ask for the verification, then review again.");
}

// Trial 14B finding 3: "corroborated" beside a discrepancy the same follow-up found (whereabouts: in county jail)
// is a record that contradicts itself; the officer records what the discrepancy means instead.
Result<void> checkOutcomeAgreesWithChecklist(const FollowUp& followUp) {
    if (followUp.outcome != FollowUpOutcome::Corroborated) return {};
    for (ChecklistItem item : allChecklistItems()) {
        if (followUp.checklist[item].answer == ChecklistAnswer::Inconsistent) {
            return makeError(ErrorCode::PolicyViolation,
                             "The follow-up found a discrepancy (" + std::string(checklistItemLabel(item)) +
                                 "), so it does not corroborate the lead: record the outcome as inconclusive or "
                                 "excluded (issue 11, corroboration before action).");
        }
    }
    return {};
}

Error invalid(LeadStatus from, const std::string& what) {
    return makeError(ErrorCode::InvalidTransition,
                     what + " (the lead is \"" + std::string(leadStatusLabel(from)) + "\").");
}

bool hasAnyRole(const Actor& actor, std::initializer_list<Role> roles) {
    for (Role role : roles) if (actor.roles.count(role)) return true;
    return false;
}


// The face search, its output, or the same faces compared again: the images searched and the gallery's photos (trial
// 27 F5: "printout of the FaceLead candidate list, rank 1" counted as an independent document; trial 29 N5:
// "screenshot of the results window", "the CCTV still used as the probe"; trial 31 H1: "USB stick with the store
// CCTV frame of the robber", "booking photo of John Savage from the gallery matches the CCTV").
const Phrases kTheSearch{
    {"facelead", "rank", "ranked", "ranking", "score", "scores", "scored", "similarity", "probe", "probes", "gallery",
     "resembles", "resemblance", "lookalike", "resemble", "resembled", "resembling", "likeness", "alike"},
    {{"candidate", "list"}, {"face", "search"}, {"facial", "recognition"}, {"face", "recognition"},
     {"search", "result"}, {"search", "results"}, {"fr", "search"}, {"fr", "result"}, {"fr", "results"},
     {"candidate", "photo"}, {"gallery", "photo"}, {"match", "report"}, {"results", "window"},
     {"result", "window"}, {"cctv", "frame"}, {"cctv", "frames"}, {"cctv", "still"}, {"cctv", "stills"},
     {"cctv", "image"}, {"cctv", "images"}, {"cctv", "footage"}, {"cctv", "video"}, {"surveillance", "footage"},
     {"surveillance", "video"}, {"surveillance", "still"}, {"video", "still"}, {"booking", "photo"},
     {"booking", "photos"}, {"same", "man"}, {"same", "woman"}, {"same", "person"}, {"same", "face"},
     // trial 32: "FR hit on his DMV photo", "custody photograph ... compared with the surveillance picture", "DVR
     // export showing the offender", "printout of the still image", "his arrest photograph looks like the man"
     {"fr", "hit"}, {"dmv", "photo"}, {"dmv", "photograph"}, {"custody", "photo"}, {"custody", "photograph"},
     {"arrest", "photo"}, {"arrest", "photograph"}, {"booking", "photograph"}, {"still", "image"},
     {"still", "images"}, {"surveillance", "picture"}, {"surveillance", "pictures"}, {"surveillance", "image"},
     {"surveillance", "images"}, {"dvr", "export"}, {"dvr", "footage"}, {"video", "footage"}, {"looks", "like"},
     {"look", "alike"},
     // trial 44: "driver licence picture, looks just like the robber"
     {"just", "like"}, {"looks", "similar"}, {"look", "similar"}, {"similar", "looking"}}};

// A line-up or a show-up by another name (trial 29 N6: "six-photo array signed by the clerk", typed as documents;
// trial 31 H2: "signed photo montage form", "victim was shown his mugshot", "identity parade at the station").
const Phrases kLineUp{{"lineup", "lineups", "photoarray", "showup", "showups", "montage", "montages", "mugshot",
                       "mugshots", "parade", "array", "arrays"},
                      {{"line", "up"}, {"photo", "array"}, {"photo", "arrays"}, {"photo", "spread"}, {"six", "pack"},
                       {"photo", "lineup"}, {"identification", "procedure"}, {"show", "up"}, {"mug", "shot"},
                       {"photo", "board"}, {"was", "shown"}, {"were", "shown"}, {"shown", "a"}, {"shown", "his"},
                       {"shown", "her"}, {"shown", "the"}, {"shown", "photos"}, {"picked", "out"}, {"picked", "him"},
                       {"picked", "her"}, {"pointed", "out"}, {"pointed", "at"}, {"pointed", "him"},
                       {"pointed", "her"}, {"identified", "him"}, {"identified", "her"}, {"recognised", "him"},
                       {"recognised", "her"}, {"recognized", "him"}, {"recognized", "her"},
                       // trial 32: "viewed photographs and identified suspect", "ID'd him from a photo", "positively
                       // identified the suspect from a photo we showed"
                       {"identified", "suspect"}, {"positively", "identified"}, {"id", "d"}, {"viewed", "photographs"},
                       {"viewed", "photos"}, {"we", "showed"}, {"showed", "him"}, {"showed", "her"},
                       // trial 44: "witness viewed an array of six pictures and chose the suspect"
                       {"chose", "the"}, {"chose", "him"}, {"chose", "her"}, {"selected", "him"}, {"selected", "her"},
                       {"six", "pictures"}, {"six", "photos"}, {"six", "photographs"}}};

}  // namespace

const std::array<ChecklistItem, kChecklistItemCount>& allChecklistItems() {
    static const auto all = [] {
        std::array<ChecklistItem, kChecklistItemCount> items{};
        for (std::size_t i = 0; i < kChecklist.size(); ++i) items[i] = kChecklist[i].value;
        return items;
    }();
    return all;
}

std::string_view checklistItemName(ChecklistItem item) { return detail::nameOf(kChecklist, item); }
std::string_view checklistItemLabel(ChecklistItem item) { return detail::labelOf(kChecklist, item); }
std::optional<ChecklistItem> checklistItemFromName(std::string_view name) { return detail::valueNamed(kChecklist, name); }
std::string_view checklistAnswerName(ChecklistAnswer answer) { return detail::nameOf(kAnswers, answer); }
std::optional<ChecklistAnswer> checklistAnswerFromName(std::string_view name) {
    return detail::valueNamed(kAnswers, name);
}

bool DiscrepancyChecklist::answered() const {
    return std::none_of(entries.begin(), entries.end(),
                        [](const ChecklistEntry& e) { return e.answer == ChecklistAnswer::Unanswered; });
}

const std::vector<EvidenceType>& definedEvidenceTypes() {
    static const std::vector<EvidenceType> types{
        {"documents", "Documents", false},
        {"location_data", "Location data", false},
        {"physical_evidence", "Physical evidence", false},
        {"witness_identification", "Witness identification through a proper procedure (photo line-up)", true},
        {"admission", "Admission", false},
        {"other", "Other", false}};
    return types;
}

std::string evidenceItemsText(const std::vector<EvidenceItem>& items) {
    std::string out;
    for (const EvidenceItem& item : items)
        out += (out.empty() ? "" : "; ") + item.type + ": " + item.description + " (" + independenceText(item) + ")";
    return out.empty() ? "-" : out;
}

std::string independenceText(const EvidenceItem& item) {
    return item.independentOfSearch ? "attested independent of the search"
                                    : "not attested independent of the search: it counts for nothing";
}

std::string checklistText(const DiscrepancyChecklist& checklist) {
    std::string out;
    for (ChecklistItem item : allChecklistItems()) {
        const ChecklistEntry& entry = checklist[item];
        std::string answer(checklistAnswerName(entry.answer));
        std::replace(answer.begin(), answer.end(), '_', ' ');  // "could not check"
        out += (out.empty() ? "" : "; ") + std::string(checklistItemLabel(item)) + ": " + answer +
               (entry.note.empty() ? "" : " (" + entry.note + ")");
    }
    return out;
}

Result<void> checkEvidence(const std::vector<EvidenceItem>& items, const std::vector<EvidenceType>& types,
                           std::size_t independentItemsBefore) {
    bool lineUp = false;
    for (const EvidenceItem& item : items) {
        const auto type = std::find_if(types.begin(), types.end(), [&](const EvidenceType& t) { return t.code == item.type; });
        if (type == types.end()) {
            std::string known;
            for (const auto& t : types) known += (known.empty() ? "" : ", ") + t.code;
            return makeError(ErrorCode::InvalidArgument,
                             "Unknown evidence type \"" + item.type + "\"; the agency's types are: " + known + ".");
        }
        if (meaningfulLength(item.description) == 0) {
            return makeError(ErrorCode::InvalidArgument,
                             "Describe the evidence item (" + type->label + "): what it is and where it is kept.");
        }
        if (const auto named = phraseNamedIn(item.description, kTheSearch)) {
            return makeError(ErrorCode::PolicyViolation,
                             "The evidence item \"" + item.description + "\" (" + type->label + ") is the face search "
                             "itself (\"" + *named + "\"): its candidate list, rank or score is never independent "
                             "evidence (VI.B.1). Attach what the follow-up found apart from the search.");
        }
        if (!type->identificationProcedure)
            if (const auto named = phraseNamedIn(item.description, kLineUp))
                return makeError(ErrorCode::PolicyViolation,
                                 "The evidence item \"" + item.description + "\" (" + type->label + ") describes a "
                                 "line-up (\"" + *named + "\"): record it as a witness identification, which needs "
                                 "independent evidence from an earlier follow-up (issue 11, corroboration before "
                                 "action).");
        if (type->identificationProcedure && item.independentOfSearch)
            return makeError(ErrorCode::PolicyViolation,
                             "The evidence item \"" + item.description + "\" (" + type->label + ") cannot be attested "
                             "as standing apart from the face search: a line-up shows the witness the candidate the "
                             "search chose. Record it without the attestation (issue 11, corroboration before action).");
        if (type->identificationProcedure) lineUp = true;
    }
    if (lineUp && independentItemsBefore == 0) {
        return makeError(ErrorCode::PolicyViolation,
                         "A photo line-up (witness identification) cannot be recorded for a lead that has no "
                         "attested independent evidence yet: a line-up built straight from the face search only repeats it. "
                         "Record the independent evidence in a follow-up first; the line-up, if still needed, in a "
                         "later one (issue 11, corroboration before action).");
    }
    return {};
}

bool isLeadTransition(LeadStatus from, LeadStatus to) {
    using enum LeadStatus;
    switch (to) {
        case PossibleLead: return from == Candidate;
        case Excluded: return from == Candidate || from == PossibleLead;
        // A reviewed lead takes a new follow-up too, and goes back to review (trial 44 F10: evidence that clears the
        // person, found after the lead was cleared for action, could not be recorded anywhere).
        case FollowUpRecorded:
            return from == PossibleLead || from == FollowUpRecorded || from == ReturnedForFollowUp ||
                   from == ReviewedNotCleared || from == ClearedForAction;
        case ReturnedForFollowUp:
        case ReviewedNotCleared:
        case ClearedForAction: return from == FollowUpRecorded;
        case Candidate: return false;
    }
    return false;
}

std::string_view leadStatusName(LeadStatus status) { return detail::nameOf(kStatuses, status); }
std::string_view leadStatusLabel(LeadStatus status) { return detail::labelOf(kStatuses, status); }
std::optional<LeadStatus> leadStatusFromName(std::string_view name) { return detail::valueNamed(kStatuses, name); }
std::vector<LeadStatus> allLeadStatuses() {
    std::vector<LeadStatus> all;
    for (const auto& status : kStatuses) all.push_back(status.value);
    return all;
}
std::string_view followUpOutcomeName(FollowUpOutcome outcome) { return detail::nameOf(kOutcomes, outcome); }
std::optional<FollowUpOutcome> followUpOutcomeFromName(std::string_view name) {
    return detail::valueNamed(kOutcomes, name);
}

Result<LeadState> decideCandidate(const LeadState& state, const Actor& actor, LeadDecision decision,
                                  std::string_view note, const PolicySettings& settings) {
    if (!hasAnyRole(actor, {Role::Investigator, Role::CaseOfficer})) {
        return makeError(ErrorCode::PermissionDenied,
                         "Only an investigator or a case officer may mark a candidate as a possible lead or "
                         "exclude it (VI.B.3).");
    }
    const bool fromCandidate = state.status == LeadStatus::Candidate;
    const bool excludingLead = decision == LeadDecision::Exclude && state.status == LeadStatus::PossibleLead;
    if (!fromCandidate && !excludingLead) {
        return invalid(state.status, decision == LeadDecision::Exclude
                                         ? "Only a candidate or a possible lead not yet followed up can be excluded"
                                         : "Only a candidate can be marked as a possible lead");
    }
    FACELEAD_TRY(requireNote(note, "a note explaining the decision", settings));
    LeadState next = state;
    next.status = decision == LeadDecision::PossibleLead ? LeadStatus::PossibleLead : LeadStatus::Excluded;
    return next;
}

Result<LeadState> recordFollowUp(const LeadState& state, const Actor& actor, UserId assignedCaseOfficer,
                                 const FollowUp& followUp, const PolicySettings& settings) {
    if (actor.userId != assignedCaseOfficer || !actor.roles.count(Role::CaseOfficer)) {
        return makeError(ErrorCode::PermissionDenied,
                         "Only the case officer assigned to this case may record the follow-up of a lead "
                         "(VI.B.3: confirmation is performed by the assigned case officer).");
    }
    if (!isLeadTransition(state.status, LeadStatus::FollowUpRecorded)) {
        return invalid(state.status, "Follow-up is recorded for a possible lead; mark the candidate as a possible "
                                     "lead first");
    }
    // Trial 31 M4: a follow-up was recorded while the examiners disagreed, though the lead "cannot move" until then.
    if (state.examinersDisagree) {
        return makeError(ErrorCode::PolicyViolation,
                         "The examiners of this candidate disagree and no supervisor has resolved it: the lead takes "
                         "no follow-up until a supervisor resolves the disagreement (issue 11, independent "
                         "verification).");
    }
    FACELEAD_TRY(requireNote(followUp.stepsTaken, "the investigative steps taken (VI.B.3)", settings));
    if (followUp.outcome == FollowUpOutcome::Corroborated &&
        (meaningfulLength(followUp.corroboratingEvidence) < settings.minNoteChars ||
         restatesTheSearchOnly(followUp.corroboratingEvidence, settings.minNoteChars))) {
        return makeError(ErrorCode::PolicyViolation, scoreIsNotEvidence(settings));
    }
    FACELEAD_TRY(checkOutcomeAgreesWithChecklist(followUp));
    LeadState next = state;
    next.status = LeadStatus::FollowUpRecorded;
    next.followUpBy = actor.userId;
    next.followUpOutcome = followUp.outcome;
    next.followUpEvidence = followUp.corroboratingEvidence;
    next.latestFollowUpEvidenceItems = std::size_t(std::count_if(
        followUp.evidence.begin(), followUp.evidence.end(), [](const EvidenceItem& item) { return item.independentOfSearch; }));
    next.checklist = followUp.checklist;
    return next;
}

bool restatesTheSearchOnly(std::string_view evidence, std::size_t minChars) {
    // Words that only restate the search; numbers (scores, ranks, percentages) are dropped as well.
    static const std::set<std::string> kSearchWords{
        "fr", "facial", "face", "recognition", "search", "searched", "score", "scores", "scored", "similarity",
        "similar", "match", "matched", "matches", "matching", "rank", "ranked", "candidate", "candidates",
        "result", "results", "distance", "confidence", "percent", "hit", "top", "system", "facelead", "algorithm",
        "high", "strong", "very", "list", "first", "best", "the", "a", "an", "of", "and", "with", "is", "was",
        "at", "on", "by", "to", "as", "in", "for", "from",
        // How the search's answer is retold (trial 14B: "FaceLead returned him as the best match").
        "returned", "return", "returns", "came", "up", "showed", "shows", "gave", "produced", "suggested",
        "he", "she", "him", "her", "they", "them", "it"};
    std::size_t substance = 0;
    std::string word;
    const auto flush = [&] {
        if (!word.empty() && !kSearchWords.count(word)) substance += word.size();
        word.clear();
    };
    for (const char c : evidence) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalpha(u) || u >= 0x80) {
            word += static_cast<char>(std::tolower(u));
        } else {
            flush();  // digits, '%', '.', spaces: a number is never evidence of its own
        }
    }
    flush();
    return substance < minChars;
}

Result<LeadState> reviewFollowUp(const LeadState& state, const Actor& actor, const Review& review,
                                 const PolicySettings& settings) {
    if (!actor.roles.count(Role::Supervisor)) {
        return makeError(ErrorCode::PermissionDenied, "Only a supervisor may review the follow-up of a lead (VI.C.1).");
    }
    if (state.status != LeadStatus::FollowUpRecorded || !state.followUpBy || !state.followUpOutcome) {
        return invalid(state.status, "There is no follow-up to review: the assigned case officer must record the "
                                     "investigative follow-up first (VI.C.1)");
    }
    if (*state.followUpBy == actor.userId) {
        return makeError(ErrorCode::PermissionDenied,
                         "You recorded this follow-up yourself; another supervisor must review it (VI.C.1).");
    }
    // The supervisor confirms the follow-up she was shown, never one recorded while her review was open.
    if (review.followUpId == 0) {
        return makeError(ErrorCode::InvalidArgument,
                         "Name the follow-up you reviewed (the latest is follow-up #" +
                             std::to_string(state.followUpId) + ") (VI.C.1).");
    }
    // Follow-ups are numbered in the order recorded: a number above the latest is none of this lead's (trial 19B
    // LOW-4: a mistyped number was answered "a newer follow-up was recorded since you opened" it).
    if (review.followUpId > state.followUpId) {
        return makeError(ErrorCode::InvalidArgument,
                         "Follow-up #" + std::to_string(review.followUpId) + " is not a follow-up of this lead: its "
                         "latest follow-up is #" + std::to_string(state.followUpId) +
                             ". Name the follow-up you read (VI.C.1).");
    }
    if (review.followUpId != state.followUpId) {
        return makeError(ErrorCode::PolicyViolation,
                         "Follow-up #" + std::to_string(review.followUpId) +
                             " is not this lead's latest: a newer follow-up (#" + std::to_string(state.followUpId) +
                             ") was recorded after it: reopen the review to read #" +
                             std::to_string(state.followUpId) + " before you review the lead (VI.C.1).");
    }
    FACELEAD_TRY(requireNote(review.note, "a review note", settings));
    LeadState next = state;
    if (review.clearForAction) {
        if (!review.followUpConfirmed) {
            return invalid(state.status, "A lead can only be cleared for action once you confirm the officer "
                                         "conducted investigative follow-up (VI.C.1)");
        }
        if (*state.followUpOutcome != FollowUpOutcome::Corroborated) {
            return invalid(state.status, "The follow-up outcome is \"" +
                                             std::string(followUpOutcomeName(*state.followUpOutcome)) +
                                             "\": only a corroborated lead can be cleared for action (VI.B.1, VI.C.1)");
        }
        // Recorded before the rule, or by another build: the evidence is checked again where it counts.
        if (restatesTheSearchOnly(state.followUpEvidence, settings.minNoteChars))
            return makeError(ErrorCode::PolicyViolation, scoreIsNotEvidence(settings));
        FACELEAD_TRY(checkCorroborationGates(state));
        FACELEAD_TRY(checkVerified(state, settings.pack));
        next.status = LeadStatus::ClearedForAction;
    } else {
        next.status = review.followUpConfirmed ? LeadStatus::ReviewedNotCleared : LeadStatus::ReturnedForFollowUp;
    }
    return next;
}

}  // namespace facelead::workflow
