// Usage statistics on a store with known counts (SOP 302.02 VI.C.2: statistical reporting).

#include <catch2/catch.hpp>

#include <sstream>

#include "core/reports/Statistics.h"
#include "core/training/TrainingService.h"
#include "tests/unit/reports/UsageFixture.h"
#include "core/workflow/Markings.h"

using namespace facelead;

namespace {

int countOf(const std::vector<reports::Count>& counts, const std::string& key) {
    for (const auto& c : counts)
        if (c.key == key) return c.count;
    return -1;  // absent
}

const reports::Period kFirstQuarter{test::utc(2026, 1, 1, 0), test::utc(2026, 4, 1, 0)};

}  // namespace

TEST_CASE("Statistics count searches per month, purpose and user inside the period only", "[reports][statistics]") {
    test::UsageFixture fx;
    auto stats = reports::computeStatistics(*fx.admin, kFirstQuarter);
    REQUIRE(stats);
    CHECK(stats->totalSearches == 6);  // the December search is outside
    REQUIRE(stats->searchesPerMonth.size() == 3);
    CHECK(stats->searchesPerMonth[0].key == "2026-01");
    CHECK(stats->searchesPerMonth[0].label == "January 2026");
    CHECK(stats->searchesPerMonth[0].count == 2);
    CHECK(stats->searchesPerMonth[1].count == 3);
    CHECK(stats->searchesPerMonth[2].count == 1);

    CHECK(stats->searchesPerPurpose.size() == 8);  // every purpose of VI.A, zeros included
    CHECK(countOf(stats->searchesPerPurpose, "identify_unable") == 3);
    CHECK(countOf(stats->searchesPerPurpose, "tips_and_leads") == 2);
    CHECK(countOf(stats->searchesPerPurpose, "active_investigation") == 1);
    CHECK(countOf(stats->searchesPerPurpose, "suspected_offence") == 0);

    CHECK(countOf(stats->searchesPerUser, "ivan") == 3);
    CHECK(countOf(stats->searchesPerUser, "ines") == 3);
    CHECK(countOf(stats->searchesPerUser, "cora") == -1);
}

TEST_CASE("Statistics count leads, follow-ups, reviews and candidate-list sizes", "[reports][statistics]") {
    test::UsageFixture fx;
    auto stats = reports::computeStatistics(*fx.admin, kFirstQuarter);
    REQUIRE(stats);
    CHECK(stats->totalLeads == 4);
    CHECK(countOf(stats->leadsByStatus, "possible_lead") == 2);
    CHECK(countOf(stats->leadsByStatus, "excluded") == 1);
    CHECK(countOf(stats->leadsByStatus, "cleared_for_action") == 1);
    CHECK(stats->totalFollowUps == 2);
    CHECK(countOf(stats->followUpOutcomes, "corroborated") == 1);
    CHECK(countOf(stats->reviewDecisions, "cleared_for_action") == 1);

    // Candidate lists of 3, 0, 7, 12, 25 and 60.
    CHECK(countOf(stats->candidateListSizes, "0") == 1);
    CHECK(countOf(stats->candidateListSizes, "1-5") == 1);
    CHECK(countOf(stats->candidateListSizes, "6-10") == 1);
    CHECK(countOf(stats->candidateListSizes, "11-20") == 1);
    CHECK(countOf(stats->candidateListSizes, "21-50") == 1);
    CHECK(countOf(stats->candidateListSizes, "51+") == 1);
    CHECK(stats->maxCandidateListSize == 60);
    CHECK(stats->meanCandidateListSize == Approx(107.0 / 6));
    CHECK_FALSE(stats->trainingStore);
}

TEST_CASE("An empty period gives zeros, not errors", "[reports][statistics]") {
    test::UsageFixture fx;
    auto stats = reports::computeStatistics(*fx.admin, {test::utc(2024, 1, 1, 0), test::utc(2024, 2, 1, 0)});
    REQUIRE(stats);
    CHECK(stats->totalSearches == 0);
    REQUIRE(stats->searchesPerMonth.size() == 1);
    CHECK(stats->meanCandidateListSize == 0.0);
}

TEST_CASE("Statistics can be cancelled through the progress callback", "[reports][statistics]") {
    test::UsageFixture fx;
    int calls = 0;
    auto stats = reports::computeStatistics(*fx.admin, kFirstQuarter, [&](int, int, std::string_view) {
        return ++calls < 3;
    });
    REQUIRE_FALSE(stats);
    CHECK(stats.error().code == ErrorCode::Cancelled);
}

TEST_CASE("The statistics CSV starts with the markings and holds every figure", "[reports][statistics][csv]") {
    test::UsageFixture fx;
    auto stats = reports::computeStatistics(*fx.admin, kFirstQuarter);
    REQUIRE(stats);
    std::ostringstream csv;
    reports::writeStatisticsCsv(csv, *stats);
    const auto text = csv.str();
    CHECK(text.rfind(std::string(workflow::kIntelligenceMarking), 0) == 0);
    CHECK_THAT(text, Catch::Contains(std::string(workflow::kLeadOnlyDisclaimer)));
    CHECK_THAT(text, Catch::Contains("Searches per month,January 2026,2"));
    CHECK_THAT(text, Catch::Contains("Searches per user,ivan,3"));

    const auto doc = reports::statisticsReport(*stats, "North Port PD", "admin", test::utc(2026, 4, 2));
    CHECK(doc.sections.size() == 8);
}

TEST_CASE("A training store's statistics are marked as training", "[reports][statistics][training]") {
    test::AccountabilityFixture live;
    auto created = training::createTrainingStore(live.dir / "class.store", live.storePath, "trainer", "Tess Trainer",
                                                 test::kPassword, live.clock, live.policy);
    REQUIRE(created);
    auto stats = reports::computeStatistics(created->session, kFirstQuarter);
    REQUIRE(stats);
    CHECK(stats->trainingStore);
    CHECK(reports::statisticsReport(*stats, "x", "y", live.clock->now()).trainingStore);
    // The live store's own figures are unaffected and not marked.
    CHECK_FALSE(reports::computeStatistics(*live.admin, kFirstQuarter)->trainingStore);
}

TEST_CASE("CSV fields are quoted and spreadsheet formulas neutralised", "[reports][csv]") {
    CHECK(reports::csvField("plain") == "plain");
    CHECK(reports::csvField("a,b") == "\"a,b\"");
    CHECK(reports::csvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(reports::csvField("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
}
