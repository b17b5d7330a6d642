// Issue 11 item 4: the disclosure packet. It holds EVERY search of the case (one that found other people, one
// that found nobody), the probe with its edits, the candidates with rank and score, the lead decisions,
// follow-ups and reviews, the system, models and threshold, the people and their training; it validates
// against docs/disclosure.schema.json; only the case's officer, a supervisor or a program administrator get
// it, and both the disclosure and each refusal are audited.

#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/audit/AuditLog.h"
#include "core/common/Hash.h"
#include "core/face/ModelFiles.h"
#include "core/reports/CaseReport.h"
#include "core/reports/Disclosure.h"
#include "core/workflow/Markings.h"
#include "tests/integration/cases/DisclosedCase.h"
#include "tests/support/CliRun.h"

using namespace facelead;
using facelead::test::buildCase;
using facelead::test::CaseWorld;
using facelead::test::kCorroborated;
using facelead::test::require;
using Json = nlohmann::json;

namespace {

Result<reports::DisclosurePacket> disclose(CaseWorld& world, accounts::Session& session) {
    auto service = world.service(session);
    return reports::generateDisclosure(session, service, world.caseId);
}

std::int64_t countOf(CaseWorld& world, const std::string& action, std::optional<std::int64_t> userId = std::nullopt) {
    auto entries = audit::AuditLog::list(world.admin->store(), {.userId = userId, .action = action});
    REQUIRE(entries);
    return static_cast<std::int64_t>(entries->size());
}

test::CliRun validate(const test::TempDir& dir, const std::filesystem::path& document) {
    return test::runCli("python3", dir, {FACELEAD_SCHEMA_VALIDATOR, FACELEAD_DISCLOSURE_SCHEMA, document.string()}, "");
}

}  // namespace

