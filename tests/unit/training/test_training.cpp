// The training course and quiz, completion sign-off, and trainer mode's separate store
// (SOP 302.02 VI.D.2.b, VI.C.3.b).

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "core/accounts/AccountService.h"
#include "core/admin/Administration.h"
#include "core/accounts/Authority.h"
#include "core/audit/AuditLog.h"
#include "core/training/Course.h"
#include "core/training/TrainingService.h"
#include "core/training/TrainingStatus.h"
#include "tests/unit/admin/AccountabilityFixture.h"
#include "tests/support/Quiz.h"

using namespace facelead;
using workflow::Role;

namespace {

training::QuizAnswers allCorrect() {
    training::QuizAnswers answers;
    for (const auto& q : training::quizQuestions()) answers.chosen.push_back(q.correctChoice);
    return answers;
}


}  // namespace

TEST_CASE("The course teaches every rule issue 5 names, each with its section", "[training][course]") {
    std::string citations;
    for (const auto& lesson : training::lessons()) {
        CHECK_FALSE(lesson.text.empty());
        citations += std::string(lesson.citation) + " ";
    }
    for (const char* section : {"VI.A", "VI.B.7", "VI.B.4", "VI.A.3 Note", "VI.B.2", "VI.B.1", "VI.B.3", "VI.C.1"})
        CHECK_THAT(citations, Catch::Contains(section));
    std::set<std::string_view> ids;
    for (const auto& q : training::quizQuestions()) {
        CHECK(q.choices.size() >= 3);
        CHECK(q.correctChoice >= 0);
        CHECK(q.correctChoice < static_cast<int>(q.choices.size()));
        CHECK_FALSE(q.citation.empty());
        CHECK(ids.insert(q.id).second);
    }
}

TEST_CASE("The quiz is graded against the agency's pass mark", "[training][quiz]") {
    const auto total = static_cast<int>(training::quizQuestions().size());
    auto answers = allCorrect();
    auto full = training::gradeQuiz(answers, 80);
    CHECK(full.passed);
    CHECK(full.correct == total);
    CHECK(full.missedQuestionIds.empty());

    answers.chosen[0] = (answers.chosen[0] + 1) % 3;  // one wrong: 7 of 8 = 87.5 %
    CHECK(training::gradeQuiz(answers, 85).passed);
    CHECK_FALSE(training::gradeQuiz(answers, 90).passed);
    CHECK(training::gradeQuiz(answers, 85).missedQuestionIds == std::vector<std::string>{"purpose_allowed"});

    training::QuizAnswers unanswered;  // none given: every question missed
    auto none = training::gradeQuiz(unanswered, 80);
    CHECK_FALSE(none.passed);
    CHECK(none.missedQuestionIds.size() == static_cast<std::size_t>(total));
}

// Trial 82 F7: the right answer was always the longest, so the quiz passed unread.
TEST_CASE("The quiz is not passed by always choosing the longest or the shortest answer", "[training][quiz]") {
    const auto sheet = [](bool longest) {
        training::QuizAnswers answers;
        for (const auto& question : training::quizQuestions()) {
            const auto by = [longest](std::string_view a, std::string_view b) {
                return longest ? a.size() < b.size() : a.size() > b.size();
            };
            const auto chosen = std::max_element(question.choices.begin(), question.choices.end(), by);
            answers.chosen.push_back(static_cast<int>(chosen - question.choices.begin()));
        }
        return answers;
    };
    constexpr int kLowestPassMarkAllowed = 50;  // admin::AgencySettings
    CHECK_FALSE(training::gradeQuiz(sheet(true), kLowestPassMarkAllowed).passed);
    CHECK_FALSE(training::gradeQuiz(sheet(false), kLowestPassMarkAllowed).passed);
}

TEST_CASE("Training status follows the validity period", "[training][status]") {
    const auto done = test::utc(2026, 1, 1);
    CHECK(training::trainingStatus(std::nullopt, done, 0) == training::TrainingStatus::NotTrained);
    CHECK(training::trainingStatus(done, done + std::chrono::days(5000), 0) == training::TrainingStatus::Current);
    CHECK(training::trainingStatus(done, done + std::chrono::days(30), 30) == training::TrainingStatus::Current);
    CHECK(training::trainingStatus(done, done + std::chrono::days(31), 30) == training::TrainingStatus::Expired);
}

