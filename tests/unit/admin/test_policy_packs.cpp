// Agency rule packs (issue 11 item 5): the shipped packs parse; a bad pack is a typed error naming its problem;
// the pack bounds the agency's candidate-list size and training validity; choosing one is a program
// administrator's audited settings change.

#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/admin/Administration.h"
#include "core/admin/AgencySettings.h"
#include "core/audit/AuditLog.h"
#include "core/workflow/PolicyPack.h"
#include "core/workflow/SearchRequest.h"
#include "tests/unit/admin/AccountabilityFixture.h"

using namespace facelead;
using nlohmann::json;

namespace {

json marylandJson() {
    auto pack = workflow::findPack("maryland-2024");
    REQUIRE(pack);
    return json{{"format", "facelead-policy-pack/1"},
                {"id", "test-pack"},
                {"version", 2},
                {"title", "Test pack"},
                {"source", "Test statute 1-101"},
                {"offenceCategories", json::array({{{"code", "burglary"}, {"label", "Burglary"}, {"citation", "1-101(a)"}}})},
                {"purposesAllowed", {"suspected_offence", "critical_incident"}},
                {"secondApprover", {{"purposes", {"critical_incident"}}, {"citation", "1-101(b)"}}},
                {"candidateList", {{"min", 2}, {"max", 50}, {"default", 20}, {"citation", "NGI-IPS"}}},
                {"trainingValidityDays", 365},
                {"retention", {{"probeDays", 30}, {"searchRecordDays", 60}, {"citation", "1-101(c)"}}},
                {"independentVerification", {{"beforeClearing", true}, {"citation", "1-101(d)"}}},
                {"statutoryReport", "maryland-2-510"}};
}

ErrorCode parseError(const json& pack) {
    auto parsed = workflow::parsePolicyPack(pack.dump());
    REQUIRE_FALSE(parsed);
    return parsed.error().code;
}

}  // namespace

TEST_CASE("Rule packs: the three shipped packs parse, SOP 302.02 first and the default", "[admin][packs]") {
    const auto packs = workflow::shippedPacks();
    REQUIRE(packs.size() == 3);
    CHECK(packs[0].id == workflow::kDefaultPackId);
    CHECK(packs[0].offenceCategories.empty());
    CHECK(packs[0].purposesNeedingApproval.empty());
    CHECK(packs[0].report == workflow::StatutoryReportKind::SopAnnualReview);
    const auto maryland = workflow::findPack("maryland-2024");
    REQUIRE(maryland);
    CHECK(maryland->candidates.minimum == 2);
    CHECK(maryland->candidates.maximum == 50);
    CHECK(maryland->candidates.byDefault == 20);
    CHECK(maryland->report == workflow::StatutoryReportKind::Maryland2510);
    CHECK_FALSE(maryland->allowsPurpose(workflow::Purpose::LicenceFraud));
    CHECK(maryland->needsApproval(workflow::Purpose::CriticalIncident));
    const auto washington = workflow::findPack("washington-rcw-43-386");
    REQUIRE(washington);
    CHECK(washington->report == workflow::StatutoryReportKind::WashingtonRcw43386);
    // Issue 11 item 2: the state packs ask a second examiner's verification before a lead is cleared; the SOP not.
    CHECK(washington->verificationBeforeClearing);
    CHECK(maryland->verificationBeforeClearing);
    CHECK_FALSE(packs[0].verificationBeforeClearing);
    CHECK_THAT(washington->verificationCitation, Catch::Contains("RCW 43.386.030"));
    auto unknown = workflow::findPack("nowhere-1999");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == ErrorCode::NotFound);
    CHECK_THAT(unknown.error().message, Catch::Contains("maryland-2024"));
}

TEST_CASE("Rule packs: an offence names its category by code or label before a ':'", "[admin][packs]") {
    const auto maryland = *workflow::findPack("maryland-2024");
    REQUIRE(maryland.categoryOf("crime_of_violence: armed robbery, 12 Main St"));
    CHECK(maryland.categoryOf("Crime of violence")->code == "crime_of_violence");
    CHECK(maryland.categoryOf("  HUMAN_TRAFFICKING ")->code == "human_trafficking");
    CHECK_FALSE(maryland.categoryOf("Shoplifting"));
    CHECK_FALSE(maryland.categoryOf("armed robbery: crime_of_violence"));
    CHECK_FALSE(workflow::findPack("sop-302-02")->categoryOf("Armed robbery"));  // no list: any offence
}

