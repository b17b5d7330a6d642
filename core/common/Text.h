#pragma once
// Text at the core's door. Everything the core stores, compares or writes as JSON is valid UTF-8: text typed
// or read from files is checked here (acceptText) and refused with a clear message when it is not; names the
// core does not choose (file names, which on Linux are any bytes) are recorded escaped (escapeInvalidUtf8), so
// they are kept faithfully and never abort a JSON document or a batch. Text printed to a terminal goes through
// forTerminal, so a subject name cannot carry escape codes to the investigator's screen (issue 8, item 5).
//
// Pure functions, thread-safe.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/common/Result.h"

namespace facelead::text {

// Length limits in characters (Unicode code points), generous for any real name or note.
inline constexpr std::size_t kMaxNameChars = 200;      // person, subject, display names, record ids, case numbers
inline constexpr std::size_t kMaxFreeTextChars = 4000;  // purposes, sources, notes

// True when text is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool isValidUtf8(std::string_view text);

// Position of the first byte that is not part of valid UTF-8, or npos.
std::size_t firstInvalidUtf8(std::string_view text);

// Valid UTF-8 unchanged except '\' -> "\\"; each byte outside valid UTF-8 -> "\xHH". Reversible, so a
// Latin-1 file name is recorded faithfully. Applied only when the text is not valid UTF-8.
std::string escapeInvalidUtf8(std::string_view text);

// A file path as UTF-8 text for records, JSON and messages (escapeInvalidUtf8 of its bytes).
std::string pathText(const std::filesystem::path& path);

// For printing on a terminal: control characters (C0, DEL, C1 such as CSI), bidirectional overrides and bytes
// outside valid UTF-8 become visible escapes ("\x1b", "\u202e"); everything else is unchanged.
std::string forTerminal(std::string_view text);

enum class TextKind {
    Name,      // one line, at most kMaxNameChars
    FreeText,  // may hold line breaks and tabs, at most kMaxFreeTextChars
};

// The text as given when it is valid UTF-8, free of control characters (line breaks and tabs allowed in
// FreeText) and within its length limit; otherwise InvalidArgument naming the field (`what`, e.g. "The
// subject name") and the problem.
Result<std::string> acceptText(std::string_view what, std::string_view value, TextKind kind = TextKind::Name);

// A count with its noun in English: counted(1, "photo", "photos") == "1 photo", counted(3, ...) == "3 photos";
// for every message that counts things (never "1 photos").
std::string counted(std::size_t n, std::string_view one, std::string_view many);

}  // namespace facelead::text