TEST_CASE("disclosure packet: every search, whatever it found, with probe, edits, candidates and leads",
          "[disclosure][reports]") {
    CaseWorld world;
    const auto made = buildCase(world);
    // A verifier who does nothing else in the case (trial 9: left out of the people disclosed).
    const auto verifiedCandidate = made.searches.front().candidates[0].id;
    REQUIRE(world.verifyBlind(*world.otherOfficer, verifiedCandidate, test::supportingExamination()));
    const auto disclosed = countOf(world, "case.disclosed");

    auto packet = disclose(world, *world.officer);
    REQUIRE(packet);
    const auto json = Json::parse(packet->json);

    CHECK(json["format"] == "facelead-disclosure/1");
    CHECK(json["statement"]["text"] == std::string(workflow::kNotProbableCauseStatement));
    CHECK(json["statement"]["source"] == "SOP 302.02 VI.B.1");
    CHECK(json["markings"]["intelligence"] == std::string(workflow::kIntelligenceMarking));
    CHECK(json["case"]["case_number"] == world.caseNumber);
    CHECK(json["generated"]["by"]["id"] == world.officer->userId());

    // The system: version, algorithm, every model's SHA-256, the threshold and where it comes from.
    const auto& system = json["system"];
    CHECK_FALSE(system["version"].get<std::string>().empty());
    CHECK_THAT(system["algorithm"]["libraries"].get<std::string>(), Catch::Contains("dlib 19."));
    REQUIRE(system["models"].size() == face::kModelFiles.size());
    for (std::size_t i = 0; i < face::kModelFiles.size(); ++i)
        CHECK(system["models"][i]["sha256"] == std::string(face::kModelFiles[i].sha256));
    CHECK(system["threshold"]["distance"] == Approx(face::Calibration{}.sameSubjectDistance));
    CHECK_THAT(system["threshold"]["source"].get<std::string>(), Catch::Contains("docs/CALIBRATION.md"));

    // Every search, oldest first, including the one that found other people and the one that found nobody.
    const auto& searches = json["searches"];
    REQUIRE(searches.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) CHECK(searches[i]["id"] == made.searches[i].id);

    // The probe of the first search: an enhanced copy, its edit with who and when, the original re-checked.
    const auto& probe = searches[0]["probe"];
    CHECK(probe["searched_image_is_copy"] == true);
    CHECK(probe["searched_image_sha256"] == made.copy.sha256);
    CHECK(probe["original"]["sha256"] == made.original.sha256);
    CHECK(probe["original"]["source"] == "CCTV export, camera 3");
    REQUIRE(probe["edits"].size() == 1);
    CHECK(probe["edits"][0]["image_id"] == made.copy.id);
    CHECK(probe["edits"][0]["made_from"] == made.original.id);
    CHECK(probe["edits"][0]["by"]["id"] == world.investigator->userId());
    CHECK(probe["edits"][0]["at"] == made.copy.createdAt);
    CHECK_THAT(probe["edits"][0]["steps"][0].get<std::string>(), Catch::Contains("1.20"));
    CHECK(probe["face_box"]["left"] == 10);
    CHECK(probe["face_number"] == 1);
    CHECK(probe["quality"]["verdict"] == "good");
    CHECK(searches[1]["probe"]["edits"].empty());
    CHECK(searches[1]["probe"]["searched_image_is_copy"] == false);

    // The candidate list: its size, each candidate's rank, distance and score, the decisions on it.
    const auto& first = searches[0];
    CHECK(first["candidate_list_size"] == made.searches[0].candidateLimit);
    CHECK(first["gallery"]["size"] == 3);
    REQUIRE(first["gallery"]["sources"].size() == 1);
    CHECK(first["gallery"]["sources"][0]["faces"] == 3);
    REQUIRE(first["candidates"].size() == 3);
    // Ranks, distances and scores in full, nearest first, even those withheld from a reader who has still to
    // examine the candidate blind (issue 11 item 1): a disclosure owes them all.
    std::map<std::int64_t, Json> byId;
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& c = first["candidates"][i];
        CHECK(c["rank"] == i + 1);
        CHECK(c["score"].get<double>() > 0);
        if (i > 0) CHECK(c["distance"].get<double>() >= first["candidates"][i - 1]["distance"].get<double>());
        byId[c["id"].get<std::int64_t>()] = c;
    }
    const auto& ids = made.searches[0].candidates;  // as the investigator read them: marked, excluded, untouched
    const auto& lead = byId[ids[0].id]["lead"];
    CHECK(lead["status"] == "cleared_for_action");
    REQUIRE(lead["follow_ups"].size() == 1);
    CHECK(lead["follow_ups"][0]["corroborating_evidence"] == kCorroborated.corroboratingEvidence);
    CHECK(lead["follow_ups"][0]["recorded_by"]["id"] == world.officer->userId());
    REQUIRE(lead["reviews"].size() == 1);
    CHECK(lead["reviews"][0]["reviewed_by"]["id"] == world.supervisor->userId());
    // Issue 11 items 1-3: the blind FISWG examination, the evidence items and the discrepancy checklist, as
    // recorded, though the officer generating the packet examined nothing (the blind rule protects examiners
    // while they work, not the record owed to the defence).
    const auto& examinations = byId[ids[0].id]["examinations"];
    REQUIRE(examinations.size() == 2);
    CHECK(examinations[1]["kind"] == "verification");
    CHECK(examinations[1]["examiner"]["id"] == world.otherOfficer->userId());
    CHECK(examinations[0]["kind"] == "examination");
    CHECK(examinations[0]["examiner"]["id"] == world.investigator->userId());
    CHECK(examinations[0]["conclusion"] ==
          std::string(workflow::conclusionName(test::supportingExamination().conclusion)));
    CHECK(examinations[0]["components"].size() == workflow::kFacialComponentCount);
    CHECK(byId[ids[0].id]["resolution"].is_null());
    CHECK(byId[ids[0].id]["independent_verification"] == Json{{"status", "agree"}, {"after_clearing", false}});
    CHECK(byId[ids[2].id]["independent_verification"]["status"] == "not_examined");
    CHECK(byId[ids[2].id]["examinations"].empty());
    const auto& followUp = lead["follow_ups"][0];
    REQUIRE(followUp["evidence_items"].size() == 1);
    CHECK(followUp["evidence_items"][0]["type"] == "location_data");
    CHECK(followUp["evidence_items"][0]["independent_of_search"] == true);  // the officer's attestation (issue 11)
    REQUIRE(followUp["discrepancy_checklist"].size() == workflow::kChecklistItemCount);
    for (const auto& [item, entry] : followUp["discrepancy_checklist"].items()) CHECK(entry["answer"] != "unanswered");
    // Examined and independently verified, the two agreeing: meaningful human review (RCW 43.386.010).
    CHECK(first["human_review"]["meaningful"] == true);
    REQUIRE(first["human_review"]["examiners"].size() == 2);
    CHECK(first["human_review"]["examiners"][0]["id"] == world.investigator->userId());
    CHECK(searches[1]["human_review"]["meaningful"] == false);  // nobody examined its candidates
    CHECK(byId[ids[1].id]["decision"] == "excluded");
    CHECK(byId[ids[1].id]["lead"]["note"] == "Different ear shape and no scar.");
    CHECK(byId[ids[2].id]["lead"].is_null());
    CHECK(searches[1]["candidates"].size() == 3);  // other people, nobody marked: still disclosed
    CHECK(searches[2]["candidates"].empty());      // nobody found: still disclosed
    CHECK(searches[2]["gallery"]["size"] == 0);

    // The people involved and their training.
    std::map<std::int64_t, Json> people;
    for (const auto& p : json["people"]) people[p["id"].get<std::int64_t>()] = p;
    for (const auto* session :
         {world.investigator.get(), world.officer.get(), world.supervisor.get(), world.otherOfficer.get()})
        CHECK(people.count(session->userId()) == 1);
    CHECK(people[world.investigator->userId()]["training"]["status"] == "current");
    CHECK_FALSE(people[world.investigator->userId()]["training"]["completed_at"].is_null());
    CHECK(people[world.investigator->userId()]["roles"] == Json::array({"investigator"}));

    // The printable document says the same: one section per search, the statement first.
    const auto& doc = packet->document;
    CHECK_THAT(doc.title, Catch::Contains(world.caseNumber));
    REQUIRE_FALSE(doc.sections.empty());
    CHECK_THAT(doc.sections.front().heading, Catch::Contains("VI.B.1"));
    int searchSections = 0;
    for (const auto& section : doc.sections) searchSections += section.heading.rfind("Search #", 0) == 0;
    CHECK(searchSections == 3);
    // The first search's section prints the examination and says whether human review was meaningful.
    const auto firstSearch = std::find_if(doc.sections.begin(), doc.sections.end(), [](const reports::Section& section) {
        return section.heading.rfind("Search #", 0) == 0;
    });
    REQUIRE(firstSearch != doc.sections.end());
    std::string firstSearchText;
    for (const auto& block : firstSearch->blocks) {
        if (const auto* p = std::get_if<reports::Paragraph>(&block)) firstSearchText += p->text + "\n";
        if (const auto* f = std::get_if<reports::Fields>(&block))
            for (const auto& [label, value] : f->items) firstSearchText += label + ": " + value + "\n";
    }
    const std::string examinedRank = byId[ids[0].id]["rank"].dump();
    CHECK_THAT(firstSearchText, Catch::Contains("FISWG examinations of rank " + examinedRank) &&
                                    Catch::Contains("Meaningful human review: yes"));
    // Each review names the follow-up it covered, printed after it (trial 51 F6).
    const std::string followUpRef = reports::hashId(lead["follow_ups"][0]["id"].get<std::int64_t>());
    const auto followUpAt = firstSearchText.find("Follow-up " + followUpRef + ": ");
    const auto reviewAt = firstSearchText.find(" of follow-up " + followUpRef + ": ");
    CHECK(followUpAt != std::string::npos);
    CHECK(reviewAt != std::string::npos);
    CHECK(followUpAt < reviewAt);

    // Audited with the SHA-256 of exactly this JSON.
    CHECK(packet->jsonSha256 == sha256Hex(std::string_view(packet->json)));
    CHECK(countOf(world, "case.disclosed") == disclosed + 1);
    CHECK(world.lastAuditAction() == "case.disclosed");
    auto entries = audit::AuditLog::list(world.admin->store(), {.action = "case.disclosed"});
    REQUIRE(entries);
    const auto details = Json::parse(entries->back().detailsJson);
    CHECK(details["json_sha256"] == packet->jsonSha256);
    CHECK(details["searches"] == 3);
    CHECK(entries->back().userId == world.officer->userId());
}

