// facelead-cli lead ...: each verb refuses what the core refuses, run as a process (tests/support/CliRun)
// against a store made by CaseWorld. Issue 11 items 1-3 and 6.

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "core/audit/AuditLog.h"
#include "core/common/Hash.h"
#include "tests/integration/cases/CaseWorld.h"
#include "tests/support/CliRun.h"

using namespace facelead;
using facelead::test::CaseWorld;

namespace {

test::CliRun lead(const CaseWorld& world, const std::string& user, std::vector<std::string> words) {
    words.insert(words.begin(), "lead");
    words.insert(words.end(), {"--store", world.storePath().string(), "--user", user});
    return test::cli(world.dir, words, std::string(CaseWorld::kPassword) + "\n");
}

std::vector<std::string> examineWords(const std::string& verb, std::int64_t candidate,
                                      const std::string& conclusion = "support") {
    return {verb, std::to_string(candidate), "--ratings",
            "marks_scars_tattoos=similar:scar above the left eyebrow;ears=not_visible", "--rest", "similar",
            "--conclusion", conclusion, "--note", "Scar and hairline agree with the original probe."};
}

// The number of the candidate's latest follow-up, as `lead show` prints it.
std::string latestFollowUp(CaseWorld& world, std::int64_t candidate) {
    return std::to_string(world.ofLatest(candidate, {}).followUpId);
}

}  // namespace

TEST_CASE("facelead-cli lead --help prints the usage and exits 0", "[cli][lead]") {
    CaseWorld world;
    for (const std::string verb : {"examine", "queue", "pair", "verify", "follow-up", "review", "show"}) {
        auto help = test::cli(world.dir, {"lead", verb, "--help"}, "");
        CHECK(help.exitCode == 0);
        CHECK_THAT(help.out, Catch::Contains("usage: facelead-cli lead"));
        CHECK_THAT(help.out, Catch::Contains("chin_and_jawline"));
    }
    CHECK(test::cli(world.dir, {"lead", "frobnicate", "1"}, "").exitCode == 2);
    CHECK(test::cli(world.dir, {"lead", "show", "one"}, "").exitCode == 2);
}

