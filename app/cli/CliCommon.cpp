#include "app/cli/CliCommon.h"

#include <sodium.h>

#include <iostream>
#include <memory>

#include "app/cli/Terminal.h"
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

std::optional<accounts::Session> signIn(const Args& args, const std::string& userOption) {
    const auto user = args.option(userOption);
    if (!user) {
        std::cerr << "facelead-cli: --" << userOption
                  << " NAME is required (sign in with your own personal account)\n";
        return std::nullopt;
    }
    Secret password;
    if (!readPassword("Password for " + *user + ": ", password)) return std::nullopt;
    auto session = admin::signIn(storePath(args), *user, password.text(), std::make_shared<SystemClock>());
    if (!session) {
        fail(session.error());
        return std::nullopt;
    }
    for (const auto& warning : session->warnings()) std::cerr << "facelead-cli: WARNING: " << warning << '\n';
    return std::move(*session);
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

}  // namespace facelead::cli
