#pragma once
// Private to core/imaging: what libjpeg says about a JPEG's compressed data. OpenCV's decoder keeps quiet
// when the data is corrupt or ends early (it fills the rest with grey), so the same data is read once more
// by libjpeg at 1/8 scale (entropy decoding in full, almost no pixel work) and its warnings are collected.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace facelead::imaging::detail {

// nullopt when libjpeg read the data without a complaint, else its first complaint ("Premature end of JPEG
// file", "Corrupt JPEG data: 120 extraneous bytes before marker 0xd9", ...) and how many it had.
std::optional<std::string> jpegDataProblem(std::span<const std::uint8_t> bytes);

}  // namespace facelead::imaging::detail
