// Hand-marked faces (issue 10 item 4) on the shared labelled faces with the real models: alignment from the eye
// centres a careful examiner would click gives the detector's descriptor; a face the detectors miss can still be
// described; the quality of a marked face is never "good" on the strength of the clicks.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>

#include <opencv2/imgproc.hpp>

#include "core/face/HandMarking.h"
#include "core/imaging/Intake.h"
#include "tests/integration/face/SharedEngine.h"
#include "tests/support/TestData.h"

namespace {

using facelead::ErrorCode;
using facelead::face::DetectionPolicy;
using facelead::face::DetectorKind;
using facelead::face::Face;
using facelead::face::FaceEngine;
using facelead::face::FacePick;
using facelead::face::MarkedPoints;
using facelead::face::Point;
using facelead::face::QualityVerdict;

// Clean frontal portraits of different people (identities.csv), one per identity.
const char* const kCleanFaces[] = {
    "bbt/amy/amy1.png",
    "bbt/bernadette/bernadette1.png",
    "bbt/howard/howard1.png",
    "bbt/leonard/leonard1.png",
    "bbt/penny/penny1.png",
    "bbt/raj/raj1.png",
    "bbt/sheldon/sheldon1.png",
    "face_recognition/examples/biden.jpg",
    "face_recognition/examples/knn_examples/test/obama1.jpg",
    "face_recognition/examples/alex-lacamoire.png",
};

facelead::imaging::Image load(const std::filesystem::path& file) {
    auto image = facelead::imaging::decodeFile(file);
    REQUIRE(image.ok());
    return std::move(*image);
}

Face detectedFace(const FaceEngine& engine, const facelead::imaging::Image& image) {
    auto found = engine.analyze(image, {FacePick::Largest, true});
    REQUIRE(found.ok());
    REQUIRE(found->size() == 1);
    return found->front();
}

Point middle(const Point& a, const Point& b) { return {(a.x + b.x) / 2, (a.y + b.y) / 2}; }

// What a careful examiner clicks: the centre of each eye, here the middle of the eye corners the shape predictor
// placed (points 2,3: the eye on the left of the picture; 0,1: the other).
MarkedPoints eyeCentres(const Face& face) {
    return {middle(face.landmarks[2], face.landmarks[3]), middle(face.landmarks[0], face.landmarks[1]), std::nullopt,
            std::nullopt, std::nullopt};
}

}  // namespace

TEST_CASE("Alignment from the clicked eye centres gives the detected face's descriptor (within 0.1)",
          "[face][marking]") {
    const auto* engine = facelead::test::sharedEngine();
    const auto faces = facelead::test::requireFaces();
    if (!engine || !faces) return;
    for (const char* file : kCleanFaces) {
        CAPTURE(file);
        const auto image = load(*faces / file);
        const Face detected = detectedFace(*engine, image);
        const auto marked = engine->analyzeMarked(image, eyeCentres(detected));
        REQUIRE(marked.ok());
        CHECK(marked->detector == DetectorKind::Hand);
        REQUIRE(marked->marked.has_value());
        REQUIRE(marked->descriptor.has_value());
        const double distance = FaceEngine::distance(*marked->descriptor, *detected.descriptor);
        const double iod = detected.quality.interOcularPx;
        const auto centre = [](const facelead::face::Box& b) {
            return Point{(b.left + b.right) / 2.0, (b.top + b.bottom) / 2.0};
        };
        std::printf("hand marking: %-55s distance %.4f  box width %d vs %d  centre offset %.2f,%.2f iod\n", file, distance,
                    marked->box.width(), detected.box.width(),
                    (centre(marked->box).x - centre(detected.box).x) / iod,
                    (centre(marked->box).y - centre(detected.box).y) / iod);
        CHECK(distance < 0.1);
        // The box is where a detector would have drawn it, so the face's size is graded alike.
        CHECK(std::abs(marked->box.width() - detected.box.width()) < 0.25 * detected.box.width());
        CHECK(std::abs(centre(marked->box).x - centre(detected.box).x) < 0.3 * iod);
        CHECK(std::abs(centre(marked->box).y - centre(detected.box).y) < 0.3 * iod);
        // Honest quality: measured on the marked face, never "good" because points were given.
        CHECK(marked->quality.verdict != QualityVerdict::Good);
        CHECK(std::abs(marked->quality.interOcularPx - iod) < 1.0);
        CHECK(std::isnan(marked->quality.yawDegrees));  // eyes only: the head turn is not measured
        CHECK(std::abs(marked->quality.sharpness - detected.quality.sharpness) < 0.3 * detected.quality.sharpness);
    }
}

// A scarf over the nose and the mouth, drawn at run time: the detectors miss the face, the eyes are still there.
facelead::imaging::Image withScarf(const facelead::imaging::Image& clean, const Face& face) {
    auto image = clean;
    image.rgb = clean.rgb.clone();
    const auto eyes = eyeCentres(face);
    const auto& box = face.box;
    const int top = static_cast<int>(std::max(eyes.leftEye.y, eyes.rightEye.y) + 0.35 * face.quality.interOcularPx);
    cv::rectangle(image.rgb, cv::Point(box.left - box.width() / 4, top),
                  cv::Point(box.right + box.width() / 4, box.bottom + box.height() / 3), cv::Scalar(60, 60, 70), cv::FILLED);
    return image;
}

TEST_CASE("A face the detectors miss (a scarf over nose and mouth) is searched by marking its eyes", "[face][marking]") {
    const auto* engine = facelead::test::sharedEngine();
    const auto faces = facelead::test::requireFaces();
    if (!engine || !faces) return;
    std::vector<Face> clean;
    std::vector<facelead::imaging::Image> images;
    for (const char* file : kCleanFaces) {
        images.push_back(load(*faces / file));
        clean.push_back(detectedFace(*engine, images.back()));
    }
    int missed = 0, nearestIsSelf = 0;
    for (std::size_t i = 0; i < clean.size(); ++i) {
        CAPTURE(kCleanFaces[i]);
        const auto scarf = withScarf(images[i], clean[i]);
        const auto probe = engine->analyze(scarf, {FacePick::All, true, DetectionPolicy::Probe});
        REQUIRE(probe.ok());
        if (!probe->empty()) continue;  // found anyway: not the case under test
        ++missed;
        const auto marked = engine->analyzeMarked(scarf, eyeCentres(clean[i]));
        REQUIRE(marked.ok());
        REQUIRE(marked->descriptor.has_value());
        CHECK(marked->quality.verdict != QualityVerdict::Good);
        // Searched against the clean photos of all the identities: its own comes first.
        std::size_t nearest = 0;
        for (std::size_t k = 1; k < clean.size(); ++k) {
            if (FaceEngine::distance(*marked->descriptor, *clean[k].descriptor) <
                FaceEngine::distance(*marked->descriptor, *clean[nearest].descriptor))
                nearest = k;
        }
        std::printf("scarf: %-55s distance to own clean photo %.4f, nearest %s\n", kCleanFaces[i],
                    FaceEngine::distance(*marked->descriptor, *clean[i].descriptor), kCleanFaces[nearest]);
        if (nearest == i) ++nearestIsSelf;
    }
    CHECK(missed >= 5);
    CHECK(nearestIsSelf * 10 >= missed * 8);
}
