#pragma once
// Private to core/imaging: pixel conversions shared by the decoders, done a row at a time so that a
// conversion never holds a second full-size copy in a wider type.

#include <cstdint>

#include <opencv2/core.hpp>

namespace facelead::imaging::detail {

// RGBA (8-bit, straight alpha) composited on white, as a viewer shows transparency, into RGB.
inline void rgbaRowOnWhite(const std::uint8_t* rgba, std::uint8_t* rgb, int width) {
    for (int x = 0; x < width; ++x, rgba += 4, rgb += 3) {
        const unsigned alpha = rgba[3];
        for (int c = 0; c < 3; ++c) rgb[c] = static_cast<std::uint8_t>((rgba[c] * alpha + 255u * (255u - alpha) + 127u) / 255u);
    }
}

// 8-bit RGB whatever OpenCV returned (grey, BGR, BGRA composited on white, 16-bit or float), one row at a
// time into a single 3-byte-per-pixel result.
cv::Mat openCvToRgb8(const cv::Mat& decoded);

}  // namespace facelead::imaging::detail
