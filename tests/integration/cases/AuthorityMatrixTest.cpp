// Issue 8, item 1: the role x command matrix through the core facades. Every role is allowed exactly what
// the role table (workflow/Access) allows; every refusal is a PermissionDenied (or the search gate's code)
// that leaves nothing behind and is itself audited as "access.refused" (who, what, why) in its own
// transaction. The matrix is printed, for the closing note.

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/accounts/AccountService.h"
#include "core/admin/Administration.h"
#include "core/audit/AuditLog.h"
#include "core/gallery/GalleryService.h"
#include "core/reports/AnnualReview.h"
#include "core/reports/AuditTrail.h"
#include "core/reports/Disclosure.h"
#include "core/reports/Statistics.h"
#include "core/training/TrainingService.h"
#include "tests/support/Quiz.h"
#include "tests/support/TestData.h"
#include "tests/support/TestVideo.h"
#include "tests/integration/cases/CaseWorld.h"

using namespace facelead;
using facelead::test::CaseWorld;
using workflow::Action;

namespace {

struct Command {
    std::string name;
    Action action;
    std::function<Result<void>(accounts::Session&, const std::string& role)> run;
};

template <typename T>
Result<void> done(const Result<T>& result) {
    if (!result) return result.error();
    return {};
}

// Approvals in these tests must not meet the seat limit.
void allowManySeats(CaseWorld& world) {
    admin::AgencySettings roomy;
    roomy.licenceSeats = 50;
    REQUIRE(admin::saveSettings(*world.admin, roomy));
}

std::int64_t refusalsOf(CaseWorld& world, std::int64_t userId) {
    auto entries = audit::AuditLog::list(world.admin->store(), {.userId = userId, .action = "access.refused"});
    REQUIRE(entries);
    return static_cast<std::int64_t>(entries->size());
}

std::vector<Command> commands(CaseWorld& world) {
    const auto pendingUser = [&world](const std::string& name) {
        auto user = accounts::AccountService(*world.admin).addUser({name, name, {workflow::Role::Investigator}},
                                                                  CaseWorld::kPassword);
        REQUIRE(user);
        return user->id;
    };
    const reports::Period quarter{world.clock->now() - std::chrono::days(90), world.clock->now()};
    return {
        {"audit list", Action::RunAudit, [](auto& s, auto&) { return done(reports::AuditTrail(s).list()); }},
        {"audit verify", Action::RunAudit, [](auto& s, auto&) { return done(reports::AuditTrail(s).verify()); }},
        {"audit export", Action::RunAudit,
         [](auto& s, auto&) {
             std::ostringstream out;
             return reports::AuditTrail(s).exportTo(audit::ExportFormat::Json, out);
         }},
        {"statistics", Action::ViewStatistics,
         [quarter](auto& s, auto&) { return done(reports::computeStatistics(s, quarter)); }},
        {"annual review", Action::ProduceReport, [](auto& s, auto&) { return done(reports::computeAnnualReview(s, 2026)); }},
        {"gallery list", Action::ViewGallery,
         [](auto& s, auto&) {
             gallery::Gallery gallery;
             return done(gallery::GalleryService(s, gallery).listSubjects());
         }},
        {"gallery remove", Action::ManageGallery,
         [&world](auto& s, const std::string& role) {
             const auto subject = world.addGalleryFace("Wrongly enrolled " + role, {});
             gallery::Gallery gallery;
             return done(gallery::GalleryService(s, gallery).removeSubject(subject, "enrolled by mistake"));
         }},
        {"user list", Action::ListUsers, [](auto& s, auto&) { return done(accounts::AccountService(s).list()); }},
        {"user add", Action::ManageUsers,
         [](auto& s, const std::string& role) {
             return done(admin::Administration(s).createUser({"new-" + role, "New", {workflow::Role::Investigator}},
                                                             CaseWorld::kPassword));
         }},
        {"user approve", Action::ApproveUser,
         [pendingUser](auto& s, const std::string& role) {
             return done(admin::Administration(s).approve(pendingUser("approve-" + role)));
         }},
        {"user deactivate", Action::ManageUsers,
         [pendingUser](auto& s, const std::string& role) {
             return done(admin::Administration(s).deactivate(pendingUser("leave-" + role), "matrix"));
         }},
        {"settings save", Action::ManageUsers,
         [](auto& s, auto&) {
             auto current = admin::loadSettings(s.store());
             REQUIRE(current);
             return done(admin::saveSettings(s, *current));
         }},
        {"store check", Action::CheckStore, [](auto& s, auto&) { return admin::checkStore(s); }},
        {"case look-up", Action::ViewCase,
         [&world](auto& s, auto&) { return done(world.service(s).findCase(world.caseNumber)); }},
        // The case's assigned officer is the matrix's case officer (issue 11 item 4).
        {"case disclose", Action::DiscloseCase,
         [&world](auto& s, auto&) {
             auto service = world.service(s);
             return done(reports::generateDisclosure(s, service, world.caseId));
         }},
        {"training record", Action::RecordTraining,
         [&world](auto& s, auto&) {
             // The trainee passes the quiz as herself; the trainer signs off that attempt (issue 9 item 3).
             auto& trainee = *world.untrainedInvestigator;
             const auto paper = training::drawQuizPaper();
             REQUIRE(training::submitQuiz(trainee, paper, test::quizPositions(paper)));
             return done(training::recordCompletion(s, trainee.userId()));
         }},
        {"search", Action::RunSearch,
         [&world](auto& s, const std::string& role) {
             cases::SearchSubmission submission;
             submission.request = world.validRequest();
             submission.request.caseNumber = "MX-" + role;
             submission.newCaseOfficerId = world.officer->userId();
             submission.originalBytes = world.png;
             submission.probe = world.probe();
             return done(world.service(s).submitSearch(submission, world.backend()));
         }},
    };
}

}  // namespace

