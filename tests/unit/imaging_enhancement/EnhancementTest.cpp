#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include <opencv2/core.hpp>

#include "core/imaging/Enhancement.h"

using namespace facelead;
using namespace facelead::imaging;

namespace {

// A deterministic noisy colour gradient, so every step has something to change.
cv::Mat testImage(int width = 160, int height = 120) {
    cv::Mat rgb(height, width, CV_8UC3);
    cv::RNG random(42);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            const int noise = random.uniform(-20, 20);
            rgb.at<cv::Vec3b>(y, x) = cv::Vec3b(cv::saturate_cast<uchar>(x + noise), cv::saturate_cast<uchar>(y * 2),
                                                cv::saturate_cast<uchar>(128 + noise));
        }
    }
    return rgb;
}

std::vector<uchar> bytesOf(const cv::Mat& image) { return {image.datastart, image.dataend}; }

Recipe everyStep() {
    return Recipe{{CropStep{10, 5, 120, 100}, RotateQuarterStep{1}, RotateStep{12.5},
                   BrightnessContrastStep{10, 1.2}, GammaStep{1.4}, EqualizeStep{2.0, 8}, DenoiseStep{5, 40, 40},
                   SharpenStep{1.0, 1.5}, UpscaleStep{2.0, Interpolation::Lanczos}, GreyscaleStep{}}};
}

double meanLevel(const cv::Mat& image) {
    const cv::Scalar m = cv::mean(image);
    return (m[0] + m[1] + m[2]) / 3;
}

}  // namespace

TEST_CASE("VI.B.2: applying a recipe never alters the input image") {
    const cv::Mat original = testImage();
    const auto before = bytesOf(original);
    auto result = apply(original, everyStep());
    REQUIRE(result.ok());
    CHECK(bytesOf(original) == before);
    CHECK(result->data != original.data);
    CHECK(result->type() == CV_8UC3);

    auto empty = apply(original, Recipe{});  // no steps: still a separate copy
    REQUIRE(empty.ok());
    CHECK(empty->data != original.data);
    CHECK(bytesOf(*empty) == before);
}

TEST_CASE("Crop, quarter and free rotation and upscale give the expected sizes") {
    const cv::Mat image = testImage(160, 120);
    CHECK(apply(image, Recipe{{CropStep{10, 20, 50, 40}}})->size() == cv::Size(50, 40));
    CHECK(apply(image, Recipe{{RotateQuarterStep{1}}})->size() == cv::Size(120, 160));
    CHECK(apply(image, Recipe{{RotateQuarterStep{2}}})->size() == cv::Size(160, 120));
    CHECK(apply(image, Recipe{{RotateStep{90}}})->size() == cv::Size(120, 160));
    const auto tilted = apply(image, Recipe{{RotateStep{30}}});
    CHECK(tilted->cols > 160);  // canvas grows: nothing is cut off
    CHECK(tilted->rows > 120);
    CHECK(apply(image, Recipe{{UpscaleStep{2.5, Interpolation::Cubic}}})->size() == cv::Size(400, 300));
}

TEST_CASE("A quarter turn moves pixels losslessly") {
    const cv::Mat image = testImage(160, 120);
    const auto turned = apply(image, Recipe{{RotateQuarterStep{1}}});
    // Clockwise: the top-left pixel goes to the top-right corner.
    CHECK(turned->at<cv::Vec3b>(0, 119) == image.at<cv::Vec3b>(0, 0));
    const auto back = apply(*turned, Recipe{{RotateQuarterStep{3}}});
    CHECK(bytesOf(*back) == bytesOf(image));
}

TEST_CASE("Tone steps change the levels in the expected direction") {
    const cv::Mat image = testImage();
    const double base = meanLevel(image);
    CHECK(meanLevel(*apply(image, Recipe{{BrightnessContrastStep{40, 1.0}}})) > base + 30);
    CHECK(meanLevel(*apply(image, Recipe{{GammaStep{2.0}}})) > base);
    CHECK(meanLevel(*apply(image, Recipe{{GammaStep{0.5}}})) < base);
    CHECK(bytesOf(*apply(image, Recipe{{GammaStep{1.0}}})) == bytesOf(image));
}

TEST_CASE("Equalisation spreads a dull image's luminance") {
    cv::Mat dull(100, 100, CV_8UC3);
    cv::randu(dull, 100, 130);
    cv::Scalar meanBefore, stdBefore, meanAfter, stdAfter;
    cv::meanStdDev(dull, meanBefore, stdBefore);
    cv::meanStdDev(*apply(dull, Recipe{{EqualizeStep{4.0, 4}}}), meanAfter, stdAfter);
    CHECK(stdAfter[0] > stdBefore[0]);
}

