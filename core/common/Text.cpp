#include "core/common/Text.h"

#include <array>
#include <charconv>
#include <cctype>
#include <cstdint>

namespace facelead::text {
namespace {

// Length of the valid UTF-8 sequence starting at text[pos], or 0 when the bytes there are not valid UTF-8
// (RFC 3629: the ranges of table 3-7 of the Unicode standard).
std::size_t sequenceLength(std::string_view text, std::size_t pos) {
    const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
    const std::uint8_t lead = byte(pos);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    std::uint8_t low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;   // no overlongs
        if (lead == 0xED) high = 0x9F;  // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
    } else {
        return 0;
    }
    if (pos + length > text.size()) return 0;
    if (byte(pos + 1) < low || byte(pos + 1) > high) return 0;
    for (std::size_t i = 2; i < length; ++i)
        if (byte(pos + i) < 0x80 || byte(pos + i) > 0xBF) return 0;
    return length;
}

char32_t codePoint(std::string_view text, std::size_t pos, std::size_t length) {
    const auto byte = [&](std::size_t i) { return static_cast<char32_t>(static_cast<std::uint8_t>(text[pos + i])); };
    switch (length) {
    case 1: return byte(0);
    case 2: return (byte(0) & 0x1F) << 6 | (byte(1) & 0x3F);
    case 3: return (byte(0) & 0x0F) << 12 | (byte(1) & 0x3F) << 6 | (byte(2) & 0x3F);
    default: return (byte(0) & 0x07) << 18 | (byte(1) & 0x3F) << 12 | (byte(2) & 0x3F) << 6 | (byte(3) & 0x3F);
    }
}

// Characters a terminal acts on rather than shows: C0, DEL, C1 (CSI = U+009B), and the bidirectional
// embeddings, overrides and isolates that reorder what follows ("Trojan source").
bool isControl(char32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

std::string hexEscape(std::uint8_t byte) {
    static constexpr std::array<char, 16> digits{'0', '1', '2', '3', '4', '5', '6', '7',
                                                 '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    return std::string("\\x") + digits[byte >> 4] + digits[byte & 0xF];
}

std::string unicodeEscape(char32_t c) {
    std::string out = "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += "0123456789abcdef"[(c >> shift) & 0xF];
    return out;
}

}  // namespace

std::size_t firstInvalidUtf8(std::string_view text) {
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t length = sequenceLength(text, pos);
        if (length == 0) return pos;
        pos += length;
    }
    return std::string_view::npos;
}

bool isValidUtf8(std::string_view text) { return firstInvalidUtf8(text) == std::string_view::npos; }

std::string escapedText(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() + 8);
    for (std::size_t pos = 0; pos < bytes.size();) {
        const std::size_t length = sequenceLength(bytes, pos);
        if (length == 0) {
            out += hexEscape(static_cast<std::uint8_t>(bytes[pos++]));
        } else if (bytes[pos] == '\\') {
            out += "\\\\";
            ++pos;
        } else {
            out.append(bytes.substr(pos, length));
            pos += length;
        }
    }
    return out;
}

std::string pathText(const std::filesystem::path& path) { return escapedText(path.native()); }

std::string forTerminal(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t length = sequenceLength(text, pos);
        if (length == 0) {
            out += hexEscape(static_cast<std::uint8_t>(text[pos++]));
            continue;
        }
        const char32_t c = codePoint(text, pos, length);
        if (!isControl(c)) out.append(text.substr(pos, length));
        else if (c < 0x100) out += hexEscape(static_cast<std::uint8_t>(c));
        else out += unicodeEscape(c);
        pos += length;
    }
    return out;
}

Result<std::string> acceptText(std::string_view what, std::string_view value, TextKind kind) {
    const std::string field(what);
    if (const std::size_t bad = firstInvalidUtf8(value); bad != std::string_view::npos)
        return makeError(ErrorCode::InvalidArgument,
                         field + " is not valid UTF-8 text (byte " + hexEscape(static_cast<std::uint8_t>(value[bad])) +
                             " at position " + std::to_string(bad + 1) +
                             "). Save the list or text as UTF-8 (Unicode) and try again.");
    std::size_t characters = 0;
    for (std::size_t pos = 0; pos < value.size();) {
        const std::size_t length = sequenceLength(value, pos);
        const char32_t c = codePoint(value, pos, length);
        const bool allowedBreak = kind == TextKind::FreeText && (c == '\n' || c == '\r' || c == '\t');
        if (isControl(c) && !allowedBreak)
            return makeError(ErrorCode::InvalidArgument,
                             field + " contains a control character (" +
                                 (c < 0x100 ? hexEscape(static_cast<std::uint8_t>(c)) : unicodeEscape(c)) +
                                 " at character " + std::to_string(characters + 1) +
                                 "); only printable text is accepted.");
        ++characters;
        pos += length;
    }
    const std::size_t limit = kind == TextKind::Name ? kMaxNameChars : kMaxFreeTextChars;
    if (characters > limit)
        return makeError(ErrorCode::InvalidArgument, field + " is " + std::to_string(characters) +
                                                         " characters long; at most " + std::to_string(limit) +
                                                         " are accepted.");
    return std::string(value);
}

Result<std::string> acceptReason(std::string_view forWhat, std::string_view reason) {
    auto checked = acceptText("The reason for " + std::string(forWhat), reason, TextKind::FreeText);
    if (!checked) return checked.error();
    constexpr std::string_view kSpace = " \t\r\n";
    const std::size_t first = checked->find_first_not_of(kSpace);
    if (first == std::string::npos)
        return makeError(ErrorCode::InvalidArgument,
                         "A reason is required for " + std::string(forWhat) +
                             ", and it must not be blank: it is kept in the audit log for whoever reviews this "
                             "later (SOP 302.02 VI.C.2).");
    return checked->substr(first, checked->find_last_not_of(kSpace) - first + 1);
}

std::string sentence(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    if (text.empty()) return {};
    std::string_view end = text;
    for (std::string_view closing : {"\"", "'", ")", "]", "\u201d", "\u2019"})
        if (end.ends_with(closing)) {
            end.remove_suffix(closing.size());
            break;
        }
    for (std::string_view stop : {".", "!", "?", "\u2026"})
        if (end.ends_with(stop)) return std::string(text);
    return std::string(text) + '.';
}

std::string counted(std::size_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + ' ' + std::string(n == 1 ? one : many);
}

std::string_view trimmed(std::string_view text) {
    const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!text.empty() && space(text.front())) text.remove_prefix(1);
    while (!text.empty() && space(text.back())) text.remove_suffix(1);
    return text;
}

std::string decimal(double value, int places) {
    std::array<char, 64> text{};
    const auto written = std::to_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed, places);
    if (written.ec != std::errc{}) return std::to_string(value);  // beyond 64 characters: no message prints such a number
    return {text.data(), written.ptr};
}

}  // namespace facelead::text
