// Quality measurements and the verdict, on synthetic chips and landmarks (no model needed).

#include <catch2/catch.hpp>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>

#include "core/face/Quality.h"
#include "core/face/QualityJson.h"
#include "core/face/detail/ChipGeometry.h"

namespace {

using facelead::face::Box;
using facelead::face::Point;
using facelead::face::QualityThresholds;
using facelead::face::QualityVerdict;

// 5 points as shape_predictor_5_face_landmarks orders them: eye corners (0,1), (2,3), nose base (4).
std::vector<Point> frontalLandmarks(double eyeDistance, double noseShift = 0) {
    const double cx = 100, cy = 100, half = eyeDistance / 2, corner = eyeDistance / 5;
    return {{cx + half + corner, cy}, {cx + half - corner, cy}, {cx - half - corner, cy}, {cx - half + corner, cy},
            {cx + noseShift, cy + eyeDistance * 0.7}};
}

// A textured, well-exposed chip: a sharp checker pattern, mean luminance 120, standard deviation 50 (within the
// calibrated limits for brightness and contrast, docs/CALIBRATION.md). Its dark squares carry a fine grain (70 +- 8,
// pixel by pixel) as a face's dark parts do: one at an eye centre would otherwise be a flat dark patch there, which
// the iris texture reads as a painted iris (trial 42 F4).
cv::Mat sharpChip() {
    cv::Mat chip(150, 150, CV_8UC3);
    for (int y = 0; y < 150; ++y)
        for (int x = 0; x < 150; ++x) chip.at<cv::Vec3b>(y, x) = cv::Vec3b::all((x + y) % 2 ? 78 : 62);
    for (int y = 0; y < 150; y += 10)
        for (int x = (y / 10) % 2 * 10; x < 150; x += 20) chip(cv::Rect(x, y, 10, 10)).setTo(cv::Scalar::all(170));
    return chip;
}

// assessQuality without OpenCV's eye detector: the synthetic chips here have no eyes for it to find. "Eyes seen" is
// tested on real faces (tests/integration/face, "never good").
facelead::face::Quality assessWithoutEyeCheck(const Box& box, const std::vector<Point>& landmarks,
                                              const facelead::face::AlignedChip& chip,
                                              const QualityThresholds& thresholds, const cv::Mat& imageRgb = {}) {
    return facelead::face::assessQuality(box, landmarks, chip, thresholds, imageRgb, facelead::face::EyeCheck::Skip);
}

}  // namespace

TEST_CASE("A large, sharp, frontal, well-lit face is good", "[face][quality]") {
    const auto q = assessWithoutEyeCheck(Box{0, 0, 200, 200}, frontalLandmarks(80), {sharpChip()}, {});
    CHECK(q.verdict == QualityVerdict::Good);
    CHECK(q.reasons.empty());
    CHECK(q.faceWidthPx == 200);
    CHECK(q.interOcularPx == Approx(80));
    CHECK(std::abs(q.yawDegrees) < 1);
    CHECK(q.brightness > 100);
    CHECK(q.contrast > 30);
    CHECK(q.sharpness > QualityThresholds{}.goodSharpness);
}

TEST_CASE("Small, blurred, dark or turned faces are graded down with reasons", "[face][quality]") {
    SECTION("tiny face") {
        const auto q = assessWithoutEyeCheck(Box{0, 0, 30, 30}, frontalLandmarks(12), {sharpChip()}, {});
        CHECK(q.verdict == QualityVerdict::Poor);
        REQUIRE_FALSE(q.reasons.empty());
        CHECK_THAT(q.reasons.front(), Catch::Contains("Face width"));
    }
    SECTION("blurred chip") {
        cv::Mat blurred;
        cv::GaussianBlur(sharpChip(), blurred, cv::Size(0, 0), 6);
        const auto q = assessWithoutEyeCheck(Box{0, 0, 200, 200}, frontalLandmarks(80), {blurred}, {});
        CHECK(q.verdict == QualityVerdict::Poor);
        CHECK(q.sharpness < QualityThresholds{}.poorSharpness);
    }
    SECTION("dark chip") {
        const cv::Mat dark = sharpChip() * 0.2;
        const auto q = assessWithoutEyeCheck(Box{0, 0, 200, 200}, frontalLandmarks(80), {dark}, {});
        CHECK(q.verdict == QualityVerdict::Poor);
        CHECK(q.brightness < 40);
    }
    SECTION("strongly turned head") {
        const auto q = assessWithoutEyeCheck(Box{0, 0, 200, 200}, frontalLandmarks(80, 45), {sharpChip()}, {});
        CHECK(std::abs(q.yawDegrees) > 45);
        CHECK(q.verdict == QualityVerdict::Poor);
    }
    SECTION("slightly turned head is marginal") {
        const auto q = assessWithoutEyeCheck(Box{0, 0, 200, 200}, frontalLandmarks(80, 25), {sharpChip()}, {});
        CHECK(std::abs(q.yawDegrees) > 25);
        CHECK(std::abs(q.yawDegrees) < 45);
        CHECK(q.verdict == QualityVerdict::Marginal);
    }
}

