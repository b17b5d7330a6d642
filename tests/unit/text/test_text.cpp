// Text at the core's door (core/common/Text.h): UTF-8 checks, faithful escaping, terminal-safe output.

#include <catch2/catch.hpp>

#include <map>
#include <vector>

#include "core/common/Text.h"

namespace text = facelead::text;

TEST_CASE("UTF-8 is recognised exactly: overlongs, surrogates and stray bytes are not", "[text][utf8]") {
    CHECK(text::isValidUtf8("plain ASCII"));
    CHECK(text::isValidUtf8("Zo\xC3\xAB \xE5\x86\x99\xE7\x9C\x9F \xF0\x9F\x98\x80"));
    CHECK_FALSE(text::isValidUtf8("Jos\xE9"));                  // Latin-1
    CHECK_FALSE(text::isValidUtf8("\xC0\xAF"));                 // overlong '/'
    CHECK_FALSE(text::isValidUtf8("\xED\xA0\x80"));             // a UTF-16 surrogate
    CHECK_FALSE(text::isValidUtf8("\xF4\x90\x80\x80"));         // above U+10FFFF
    CHECK_FALSE(text::isValidUtf8("\xE5\x86"));                 // cut short
    CHECK(text::firstInvalidUtf8("ab\xFF") == 2);
}

TEST_CASE("Names that are not UTF-8 are escaped faithfully (issue 10: file names)", "[text][escape]") {
    CHECK(text::escapedText("Zo\xC3\xAB") == "Zo\xC3\xAB");
    CHECK(text::escapedText("Jos\xE9.jpg") == "Jos\\xe9.jpg");
    CHECK(text::escapedText("a\\b\xFF") == "a\\\\b\\xff");
    CHECK(text::pathText(std::filesystem::path("/tmp/Ren\xE9")) == "/tmp/Ren\\xe9");
}

TEST_CASE("Two different byte strings never give the same escaped text: a literal backslash is escaped too "
          "(trial 9 finding 8)", "[text][escape]") {
    const std::string latin1 = "Caf\xE9 Latin1.jpg";        // the byte 0xE9
    const std::string literal = "Caf\\xe9 Latin1.jpg";     // backslash, x, e, 9: valid UTF-8
    CHECK(text::escapedText(latin1) == "Caf\\xe9 Latin1.jpg");
    CHECK(text::escapedText(literal) == "Caf\\\\xe9 Latin1.jpg");
    CHECK(text::escapedText(latin1) != text::escapedText(literal));
    CHECK(text::pathText(std::filesystem::path(latin1)) != text::pathText(std::filesystem::path(literal)));
    // Every short byte string over the alphabet that made the collision maps to its own text.
    const std::string alphabet = {'\\', 'x', 'e', '9', '\xE9', '\xC3', '\xA9'};
    std::map<std::string, std::string> seen;
    std::vector<std::string> strings{""};
    for (int length = 1; length <= 4; ++length) {
        std::vector<std::string> longer;
        for (const auto& prefix : strings)
            for (char c : alphabet) longer.push_back(prefix + c);
        for (const auto& bytes : longer) {
            const auto [at, fresh] = seen.emplace(text::escapedText(bytes), bytes);
            INFO(text::forTerminal(bytes) << " and " << text::forTerminal(at->second));
            CHECK((fresh || at->second == bytes));
            CHECK(text::isValidUtf8(at->first));
        }
        strings = std::move(longer);
    }
}

TEST_CASE("A reason is required and must not be blank: one rule, one message (trial 9)", "[text][reason]") {
    for (const char* blank : {"", " ", "\t\n  \r\n"}) {
        const auto refused = text::acceptReason("removing this subject", blank);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == facelead::ErrorCode::InvalidArgument);
        CHECK_THAT(refused.error().message, Catch::StartsWith("A reason is required for removing this subject"));
        CHECK_THAT(refused.error().message, Catch::Contains("must not be blank"));
    }
    CHECK(text::acceptReason("removing this subject", "  enrolled under the wrong name\n").value() ==
          "enrolled under the wrong name");
    CHECK(text::acceptReason("removing this subject", "two\nlines").value() == "two\nlines");
    CHECK_THAT(text::acceptReason("removing this subject", "x\x1b[2J").error().message,
               Catch::Contains("control character"));
    CHECK_THAT(text::acceptReason("removing this subject", "Jos\xE9").error().message, Catch::Contains("UTF-8"));
}

