#pragma once
// Whether a user's training (VI.D.2.b, VI.C.3.b) still counts, and the trainer-mode store rule.
// Completion itself lives on the account (accounts::User::trainingCompletedAt / trainingSignedOffBy).

#include <filesystem>
#include <optional>
#include <string_view>

#include "core/common/Clock.h"
#include "core/common/Result.h"

namespace facelead::training {

enum class TrainingStatus { NotTrained, Current, Expired };

// The agency's setting (admin::AgencySettings::trainingValidityDays): days a training stays current.
inline constexpr const char* kTrainingValiditySettingKey = "admin.training_validity_days";

std::string_view trainingStatusName(TrainingStatus status);   // "not_trained", "current", "expired"
std::string_view trainingStatusLabel(TrainingStatus status);  // "Not trained", "Current", "Expired"

// validityDays 0 = training never expires.
TrainingStatus trainingStatus(std::optional<TimePoint> completedAt, TimePoint now, int validityDays);
std::optional<TimePoint> trainingExpiresAt(std::optional<TimePoint> completedAt, int validityDays);

// Trainer mode runs on a separate training store, never on the live one: PolicyViolation when the path
// resolves to the live store (another spelling or a symlink included).
Result<void> checkTrainingStorePath(const std::filesystem::path& trainingStore,
                                    const std::filesystem::path& liveStore);

}  // namespace facelead::training
