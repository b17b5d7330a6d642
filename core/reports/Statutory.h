#pragma once
// The annual report the agency's rule pack asks for (issue 11 item 5; workflow::PolicyPack::report), read from the
// store for one calendar year:
// - SOP 302.02 (default): the annual review of usage by licensed operators (VI.C.2.c, AnnualReview.h);
// - Maryland, Crim. Proc. 2-510: searches per system and crime type (the pack's offence categories), and the
//   results that led to action (leads cleared for action after review, SOP VI.C.1);
// - Washington, RCW 43.386: the records of use for public reporting and auditing (RCW 43.386.090): searches per
//   purpose and crime type, the searches a supervisor approved first (RCW 43.386.080), the candidates given
//   meaningful human review (examined, RCW 43.386.050) and the results that led to action.
// Program administrator only (workflow::Action::RunAudit); a refusal is audited, and so is each report produced
// ("report.statutory").

#include <string>
#include <utility>
#include <vector>

#include "core/accounts/Session.h"
#include "core/common/Result.h"
#include "core/reports/ReportDocument.h"
#include "core/workflow/PolicyPack.h"

namespace facelead::reports {

// The one system whose searches this store records: the workstation against the agency's own gallery.
inline constexpr std::string_view kSearchSystem = "FaceLead workstation (agency gallery)";

struct CrimeTypeCount {
    std::string system;
    std::string crimeType;  // the pack's category label; "From an earlier pack" for a search run before
                            // the pack was chosen
    int searches = 0;
    int candidates = 0;
    int examinedCandidates = 0;  // with at least one recorded examination (human review)
    int ledToAction = 0;         // leads cleared for action
};

struct StatutoryCounts {
    int year = 0;
    workflow::PolicyPack pack;
    bool trainingStore = false;
    int searches = 0;
    int refusedAttempts = 0;    // "access.refused" of a search in the year
    int approvedSearches = 0;   // searches run on a second approver's approval
    int ledToAction = 0;
    std::vector<CrimeTypeCount> perSystemAndCrimeType;
    std::vector<std::pair<std::string, int>> perPurpose;  // citation, searches; every purpose of VI.A
    // Searches of the year held to another pack (as their search.run entry recorded it), by that pack's name, and
    // counted nowhere above: a report under one statute never counts searches held to another (trial 27 F14).
    std::vector<std::pair<std::string, int>> underOtherPacks;
};

// The counts behind the Maryland and Washington reports (any pack; role-checked, refusal audited, not logged).
Result<StatutoryCounts> computeStatutoryCounts(accounts::Session& session, int year);

// The active pack's report for the year as a document, audited "report.statutory" {year, pack, report}.
Result<ReportDocument> statutoryReport(accounts::Session& session, int year);

}  // namespace facelead::reports
