#pragma once
// Usage statistics for accountability (SOP 302.02 VI.C.2: "subject to audit for statistical reporting"):
// searches per month, per purpose (VI.A) and per user; leads by status, follow-ups and their outcomes,
// supervisor review decisions (VI.B.3, VI.C.1); candidate-list sizes. Computed from one store; a trainer-mode
// store is marked as such, and training searches never enter the live store's figures (separate files).

#include <iosfwd>
#include <string>
#include <vector>

#include "core/common/Clock.h"
#include "core/common/Result.h"
#include "core/reports/Progress.h"
#include "core/reports/ReportDocument.h"
#include "core/accounts/Session.h"
#include "core/store/Store.h"

namespace facelead::reports {

struct Count {
    std::string key;    // stable: "2026-03", a purpose code, a user name, a status
    std::string label;  // for people: "March 2026", "VI.A.3 Identify a person unable to ...", ...
    int count = 0;
};

struct Period {
    TimePoint from;  // inclusive
    TimePoint to;    // exclusive
};

// Candidate-list size buckets, smallest first: "0", "1-5", "6-10", "11-20", "21-50", "51+".
struct UsageStatistics {
    Period period;
    bool trainingStore = false;
    int totalSearches = 0;
    std::vector<Count> searchesPerMonth;     // every month of the period, zeros included
    std::vector<Count> searchesPerPurpose;   // every purpose of VI.A, zeros included
    std::vector<Count> searchesPerUser;      // users who ran at least one search, most first
    std::vector<Count> leadsByStatus;        // leads marked in the period
    int totalLeads = 0;
    int totalFollowUps = 0;
    std::vector<Count> followUpOutcomes;
    std::vector<Count> reviewDecisions;
    std::vector<Count> candidateListSizes;   // searches by number of candidates returned
    double meanCandidateListSize = 0.0;
    int maxCandidateListSize = 0;
};

// Reads the store (no writes). Cancelled when progress returns false.
// Needs workflow::Action::ViewStatistics (intel supervisor, program administrator); a refusal is audited.
Result<UsageStatistics> computeStatistics(accounts::Session& session, const Period& period,
                                          const ProgressFn& progress = {});

// The figures as tables (one per breakdown) and as a printable report.
std::vector<std::pair<std::string, Table>> statisticsTables(const UsageStatistics& stats);
ReportDocument statisticsReport(const UsageStatistics& stats, const std::string& agencyName,
                                const std::string& generatedBy, TimePoint generatedAt);
// All breakdowns in one CSV (a "breakdown" column first), markings on top.
void writeStatisticsCsv(std::ostream& out, const UsageStatistics& stats);

}  // namespace facelead::reports
