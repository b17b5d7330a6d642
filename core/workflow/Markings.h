#pragma once
// The markings SOP 302.02 requires on every screen, print and export: one wording, one place.

#include <string_view>

namespace facelead::workflow {

// VI.B.6, VI.C.2.d: everything FaceLead produces is criminal intelligence / investigative information.
inline constexpr std::string_view kIntelligenceMarking =
    "Criminal intelligence / active criminal investigative information \u2014 release only in accordance with "
    "public-records law";
// VI.B.1: results are leads, never identifications.
inline constexpr std::string_view kLeadOnlyDisclaimer =
    "Investigative lead only \u2014 not a positive identification and not probable cause. Corroborate by further "
    "investigation before any action.";
// VI.B.1 in the SOP's own words: the statement a disclosure packet opens with (issue 11 item 4).
inline constexpr std::string_view kNotProbableCauseStatement =
    "The agency considers the results, if any, of a facial recognition search to be advisory in nature and an "
    "investigative lead only. Facial recognition search results are not considered positive identification of a "
    "subject and do not, on their own, establish probable cause, without further investigation. Any possible "
    "connection or involvement of the subject(s) to the investigation must be determined through further "
    "investigative methods.";
inline constexpr std::string_view kMarkingCitation = "SOP 302.02 VI.B.6, VI.C.2.d, VI.B.1";
// Printed on everything made from a trainer-mode store.
inline constexpr std::string_view kTrainingMarking = "TRAINING \u2014 demo data, not a live case";

}  // namespace facelead::workflow