TEST_CASE("facelead-cli lead: examine, verify, mark, follow-up, review, each refusing what the core refuses",
          "[cli][lead]") {
    CaseWorld world;
    const auto candidate = world.searchCandidates().front();
    const std::string id = std::to_string(candidate);

    // Blind: before examining, show withholds the rank.
    auto blind = lead(world, "ivan", {"show", id});
    INFO(blind.out << blind.err);
    REQUIRE(blind.exitCode == 0);
    CHECK_THAT(blind.out, Catch::Contains("rank hidden until examined"));

    auto unexamined = lead(world, "ivan", {"mark", id, "--note", "Same scar above the left eyebrow."});
    CHECK(unexamined.exitCode == 1);
    CHECK_THAT(unexamined.err, Catch::Contains("blind examination"));

    auto unrated = lead(world, "ivan", {"examine", id, "--conclusion", "support", "--note", "Looks like him to me."});
    CHECK(unrated.exitCode == 1);
    CHECK_THAT(unrated.err, Catch::Contains("Rate every facial component"));

    auto examined = lead(world, "ivan", examineWords("examine", candidate));
    INFO(examined.out << examined.err);
    REQUIRE(examined.exitCode == 0);
    // Its rank stays hidden while other candidates of its list are unexamined (trial 45 F2: they would tell it).
    CHECK_THAT(examined.out, Catch::Contains("rank hidden until examined"));

    auto self = lead(world, "ivan", examineWords("verify", candidate));
    CHECK(self.exitCode == 1);
    CHECK_THAT(self.err, Catch::Contains("second examiner"));
    auto unopened = lead(world, "otto", examineWords("verify", candidate, "strong_support"));
    CHECK(unopened.exitCode == 1);  // trial 23C H4: no verification without the two faces
    CHECK_THAT(unopened.err, Catch::Contains("verification queue"));
    auto officersQueue = lead(world, "olga", {"queue"});
    CHECK(officersQueue.exitCode == 0);  // she works the case: it is never hers to verify
    CHECK_THAT(officersQueue.out, Catch::Contains("No candidate is waiting"));
    auto queue = lead(world, "otto", {"queue"});
    INFO(queue.out << queue.err);
    CHECK_THAT(queue.out, Catch::Contains("candidate " + id + "  case " + world.caseNumber));
    CHECK_THAT(queue.out, !Catch::Contains("rank") && !Catch::Contains("support"));
    const auto faces = world.dir / "verification";
    auto pair = lead(world, "otto", {"pair", id, "--out", faces.string()});
    INFO(pair.out << pair.err);
    REQUIRE(pair.exitCode == 0);
    // The probe as the case stores it, byte for byte: searched elsewhere, it is the same probe (trial 45 F3).
    CHECK(sha256FileHex(faces / "probe.png").value() == sha256Hex(world.png));
    CHECK(std::filesystem::file_size(faces / "candidate.png") > 0);
    CHECK((std::filesystem::status(faces / "candidate.png").permissions() & std::filesystem::perms::others_read) ==
          std::filesystem::perms::none);
    auto verified = lead(world, "otto", examineWords("verify", candidate, "strong_support"));
    INFO(verified.err);
    CHECK(verified.exitCode == 0);
    CHECK_THAT(verified.out, !Catch::Contains("DISAGREES"));  // strong support agrees with support

    auto marked = lead(world, "ivan", {"mark", id, "--note", "Same scar above the left eyebrow."});
    REQUIRE(marked.exitCode == 0);
    CHECK_THAT(marked.err, !Catch::Contains("no second examiner"));  // verified: nothing to warn of (trial 25B M2)

    auto lineUp = lead(world, "olga", {"follow-up", id, "--steps", "Showed the clerk a six-pack photo array.",
                                       "--outcome", "inconclusive", "--items",
                                       "witness_identification:six-pack array, clerk"});
    CHECK(lineUp.exitCode == 1);
    CHECK_THAT(lineUp.err, Catch::Contains("line-up"));
    auto outOfRange = lead(world, "olga", {"follow-up", id, "--steps", "Pulled phone records.", "--outcome",
                                           "inconclusive", "--items", "location_data:phone records", "--independent", "2"});
    CHECK(outOfRange.exitCode == 2);
    CHECK_THAT(outOfRange.err, Catch::Contains("--independent takes all, or the numbers"));
    auto nothingToAttest = lead(world, "olga", {"follow-up", id, "--steps", "Pulled phone records.", "--outcome",
                                                "inconclusive", "--independent", "all"});
    CHECK(nothingToAttest.exitCode == 2);
    CHECK_THAT(nothingToAttest.err, Catch::Contains("there are none"));

    REQUIRE(lead(world, "olga", {"follow-up", id, "--steps", "Interviewed the clerk; pulled phone records.",
                                 "--outcome", "corroborated", "--evidence",
                                 "His phone was at the store during the theft.", "--items",
                                 "location_data:phone records, exhibit 4", "--independent", "1"})
                .exitCode == 0);
    const std::string first = latestFollowUp(world, candidate);
    auto unnamed = lead(world, "sue", {"review", id, "--confirmed", "--clear", "--note", "Checked the case file."});
    CHECK(unnamed.exitCode == 2);
    CHECK_THAT(unnamed.err, Catch::Contains("--follow-up N is required"));
    auto unchecked = lead(world, "sue", {"review", id, "--follow-up", first, "--confirmed", "--clear", "--note",
                                         "Checked the case file."});
    CHECK(unchecked.exitCode == 1);
    CHECK_THAT(unchecked.err, Catch::Contains("discrepancy checklist"));

    const auto answeredFollowUp = [&](std::vector<std::string> attestation) {
        std::vector<std::string> arguments{
            "follow-up", id, "--steps", "Checked the description against the booking record.", "--outcome",
            "corroborated", "--evidence", "His phone was at the store during the theft.", "--items",
            "location_data:phone records, exhibit 4",  // the reviewed follow-up holds its own item (trial 19B)
            "--checklist",
            "height=consistent;age=consistent;build=consistent;marks_and_tattoos=consistent;"
            "whereabouts=consistent:phone records"};
        arguments.insert(arguments.end(), attestation.begin(), attestation.end());
        return lead(world, "olga", arguments).exitCode;
    };
    // Issue 11: an item the case officer did not attest as standing apart from the search counts for nothing.
    REQUIRE(answeredFollowUp({}) == 0);
    auto unattested = lead(world, "sue", {"review", id, "--follow-up", latestFollowUp(world, candidate), "--confirmed",
                                          "--clear", "--note", "Checked the case file."});
    CHECK(unattested.exitCode == 1);
    CHECK_THAT(unattested.err, Catch::Contains("attested"));
    REQUIRE(answeredFollowUp({"--independent", "all"}) == 0);
    // Trial 14B finding 1: a review of the follow-up she read is refused once a newer one exists.
    auto stale = lead(world, "sue", {"review", id, "--follow-up", first, "--confirmed", "--clear", "--note",
                                     "Checked the case file."});
    CHECK(stale.exitCode == 1);
    CHECK_THAT(stale.err, Catch::Contains("newer follow-up"));
    auto cleared = lead(world, "sue", {"review", id, "--follow-up", latestFollowUp(world, candidate), "--confirmed",
                                       "--clear", "--note", "Checked the case file."});
    INFO(cleared.err);
    REQUIRE(cleared.exitCode == 0);
    CHECK_THAT(cleared.out, Catch::Contains("Cleared for action"));

    auto shown = lead(world, "sue", {"show", id});
    REQUIRE(shown.exitCode == 0);
    CHECK_THAT(shown.out, Catch::Contains("examination by"));
    CHECK_THAT(shown.out, Catch::Contains("verification by"));
    CHECK_THAT(shown.out, Catch::Contains("evidence location_data"));
    CHECK_THAT(shown.out, Catch::Contains("same-person threshold)"));  // trial 44 F5: the distance said bare
    CHECK_THAT(shown.out, Catch::Contains("(attested independent of the search)"));
    CHECK_THAT(shown.out, Catch::Contains("(not attested independent of the search: it counts for nothing)"));
    CHECK_THAT(shown.out, Catch::Contains("follow-up #" + first + " by"));
    // Trial 48 F4: none of the subject's photos is dated, so none is called the oldest.
    CHECK_THAT(shown.out, Catch::Contains("(none is dated: which is oldest is unknown)"));
    CHECK_FALSE(Catch::Contains("oldest face").match(shown.out));
    // Issue 11 LOW-2: the checklist's notes, not only its answers; MEDIUM-2: a photo without a date of its own is
    // said to be so, and dated by its enrolment only as such.
    CHECK_THAT(shown.out, Catch::Contains("Whereabouts at the time: consistent - phone records"));
    CHECK_THAT(shown.out, Catch::Contains("date taken unknown; enrolled "));
}

