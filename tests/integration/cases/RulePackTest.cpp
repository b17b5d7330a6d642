// The rule pack's gates in the search use case (issue 11 item 5), in the core whatever the entry point: an
// offence outside the pack's list, a candidate list outside its bounds, a purpose the pack holds for a second
// approver. A refused search is audited and leaves nothing behind; an approved one runs once.

#include <catch2/catch.hpp>

#include <opencv2/core.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/admin/Administration.h"
#include "core/audit/AuditLog.h"
#include "core/common/Hash.h"
#include "core/imaging/Intake.h"
#include "core/reports/AuditTrail.h"
#include "core/reports/Retention.h"
#include "core/reports/Statutory.h"
#include "tests/integration/cases/CaseWorld.h"

using namespace facelead;
using facelead::test::CaseWorld;
using facelead::test::require;

namespace {

workflow::PolicySettings underPack(const std::string& id) {
    workflow::PolicySettings settings;
    auto pack = workflow::findPack(id);
    REQUIRE(pack);
    settings.pack = *pack;
    settings.defaultCandidateLimit = pack->candidates.byDefault;
    return settings;
}

cases::SearchSubmission newCaseSearch(CaseWorld& world, const std::string& caseNumber, const std::string& offence) {
    cases::SearchSubmission submission;
    submission.request = world.validRequest();
    submission.request.caseNumber = caseNumber;
    submission.request.offence = offence;
    submission.newCaseOfficerId = world.officer->userId();
    submission.originalBytes = world.png;
    submission.probe = world.probe();
    return submission;
}

// A VI.A.7 search (critical incident) about a bomb threat in a new case: one the Maryland pack holds for a
// supervisor's approval before it runs (Md. Crim. Proc. 2-505).
cases::SearchSubmission heldSearch(CaseWorld& world, const std::string& caseNumber,
                                   const std::string& offence = "public_safety_threat: bomb threat at the mall") {
    auto submission = newCaseSearch(world, caseNumber, offence);
    submission.request.purpose = workflow::Purpose::CriticalIncident;
    return submission;
}

struct Counts {
    std::int64_t cases, images, requests, searches, approvals;
    bool operator==(const Counts&) const = default;
};
Counts counts(CaseWorld& world) {
    return {world.rowCount("cases"), world.rowCount("images"), world.rowCount("search_requests"),
            world.rowCount("searches"), world.rowCount("search_approvals")};
}

// Refused with `code`, audited as an attempt, and nothing else written.
void requireRefusedSearch(CaseWorld& world, cases::CaseService& service, const cases::SearchSubmission& submission,
                          ErrorCode code, const std::string& says) {
    const auto before = counts(world);
    const auto auditBefore = world.auditCount();
    auto refused = service.submitSearch(submission, world.backend());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == code);
    CHECK_THAT(refused.error().message, Catch::Contains(says));
    CHECK(counts(world) == before);
    CHECK(world.auditCount() == auditBefore + 1);
    CHECK(world.lastAuditAction() == "access.refused");
}

}  // namespace

TEST_CASE("Rule pack (Md. Crim. Proc. 2-503): a search outside the pack's offence list is refused, audited, "
          "nothing left behind", "[packs][search]") {
    CaseWorld world;
    cases::CaseService service(*world.investigator, underPack("maryland-2024"));
    requireRefusedSearch(world, service, newCaseSearch(world, "MD-1", "Shoplifting"), ErrorCode::PolicyViolation,
                         "crime_of_violence");
    // The gate the CLI and the wizard ask before slow work says the same, audited too.
    const auto auditBefore = world.auditCount();
    auto gate = service.checkSearchGate(newCaseSearch(world, "MD-1", "Shoplifting").request);
    REQUIRE_FALSE(gate);
    CHECK(gate.error().code == ErrorCode::PolicyViolation);
    CHECK_THAT(gate.error().message, Catch::Contains("the agency's rule pack (Maryland"));  // not the SOP alone
    CHECK(world.auditCount() == auditBefore + 1);

    auto allowed = service.submitSearch(newCaseSearch(world, "MD-2", "crime_of_violence: armed robbery, 12 Main St"),
                                        world.backend());
    REQUIRE(allowed);
    CHECK(allowed->candidates.size() == 3);
    // The default pack (SOP 302.02) takes any offence.
    CHECK(world.service(*world.investigator).submitSearch(newCaseSearch(world, "SOP-1", "Shoplifting"), world.backend()));

    // Trial 27 F21: a crime passed as "identify a missing person" with a crime's purpose, and the statutory report
    // then filed a shoplifting search under it.
    auto disguised = newCaseSearch(world, "MD-3", "identify_person: shoplifter who took candy from the corner store");
    disguised.request.purpose = workflow::Purpose::SuspectedOffence;
    requireRefusedSearch(world, service, disguised, ErrorCode::PolicyViolation, "is searched only for VI.A.3");

    // Trial 29 N3: the same crime under the category's own purposes, by its code or by its label.
    auto asWitness = newCaseSearch(world, "MD-3b", "identify_person: shoplifting suspect who fled");
    asWitness.request.purpose = workflow::Purpose::WitnessOrVictim;
    requireRefusedSearch(world, service, asWitness, ErrorCode::PolicyViolation, "names \"shoplifting\"");
    auto byLabel = newCaseSearch(world, "MD-3c", "Identify a missing, deceased or incapacitated person: Shoplifter");
    byLabel.request.purpose = workflow::Purpose::IdentifyUnable;
    requireRefusedSearch(world, service, byLabel, ErrorCode::PolicyViolation, "names \"shoplifter\"");
    // Trial 31 H3: the crime in the justification, where the facts are.
    auto justified = newCaseSearch(world, "MD-3e", "identify_person: unknown man");
    justified.request.purpose = workflow::Purpose::IdentifyUnable;
    justified.request.justification = "Shoplifting suspect on store CCTV, value 200 dollars, identity unknown.";
    requireRefusedSearch(world, service, justified, ErrorCode::PolicyViolation, "names \"shoplifting\"");
    // Trial 32: or in the purpose of the submission, with a neutral justification.
    auto submitted = newCaseSearch(world, "MD-3g", "identify_person: unknown man");
    submitted.request.purpose = workflow::Purpose::IdentifyUnable;
    submitted.request.justification = "A man on the store camera whose name nobody knows.";
    submitted.request.consent = workflow::ConsentRecord{workflow::ConsentKind::WithoutConsent, false,
                                                        "He was not there to be asked.",
                                                        "Identify the shoplifter for the theft report."};
    requireRefusedSearch(world, service, submitted, ErrorCode::PolicyViolation, "names \"shoplifter\"");
    // The person themselves runs; a crime's witness is searched under the crime's own category.
    auto unconscious = newCaseSearch(world, "MD-3d", "identify_person: unconscious woman at the bus stop");
    unconscious.request.purpose = workflow::Purpose::IdentifyUnable;
    unconscious.request.justification = "Found unconscious without identification; the hospital must reach her family.";
    CHECK(service.submitSearch(unconscious, world.backend()));
    auto witness = newCaseSearch(world, "MD-3f", "crime_of_violence: shooting on Main St, a witness who walked away");
    witness.request.purpose = workflow::Purpose::WitnessOrVictim;
    witness.request.justification = "The witness saw the suspect leave and walked away before officers arrived.";
    CHECK(service.submitSearch(witness, world.backend()));
}