TEST_CASE("role x command matrix through the core facades: exactly the role table, refusals audited",
          "[authority][matrix]") {
    CaseWorld world;
    allowManySeats(world);
    struct Person {
        std::string role;
        accounts::Session* session;
    };
    const std::vector<Person> people{{"investigator", world.investigator.get()},
                                     {"case_officer", world.officer.get()},
                                     {"supervisor", world.supervisor.get()},
                                     {"intel_supervisor", world.intelSupervisor.get()},
                                     {"program_administrator", world.programAdministrator.get()},
                                     {"trainer", world.trainer.get()}};
    const auto table = commands(world);
    std::ostringstream matrix;
    matrix << std::left << std::setw(18) << "command";
    for (const auto& person : people) matrix << std::setw(23) << person.role;
    matrix << '\n';
    for (const auto& command : table) {
        matrix << std::setw(18) << command.name;
        for (const auto& person : people) {
            INFO(command.name << " as " << person.role);
            const bool expected = workflow::mayPerform(person.session->user().roles, command.action);
            const auto before = refusalsOf(world, person.session->userId());
            const auto outcome = command.run(*person.session, person.role);
            if (!outcome) INFO(errorCodeName(outcome.error().code) << ": " << outcome.error().message);
            CHECK(outcome.ok() == expected);
            if (!outcome) {
                CHECK(outcome.error().code == ErrorCode::PermissionDenied);
                CHECK(refusalsOf(world, person.session->userId()) == before + 1);
            } else {
                CHECK(refusalsOf(world, person.session->userId()) == before);
            }
            matrix << std::setw(23) << (outcome ? "allowed" : "REFUSED");
        }
        matrix << '\n';
    }
    std::cout << "\nRole x command matrix (core facades):\n" << matrix.str() << std::flush;

    // A refused search leaves nothing behind: no case was created for any refused role.
    for (const auto& person : people) {
        const auto found = world.service(*world.admin).findCase("MX-" + person.role);
        CHECK(found.ok() == (person.role == "investigator"));
    }
    // The refusal names who, what and why.
    auto refused = audit::AuditLog::list(world.admin->store(),
                                         {.userId = world.trainer->userId(), .action = "access.refused"});
    REQUIRE(refused);
    REQUIRE_FALSE(refused->empty());
    const auto details = nlohmann::json::parse(refused->front().detailsJson);
    CHECK(details["code"] == "permission_denied");
    CHECK_FALSE(details["reason"].get<std::string>().empty());
    CHECK(refused->front().username == "tess");
    CHECK(audit::AuditLog::verify(world.admin->store())->intact());
}

