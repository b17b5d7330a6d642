#pragma once
// Decoded images as the core passes them around.

#include <opencv2/core.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace facelead::imaging {

// Capture metadata read from the file (EXIF where present), shown in the wizard and stored with originals.
struct CaptureMetadata {
    std::optional<std::string> dateTimeOriginal;  // EXIF DateTimeOriginal as written, e.g. "2024:05:01 13:22:10"
    std::optional<std::string> cameraMake;
    std::optional<std::string> cameraModel;
    int exifOrientation = 1;  // 1..8, already applied to pixels
};

// Always 8-bit, 3 channels, **RGB order** (dlib's convention, not OpenCV's BGR), contiguous.
// Greyscale, alpha, palette and 16-bit inputs are normalised to this on intake.
struct Image {
    cv::Mat rgb;                 // CV_8UC3, RGB
    std::string format;          // "jpeg", "png", "bmp", "tiff", "webp", "pgm", "ppm", "gif" — sniffed from content
    std::uint64_t fileBytes = 0; // encoded size
    CaptureMetadata metadata;

    int width() const { return rgb.cols; }
    int height() const { return rgb.rows; }
};

}  // namespace facelead::imaging