TEST_CASE("Rule pack: a purpose the pack does not allow is refused", "[packs][search]") {
    CaseWorld world;
    cases::CaseService service(*world.investigator, underPack("maryland-2024"));
    auto submission = newCaseSearch(world, "MD-3", "crime_of_violence: assault");
    submission.request.purpose = workflow::Purpose::LicenceFraud;
    requireRefusedSearch(world, service, submission, ErrorCode::PolicyViolation, "does not allow the purpose VI.A.5");
}

TEST_CASE("Rule pack: the candidate-list size is bounded by the pack (NGI-IPS 2 to 50)", "[packs][search]") {
    CaseWorld world;
    cases::CaseService service(*world.investigator, underPack("maryland-2024"));
    auto submission = newCaseSearch(world, "MD-4", "crime_of_violence: assault");
    submission.options.candidateLimit = 1;
    requireRefusedSearch(world, service, submission, ErrorCode::PolicyViolation, "between 2 and 50");
    submission.options.candidateLimit = 51;
    requireRefusedSearch(world, service, submission, ErrorCode::PolicyViolation, "between 2 and 50");
    submission.options.candidateLimit = 2;
    auto search = service.submitSearch(submission, world.backend());
    REQUIRE(search);
    CHECK(search->candidates.size() == 2);
}

TEST_CASE("Rule pack: the SOP's pack asks a list of at least 2, since a list of one tells its rank (trial 45 F4)",
          "[packs][search]") {
    CaseWorld world;
    cases::CaseService service(*world.investigator, underPack("sop-302-02"));
    auto submission = newCaseSearch(world, "C-41", "Theft at 9 Oak Ave");
    submission.options.candidateLimit = 1;
    requireRefusedSearch(world, service, submission, ErrorCode::PolicyViolation, "between 2 and 200");
}

TEST_CASE("Rule pack: a second-approver purpose without approval is refused; a supervisor, not the requester, "
          "approves it before it runs, once", "[packs][search][approval]") {
    CaseWorld world;
    const auto settings = underPack("maryland-2024");
    cases::CaseService investigator(*world.investigator, settings);
    auto submission = heldSearch(world, "MD-5");
    requireRefusedSearch(world, investigator, submission, ErrorCode::ApprovalRequired, "approve a search for VI.A.7");

    // The request is stored as pending, audited; asked again, the same one comes back.
    auto pending = investigator.requestApproval(submission);
    REQUIRE(pending);
    CHECK_FALSE(pending->approved());
    CHECK(world.lastAuditAction() == "search.approval_requested");
    CHECK(investigator.requestApproval(submission)->id == pending->id);
    CHECK(world.rowCount("search_approvals") == 1);
    requireRefusedSearch(world, investigator, submission, ErrorCode::ApprovalRequired, "waiting for a supervisor");

    // Only a supervisor approves; the requester's own approval is refused by role, and audited.
    auto byRequester = investigator.approveSearch(pending->id);
    REQUIRE_FALSE(byRequester);
    CHECK(byRequester.error().code == ErrorCode::PermissionDenied);
    CHECK(world.lastAuditAction() == "access.refused");
    auto byOfficer = cases::CaseService(*world.officer, settings).approveSearch(pending->id);
    REQUIRE_FALSE(byOfficer);
    CHECK(byOfficer.error().code == ErrorCode::PermissionDenied);

    cases::CaseService supervisor(*world.supervisor, settings);
    auto waiting = supervisor.approvalsAwaitingMe();
    REQUIRE(waiting);
    REQUIRE(waiting->size() == 1);
    CHECK(waiting->front().caseNumber == "MD-5");
    auto approved = supervisor.approveSearch(pending->id);
    REQUIRE(approved);
    CHECK(approved->approvedBy->id == world.supervisor->userId());
    CHECK(world.lastAuditAction() == "search.approved");
    CHECK(supervisor.approvalsAwaitingMe()->empty());
    auto twice = supervisor.approveSearch(pending->id);
    REQUIRE_FALSE(twice);
    CHECK(twice.error().code == ErrorCode::InvalidTransition);

    // Approved for another justification is not approved for this one.
    auto edited = submission;
    edited.request.justification += " And another person too.";
    requireRefusedSearch(world, investigator, edited, ErrorCode::ApprovalRequired, "Request the approval first");

    auto search = investigator.submitSearch(submission, world.backend());
    REQUIRE(search);
    {  // scoped: an open statement would hold the admin connection's snapshot
        auto used = require(world.admin->store().prepare("SELECT used_by_request FROM search_approvals WHERE id = ?"));
        used.bind(1, pending->id);
        REQUIRE(require(used.step()));
        CHECK(used.getInt(0) == search->requestId);
    }
    audit::AuditFilter filter;
    filter.action = "search.approval_used";
    CHECK(audit::AuditLog::list(world.admin->store(), filter)->size() == 1);

    // One approval, one search: the next needs another approval.
    auto again = newCaseSearch(world, "MD-5", "public_safety_threat: bomb threat at the mall");
    again.request.purpose = workflow::Purpose::CriticalIncident;
    requireRefusedSearch(world, investigator, again, ErrorCode::ApprovalRequired, "Request the approval first");
    CHECK(audit::AuditLog::verify(world.admin->store())->intact());

    // Trial 27 F13: a supervisor whose training lapsed approves nothing (VI.D.2.b).
    auto another = investigator.requestApproval(again);
    REQUIRE(another);
    auto lapsing = settings;
    lapsing.trainingValidity = std::chrono::days(30);
    world.clock->advance(std::chrono::hours(24 * 31));
    auto untrained = cases::CaseService(*world.supervisor, lapsing).approveSearch(another->id);
    REQUIRE_FALSE(untrained);
    CHECK(untrained.error().code == ErrorCode::TrainingRequired);
}

