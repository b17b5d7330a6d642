#include "core/training/TrainingService.h"

#include <nlohmann/json.hpp>

#include "core/accounts/AccountService.h"
#include "core/audit/AuditLog.h"
#include "core/training/TrainingStatus.h"
#include "core/workflow/Access.h"

namespace facelead::training {
Result<bool> isTrainingStore(store::Store& store) {
    auto kind = store.setting(kStoreKindKey);
    if (!kind) return kind.error();
    return *kind && **kind == kTrainingStoreKind;
}

Result<accounts::User> recordCompletion(accounts::Session& trainerSession, std::int64_t traineeId,
                                        const QuizResult& quiz) {
    FACELEAD_TRY(workflow::requireRole(trainerSession.user().roles, workflow::Action::RecordTraining));
    if (traineeId == trainerSession.userId())
        return makeError(ErrorCode::PermissionDenied,
                         "Nobody signs off their own training (VI.D.2.b). Ask another trainer.");
    if (!quiz.passed)
        return makeError(ErrorCode::PolicyViolation,
                         "The quiz was not passed (" + std::to_string(quiz.correct) + " of " +
                             std::to_string(quiz.total) + ", pass mark " + std::to_string(quiz.passMarkPercent) +
                             " %). Review the lessons with the trainee and take the quiz again.");
    auto& store = trainerSession.store();
    return store.transact([&](store::Transaction& tx) -> Result<accounts::User> {
        accounts::AccountService accounts(trainerSession);
        auto user = accounts.recordTraining(traineeId, tx.now());
        if (!user) return user.error();
        nlohmann::json missed = quiz.missedQuestionIds;
        auto logged = audit::AuditLog::append(
            tx, {trainerSession.userId(), "training.quiz_passed", "user", std::to_string(traineeId),
                 nlohmann::json{{"course_version", kCourseVersion},
                                {"correct", quiz.correct},
                                {"total", quiz.total},
                                {"pass_mark_percent", quiz.passMarkPercent},
                                {"missed", missed}}
                     .dump()});
        if (!logged) return logged.error();
        return user;
    });
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
        // The demonstration account may show every screen: its roles and training are set directly, as the
        // system, because nobody else exists in a new training store to approve or sign off.
        auto roles = tx.prepare("UPDATE users SET roles = ?, training_completed_at = ? WHERE id = ?");
        if (!roles) return roles.error();
        FACELEAD_TRY(roles->bind(1, "case_officer,investigator,program_administrator,supervisor,trainer")
                         .bind(2, toIsoUtc(tx.now()))
                         .bind(3, session.userId())
                         .run());
        auto logged = audit::AuditLog::append(
            tx, {std::nullopt, "store.training_created", "store", "",
                 nlohmann::json{{"note", "trainer-mode store: demonstration data only, never live"}}.dump()});
        if (!logged) return logged.error();
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
