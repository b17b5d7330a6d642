#pragma once
// Private to core/imaging: TIFF through libtiff's RGBA interface (any photometric: RGB, grey, palette, CMYK,
// YCbCr; 8 or 16 bits), read in the orientation the file stores. OpenCV's TIFF reader flips some files by
// their orientation tag itself (libtiff's RGBA path handles the flips, not the transposes), which made the
// tag count twice; here the tag is left to intake, which applies it once for every format.

#include <cstdint>
#include <span>

#include <opencv2/core.hpp>

#include "core/common/Result.h"

namespace facelead::imaging::detail {

// The first image of the file as CV_8UC3 RGB (alpha composited on white), rows as stored.
// CorruptImage with libtiff's reason when the data is damaged or cut short.
Result<cv::Mat> decodeTiff(std::span<const std::uint8_t> bytes);

}  // namespace facelead::imaging::detail