TEST_CASE("Rule pack: the gate obeys the pack a program administrator signed, not the settings table's (trial 20A "
          "F5)", "[packs][search][insider]") {
    CaseWorld world;
    REQUIRE(admin::choosePolicyPack(*world.admin, "washington-rcw-43-386"));
    // What an insider with the database key writes for one search that needs a supervisor's prior approval.
    REQUIRE(world.admin->store().exec("UPDATE settings SET value = 'sop-302-02' WHERE key = 'admin.policy_pack'").ok());
    cases::CaseService investigator(*world.investigator, underPack("sop-302-02"));  // as read from the table
    requireRefusedSearch(world, investigator, newCaseSearch(world, "WA-1", "Burglary at 12 Birch St"),
                         ErrorCode::AuditChainBroken, "admin.policy_pack");
    auto verify = audit::AuditLog::verify(world.admin->store());
    REQUIRE(verify);
    CHECK_FALSE(verify->intact());
    CHECK(std::ranges::any_of(verify->accountProblems, [](const std::string& problem) {
        return problem.find("admin.policy_pack") != std::string::npos;
    }));
    // A program administrator saves the agency's pack again: the table and the signed log agree.
    REQUIRE(admin::choosePolicyPack(*world.admin, "washington-rcw-43-386"));
    CHECK(audit::AuditLog::verify(world.admin->store())->intact());
}

TEST_CASE("Rule pack: a setting written out of range stops searches, not every command; the administrator's save "
          "replaces it (trial 21A N3)", "[packs][search][insider]") {
    CaseWorld world;
    REQUIRE(world.admin->store().exec(
        "INSERT OR REPLACE INTO settings (key, value) VALUES ('admin.password_min_length', '2')").ok());
    auto read = admin::loadSettings(world.investigator->store());  // it said "... must be between 8 and 128."
    REQUIRE(read);
    CHECK(read->passwordMinLength == admin::AgencySettings{}.passwordMinLength);
    cases::CaseService investigator(*world.investigator, admin::policySettings(*read));
    requireRefusedSearch(world, investigator, newCaseSearch(world, "N3-1", "Burglary at 12 Birch St"),
                         ErrorCode::AuditChainBroken, "admin.password_min_length");

    auto shown = admin::loadSettings(world.admin->store());  // what the administrator's settings screen shows
    REQUIRE(shown);
    auto saved = admin::saveSettings(*world.admin, *shown);
    REQUIRE(saved);
    CHECK(std::ranges::any_of(*saved, [](const admin::SettingChange& change) {
        return change.key == "admin.password_min_length" && change.oldValue == "2";
    }));
    CHECK(audit::AuditLog::verify(world.admin->store())->intact());
    REQUIRE(investigator.submitSearch(newCaseSearch(world, "N3-2", "Burglary at 12 Birch St"), world.backend()));
}

TEST_CASE("Rule pack: the settings form shows the values a program administrator signed, and saving them answers "
          "an insider's edit of the table (trial 28 N4)", "[packs][search][insider]") {
    CaseWorld world;
    const auto signedSeats = admin::loadSettings(world.admin->store())->licenceSeats;
    REQUIRE(world.admin->store()
                .exec("INSERT OR REPLACE INTO settings (key, value) VALUES ('admin.licence_seats', '50')")
                .ok());
    // The form showed the insider's 50 as current, and saving it said "Nothing changed.": the finding stood.
    auto shown = admin::signedSettings(*world.admin);
    REQUIRE(shown);
    CHECK(shown->licenceSeats == signedSeats);
    CHECK(admin::loadSettings(world.admin->store())->licenceSeats == 50);  // the table, as the insider left it
    auto saved = admin::saveSettings(*world.admin, *shown);
    REQUIRE(saved);
    REQUIRE(saved->size() == 1);
    CHECK(saved->front().key == "admin.licence_seats");
    CHECK(saved->front().oldValue == "50");
    CHECK(saved->front().newValue == std::to_string(signedSeats));
    CHECK(admin::loadSettings(world.admin->store())->licenceSeats == signedSeats);
    CHECK(audit::AuditLog::verify(world.admin->store())->intact());
    // Saved again unchanged, nothing is written.
    CHECK(admin::saveSettings(*world.admin, *shown)->empty());
}

// Trial 19B HIGH-2: the approval was of the request only, so once approved the requester could search any image.
// The supervisor approves the probe originals named with the request; any other original is refused, audited.
TEST_CASE("Rule pack: an approval covers the probe originals it was asked for; another image is refused, audited",
          "[packs][search][approval]") {
    CaseWorld world;
    const auto settings = underPack("maryland-2024");
    cases::CaseService investigator(*world.investigator, settings);
    cases::CaseService supervisor(*world.supervisor, settings);
    auto submission = heldSearch(world, "MD-10");
    submission.fileName = "cctv-mall-2.png";
    auto asked = investigator.requestApproval(submission);
    REQUIRE(asked);
    REQUIRE(asked->probes.size() == 1);
    CHECK(asked->probes.front().sha256 == sha256Hex(world.png));
    CHECK(asked->probes.front().fileName == "cctv-mall-2.png");
    CHECK(world.rowCount("search_approval_probes") == 1);

    // The supervisor sees what will be searched: the names and hashes, and the picture itself, read back and audited.
    auto waiting = supervisor.approvalsAwaitingMe();
    REQUIRE(waiting);
    REQUIRE(waiting->size() == 1);
    CHECK(waiting->front().probes == asked->probes);
    auto pictures = supervisor.approvalProbePictures(asked->id);
    REQUIRE(pictures);
    REQUIRE(pictures->size() == 1);
    CHECK(pictures->front().width() == 64);
    CHECK(world.lastAuditAction() == "search_approval.probes_viewed");
    CHECK_FALSE(investigator.approvalProbePictures(asked->id));  // the approver's view, not the requester's
    REQUIRE(supervisor.approveSearch(asked->id));

    // The same request with another image: refused, audited, nothing stored, the approval left unused.
    cv::Mat other(48, 64, CV_8UC3, cv::Scalar(10, 200, 30));
    const auto otherPng = require(imaging::encodePng(other));
    auto swapped = submission;
    swapped.originalBytes = otherPng;
    swapped.fileName = "someone-else.png";
    requireRefusedSearch(world, investigator, swapped, ErrorCode::ApprovalRequired, "not the probe of this search");
    auto refusal = audit::AuditLog::list(world.admin->store(), audit::AuditFilter{.action = "access.refused"});
    REQUIRE(refusal);
    CHECK_THAT(refusal->back().detailsJson, Catch::Contains("cctv-mall-2.png") && Catch::Contains("someone-else.png"));
    // Nor may an image be added to the approved one.
    auto added = submission;
    added.furtherProbes.push_back({.originalBytes = otherPng, .imageSource = "Doorbell camera", .probe = world.probe()});
    requireRefusedSearch(world, investigator, added, ErrorCode::ApprovalRequired, "not the probe of this search");
    // Asking again for the other image is a new request, waiting for its own approval.
    auto again = investigator.requestApproval(swapped);
    REQUIRE(again);
    CHECK(again->id != asked->id);
    CHECK_FALSE(again->approved());

    // The approved image runs, once.
    auto search = investigator.submitSearch(submission, world.backend());
    REQUIRE(search);
    CHECK(require(supervisor.approveSearch(again->id)).approved());
    CHECK(audit::AuditLog::verify(world.admin->store())->intact());
}

