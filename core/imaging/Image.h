#pragma once
// Decoded images as the core passes them around.

#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace facelead::imaging {

// Capture metadata read from the file (EXIF where present), shown in the wizard and stored with originals.
struct CaptureMetadata {
    std::optional<std::string> dateTimeOriginal;  // EXIF DateTimeOriginal as written, e.g. "2024:05:01 13:22:10"
    std::optional<std::string> cameraMake;
    std::optional<std::string> cameraModel;
    int exifOrientation = 1;  // 1..8, already applied to pixels (exactly once, whatever the format)
};

// The capture device as people read it: "Canon EOS 5D Mark II" (a model that already starts with its make is
// not prefixed with it again, as EXIF often writes it), "FaceLeadCam Model X" otherwise, the one of the two
// the file gives, or "" when it gives neither.
std::string deviceText(const CaptureMetadata& metadata);

// What intake noticed that the person using the image must be told: shown on the probe page, printed by the
// CLI, written into the enrolment report and stored with an original. An image with damage was decoded, but
// part of its data is missing or wrong (the decoder filled it in): it is never searched in silence.
struct IntakeNotes {
    std::optional<std::string> damage;  // what is damaged, for a detective
    std::size_t frameCount = 1;         // frames in an animation (GIF, animated WebP)
    std::size_t frameUsed = 0;          // 0-based index of the decoded frame

    bool damaged() const { return damage.has_value(); }
    bool animated() const { return frameCount > 1; }
    // One sentence per note ("Animated image: 3 frames, frame 1 used ..."); empty when there is nothing to say.
    std::vector<std::string> messages() const;
};

// Always 8-bit, 3 channels, **RGB order** (dlib's convention, not OpenCV's BGR), contiguous.
// Greyscale, alpha, palette and 16-bit inputs are normalised to this on intake.
struct Image {
    cv::Mat rgb;                 // CV_8UC3, RGB
    std::string format;          // "jpeg", "png", "bmp", "tiff", "webp", "pgm", "ppm", "gif" — sniffed from content
    std::uint64_t fileBytes = 0; // encoded size
    CaptureMetadata metadata;
    IntakeNotes notes;

    int width() const { return rgb.cols; }
    int height() const { return rgb.rows; }
};

}  // namespace facelead::imaging
