#include "app/cli/CliCommon.h"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <iostream>
#include <memory>

#include "app/cli/Terminal.h"
#include "core/accounts/WarningAdvice.h"
#include "core/admin/Administration.h"
#include "core/common/Paths.h"

namespace facelead::cli {

int fail(const Error& error) {
    std::cerr << "facelead-cli: " << error.message << " [" << errorCodeName(error.code) << "]\n";
    return 1;
}

Secret::~Secret() { sodium_memzero(text_.data(), text_.size()); }

bool readPassword(const std::string& prompt, Secret& secret) {
    if (readSecret(prompt, secret.text())) return true;
    std::cerr << "facelead-cli: no password given\n";
    return false;
}

std::filesystem::path storePath(const Args& args) { return args.option("store", defaultStorePath().string()); }

namespace {

// Shown once, on standard error (standard output stays the command's result).
void printEnrolment(const accounts::SecondFactorEnrolment& enrolment, const std::string& why) {
    std::cerr << "facelead-cli: " << why << "\n"
              << "Add this account to your authenticator app (scan the URI as a QR code, or type the secret):\n"
              << "  " << enrolment.uri << "\n"
              << "  secret: " << enrolment.secretText << "\n"
              << "Recovery codes (each works once instead of a code; keep them somewhere safe, they are not "
                 "shown again):\n";
    for (const auto& code : enrolment.recoveryCodes) std::cerr << "  " << code << '\n';
}

}  // namespace

std::optional<accounts::Session> signIn(const Args& args, const std::string& userOption) {
    const auto user = args.option(userOption);
    if (!user) {
        std::cerr << "facelead-cli: --" << userOption
                  << " NAME is required (sign in with your own personal account)\n";
        return std::nullopt;
    }
    Secret password;
    if (!readPassword("Password for " + *user + ": ", password)) return std::nullopt;
    return signInAs(args, *user, password.text());
}

std::optional<accounts::Session> signInAs(const Args& args, const std::string& user, const std::string& password) {
    accounts::SecondFactorInput factor;
    if (const auto otp = args.option("otp")) factor.code = *otp;
    auto attempt = [&] {
        return admin::signIn(storePath(args), user, password, std::make_shared<SystemClock>(), {}, factor);
    };
    auto session = attempt();
    // The agency requires a second factor (CJIS 5.6): enrol one now, or ask for the code. Each answer is one
    // more line on standard input (or the terminal, without echo).
    if (!session && session.error().code == ErrorCode::SecondFactorEnrolmentRequired) {
        auto enrolment = accounts::newEnrolment(user);
        if (!enrolment) {
            fail(enrolment.error());
            return std::nullopt;
        }
        printEnrolment(*enrolment, session.error().message);
        factor.enrolment = std::move(*enrolment);
        factor.code.clear();
    }
    if (!session && factor.code.empty() && (session.error().code == ErrorCode::SecondFactorRequired ||
                                            session.error().code == ErrorCode::SecondFactorEnrolmentRequired)) {
        Secret code;
        if (!readSecret("Code from your authenticator app (or a recovery code): ", code.text())) {
            std::cerr << "facelead-cli: no code given\n";
            return std::nullopt;
        }
        factor.code = code.text();
        session = attempt();
    }
    if (!session) {
        fail(session.error());
        return std::nullopt;
    }
    for (const auto& warning : session->warnings()) std::cerr << "facelead-cli: WARNING: " << warning << '\n';
    if (!session->warnings().empty()) std::cerr << "facelead-cli: " << accounts::adviceOnWarnings(session->user(), session->warnings()) << '\n';
    return std::move(*session);
}

std::optional<std::int64_t> parseWholeNumber(const std::string& text, std::int64_t minimum) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < minimum) return std::nullopt;
    return value;
}

std::optional<face::EngineConfig> engineConfig(const Args& args, std::string& problem) {
    face::EngineConfig config;
    config.modelsDir = args.option("models", defaultModelsDir().string());
    const std::string mode = args.option("mode", "fast");
    if (mode == "fast") {
        config.mode = face::DetectionMode::Fast;
    } else if (mode == "accurate") {
        config.mode = face::DetectionMode::Accurate;
    } else {
        problem = "--mode must be fast or accurate";
        return std::nullopt;
    }
    if (const auto threads = args.option("threads")) {
        try {
            config.threads = std::stoi(*threads);
        } catch (const std::exception&) {
            config.threads = -1;
        }
        if (config.threads < 1) {
            problem = "--threads must be a positive number";
            return std::nullopt;
        }
    }
    return config;
}

std::string tableCell(std::string_view text, std::size_t width) {
    const auto isLead = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; };
    std::string cell;
    std::size_t shown = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (isLead(text[i]) && ++shown == width) {  // room for one more character: the ellipsis, if more follow
            const bool more = std::any_of(text.begin() + i + 1, text.end(), isLead);
            cell += more ? std::string("\u2026") : std::string(text.substr(i));
            return cell;
        }
        cell += text[i];
    }
    return cell + std::string(width - shown, ' ');
}

}  // namespace facelead::cli
