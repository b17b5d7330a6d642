#pragma once
// Errors are values: every core API returns Result<T>; no exception crosses the core boundary.
// Catch third-party exceptions (dlib, OpenCV, SQLite, std) at the boundary with guard().

#include <cassert>
#include <exception>
#include <string>
#include <utility>
#include <variant>

namespace facelead {

// Append new codes at the end of their group; tests and the CLI's JSON use the names from errorCodeName().
enum class ErrorCode {
    // generic
    InvalidArgument,
    NotFound,
    AlreadyExists,
    IoError,
    Cancelled,
    Internal,
    // images
    FileTooLarge,
    ImageTooLarge,
    UnsupportedFormat,
    CorruptImage,
    EmptyFile,
    CorruptVideo,         // a video FFmpeg cannot open, or whose frame cannot be decoded (imaging/Video.h)
    // face engine
    ModelMissing,
    ModelCorrupt,
    NoFaceFound,
    EngineFailure,
    // store and keys
    StoreNotFound,
    StoreCorrupt,
    StoreBusy,
    NotEncrypted,
    KeyFileMissing,
    KeyFileCorrupt,
    MigrationFailed,
    IntegrityViolation,   // an original's hash no longer matches, a tampered row
    AuditChainBroken,
    // accounts and policy
    WrongCredentials,
    AccountLocked,
    AccountNotActive,
    PasswordTooWeak,
    PermissionDenied,
    PolicyViolation,      // a rule of SOP 302.02 refuses the request
    ApprovalRequired,     // the rule pack asks a supervisor to approve this search before it runs
    InvalidPolicyPack,    // a rule pack file is malformed or inconsistent (workflow/PolicyPack.h)
    InvalidTransition,    // lead state machine
    TrainingRequired,
    SeatLimitReached,
    PasswordChangeRequired,  // an administrator set the password: the user changes it before anything else
    SecondFactorRequired,    // the agency requires a second factor and none was given: ask for the code
    SecondFactorEnrolmentRequired,  // ... and the account has none yet: enrol one (accounts/SecondFactor.h)
    WrongSecondFactor,       // a wrong, expired or already used code (counts toward the lockout)
};

const char* errorCodeName(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;  // for a detective, not a developer: what went wrong and what to do
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
    Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }

    T& value() & { assert(ok()); return std::get<T>(state_); }
    const T& value() const& { assert(ok()); return std::get<T>(state_); }
    T&& value() && { assert(ok()); return std::get<T>(std::move(state_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { assert(!ok()); return std::get<Error>(state_); }

private:
    std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { assert(failed_); return error_; }

private:
    Error error_;
    bool failed_ = false;
};

inline Error makeError(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

// Runs fn and turns any escaping exception into an Error with the given code and context.
template <typename Fn>
auto guard(ErrorCode code, const std::string& context, Fn&& fn) -> decltype(fn()) {
    try {
        return fn();
    } catch (const std::exception& e) {
        return makeError(code, context + ": " + e.what());
    } catch (...) {
        return makeError(code, context + ": unknown failure");
    }
}

}  // namespace facelead

// Early return of a failed Result from a function that returns a Result.
#define FACELEAD_TRY(expr)                                   \
    do {                                                     \
        if (auto facelead_try_result_ = (expr); !facelead_try_result_) \
            return facelead_try_result_.error();             \
    } while (false)