// Issue 9 item 3: the correct answer was always the second option. Every paper is drawn afresh: questions and
// choices in a random order, so the position of an answer teaches nothing.
TEST_CASE("The quiz paper shuffles questions and choices", "[training][quiz]") {
    std::set<std::vector<std::size_t>> questionOrders;
    std::set<int> rightPositionsOfFirstQuestion;
    for (int draw = 0; draw < 40; ++draw) {
        const auto paper = training::drawQuizPaper();
        REQUIRE(paper.items.size() == training::quizQuestions().size());
        std::vector<std::size_t> order;
        for (const auto& item : paper.items) {
            order.push_back(item.question);
            std::vector<int> sorted = item.choiceOrder;
            std::sort(sorted.begin(), sorted.end());
            for (std::size_t c = 0; c < sorted.size(); ++c) CHECK(sorted[c] == static_cast<int>(c));  // a permutation
        }
        std::vector<std::size_t> sortedOrder = order;
        std::sort(sortedOrder.begin(), sortedOrder.end());
        for (std::size_t q = 0; q < sortedOrder.size(); ++q) CHECK(sortedOrder[q] == q);  // every question once
        questionOrders.insert(order);
        for (std::size_t i = 0; i < paper.items.size(); ++i)
            if (paper.items[i].question == 0) rightPositionsOfFirstQuestion.insert(test::quizPositions(paper)[i]);
    }
    CHECK(questionOrders.size() > 30);
    CHECK(rightPositionsOfFirstQuestion.size() > 1);  // the right answer moves

    const auto paper = training::drawQuizPaper();
    CHECK(training::gradeQuiz(training::answersInCourseOrder(paper, test::quizPositions(paper)), 100).passed);
    CHECK(training::gradeQuiz(training::answersInCourseOrder(paper, test::quizPositions(paper, false)), 80).correct == 0);
}