TEST_CASE("Issue 11 (trial 23C M3): who disclosed the case has seen every rank and score, and examines none of its "
          "candidates blind", "[disclosure][examination]") {
    CaseWorld world;
    const auto made = buildCase(world);
    const auto candidate = made.searches[1].candidates.back().id;  // examined by nobody
    REQUIRE(disclose(world, *world.officer));
    auto examined = world.service(*world.officer).recordExamination(candidate, test::supportingExamination());
    REQUIRE_FALSE(examined.ok());
    CHECK(examined.error().code == ErrorCode::PolicyViolation);
    CHECK(examined.error().message.find("rank and score") != std::string::npos);
    // Who works or oversees the case and was shown nothing examines it (trial 27 F1: never an outsider).
    CHECK(world.service(*world.supervisingOfficer).recordExamination(candidate, test::supportingExamination()).ok());
}

namespace {

// Every paragraph and field of the printable document, one per line.
std::string documentText(const reports::ReportDocument& doc) {
    std::string text;
    for (const auto& section : doc.sections)
        for (const auto& block : section.blocks) {
            if (const auto* p = std::get_if<reports::Paragraph>(&block)) text += p->text + "\n";
            if (const auto* f = std::get_if<reports::Fields>(&block))
                for (const auto& [label, value] : f->items) text += label + ": " + value + "\n";
        }
    return text;
}

// A candidate the investigator examined in support and another officer verified as an exclusion: a disagreement.
std::int64_t disputedCandidate(CaseWorld& world) {
    const auto made = buildCase(world);
    const auto candidate = made.searches[1].candidates.back().id;  // examined by nobody
    REQUIRE(world.service(*world.investigator).recordExamination(candidate, test::supportingExamination()));
    REQUIRE(world.verifyBlind(*world.otherOfficer, candidate,
                              test::examinationConcluding(workflow::Conclusion::Exclusion,
                                                          workflow::ComponentFinding::Dissimilar)));
    return candidate;
}

// The candidate's entry in the packet, wherever its search is.
Json candidateIn(const Json& packet, std::int64_t candidateId) {
    for (const auto& search : packet["searches"])
        for (const auto& c : search["candidates"])
            if (c["id"] == candidateId) return c;
    FAIL("candidate " << candidateId << " is not in the packet");
    return nullptr;
}

}  // namespace