// The gate obeys the supervisor's signed approval, not the search_approvals rows, which an insider with the database
// key can rewrite (his own request marked approved; the approved probe's hash swapped for another image's).
TEST_CASE("Rule pack: an approval written into the table, or its probe rewritten after approval, opens nothing",
          "[packs][search][approval][insider]") {
    CaseWorld world;
    const auto settings = underPack("maryland-2024");
    cases::CaseService investigator(*world.investigator, settings);
    auto submission = heldSearch(world, "MD-12");
    const auto asked = require(investigator.requestApproval(submission));
    // The submission's originalBytes is a view: the other image lives here, for the whole test (it was a temporary,
    // read after it was freed).
    const auto otherImage = require(imaging::encodePng(cv::Mat(48, 64, CV_8UC3, cv::Scalar(10, 200, 30))));
    SECTION("approved_by written into the table") {
        REQUIRE(world.admin->store()
                    .exec("UPDATE search_approvals SET approved_by = " + std::to_string(world.supervisor->userId()) +
                          ", approved_at = '2026-12-02T10:00:00Z' WHERE id = " + std::to_string(asked.id))
                    .ok());
    }
    SECTION("the approved probe's hash rewritten to another image's") {
        REQUIRE(cases::CaseService(*world.supervisor, settings).approveSearch(asked.id));
        submission.originalBytes = otherImage;
        REQUIRE(world.admin->store()
                    .exec("DROP TRIGGER search_approval_probes_never_changed; UPDATE search_approval_probes SET sha256 = '" +
                          sha256Hex(submission.originalBytes) + "'")
                    .ok());
    }
    SECTION("the approved request's probe template rewritten (trial 51)") {
        REQUIRE(cases::CaseService(*world.supervisor, settings).approveSearch(asked.id));
        REQUIRE(world.admin->store()
                    .exec("DROP TRIGGER search_approval_probes_never_changed; UPDATE search_approval_probes SET "
                          "template = zeroblob(512)")
                    .ok());
    }
    SECTION("the approval's use cleared from the table for a second search (trial 21A N1)") {
        REQUIRE(cases::CaseService(*world.supervisor, settings).approveSearch(asked.id));
        REQUIRE(investigator.submitSearch(submission, world.backend()));
        REQUIRE(world.admin->store()
                    .exec("UPDATE search_approvals SET used_by_request = NULL WHERE id = " + std::to_string(asked.id))
                    .ok());
    }
    requireRefusedSearch(world, investigator, submission, ErrorCode::AuditChainBroken, "edited outside FaceLead");
    // Trial 51 F4: audit verify names each edit too, not only the search that refuses it.
    auto verified = reports::AuditTrail(*world.programAdministrator).verify();
    REQUIRE(verified);
    CHECK_FALSE(verified->intact());
    CHECK_THAT(verified->describe(), Catch::Contains("Case MD-12") && Catch::Contains("edited outside FaceLead"));
}

// Trial 22A F10: a request written into the table "asked by" a colleague, or a colleague's request with its
// justification rewritten, sat in the supervisors' queue in his name. Only what the requester signed is asked.
TEST_CASE("Rule pack: a request for approval its requester never signed is not in the queue and cannot be approved",
          "[packs][approval][insider]") {
    CaseWorld world;
    const auto settings = underPack("maryland-2024");
    cases::CaseService investigator(*world.investigator, settings);
    cases::CaseService supervisor(*world.supervisor, settings);
    auto submission = heldSearch(world, "MD-13");
    const auto asked = require(investigator.requestApproval(submission));
    REQUIRE(require(supervisor.approvalsAwaitingMe()).size() == 1);
    SECTION("its justification rewritten") {
        REQUIRE(world.admin->store()
                    .exec("UPDATE search_approvals SET justification = 'photo of my ex-girlfriend, need her address' "
                          "WHERE id = " + std::to_string(asked.id))
                    .ok());
    }
    SECTION("a copy of it inserted under another id") {
        REQUIRE(world.admin->store()
                    .exec("INSERT INTO search_approvals(case_number, offence, purpose_code, justification, pack, "
                          "requested_by, requested_at) SELECT case_number, offence, purpose_code, 'photo of my ex', "
                          "pack, requested_by, requested_at FROM search_approvals WHERE id = " +
                          std::to_string(asked.id) + "; INSERT INTO search_approval_probes(approval_id, position, sha256, file_name, video_frame, bytes) SELECT "
                          "(SELECT max(id) FROM search_approvals), position, sha256, file_name, video_frame, bytes "
                          "FROM search_approval_probes WHERE approval_id = " + std::to_string(asked.id) +
                          "; UPDATE search_approvals SET justification = 'x' WHERE id = " + std::to_string(asked.id))
                    .ok());
    }
    CHECK(require(supervisor.approvalsAwaitingMe()).empty());
    auto forgedId = require(world.admin->store().prepare("SELECT max(id) FROM search_approvals"));
    REQUIRE(require(forgedId.step()));
    auto approved = supervisor.approveSearch(forgedId.getInt(0));
    REQUIRE_FALSE(approved);
    CHECK(approved.error().code == ErrorCode::AuditChainBroken);
    CHECK_THAT(approved.error().message, Catch::Contains("was edited outside FaceLead"));
    // audit verify names the forged request too, not only the approval that refuses it.
    auto verified = reports::AuditTrail(*world.programAdministrator).verify();
    REQUIRE(verified);
    CHECK_FALSE(verified->intact());
    CHECK_THAT(verified->describe(), Catch::Contains("Case MD-13: Search approval request " +
                                                     std::to_string(forgedId.getInt(0)) + " was edited outside FaceLead"));
}

// Trial 23C M6: an approval was asked for and granted for a search its case then refused (another offence).
TEST_CASE("Rule pack: no approval is asked for a search its case would refuse", "[packs][approval]") {
    CaseWorld world;
    const auto settings = underPack("maryland-2024");
    cases::CaseService investigator(*world.investigator, settings);
    REQUIRE(investigator.createCase({"MD-20", "crime_of_violence: robbery", world.officer->userId()}));
    auto submission = heldSearch(world, "MD-20", "crime_of_violence: mall shooting");
    auto refused = investigator.requestApproval(submission);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::InvalidArgument);
    CHECK_THAT(refused.error().message, Catch::Contains("is recorded for the offence"));
    CHECK(world.rowCount("search_approvals") == 0);
    CHECK_THAT(investigator.checkSearchGate(submission.request).error().message,
               Catch::Contains("is recorded for the offence"));  // the wizard is told before it goes on
}

