#include "core/imaging/Enhancement.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <set>

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "core/common/Text.h"
#include "core/imaging/Video.h"

namespace facelead::imaging {
namespace {

using Json = nlohmann::json;

constexpr int kMaxCoordinate = 1'000'000;

constexpr std::array kInterpolations{
    std::pair{Interpolation::Nearest, std::string_view("nearest")},
    std::pair{Interpolation::Linear, std::string_view("linear")},
    std::pair{Interpolation::Cubic, std::string_view("cubic")},
    std::pair{Interpolation::Lanczos, std::string_view("lanczos")},
};

// One place lists each step's name, label and parameters with their ranges; validation, JSON and
// descriptions are all driven from it. params(step, visit) calls visit(name, member, min, max) per
// numeric parameter and visit(name, member) for the interpolation.
template <typename Step>
struct StepTraits;

template <>
struct StepTraits<CropStep> {
    static constexpr std::string_view name = "crop", label = "Crop";
    template <typename S, typename V>
    static void params(S& s, V&& visit) {
        visit("x", s.x, 0, kMaxCoordinate);
        visit("y", s.y, 0, kMaxCoordinate);
        visit("width", s.width, 1, kMaxCoordinate);
        visit("height", s.height, 1, kMaxCoordinate);
    }
};
template <>
struct StepTraits<RotateQuarterStep> {
    static constexpr std::string_view name = "rotate90", label = "Rotate by quarter turns";
    template <typename S, typename V>
    static void params(S& s, V&& visit) { visit("quarter_turns", s.quarterTurns, 1, 3); }
};
template <>
struct StepTraits<RotateStep> {
    static constexpr std::string_view name = "rotate", label = "Rotate";
    template <typename S, typename V>
    static void params(S& s, V&& visit) { visit("degrees", s.degrees, -180.0, 180.0); }
};
template <>
struct StepTraits<BrightnessContrastStep> {
    static constexpr std::string_view name = "brightness_contrast", label = "Brightness/contrast";
    template <typename S, typename V>
    static void params(S& s, V&& visit) {
        visit("brightness", s.brightness, -100.0, 100.0);
        visit("contrast", s.contrast, 0.1, 3.0);
    }
};
template <>
struct StepTraits<GammaStep> {
    static constexpr std::string_view name = "gamma", label = "Gamma";
    template <typename S, typename V>
    static void params(S& s, V&& visit) { visit("gamma", s.gamma, 0.1, 5.0); }
};
template <>
struct StepTraits<EqualizeStep> {
    static constexpr std::string_view name = "equalize", label = "Histogram equalisation (CLAHE, luminance)";
    template <typename S, typename V>
    static void params(S& s, V&& visit) {
        visit("clip_limit", s.clipLimit, 0.5, 40.0);
        visit("tiles", s.tiles, 1, 32);
    }
};
template <>
struct StepTraits<DenoiseStep> {
    static constexpr std::string_view name = "denoise", label = "Denoise (bilateral)";
    template <typename S, typename V>
    static void params(S& s, V&& visit) {
        visit("diameter", s.diameter, 1, 15);
        visit("sigma_color", s.sigmaColor, 1.0, 200.0);
        visit("sigma_space", s.sigmaSpace, 1.0, 200.0);
    }
};
template <>
struct StepTraits<SharpenStep> {
    static constexpr std::string_view name = "sharpen", label = "Sharpen (unsharp mask)";
    template <typename S, typename V>
    static void params(S& s, V&& visit) {
        visit("amount", s.amount, 0.0, 5.0);
        visit("radius", s.radius, 0.3, 20.0);
    }
};
template <>
struct StepTraits<UpscaleStep> {
    static constexpr std::string_view name = "upscale", label = "Upscale";
    template <typename S, typename V>
    static void params(S& s, V&& visit) {
        visit("factor", s.factor, 1.0, 8.0);
        visit("interpolation", s.interpolation);
    }
};
template <>
struct StepTraits<GreyscaleStep> {
    static constexpr std::string_view name = "greyscale", label = "Greyscale";
    template <typename S, typename V>
    static void params(S&, V&&) {}
};

template <typename Step>
using TraitsOf = StepTraits<std::remove_cvref_t<Step>>;

std::optional<Interpolation> interpolationFromName(std::string_view name) {
    for (const auto& [i, n] : kInterpolations) if (n == name) return i;
    return std::nullopt;
}

Error invalidStep(std::size_t index, std::string_view step, const std::string& problem) {
    return makeError(ErrorCode::InvalidArgument, "Enhancement step " + std::to_string(index + 1) + " (" +
                                                     std::string(step) + "): " + problem);
}

// --- validation

struct RangeCheck {
    std::string problem;
    template <typename T>
    void operator()(const char* name, const T& value, T min, T max) {
        if (!problem.empty()) return;
        if (!std::isfinite(static_cast<double>(value)) || value < min || value > max) {
            problem = std::string(name) + " must be between " + text::decimal(min, 2) + " and " + text::decimal(max, 2);
        }
    }
    void operator()(const char*, const Interpolation&) {}
};

Result<void> validateStep(std::size_t index, const EnhancementStep& step) {
    return std::visit(
        [&](const auto& s) -> Result<void> {
            RangeCheck check;
            TraitsOf<decltype(s)>::params(s, check);
            if (check.problem.empty()) return {};
            return invalidStep(index, TraitsOf<decltype(s)>::name, check.problem);
        },
        step);
}

// --- JSON

struct JsonWriter {
    Json& out;
    template <typename T>
    void operator()(const char* name, const T& value, T, T) { out[name] = value; }
    void operator()(const char* name, const Interpolation& value) { out[name] = interpolationName(value); }
};

struct JsonReader {
    const Json& in;
    std::string problem;