TEST_CASE("The verdict follows the configured thresholds", "[face][quality]") {
    QualityThresholds strict;
    strict.goodFaceWidthPx = 300;
    const auto q = assessWithoutEyeCheck(Box{0, 0, 200, 200}, frontalLandmarks(80), {sharpChip()}, strict);
    CHECK(q.verdict == QualityVerdict::Marginal);
    CHECK(q.reasons.size() == 1);
}

TEST_CASE("Yaw has the sign of the nose's shift along the eye line", "[face][quality]") {
    CHECK(facelead::face::estimateYawDegrees(frontalLandmarks(80, 20)) ==
          Approx(-facelead::face::estimateYawDegrees(frontalLandmarks(80, -20))));
    CHECK(facelead::face::estimateYawDegrees({}) == 0);
}

namespace {

// The frontal landmarks turned clockwise by `degrees` about the middle of the eyes.
std::vector<Point> rolledLandmarks(double degrees) {
    const double radians = degrees * CV_PI / 180, c = std::cos(radians), s = std::sin(radians);
    auto points = frontalLandmarks(80);
    for (auto& p : points) p = {100 + (p.x - 100) * c - (p.y - 100) * s, 100 + (p.x - 100) * s + (p.y - 100) * c};
    return points;
}

// A face-sized picture with smooth detail (blurred noise), as a camera gives before compression.
cv::Mat smoothPicture() {
    cv::Mat noise(200, 200, CV_8UC3);
    cv::randu(noise, cv::Scalar::all(40), cv::Scalar::all(215));
    cv::Mat picture;
    cv::GaussianBlur(noise, picture, cv::Size(0, 0), 3);
    cv::normalize(picture, picture, 30, 220, cv::NORM_MINMAX);
    return picture;
}

cv::Mat jpegCopy(const cv::Mat& rgb, int quality) {
    std::vector<unsigned char> bytes;
    cv::imencode(".jpg", rgb, bytes, {cv::IMWRITE_JPEG_QUALITY, quality});
    return cv::imdecode(bytes, cv::IMREAD_COLOR);
}

}  // namespace

TEST_CASE("Roll is the eye line's tilt and grades the face down past its limits", "[face][quality]") {
    const QualityThresholds limits;
    CHECK(facelead::face::estimateRollDegrees(frontalLandmarks(80)) == Approx(0).margin(1e-9));
    CHECK(facelead::face::estimateRollDegrees(rolledLandmarks(30)) == Approx(30));
    CHECK(facelead::face::estimateRollDegrees(rolledLandmarks(-30)) == Approx(-30));
    CHECK(std::abs(facelead::face::estimateRollDegrees(rolledLandmarks(180))) == Approx(180));
    const auto graded = [](double degrees) {
        return assessWithoutEyeCheck(Box{0, 0, 200, 200}, rolledLandmarks(degrees), {sharpChip()}, {});
    };
    CHECK(graded(limits.goodRollDegrees / 2).verdict == QualityVerdict::Good);
    CHECK(graded((limits.goodRollDegrees + limits.poorRollDegrees) / 2).verdict == QualityVerdict::Marginal);
    const auto turned = graded(-(limits.poorRollDegrees + 10));
    CHECK(turned.verdict == QualityVerdict::Poor);
    REQUIRE_FALSE(turned.reasons.empty());
    CHECK_THAT(turned.reasons.front(), Catch::Contains("tilt"));
}