TEST_CASE("Issue 11 (trial 27 F3): a resolution by a supervisor who had been shown the rank and score is disclosed "
          "as not blind", "[disclosure][examination]") {
    CaseWorld world;
    const auto candidate = disputedCandidate(world);
    // Sue opens the candidate: its rank and score are withheld while the disagreement she may settle is open (trial
    // 45 F7). She discloses the case instead (the packet lists every rank and score), then settles it.
    REQUIRE(world.service(*world.supervisor).viewCandidate(candidate)->rankHidden);
    REQUIRE(disclose(world, *world.supervisor));
    REQUIRE(world.service(*world.supervisor)
                .resolveDisagreement(candidate, workflow::Conclusion::Support, "Compared both; the scar settles it."));
    CHECK_FALSE(world.service(*world.supervisor).viewCandidate(candidate)->rankHidden);  // settled: shown

    auto packet = disclose(world, *world.officer);
    REQUIRE(packet);
    const Json c = candidateIn(Json::parse(packet->json), candidate);
    REQUIRE(c["resolution"].is_object());
    CHECK(c["resolution"]["blind"] == false);
    // The examiners were shown nothing before theirs (trial 29 N8: the packet now says so per examination).
    REQUIRE(c["examinations"].size() == 2);
    for (const auto& e : c["examinations"]) CHECK(e["blind"] == true);
    CHECK_THAT(documentText(packet->document), Catch::Contains("NOT BLIND: the supervisor had been shown") &&
                                                   Catch::Contains("Blind to rank and score: yes"));
}

