#pragma once
// Runs the real facelead-cli as a user would: words as arguments, secrets on standard input.

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/TestData.h"

namespace facelead::test {

struct CliRun {
    int exitCode = -1;
    std::string out;
    std::string err;
};

// Runs `cli` with `words`; `input` (lines) goes to standard input. Scratch files live in `dir`.
CliRun runCli(const std::filesystem::path& cli, const TempDir& dir, const std::vector<std::string>& words,
              const std::string& input);

std::string readText(const std::filesystem::path& file);

#ifdef FACELEAD_CLI_PATH
// For test programs built with FACELEAD_CLI_PATH (the facelead-cli of this build).
inline CliRun cli(const TempDir& dir, const std::vector<std::string>& words, const std::string& input) {
    return runCli(FACELEAD_CLI_PATH, dir, words, input);
}
#endif

}  // namespace facelead::test
