// Behaviour of the face engine on real images: detection, picking, fallback, determinism, batches.

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <memory>

#include <dlib/opencv.h>

#include "core/common/Paths.h"
#include "core/face/detail/HogScan.h"
#include "core/face/detail/Networks.h"
#include "core/imaging/Intake.h"
#include "tests/integration/face/FaceEvaluation.h"
#include "tests/integration/face/SharedEngine.h"
#include "tests/support/TestData.h"

namespace {

using facelead::ErrorCode;
using facelead::face::DetectorKind;
using facelead::face::FaceEngine;
using facelead::face::FacePick;

facelead::imaging::Image load(const std::filesystem::path& file) {
    auto image = facelead::imaging::decodeFile(file);
    REQUIRE(image.ok());
    return std::move(*image);
}

}  // namespace

TEST_CASE("A group photo gives every face with box, 5 landmarks, score, quality and descriptor", "[face][engine]") {
    const auto* engine = facelead::test::sharedEngine();
    const auto faces = facelead::test::requireFaces();
    if (!engine || !faces) return;
    const auto image = load(*faces / "scenes" / "2008_002506.jpg");
    const auto found = engine->analyze(image);
    REQUIRE(found.ok());
    REQUIRE(found->size() == 3);
    for (const auto& face : *found) {
        CHECK(face.box.width() > 40);
        CHECK(face.landmarks.size() == 5);
        for (const auto& p : face.landmarks) {
            CHECK(p.x >= face.box.left - face.box.width() / 2);
            CHECK(p.x <= face.box.right + face.box.width() / 2);
        }
        CHECK(face.score > 0);
        CHECK(face.detector == DetectorKind::Hog);
        REQUIRE(face.descriptor.has_value());
        CHECK(face.quality.faceWidthPx == face.box.width());
        CHECK(face.quality.interOcularPx > 10);
    }
    // Reading order: each face is in a lower row than the one before, or in the same row further right.
    for (std::size_t i = 1; i < found->size(); ++i) {
        const auto& before = (*found)[i - 1].box;
        const auto& face = (*found)[i].box;
        const double centreY = (face.top + face.bottom) / 2.0;
        CHECK((centreY > before.bottom || face.left > before.left));
    }

    SECTION("--pick largest and center give one face") {
        const auto largest = engine->analyze(image, {FacePick::Largest, false});
        REQUIRE(largest.ok());
        REQUIRE(largest->size() == 1);
        for (const auto& face : *found) CHECK(largest->front().box.width() * largest->front().box.height() >=
                                              face.box.width() * face.box.height());
        CHECK_FALSE(largest->front().descriptor.has_value());
        const auto center = engine->analyze(image, {FacePick::Center, false});
        REQUIRE(center.ok());
        CHECK(center->size() == 1);
    }
}

TEST_CASE("Descriptors are deterministic and the batch path equals the single path", "[face][engine]") {
    const auto* engine = facelead::test::sharedEngine();
    const auto faces = facelead::test::requireFaces();
    if (!engine || !faces) return;
    const auto file = *faces / "face_recognition" / "examples" / "obama.jpg";
    const auto image = load(file);
    const auto first = engine->analyze(image, {FacePick::Largest, true});
    const auto second = engine->analyze(image, {FacePick::Largest, true});
    REQUIRE(first.ok());
    REQUIRE(second.ok());
    REQUIRE(first->size() == 1);
    CHECK(*first->front().descriptor == *second->front().descriptor);

    const auto batch = engine->analyzeFiles({file, file, file}, {FacePick::Largest, true});
    for (const auto& item : batch) {
        REQUIRE(item.faces.ok());
        CHECK(*item.faces->front().descriptor == *first->front().descriptor);
    }

    SECTION("alignedChip + describeChips reproduce analyze") {
        const auto chip = engine->alignedChip(image, first->front());
        REQUIRE(chip.ok());
        CHECK(chip->rows == 150);
        const auto described = engine->describeChips({*chip});
        REQUIRE(described.ok());
        CHECK(FaceEngine::distance(described->front(), *first->front().descriptor) < 1e-5);
        CHECK(engine->describeChips({cv::Mat(10, 10, CV_8UC3)}).error().code == ErrorCode::InvalidArgument);
    }
}