TEST_CASE("JPEG blockiness: none on a clean picture, poor after heavy compression", "[face][quality]") {
    const QualityThresholds limits;
    const cv::Mat clean = smoothPicture();
    const Box face{0, 0, 200, 200};
    const double none = facelead::face::measureBlockiness(clean, face);
    CHECK(none < limits.goodBlockiness);
    CHECK(facelead::face::measureBlockiness(jpegCopy(clean, 95), face) < limits.goodBlockiness);
    const cv::Mat crushed = jpegCopy(clean, 5);
    CHECK(facelead::face::measureBlockiness(crushed, face) > limits.poorBlockiness);
    // The grid is found wherever the face's box starts, not only on multiples of 8.
    CHECK(facelead::face::measureBlockiness(crushed, Box{3, 5, 190, 197}) > limits.poorBlockiness);
    const auto q = assessWithoutEyeCheck(face, frontalLandmarks(80), {sharpChip()}, {}, crushed);
    CHECK(q.verdict == QualityVerdict::Poor);
    CHECK_THAT(q.reasons.front(), Catch::Contains("JPEG"));
    CHECK(facelead::face::measureBlockiness(clean, Box{0, 0, 20, 20}) == 1);  // too small to measure
}

TEST_CASE("Landmarks no face has are implausible: the nose on the chin or above the eyes is poor", "[face][quality]") {
    const Box box{0, 0, 200, 200};
    const auto good = assessWithoutEyeCheck(box, frontalLandmarks(80), {sharpChip()}, {});
    CHECK(good.landmarkDeviation < QualityThresholds{}.goodLandmarkDeviation);
    CHECK(good.verdict == QualityVerdict::Good);
    // The shape, not the pose: an upright face turned upside down keeps its shape (roll says it is turned).
    CHECK(facelead::face::landmarkDeviation(box, rolledLandmarks(180)) == Approx(good.landmarkDeviation));
    for (const double noseDrop : {2.0, -0.7}) {  // on the chin; above the eye line
        CAPTURE(noseDrop);
        auto points = frontalLandmarks(80);
        points[4].y = 100 + noseDrop * 80;
        const auto q = assessWithoutEyeCheck(box, points, {sharpChip()}, {});
        CHECK(q.landmarkDeviation > QualityThresholds{}.poorLandmarkDeviation);
        CHECK(q.verdict == QualityVerdict::Poor);
        CHECK_THAT(q.reasons.front(), Catch::Contains("landmarks"));
    }
    CHECK(std::isinf(facelead::face::landmarkDeviation(box, {})));
}

TEST_CASE("Sharpness follows the blur, whatever the contrast (calibration: the Laplacian variance did not)", "[face][quality]") {
    const QualityThresholds limits;
    const cv::Mat chip = sharpChip();
    double previous = facelead::face::measureSharpness(chip);
    CHECK(previous > limits.goodSharpness);
    for (const double sigma : {0.7, 1.5, 3.0}) {
        CAPTURE(sigma);
        cv::Mat blurred;
        cv::GaussianBlur(chip, blurred, cv::Size(0, 0), sigma);
        const double sharpness = facelead::face::measureSharpness(blurred);
        CHECK(sharpness < previous);
        previous = sharpness;
    }
    CHECK(previous < limits.poorSharpness);
    // A flat, low-contrast copy of the same detail is as sharp: the measure is a ratio of steps.
    cv::Mat flat;
    chip.convertTo(flat, -1, 0.3, 128 * 0.7);
    CHECK(facelead::face::measureSharpness(flat) == Approx(facelead::face::measureSharpness(chip)).margin(0.03));
}

