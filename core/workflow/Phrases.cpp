#include "core/workflow/Phrases.h"

#include <cctype>

namespace facelead::workflow {
namespace {

// Lower-case words of letters and digits; any byte of a UTF-8 sequence counts as a letter.
std::vector<std::string> wordsOf(std::string_view text) {
    std::vector<std::string> words;
    std::string word;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || u >= 0x80) {
            word += static_cast<char>(std::tolower(u));
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    return words;
}

}  // namespace

Result<Phrases> phrasesFrom(const std::vector<std::string>& list) {
    Phrases phrases;
    for (const std::string& phrase : list) {
        const auto words = wordsOf(phrase);
        if (words.size() == 1) {
            phrases.words.insert(words[0]);
        } else if (words.size() == 2) {
            phrases.pairs.emplace(words[0], words[1]);
        } else {
            return makeError(ErrorCode::InvalidArgument,
                             "\"" + phrase + "\" is not a phrase of one or two words.");
        }
    }
    return phrases;
}

std::optional<std::string> phraseNamedIn(std::string_view text, const Phrases& phrases) {
    const auto words = wordsOf(text);
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (phrases.words.count(words[i])) return words[i];
        if (i + 1 < words.size() && phrases.pairs.count({words[i], words[i + 1]}))
            return words[i] + " " + words[i + 1];
    }
    return std::nullopt;
}

}  // namespace facelead::workflow