TEST_CASE("The engine's OpenCV descriptor network gives dlib's descriptors", "[face][engine]") {
    const auto* engine = facelead::test::sharedEngine();
    const auto faces = facelead::test::requireFaces();
    if (!engine || !faces) return;
    facelead::face::detail::DescriptorNet dlibNet;
    dlib::deserialize((facelead::defaultModelsDir() / "dlib_face_recognition_resnet_model_v1.dat").string()) >> dlibNet;
    std::vector<cv::Mat> chips;
    for (const auto& entry : std::filesystem::directory_iterator(*faces / "johns" / "John_Salley")) {
        const auto image = load(entry.path());
        REQUIRE(image.rgb.size() == cv::Size(150, 150));
        chips.push_back(image.rgb);
    }
    REQUIRE(chips.size() >= 5);
    const auto described = engine->describeChips(chips);
    REQUIRE(described.ok());
    for (std::size_t i = 0; i < chips.size(); ++i) {
        dlib::matrix<dlib::rgb_pixel> chip;
        dlib::assign_image(chip, dlib::cv_image<dlib::rgb_pixel>(chips[i]));
        const dlib::matrix<float, 0, 1> expected = dlibNet(chip);
        facelead::face::Descriptor reference{};
        std::copy(expected.begin(), expected.end(), reference.begin());
        CHECK(FaceEngine::distance((*described)[i], reference) < 1e-4);
    }
}

// OpenCV's convolution buffers come from new float[] (core/face/detail/OpenCvDescriptorNet.cpp says why the
// engine makes large arrays start on a cache line): a buffer 32 bytes off a line made the descriptor about 1.2x
// slower, depending on what the heap held before. Small arrays keep malloc's placement.
TEST_CASE("Large arrays from array new start on a cache line in a program with the face engine", "[face][engine]") {
#if defined(__SANITIZE_ADDRESS__)
    WARN("AddressSanitizer keeps its own array new: not checked");
#else
    std::vector<std::unique_ptr<float[]>> buffers;
    for (std::size_t floats = 4096; floats <= 32768; floats += 4104) {  // 16-128 KiB, sizes not a multiple of 64
        buffers.emplace_back(new float[floats]);
        CHECK(reinterpret_cast<std::uintptr_t>(buffers.back().get()) % 64 == 0);
    }
    const std::unique_ptr<float[]> small(new float[3]);
    CHECK(reinterpret_cast<std::uintptr_t>(small.get()) % alignof(std::max_align_t) == 0);
#endif
}

// The engine's HOG scan runs a build for AVX2 where the CPU has it (core/face/detail/HogScan.h): it must find
// the generic build's faces, with the same boxes and (up to rounding) the same scores, at the sizes the
// enrolment policy scans (portraits, group photos).
TEST_CASE("The AVX2 build of the HOG scan finds the generic build's faces", "[face][engine]") {
    namespace detail = facelead::face::detail;
    const auto faces = facelead::test::requireFaces();
    if (!faces) return;
    if (detail::hogScanBuild() != detail::HogBuild::Avx2) {
        WARN("This CPU has no AVX2: only the generic HOG scan runs here");
        return;
    }
    std::vector<std::filesystem::path> files;
    for (int i = 1; i <= 20; ++i) files.push_back(*faces / "deepface" / ("img" + std::to_string(i) + ".jpg"));
    files.push_back(*faces / "face_recognition" / "examples" / "two_people.jpg");
    files.push_back(*faces / "scenes" / "bald_guys.jpg");
    auto detector = dlib::get_frontal_face_detector();
    std::size_t compared = 0;
    for (const auto& file : files) {
        dlib::matrix<dlib::rgb_pixel> image;
        dlib::assign_image(image, dlib::cv_image<dlib::rgb_pixel>(load(file).rgb));
        std::vector<dlib::rect_detection> generic, avx2;
        detail::hogScanWith(detail::HogBuild::Generic, detector, image, generic, -0.3);
        detail::hogScanWith(detail::HogBuild::Avx2, detector, image, avx2, -0.3);
        INFO(file.filename().string());
        REQUIRE(avx2.size() == generic.size());
        for (std::size_t i = 0; i < generic.size(); ++i) {
            CHECK(avx2[i].rect == generic[i].rect);
            CHECK(avx2[i].detection_confidence == Approx(generic[i].detection_confidence).margin(1e-5));
        }
        compared += generic.size();
    }
    CHECK(compared >= 25);
}