    template <typename T>
    void operator()(const char* name, T& value, T, T) {
        if (!problem.empty() || !in.contains(name)) return;
        const Json& field = in.at(name);
        if constexpr (std::is_integral_v<T>) {
            if (!field.is_number_integer()) { problem = std::string(name) + " must be a whole number"; return; }
        } else if (!field.is_number()) {
            problem = std::string(name) + " must be a number";
            return;
        }
        value = field.get<T>();
    }
    void operator()(const char* name, Interpolation& value) {
        if (!problem.empty() || !in.contains(name)) return;
        const Json& field = in.at(name);
        const auto parsed = field.is_string() ? interpolationFromName(field.get<std::string>()) : std::nullopt;
        if (!parsed) { problem = std::string(name) + " must be nearest, linear, cubic or lanczos"; return; }
        value = *parsed;
    }
};

struct KnownNames {
    std::set<std::string> names{"step"};
    template <typename T>
    void operator()(const char* name, const T&, T, T) { names.insert(name); }
    void operator()(const char* name, const Interpolation&) { names.insert(name); }
};

template <typename Step>
Result<EnhancementStep> readStep(std::size_t index, const Json& object) {
    Step step;
    KnownNames known;
    StepTraits<Step>::params(step, known);
    for (const auto& [key, unused] : object.items()) {
        if (!known.names.count(key)) return invalidStep(index, StepTraits<Step>::name, "unknown parameter \"" + key + "\"");
    }
    JsonReader reader{object, {}};
    StepTraits<Step>::params(step, reader);
    if (!reader.problem.empty()) return invalidStep(index, StepTraits<Step>::name, reader.problem);
    return EnhancementStep{step};
}

using StepReader = Result<EnhancementStep> (*)(std::size_t, const Json&);

template <typename... Steps>
constexpr auto makeReaders(std::variant<Steps...>*) {
    return std::array{std::pair{StepTraits<Steps>::name, StepReader{&readStep<Steps>}}...};
}

constexpr auto kReaders = makeReaders(static_cast<EnhancementStep*>(nullptr));

// --- descriptions: "Gamma: gamma 1.20"

struct Describer {
    std::string text;
    std::string separator = ": ";

