#include "core/reports/Statistics.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <ostream>

#include "core/accounts/Authority.h"
#include "core/reports/AnnualReview.h"
#include "core/training/TrainingService.h"
#include "core/workflow/Leads.h"
#include "core/workflow/Purposes.h"

namespace facelead::reports {
namespace {

constexpr std::array<const char*, 12> kMonthNames{"January", "February", "March",     "April",   "May",      "June",
                                                  "July",    "August",   "September", "October", "November", "December"};

struct SizeBucket {
    int upTo;  // inclusive upper bound
    const char* key;
};
constexpr std::array kSizeBuckets{SizeBucket{0, "0"},     SizeBucket{5, "1-5"},   SizeBucket{10, "6-10"},
                                  SizeBucket{20, "11-20"}, SizeBucket{50, "21-50"}, SizeBucket{INT32_MAX, "51+"}};

// "2026-03" for every month touched by [from, to).
std::vector<Count> emptyMonths(const Period& period) {
    using namespace std::chrono;
    std::vector<Count> result;
    if (period.to <= period.from) return result;
    year_month ym{year_month_day{floor<days>(period.from)}.year(), year_month_day{floor<days>(period.from)}.month()};
    const auto lastDay = year_month_day{floor<days>(period.to - milliseconds(1))};
    const year_month last{lastDay.year(), lastDay.month()};
    for (; ym <= last; ym += std::chrono::months{1}) {
        char key[16];
        std::snprintf(key, sizeof key, "%04d-%02u", static_cast<int>(ym.year()), static_cast<unsigned>(ym.month()));
        result.push_back({key, std::string(kMonthNames[static_cast<unsigned>(ym.month()) - 1]) + " " +
                                   std::to_string(static_cast<int>(ym.year())),
                          0});
    }
    return result;
}

std::string leadStatusText(const std::string& name) {
    const auto status = workflow::leadStatusFromName(name);
    return status ? std::string(workflow::leadStatusLabel(*status)) : name;
}

std::string purposeText(const std::string& code) {
    const auto purpose = workflow::purposeFromCode(code);
    if (!purpose) return code;
    const auto& info = workflow::purposeInfo(*purpose);
    return std::string(info.citation) + " " + std::string(info.label);
}

// Runs "SELECT key, count" with the period bound to ?1 and ?2 and returns the counts, most first.
Result<std::vector<Count>> groupedCounts(store::Store& store, const char* sql, const Period& period,
                                         std::string (*label)(const std::string&)) {
    auto st = store.prepare(sql);
    if (!st) return st.error();
    st->bind(1, toIsoUtc(period.from)).bind(2, toIsoUtc(period.to));
    std::vector<Count> counts;
    for (;;) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        const auto key = st->getText(0);
        counts.push_back({key, label ? label(key) : key, static_cast<int>(st->getInt(1))});
    }
    std::stable_sort(counts.begin(), counts.end(), [](const Count& a, const Count& b) { return a.count > b.count; });
    return counts;
}

int sum(const std::vector<Count>& counts) {
    int total = 0;
    for (const auto& c : counts) total += c.count;
    return total;
}

Result<UsageStatistics> statisticsOf(store::Store& store, const Period& period, const ProgressFn& progress) {
    constexpr int kSteps = 6;
    int step = 0;
    const auto advance = [&](std::string_view what) {
        return reportStep(progress, step++, kSteps, what, "statistics report");
    };

    UsageStatistics stats;
    stats.period = period;
    auto trainingStore = training::isTrainingStore(store);
    if (!trainingStore) return trainingStore.error();
    stats.trainingStore = *trainingStore;

    FACELEAD_TRY(advance("Searches per month"));
    stats.searchesPerMonth = emptyMonths(period);
    auto months = groupedCounts(store,
                                "SELECT substr(run_at, 1, 7), count(*) FROM searches WHERE run_at >= ?1 AND run_at < ?2 "
                                "GROUP BY 1",
                                period, nullptr);
    if (!months) return months.error();
    for (const auto& m : *months)
        for (auto& slot : stats.searchesPerMonth)
            if (slot.key == m.key) slot.count = m.count;
    stats.totalSearches = sum(*months);

    FACELEAD_TRY(advance("Searches per purpose"));
    for (const auto& info : workflow::purposes())
        stats.searchesPerPurpose.push_back(
            {std::string(info.code), std::string(info.citation) + " " + std::string(info.label), 0});
    auto purposes = groupedCounts(store,
                                  "SELECT r.purpose_code, count(*) FROM searches s JOIN search_requests r ON "
                                  "r.id = s.request_id WHERE s.run_at >= ?1 AND s.run_at < ?2 GROUP BY 1",
                                  period, purposeText);
    if (!purposes) return purposes.error();
    for (const auto& p : *purposes) {
        const auto known = std::find_if(stats.searchesPerPurpose.begin(), stats.searchesPerPurpose.end(),
                                        [&](const Count& c) { return c.key == p.key; });
        if (known != stats.searchesPerPurpose.end())
            known->count = p.count;
        else
            stats.searchesPerPurpose.push_back(p);  // a code from a newer catalogue: still counted
    }

    FACELEAD_TRY(advance("Searches per user"));
    auto users = groupedCounts(store,
                               "SELECT u.username, count(*) FROM searches s JOIN users u ON u.id = s.run_by "
                               "WHERE s.run_at >= ?1 AND s.run_at < ?2 GROUP BY 1",
                               period, nullptr);
    if (!users) return users.error();
    stats.searchesPerUser = std::move(*users);

    FACELEAD_TRY(advance("Leads"));
    auto leads = groupedCounts(store,
                               "SELECT status, count(*) FROM leads WHERE marked_at >= ?1 AND marked_at < ?2 GROUP BY 1",
                               period, leadStatusText);
    if (!leads) return leads.error();
    stats.leadsByStatus = std::move(*leads);
    stats.totalLeads = sum(stats.leadsByStatus);

    FACELEAD_TRY(advance("Follow-ups and reviews"));
    auto outcomes = groupedCounts(
        store, "SELECT outcome, count(*) FROM follow_ups WHERE recorded_at >= ?1 AND recorded_at < ?2 GROUP BY 1",
        period, nullptr);
    if (!outcomes) return outcomes.error();
    stats.followUpOutcomes = std::move(*outcomes);
    stats.totalFollowUps = sum(stats.followUpOutcomes);
    auto decisions = groupedCounts(
        store, "SELECT decision, count(*) FROM reviews WHERE reviewed_at >= ?1 AND reviewed_at < ?2 GROUP BY 1",
        period, nullptr);
    if (!decisions) return decisions.error();
    stats.reviewDecisions = std::move(*decisions);

    FACELEAD_TRY(advance("Candidate-list sizes"));
    for (const auto& bucket : kSizeBuckets) stats.candidateListSizes.push_back({bucket.key, bucket.key, 0});
    auto sizes = store.prepare(
        "SELECT (SELECT count(*) FROM candidates c WHERE c.search_id = s.id) FROM searches s "
        "WHERE s.run_at >= ? AND s.run_at < ?");
    if (!sizes) return sizes.error();
    sizes->bind(1, toIsoUtc(period.from)).bind(2, toIsoUtc(period.to));
    long long totalCandidates = 0;
    int searchesCounted = 0;
    for (;;) {
        auto row = sizes->step();
        if (!row) return row.error();
        if (!*row) break;
        const int size = static_cast<int>(sizes->getInt(0));
        totalCandidates += size;
        ++searchesCounted;
        stats.maxCandidateListSize = std::max(stats.maxCandidateListSize, size);
        for (std::size_t i = 0; i < kSizeBuckets.size(); ++i)
            if (size <= kSizeBuckets[i].upTo) {
                ++stats.candidateListSizes[i].count;
                break;
            }
    }
    stats.meanCandidateListSize = searchesCounted ? static_cast<double>(totalCandidates) / searchesCounted : 0.0;
    FACELEAD_TRY(advance("Done"));
    return stats;
}

}  // namespace

