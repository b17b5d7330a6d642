#pragma once
// Private to core/imaging: GIF through giflib (OpenCV 4.6 has no GIF decoder). One frame is rendered on the
// logical screen (the frames before it drawn and disposed as the file says, transparency shown white); the
// frames after it are counted without being decoded, so an animation cannot multiply the memory a file costs.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include <opencv2/core.hpp>

#include "core/common/Result.h"

namespace facelead::imaging::detail {

struct GifFrame {
    cv::Mat rgb;                         // CV_8UC3, RGB order
    std::size_t frameCount = 1;
    std::optional<std::string> damage;   // set when the data after the chosen frame is damaged or cut short
};

// Frame `frame` (0-based). CorruptImage when that frame cannot be read; InvalidArgument when it does not exist.
Result<GifFrame> decodeGif(std::span<const std::uint8_t> bytes, std::size_t frame);

}  // namespace facelead::imaging::detail
