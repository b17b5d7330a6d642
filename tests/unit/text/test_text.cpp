// Text at the core's door (core/common/Text.h): UTF-8 checks, faithful escaping, terminal-safe output.

#include <catch2/catch.hpp>

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
    CHECK(text::escapeInvalidUtf8("Zo\xC3\xAB") == "Zo\xC3\xAB");
    CHECK(text::escapeInvalidUtf8("Jos\xE9.jpg") == "Jos\\xe9.jpg");
    // Backslashes are doubled only in escaped text, so the escaping can be undone without doubt.
    CHECK(text::escapeInvalidUtf8("a\\b\xFF") == "a\\\\b\\xff");
    CHECK(text::pathText(std::filesystem::path("/tmp/Ren\xE9")) == "/tmp/Ren\\xe9");
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