    void add(const char* name, const std::string& value) {
        text += separator + name + " " + value;
        separator = ", ";
    }
    void operator()(const char* name, const int& value, int, int) { add(name, std::to_string(value)); }
    void operator()(const char* name, const double& value, double, double) { add(name, text::decimal(value, 2)); }
    void operator()(const char* name, const Interpolation& value) {
        add(name, std::string(interpolationName(value)));
    }
};

// --- the steps themselves: each reads `in` and returns a new image.

int cvInterpolation(Interpolation interpolation) {
    switch (interpolation) {
    case Interpolation::Nearest: return cv::INTER_NEAREST;
    case Interpolation::Linear: return cv::INTER_LINEAR;
    case Interpolation::Cubic: return cv::INTER_CUBIC;
    case Interpolation::Lanczos: return cv::INTER_LANCZOS4;
    }
    return cv::INTER_CUBIC;
}

Error tooLarge(std::uint64_t pixels, const EnhancementLimits& limits) {
    return makeError(ErrorCode::ImageTooLarge,
                     "The enhanced image would have " + std::to_string(pixels / 1'000'000) +
                         " megapixels, more than the limit of " + std::to_string(limits.maxPixels / 1'000'000) +
                         ". Crop first or choose a smaller factor.");
}

class StepRunner {
public:
    StepRunner(const cv::Mat& in, const EnhancementLimits& limits) : in_(in), limits_(limits) {}

