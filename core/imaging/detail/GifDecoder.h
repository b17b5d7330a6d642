#pragma once
// Private to core/imaging: the first frame of a GIF through giflib (OpenCV 4.6 has no GIF decoder).
// Only the first frame is decoded, so an animation cannot multiply the memory a file costs.

#include <cstdint>
#include <span>

#include <opencv2/core.hpp>

#include "core/common/Result.h"

namespace facelead::imaging::detail {

// The first frame placed on the logical screen, as CV_8UC3 in RGB order.
Result<cv::Mat> decodeGifFirstFrame(std::span<const std::uint8_t> bytes);

}  // namespace facelead::imaging::detail
