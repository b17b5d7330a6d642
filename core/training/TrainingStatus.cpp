#include "core/training/TrainingStatus.h"

#include <system_error>

namespace facelead::training {

std::string_view trainingStatusName(TrainingStatus status) {
    switch (status) {
    case TrainingStatus::NotTrained: return "not_trained";
    case TrainingStatus::Current: return "current";
    case TrainingStatus::Expired: return "expired";
    }
    return "not_trained";
}

std::string_view trainingStatusLabel(TrainingStatus status) {
    switch (status) {
    case TrainingStatus::NotTrained: return "Not trained";
    case TrainingStatus::Current: return "Current";
    case TrainingStatus::Expired: return "Expired";
    }
    return "Not trained";
}

std::optional<TimePoint> trainingExpiresAt(std::optional<TimePoint> completedAt, int validityDays) {
    if (!completedAt || validityDays <= 0) return std::nullopt;
    return *completedAt + std::chrono::days(validityDays);
}

TrainingStatus trainingStatus(std::optional<TimePoint> completedAt, TimePoint now, int validityDays) {
    if (!completedAt) return TrainingStatus::NotTrained;
    const auto expires = trainingExpiresAt(completedAt, validityDays);
    return expires && now > *expires ? TrainingStatus::Expired : TrainingStatus::Current;
}

Result<void> checkTrainingStorePath(const std::filesystem::path& trainingStore,
                                    const std::filesystem::path& liveStore) {
    if (trainingStore.empty())
        return makeError(ErrorCode::InvalidArgument, "Choose a file for the training store.");
    std::error_code ec;
    const auto training = std::filesystem::weakly_canonical(trainingStore, ec);
    if (ec) return makeError(ErrorCode::IoError, "The training store location cannot be read: " + ec.message());
    const auto live = std::filesystem::weakly_canonical(liveStore, ec);
    const bool sameFile = !ec && std::filesystem::exists(training) && std::filesystem::exists(live) &&
                          std::filesystem::equivalent(training, live, ec);
    if (training == live || sameFile)
        return makeError(ErrorCode::PolicyViolation,
                         "This is the live case store. Trainer mode uses a separate training store: choose "
                         "another file.");
    return {};
}

}  // namespace facelead::training