// An approval stored before approvals named their probes (schema 12) names nothing: it allows no search and cannot be
// approved any more.
TEST_CASE("Rule pack: an approval asked before v13 names no probe and allows no search", "[packs][search][approval]") {
    CaseWorld world;
    const auto settings = underPack("maryland-2024");
    cases::CaseService investigator(*world.investigator, settings);
    auto submission = heldSearch(world, "MD-11");
    const auto insertOld = [&](bool approved) {
        auto insert = require(world.admin->store().prepare(
            "INSERT INTO search_approvals(case_number, offence, purpose_code, justification, pack, requested_by, "
            "requested_at, approved_by, approved_at) VALUES (?,?,?,?,'Maryland',?,'2026-01-01T00:00:00Z',?,?)"));
        insert.bind(1, submission.request.caseNumber)
            .bind(2, submission.request.offence)
            .bind(3, "critical_incident")
            .bind(4, submission.request.justification)
            .bind(5, world.investigator->userId())
            .bind(6, approved ? std::optional(world.supervisor->userId()) : std::nullopt)
            .bind(7, approved ? std::optional<std::string>("2026-01-02T00:00:00Z") : std::nullopt);
        REQUIRE(insert.run());
        return world.admin->store().lastInsertId();
    };
    insertOld(true);
    requireRefusedSearch(world, investigator, submission, ErrorCode::ApprovalRequired, "asked before approvals named");
    const auto pending = insertOld(false);
    cases::CaseService supervisor(*world.supervisor, settings);
    CHECK(supervisor.approvalsAwaitingMe()->empty());
    auto approving = supervisor.approveSearch(pending);
    REQUIRE_FALSE(approving);
    // Written here without its requester's signed entry, it reads as edited (trial 52 F4: a request's probe rows
    // deleted passed for an old one); one from before v13 with its entry is refused as naming no probe.
    CHECK(approving.error().code == ErrorCode::AuditChainBroken);
}

// Trial 52 F4: a waiting request's probe rows deleted made it read as one from before requests named their probes:
// it left the supervisors' queue in silence and audit verify said "intact".
TEST_CASE("Rule pack (trial 52 F4): a waiting request's probe rows deleted are named by audit verify",
          "[packs][approval][insider]") {
    CaseWorld world;
    const auto settings = underPack("maryland-2024");
    cases::CaseService investigator(*world.investigator, settings);
    const auto asked = require(investigator.requestApproval(heldSearch(world, "MD-15")));
    REQUIRE(world.admin->store().exec("DROP TRIGGER search_approval_probes_never_deleted; DELETE FROM "
                                      "search_approval_probes WHERE approval_id = " + std::to_string(asked.id)));
    auto approving = cases::CaseService(*world.supervisor, settings).approveSearch(asked.id);
    REQUIRE_FALSE(approving);
    CHECK(approving.error().code == ErrorCode::AuditChainBroken);
    auto verified = reports::AuditTrail(*world.programAdministrator).verify();
    REQUIRE(verified);
    CHECK_THAT(verified->describe(), Catch::Contains("Case MD-15: Search approval request " + std::to_string(asked.id)));
}

TEST_CASE("Rule pack (trial 46 F5): a probe waiting for a second approver is searched in its case under no other "
          "purpose until its requester withdraws the request, audited; a withdrawn request cannot be approved",
          "[packs][search][approval]") {
    CaseWorld world;
    const auto settings = underPack("maryland-2024");
    cases::CaseService investigator(*world.investigator, settings);
    cases::CaseService supervisor(*world.supervisor, settings);
    const auto held = heldSearch(world, "MD-10");
    const auto pending = require(investigator.requestApproval(held));
    // The same image in the same case, under a purpose the pack asks no approval for.
    auto around = held;
    around.request.purpose = world.validRequest().purpose;
    REQUIRE_FALSE(settings.pack.needsApproval(*around.request.purpose));
    requireRefusedSearch(world, investigator, around, ErrorCode::ApprovalRequired, "under another purpose");
    // Trial 49 F2: nor another picture of the same person (other bytes, a template within the engine's same-subject
    // distance: trial 51 F2 searched another photo 0.508 away, and a copy with its eyes marked off-centre 0.521), nor
    // the same picture by its requester in a new case.
    auto copy = around;
    const auto reencoded = *imaging::encodePng(cv::Mat(48, 64, CV_8UC3, cv::Scalar(10, 200, 30)));
    copy.originalBytes = reencoded;
    copy.probe.descriptor[0] += 0.53F;
    requireRefusedSearch(world, investigator, copy, ErrorCode::ApprovalRequired, "other pictures of the same person");
    auto otherCase = around;
    otherCase.request.caseNumber = "MD-11";
    requireRefusedSearch(world, investigator, otherCase, ErrorCode::ApprovalRequired, "in case MD-10");
    // Trial 52 F2: its case is held whole, even for a picture the engine does not call the same person (another photo
    // of him 0.648 away ran there).
    auto someoneElse = copy;
    someoneElse.probe.descriptor[0] += 0.5F;
    requireRefusedSearch(world, investigator, someoneElse, ErrorCode::ApprovalRequired, "nothing is searched in case MD-10");
    // Someone else's picture in another case is not held by it.
    someoneElse.request.caseNumber = "MD-11B";
    CHECK(investigator.submitSearch(someoneElse, world.backend()));

    auto byOther = supervisor.withdrawApprovalRequest(pending.id);
    REQUIRE_FALSE(byOther);
    CHECK(byOther.error().code == ErrorCode::PermissionDenied);
    REQUIRE(investigator.withdrawApprovalRequest(pending.id));
    CHECK(world.lastAuditAction() == "search.approval_withdrawn");
    CHECK(supervisor.approvalsAwaitingMe()->empty());
    auto late = supervisor.approveSearch(pending.id);
    REQUIRE_FALSE(late);
    CHECK(late.error().code == ErrorCode::InvalidTransition);
    CHECK(investigator.withdrawApprovalRequest(pending.id).error().code == ErrorCode::InvalidTransition);
    CHECK(investigator.submitSearch(around, world.backend()));
    CHECK(audit::AuditLog::verify(world.admin->store())->intact());
}