    Result<cv::Mat> operator()(const CropStep& s) const {
        const cv::Rect rect(s.x, s.y, s.width, s.height);
        if ((rect & cv::Rect(0, 0, in_.cols, in_.rows)) != rect) {
            return makeError(ErrorCode::InvalidArgument,
                             "The crop rectangle " + std::to_string(s.width) + "x" + std::to_string(s.height) + " at " +
                                 std::to_string(s.x) + "," + std::to_string(s.y) + " goes outside the " +
                                 std::to_string(in_.cols) + "x" + std::to_string(in_.rows) + " image.");
        }
        return in_(rect).clone();
    }
    Result<cv::Mat> operator()(const RotateQuarterStep& s) const {
        static constexpr std::array kCodes{cv::ROTATE_90_CLOCKWISE, cv::ROTATE_180, cv::ROTATE_90_COUNTERCLOCKWISE};
        cv::Mat out;
        cv::rotate(in_, out, kCodes[static_cast<std::size_t>(s.quarterTurns - 1)]);
        return out;
    }
    Result<cv::Mat> operator()(const RotateStep& s) const {
        const cv::Point2f centre((in_.cols - 1) / 2.0f, (in_.rows - 1) / 2.0f);
        cv::Mat transform = cv::getRotationMatrix2D(centre, -s.degrees, 1.0);  // OpenCV: positive = anticlockwise
        const cv::Rect2f bounds = cv::RotatedRect(cv::Point2f(), in_.size(), static_cast<float>(s.degrees)).boundingRect2f();
        const int width = static_cast<int>(std::ceil(bounds.width - 1e-3f));
        const int height = static_cast<int>(std::ceil(bounds.height - 1e-3f));
        if (static_cast<std::uint64_t>(width) * height > limits_.maxPixels) {
            return tooLarge(static_cast<std::uint64_t>(width) * height, limits_);
        }
        transform.at<double>(0, 2) += (width - 1) / 2.0 - centre.x;
        transform.at<double>(1, 2) += (height - 1) / 2.0 - centre.y;
        cv::Mat out;
        cv::warpAffine(in_, out, transform, cv::Size(width, height), cv::INTER_CUBIC, cv::BORDER_CONSTANT,
                       cv::Scalar::all(0));
        return out;
    }
    Result<cv::Mat> operator()(const BrightnessContrastStep& s) const {
        cv::Mat out;
        in_.convertTo(out, -1, s.contrast, s.brightness);
        return out;
    }
    Result<cv::Mat> operator()(const GammaStep& s) const {
        cv::Mat table(1, 256, CV_8U);
        for (int i = 0; i < 256; ++i) {
            table.at<std::uint8_t>(i) = cv::saturate_cast<std::uint8_t>(255.0 * std::pow(i / 255.0, 1.0 / s.gamma));
        }
        cv::Mat out;
        cv::LUT(in_, table, out);
        return out;
    }
    Result<cv::Mat> operator()(const EqualizeStep& s) const {
        cv::Mat lab;
        cv::cvtColor(in_, lab, cv::COLOR_RGB2Lab);
        std::vector<cv::Mat> channels;
        cv::split(lab, channels);
        cv::createCLAHE(s.clipLimit, cv::Size(s.tiles, s.tiles))->apply(channels[0], channels[0]);
        cv::merge(channels, lab);
        cv::Mat out;
        cv::cvtColor(lab, out, cv::COLOR_Lab2RGB);
        return out;
    }
    Result<cv::Mat> operator()(const DenoiseStep& s) const {
        cv::Mat out;
        cv::bilateralFilter(in_, out, s.diameter, s.sigmaColor, s.sigmaSpace);
        return out;
    }
    Result<cv::Mat> operator()(const SharpenStep& s) const {
        cv::Mat blurred;
        cv::GaussianBlur(in_, blurred, cv::Size(), s.radius);
        cv::Mat out;
        cv::addWeighted(in_, 1.0 + s.amount, blurred, -s.amount, 0.0, out);
        return out;
    }
    Result<cv::Mat> operator()(const UpscaleStep& s) const {
        const int width = static_cast<int>(std::lround(in_.cols * s.factor));
        const int height = static_cast<int>(std::lround(in_.rows * s.factor));
        if (static_cast<std::uint64_t>(width) * height > limits_.maxPixels) {
            return tooLarge(static_cast<std::uint64_t>(width) * height, limits_);
        }
        cv::Mat out;
        cv::resize(in_, out, cv::Size(width, height), 0, 0, cvInterpolation(s.interpolation));
        return out;
    }
    Result<cv::Mat> operator()(const GreyscaleStep&) const {
        cv::Mat grey, out;
        cv::cvtColor(in_, grey, cv::COLOR_RGB2GRAY);
        cv::cvtColor(grey, out, cv::COLOR_GRAY2RGB);
        return out;
    }

private:
    const cv::Mat& in_;
    const EnhancementLimits& limits_;
};

// --- the video frame a recipe starts from

Result<void> validateVideoFrame(const VideoFrameSource& source) {
    const bool hexHash = source.videoSha256.size() == 64 &&
                         std::ranges::all_of(source.videoSha256, [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) && !std::isupper(static_cast<unsigned char>(c)); });
    if (source.frame < 0 || source.timeMs < 0 || !hexHash)
        return makeError(ErrorCode::InvalidArgument,
                         "The recipe's video frame needs a frame number and time of 0 or more and the video's SHA-256.");
    return {};
}

Result<VideoFrameSource> readVideoFrame(const Json& object) {
    const auto integer = [&](const char* key) { return object.contains(key) && object[key].is_number_integer(); };
    if (!object.is_object() || !integer("frame") || !integer("time_ms") || !object.contains("video_sha256") ||
        !object["video_sha256"].is_string() || object.size() != 3)
        return makeError(ErrorCode::InvalidArgument,
                         "The recipe's video frame needs exactly \"frame\", \"time_ms\" and \"video_sha256\".");
    VideoFrameSource source{object["frame"].get<std::int64_t>(), object["time_ms"].get<std::int64_t>(),
                            object["video_sha256"].get<std::string>()};
    FACELEAD_TRY(validateVideoFrame(source));
    return source;
}

}  // namespace

std::string_view stepName(const EnhancementStep& step) {
    return std::visit([](const auto& s) { return TraitsOf<decltype(s)>::name; }, step);
}

std::string_view interpolationName(Interpolation interpolation) {
    for (const auto& [i, name] : kInterpolations) if (i == interpolation) return name;
    return "cubic";
}

std::string describeStep(const EnhancementStep& step) {
    return std::visit(
        [](const auto& s) {
            Describer describer{std::string(TraitsOf<decltype(s)>::label)};
            TraitsOf<decltype(s)>::params(s, describer);
            return describer.text;
        },
        step);
}

