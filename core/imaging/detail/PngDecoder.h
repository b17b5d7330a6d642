#pragma once
// Private to core/imaging: PNG through libpng, row by row, straight to 8-bit RGB. Any bit depth, palette,
// grey, alpha or tRNS transparency is converted while each row is read (16-bit scaled, alpha composited on
// white), so a 16-bit RGBA picture costs 3 bytes per pixel, not the 8 of its samples plus float copies.
// Interlaced files are the exception: their passes need the whole picture, held as RGBA (4 bytes per pixel).

#include <cstdint>
#include <span>

#include <opencv2/core.hpp>

#include "core/common/Result.h"

namespace facelead::imaging::detail {

// CorruptImage with libpng's reason when the data is damaged or cut short.
Result<cv::Mat> decodePng(std::span<const std::uint8_t> bytes);

}  // namespace facelead::imaging::detail
