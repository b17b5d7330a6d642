#pragma once
// Private to core/imaging: WebP through libwebp, still or animated (libwebpdemux renders the full canvas of
// an animation frame, blending and disposal included). OpenCV 4.6 reads neither animations nor the EXIF chunk.

#include <cstddef>
#include <cstdint>
#include <span>

#include <opencv2/core.hpp>

#include "core/common/Result.h"

namespace facelead::imaging::detail {

struct WebpFrame {
    cv::Mat rgb;  // CV_8UC3 RGB, transparency composited on white
    std::size_t frameCount = 1;
};

// Frame `frame` (0-based) of the file. CorruptImage when the file is cut short or damaged; InvalidArgument
// when the frame does not exist.
Result<WebpFrame> decodeWebp(std::span<const std::uint8_t> bytes, std::size_t frame);

}  // namespace facelead::imaging::detail