std::string describeVideoFrame(const VideoFrameSource& source) {
    return "Frame " + std::to_string(source.frame) + " at " + timecodeText(source.timeMs) + " of video SHA-256 " +
           source.videoSha256;
}

std::string describeRecipe(const Recipe& recipe) {
    std::string text = recipe.videoFrame ? describeVideoFrame(*recipe.videoFrame) : std::string();
    for (const EnhancementStep& step : recipe.steps) text += (text.empty() ? "" : " \u2192 ") + describeStep(step);
    return text;
}

Result<void> validateRecipe(const Recipe& recipe) {
    if (recipe.videoFrame) FACELEAD_TRY(validateVideoFrame(*recipe.videoFrame));
    for (std::size_t i = 0; i < recipe.steps.size(); ++i) FACELEAD_TRY(validateStep(i, recipe.steps[i]));
    return {};
}

std::string toJson(const Recipe& recipe) {
    Json steps = Json::array();
    for (const auto& step : recipe.steps) {
        Json object = {{"step", stepName(step)}};
        std::visit([&](const auto& s) { TraitsOf<decltype(s)>::params(s, JsonWriter{object}); }, step);
        steps.push_back(std::move(object));
    }
    Json document{{"version", Recipe::kFormatVersion}, {"steps", std::move(steps)}};
    if (const auto& frame = recipe.videoFrame)
        document["video_frame"] = {{"frame", frame->frame}, {"time_ms", frame->timeMs}, {"video_sha256", frame->videoSha256}};
    return document.dump();
}

Result<Recipe> recipeFromJson(std::string_view text) {
    const Json document = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded() || !document.is_object()) {
        return makeError(ErrorCode::InvalidArgument, "The enhancement recipe is not valid JSON.");
    }
    if (!document.contains("version") || document["version"] != Recipe::kFormatVersion) {
        return makeError(ErrorCode::InvalidArgument, "The enhancement recipe has an unknown format version.");
    }
    if (!document.contains("steps") || !document["steps"].is_array()) {
        return makeError(ErrorCode::InvalidArgument, "The enhancement recipe has no list of steps.");
    }
    Recipe recipe;
    if (document.contains("video_frame")) {
        auto frame = readVideoFrame(document["video_frame"]);
        if (!frame) return frame.error();
        recipe.videoFrame = std::move(*frame);
    }
    const Json& steps = document["steps"];
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const Json& object = steps[i];
        if (!object.is_object() || !object.contains("step") || !object["step"].is_string()) {
            return invalidStep(i, "?", "each step needs a \"step\" name");
        }
        const std::string name = object["step"].get<std::string>();
        const auto reader = std::ranges::find_if(kReaders, [&](const auto& r) { return r.first == name; });
        if (reader == kReaders.end()) return invalidStep(i, name, "unknown enhancement step");
        auto step = reader->second(i, object);
        if (!step) return step.error();
        FACELEAD_TRY(validateStep(i, *step));
        recipe.steps.push_back(std::move(*step));
    }
    return recipe;
}

Result<cv::Mat> apply(const cv::Mat& rgb, const Recipe& recipe, const EnhancementLimits& limits) {
    if (rgb.empty() || rgb.type() != CV_8UC3) {
        return makeError(ErrorCode::InvalidArgument, "Enhancement needs a decoded 8-bit RGB image.");
    }
    FACELEAD_TRY(validateRecipe(recipe));
    return guard(ErrorCode::Internal, "The enhancement failed", [&]() -> Result<cv::Mat> {
        cv::Mat current = rgb;  // shares rgb's pixels but is only ever read: every step returns a new Mat
        for (const auto& step : recipe.steps) {
            auto next = std::visit(StepRunner(current, limits), step);
            if (!next) return next.error();
            current = std::move(*next);
        }
        return recipe.steps.empty() ? rgb.clone() : current;
    });
}

}  // namespace facelead::imaging