// Trial 51: the hold compares pictures by the templates stored with the request; rewritten (far from the person's face),
// they would let the same person through under another purpose. The request's entry signs them: the edited request
// holds every search in its reach, and audit verify names it.
TEST_CASE("Rule pack (trial 51): a waiting request's templates rewritten outside FaceLead hold everything; audit verify "
          "names them", "[packs][search][approval][insider]") {
    CaseWorld world;
    const auto settings = underPack("maryland-2024");
    cases::CaseService investigator(*world.investigator, settings);
    const auto held = heldSearch(world, "MD-14");
    REQUIRE(investigator.requestApproval(held));
    REQUIRE(world.admin->store().exec(
        "DROP TRIGGER search_approval_probes_never_changed; UPDATE search_approval_probes SET template = zeroblob(512)"));
    auto another = held;
    another.request.purpose = world.validRequest().purpose;
    const auto reencoded = *imaging::encodePng(cv::Mat(48, 64, CV_8UC3, cv::Scalar(10, 200, 30)));
    another.originalBytes = reencoded;
    another.probe.descriptor[0] += 0.3F;
    requireRefusedSearch(world, investigator, another, ErrorCode::AuditChainBroken, "edited outside FaceLead");
    auto verified = reports::AuditTrail(*world.programAdministrator).verify();
    REQUIRE(verified);
    CHECK_THAT(verified->describe(), Catch::Contains("Case MD-14: Search approval request"));
}

TEST_CASE("Rule pack: a purpose the pack does not hold needs no approval and cannot be requested", "[packs][approval]") {
    CaseWorld world;
    cases::CaseService investigator(*world.investigator, underPack("maryland-2024"));
    auto asked = investigator.requestApproval(newCaseSearch(world, "MD-6", "stalking: repeated threats"));
    REQUIRE_FALSE(asked);
    CHECK(asked.error().code == ErrorCode::InvalidArgument);
    CHECK(world.rowCount("search_approvals") == 0);
}

TEST_CASE("Md. Crim. Proc. 2-510: the statutory report counts searches per system and crime type and the results "
          "that led to action; program administrator only, audited", "[packs][report]") {
    CaseWorld world;
    REQUIRE(admin::choosePolicyPack(*world.admin, "maryland-2024"));
    const auto settings = admin::policySettings(*admin::loadSettings(world.admin->store()));
    cases::CaseService investigator(*world.investigator, settings);
    REQUIRE(investigator.submitSearch(newCaseSearch(world, "MD-7", "crime_of_violence: carjacking"), world.backend()));
    REQUIRE(investigator.submitSearch(newCaseSearch(world, "MD-8", "Crime of violence: robbery"), world.backend()));
    REQUIRE(investigator.submitSearch(newCaseSearch(world, "MD-9", "stalking: repeated threats"), world.backend()));
    const int year = int(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(world.clock->now())).year());

    auto counted = reports::computeStatutoryCounts(*world.programAdministrator, year);
    REQUIRE(counted);
    CHECK(counted->searches == 3);
    REQUIRE(counted->perSystemAndCrimeType.size() == 2);
    const auto& violence = counted->perSystemAndCrimeType[0];
    CHECK(violence.crimeType == "Crime of violence");
    CHECK(violence.system == reports::kSearchSystem);
    CHECK(violence.searches == 2);
    CHECK(violence.candidates == 6);
    CHECK(violence.ledToAction == 0);
    CHECK(counted->perSystemAndCrimeType[1].crimeType == "Stalking");

    auto refused = reports::statutoryReport(*world.investigator, year);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::PermissionDenied);
    CHECK(world.lastAuditAction() == "access.refused");

    auto doc = reports::statutoryReport(*world.programAdministrator, year);
    REQUIRE(doc);
    CHECK_THAT(doc->title, Catch::Contains("2-510"));
    CHECK(world.lastAuditAction() == "report.statutory");
}

// Trial 19B LOW-4: a search run under the default pack (no offence list) was counted as "Not in the pack's list", as
// if it had been let through; and a refused report said "You may not run an audit". Trial 27 F14: searches held to
// another pack were counted in the Maryland totals.
TEST_CASE("Statutory report: a search held to another pack is named with its pack and counted nowhere else, and so is "
          "a refusal under it; a refused report is named as a report", "[packs][report]") {
    CaseWorld world;
    REQUIRE(world.service(*world.investigator).submitSearch(newCaseSearch(world, "SOP-9", "Shoplifting"), world.backend()));
    auto tooShort = newCaseSearch(world, "SOP-10", "Shoplifting");
    tooShort.request.justification = "short";
    REQUIRE_FALSE(world.service(*world.investigator).submitSearch(tooShort, world.backend()));  // refused under the SOP
    REQUIRE(admin::choosePolicyPack(*world.admin, "maryland-2024"));
    const auto settings = admin::policySettings(*admin::loadSettings(world.admin->store()));
    REQUIRE(cases::CaseService(*world.investigator, settings)
                .submitSearch(newCaseSearch(world, "MD-11", "stalking: repeated threats"), world.backend()));
    REQUIRE_FALSE(cases::CaseService(*world.investigator, settings)  // refused under Maryland
                      .submitSearch(newCaseSearch(world, "MD-12", "Shoplifting"), world.backend()));
    const int year = int(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(world.clock->now())).year());
    auto counted = reports::computeStatutoryCounts(*world.programAdministrator, year);
    REQUIRE(counted);
    CHECK(counted->searches == 1);
    REQUIRE(counted->perSystemAndCrimeType.size() == 1);
    CHECK(counted->perSystemAndCrimeType[0].crimeType == "Stalking");
    REQUIRE(counted->underOtherPacks.size() == 1);
    CHECK_THAT(counted->underOtherPacks[0].first, Catch::Contains("302.02"));
    CHECK(counted->underOtherPacks[0].second == 1);
    CHECK(counted->refusedAttempts == 1);  // trial 31 M3: the refusal under the SOP is not Maryland's
    auto doc = reports::statutoryReport(*world.programAdministrator, year);
    REQUIRE(doc);
    const auto& fields = std::get<reports::Fields>(doc->sections.front().blocks.front()).items;
    CHECK(std::ranges::any_of(fields, [](const auto& field) {
        return field.first == "Searches held to another rule pack (not counted here)" &&
               field.second.find("302.02") != std::string::npos;
    }));

    auto refused = reports::statutoryReport(*world.investigator, year);
    REQUIRE_FALSE(refused);
    CHECK_THAT(refused.error().message, Catch::Contains("You may not produce the agency's annual reports"));
    CHECK_THAT(refused.error().message, !Catch::Contains("audit"));
}

