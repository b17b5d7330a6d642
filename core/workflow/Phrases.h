#pragma once
// Words and word pairs that name something in free text, matched as whole words, case-insensitively, so a surname
// like Frank is not "rank". The evidence gates use it (a line-up or the search itself under another name, issue 11
// item 3) and so do the rule packs (a category that is no crime naming a suspect, trial 29 N3). Pure, thread-safe.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/Result.h"

namespace facelead::workflow {

struct Phrases {
    std::set<std::string> words;                          // lower case
    std::set<std::pair<std::string, std::string>> pairs;  // two words, lower case

    bool empty() const { return words.empty() && pairs.empty(); }
};

// Phrases of one or two words each, from data (a rule pack); InvalidArgument for an empty one or one of three words.
Result<Phrases> phrasesFrom(const std::vector<std::string>& list);

// The first of `phrases` the text names, or nothing.
std::optional<std::string> phraseNamedIn(std::string_view text, const Phrases& phrases);

}  // namespace facelead::workflow