TEST_CASE("Issue 11 (one definition of shown): the packet holds a resolution to the scores of the same probe shown "
          "in another case", "[disclosure][examination]") {
    CaseWorld world;
    const auto candidate = disputedCandidate(world);
    // The same probe bytes searched under another case: Sue opens its whole list, ranks and scores shown, and
    // then settles the disagreement here without opening this candidate.
    auto investigator = world.service(*world.investigator);
    const auto other = require(investigator.createCase({"NP-2026-0091", "Armed robbery", world.officer->userId()}));
    for (const auto id : world.searchCandidatesIn(other.id, other.caseNumber))
        REQUIRE_FALSE(world.service(*world.supervisor).viewCandidate(id)->rankHidden);
    REQUIRE(world.service(*world.supervisor)
                .resolveDisagreement(candidate, workflow::Conclusion::Support, "Compared both; the scar settles it."));

    auto packet = disclose(world, *world.officer);
    REQUIRE(packet);
    CHECK(candidateIn(Json::parse(packet->json), candidate)["resolution"]["blind"] == false);
}

TEST_CASE("disclosure packet validates against docs/disclosure.schema.json; a damaged one does not",
          "[disclosure][schema]") {
    CaseWorld world;
    buildCase(world);
    auto packet = disclose(world, *world.supervisor);
    REQUIRE(packet);
    const auto file = world.dir / "packet.json";
    std::ofstream(file) << packet->json;
    const auto valid = validate(world.dir, file);
    INFO(valid.out << valid.err);
    CHECK(valid.exitCode == 0);

    // The validator does check: a packet without its searches, or with a score above 1, is refused.
    auto damaged = Json::parse(packet->json);
    damaged.erase("searches");
    std::ofstream(file, std::ios::trunc) << damaged.dump();
    const auto missing = validate(world.dir, file);
    CHECK(missing.exitCode == 1);
    CHECK_THAT(missing.out, Catch::Contains("searches"));
    damaged = Json::parse(packet->json);
    damaged["searches"][0]["candidates"][0]["score"] = 1.5;
    std::ofstream(file, std::ios::trunc) << damaged.dump();
    CHECK(validate(world.dir, file).exitCode == 1);

    // A case with no search at all is a valid packet too (it says so).
    CaseWorld quiet;
    auto empty = disclose(quiet, *quiet.programAdministrator);
    REQUIRE(empty);
    std::ofstream(file, std::ios::trunc) << empty->json;
    CHECK(validate(world.dir, file).exitCode == 0);
    CHECK(Json::parse(empty->json)["searches"].empty());
}

TEST_CASE("Issue 11 (trial 31 M2): the packet names the searches of the same probe in other cases",
          "[disclosure][schema]") {
    CaseWorld world;
    buildCase(world);
    auto investigator = world.service(*world.investigator);
    const auto other = require(investigator.createCase({"NP-2026-0092", "Armed robbery", world.officer->userId()}));
    world.searchCandidatesIn(other.id, other.caseNumber);  // the same picture, searched first in another case

    auto packet = disclose(world, *world.supervisor);
    REQUIRE(packet);
    const auto json = Json::parse(packet->json);
    const auto& elsewhere = json["searches"][0]["probe"]["original"]["searched_in_other_cases"];
    REQUIRE(elsewhere.size() == 1);
    CHECK(elsewhere[0]["case_number"] == "NP-2026-0092");
    CHECK_THAT(documentText(packet->document),
               Catch::Contains("Same original searched in other cases: case NP-2026-0092, search"));
    const auto file = world.dir / "packet.json";
    std::ofstream(file) << packet->json;
    const auto valid = validate(world.dir, file);
    INFO(valid.out << valid.err);
    CHECK(valid.exitCode == 0);
    // The other case's own packet names the searches of this one.
    auto supervisor = world.service(*world.supervisor);
    auto otherPacket = require(reports::generateDisclosure(*world.supervisor, supervisor, other.id));
    CHECK(Json::parse(otherPacket.json)["searches"][0]["probe"]["original"]["searched_in_other_cases"].size() ==
          json["searches"].size());  // every search of this case, one original
}