TEST_CASE("an untrained investigator's refused search leaves no case and its refusal is audited",
          "[authority][search]") {
    CaseWorld world;
    const auto casesBefore = world.rowCount("cases");
    const auto imagesBefore = world.rowCount("images");
    cases::SearchSubmission submission;
    submission.request = world.validRequest();
    submission.request.caseNumber = "NEW-1";
    submission.newCaseOfficerId = world.officer->userId();
    submission.originalBytes = world.png;
    submission.probe = world.probe();
    auto refused = world.service(*world.untrainedInvestigator).submitSearch(submission, world.backend());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::TrainingRequired);
    CHECK(world.rowCount("cases") == casesBefore);
    CHECK(world.rowCount("images") == imagesBefore);
    CHECK(world.rowCount("search_requests") == 0);
    CHECK(refusalsOf(world, world.untrainedInvestigator->userId()) == 1);
    CHECK(world.lastAuditAction() == "access.refused");

    SECTION("the same search by a trained investigator stores case, original, request and search at once") {
        auto search = world.service(*world.investigator).submitSearch(submission, world.backend());
        REQUIRE(search);
        CHECK(world.rowCount("cases") == casesBefore + 1);
        CHECK(world.rowCount("images") == imagesBefore + 1);
        CHECK(world.rowCount("search_requests") == 1);
        CHECK(search->candidates.size() == 3);
    }
    SECTION("a failure after the case was created rolls the case back too") {
        submission.probe.box = {0, 0, 5000, 5000};  // outside the image: refused at the last stage
        auto failed = world.service(*world.investigator).submitSearch(submission, world.backend());
        REQUIRE_FALSE(failed);
        CHECK(failed.error().code == ErrorCode::InvalidArgument);
        CHECK(world.rowCount("cases") == casesBefore);
        CHECK(world.rowCount("images") == imagesBefore);
    }
}

TEST_CASE("VI.B.6: a search under another's case number is refused before anything is stored (trial 14A)",
          "[authority][search][need_to_know]") {
    CaseWorld world;
    auto& outsider = *world.untrainedInvestigator;  // trained here: refused for need to know, not for training
    REQUIRE(accounts::AccountService(*world.admin).recordTraining(outsider.userId(), world.clock->now()));
    const auto candidates = world.searchCandidates();
    REQUIRE_FALSE(candidates.empty());
    world.examineAndMark(*world.investigator, candidates.front());
    const auto imagesBefore = world.rowCount("images");
    const auto requestsBefore = world.rowCount("search_requests");

    cases::SearchSubmission submission;
    submission.request = world.validRequest();  // the investigator's case, which the outsider does not work
    submission.originalBytes = world.png;
    submission.probe = world.probe();
    auto cases = world.service(outsider);
    const auto early = cases.checkSearchGate(submission.request);  // what the wizard asks on its first page
    REQUIRE_FALSE(early);
    CHECK(early.error().code == ErrorCode::PermissionDenied);
    auto refused = cases.submitSearch(submission, world.backend());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::PermissionDenied);
    CHECK_THAT(refused.error().message, Catch::Contains(world.caseNumber) && Catch::Contains("VI.B.6"));
    CHECK(world.rowCount("images") == imagesBefore);
    CHECK(world.rowCount("search_requests") == requestsBefore);
    CHECK(refusalsOf(world, outsider.userId()) == 2);
    // So the lead stays closed to them.
    CHECK(cases.getLead(candidates.front()).error().code == ErrorCode::PermissionDenied);
    // Their own case they search in as before.
    submission.request.caseNumber = "NP-2026-0777";
    submission.newCaseOfficerId = world.officer->userId();
    CHECK(cases.submitSearch(submission, world.backend()));
}

