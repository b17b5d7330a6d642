// Quality measurements and the verdict, on synthetic chips and landmarks (no model needed).

#include <catch2/catch.hpp>

#include <opencv2/imgproc.hpp>

#include "core/face/Quality.h"

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

// A textured, well-exposed chip: mid-grey with a sharp checker pattern.
cv::Mat sharpChip() {
    cv::Mat chip(150, 150, CV_8UC3, cv::Scalar::all(120));
    for (int y = 0; y < 150; y += 10)
        for (int x = (y / 10) % 2 * 10; x < 150; x += 20) chip(cv::Rect(x, y, 10, 10)).setTo(cv::Scalar::all(200));
    return chip;
}

}  // namespace

TEST_CASE("A large, sharp, frontal, well-lit face is good", "[face][quality]") {
    const auto q = facelead::face::assessQuality(Box{0, 0, 200, 200}, frontalLandmarks(80), sharpChip(), {});
    CHECK(q.verdict == QualityVerdict::Good);
    CHECK(q.reasons.empty());
    CHECK(q.faceWidthPx == 200);
    CHECK(q.interOcularPx == Approx(80));
    CHECK(std::abs(q.yawDegrees) < 1);
    CHECK(q.brightness > 120);
    CHECK(q.contrast > 30);
    CHECK(q.sharpness > 60);
}

TEST_CASE("Small, blurred, dark or turned faces are graded down with reasons", "[face][quality]") {
    SECTION("tiny face") {
        const auto q = facelead::face::assessQuality(Box{0, 0, 30, 30}, frontalLandmarks(12), sharpChip(), {});
        CHECK(q.verdict == QualityVerdict::Poor);
        REQUIRE_FALSE(q.reasons.empty());
        CHECK_THAT(q.reasons.front(), Catch::Contains("Face width"));
    }
    SECTION("blurred chip") {
        cv::Mat blurred;
        cv::GaussianBlur(sharpChip(), blurred, cv::Size(0, 0), 6);
        const auto q = facelead::face::assessQuality(Box{0, 0, 200, 200}, frontalLandmarks(80), blurred, {});
        CHECK(q.verdict == QualityVerdict::Poor);
        CHECK(q.sharpness < 20);
    }
    SECTION("dark chip") {
        const cv::Mat dark = sharpChip() * 0.2;
        const auto q = facelead::face::assessQuality(Box{0, 0, 200, 200}, frontalLandmarks(80), dark, {});
        CHECK(q.verdict == QualityVerdict::Poor);
        CHECK(q.brightness < 40);
    }
    SECTION("strongly turned head") {
        const auto q = facelead::face::assessQuality(Box{0, 0, 200, 200}, frontalLandmarks(80, 45), sharpChip(), {});
        CHECK(std::abs(q.yawDegrees) > 45);
        CHECK(q.verdict == QualityVerdict::Poor);
    }
    SECTION("slightly turned head is marginal") {
        const auto q = facelead::face::assessQuality(Box{0, 0, 200, 200}, frontalLandmarks(80, 25), sharpChip(), {});
        CHECK(std::abs(q.yawDegrees) > 25);
        CHECK(std::abs(q.yawDegrees) < 45);
        CHECK(q.verdict == QualityVerdict::Marginal);
    }
}

TEST_CASE("The verdict follows the configured thresholds", "[face][quality]") {
    QualityThresholds strict;
    strict.goodFaceWidthPx = 300;
    const auto q = facelead::face::assessQuality(Box{0, 0, 200, 200}, frontalLandmarks(80), sharpChip(), strict);
    CHECK(q.verdict == QualityVerdict::Marginal);
    CHECK(q.reasons.size() == 1);
}

TEST_CASE("Yaw has the sign of the nose's shift along the eye line", "[face][quality]") {
    CHECK(facelead::face::estimateYawDegrees(frontalLandmarks(80, 20)) ==
          Approx(-facelead::face::estimateYawDegrees(frontalLandmarks(80, -20))));
    CHECK(facelead::face::estimateYawDegrees({}) == 0);
}