TEST_CASE("The trainee takes the quiz as themselves; a trainer signs off that attempt", "[training][completion]") {
    test::AccountabilityFixture fx;
    const auto trainee = fx.addActiveUser("trainee", {Role::Investigator}, false);
    fx.addActiveUser("tess", {Role::Trainer});
    auto trainer = fx.signIn("tess");
    auto self = fx.signIn("trainee");
    REQUIRE(trainer);
    REQUIRE(self);
    CHECK(admin::checkCanSearch(fx.store(), trainee.id).error().code == ErrorCode::TrainingRequired);
    const auto attempts = [&] {
        return audit::AuditLog::list(fx.store(), {.action = "training.quiz_attempted"})->size();
    };

    SECTION("a failed attempt is audited, reveals no answer, and there is nothing to sign off") {
        const auto paper = training::drawQuizPaper();
        auto failed = training::submitQuiz(*self, paper, test::quizPositions(paper, false));
        REQUIRE(failed);
        CHECK_FALSE(failed->passed);
        CHECK(failed->correct == 0);
        CHECK(attempts() == 1);
        auto entry = audit::AuditLog::list(fx.store(), {.action = "training.quiz_attempted"})->front();
        CHECK(entry.userId == trainee.id);
        CHECK_THAT(entry.detailsJson, Catch::Contains("\"passed\":false"));
        auto nothing = training::recordCompletion(*trainer, trainee.id);
        REQUIRE_FALSE(nothing);
        CHECK(nothing.error().code == ErrorCode::PolicyViolation);
        CHECK_FALSE(accounts::loadUser(fx.store(), trainee.id)->trainingCompletedAt);
    }
    SECTION("the trainee's own passed attempt is signed off: date, trainer and the attempt recorded") {
        const auto paper = training::drawQuizPaper();
        auto passed = training::submitQuiz(*self, paper, test::quizPositions(paper));
        REQUIRE(passed);
        CHECK(passed->passed);
        fx.clock->advance(std::chrono::hours(1));
        auto user = training::recordCompletion(*trainer, trainee.id);
        REQUIRE(user);
        CHECK(user->trainingCompletedAt == fx.clock->now() - std::chrono::hours(1));  // when it was passed
        CHECK(user->trainingSignedOffBy == trainer->userId());
        CHECK(admin::checkCanSearch(fx.store(), trainee.id));
        auto recorded = audit::AuditLog::list(
            fx.store(), {.action = "user.training_recorded", .objectId = std::to_string(trainee.id)});
        REQUIRE(recorded->size() == 1);
        CHECK_THAT(recorded->back().detailsJson,
                   Catch::Contains("\"attempt_seq\":" + std::to_string(passed->auditSeq)));
        CHECK(training::recordCompletion(*trainer, trainee.id).error().code == ErrorCode::PolicyViolation);  // once
    }
    SECTION("a blank or half-answered paper is refused, naming how many are unanswered; nothing is recorded") {
        // Issue 9 re-trial: a blank quiz was graded "Not passed: 0 of 8 correct" and recorded.
        const auto paper = training::drawQuizPaper();
        auto blank = training::submitQuiz(*self, paper, std::vector<int>(paper.items.size(), -1));
        REQUIRE_FALSE(blank);
        CHECK(blank.error().code == ErrorCode::InvalidArgument);
        CHECK_THAT(blank.error().message, Catch::StartsWith(std::to_string(paper.items.size()) + " of " +
                                                            std::to_string(paper.items.size()) + " questions are not answered"));
        auto half = test::quizPositions(paper);
        half[1] = -1;
        half.resize(half.size() - 1);  // the last one never answered either (a CLI input that ended early)
        auto partly = training::submitQuiz(*self, paper, half);
        REQUIRE_FALSE(partly);
        CHECK_THAT(partly.error().message, Catch::StartsWith("2 of "));
        CHECK(attempts() == 0);
    }
    SECTION("what the trainer confirms is the attempt the sign-off takes, or the sign-off's own refusal") {
        const auto paper = training::drawQuizPaper();
        REQUIRE(training::submitQuiz(*self, paper, test::quizPositions(paper, false)));
        CHECK(training::pendingSignOff(*trainer, trainee.id).error().code == ErrorCode::PolicyViolation);  // failed only
        auto passed = training::submitQuiz(*self, paper, test::quizPositions(paper));
        REQUIRE(passed);
        auto pending = training::pendingSignOff(*trainer, trainee.id);
        REQUIRE(pending);
        CHECK(pending->auditSeq == passed->auditSeq);
        CHECK(pending->passed);
        CHECK_FALSE(accounts::loadUser(fx.store(), trainee.id)->trainingCompletedAt);  // only asked
        CHECK(training::pendingSignOff(*self, trainee.id).error().code == ErrorCode::PermissionDenied);
    }
    SECTION("a trainer's own pass signs off nobody else (issue 9: one quiz, three trainees)") {
        const auto paper = training::drawQuizPaper();
        REQUIRE(training::submitQuiz(*trainer, paper, test::quizPositions(paper)));
        auto refused = training::recordCompletion(*trainer, trainee.id);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::PolicyViolation);
    }
    SECTION("a training date written into the users table is not training (VI.D.2.b)") {
        REQUIRE(fx.store().exec("UPDATE users SET training_completed_at = '2026-11-30T12:00:00.000Z' "
                                "WHERE username = 'trainee'"));
        CHECK(admin::checkCanSearch(fx.store(), trainee.id).error().code == ErrorCode::TrainingRequired);
        auto signedIn = accounts::currentUser(*self);  // what every facade's gate reads
        REQUIRE(signedIn);
        CHECK_FALSE(signedIn->trainingCompletedAt);
        CHECK_THAT(self->grantsMismatch(), Catch::Contains("records no training sign-off"));
    }
    SECTION("the trainees offered follow the signed log, not a users table edited outside FaceLead (trial 10)") {
        const auto gone = fx.addActiveUser("gone", {Role::Investigator}, false);
        REQUIRE(accounts::AccountService(*fx.admin).deactivate(gone.id, "left the agency"));
        REQUIRE(fx.store().exec("UPDATE users SET status = 'active' WHERE username = 'gone'"));
        REQUIRE(fx.store().exec("UPDATE users SET status = 'suspended' WHERE username = 'trainee'"));
        auto offered = training::trainees(*trainer);
        REQUIRE(offered);
        std::set<std::string> names;
        for (const auto& user : *offered) names.insert(user.username);
        CHECK(names.count("trainee") == 1);  // suspended in the table only: still active
        CHECK(names.count("gone") == 0);     // active in the table only: still deactivated
        CHECK(names.count("tess") == 0);     // never oneself
        CHECK(training::recordCompletion(*trainer, gone.id).error().code == ErrorCode::InvalidTransition);
        CHECK(training::trainees(*self).error().code == ErrorCode::PermissionDenied);
    }
    SECTION("nobody signs off their own training, and an investigator signs off nobody's") {
        const auto paper = training::drawQuizPaper();
        REQUIRE(training::submitQuiz(*trainer, paper, test::quizPositions(paper)));
        CHECK(training::recordCompletion(*trainer, trainer->userId()).error().code == ErrorCode::PermissionDenied);
        CHECK(training::recordCompletion(*self, trainee.id).error().code == ErrorCode::PermissionDenied);
        CHECK(audit::AuditLog::list(fx.store(), {.action = "access.refused"})->size() == 2);
    }
}

