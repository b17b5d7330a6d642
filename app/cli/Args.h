#pragma once
// Minimal command-line parsing for facelead-cli: positionals, `--name value` options and `--flag`s.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace facelead::cli {

class Args {
public:
    // flagNames are options that take no value (and --help, for every command); every other --name takes
    // the next word as its value.
    Args(const std::vector<std::string>& words, const std::set<std::string>& flagNames);

    const std::vector<std::string>& positionals() const { return positionals_; }
    // The value of --name; given more than once, the last one.
    std::optional<std::string> option(const std::string& name) const;
    // Every value of a repeatable option (--probe A --probe B), in the order given.
    std::vector<std::string> options(const std::string& name) const;
    std::string option(const std::string& name, const std::string& fallback) const;
    bool flag(const std::string& name) const { return flags_.count(name) > 0; }
    // Problems found while parsing (an option missing its value); empty when all is well.
    const std::string& problem() const { return problem_; }

private:
    std::vector<std::string> positionals_;
    std::map<std::string, std::vector<std::string>> options_;
    std::set<std::string> flags_;
    std::string problem_;
};

}  // namespace facelead::cli