TEST_CASE("Denoise smooths and sharpen accentuates detail") {
    const cv::Mat image = testImage();
    auto roughness = [](const cv::Mat& m) {
        cv::Mat shifted = m(cv::Rect(1, 0, m.cols - 1, m.rows)), base = m(cv::Rect(0, 0, m.cols - 1, m.rows));
        return cv::norm(shifted, base, cv::NORM_L1);
    };
    CHECK(roughness(*apply(image, Recipe{{DenoiseStep{9, 80, 80}}})) < roughness(image));
    CHECK(roughness(*apply(image, Recipe{{SharpenStep{2.0, 2.0}}})) > roughness(image));
}

TEST_CASE("Greyscale keeps three equal channels") {
    const auto grey = apply(testImage(), Recipe{{GreyscaleStep{}}});
    REQUIRE(grey.ok());
    CHECK(grey->channels() == 3);
    const auto pixel = grey->at<cv::Vec3b>(50, 50);
    CHECK(pixel[0] == pixel[1]);
    CHECK(pixel[1] == pixel[2]);
}

TEST_CASE("A recipe survives a JSON round trip with every step and parameter") {
    const Recipe recipe = everyStep();
    const std::string json = toJson(recipe);
    auto parsed = recipeFromJson(json);
    REQUIRE(parsed.ok());
    REQUIRE(parsed->steps.size() == recipe.steps.size());
    CHECK(toJson(*parsed) == json);
    CHECK(json.find("\"step\":\"upscale\"") != std::string::npos);
    CHECK(json.find("\"interpolation\":\"lanczos\"") != std::string::npos);
    const cv::Mat image = testImage();
    CHECK(bytesOf(*apply(image, *parsed)) == bytesOf(*apply(image, recipe)));
}

TEST_CASE("Bad recipe JSON is refused with InvalidArgument naming the problem") {
    auto refused = [](const std::string& json, const std::string& expected) {
        auto result = recipeFromJson(json);
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().code == ErrorCode::InvalidArgument);
        CHECK_THAT(result.error().message, Catch::Contains(expected));
    };
    refused("not json", "not valid JSON");
    refused(R"({"version":2,"steps":[]})", "version");
    refused(R"({"version":1,"steps":[{"step":"beautify"}]})", "unknown enhancement step");
    refused(R"({"version":1,"steps":[{"step":"gamma","gamma":9}]})", "gamma must be between");
    refused(R"({"version":1,"steps":[{"step":"gamma","gama":1.2}]})", "unknown parameter \"gama\"");
    refused(R"({"version":1,"steps":[{"step":"crop","x":1.5,"y":0,"width":3,"height":3}]})", "whole number");
    refused(R"({"version":1,"steps":[{"step":"upscale","factor":2,"interpolation":"magic"}]})", "interpolation");
    refused(R"({"version":1,"steps":[{"step":"gamma","gamma":1},{"step":"rotate90","quarter_turns":4}]})",
            "step 2 (rotate90)");
}

TEST_CASE("Out-of-range parameters, a crop outside the image and oversize results are refused") {
    const cv::Mat image = testImage(160, 120);
    CHECK(apply(image, Recipe{{SharpenStep{-1, 1}}}).error().code == ErrorCode::InvalidArgument);
    CHECK(apply(image, Recipe{{GammaStep{std::nan("")}}}).error().code == ErrorCode::InvalidArgument);
    CHECK(apply(image, Recipe{{CropStep{100, 100, 100, 100}}}).error().code == ErrorCode::InvalidArgument);
    EnhancementLimits limits;
    limits.maxPixels = 100'000;
    CHECK(apply(image, Recipe{{UpscaleStep{3, Interpolation::Linear}}}, limits).error().code ==
          ErrorCode::ImageTooLarge);
    CHECK(apply(cv::Mat(), Recipe{}).error().code == ErrorCode::InvalidArgument);
    CHECK(apply(cv::Mat(10, 10, CV_8UC1), Recipe{}).error().code == ErrorCode::InvalidArgument);
}

TEST_CASE("Each step is described for the case history") {
    CHECK(describeStep(GammaStep{1.2}) == "Gamma: gamma 1.20");
    CHECK(describeStep(CropStep{1, 2, 3, 4}) == "Crop: x 1, y 2, width 3, height 4");
    CHECK(describeStep(GreyscaleStep{}) == "Greyscale");
    CHECK(stepName(UpscaleStep{}) == "upscale");
}