// Trial 23A F15: a colleague's clearing follow-up and review, deleted with their audit entries, left the packet saying
// "follow_ups: []" as if there had been none. The packet says whether the audit log held when it was made.
TEST_CASE("disclosure packet says whether the audit log held when it was made", "[disclosure][insider]") {
    CaseWorld world;
    buildCase(world);
    auto first = disclose(world, *world.supervisor);
    REQUIRE(first);
    const auto held = Json::parse(first->json)["audit_log"];
    CHECK(held["intact"] == true);
    CHECK(held["problems"].empty());
    CHECK(held["entries_checked"].get<std::int64_t>() > 10);
    REQUIRE(disclose(world, *world.supervisor));  // an entry after the first disclosure's, so its deletion leaves a hole
    REQUIRE(world.admin->store().exec(
        "DROP TRIGGER audit_log_append_only_delete; DELETE FROM audit_log WHERE seq = (SELECT min(seq) FROM audit_log "
        "WHERE action = 'case.disclosed')"));
    auto after = disclose(world, *world.supervisor);
    REQUIRE(after);
    const auto broken = Json::parse(after->json)["audit_log"];
    CHECK(broken["intact"] == false);
    REQUIRE_FALSE(broken["problems"].empty());
    CHECK_THAT(broken["problems"][0].get<std::string>(), Catch::Contains("entries are missing before this one"));
}

namespace {

workflow::PolicySettings marylandSettings() {
    workflow::PolicySettings maryland;
    maryland.pack = workflow::findPack("maryland-2024").value();
    maryland.defaultCandidateLimit = maryland.pack.candidates.byDefault;
    return maryland;
}

// A search the maryland-2024 pack holds for a supervisor's approval (VI.A.7 critical incident), in a new case.
cases::SearchSubmission heldSearch(const CaseWorld& world, const std::string& caseNumber) {
    cases::SearchSubmission submission;
    submission.request = world.validRequest();
    submission.request.caseNumber = caseNumber;
    submission.request.offence = "public_safety_threat: bomb threat at the mall";
    submission.request.purpose = workflow::Purpose::CriticalIncident;
    submission.newCaseOfficerId = world.officer->userId();
    submission.originalBytes = world.png;
    submission.fileName = "mall-camera-2.png";
    submission.probe = world.probe();
    return submission;
}

}  // namespace