TEST_CASE("VI.B.6: a case's pictures and videos are read only by those who work the case or oversee the program",
          "[authority][need_to_know][video]") {
    // The case window's player reads a stored video by its id (issue 10): the core holds the case file's rule there
    // too, for every way in (readImage, readSourcePicture, readProbeFile, readVideo).
    CaseWorld world;
    auto& outsider = *world.untrainedInvestigator;
    REQUIRE(accounts::AccountService(*world.admin).recordTraining(outsider.userId(), world.clock->now()));
    REQUIRE_FALSE(world.searchCandidates().empty());
    auto mine = world.service(*world.investigator);
    const auto caseRecord = mine.findCase(world.caseNumber);
    REQUIRE(caseRecord);
    const test::TempDir dir;
    REQUIRE(test::writeTestVideo(dir / "cctv.avi", {.frames = 12, .fps = 10}));
    std::ifstream in(dir / "cctv.avi", std::ios::binary);
    const std::vector<std::uint8_t> videoBytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const auto video = mine.storeVideo(caseRecord->id, videoBytes, "CCTV export, camera 3");
    REQUIRE(video);
    const auto images = mine.listImages(caseRecord->id);
    REQUIRE(images);
    const auto picture = std::find_if(images->begin(), images->end(), [](const cases::ImageRecord& i) { return i.format == "png"; });
    REQUIRE(picture != images->end());

    CHECK(mine.readImage(picture->id));
    const auto played = mine.readVideo(video->id);
    REQUIRE(played);
    CHECK(played->bytes == videoBytes);
    CHECK(world.service(*world.supervisor).readVideo(video->id));  // oversees the program

    auto theirs = world.service(outsider);
    const auto before = refusalsOf(world, outsider.userId());
    for (const auto& refused : {theirs.readImage(picture->id).error(), theirs.readSourcePicture(picture->id).error(),
                                theirs.readProbeFile(picture->id).error(), theirs.readVideo(video->id).error()}) {
        CHECK(refused.code == ErrorCode::PermissionDenied);
        CHECK_THAT(refused.message, Catch::Contains(world.caseNumber));
    }
    CHECK(refusalsOf(world, outsider.userId()) == before + 4);
    CHECK(mine.readVideo(picture->id).error().code == ErrorCode::InvalidArgument);  // a picture is no video
    // Trial 40 F13: the wizard showed the case's offence and officer to whoever typed its number; now refused, audited.
    const auto looked = theirs.findCase(world.caseNumber);
    REQUIRE_FALSE(looked);
    CHECK(looked.error().code == ErrorCode::PermissionDenied);
    CHECK(refusalsOf(world, outsider.userId()) == before + 5);
    CHECK(mine.findCase(world.caseNumber));
    CHECK(theirs.findCase("NP-2026-9999").error().code == ErrorCode::NotFound);
}

TEST_CASE("two persons give access: the creator of an account never approves it", "[authority][two_person]") {
    CaseWorld world;  // "admin" holds program administrator and supervisor
    allowManySeats(world);
    auto pending = accounts::AccountService(*world.admin).addUser({"penny", "Penny", {workflow::Role::Investigator}},
                                                                  CaseWorld::kPassword);
    REQUIRE(pending);
    auto byCreator = admin::Administration(*world.admin).approve(pending->id);
    REQUIRE_FALSE(byCreator);
    CHECK(byCreator.error().code == ErrorCode::PermissionDenied);
    CHECK(byCreator.error().message.find("two persons") != std::string::npos);
    CHECK(refusalsOf(world, world.admin->userId()) == 1);
    auto bySecond = admin::Administration(*world.supervisor).approve(pending->id);
    REQUIRE(bySecond);
    CHECK(bySecond->approvedBy == world.supervisor->userId());
}