TEST_CASE("The same person at 240p and 1080p stays close; different people are far", "[face][engine]") {
    const auto* engine = facelead::test::sharedEngine();
    const auto faces = facelead::test::requireFaces();
    if (!engine || !faces) return;
    const auto examples = *faces / "face_recognition" / "examples";
    const auto descriptors = facelead::test::embedLargest(
        *engine, {examples / "obama-240p.jpg", examples / "obama-1080p.jpg", examples / "biden.jpg"});
    for (const auto& d : descriptors) REQUIRE(d.has_value());
    const double threshold = engine->config().calibration.sameSubjectDistance;
    CHECK(FaceEngine::distance(*descriptors[0], *descriptors[1]) < threshold);
    CHECK(FaceEngine::distance(*descriptors[0], *descriptors[2]) > threshold);
}

TEST_CASE("When HOG finds nothing, the CNN detector is tried", "[face][engine]") {
    const auto* engine = facelead::test::sharedEngine();
    const auto faces = facelead::test::requireFaces();
    if (!engine || !faces) return;
    // Strong side light: dlib's HOG misses this face, the MMOD CNN finds it.
    const auto found = engine->analyze(load(*faces / "yale" / "subject08.rightlight"), {FacePick::All, false});
    REQUIRE(found.ok());
    REQUIRE(found->size() == 1);
    CHECK(found->front().detector == DetectorKind::Cnn);
}

TEST_CASE("An image without a face gives an empty list, not an error", "[face][engine]") {
    const auto* engine = facelead::test::sharedEngine();
    if (!engine) return;
    facelead::imaging::Image blank;
    blank.rgb = cv::Mat(200, 300, CV_8UC3, cv::Scalar::all(90));
    const auto found = engine->analyze(blank);
    REQUIRE(found.ok());
    CHECK(found->empty());
    facelead::imaging::Image empty;
    CHECK(engine->analyze(empty).error().code == ErrorCode::InvalidArgument);
}

TEST_CASE("A bad file fails its own batch item only; cancelling marks the rest", "[face][engine]") {
    const auto* engine = facelead::test::sharedEngine();
    const auto faces = facelead::test::requireFaces();
    if (!engine || !faces) return;
    facelead::test::TempDir dir;
    std::ofstream(dir / "broken.jpg") << "definitely not a JPEG";
    const std::vector<std::filesystem::path> files{*faces / "orl" / "s1" / "1.pgm", dir / "broken.jpg",
                                                   dir / "missing.png", *faces / "orl" / "s2" / "1.pgm"};
    std::size_t lastDone = 0;
    std::mutex progressMutex;
    const auto items = engine->analyzeFiles(files, {}, [&](std::size_t done, std::size_t total) {
        const std::lock_guard lock(progressMutex);
        CHECK(total == files.size());
        lastDone = std::max(lastDone, done);
    });
    REQUIRE(items.size() == 4);
    CHECK(lastDone == 4);
    CHECK(items[0].faces.ok());
    CHECK(items[1].faces.error().code == ErrorCode::UnsupportedFormat);
    CHECK(items[2].faces.error().code == ErrorCode::IoError);
    CHECK(items[3].faces.ok());
    CHECK(items[1].file == files[1]);

    const std::atomic<bool> cancelled{true};
    const auto stopped = engine->analyzeFiles(files, {}, {}, &cancelled);
    for (const auto& item : stopped) CHECK(item.faces.error().code == ErrorCode::Cancelled);
}

TEST_CASE("Similarity is 0.5 at the calibrated threshold and falls with distance", "[face][engine]") {
    const auto* engine = facelead::test::sharedEngine();
    if (!engine) return;
    const double threshold = engine->config().calibration.sameSubjectDistance;
    CHECK(engine->similarity(threshold) == Approx(0.5));
    CHECK(engine->similarity(0) > 0.99);
    CHECK(engine->similarity(threshold * 2) < 0.01);
    CHECK(engine->similarity(0.3) > engine->similarity(0.4));
    facelead::face::Descriptor a{}, b{};
    b[0] = 3;
    b[1] = 4;
    CHECK(FaceEngine::distance(a, b) == Approx(5));
}
