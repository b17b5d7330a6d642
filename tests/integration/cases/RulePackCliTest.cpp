// facelead-cli pack, search (second approver) and report statutory (issue 11 item 5), run as processes against
// a store made by CaseWorld. The search stops before any face analysis, so no model is needed.

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/admin/Administration.h"
#include "core/common/Hash.h"
#include "tests/integration/cases/CaseWorld.h"
#include "tests/support/CliRun.h"
#include "tests/support/TestData.h"

using namespace facelead;
using facelead::test::CaseWorld;

namespace {

test::CliRun as(CaseWorld& world, const std::string& user, std::vector<std::string> words) {
    words.insert(words.end(), {"--store", world.storePath().string(), "--user", user});
    return test::runCli(FACELEAD_CLI_PATH, world.dir, words, std::string(CaseWorld::kPassword) + "\n");
}


std::vector<std::string> searchWords(const std::string& offence, const std::string& purpose,
                                const std::string& image = "probe.png") {
    return {"search", "--case", "MD-CLI-1", "--case-officer", "olga", "--offence", offence, "--purpose", purpose,
            "--justification", "The caller named the mall and the hour; the CCTV still shows the caller.",
            "--attest-all", "--consent", "not-agency-capture", "--image-source", "CCTV export, mall camera 2",
            "--image", image};
}

}  // namespace

TEST_CASE("facelead-cli pack list, show and check: the shipped packs, and a bad file named", "[packs][cli]") {
    test::TempDir dir;
    auto listed = test::runCli(FACELEAD_CLI_PATH, dir, {"pack", "list"}, "");
    REQUIRE(listed.exitCode == 0);
    CHECK_THAT(listed.out, Catch::Contains("sop-302-02") && Catch::Contains("maryland-2024") &&
                               Catch::Contains("washington-rcw-43-386"));
    auto shown = test::runCli(FACELEAD_CLI_PATH, dir, {"pack", "show", "maryland-2024"}, "");
    REQUIRE(shown.exitCode == 0);
    CHECK_THAT(shown.out, Catch::Contains("crime_of_violence") && Catch::Contains("2 to 50, default 20"));
    {
        std::ofstream bad(dir / "bad.json");
        bad << R"({"format": "facelead-policy-pack/1", "id": "bad"})";
    }
    auto checked = test::runCli(FACELEAD_CLI_PATH, dir, {"pack", "check", (dir / "bad.json").string()}, "");
    CHECK(checked.exitCode == 1);
    CHECK_THAT(checked.err, Catch::Contains("invalid_policy_pack") && Catch::Contains("'version' is missing"));
}

