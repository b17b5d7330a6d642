#pragma once
// Text at the core's door. Everything the core stores, compares or writes as JSON is valid UTF-8: text typed
// or read from files is checked here (acceptText) and refused with a clear message when it is not; paths the
// core does not choose (file names, which on Linux are any bytes) are recorded escaped (escapedText), so
// they are kept faithfully and never abort a JSON document or a batch. Text printed to a terminal goes through
// forTerminal, so a subject name cannot carry escape codes to the investigator's screen (issue 8, item 5).
//
// Escaped text is for records of WHERE something came from (a source path, an EXIF field), never for an
// identity: a gallery subject's name derived from a file or folder name that is not UTF-8 is refused for
// that image, naming the byte (gallery/Gallery.h), because "Caf\xe9" is nobody's name and an auditor must be
// able to take a stored name as the name written (trial 9 finding 8).
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

// Any bytes as valid UTF-8 text, unambiguously: every '\' -> "\\" (always, also in valid UTF-8), each byte
// outside valid UTF-8 -> "\xHH", everything else unchanged. Injective and reversible: a "\x" preceded by an
// even number of backslashes can only come from a byte that is not UTF-8, so the Latin-1 name "Caf<0xE9>"
// ("Caf\xe9") and the literal name "Caf\xe9" ("Caf\\xe9") never give the same text (trial 9 finding 8).
// Text holding no backslash was not changed.
std::string escapedText(std::string_view bytes);

// A file path as UTF-8 text for records, JSON and messages (escapedText of its bytes).
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

// A reason an auditor reads later (removing a gallery subject, deactivating or suspending an account,
// resetting a second factor, acknowledging anchored heads...): acceptText as FreeText, then trimmed, and never
// blank. The one home of that rule and its message: InvalidArgument "A reason is required for <forWhat>, and it
// must not be blank: ..." (forWhat e.g. "removing gallery subject 12"); other problems as acceptText says them.
Result<std::string> acceptReason(std::string_view forWhat, std::string_view reason);

// Text someone typed, as a sentence in a longer text: trimmed of trailing white space and ended with a full
// stop, unless it already ends a sentence (. ! ? or …, also before a closing quote or bracket), so a joiner
// never prints "checked the alibi.. Evidence" (trial 12). "" stays "".
std::string sentence(std::string_view text);

// A count with its noun in English: counted(1, "photo", "photos") == "1 photo", counted(3, ...) == "3 photos";
// for every message that counts things (never "1 photos").
std::string counted(std::size_t n, std::string_view one, std::string_view many);

// text without the white space (ASCII) at either end.
std::string_view trimmed(std::string_view text);

// A number with `places` decimals for a message: decimal(0.0512, 3) == "0.051". Always a '.', whatever the C
// locale: the workstation runs under the user's (Qt sets it), where printf would write "0,051".
std::string decimal(double value, int places);

}  // namespace facelead::text
