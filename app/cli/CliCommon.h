#pragma once
// What every facelead-cli command group shares: error output, secrets, the store, sign-in, the engine.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "app/cli/Args.h"
#include "core/accounts/Session.h"
#include "core/common/Result.h"
#include "core/face/FaceEngine.h"

namespace facelead::cli {

// Prints the core's message with its code; returns exit code 1.
int fail(const Error& error);

// A secret read into a string that is wiped when it goes out of scope.
class Secret {
public:
    Secret() = default;
    Secret(const Secret&) = delete;
    Secret& operator=(const Secret&) = delete;
    ~Secret();
    std::string& text() { return text_; }

private:
    std::string text_;
};

// From the terminal without echo, or one line of standard input; says so and returns false at end of input.
bool readPassword(const std::string& prompt, Secret& secret);

// --store PATH, else the embedded default store.
std::filesystem::path storePath(const Args& args);

// Signs in as --user (or the account named by another option, e.g. --trainer; required: personal accounts
// only, SOP 302.02 VI.D.2.c) with a password from the terminal or stdin, never from arguments, under the
// agency's rules (admin::signIn). Prints the refusal and returns nullopt.
// While the agency requires a second factor: the code from --otp CODE, else one more line of input; an
// account without one is enrolled first (the otpauth URI, its secret and the recovery codes printed once on
// standard error, then the confirming code read from input).
std::optional<accounts::Session> signIn(const Args& args, const std::string& userOption = "user");
// The same for a password already read (`user passwd` keeps it as the current password).
std::optional<accounts::Session> signInAs(const Args& args, const std::string& user, const std::string& password);

// text as a table cell of width characters (UTF-8 code points, not bytes: "José" takes 4), padded with spaces,
// cut with "…" when longer so the next column stays aligned.
std::string tableCell(std::string_view text, std::size_t width);

// A whole number of at least `minimum` ("12"), or nullopt for anything else ("12x", "-1", "").
std::optional<std::int64_t> parseWholeNumber(const std::string& text, std::int64_t minimum = 0);

// --models DIR, --mode fast|accurate, --threads N. Sets problem and returns nullopt on a bad value.
std::optional<face::EngineConfig> engineConfig(const Args& args, std::string& problem);

}  // namespace facelead::cli