TEST_CASE("facelead-cli: a program administrator chooses the pack; a search outside it is refused; a held search "
          "waits for a supervisor's approval; the statutory report is written", "[packs][cli][approval]") {
    CaseWorld world;
    auto byInvestigator = as(world, "ivan", {"pack", "use", "maryland-2024"});
    CHECK(byInvestigator.exitCode == 1);
    CHECK_THAT(byInvestigator.err, Catch::Contains("permission_denied"));
    auto used = as(world, "pam", {"pack", "use", "maryland-2024"});
    INFO(used.out << used.err);
    REQUIRE(used.exitCode == 0);
    CHECK_THAT(used.out, Catch::Contains("admin.policy_pack: sop-302-02 -> maryland-2024"));
    CHECK(admin::loadSettings(world.admin->store())->policyPack == "maryland-2024");

    auto outside = as(world, "ivan", searchWords("Shoplifting", "VI.A.1"));
    CHECK(outside.exitCode == 1);
    CHECK_THAT(outside.err, Catch::Contains("policy_violation") && Catch::Contains("crime_of_violence"));

    // The probe file the approval names (trial 19B HIGH-2), its face analysed first: the request holds the person's
    // pictures by their templates while it waits (trial 49 F2).
    const auto faces = test::requireFaces();
    if (!faces || !test::requireModels()) return;
    const auto useProbe = [&](const char* photo) {
        std::filesystem::copy_file(*faces / "bbt" / photo, world.dir / "probe.png",
                                   std::filesystem::copy_options::overwrite_existing);
    };
    useProbe("howard/howard1.png");
    const auto probe = (world.dir / "probe.png").string();
    auto held = as(world, "ivan", searchWords("public_safety_threat: bomb threat at the mall", "critical_incident", probe));
    INFO(held.out << held.err);
    CHECK(held.exitCode == 3);
    CHECK_THAT(held.out, Catch::Contains("NOT RUN") && Catch::Contains("facelead-cli search approve 1"));
    CHECK(world.rowCount("search_approvals") == 1);
    CHECK(world.rowCount("search_requests") == 0);

    auto listed = as(world, "sue", {"search", "approvals"});
    REQUIRE(listed.exitCode == 0);
    CHECK_THAT(listed.out, Catch::Contains("approval 1: case MD-CLI-1"));
    // What the supervisor approves: the file as named and its hash.
    CHECK_THAT(listed.out, Catch::Contains("probe 1: probe.png, SHA-256 " + sha256FileHex(probe).value()));
    CHECK(as(world, "ivan", {"search", "approve", "1"}).exitCode == 1);
    auto approved = as(world, "sue", {"search", "approve", "1"});
    REQUIRE(approved.exitCode == 0);
    CHECK_THAT(approved.out, Catch::Contains("approved by"));
    // Approved for that file, not for another under the same request: this one waits for its own approval.
    useProbe("amy/amy1.png");
    auto swapped = as(world, "ivan", searchWords("public_safety_threat: bomb threat at the mall", "critical_incident", probe));
    INFO(swapped.out << swapped.err);
    CHECK(swapped.exitCode == 3);
    CHECK_THAT(swapped.out, Catch::Contains("facelead-cli search approve 2"));
    // Its requester withdraws it (trial 46 F5), nobody else; then no supervisor approves it.
    CHECK(as(world, "sue", {"search", "withdraw", "2"}).exitCode == 1);
    auto withdrawn = as(world, "ivan", {"search", "withdraw", "2"});
    INFO(withdrawn.out << withdrawn.err);
    CHECK(withdrawn.exitCode == 0);
    CHECK_THAT(withdrawn.out, Catch::Contains("Withdrawn and audited"));
    CHECK(as(world, "sue", {"search", "approve", "2"}).exitCode == 1);

    const int year = int(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(world.clock->now())).year());
    const auto out = world.dir / "report.json";
    CHECK(as(world, "ivan", {"report", "statutory", "--year", std::to_string(year), "--out", out.string()}).exitCode == 1);
    CHECK_FALSE(std::filesystem::exists(out));
    auto report = as(world, "pam", {"report", "statutory", "--year", std::to_string(year), "--out", out.string()});
    INFO(report.out << report.err);
    REQUIRE(report.exitCode == 0);
    const auto doc = nlohmann::json::parse(test::readText(out));
    CHECK_THAT(doc["title"].get<std::string>(), Catch::Contains("2-510"));
    CHECK_FALSE(doc["markings"].empty());

    // The printable form the agency files: a PDF by the workstation's renderer, marked on every page (VI.B.6), owner-only,
    // carrying the same title and figures (read back with pdftotext, from poppler-utils: packaging/setup.sh).
    const auto pdf = world.dir / "report.pdf";
    CHECK(as(world, "ivan", {"report", "statutory", "--year", std::to_string(year), "--pdf", pdf.string()}).exitCode == 1);
    CHECK_FALSE(std::filesystem::exists(pdf));
    auto printed = as(world, "pam", {"report", "statutory", "--year", std::to_string(year), "--pdf", pdf.string()});
    INFO(printed.out << printed.err);
    REQUIRE(printed.exitCode == 0);
    CHECK_THAT(printed.out, Catch::Contains("printed to " + pdf.string()));
    CHECK(test::readText(pdf).rfind("%PDF-", 0) == 0);
    CHECK((std::filesystem::status(pdf).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    const auto text = test::runCli("pdftotext", world.dir, {"-layout", pdf.string(), "-"}, "");
    REQUIRE(text.exitCode == 0);
    INFO(text.out);
    CHECK_THAT(text.out, Catch::Contains(doc["title"].get<std::string>()));
    CHECK_THAT(text.out, Catch::Contains("Criminal intelligence"));  // the VI.B.6 marking
    CHECK_THAT(text.out, Catch::Contains("Searches per system and crime type"));
    // Each figure of the summary on its label's line.
    for (const auto& field : doc["sections"][0]["blocks"][0]["fields"]) {
        const auto value = field["value"].get<std::string>();
        if (value.empty() || !std::all_of(value.begin(), value.end(), ::isdigit)) continue;
        const auto label = field["label"].get<std::string>().substr(0, 16);  // letters and spaces only
        CHECK_THAT(text.out, Catch::Matches("[\\s\\S]*" + label + "[^\\n]* " + value + "\\b[\\s\\S]*"));
    }
}

// Issue 11 item 5: `report retention --decide` asks the core (reports::decideRetention), which refuses what is not
// the program administrator's, not past its period, or malformed. (The decision itself, with the fake clock past
// the period, is tested in RulePackTest: a process here runs on the system clock.)
TEST_CASE("facelead-cli pack active: the pack a program administrator signed, and an edit of the table named "
          "(trial 46)", "[packs][cli][insider]") {
    CaseWorld world;
    REQUIRE(as(world, "pam", {"pack", "use", "maryland-2024"}).exitCode == 0);
    REQUIRE(world.admin->store().exec("UPDATE settings SET value = 'sop-302-02' WHERE key = 'admin.policy_pack'").ok());
    auto active = as(world, "ivan", {"pack", "active"});
    INFO(active.out << active.err);
    REQUIRE(active.exitCode == 0);
    CHECK_THAT(active.out, Catch::Contains("maryland-2024"));
    CHECK_THAT(active.err, Catch::Contains("edited outside FaceLead") && Catch::Contains("sop-302-02"));
    // The way back named is one the CLI has, and it works (trial 81 F9: only the workstation's form was named).
    CHECK_THAT(active.err, Catch::Contains("facelead-cli pack use PACK, with the pack in use"));
    REQUIRE(as(world, "pam", {"pack", "use", "maryland-2024"}).exitCode == 0);
    CHECK_THAT(as(world, "ivan", {"pack", "active"}).err, !Catch::Contains("edited outside FaceLead"));
}

TEST_CASE("facelead-cli report retention --decide: the program administrator's decision on a listed item only",
          "[packs][cli][retention]") {
    CaseWorld world;
    REQUIRE(as(world, "pam", {"pack", "use", "maryland-2024"}).exitCode == 0);
    world.searchCandidates();  // an original probe image, stored now
    const std::vector<std::string> keep{"report", "retention", "--decide", "probe:1", "keep", "--until", "2099-01-01",
                                        "--reason", "Open prosecution; the prosecutor asked to keep it."};
    auto byInvestigator = as(world, "ivan", keep);
    CHECK(byInvestigator.exitCode == 1);
    CHECK_THAT(byInvestigator.err, Catch::Contains("permission_denied"));
    auto early = as(world, "pam", keep);
    INFO(early.out << early.err);
    CHECK(early.exitCode == 1);
    CHECK_THAT(early.err, Catch::Contains("policy_violation") && Catch::Contains("not past the retention period"));
    CHECK(as(world, "pam", {"report", "retention", "--decide", "photo:1", "keep"}).exitCode == 2);
    CHECK(as(world, "pam", {"report", "retention", "--decide", "probe:1", "archive"}).exitCode == 2);
    CHECK(world.rowCount("retention_decisions") == 0);
    auto listed = as(world, "pam", {"report", "retention"});
    REQUIRE(listed.exitCode == 0);
    CHECK_THAT(listed.out, Catch::Contains("0 awaiting a decision"));
}
