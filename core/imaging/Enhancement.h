#pragma once
// Enhancement recipes (SOP 302.02 VI.B.2): an ordered list of steps with their parameters, applied to a
// COPY of an image. apply() never writes to its input; the caller stores the result as a new, derived
// image together with the recipe (toJson), so what was done can be traced and repeated.
//
// All steps are plain OpenCV (imgproc) and take tens of milliseconds on a ~2 MP image, so the UI can run a
// whole recipe on a downscaled preview while the user moves a slider.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <opencv2/core.hpp>

#include "core/common/Result.h"

namespace facelead::imaging {

enum class Interpolation { Nearest, Linear, Cubic, Lanczos };

// Cut out a rectangle, in pixels of the image as it is at this step. Must lie inside the image.
struct CropStep {
    int x = 0, y = 0, width = 0, height = 0;
};
// Rotate by quarter turns clockwise (1..3); lossless.
struct RotateQuarterStep {
    int quarterTurns = 1;
};
// Rotate clockwise by any angle (-180..180). The canvas grows to keep every pixel; new corners are black.
struct RotateStep {
    double degrees = 0;
};
// out = in * contrast + brightness, per channel, saturated.
struct BrightnessContrastStep {
    double brightness = 0;  // -100..100
    double contrast = 1;    // 0.1..3
};
// out = 255 * (in / 255)^(1 / gamma): gamma > 1 brightens the shadows.
struct GammaStep {
    double gamma = 1;  // 0.1..5
};
// Contrast-limited adaptive histogram equalisation (CLAHE) of the luminance only, so colours keep their hue.
struct EqualizeStep {
    double clipLimit = 2;  // 0.5..40
    int tiles = 8;         // tiles per side, 1..32
};
// Edge-preserving bilateral filter.
struct DenoiseStep {
    int diameter = 5;          // 1..15 pixels
    double sigmaColor = 40;    // 1..200
    double sigmaSpace = 40;    // 1..200
};
// Unsharp mask: out = in + amount * (in - gaussian(in, radius)).
struct SharpenStep {
    double amount = 1;    // 0..5
    double radius = 1.5;  // gaussian sigma, 0.3..20 pixels
};
// Enlarge by a factor (1..8). Creates no detail that was not captured.
struct UpscaleStep {
    double factor = 2;
    Interpolation interpolation = Interpolation::Cubic;
};
// Luminance only; the result stays 3-channel RGB with equal channels.
struct GreyscaleStep {};

using EnhancementStep = std::variant<CropStep, RotateQuarterStep, RotateStep, BrightnessContrastStep, GammaStep,
                                     EqualizeStep, DenoiseStep, SharpenStep, UpscaleStep, GreyscaleStep>;

// A derived image taken from a video (issue 10 item 5) starts from frame `frame` (0-based) at `timeMs` of the
// video whose SHA-256 is videoSha256, its parent image. The core takes the frame from the stored video
// (cases::CaseService::takeVideoFrame); apply() only runs the steps, on pixels it is given.
struct VideoFrameSource {
    std::int64_t frame = 0;
    std::int64_t timeMs = 0;
    std::string videoSha256;  // 64 lower-case hex digits

    bool operator==(const VideoFrameSource&) const = default;
};

struct Recipe {
    static constexpr int kFormatVersion = 1;
    std::vector<EnhancementStep> steps;
    std::optional<VideoFrameSource> videoFrame = std::nullopt;  // set: the steps run on that frame, not on the parent's pixels
};

struct EnhancementLimits {
    std::uint64_t maxPixels = 100ull * 1000 * 1000;  // as IntakeLimits: no step may build a bigger image
};

std::string_view stepName(const EnhancementStep& step);  // "crop", "rotate90", "rotate", "brightness_contrast", ...
std::string describeStep(const EnhancementStep& step);   // "Gamma 1.20", for the case history and the report
// Its steps in order: "Gamma 1.20 → Sharpen 0.50", after the frame it starts from when it has one.
std::string describeRecipe(const Recipe& recipe);
// "Frame 12 at 00:00:00.480 of video SHA-256 9f86d0…" (the whole hash: the recipe names exactly one video).
std::string describeVideoFrame(const VideoFrameSource& source);
std::string_view interpolationName(Interpolation interpolation);  // "nearest", "linear", "cubic", "lanczos"

// InvalidArgument naming the step (1-based) and the parameter that is out of range.
Result<void> validateRecipe(const Recipe& recipe);

// {"version":1,"steps":[{"step":"gamma","gamma":1.2}, ...]} with every parameter written out; a recipe from a
// video adds "video_frame":{"frame":12,"time_ms":480,"video_sha256":"…"}.
std::string toJson(const Recipe& recipe);
// InvalidArgument for malformed JSON, an unknown version, step or parameter, a parameter of the wrong type
// or out of range. Missing parameters take their defaults.
Result<Recipe> recipeFromJson(std::string_view json);

// Applies the steps in order to a copy of rgb (CV_8UC3, RGB) and returns the new image; rgb is never
// written. InvalidArgument for a bad input or recipe (or a crop outside the image), ImageTooLarge when a
// step would exceed the limits.
Result<cv::Mat> apply(const cv::Mat& rgb, const Recipe& recipe, const EnhancementLimits& limits = {});

}  // namespace facelead::imaging