// Issue 9 (found in use): a trainer with no training of their own signed others off. VI.D.1 authorizes
// trained officers only: such a sign-off is refused, naming why, and audited; the program administrator
// signs off the agency's first trainer, who then signs off others while their own training is current.
TEST_CASE("A trainer signs others off only with a current training record of their own",
          "[training][completion]") {
    test::AccountabilityFixture fx;
    const auto trainee = fx.addActiveUser("trainee", {Role::Investigator}, false);
    const auto tomUser = fx.addActiveUser("tom", {Role::Trainer}, false);
    auto tom = fx.signIn("tom");
    auto self = fx.signIn("trainee");
    REQUIRE(tom);
    REQUIRE(self);
    const auto pass = [](accounts::Session& session) {
        const auto paper = training::drawQuizPaper();
        REQUIRE(training::submitQuiz(session, paper, test::quizPositions(paper)));
    };
    const auto refusals = [&] { return audit::AuditLog::list(fx.store(), {.action = "access.refused"})->size(); };
    pass(*self);

    const auto before = refusals();
    auto refused = training::recordCompletion(*tom, trainee.id);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::TrainingRequired);
    CHECK_THAT(refused.error().message, Catch::Contains("tom Name has no training record of their own"));
    CHECK_THAT(refused.error().message, Catch::Contains("VI.D.1"));
    CHECK_FALSE(accounts::loadUser(fx.store(), trainee.id)->trainingCompletedAt);
    CHECK(refusals() == before + 1);  // audited like the other training refusals
    // Asked before the trainer confirms anything (issue 9 re-trial): the same refusal, in the same words.
    auto asked = training::pendingSignOff(*tom, trainee.id);
    REQUIRE_FALSE(asked);
    CHECK(asked.error().code == ErrorCode::TrainingRequired);
    CHECK(asked.error().message == refused.error().message);
    CHECK(refusals() == before + 2);
    CHECK_THAT(audit::AuditLog::list(fx.store(), {.action = "access.refused"})->back().detailsJson,
               Catch::Contains("no training record of their own"));

    // The program administrator needs no record of their own: they sign off the first trainer's own pass.
    pass(*tom);
    REQUIRE(training::recordCompletion(*fx.admin, tomUser.id));
    auto signedOff = training::recordCompletion(*tom, trainee.id);
    INFO((signedOff ? std::string() : signedOff.error().message));
    REQUIRE(signedOff);
    CHECK(signedOff->trainingSignedOffBy == tom->userId());

    SECTION("a trainer whose own training expired signs off nobody") {
        const auto other = fx.addActiveUser("other", {Role::Investigator}, false);
        auto otherSession = fx.signIn("other");
        REQUIRE(otherSession);
        pass(*otherSession);
        auto settings = admin::loadSettings(fx.store());
        REQUIRE(settings);
        settings->trainingValidityDays = 1;
        REQUIRE(admin::saveSettings(*fx.admin, *settings));
        fx.clock->advance(std::chrono::hours(49));
        auto expired = training::recordCompletion(*tom, other.id);
        REQUIRE_FALSE(expired);
        CHECK(expired.error().code == ErrorCode::TrainingRequired);
        CHECK_THAT(expired.error().message, Catch::Contains("own training expired on"));
    }
}

