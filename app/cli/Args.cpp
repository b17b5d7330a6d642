#include "app/cli/Args.h"

namespace facelead::cli {

Args::Args(const std::vector<std::string>& words, const std::set<std::string>& flagNames) {
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& word = words[i];
        if (word.rfind("--", 0) != 0 || word.size() == 2) {
            positionals_.push_back(word);
            continue;
        }
        const std::string name = word.substr(2);
        if (flagNames.count(name) || name == "help") {
            flags_.insert(name);
        } else if (i + 1 < words.size()) {
            options_[name].push_back(words[++i]);
        } else {
            problem_ = "option --" + name + " needs a value";
        }
    }
}

std::optional<std::string> Args::option(const std::string& name) const {
    if (auto it = options_.find(name); it != options_.end()) return it->second.back();
    return std::nullopt;
}

std::vector<std::string> Args::options(const std::string& name) const {
    if (auto it = options_.find(name); it != options_.end()) return it->second;
    return {};
}

std::string Args::option(const std::string& name, const std::string& fallback) const {
    return option(name).value_or(fallback);
}

}  // namespace facelead::cli
