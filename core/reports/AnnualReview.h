#pragma once
// The annual review of usage by each licensed operator (SOP 302.02 VI.C.2.c, with the inactivity NOTE):
// for one calendar year, per account: searches and their purposes, training status, last activity and
// inactivity, approvals, suspensions and deactivations in the year. Read-only; printed as PDF by the UI.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/common/Result.h"
#include "core/reports/AuditLogState.h"
#include "core/reports/Progress.h"
#include "core/reports/ReportDocument.h"
#include "core/accounts/Session.h"
#include "core/store/Store.h"
#include "core/training/TrainingStatus.h"

namespace facelead::reports {

struct OperatorYear {
    std::int64_t userId = 0;
    std::string username;
    std::string displayName;
    std::string roles;                       // labels joined by ", "
    std::string statusNow;                   // "active", ...
    std::string approvedAt;                  // "" when never approved
    training::TrainingStatus trainingAtYearEnd = training::TrainingStatus::NotTrained;
    std::string trainingCompletedAt;
    int searches = 0;
    std::vector<std::pair<std::string, int>> searchesPerPurpose;  // citation, count
    std::string lastActivityAt;
    std::optional<int> daysInactiveAtYearEnd;  // nullopt: never active
    std::vector<std::string> accountEvents;    // "2026-05-02 user.deactivated_inactive (...)", in the year
};

struct AnnualReview {
    int year = 0;
    bool trainingStore = false;
    int licenceSeats = 0;
    int inactivityDays = 0;
    int totalSearches = 0;
    int deactivationsInYear = 0;
    std::vector<OperatorYear> operators;  // every account that existed during the year
    // The log the counts are read from, verified when the review was made (trial 23A F5: a search dated a year back
    // under a shifted clock was in no year's review, which said nothing).
    AuditLogState auditLog;
};

// AuditChainBroken unless every case holds to the signed log: a report counted from edited rows carries the
// insider's edit (trial 20A F6: his search under a colleague's name; trial 21A N2: a search under an edited offence).
// `report` names the report in the refusal.
Result<void> requireCasesAsSigned(accounts::Session& session, const std::string& report);

// Needs workflow::Action::RunAudit (program administrator); a refusal is audited.
Result<AnnualReview> computeAnnualReview(accounts::Session& session, int year, const ProgressFn& progress = {});
ReportDocument annualReviewReport(const AnnualReview& review, const std::string& agencyName,
                                  const std::string& generatedBy, TimePoint generatedAt);

}  // namespace facelead::reports
