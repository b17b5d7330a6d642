#pragma once
// Recording training (VI.D.2.b, VI.C.3.b) and the trainer-mode store.
//
// Completion: a trainee passes the quiz; a trainer (or program administrator) signs it off. The account
// gets the completion date and the trainer (accounts::AccountService::recordTraining) and the audit log gets
// the quiz result ("training.quiz_passed"), both in one transaction.
//
// Trainer mode: a separate store marked as a training store (settings "store.kind" = "training"), never
// the live one: refused when its path is the live store's, and a store not marked as training is refused
// in trainer mode. Its searches therefore never enter the live store's statistics.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

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

// PolicyViolation when the quiz was not passed; PermissionDenied when the signed-in user may not record
// training or is the trainee (nobody signs off their own training).
Result<accounts::User> recordCompletion(accounts::Session& trainerSession, std::int64_t traineeId,
                                        const QuizResult& quiz);

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
