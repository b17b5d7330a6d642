// Issue 8, item 1: the same role x command matrix through facelead-cli, run as a process. The CLI only
// asks: each command is allowed or refused by the core exactly as the role table says, a refusal exits 1
// with the core's "permission_denied", and is audited as "access.refused".

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <iomanip>
#include <map>
#include <iostream>
#include <sstream>

#include "core/accounts/AccountService.h"
#include "core/admin/Administration.h"
#include "core/audit/AuditLog.h"
#include "core/training/TrainingService.h"
#include "tests/support/Quiz.h"
#include "tests/integration/cases/CaseWorld.h"
#include "tests/support/CliRun.h"

using namespace facelead;
using facelead::test::CaseWorld;
using workflow::Action;

namespace {

struct CliCommand {
    std::string name;
    Action action;
    std::function<std::vector<std::string>(const std::string& role)> words;
};

std::int64_t refusalsOf(CaseWorld& world, std::int64_t userId) {
    auto entries = audit::AuditLog::list(world.admin->store(), {.userId = userId, .action = "access.refused"});
    REQUIRE(entries);
    return static_cast<std::int64_t>(entries->size());
}

std::string pendingUser(CaseWorld& world, const std::string& name) {
    REQUIRE(accounts::AccountService(*world.admin).addUser({name, name, {workflow::Role::Investigator}},
                                                           CaseWorld::kPassword));
    return name;
}

}  // namespace