TEST_CASE("Rule packs: a bad pack is refused with InvalidPolicyPack naming the problem", "[admin][packs]") {
    REQUIRE(workflow::parsePolicyPack(marylandJson().dump()));
    auto notJson = workflow::parsePolicyPack("{ not json");
    REQUIRE_FALSE(notJson);
    CHECK(notJson.error().code == ErrorCode::InvalidPolicyPack);

    auto pack = marylandJson();
    SECTION("a missing field") {
        pack.erase("title");
        auto parsed = workflow::parsePolicyPack(pack.dump());
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == ErrorCode::InvalidPolicyPack);
        CHECK_THAT(parsed.error().message, Catch::Contains("'title' is missing") && Catch::Contains("test-pack"));
    }
    SECTION("another format") {
        pack["format"] = "facelead-policy-pack/9";
        CHECK(parseError(pack) == ErrorCode::InvalidPolicyPack);
    }
    SECTION("an unknown purpose") {
        pack["purposesAllowed"] = {"suspected_offence", "curiosity"};
        CHECK(parseError(pack) == ErrorCode::InvalidPolicyPack);
    }
    SECTION("an approval for a purpose not allowed") {
        pack["secondApprover"]["purposes"] = {"witness_or_victim"};
        CHECK(parseError(pack) == ErrorCode::InvalidPolicyPack);
    }
    SECTION("no purpose at all") {
        pack["purposesAllowed"] = json::array();
        pack["secondApprover"]["purposes"] = json::array();
        CHECK(parseError(pack) == ErrorCode::InvalidPolicyPack);
    }
    SECTION("candidate bounds out of order") {
        pack["candidateList"]["max"] = 1;
        CHECK(parseError(pack) == ErrorCode::InvalidPolicyPack);
    }
    SECTION("a default outside the bounds") {
        pack["candidateList"]["default"] = 80;
        CHECK(parseError(pack) == ErrorCode::InvalidPolicyPack);
    }
    SECTION("a category listed twice") {
        pack["offenceCategories"].push_back(pack["offenceCategories"][0]);
        CHECK(parseError(pack) == ErrorCode::InvalidPolicyPack);
    }
    SECTION("a report FaceLead does not produce") {
        pack["statutoryReport"] = "texas-annual";
        CHECK(parseError(pack) == ErrorCode::InvalidPolicyPack);
    }
    SECTION("a verification rule that is not true or false") {
        pack["independentVerification"]["beforeClearing"] = "yes";
        auto parsed = workflow::parsePolicyPack(pack.dump());
        REQUIRE_FALSE(parsed);
        CHECK_THAT(parsed.error().message, Catch::Contains("'beforeClearing' must be true or false"));
    }
    SECTION("a negative retention") {
        pack["retention"]["probeDays"] = -1;
        CHECK(parseError(pack) == ErrorCode::InvalidPolicyPack);
    }
    SECTION("a suspect word of three words") {
        pack["offenceCategories"][0]["notWhenNamed"] = {"suspect", "person of interest"};
        auto parsed = workflow::parsePolicyPack(pack.dump());
        REQUIRE_FALSE(parsed);
        CHECK_THAT(parsed.error().message, Catch::Contains("'notWhenNamed'") && Catch::Contains("person of interest"));
    }
}

TEST_CASE("Rule packs: the pack bounds the agency's candidate-list size and training validity", "[admin][packs]") {
    admin::AgencySettings settings;
    settings.defaultCandidateListSize = 100;
    REQUIRE(admin::validate(settings));  // SOP 302.02: 1 to 200
    settings.policyPack = "maryland-2024";
    auto outside = admin::validate(settings);
    REQUIRE_FALSE(outside);
    CHECK(outside.error().code == ErrorCode::PolicyViolation);
    CHECK_THAT(outside.error().message, Catch::Contains("between 2 and 50"));

    const auto fitted = admin::fitToPack(settings, *workflow::findPack("maryland-2024"));
    CHECK(fitted.defaultCandidateListSize == 20);
    CHECK(fitted.trainingValidityDays == 365);  // "never expires" is longer than the pack allows
    CHECK(admin::validate(fitted));
    auto policy = admin::policySettings(fitted);
    CHECK(policy.pack.id == "maryland-2024");
    CHECK(policy.trainingValidity == std::chrono::days(365));

    settings.policyPack = "nowhere-1999";
    CHECK(admin::validate(settings).error().code == ErrorCode::NotFound);
}

