#pragma once
// Recording training (VI.D.2.b, VI.C.3.b) and the trainer-mode store.
//
// Completion is held by the person it concerns (issue 9 item 3): the trainee takes the quiz signed in as
// themselves (submitQuiz: a shuffled paper, every attempt audited, passed or failed, and the answers never
// revealed); a trainer (or program administrator) then signs off THAT trainee's own passed attempt
// (recordCompletion). The account gets the completion date and the trainer, the audit log the sign-off
// naming the attempt, in one transaction.
//
// Trainer mode: a separate store marked as a training store (settings "store.kind" = "training"), never
// the live one: refused when its path is the live store's, and a store not marked as training is refused
// in trainer mode. Its searches therefore never enter the live store's statistics.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "core/accounts/Session.h"
#include "core/accounts/User.h"
#include "core/common/Clock.h"
#include "core/common/Result.h"
#include "core/training/Course.h"

namespace facelead::training {

inline constexpr const char* kStoreKindKey = "store.kind";
inline constexpr const char* kTrainingStoreKind = "training";

// Is this a trainer-mode store? Reports made from one carry the TRAINING marking.
Result<bool> isTrainingStore(store::Store& store);

struct QuizAttempt {
    std::int64_t auditSeq = 0;  // the "training.quiz_attempted" entry: what a trainer signs off
    int correct = 0;
    int total = 0;
    int passMarkPercent = 0;
    bool passed = false;
    std::string attemptedAt;    // ISO 8601 UTC, as audited
};

// The signed-in user's own attempt at `paper` (chosen: one shown position per item, -1 unanswered), graded
// at the agency's pass mark and recorded as "training.quiz_attempted" by that user. Only the score comes
// back: neither the missed questions' answers nor which position was right. Any active user may take it.
// InvalidArgument, naming how many, while any question is unanswered: nothing is graded or recorded.
Result<QuizAttempt> submitQuiz(accounts::Session& traineeSession, const QuizPaper& paper,
                               const std::vector<int>& chosen);

// Signs off the trainee's latest passed attempt of the current course that is not signed off yet.
// PermissionDenied when the signed-in user may not record training (workflow::Action::RecordTraining) or
// is the trainee; TrainingRequired when a trainer's own training is not current (VI.D.1, VI.D.2.b; a program
// administrator needs none: they sign off an agency's first trainer); PolicyViolation when the trainee has no
// such attempt of their own. Refusals are audited.
Result<accounts::User> recordCompletion(accounts::Session& trainerSession, std::int64_t traineeId);

// The accounts the signed-in trainer may sign off, in user-name order: active per the signed audit log (a
// users table edited outside FaceLead neither adds nor hides anyone, accounts/SignedAccounts.h), the trainer
// left out. PermissionDenied unless the signed-in user may record training. Only asked: nothing is audited.
Result<std::vector<accounts::User>> trainees(accounts::Session& trainerSession);

// What the trainer confirms before signing off: the attempt recordCompletion would sign off, or its refusal
// (every check of recordCompletion, in the same words, audited as recordCompletion audits it). Nothing is
// recorded: a screen asks the trainer to confirm only a sign-off the core would take (issue 9 re-trial).
Result<QuizAttempt> pendingSignOff(accounts::Session& trainerSession, std::int64_t traineeId);

// Creates a new training store at path (refused when it is the live store), signed in as its first user
// (program administrator, supervisor, trainer and investigator, trained: a trainer demonstrates everything).
Result<accounts::CreatedStore> createTrainingStore(const std::filesystem::path& path,
                                                   const std::filesystem::path& liveStore,
                                                   std::string_view trainerUsername, std::string_view displayName,
                                                   std::string_view password, std::shared_ptr<const Clock> clock,
                                                   const accounts::SecurityPolicy& policy = {});

// Signs in to an existing training store. PolicyViolation when it is the live store or not a training store.
Result<accounts::Session> openTrainingStore(const std::filesystem::path& path, const std::filesystem::path& liveStore,
                                            std::string_view username, std::string_view password,
                                            std::shared_ptr<const Clock> clock,
                                            const accounts::SecurityPolicy& policy = {});

}  // namespace facelead::training