TEST_CASE("Rule pack retention: probes past the pack's period are listed for a program administrator's review, "
          "audited, and nothing is deleted", "[packs][retention]") {
    CaseWorld world;
    REQUIRE(admin::choosePolicyPack(*world.admin, "maryland-2024"));  // probes 1095 days, search records 1825
    const auto settings = admin::policySettings(*admin::loadSettings(world.admin->store()));
    REQUIRE(cases::CaseService(*world.investigator, settings)
                .submitSearch(newCaseSearch(world, "MD-10", "crime_of_violence: carjacking"), world.backend()));
    auto fresh = reports::reviewRetention(*world.programAdministrator);
    REQUIRE(fresh);
    CHECK(fresh->probes.empty());

    world.clock->advance(std::chrono::days(1100));
    auto refused = reports::reviewRetention(*world.investigator);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::PermissionDenied);
    const auto images = world.rowCount("images");
    auto due = reports::reviewRetention(*world.programAdministrator);
    REQUIRE(due);
    REQUIRE(due->probes.size() == 1);
    CHECK(due->probes.front().caseNumber == "MD-10");
    CHECK(due->probes.front().ageDays >= 1100);
    CHECK(due->searches.empty());
    CHECK(world.lastAuditAction() == "retention.reviewed");
    CHECK(world.rowCount("images") == images);
}

TEST_CASE("Issue 11 item 2: under a pack that asks it, the supervisor clears a lead only after a second trained "
          "examiner verified the candidate; the pack is the one the search was held to (trial 45 F1, F6)",
          "[packs][verification][insider]") {
    CaseWorld world;
    cases::CaseService washington(*world.investigator, underPack("washington-rcw-43-386"));
    const auto search = require(washington.submitSearch(newCaseSearch(world, "WA-3", "Burglary at 3 Elm St"), world.backend()));
    const std::int64_t candidate = [&] {  // its statement ends here: a read left open would pin the admin's view
        auto statement = require(world.admin->store().prepare("SELECT id FROM candidates WHERE search_id = ? ORDER BY rank"));
        statement.bind(1, search.id);
        REQUIRE(require(statement.step()));
        return statement.getInt(0);
    }();
    world.examineAndMark(*world.investigator, candidate);
    REQUIRE(world.service(*world.officer).recordFollowUp(candidate, test::corroboratedFollowUp()));
    const workflow::Review clear{true, true, "Follow-up checked against the case file."};

    // The supervisor's service holds the SOP's pack, as the entry points build it from the settings table after the
    // agency switched packs, or after an insider wrote the row: the search's own pack still asks the verification.
    auto supervisor = world.service(*world.supervisor);
    auto refused = supervisor.review(candidate, world.ofLatest(candidate, clear));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::PolicyViolation);
    CHECK_THAT(refused.error().message, Catch::Contains("second trained examiner") && Catch::Contains("Washington"));
    CHECK(world.lastAuditAction() == "access.refused");
    CHECK(supervisor.checkReview(candidate, world.ofLatest(candidate, clear)).error().code == ErrorCode::PolicyViolation);

    REQUIRE(world.verifyBlind(*world.otherOfficer, candidate, test::supportingExamination()));
    auto cleared = require(supervisor.review(candidate, world.ofLatest(candidate, clear)));
    CHECK(cleared.status == workflow::LeadStatus::ClearedForAction);
}

TEST_CASE("Issue 11 item 2: a lead of a search held to the SOP's pack is cleared without a verification, whatever "
          "pack the reviewer's service holds", "[packs][verification]") {
    CaseWorld world;
    const auto candidate = world.searchCandidates().front();
    world.examineAndMark(*world.investigator, candidate);
    REQUIRE(world.service(*world.officer).recordFollowUp(candidate, test::corroboratedFollowUp()));
    cases::CaseService supervisor(*world.supervisor, underPack("washington-rcw-43-386"));
    const workflow::Review clear{true, true, "Follow-up checked against the case file."};
    CHECK(require(supervisor.review(candidate, world.ofLatest(candidate, clear))).status ==
          workflow::LeadStatus::ClearedForAction);
}