// Trial 19B MEDIUM-3: the packet did not say which rule pack governed a search, nor the approval it needed before it
// ran. Each search now names its pack (name, version) and the pre-search approval (who asked, when and why; who
// approved and when; the probe it covered), in the JSON (valid against the schema) and in the printable document.
TEST_CASE("disclosure packet: each search's rule pack and its pre-search approval", "[disclosure][packs][approval]") {
    CaseWorld world;
    const auto maryland = marylandSettings();
    cases::CaseService investigator(*world.investigator, maryland);
    const auto submission = heldSearch(world, "MD-DISCLOSE-1");
    const auto asked = investigator.requestApproval(submission);
    REQUIRE(asked);
    REQUIRE(cases::CaseService(*world.supervisor, maryland).approveSearch(asked->id));
    const auto search = investigator.submitSearch(submission, world.backend());
    REQUIRE(search);
    // A second search in the same case under the default pack, which asks no approval.
    auto plain = submission;
    plain.request.purpose = workflow::Purpose::SuspectedOffence;
    REQUIRE(world.service(*world.investigator).submitSearch(plain, world.backend()));

    auto service = world.service(*world.supervisor);
    const auto caseId = service.findCase("MD-DISCLOSE-1")->id;
    auto packet = reports::generateDisclosure(*world.supervisor, service, caseId);
    REQUIRE(packet);
    const auto json = Json::parse(packet->json);
    REQUIRE(json["searches"].size() == 2);
    const auto& held = json["searches"][0];
    CHECK(held["rule_pack"]["id"] == "maryland-2024");
    CHECK(held["rule_pack"]["version"] == maryland.pack.version);
    CHECK(held["rule_pack"]["name"] == maryland.pack.title);
    const auto& approval = held["pre_search_approval"];
    CHECK(approval["id"] == asked->id);
    CHECK(approval["requested_by"]["id"] == world.investigator->userId());
    CHECK(approval["approved_by"]["id"] == world.supervisor->userId());
    CHECK(approval["reason"] == submission.request.justification);
    CHECK_FALSE(approval["approved_at"].get<std::string>().empty());
    REQUIRE(approval["probes"].size() == 1);
    CHECK(approval["probes"][0]["sha256"] == sha256Hex(world.png));
    CHECK(approval["probes"][0]["file_name"] == "mall-camera-2.png");
    CHECK(json["searches"][1]["rule_pack"]["id"] == "sop-302-02");
    CHECK(json["searches"][1]["pre_search_approval"].is_null());

    const auto file = world.dir / "packet.json";
    std::ofstream(file) << packet->json;
    const auto valid = validate(world.dir, file);
    INFO(valid.out << valid.err);
    CHECK(valid.exitCode == 0);

    // The printable document says the same, in each search's fields.
    std::vector<std::pair<std::string, std::string>> fields;
    for (const auto& section : packet->document.sections)
        for (const auto& block : section.blocks)
            if (const auto* f = std::get_if<reports::Fields>(&block)) fields.insert(fields.end(), f->items.begin(), f->items.end());
    const auto valueOf = [&](const std::string& label, std::size_t nth) {
        for (const auto& [l, v] : fields)
            if (l == label && nth-- == 0) return v;
        return std::string("(missing)");
    };
    CHECK_THAT(valueOf("Rule pack", 0), Catch::Contains(maryland.pack.title) &&
                                            Catch::Contains("version " + std::to_string(maryland.pack.version)));
    CHECK_THAT(valueOf("Approval before the search", 0),
               Catch::Contains("ivan Display") && Catch::Contains("approved by sue Display") && Catch::Contains("reason: "));
    CHECK_THAT(valueOf("Approval before the search", 1), Catch::Contains("none"));
}