// Trial 21A N3's kind: the pass mark and the validity are read as a program administrator signed them. A trainee
// with the database key who wrote a pass mark of 0 into the settings table passed the quiz with every answer wrong.
TEST_CASE("A pass mark lowered in the settings table passes nobody", "[training][quiz][insider]") {
    test::AccountabilityFixture fx;
    fx.addActiveUser("trainee", {Role::Investigator}, false);
    auto self = fx.signIn("trainee");
    REQUIRE(self);
    REQUIRE(fx.store().transact([&](store::Transaction& tx) {
        return fx.store().setSetting(tx, training::kPassMarkSettingKey, "0");
    }));
    const auto paper = training::drawQuizPaper();
    auto attempt = training::submitQuiz(*self, paper, test::quizPositions(paper, false));
    REQUIRE(attempt);
    CHECK_FALSE(attempt->passed);
    CHECK(attempt->passMarkPercent == training::kDefaultPassMarkPercent);
}

TEST_CASE("Trainer mode never uses the live store", "[training][trainer_mode]") {
    test::AccountabilityFixture fx;
    SECTION("the live store's path is refused, however it is spelled") {
        auto same = training::createTrainingStore(fx.storePath, fx.storePath, "t", "T", test::kPassword, fx.clock,
                                                  fx.policy);
        REQUIRE_FALSE(same);
        CHECK(same.error().code == ErrorCode::PolicyViolation);
        const auto dotted = fx.dir.path() / "." / fx.storePath.filename();
        CHECK(training::checkTrainingStorePath(dotted, fx.storePath).error().code == ErrorCode::PolicyViolation);
        const auto link = fx.dir / "link.store";
        std::filesystem::create_symlink(fx.storePath, link);
        CHECK(training::checkTrainingStorePath(link, fx.storePath).error().code == ErrorCode::PolicyViolation);
        CHECK(training::openTrainingStore(fx.storePath, fx.storePath, "admin", test::kPassword, fx.clock, fx.policy)
                  .error()
                  .code == ErrorCode::PolicyViolation);
    }
    SECTION("a live store copied elsewhere is still refused: it is not marked as a training store") {
        fx.admin.reset();
        fx.deputy.reset();  // every connection closed: the copy is the whole store
        std::filesystem::copy_file(fx.storePath, fx.dir / "copy.store");
        std::filesystem::copy_file(store::keyFilePath(fx.storePath), store::keyFilePath(fx.dir / "copy.store"));
        auto opened = training::openTrainingStore(fx.dir / "copy.store", fx.storePath, "admin", test::kPassword,
                                                  fx.clock, fx.policy);
        REQUIRE_FALSE(opened);
        CHECK(opened.error().code == ErrorCode::PolicyViolation);
    }
    SECTION("a new training store is marked, and its trainer may demonstrate everything") {
        const auto path = fx.dir / "class.store";
        auto created = training::createTrainingStore(path, fx.storePath, "tess", "Tess Trainer", test::kPassword,
                                                     fx.clock, fx.policy);
        REQUIRE(created);
        const auto& user = created->session.user();
        CHECK(user.hasRole(Role::Trainer));
        CHECK(user.hasRole(Role::Investigator));
        CHECK(admin::checkCanSearch(created->session.store(), user.id));
        CHECK(*training::isTrainingStore(created->session.store()));
        CHECK_FALSE(*training::isTrainingStore(fx.store()));
        // Trial 28 N3: the settings row written into a live store does not make it a training store.
        REQUIRE(fx.store().exec("INSERT OR REPLACE INTO settings(key, value) VALUES ('store.kind', 'training')").ok());
        CHECK_FALSE(*training::isTrainingStore(fx.store()));
        auto reopened = training::openTrainingStore(path, fx.storePath, "tess", test::kPassword, fx.clock, fx.policy);
        REQUIRE(reopened);
    }
}
