// Trial 42 F4: a dark dot painted over each iris of a real face was rated good. The dotted copy is made here, at run
// time, from a photo of the shared faces ($FACELEAD_FACES_DIR or the default), and analysed as a probe; skipped
// (failed under CI) without the faces or the models.

#include <catch2/catch.hpp>

#include <opencv2/imgproc.hpp>

#include <cmath>

#include "core/face/FaceEngine.h"
#include "core/face/QualityJson.h"
#include "core/imaging/Intake.h"
#include "tests/support/TestData.h"

namespace {

using facelead::face::Face;
using facelead::face::FaceEngine;
using facelead::face::QualityVerdict;

// A clean, frontal studio portrait, its eyes about 50 px apart: good before and after the measure was added.
constexpr const char* kPortrait = "bbt/amy/amy1.png";

Face probeLargest(const FaceEngine& engine, const cv::Mat& rgb) {
    facelead::imaging::Image image;
    image.rgb = rgb;
    const auto found = engine.analyze(image, {facelead::face::FacePick::Largest, true, facelead::face::DetectionPolicy::Probe});
    REQUIRE(found.ok());
    REQUIRE(found->size() == 1);
    return found->front();
}

// The calibration's "dots" step: a filled, anti-aliased grey-25 dot 0.15 eye distances wide over each eye centre.
cv::Mat irisesPainted(const cv::Mat& rgb, const Face& face) {
    const auto& p = face.landmarks;
    const cv::Point2d left{(p[2].x + p[3].x) / 2.0, (p[2].y + p[3].y) / 2.0}, right{(p[0].x + p[1].x) / 2.0, (p[0].y + p[1].y) / 2.0};
    const double eyes = cv::norm(right - left);
    cv::Mat painted = rgb.clone();
    for (const cv::Point2d& eye : {left, right})
        cv::circle(painted, cv::Point(eye), int(0.075 * eyes), cv::Scalar::all(25), cv::FILLED, cv::LINE_AA);
    return painted;
}

bool saysIrisesFlat(const facelead::face::Quality& quality) {
    return std::ranges::any_of(quality.reasons, [](const std::string& r) { return r.find("irises look painted") != std::string::npos; });
}

}  // namespace

TEST_CASE("A dark dot painted over each iris of a real face is not good; the clean face stays good (trial 42 F4)",
          "[face][quality]") {
    const auto faces = facelead::test::requireFaces();
    if (!faces || !facelead::test::requireModels()) return;
    const auto engine = FaceEngine::create({});
    REQUIRE(engine.ok());
    const auto decoded = facelead::imaging::decodeFile(*faces / kPortrait);
    REQUIRE(decoded.ok());
    const facelead::face::QualityThresholds limits;

    const Face clean = probeLargest(**engine, decoded->rgb);
    CAPTURE(clean.quality.reasons);
    REQUIRE(clean.quality.interOcularPx >= limits.irisTextureFromPx);
    CHECK(clean.quality.irisTexture >= limits.goodIrisTexture);
    CHECK(clean.quality.verdict == QualityVerdict::Good);
    CHECK_FALSE(saysIrisesFlat(clean.quality));

    const Face dotted = probeLargest(**engine, irisesPainted(decoded->rgb, clean));
    CAPTURE(dotted.quality.reasons);
    CHECK(dotted.quality.irisTexture < limits.goodIrisTexture);
    CHECK(dotted.quality.verdict != QualityVerdict::Good);
    CHECK(saysIrisesFlat(dotted.quality));
    // Stored with the search (quality JSON), as the other measures are.
    const auto json = facelead::face::qualityToJson(dotted.quality);
    REQUIRE(json.contains("iris_texture"));
    CHECK(json["iris_texture"].get<double>() == Approx(dotted.quality.irisTexture));
}