// Trial 49 F3: a search held for a supervisor's approval and then withdrawn, or still waiting, was in no packet, case
// report or case window: a search asked for and not run (or run as another) went undisclosed. Every request of the
// case is now listed with what became of it, in the JSON (valid against the schema), the packet's PDF and the case
// report.
TEST_CASE("disclosure packet and case report: every search asked for approval, waiting, withdrawn or used",
          "[disclosure][packs][approval]") {
    CaseWorld world;
    const auto maryland = marylandSettings();
    cases::CaseService investigator(*world.investigator, maryland);
    const auto submission = heldSearch(world, "MD-DISCLOSE-2");
    const auto used = require(investigator.requestApproval(submission));
    REQUIRE(cases::CaseService(*world.supervisor, maryland).approveSearch(used.id));
    REQUIRE(investigator.submitSearch(submission, world.backend()));
    auto again = submission;
    again.request.justification += " A second look.";
    const auto withdrawn = require(investigator.requestApproval(again));
    REQUIRE(investigator.withdrawApprovalRequest(withdrawn.id));
    again.request.justification += " A third.";
    const auto waiting = require(investigator.requestApproval(again));

    auto service = world.service(*world.supervisor);
    const auto caseId = service.findCase("MD-DISCLOSE-2")->id;
    const auto packet = require(reports::generateDisclosure(*world.supervisor, service, caseId));
    const auto json = Json::parse(packet.json);
    CHECK(json["searches"].size() == 1);
    const auto& asked = json["approval_requests"];
    REQUIRE(asked.size() == 3);
    CHECK(asked[0]["id"] == used.id);
    CHECK(asked[0]["status"] == "used");
    CHECK(asked[0]["used_by_request"] == json["searches"][0]["request"]["id"]);
    CHECK(asked[1]["id"] == withdrawn.id);
    CHECK(asked[1]["status"] == "withdrawn");
    CHECK_FALSE(asked[1]["withdrawn_at"].is_null());
    CHECK(asked[1]["approved_by"].is_null());
    CHECK(asked[2]["id"] == waiting.id);
    CHECK(asked[2]["status"] == "waiting");
    CHECK(asked[2]["reason"] == again.request.justification);
    CHECK(asked[2]["probes"][0]["sha256"] == sha256Hex(world.png));
    const auto file = world.dir / "packet.json";
    std::ofstream(file) << packet.json;
    const auto valid = validate(world.dir, file);
    INFO(valid.out << valid.err);
    CHECK(valid.exitCode == 0);

    // The packet's PDF and the case report print each request with its outcome.
    const auto outcomes = [](const reports::ReportDocument& document) {
        std::vector<std::string> found;
        for (const auto& section : document.sections)
            for (const auto& block : section.blocks)
                if (const auto* f = std::get_if<reports::Fields>(&block))
                    for (const auto& [label, value] : f->items)
                        if (label == "Outcome") found.push_back(value);
        return found;
    };
    const auto report = require(reports::generateCaseReport(*world.supervisor, service, caseId, "Agency"));
    for (const auto& document : {packet.document, report}) {
        const auto printed = outcomes(document);
        REQUIRE(printed.size() == 3);
        CHECK_THAT(printed[0], Catch::Contains("approved by sue Display") && Catch::Contains("searched (search request #"));
        CHECK_THAT(printed[1], Catch::StartsWith("withdrawn by who asked") && Catch::Contains("not searched"));
        CHECK_THAT(printed[2], Catch::StartsWith("waiting for a supervisor's approval; not searched"));
    }
}

TEST_CASE("disclosure refused to all but the case's officer, a supervisor and a program administrator; audited",
          "[disclosure][authority]") {
    CaseWorld world;
    buildCase(world);
    struct Attempt {
        const char* who;
        accounts::Session* session;
        bool allowed;
    };
    const std::vector<Attempt> attempts{
        {"investigator", world.investigator.get(), false},
        {"another case's officer", world.otherOfficer.get(), false},
        {"intel supervisor", world.intelSupervisor.get(), false},
        {"trainer", world.trainer.get(), false},
        {"the case's officer", world.officer.get(), true},
        {"supervisor", world.supervisor.get(), true},
        {"program administrator", world.programAdministrator.get(), true},
    };
    for (const auto& attempt : attempts) {
        INFO(attempt.who);
        const auto refusals = countOf(world, "access.refused", attempt.session->userId());
        const auto disclosed = countOf(world, "case.disclosed");
        const auto packet = disclose(world, *attempt.session);
        CHECK(packet.ok() == attempt.allowed);
        CHECK(countOf(world, "case.disclosed") == disclosed + (attempt.allowed ? 1 : 0));
        CHECK(countOf(world, "access.refused", attempt.session->userId()) == refusals + (attempt.allowed ? 0 : 1));
        if (!packet) CHECK(packet.error().code == ErrorCode::PermissionDenied);
    }
    const auto other = disclose(world, *world.otherOfficer);
    REQUIRE_FALSE(other);
    // A case officer who does not work the case does not even read it (VI.B.6, trial 12).
    CHECK_THAT(other.error().message, Catch::Contains("need to know") && Catch::Contains(world.caseNumber));
}
