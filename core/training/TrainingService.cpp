#include "core/training/TrainingService.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

#include "core/accounts/AccountService.h"
#include "core/accounts/Authority.h"
#include "core/accounts/SignedAccounts.h"
#include "core/audit/AuditLog.h"
#include "core/audit/detail/Entries.h"
#include "core/training/TrainingStatus.h"
#include "core/workflow/Access.h"

namespace facelead::training {
Result<bool> isTrainingStore(store::Store& store) {
    auto kind = store.setting(kStoreKindKey);
    if (!kind) return kind.error();
    if (!*kind || **kind != kTrainingStoreKind) return false;
    // The settings row alone is no signed record: one row written into a live store stamped "TRAINING - demo data" on
    // its disclosure packets and statutory reports while audit verify said intact (trial 28 N3). A training store
    // also carries the founder's declaration in the chain; an entry written in afterwards breaks the chain.
    auto declared = store.prepare("SELECT count(*) FROM audit_log WHERE action = ?");
    if (!declared) return declared.error();
    declared->bind(1, audit::detail::kTrainerModeDeclared);
    auto row = declared->step();
    if (!row) return row.error();
    return *row && declared->getInt(0) > 0;
}

namespace {

constexpr const char* kAttemptAction = "training.quiz_attempted";

// An agency setting (admin::AgencySettings) read here without admin, which builds on training: as a program
// administrator last signed it, not as the table says (a trainee who lowered the pass mark in the table passed).
int intSetting(accounts::Session& session, const char* key, int fallback) {
    auto value = session.ledger().settingAsSigned(session.store(), key);
    if (!value || !*value) return fallback;
    try {
        return std::stoi(**value);
    } catch (const std::exception&) {
        return fallback;  // only a store from before signed settings holds such a value; the fallback is strict
    }
}

int passMark(accounts::Session& session) { return intSetting(session, kPassMarkSettingKey, kDefaultPassMarkPercent); }

// An audited attempt of this course version, read back; nullopt for another version or a damaged entry.
std::optional<QuizAttempt> attemptOf(const audit::AuditEntry& entry) {
    const auto details = nlohmann::json::parse(entry.detailsJson, nullptr, false);
    if (!details.is_object() || details.value("course_version", 0) != kCourseVersion) return std::nullopt;
    return QuizAttempt{entry.seq, details.value("correct", 0), details.value("total", 0),
                       details.value("pass_mark_percent", 0), details.value("passed", false), entry.at};
}

Result<std::vector<audit::AuditEntry>> attemptsOf(store::Store& store, std::int64_t traineeId) {
    return audit::AuditLog::list(store, {.userId = traineeId, .action = kAttemptAction, .objectType = "user",
                                         .objectId = std::to_string(traineeId)});
}

// The trainee's latest passed attempt of this course version that nobody has signed off yet.
Result<audit::AuditEntry> attemptToSignOff(store::Store& store, std::int64_t traineeId,
                                           const std::string& traineeName) {
    auto attempts = attemptsOf(store, traineeId);
    if (!attempts) return attempts.error();
    auto signOffs = audit::AuditLog::list(store, {.action = "user.training_recorded", .objectType = "user",
                                                  .objectId = std::to_string(traineeId)});
    if (!signOffs) return signOffs.error();
    for (auto it = attempts->rbegin(); it != attempts->rend(); ++it) {
        const auto attempt = attemptOf(*it);
        if (!attempt || !attempt->passed) continue;
        const bool signedOff = std::any_of(signOffs->begin(), signOffs->end(), [&](const audit::AuditEntry& e) {
            const auto recorded = nlohmann::json::parse(e.detailsJson, nullptr, false);
            return recorded.is_object() && recorded.value("attempt_seq", std::int64_t{0}) == it->seq;
        });
        if (signedOff) break;  // the latest pass is already signed off: nothing new to sign
        return *it;
    }
    return makeError(ErrorCode::PolicyViolation,
                     traineeName + " has no passed quiz of their own waiting for sign-off. The trainee takes the "
                                   "quiz signed in as themselves; then sign off that attempt (VI.D.2.b).");
}

// Whom a trainer may sign off: an account the signed log leaves active, never the trainer (VI.D.2.b).
Result<void> checkTrainee(const accounts::User& trainer, const accounts::User& trainee) {
    if (trainee.id == trainer.id)
        return makeError(ErrorCode::PermissionDenied, "Nobody signs off their own training (VI.D.2.b). Ask another trainer.");
    if (!trainee.isActive())
        return makeError(ErrorCode::InvalidTransition,
                         trainee.displayName + "'s account is " + std::string(workflow::statusName(trainee.status)) +
                             ": training is signed off for active accounts only.");
    return {};
}

// Who signs others off (SOP 302.02 VI.D.1: the agency authorizes TRAINED officers; VI.D.2.b: training before
// use): a trainer whose own training is current. The program administrator records training as the system's
// administrator (VI.C.3.a), the root that signs off an agency's first trainer, and needs no record of their own.
Result<void> checkSigner(accounts::Session& session, const accounts::User& trainer) {
    if (trainer.hasRole(workflow::Role::ProgramAdministrator)) return {};
    const int validityDays = intSetting(session, kTrainingValiditySettingKey, 0);
    switch (trainingStatus(trainer.trainingCompletedAt, session.store().now(), validityDays)) {
    case TrainingStatus::Current: return {};
    case TrainingStatus::Expired:
        return makeError(ErrorCode::TrainingRequired,
                         trainer.displayName + "'s own training expired on " +
                             toIsoUtc(*trainingExpiresAt(trainer.trainingCompletedAt, validityDays)).substr(0, 10) +
                             ": only a trainer whose own training is current signs others off (SOP 302.02 VI.D.1, "
                             "VI.D.2.b). Retake the quiz and have it signed off first.");
    case TrainingStatus::NotTrained: break;
    }
    return makeError(ErrorCode::TrainingRequired,
                     trainer.displayName + " has no training record of their own: only a trained trainer signs "
                                           "others off (SOP 302.02 VI.D.1, VI.D.2.b). Take the quiz and have it "
                                           "signed off by a program administrator or a trained trainer first.");
}

// What a sign-off needs: the trainer's authority and own training, an active trainee, and the trainee's latest
// passed attempt not signed off yet (returned). The one check behind pendingSignOff and recordCompletion.
Result<audit::AuditEntry> checkSignOff(accounts::Session& trainerSession, std::int64_t traineeId) {
    auto trainer = accounts::authorize(trainerSession, workflow::Action::RecordTraining);
    if (!trainer) return trainer.error();
    auto& store = trainerSession.store();
    auto stored = accounts::loadUser(store, traineeId);
    if (!stored) return stored.error();
    auto trainee = trainerSession.signedGrantsOf(std::move(*stored));
    if (!trainee) return trainee.error();
    FACELEAD_TRY(checkTrainee(*trainer, trainee->user));
    FACELEAD_TRY(checkSigner(trainerSession, *trainer));
    return attemptToSignOff(store, traineeId, trainee->user.displayName);
}

}  // namespace

Result<QuizAttempt> submitQuiz(accounts::Session& traineeSession, const QuizPaper& paper,
                               const std::vector<int>& chosen) {
    return accounts::refusalsAudited(traineeSession, kAttemptAction, [&]() -> Result<QuizAttempt> {
        auto trainee = accounts::currentUser(traineeSession);
        if (!trainee) return trainee.error();
        if (paper.items.size() != quizQuestions().size())
            return makeError(ErrorCode::InvalidArgument, "The quiz paper does not match the course; draw a new one.");
        const QuizAnswers answers = answersInCourseOrder(paper, chosen);
        // A blank or half-answered paper is not an attempt (issue 9 re-trial: a blank quiz was graded "0 of 8"
        // and recorded as a failed attempt): nothing is graded or recorded until every question has an answer.
        if (const auto unanswered = std::count(answers.chosen.begin(), answers.chosen.end(), -1); unanswered > 0)
            return makeError(ErrorCode::InvalidArgument,
                             std::to_string(unanswered) + " of " + std::to_string(answers.chosen.size()) +
                                 " questions are not answered. Answer every question, then grade the quiz; "
                                 "nothing was recorded.");
        auto& store = traineeSession.store();
        const QuizResult result = gradeQuiz(answers, passMark(traineeSession));
        QuizAttempt attempt{0, result.correct, result.total, result.passMarkPercent, result.passed,
                            toIsoUtc(store.now())};
        const nlohmann::json details{{"course_version", kCourseVersion}, {"correct", result.correct},
                                     {"total", result.total}, {"pass_mark_percent", result.passMarkPercent},
                                     {"passed", result.passed}};
        auto seq = store.transact([&](store::Transaction& tx) {
            return audit::AuditLog::append(
                tx, {trainee->id, kAttemptAction, "user", std::to_string(trainee->id), details.dump()});
        });
        if (!seq) return seq.error();
        attempt.auditSeq = *seq;
        return attempt;
    });
}

Result<QuizAttempt> pendingSignOff(accounts::Session& trainerSession, std::int64_t traineeId) {
    return accounts::refusalsAudited(trainerSession, "training.record", traineeId, [&]() -> Result<QuizAttempt> {
        auto entry = checkSignOff(trainerSession, traineeId);
        if (!entry) return entry.error();
        if (auto attempt = attemptOf(*entry)) return *attempt;
        return makeError(ErrorCode::StoreCorrupt, "The quiz attempt to sign off cannot be read back from the audit log.");
    });
}

Result<accounts::User> recordCompletion(accounts::Session& trainerSession, std::int64_t traineeId) {
    return accounts::refusalsAudited(trainerSession, "training.record", traineeId, [&]() -> Result<accounts::User> {
        auto attempt = checkSignOff(trainerSession, traineeId);
        if (!attempt) return attempt.error();
        TimePoint passedAt;
        if (!fromIsoUtc(attempt->at, passedAt)) passedAt = trainerSession.store().now();
        return accounts::AccountService(trainerSession).recordTraining(traineeId, passedAt, attempt->seq);
    });
}

Result<std::vector<accounts::User>> trainees(accounts::Session& trainerSession) {
    auto trainer = accounts::authorize(trainerSession, workflow::Action::RecordTraining);
    if (!trainer) return trainer.error();
    auto accounts = accounts::signedAccounts(trainerSession.store());
    if (!accounts) return accounts.error();
    std::erase_if(*accounts, [&](const accounts::User& user) { return !checkTrainee(*trainer, user); });
    return accounts;
}

Result<accounts::CreatedStore> createTrainingStore(const std::filesystem::path& path,
                                                   const std::filesystem::path& liveStore,
                                                   std::string_view trainerUsername, std::string_view displayName,
                                                   std::string_view password, std::shared_ptr<const Clock> clock,
                                                   const accounts::SecurityPolicy& policy) {
    FACELEAD_TRY(checkTrainingStorePath(path, liveStore));
    auto created = accounts::createStore(path, trainerUsername, displayName, password, std::move(clock), policy);
    if (!created) return created.error();
    auto& session = created->session;
    auto& store = session.store();
    auto marked = store.transact([&](store::Transaction& tx) -> Result<void> {
        FACELEAD_TRY(store.setSetting(tx, kStoreKindKey, kTrainingStoreKind));
        // The demonstration account may show every screen: its roles and training are set directly, because
        // nobody else exists in a new training store to approve or sign off. The grants are signed like any
        // other (the core acts on the signed grants, accounts/SignedAccounts.h).
        constexpr const char* kAllRoles = "case_officer,investigator,program_administrator,supervisor,trainer";
        auto roles = tx.prepare("UPDATE users SET roles = ?, training_completed_at = ? WHERE id = ?");
        if (!roles) return roles.error();
        FACELEAD_TRY(roles->bind(1, kAllRoles).bind(2, toIsoUtc(tx.now())).bind(3, session.userId()).run());
        FACELEAD_TRY(audit::AuditLog::append(
            tx, {session.userId(), "user.roles_changed", "user", std::to_string(session.userId()),
                 nlohmann::json{{"username", session.user().username},
                                {"from", accounts::rolesToText(session.user().roles)},
                                {"to", kAllRoles},
                                {"reason", "trainer-mode store: the demonstration account"}}
                     .dump()}));
        FACELEAD_TRY(audit::AuditLog::append(
            tx, {std::nullopt, "store.training_created", "store", "",
                 nlohmann::json{{"note", "trainer-mode store: demonstration data only, never live"}}.dump()}));
        // Signed by the account itself: the ledger accepts that only after the declaration above, made by
        // the founder while alone in the store (audit::AccountLedger), so no live account can do the same.
        FACELEAD_TRY(audit::AuditLog::append(
            tx, {session.userId(), "user.training_recorded", "user", std::to_string(session.userId()),
                 nlohmann::json{{"username", session.user().username},
                                {"completed_at", toIsoUtc(tx.now())},
                                {"reason", "trainer-mode store: the demonstration account"}}
                     .dump()}));
        return {};
    });
    if (!marked) return marked.error();
    FACELEAD_TRY(session.refreshUser());
    return created;
}

Result<accounts::Session> openTrainingStore(const std::filesystem::path& path, const std::filesystem::path& liveStore,
                                            std::string_view username, std::string_view password,
                                            std::shared_ptr<const Clock> clock,
                                            const accounts::SecurityPolicy& policy) {
    FACELEAD_TRY(checkTrainingStorePath(path, liveStore));
    auto session = accounts::signIn(path, username, password, std::move(clock), policy);
    if (!session) return session.error();
    auto training = isTrainingStore(session->store());
    if (!training) return training.error();
    if (!*training)
        return makeError(ErrorCode::PolicyViolation,
                         "This store is not a training store. Trainer mode only opens stores created for training, "
                         "so live cases never mix with class exercises.");
    return session;
}

}  // namespace facelead::training
