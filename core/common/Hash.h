#pragma once
// SHA-256 (libsodium) for originals, models and the audit chain.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "core/common/Result.h"

namespace facelead {

std::string sha256Hex(std::span<const std::uint8_t> bytes);
std::string sha256Hex(std::string_view text);
Result<std::string> sha256FileHex(const std::filesystem::path& file);

}  // namespace facelead