TEST_CASE("A face that runs off the picture's edge is never good", "[face][quality]") {
    const QualityThresholds limits;
    const auto graded = [](double share) {
        return assessWithoutEyeCheck(Box{0, 0, 200, 200}, frontalLandmarks(80), {sharpChip(), share}, {});
    };
    CHECK(graded(1).verdict == QualityVerdict::Good);
    const auto cut = graded((limits.goodFaceInPicture + limits.poorFaceInPicture) / 2);
    CHECK(cut.verdict == QualityVerdict::Marginal);
    const auto half = graded(0.5);
    CHECK(half.verdict == QualityVerdict::Poor);
    CHECK(half.faceInPicture == 0.5);
    REQUIRE_FALSE(half.reasons.empty());
    CHECK_THAT(half.reasons.front(), Catch::Contains("edge of the picture"));
}

TEST_CASE("Blockiness: the straight edges of a scarf on the block grid are not JPEG blocks", "[face][quality]") {
    // Issue 10 (a hand-marked scarf probe read 1.87, docs/CALIBRATION.md): a dark band over the lower face whose
    // edges fall on the 8-pixel grid, on a picture never compressed.
    cv::Mat scarf = smoothPicture();
    cv::rectangle(scarf, cv::Rect(0, 104, 200, 96), cv::Scalar::all(25), cv::FILLED);
    cv::rectangle(scarf, cv::Rect(96, 104, 8, 96), cv::Scalar::all(200), cv::FILLED);
    CHECK(facelead::face::measureBlockiness(scarf, Box{0, 0, 200, 200}) < QualityThresholds{}.goodBlockiness);
    // Compressed hard, the same picture still reads as blocks.
    CHECK(facelead::face::measureBlockiness(jpegCopy(scarf, 5), Box{0, 0, 200, 200}) > QualityThresholds{}.poorBlockiness);
}

TEST_CASE("A search's poor-quality acknowledgement belongs to its poor probes only (trial 40 F10)", "[face][quality]") {
    facelead::face::Quality good, poor;
    poor.verdict = QualityVerdict::Poor;
    const std::string goodJson = facelead::face::qualityToJson(good).dump();
    const std::string poorJson = facelead::face::qualityToJson(poor).dump();
    CHECK(facelead::face::recordedVerdict(poorJson) == QualityVerdict::Poor);
    CHECK(facelead::face::recordedVerdict("{}") == std::nullopt);
    CHECK(facelead::face::poorQualityAcknowledged(true, poorJson));
    CHECK_FALSE(facelead::face::poorQualityAcknowledged(true, goodJson));  // was said of a good first probe
    CHECK_FALSE(facelead::face::poorQualityAcknowledged(false, poorJson));
}

namespace {

// The sharp chip with a flat patch over each eye the alignment places (both, or only the first), `size` eye distances
// wide: dark glasses, a band or a hand.
cv::Mat chipWithEyesCovered(double size, const cv::Scalar& colour, bool both) {
    using facelead::face::detail::kChipEyeCentres;
    cv::Mat chip = sharpChip();
    const double eyes = kChipEyeCentres[1].x - kChipEyeCentres[0].x;
    for (int e = 0; e < (both ? 2 : 1); ++e)
        cv::ellipse(chip, cv::Point(int(kChipEyeCentres[e].x), int(kChipEyeCentres[e].y)),
                    cv::Size(int(size * eyes / 2), int(0.375 * size * eyes)), 0, 0, 360, colour, cv::FILLED);
    return chip;
}

}  // namespace

TEST_CASE("Eyes covered by dark glasses, a band or a hand are never good (trial 40 F3)", "[face][quality]") {
    const QualityThresholds limits;
    CHECK(facelead::face::measureEyeDetail(sharpChip()) > limits.goodEyeDetail);
    for (const auto& [what, colour] : {std::pair{"dark lenses", cv::Scalar::all(20)}, std::pair{"a hand", cv::Scalar(170, 130, 110)}}) {
        CAPTURE(what);
        const auto both = assessWithoutEyeCheck(Box{0, 0, 200, 200}, frontalLandmarks(80),
                                                        {chipWithEyesCovered(0.7, colour, true)}, {});
        CHECK(both.eyeDetail < limits.poorEyeDetail);
        CHECK(both.verdict == QualityVerdict::Poor);
        REQUIRE_FALSE(both.reasons.empty());
        CHECK_THAT(both.reasons.front(), Catch::Contains("eye is covered"));
        // One eye is enough: the lesser eye counts.
        const auto one = assessWithoutEyeCheck(Box{0, 0, 200, 200}, frontalLandmarks(80),
                                                       {chipWithEyesCovered(0.7, colour, false)}, {});
        CHECK(one.eyeDetail == Approx(both.eyeDetail).margin(0.05));
        CHECK(one.verdict != QualityVerdict::Good);
    }
    // A face without detail anywhere does not pass for one with detailed eyes.
    CHECK(facelead::face::measureEyeDetail(cv::Mat(150, 150, CV_8UC3, cv::Scalar::all(128))) < limits.poorEyeDetail);
}

