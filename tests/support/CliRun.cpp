#include "tests/support/CliRun.h"

#include <sys/wait.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace facelead::test {
namespace {

std::string shellQuoted(const std::string& word) {
    std::string result = "'";
    for (const char c : word) result.append(c == '\'' ? std::string("'\\''") : std::string(1, c));
    return result.append("'");
}

}  // namespace

std::string readText(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

CliRun runCli(const std::filesystem::path& cli, const TempDir& dir, const std::vector<std::string>& words,
              const std::string& input) {
    // Scratch files of their own per run: tests run the CLI from several threads at once.
    static std::atomic<int> runs{0};
    const std::string run = std::to_string(runs++);
    const auto in = dir / ("stdin" + run + ".txt");
    const auto out = dir / ("stdout" + run + ".txt");
    const auto err = dir / ("stderr" + run + ".txt");
    std::ofstream(in) << input;
    // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on "literal" + std::string&&.
    std::string command = shellQuoted(cli.string());
    for (const auto& word : words) command.append(" ").append(shellQuoted(word));
    command.append(" <").append(shellQuoted(in.string())).append(" >").append(shellQuoted(out.string()));
    command.append(" 2>").append(shellQuoted(err.string()));
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, readText(out), readText(err)};
}

}  // namespace facelead::test
