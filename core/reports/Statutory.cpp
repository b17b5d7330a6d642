#include "core/reports/Statutory.h"

#include <map>
#include <nlohmann/json.hpp>

#include "core/accounts/AccountService.h"
#include "core/accounts/Authority.h"
#include "core/admin/Administration.h"
#include "core/audit/AuditLog.h"
#include "core/reports/AnnualReview.h"
#include "core/training/TrainingService.h"

namespace facelead::reports {
namespace {

// The core refuses a search outside the pack's list, so an offence outside it was searched before the pack was in
// force, under a pack without this list (trial 19B LOW-4: "Not in the pack's list" read as a search let through).
constexpr std::string_view kUncategorised = "From an earlier pack";

// The name of the pack a search was held to, from its search.run details; "" when that is the report's own pack or
// the entry recorded none (a search from before packs were recorded counts under the pack in force).
std::string otherPackOf(const std::string& searchRunDetails, const workflow::PolicyPack& reportPack) {
    const auto details = nlohmann::json::parse(searchRunDetails, nullptr, false);
    if (!details.is_object() || !details.contains("rule_pack") || !details["rule_pack"].is_object()) return {};
    const auto& pack = details["rule_pack"];
    if (pack.value("id", std::string()) == reportPack.id) return {};
    return pack.value("name", pack.value("id", std::string("another pack"))) + " v" +
           std::to_string(pack.value("version", 0));
}

TimePoint startOf(int year) { return std::chrono::sys_days{std::chrono::year{year} / std::chrono::January / 1}; }
std::string yearStart(int year) { return toIsoUtc(startOf(year)); }

// One row per search of the year: its offence and purpose, candidates, examined candidates, leads cleared, run on an
// approval, and the details of its search.run entry (the rule pack it was held to).
constexpr const char* kSearchesOfYear =
    "SELECT c.offence, r.purpose_code, "
    " (SELECT count(*) FROM candidates k WHERE k.search_id = s.id), "
    " (SELECT count(DISTINCT k.id) FROM candidates k JOIN examinations e ON e.candidate_id = k.id "
    "  WHERE k.search_id = s.id), "
    " (SELECT count(*) FROM candidates k JOIN leads l ON l.candidate_id = k.id "
    "  WHERE k.search_id = s.id AND l.status = 'cleared_for_action'), "
    " EXISTS (SELECT 1 FROM search_approvals a WHERE a.used_by_request = r.id), "
    " (SELECT e.details FROM audit_log e WHERE e.action = 'search.run' AND e.object_type = 'search' "
    "  AND e.object_id = CAST(s.id AS TEXT) ORDER BY e.seq LIMIT 1) "
    "FROM searches s JOIN search_requests r ON r.id = s.request_id JOIN cases c ON c.id = r.case_id "
    "WHERE s.run_at >= ? AND s.run_at < ? ORDER BY s.id";

// The rule pack in force after each change of it: audit sequence -> pack id, from the signed settings.changed entries.
Result<std::map<std::int64_t, std::string>> packChanges(store::Store& store) {
    auto entries = audit::AuditLog::list(store, {.action = "settings.changed"});
    if (!entries) return entries.error();
    std::map<std::int64_t, std::string> changes;
    for (const auto& entry : *entries) {
        const auto details = nlohmann::json::parse(entry.detailsJson, nullptr, false);
        if (!details.is_object() || !details.contains("changes") || !details["changes"].is_array()) continue;
        for (const auto& change : details["changes"])
            if (change.is_object() && change.value("key", std::string()) == admin::kPolicyPackSetting)
                changes[entry.seq] = change.value("new", std::string());
    }
    return changes;
}

// The audited refusals of a search in the year made while `packId` was in force (SOP 302.02 VI.C.2 audits attempts
// too; trial 31 M3: every pack's report counted every refusal).
Result<int> refusedSearches(store::Store& store, int year, const std::string& packId) {
    auto changes = packChanges(store);
    if (!changes) return changes.error();
    const auto packAt = [&](std::int64_t seq) {
        const auto after = changes->lower_bound(seq);
        return after == changes->begin() ? std::string(workflow::kDefaultPackId) : std::prev(after)->second;
    };
    audit::AuditFilter filter;
    filter.action = "access.refused";
    filter.from = startOf(year);
    filter.to = startOf(year + 1);
    auto entries = audit::AuditLog::list(store, filter);
    if (!entries) return entries.error();
    const std::string runSearch(workflow::actionLabel(workflow::Action::RunSearch));
    int refused = 0;
    for (const auto& entry : *entries) {
        const auto details = nlohmann::json::parse(entry.detailsJson, nullptr, false);
        const auto what = details.is_object() ? details.value("action", std::string()) : std::string();
        if ((what == "search.submit" || what == runSearch) && packAt(entry.seq) == packId) ++refused;
    }
    return refused;
}

Result<StatutoryCounts> countsOf(store::Store& store, int year) {
    if (year < 2000 || year > 2200) return makeError(ErrorCode::InvalidArgument, "Choose a year between 2000 and 2200.");
    auto settings = admin::loadSettings(store);
    if (!settings) return settings.error();
    auto trainingStore = training::isTrainingStore(store);
    if (!trainingStore) return trainingStore.error();
    StatutoryCounts counts;
    counts.year = year;
    counts.pack = admin::policySettings(*settings).pack;
    counts.trainingStore = *trainingStore;
    std::map<std::string, int> perPurpose;
    std::map<std::string, CrimeTypeCount> perCrime;
    std::map<std::string, int> otherPacks;
    auto rows = store.prepare(kSearchesOfYear);
    if (!rows) return rows.error();
    rows->bind(1, yearStart(year)).bind(2, yearStart(year + 1));
    for (;;) {
        auto more = rows->step();
        if (!more) return more.error();
        if (!*more) break;
        if (const std::string other = otherPackOf(rows->getText(6), counts.pack); !other.empty()) {
            ++otherPacks[other];
            continue;
        }
        const auto* category = counts.pack.categoryOf(rows->getText(0));
        const std::string crime = category ? category->label
                                  : counts.pack.offenceCategories.empty() ? rows->getText(0)
                                                                          : std::string(kUncategorised);
        auto& row = perCrime[crime];
        row.system = std::string(kSearchSystem);
        row.crimeType = crime;
        ++row.searches;
        row.candidates += static_cast<int>(rows->getInt(2));
        row.examinedCandidates += static_cast<int>(rows->getInt(3));
        row.ledToAction += static_cast<int>(rows->getInt(4));
        counts.ledToAction += static_cast<int>(rows->getInt(4));
        counts.approvedSearches += rows->getInt(5) != 0 ? 1 : 0;
        ++counts.searches;
        ++perPurpose[rows->getText(1)];
    }
    for (auto& [crime, row] : perCrime) counts.perSystemAndCrimeType.push_back(std::move(row));
    counts.underOtherPacks.assign(otherPacks.begin(), otherPacks.end());
    for (const auto& info : workflow::purposes())
        counts.perPurpose.emplace_back(std::string(info.citation), perPurpose[std::string(info.code)]);
    auto refused = refusedSearches(store, year, counts.pack.id);
    if (!refused) return refused.error();
    counts.refusedAttempts = *refused;
    return counts;
}

Table crimeTable(const StatutoryCounts& counts, bool humanReview) {
    Table table;
    table.columns = {"System", "Crime type", "Searches", "Candidates"};
    if (humanReview) table.columns.push_back("Candidates given human review");
    table.columns.push_back("Results that led to action");
    for (const auto& row : counts.perSystemAndCrimeType) {
        std::vector<std::string> cells{row.system, row.crimeType, std::to_string(row.searches),
                                       std::to_string(row.candidates)};
        if (humanReview) cells.push_back(std::to_string(row.examinedCandidates));
        cells.push_back(std::to_string(row.ledToAction));
        table.rows.push_back(std::move(cells));
    }
    return table;
}

Table purposeTable(const StatutoryCounts& counts) {
    Table table{{"Purpose (SOP 302.02 VI.A)", "Searches"}, {}};
    for (const auto& [citation, searches] : counts.perPurpose) table.rows.push_back({citation, std::to_string(searches)});
    return table;
}

std::string otherPacksText(const StatutoryCounts& counts) {
    std::string text;
    for (const auto& [pack, searches] : counts.underOtherPacks)
        text += (text.empty() ? "" : "; ") + pack + ": " + std::to_string(searches);
    return text.empty() ? "none" : text;
}

Fields summary(const StatutoryCounts& counts) {
    return Fields{{{"Year", std::to_string(counts.year)},
                   {"Rule pack", counts.pack.name()},
                   {"Source", counts.pack.source},
                   {"Searches", std::to_string(counts.searches)},
                   {"Searches approved by a second approver first", std::to_string(counts.approvedSearches)},
                   {"Refused search attempts (audited)", std::to_string(counts.refusedAttempts)},
                   {"Results that led to action (leads cleared for action, VI.C.1)", std::to_string(counts.ledToAction)},
                   {"Searches held to another rule pack (not counted here)", otherPacksText(counts)}}};
}

ReportDocument countsDocument(const StatutoryCounts& counts, const std::string& agencyName) {
    ReportDocument doc;
    doc.agencyName = agencyName;
    doc.trainingStore = counts.trainingStore;
    const bool maryland = counts.pack.report == workflow::StatutoryReportKind::Maryland2510;
    doc.title = maryland ? "Annual facial recognition report " + std::to_string(counts.year) + " (Md. Crim. Proc. 2-510)"
                         : "Annual facial recognition records of use " + std::to_string(counts.year) + " (RCW 43.386)";
    doc.sections.push_back({"Summary", {summary(counts)}});
    doc.sections.push_back(
        {maryland ? "Searches per system and crime type, and results that led to action (2-510)"
                  : "Searches per crime type, human review (RCW 43.386.050) and results that led to action",
         {crimeTable(counts, !maryland)}});
    doc.sections.push_back({"Searches per purpose", {purposeTable(counts)}});
    return doc;
}

Result<ReportDocument> documentFor(accounts::Session& session, int year, const std::string& agencyName) {
    auto counts = countsOf(session.store(), year);
    if (!counts) return counts.error();
    if (counts->pack.report != workflow::StatutoryReportKind::SopAnnualReview)
        return countsDocument(*counts, agencyName);
    auto review = computeAnnualReview(session, year);
    if (!review) return review.error();
    return annualReviewReport(*review, agencyName, "", session.store().now());
}

}  // namespace

Result<StatutoryCounts> computeStatutoryCounts(accounts::Session& session, int year) {
    return accounts::refusalsAudited(session, "report.statutory", [&]() -> Result<StatutoryCounts> {
        FACELEAD_TRY(accounts::authorize(session, workflow::Action::ProduceReport));
        FACELEAD_TRY(requireCasesAsSigned(session, "The statutory report"));
        return countsOf(session.store(), year);
    });
}

Result<ReportDocument> statutoryReport(accounts::Session& session, int year) {
    return accounts::refusalsAudited(session, "report.statutory", [&]() -> Result<ReportDocument> {
        auto user = accounts::authorize(session, workflow::Action::ProduceReport);
        if (!user) return user.error();
        FACELEAD_TRY(requireCasesAsSigned(session, "The statutory report"));
        auto settings = admin::loadSettings(session.store());
        if (!settings) return settings.error();
        auto doc = documentFor(session, year, settings->agencyName);
        if (!doc) return doc.error();
        doc->generatedBy = user->username;
        doc->generatedAt = toIsoUtc(session.store().now());
        const auto pack = admin::policySettings(*settings).pack;
        FACELEAD_TRY(session.store().transact([&](store::Transaction& tx) {
            return audit::AuditLog::append(
                tx, {session.userId(), "report.statutory", "report", std::to_string(year),
                     nlohmann::json{{"year", year}, {"pack", pack.id}, {"pack_version", pack.version},
                                    {"report", workflow::statutoryReportName(pack.report)}}.dump()});
        }));
        return doc;
    });
}

}  // namespace facelead::reports