// Issue 11 item 5: each expired item gets a program administrator's decision, recorded with its audit entry in the
// same transaction: keep it (a reason, and the day it comes up again) or purge it. A purge is recorded only:
// images are never deleted (SOP 302.02 VI.B.2) and search rows are held to their signed entries, so nothing is
// deleted, audit entries least of all. The review lists each item with its latest decision.
TEST_CASE("Rule pack retention: an expired probe is kept until a day or purged by the program administrator's "
          "audited decision; nothing is deleted", "[packs][retention]") {
    CaseWorld world;
    REQUIRE(admin::choosePolicyPack(*world.admin, "maryland-2024"));  // probes 1095 days, search records 1825
    const auto settings = admin::policySettings(*admin::loadSettings(world.admin->store()));
    const auto search = cases::CaseService(*world.investigator, settings)
                            .submitSearch(newCaseSearch(world, "MD-20", "crime_of_violence: carjacking"), world.backend());
    REQUIRE(search);
    const std::int64_t probe = search->imageId;
    using reports::RetentionDecisionKind;
    using reports::RetentionItemKind;
    const auto day = [&](int fromNow) { return toIsoUtc(world.clock->now() + std::chrono::days(fromNow)).substr(0, 10); };
    const std::string reason = "Open prosecution, State v. Doe; the prosecutor asked to keep it.";

    // Not past its period yet: nothing to decide.
    auto early = reports::decideRetention(*world.programAdministrator,
                                          {RetentionItemKind::Probe, probe, RetentionDecisionKind::Keep, reason, day(30)});
    REQUIRE_FALSE(early);
    CHECK(early.error().code == ErrorCode::PolicyViolation);
    CHECK_THAT(early.error().message, Catch::Contains("1095 days"));

    world.clock->advance(std::chrono::days(1100));
    const auto refusedAs = [&](accounts::Session& session, reports::RetentionDecisionRequest request) {
        auto refused = reports::decideRetention(session, request);
        REQUIRE_FALSE(refused);
        return refused.error();
    };
    const reports::RetentionDecisionRequest keep{RetentionItemKind::Probe, probe, RetentionDecisionKind::Keep, reason,
                                                 day(30)};
    auto audited = world.auditCount();
    CHECK(refusedAs(*world.investigator, keep).code == ErrorCode::PermissionDenied);
    CHECK(world.lastAuditAction() == "access.refused");
    CHECK(world.auditCount() == audited + 1);
    auto noReason = keep;
    noReason.reason = "  ";
    CHECK(refusedAs(*world.programAdministrator, noReason).code == ErrorCode::InvalidArgument);
    for (const std::string until : {std::string(), day(0), day(-3), std::string("2030-02-30"), std::string("soon")}) {
        auto badDay = keep;
        badDay.keepUntil = until;
        INFO(until);
        CHECK(refusedAs(*world.programAdministrator, badDay).code == ErrorCode::InvalidArgument);
    }
    auto purgeWithDay = keep;
    purgeWithDay.decision = RetentionDecisionKind::Purge;
    CHECK(refusedAs(*world.programAdministrator, purgeWithDay).code == ErrorCode::InvalidArgument);
    CHECK(refusedAs(*world.programAdministrator, {RetentionItemKind::Probe, 999999, RetentionDecisionKind::Purge, reason, ""})
              .code == ErrorCode::NotFound);
    // The search record's period (1825 days) has not passed.
    CHECK(refusedAs(*world.programAdministrator, {RetentionItemKind::Search, search->id, RetentionDecisionKind::Purge, reason, ""})
              .code == ErrorCode::PolicyViolation);
    CHECK(world.rowCount("retention_decisions") == 0);

    audited = world.auditCount();
    auto kept = reports::decideRetention(*world.programAdministrator, keep);
    REQUIRE(kept);
    CHECK(kept->decision == RetentionDecisionKind::Keep);
    CHECK(kept->keepUntil == day(30));
    CHECK(kept->reason == reason);
    CHECK_FALSE(kept->decidedBy.empty());
    CHECK(world.auditCount() == audited + 1);
    CHECK(world.lastAuditAction() == "retention.decided");
    auto review = reports::reviewRetention(*world.programAdministrator);
    REQUIRE(review);
    REQUIRE(review->probes.size() == 1);
    REQUIRE(review->probes.front().decision);
    CHECK(review->probes.front().decision->keepUntil == day(30));
    CHECK_FALSE(review->probes.front().awaitingDecision);

    world.clock->advance(std::chrono::days(31));  // its day has come: up for review again
    review = reports::reviewRetention(*world.programAdministrator);
    REQUIRE(review);
    CHECK(review->probes.front().awaitingDecision);

    const auto images = world.rowCount("images");
    const auto searches = world.rowCount("searches");
    audited = world.auditCount();
    auto purged = reports::decideRetention(*world.programAdministrator,
                                           {RetentionItemKind::Probe, probe, RetentionDecisionKind::Purge, reason, ""});
    REQUIRE(purged);
    CHECK(purged->decision == RetentionDecisionKind::Purge);
    CHECK(purged->keepUntil.empty());
    CHECK(world.auditCount() == audited + 1);  // the decision's entry added; none removed
    CHECK(world.rowCount("images") == images);  // recorded, not carried out
    CHECK(world.rowCount("searches") == searches);
    CHECK(world.rowCount("retention_decisions") == 2);  // the keep stays, superseded
    review = reports::reviewRetention(*world.programAdministrator);
    REQUIRE(review);
    CHECK(review->probes.front().decision->decision == RetentionDecisionKind::Purge);
    CHECK_FALSE(review->probes.front().awaitingDecision);
    // A decision is never rewritten or removed in the store either.
    CHECK_FALSE(world.admin->store().exec("DELETE FROM retention_decisions"));
    CHECK_FALSE(world.admin->store().exec("UPDATE retention_decisions SET reason = 'rewritten'"));
}

// Trial 22A F9: an insider holding the database key inserted a purge decision in the program administrator's name
// (no retention.decided entry); the review showed "Purge … by" the administrator and audit verify said intact. A
// decision counts only as a program administrator's signed entry recorded it (row digest).
TEST_CASE("insider: a retention decision written into the table refuses the review; verify names it",
          "[packs][retention][insider]") {
    CaseWorld world;
    REQUIRE(admin::choosePolicyPack(*world.admin, "maryland-2024"));
    const auto settings = admin::policySettings(*admin::loadSettings(world.admin->store()));
    const auto search = cases::CaseService(*world.investigator, settings)
                            .submitSearch(newCaseSearch(world, "MD-21", "crime_of_violence: carjacking"), world.backend());
    REQUIRE(search);
    const std::int64_t probe = search->imageId;
    world.clock->advance(std::chrono::days(1100));
    const std::string administrator = std::to_string(world.programAdministrator->userId());
    const auto forge = [&](const std::string& reason) {
        REQUIRE(world.admin->store().exec(
            "INSERT INTO retention_decisions(item_kind, item_id, decision, reason, keep_until, pack, decided_by, "
            "decided_at) VALUES ('probe', " + std::to_string(probe) + ", 'purge', '" + reason + "', NULL, "
            "'Maryland', " + administrator + ", '" + toIsoUtc(world.clock->now()) + "')"));
    };
    const auto refused = [&](const std::string& problem) {
        auto review = reports::reviewRetention(*world.programAdministrator);
        REQUIRE_FALSE(review);
        CHECK(review.error().code == ErrorCode::AuditChainBroken);
        CHECK_THAT(review.error().message, Catch::Contains(problem) &&
                                               Catch::Contains("The retention review was not produced"));
        CHECK(world.lastAuditAction() == "access.refused");
        auto verified = reports::AuditTrail(*world.programAdministrator).verify();
        REQUIRE(verified);
        CHECK_FALSE(verified->intact());
        CHECK_THAT(verified->describe(), Catch::Contains(problem));
    };

    SECTION("a decision nobody signed") {
        forge("Records schedule GS-7.");
        refused("Retention decision 1 (purge probe " + std::to_string(probe) + ", by " +
                world.programAdministrator->user().displayName +
                ") was edited outside FaceLead: no program administrator's signed entry recorded it.");
    }
    SECTION("a signed decision stands; a forged one beside it does not") {
        REQUIRE(reports::decideRetention(*world.programAdministrator, {reports::RetentionItemKind::Probe, probe,
                                                                       reports::RetentionDecisionKind::Purge,
                                                                       "Records schedule GS-7.", ""}));
        auto review = reports::reviewRetention(*world.programAdministrator);
        REQUIRE(review);
        REQUIRE(review->probes.front().decision);
        auto verified = reports::AuditTrail(*world.programAdministrator).verify();
        REQUIRE(verified);
        CHECK(verified->intact());
        forge("Records schedule GS-8.");
        refused("Retention decision 2 (purge probe " + std::to_string(probe) + ", by " +
                world.programAdministrator->user().displayName + ") was edited outside FaceLead");
    }
    SECTION("a signed decision rewritten, with the append-only trigger dropped") {
        REQUIRE(reports::decideRetention(*world.programAdministrator, {reports::RetentionItemKind::Probe, probe,
                                                                       reports::RetentionDecisionKind::Purge,
                                                                       "Records schedule GS-7.", ""}));
        REQUIRE(world.admin->store().exec("DROP TRIGGER retention_decisions_never_changed"));
        REQUIRE(world.admin->store().exec("UPDATE retention_decisions SET reason = 'Prosecutor agreed.'"));
        refused("it no longer matches the signed entry");
    }
}