TEST_CASE("a refused account action names the account it was aimed at, not only who asked (trial 9)",
          "[authority][accounts]") {
    CaseWorld world;
    allowManySeats(world);
    auto target = accounts::AccountService(*world.admin).addUser({"tara", "Tara", {workflow::Role::Investigator}},
                                                                 CaseWorld::kPassword);
    REQUIRE(target);
    admin::Administration asInvestigator(*world.investigator);
    const std::vector<std::pair<std::string, std::function<Result<void>()>>> attempts{
        {"user.approve", [&] { return done(asInvestigator.approve(target->id)); }},
        {"user.deactivate", [&] { return done(asInvestigator.deactivate(target->id, "attempt")); }},
        {"user.suspend", [&] { return done(asInvestigator.suspend(target->id, "attempt")); }},
        {"user.reactivate", [&] { return done(asInvestigator.reactivate(target->id, "attempt")); }},
        {"user.set_roles", [&] { return done(asInvestigator.setRoles(target->id, {workflow::Role::Supervisor})); }},
        {"user.reset_password", [&] { return asInvestigator.resetPassword(target->id, "a brand new long password"); }},
        {"user.reset_second_factor", [&] { return done(asInvestigator.resetSecondFactor(target->id, "attempt")); }},
    };
    for (const auto& [action, attempt] : attempts) {
        INFO(action);
        const auto refused = attempt();
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::PermissionDenied);
        auto entries = audit::AuditLog::list(world.admin->store(), {.userId = world.investigator->userId(),
                                                                     .action = "access.refused"});
        REQUIRE(entries);
        REQUIRE_FALSE(entries->empty());
        const auto& entry = entries->back();
        const auto details = nlohmann::json::parse(entry.detailsJson);
        CHECK(details["action"] == action);
        CHECK(entry.objectType == "user");
        CHECK(entry.objectId == std::to_string(target->id));  // the account aimed at, not the actor
        CHECK(details.value("username", "") == "tara");
        CHECK(entry.username == world.investigator->user().username);  // who asked
    }
    CHECK(audit::AuditLog::verify(world.admin->store())->intact());
}

TEST_CASE("an approval refused because every licence seat is taken is audited, naming the account (trial 9)",
          "[authority][accounts][seats]") {
    CaseWorld world;
    auto pending = accounts::AccountService(*world.admin).addUser({"seatless", "Seatless", {workflow::Role::Investigator}},
                                                                  CaseWorld::kPassword);
    INFO((pending ? std::string() : pending.error().message));
    REQUIRE(pending);
    auto usage = admin::seatUsage(*world.admin);
    REQUIRE(usage);
    admin::AgencySettings full;
    full.licenceSeats = usage->used;  // every seat taken
    REQUIRE(admin::saveSettings(*world.admin, full));
    const auto before = refusalsOf(world, world.supervisor->userId());
    auto refused = admin::Administration(*world.supervisor).approve(pending->id);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::SeatLimitReached);
    REQUIRE(refusalsOf(world, world.supervisor->userId()) == before + 1);
    auto entries = audit::AuditLog::list(world.admin->store(), {.userId = world.supervisor->userId(),
                                                                 .action = "access.refused"});
    REQUIRE(entries);
    const auto& entry = entries->back();
    const auto details = nlohmann::json::parse(entry.detailsJson);
    CHECK(details["action"] == "user.approve");
    CHECK(details["code"] == "seat_limit_reached");
    CHECK(entry.objectId == std::to_string(pending->id));
    CHECK(details.value("username", "") == "seatless");
}