TEST_CASE("A 1-bit scan or a posterised copy has lost its grey levels and is poor; low light is not (trial 40 F4)",
          "[face][quality]") {
    const QualityThresholds limits;
    const cv::Mat picture = smoothPicture();
    const Box face{0, 0, 200, 200};
    CHECK(facelead::face::measureGreyLevels(picture, face) > limits.goodGreyLevels);
    // Low light keeps its tones: darker and flatter, but dozens of levels.
    CHECK(facelead::face::measureGreyLevels(cv::Mat(picture * 0.5), face) > limits.goodGreyLevels);
    cv::Mat grey, bilevel;
    cv::cvtColor(picture, grey, cv::COLOR_RGB2GRAY);
    cv::threshold(grey, bilevel, 127, 255, cv::THRESH_BINARY);
    cv::cvtColor(bilevel, bilevel, cv::COLOR_GRAY2RGB);
    CHECK(facelead::face::measureGreyLevels(bilevel, face) <= 2.0);
    const auto q = assessWithoutEyeCheck(face, frontalLandmarks(80), {sharpChip()}, {}, bilevel);
    CHECK(q.verdict == QualityVerdict::Poor);
    REQUIRE_FALSE(q.reasons.empty());
    CHECK_THAT(Catch::Detail::stringify(q.reasons), Catch::Contains("Grey levels"));
    // Without the picture the tones are not measured, and the JSON says so (null), not "2" or "256".
    const auto unmeasured = assessWithoutEyeCheck(face, frontalLandmarks(80), {sharpChip()}, {});
    CHECK(std::isnan(unmeasured.greyLevels));
    CHECK(facelead::face::qualityToJson(unmeasured)["grey_levels"].is_null());
    CHECK(facelead::face::qualityToJson(q)["grey_levels"].get<double>() <= 2.0);
}

TEST_CASE("Sensor noise is measured in grey levels and grades a grainy face down (trial 41 F7)", "[face][quality]") {
    const QualityThresholds limits;
    const cv::Mat picture = smoothPicture();
    const Box face{0, 0, 200, 200};
    CHECK(facelead::face::measureNoise(picture, face) < limits.goodNoise);
    for (const double sigma : {8.0, 20.0}) {
        CAPTURE(sigma);
        cv::Mat noise(picture.size(), CV_32FC3), grainy;
        cv::RNG(7).fill(noise, cv::RNG::NORMAL, 0, sigma);
        picture.convertTo(grainy, CV_32FC3);
        grainy += noise;
        grainy.convertTo(grainy, CV_8UC3);
        // The estimate follows the noise added: in grey, independent noise of the three channels weighs
        // (0.299^2 + 0.587^2 + 0.114^2)^(1/2) = 0.668 of it.
        CHECK(facelead::face::measureNoise(grainy, face) == Approx(0.668 * sigma).epsilon(0.3));
    }
    cv::Mat noise(picture.size(), CV_32FC3), grainy;
    cv::RNG(7).fill(noise, cv::RNG::NORMAL, 0, 3 * limits.poorNoise);
    picture.convertTo(grainy, CV_32FC3);
    grainy += noise;
    grainy.convertTo(grainy, CV_8UC3);
    const auto q = assessWithoutEyeCheck(face, frontalLandmarks(80), {sharpChip()}, {}, grainy);
    CHECK(q.verdict == QualityVerdict::Poor);
    CHECK_THAT(Catch::Detail::stringify(q.reasons), Catch::Contains("Noise on the face"));
    CHECK(std::isnan(assessWithoutEyeCheck(face, frontalLandmarks(80), {sharpChip()}, {}).noise));
}