TEST_CASE("role x command matrix through facelead-cli: exactly the role table, refusals audited",
          "[authority][matrix][cli]") {
    CaseWorld world;
    admin::AgencySettings roomy;
    roomy.licenceSeats = 50;
    REQUIRE(admin::saveSettings(*world.admin, roomy));
    const auto faces = test::requireFaces();
    const auto models = test::requireModels();

    const std::vector<std::pair<std::string, accounts::Session*>> people{
        {"investigator", world.investigator.get()},   {"case_officer", world.officer.get()},
        {"supervisor", world.supervisor.get()},       {"intel_supervisor", world.intelSupervisor.get()},
        {"program_administrator", world.programAdministrator.get()}, {"trainer", world.trainer.get()}};
    std::map<std::string, std::string> usernameOf;
    for (const auto& [role, session] : people) usernameOf[role] = session->user().username;
    std::vector<CliCommand> table{
        {"audit verify", Action::RunAudit, [](auto&) { return std::vector<std::string>{"audit", "verify"}; }},
        {"audit export", Action::RunAudit,
         [&](const std::string& role) {
             return std::vector<std::string>{"audit", "export", "--format", "csv", "--out",
                                             (world.dir / ("audit-" + role + ".csv")).string()};
         }},
        {"gallery remove", Action::ManageGallery,
         [&](const std::string& role) {
             const auto subject = world.addGalleryFace("Wrongly enrolled " + role, {});
             return std::vector<std::string>{"gallery", "remove", std::to_string(subject), "--reason", "by mistake"};
         }},
        {"user list", Action::ListUsers, [](auto&) { return std::vector<std::string>{"user", "list", "--json"}; }},
        {"user add", Action::ManageUsers,
         [](const std::string& role) {
             return std::vector<std::string>{"user", "add", "cli-" + role, "--display-name", "New", "--roles",
                                             "investigator"};
         }},
        {"user approve", Action::ApproveUser,
         [&](const std::string& role) {
             return std::vector<std::string>{"user", "approve", pendingUser(world, "ok-" + role)};
         }},
        {"user deactivate", Action::ManageUsers,
         [&](const std::string& role) {
             return std::vector<std::string>{"user", "deactivate", pendingUser(world, "bye-" + role), "--reason",
                                             "matrix"};
         }},
        {"store check", Action::CheckStore, [](auto&) { return std::vector<std::string>{"store", "check"}; }},
        {"gallery list", Action::ViewGallery, [](auto&) { return std::vector<std::string>{"gallery", "list"}; }},
        {"case disclose", Action::DiscloseCase,
         [&](const std::string& role) {
             return std::vector<std::string>{"case", "disclose", world.caseNumber, "--out",
                                             (world.dir / ("packet-" + role)).string(), "--end-blind-examinations"};
         }},
        {"training record", Action::RecordTraining,
         [&](const std::string& role) {
             const auto paper = training::drawQuizPaper();  // uma passes the quiz as herself first
             REQUIRE(training::submitQuiz(*world.untrainedInvestigator, paper, test::quizPositions(paper)));
             return std::vector<std::string>{"training", "record", "uma", "--trainer", usernameOf.at(role)};
         }},
    };
    if (faces && models) {
        table.push_back({"search", Action::RunSearch, [&](const std::string& role) {
                             return std::vector<std::string>{
                                 "search", "--case", "CLI-" + role, "--case-officer", "olga", "--offence",
                                 "Armed robbery", "--purpose", "VI.A.1", "--justification",
                                 "The person in the CCTV still robbed the store at 12 Main St on 2026-11-20.",
                                 "--attest-all", "--consent", "not-agency-capture", "--image-source", "CCTV export",
                                 "--image", (*faces / "bbt/amy/amy1.png").string()};
                         }});
    }

    std::ostringstream matrix;
    matrix << std::left << std::setw(18) << "facelead-cli";
    for (const auto& [role, session] : people) matrix << std::setw(23) << role;
    matrix << '\n';
    for (const auto& command : table) {
        matrix << std::setw(18) << command.name;
        for (const auto& [role, session] : people) {
            auto words = command.words(role);
            const std::string user = session->user().username;
            words.insert(words.end(), {"--store", world.storePath().string(), "--user", user});
            const std::string secrets = std::string(CaseWorld::kPassword) + "\n" + CaseWorld::kPassword + "-new\n";
            const auto before = refusalsOf(world, session->userId());
            const auto run = test::runCli(FACELEAD_CLI_PATH, world.dir, words, secrets);
            INFO(command.name << " as " << role << ": " << run.err);
            const bool expected = workflow::mayPerform(session->user().roles, command.action);
            CHECK((run.exitCode == 0) == expected);
            if (run.exitCode != 0) {
                CHECK(run.exitCode == 1);
                CHECK_THAT(run.err, Catch::Contains("permission_denied"));
                CHECK(refusalsOf(world, session->userId()) == before + 1);
            }
            matrix << std::setw(23) << (run.exitCode == 0 ? "allowed" : "REFUSED");
        }
        matrix << '\n';
    }
    std::cout << "\nRole x command matrix (facelead-cli):\n" << matrix.str() << std::flush;

    // Issue 8 item 5: the export is readable by its owner only.
    struct stat info {};
    REQUIRE(::stat((world.dir / "audit-program_administrator.csv").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    CHECK_FALSE(std::filesystem::exists(world.dir / "audit-investigator.csv"));
}

// Trial 60 F4, trial 61 F5: `user add` and `user passwd NAME` asked an investigator for the new password before the
// core refused him, and a refusal that never got past that prompt (end of input, Ctrl-C) was not audited.
TEST_CASE("managing an account is refused, and audited, before any new password is asked for", "[authority][cli]") {
    CaseWorld world;
    const auto words = GENERATE(std::vector<std::string>{"user", "add", "zed", "--display-name", "Zed", "--roles",
                                                         "investigator"},
                                std::vector<std::string>{"user", "passwd", "olga"});
    auto command = words;
    command.insert(command.end(), {"--store", world.storePath().string(), "--user", world.investigator->user().username});
    INFO(command[1]);
    const auto before = refusalsOf(world, world.investigator->userId());
    const auto run = test::runCli(FACELEAD_CLI_PATH, world.dir, command,
                                  std::string(CaseWorld::kPassword) + "\n");  // his own password, nothing more
    INFO(run.err);
    CHECK(run.exitCode == 1);
    CHECK_THAT(run.err, Catch::Contains("permission_denied"));
    CHECK(refusalsOf(world, world.investigator->userId()) == before + 1);
}

// Issue 9 item 3 from the CLI: the trainee takes the quiz signed in as themselves; every attempt is audited
// as theirs and only the score is shown (no explanation, no answer key).
TEST_CASE("facelead-cli training quiz records the trainee's own attempt and reveals no answer",
          "[authority][training][cli]") {
    CaseWorld world;
    std::string answers = std::string(CaseWorld::kPassword) + "\n";
    for (std::size_t i = 0; i < training::quizQuestions().size(); ++i) answers += "1\n";
    const auto run = test::runCli(FACELEAD_CLI_PATH, world.dir,
                                  {"training", "quiz", "--store", world.storePath().string(), "--user", "uma"}, answers);
    INFO(run.out << run.err);
    CHECK_THAT(run.out, Catch::Contains(" of " + std::to_string(training::quizQuestions().size()) + " correct"));
    CHECK((run.exitCode == 0) == (run.out.find("\nPassed:") != std::string::npos));
    for (const auto& question : training::quizQuestions())
        CHECK(run.out.find(std::string(question.explanation)) == std::string::npos);
    auto attempts = audit::AuditLog::list(world.admin->store(), {.userId = world.untrainedInvestigator->userId(),
                                                                 .action = "training.quiz_attempted"});
    REQUIRE(attempts);
    CHECK(attempts->size() == 1);
}