TEST_CASE("Control characters and terminal escape codes are escaped on output (issue 8: terminal output)",
          "[text][terminal]") {
    CHECK(text::forTerminal("Smith, John") == "Smith, John");
    CHECK(text::forTerminal("Zo\xC3\xAB") == "Zo\xC3\xAB");
    CHECK(text::forTerminal("\x1b[2J\x1b]0;owned\x07") == "\\x1b[2J\\x1b]0;owned\\x07");
    CHECK(text::forTerminal("a\nb\rc\td") == "a\\x0ab\\x0dc\\x09d");
    CHECK(text::forTerminal("\xC2\x9B" "31m") == "\\x9b31m");       // the one-byte CSI (C1)
    CHECK(text::forTerminal("abc\xE2\x80\xAE" "fdp.exe") == "abc\\u202efdp.exe");  // right-to-left override
    CHECK(text::forTerminal("Jos\xE9") == "Jos\\xe9");
}

TEST_CASE("Text enters the core as valid, printable, length-limited UTF-8 or is refused (issue 8: invalid text)",
          "[text][accept]") {
    CHECK(text::acceptText("The name", "Zo\xC3\xAB \xC3\x91" "and\xC3\xBA").ok());
    const auto latin1 = text::acceptText("The name", "Jos\xE9");
    REQUIRE_FALSE(latin1.ok());
    CHECK(latin1.error().code == facelead::ErrorCode::InvalidArgument);
    CHECK_THAT(latin1.error().message, Catch::StartsWith("The name is not valid UTF-8"));
    CHECK_THAT(latin1.error().message, Catch::Contains("\\xe9"));
    CHECK_THAT(text::acceptText("The name", "a\x1b[31m").error().message, Catch::Contains("control character"));
    CHECK_FALSE(text::acceptText("The name", "line\nbreak").ok());
    CHECK(text::acceptText("The note", "line\nbreak\ttab", text::TextKind::FreeText).ok());
    CHECK(text::acceptText("The name", std::string(text::kMaxNameChars, 'x')).ok());
    CHECK_THAT(text::acceptText("The name", std::string(text::kMaxNameChars + 1, 'x')).error().message,
               Catch::Contains("at most 200"));
    // Length counts characters, not bytes: 200 two-byte letters are fine.
    std::string accented;
    for (std::size_t i = 0; i < text::kMaxNameChars; ++i) accented += "\xC3\xA9";
    CHECK(text::acceptText("The name", accented).ok());
}

TEST_CASE("A count says its noun in the singular for one (never '1 photos')", "[text][counted]") {
    CHECK(facelead::text::counted(0, "photo", "photos") == "0 photos");
    CHECK(facelead::text::counted(1, "photo", "photos") == "1 photo");
    CHECK(facelead::text::counted(2, "entry", "entries") == "2 entries");
}

TEST_CASE("A number in a message has the decimals asked for and a point, whatever the C locale", "[text][decimal]") {
    CHECK(text::decimal(0.0512, 3) == "0.051");
    CHECK(text::decimal(0.0, 3) == "0.000");
    CHECK(text::decimal(27.44, 1) == "27.4");
    CHECK(text::decimal(2, 2) == "2.00");
    CHECK(text::decimal(-0.125, 1) == "-0.1");
}

// Trial 12: the case history read "checked alibi.. Evidence" — the joiner added a full stop after one typed.
TEST_CASE("Typed text joined into a sentence gets one full stop, never a second", "[text][sentence]") {
    using facelead::text::sentence;
    CHECK(sentence("checked alibi") == "checked alibi.");
    CHECK(sentence("checked alibi.") == "checked alibi.");
    CHECK(sentence("checked alibi.  \n") == "checked alibi.");
    CHECK(sentence("Was he there?") == "Was he there?");
    CHECK(sentence("He said \"no.\"") == "He said \"no.\"");
    CHECK(sentence("(see the pawn ticket.)") == "(see the pawn ticket.)");
    CHECK(sentence("see VI.B.3 (follow-up)") == "see VI.B.3 (follow-up).");
    CHECK(sentence("and so on\u2026") == "and so on\u2026");
    CHECK(sentence("   ").empty());
}