// Issue 9 (workstation as people use it): `lead show` printed a candidate of another case, and the status of
// its lead, to a user with no need to know of that case (SOP 302.02 VI.B.6). The core refuses the view, audits
// the refusal like every other, and the CLI prints it.
TEST_CASE("facelead-cli lead show refuses a candidate of a case the user does not work, audited", "[cli][lead]") {
    CaseWorld world;
    const auto candidate = world.searchCandidates().front();
    world.examineAndMark(*world.investigator, candidate);
    const auto refusalsBefore =
        audit::AuditLog::list(world.admin->store(), {.userId = world.otherOfficer->userId(), .action = "access.refused"});
    REQUIRE(refusalsBefore.ok());

    // Otto is a case officer, but not of this case: he neither created it, nor is assigned to it, nor searched in it.
    auto shown = lead(world, "otto", {"show", std::to_string(candidate)});
    INFO(shown.out << shown.err);
    CHECK(shown.exitCode == 1);
    CHECK_THAT(shown.err, Catch::Contains(world.caseNumber));
    CHECK_THAT(shown.err, Catch::Contains("need to know"));
    CHECK_THAT(shown.out, !Catch::Contains("status"));
    CHECK_THAT(shown.out, !Catch::Contains("Possible lead"));

    auto refusals =
        audit::AuditLog::list(world.admin->store(), {.userId = world.otherOfficer->userId(), .action = "access.refused"});
    REQUIRE(refusals.ok());
    CHECK(refusals->size() == refusalsBefore->size() + 1);
    auto viewed =
        audit::AuditLog::list(world.admin->store(), {.userId = world.otherOfficer->userId(), .action = "candidate.viewed"});
    REQUIRE(viewed.ok());
    CHECK(viewed->empty());

    // Those who work the case still read it: the investigator who searched, the case's officer, a supervisor.
    for (const std::string user : {"ivan", "olga", "sue"}) {
        auto allowed = lead(world, user, {"show", std::to_string(candidate)});
        INFO(user << ": " << allowed.err);
        CHECK(allowed.exitCode == 0);
        CHECK_THAT(allowed.out, Catch::Contains("status: "));
    }
}

TEST_CASE("facelead-cli lead mark says when one examiner alone compared; lead verify says when it disagrees "
          "(trial 25B M2, L5)", "[cli][lead][verification]") {
    CaseWorld world;
    const auto candidate = world.searchCandidates().front();
    const auto id = std::to_string(candidate);
    REQUIRE(lead(world, "ivan", examineWords("examine", candidate)).exitCode == 0);
    auto marked = lead(world, "ivan", {"mark", id, "--note", "Same scar above the left eyebrow."});
    REQUIRE(marked.exitCode == 0);
    CHECK_THAT(marked.err, Catch::Contains("no second examiner has verified this candidate"));

    REQUIRE(lead(world, "otto", {"pair", id, "--out", (world.dir / "pair").string()}).exitCode == 0);
    auto verified = lead(world, "otto", examineWords("verify", candidate, "exclusion"));
    INFO(verified.out << verified.err);
    REQUIRE(verified.exitCode == 0);
    CHECK_THAT(verified.out, Catch::Contains("It DISAGREES with the other examination"));

    // Trial 29 N10: who settled the disagreement, and how, is on `lead show`, for the supervisor who reviews next.
    auto resolved = lead(world, "sue", {"resolve", id, "--conclusion", "support", "--note", "The scar settles it."});
    INFO(resolved.out << resolved.err);
    REQUIRE(resolved.exitCode == 0);
    auto shown = lead(world, "ivan", {"show", id});
    REQUIRE(shown.exitCode == 0);
    CHECK_THAT(shown.out, Catch::Contains("disagreement resolved by sue Display") && Catch::Contains("The scar settles it."));
}