Result<UsageStatistics> computeStatistics(accounts::Session& session, const Period& period, const ProgressFn& progress) {
    return accounts::refusalsAudited(session, "statistics.compute", [&]() -> Result<UsageStatistics> {
        FACELEAD_TRY(accounts::authorize(session, workflow::Action::ViewStatistics));
        // Counted from the case rows, as the annual review: an edited purpose or "run by" was drawn as true
        // (trial 22A F4).
        FACELEAD_TRY(requireCasesAsSigned(session, "The usage statistics report"));
        return statisticsOf(session.store(), period, progress);
    });
}

std::vector<std::pair<std::string, Table>> statisticsTables(const UsageStatistics& stats) {
    const auto table = [](const std::string& what, const std::vector<Count>& counts) {
        Table t{{what, "Count"}, {}};
        for (const auto& c : counts) t.rows.push_back({c.label, std::to_string(c.count)});
        return t;
    };
    return {
        {"Searches per month", table("Month", stats.searchesPerMonth)},
        {"Searches per purpose (SOP 302.02 VI.A)", table("Purpose", stats.searchesPerPurpose)},
        {"Searches per user", table("User", stats.searchesPerUser)},
        {"Leads by status (VI.B.1, VI.B.3)", table("Status", stats.leadsByStatus)},
        {"Follow-up outcomes (VI.B.3)", table("Outcome", stats.followUpOutcomes)},
        {"Supervisor review decisions (VI.C.1)", table("Decision", stats.reviewDecisions)},
        {"Candidate-list sizes (searches by candidates returned)", table("Candidates", stats.candidateListSizes)},
    };
}

ReportDocument statisticsReport(const UsageStatistics& stats, const std::string& agencyName,
                                const std::string& generatedBy, TimePoint generatedAt) {
    ReportDocument doc;
    doc.title = "Facial recognition usage statistics";
    doc.agencyName = agencyName;
    doc.generatedAt = toIsoUtc(generatedAt);
    doc.generatedBy = generatedBy;
    doc.trainingStore = stats.trainingStore;
    char mean[32];
    std::snprintf(mean, sizeof mean, "%.1f", stats.meanCandidateListSize);
    doc.sections.push_back(
        {"Summary",
         {Fields{{{"Period", toIsoUtc(stats.period.from) + " to " + toIsoUtc(stats.period.to) + " (exclusive)"},
                  {"Searches", std::to_string(stats.totalSearches)},
                  {"Leads marked", std::to_string(stats.totalLeads)},
                  {"Follow-ups recorded", std::to_string(stats.totalFollowUps)},
                  {"Mean candidate-list size", mean},
                  {"Largest candidate list", std::to_string(stats.maxCandidateListSize)}}},
          Paragraph{"Statistical reporting under SOP 302.02 VI.C.2. A candidate list contains investigative leads "
                    "only (VI.B.1)."}}});
    for (auto& [heading, table] : statisticsTables(stats)) doc.sections.push_back({heading, {std::move(table)}});
    return doc;
}

void writeStatisticsCsv(std::ostream& out, const UsageStatistics& stats) {
    Table all{{"Breakdown", "Item", "Count"}, {}};
    for (const auto& [heading, table] : statisticsTables(stats))
        for (const auto& row : table.rows) all.rows.push_back({heading, row[0], row[1]});
    writeCsv(out, all, stats.trainingStore);
}

}  // namespace facelead::reports
