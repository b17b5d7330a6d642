#include "core/common/Result.h"

namespace facelead {

const char* errorCodeName(ErrorCode code) {
    switch (code) {
    case ErrorCode::InvalidArgument: return "invalid_argument";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::AlreadyExists: return "already_exists";
    case ErrorCode::IoError: return "io_error";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Internal: return "internal";
    case ErrorCode::FileTooLarge: return "file_too_large";
    case ErrorCode::ImageTooLarge: return "image_too_large";
    case ErrorCode::UnsupportedFormat: return "unsupported_format";
    case ErrorCode::CorruptImage: return "corrupt_image";
    case ErrorCode::EmptyFile: return "empty_file";
    case ErrorCode::CorruptVideo: return "corrupt_video";
    case ErrorCode::ModelMissing: return "model_missing";
    case ErrorCode::ModelCorrupt: return "model_corrupt";
    case ErrorCode::NoFaceFound: return "no_face_found";
    case ErrorCode::EngineFailure: return "engine_failure";
    case ErrorCode::StoreNotFound: return "store_not_found";
    case ErrorCode::StoreCorrupt: return "store_corrupt";
    case ErrorCode::StoreBusy: return "store_busy";
    case ErrorCode::NotEncrypted: return "not_encrypted";
    case ErrorCode::KeyFileMissing: return "key_file_missing";
    case ErrorCode::KeyFileCorrupt: return "key_file_corrupt";
    case ErrorCode::MigrationFailed: return "migration_failed";
    case ErrorCode::IntegrityViolation: return "integrity_violation";
    case ErrorCode::AuditChainBroken: return "audit_chain_broken";
    case ErrorCode::WrongCredentials: return "wrong_credentials";
    case ErrorCode::AccountLocked: return "account_locked";
    case ErrorCode::AccountNotActive: return "account_not_active";
    case ErrorCode::PasswordTooWeak: return "password_too_weak";
    case ErrorCode::PermissionDenied: return "permission_denied";
    case ErrorCode::PolicyViolation: return "policy_violation";
    case ErrorCode::ApprovalRequired: return "approval_required";
    case ErrorCode::InvalidPolicyPack: return "invalid_policy_pack";
    case ErrorCode::InvalidTransition: return "invalid_transition";
    case ErrorCode::TrainingRequired: return "training_required";
    case ErrorCode::SeatLimitReached: return "seat_limit_reached";
    case ErrorCode::PasswordChangeRequired: return "password_change_required";
    case ErrorCode::SecondFactorRequired: return "second_factor_required";
    case ErrorCode::SecondFactorEnrolmentRequired: return "second_factor_enrolment_required";
    case ErrorCode::WrongSecondFactor: return "wrong_second_factor";
    }
    return "unknown";
}

}  // namespace facelead
