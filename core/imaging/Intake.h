#pragma once
// Image intake: sniff the format from content, check limits from the header *before* decoding
// (decompression bombs), decode, apply EXIF orientation, normalise to 8-bit RGB.

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "core/common/Result.h"
#include "core/imaging/Image.h"

namespace facelead::imaging {

struct IntakeLimits {
    std::uint64_t maxFileBytes = 64ull * 1024 * 1024;    // 64 MiB
    std::uint64_t maxPixels = 100ull * 1000 * 1000;      // 100 megapixels
};

Result<Image> decodeFile(const std::filesystem::path& file, const IntakeLimits& limits = {});
Result<Image> decodeBytes(std::span<const std::uint8_t> bytes, const IntakeLimits& limits = {});

// Encodes an RGB image losslessly as PNG (derived copies are stored this way).
Result<std::vector<std::uint8_t>> encodePng(const cv::Mat& rgb);

}  // namespace facelead::imaging