TEST_CASE("Rule packs: a program administrator chooses the pack, audited; anyone else is refused, audited",
          "[admin][packs]") {
    test::AccountabilityFixture fx;
    auto changes = admin::choosePolicyPack(*fx.admin, "maryland-2024");
    REQUIRE(changes);
    CHECK(admin::loadSettings(fx.store())->policyPack == "maryland-2024");
    CHECK(admin::loadSettings(fx.store())->trainingValidityDays == 365);
    audit::AuditFilter filter;
    filter.action = "settings.changed";
    auto entries = audit::AuditLog::list(fx.store(), filter);
    REQUIRE(entries);
    REQUIRE_FALSE(entries->empty());
    CHECK_THAT(entries->back().detailsJson, Catch::Contains("admin.policy_pack") && Catch::Contains("maryland-2024"));

    auto unknown = admin::choosePolicyPack(*fx.admin, "nowhere-1999");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == ErrorCode::NotFound);

    audit::AuditFilter refusals;
    refusals.action = "access.refused";
    refusals.userId = fx.deputy->userId();
    const auto before = audit::AuditLog::list(fx.store(), refusals)->size();
    auto byDeputy = admin::choosePolicyPack(*fx.deputy, "sop-302-02");
    REQUIRE_FALSE(byDeputy);
    CHECK(byDeputy.error().code == ErrorCode::PermissionDenied);
    CHECK(audit::AuditLog::list(fx.store(), refusals)->size() == before + 1);
    CHECK(admin::loadSettings(fx.store())->policyPack == "maryland-2024");
}

// Issue 11 item 5: a form offers only what the active pack permits, asked of the core (permittedChoices); what
// it offers is exactly what findIssues lets through, so the wizard never offers a choice the core refuses.
TEST_CASE("Rule packs: the permitted choices are the pack's purposes in VI.A order, its approvals and offence list",
          "[admin][packs]") {
    const auto sop = workflow::permittedChoices(*workflow::findPack("sop-302-02"));
    CHECK(sop.purposes.size() == workflow::purposes().size());
    CHECK(sop.offenceCategories.empty());
    CHECK(std::ranges::none_of(sop.purposes, [](const auto& p) { return p.needsApproval; }));

    const auto pack = *workflow::findPack("maryland-2024");
    const auto maryland = workflow::permittedChoices(pack);
    std::vector<workflow::Purpose> offered;
    for (const auto& p : maryland.purposes) offered.push_back(p.purpose);
    CHECK(std::ranges::is_sorted(offered));
    CHECK(std::ranges::find(offered, workflow::Purpose::LicenceFraud) == offered.end());  // Md. does not allow it
    for (const auto& p : maryland.purposes) {
        CHECK(pack.allowsPurpose(p.purpose));
        CHECK(p.needsApproval == pack.needsApproval(p.purpose));
    }
    CHECK(std::ranges::count_if(maryland.purposes, [](const auto& p) { return p.needsApproval; }) == 2);
    CHECK(maryland.approvalCitation == pack.approvalCitation);
    REQUIRE(maryland.offenceCategories.size() == pack.offenceCategories.size());
    CHECK(maryland.offenceSource == pack.source);

    // Every offered category, with or without details, is one the core accepts, read back as that category.
    workflow::PolicySettings settings;
    settings.pack = pack;
    for (const auto& category : maryland.offenceCategories) {
        for (const std::string_view details : {"", "  found at 12 Main St  "}) {
            const auto text = workflow::PermittedChoices::offenceText(category, details);
            REQUIRE(pack.categoryOf(text));
            CHECK(pack.categoryOf(text)->code == category.code);
            workflow::SearchRequest request;
            request.offence = text;
            for (const auto& issue : workflow::findIssues(request, settings))
                CHECK(issue.field != workflow::RequestField::Offence);
        }
    }
    CHECK(workflow::PermittedChoices::offenceText(pack.offenceCategories.front(), " armed robbery ") ==
          "crime_of_violence: armed robbery");
}
