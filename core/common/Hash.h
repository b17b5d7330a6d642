#pragma once
// SHA-256 for originals, models and the audit chain; hex text for keys and signatures.
// Thread-safe (no shared state). sha256FileHex: IoError when the file cannot be read.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Result.h"

namespace facelead {

std::string sha256Hex(std::span<const std::uint8_t> bytes);
std::string sha256Hex(std::string_view text);
Result<std::string> sha256FileHex(const std::filesystem::path& file);

// Lowercase hex of bytes; fromHex is false unless the whole text is hex of an even length.
std::string toHex(std::span<const std::uint8_t> bytes);
bool fromHex(std::string_view hex, std::vector<std::uint8_t>& out);

}  // namespace facelead
