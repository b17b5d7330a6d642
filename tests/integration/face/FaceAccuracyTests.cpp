// Accuracy of the engine on the shared labelled faces, with floors the engine meets with margin
// (measured values are in docs/CALIBRATION.md), and proof that alignment matters.
//
// Subsampling (to keep the run near a minute on 2 cores): identities.csv is limited to the first
// kImagesPerIdentity images of each identity, in file order, which keeps all 73 identities.

#include <catch2/catch.hpp>

#include <opencv2/imgproc.hpp>

#include <map>

#include "core/imaging/Intake.h"
#include "tests/integration/face/FaceEvaluation.h"
#include "tests/integration/face/SharedEngine.h"
#include "tests/support/TestData.h"

namespace {

using facelead::face::FaceEngine;
using facelead::test::Embedded;

constexpr std::size_t kImagesPerIdentity = 5;
// Floors asserted below; measured values are well above them (docs/CALIBRATION.md).
constexpr double kMinDetectionRecall = 0.80;
constexpr double kMinIou = 0.4;
constexpr double kMinRankOne = 0.97;
constexpr double kMinBalancedVerification = 0.97;
constexpr double kMinPairsAccuracy = 0.97;
// How many times more verification errors descriptors of unaligned chips must make for the test to show
// that alignment matters (measured: 3.4x on 2026-12-01, 2.6x the day before; it was 5x when every small image
// was scanned at 2x, whose boxes fit faces less tightly, so the unaligned chips cut from them were worse:
// docs/PERFORMANCE.md).
constexpr double kMinAlignmentErrorFactor = 2.0;

struct SubsetRun {
    std::vector<facelead::test::LabelledImage> labelled;
    std::vector<std::optional<facelead::face::Face>> largest;  // per image
    std::vector<Embedded> embedded;
};

// The identities subsample analysed once for all tests of this file.
const SubsetRun& identitySubset(const FaceEngine& engine, const std::filesystem::path& faces) {
    static const SubsetRun run = [&] {
        SubsetRun r;
        r.labelled = facelead::test::readIdentities(faces, kImagesPerIdentity);
        std::vector<std::filesystem::path> files;
        for (const auto& image : r.labelled) files.push_back(image.file);
        const auto items = engine.analyzeFiles(files, {facelead::face::FacePick::Largest, true});
        for (std::size_t i = 0; i < items.size(); ++i) {
            const bool found = items[i].faces.ok() && !items[i].faces->empty();
            r.largest.push_back(found ? std::optional(items[i].faces->front()) : std::nullopt);
            r.embedded.push_back({r.labelled[i].identity, found ? r.largest.back()->descriptor : std::nullopt});
        }
        return r;
    }();
    return run;
}

// What a naive pipeline does: cut the detector's box and stretch it to 150x150, no landmarks, no rotation.
cv::Mat unalignedChip(const facelead::imaging::Image& image, const facelead::face::Box& box) {
    const cv::Rect rect = cv::Rect(box.left, box.top, box.width(), box.height()) & cv::Rect(0, 0, image.width(), image.height());
    cv::Mat chip;
    cv::resize(image.rgb(rect), chip, cv::Size(150, 150));
    return chip;
}

}  // namespace

TEST_CASE("Detection recall on dlib's annotated scenes (testing.xml)", "[face][accuracy]") {
    const auto* engine = facelead::test::sharedEngine();
    const auto faces = facelead::test::requireFaces();
    if (!engine || !faces) return;
    const auto truth = facelead::test::readDlibBoxes(*faces / "scenes" / "testing.xml");
    REQUIRE(truth.size() == 5);

    facelead::face::EngineConfig accurateConfig;
    accurateConfig.mode = facelead::face::DetectionMode::Accurate;
    accurateConfig.threads = 1;
    const auto accurate = FaceEngine::create(accurateConfig);
    REQUIRE(accurate.ok());

    facelead::test::Recall fast, cnn;
    for (const auto& image : truth) {
        const auto decoded = facelead::imaging::decodeFile(image.file);
        REQUIRE(decoded.ok());
        for (auto [engineUsed, recall] : {std::pair{engine, &fast}, std::pair{static_cast<const FaceEngine*>(accurate->get()), &cnn}}) {
            const auto found = engineUsed->analyze(*decoded, {facelead::face::FacePick::All, false});
            REQUIRE(found.ok());
            std::vector<facelead::face::Box> boxes;
            for (const auto& face : *found) boxes.push_back(face.box);
            const auto matched = facelead::test::matchDetections(image.faces, boxes, kMinIou);
            recall->found += matched.found;
            recall->total += matched.total;
        }
    }
    WARN("detection recall, fast (HOG): " << fast.found << "/" << fast.total << ", accurate (CNN): " << cnn.found
                                          << "/" << cnn.total);
    CHECK(fast.rate() >= kMinDetectionRecall);
    CHECK(cnn.rate() >= kMinDetectionRecall);
}

TEST_CASE("Identification rank-1 and verification on identities.csv", "[face][accuracy]") {
    const auto* engine = facelead::test::sharedEngine();
    const auto faces = facelead::test::requireFaces();
    if (!engine || !faces) return;
    const auto& run = identitySubset(*engine, *faces);
    REQUIRE(run.embedded.size() > 300);

    const double rankOne = facelead::test::rankOneRate(run.embedded);
    const auto verification =
        facelead::test::verifyAllPairs(run.embedded, engine->config().calibration.sameSubjectDistance);
    WARN("identities (" << run.embedded.size() << " images): rank-1 " << rankOne << ", verification TAR "
                        << verification.trueAcceptRate() << ", TRR " << verification.trueRejectRate());
    CHECK(rankOne >= kMinRankOne);
    CHECK(verification.balancedAccuracy() >= kMinBalancedVerification);
}

TEST_CASE("Same/different accuracy on deepface/master.csv at the calibrated threshold", "[face][accuracy]") {
    const auto* engine = facelead::test::sharedEngine();
    const auto faces = facelead::test::requireFaces();
    if (!engine || !faces) return;
    const auto pairs = facelead::test::readDeepfacePairs(*faces);
    REQUIRE(pairs.size() >= 299);
    std::map<std::filesystem::path, std::size_t> index;
    std::vector<std::filesystem::path> files;
    for (const auto& pair : pairs)
        for (const auto& file : {pair.first, pair.second})
            if (index.emplace(file, files.size()).second) files.push_back(file);
    const auto descriptors = facelead::test::embedLargest(*engine, files);
    std::vector<facelead::test::PairDistance> distances;
    for (const auto& pair : pairs) {
        const auto& a = descriptors[index[pair.first]];
        const auto& b = descriptors[index[pair.second]];
        distances.push_back({a && b ? std::optional(FaceEngine::distance(*a, *b)) : std::nullopt, pair.sameSubject});
    }
    const auto result = facelead::test::verifyPairs(distances, engine->config().calibration.sameSubjectDistance);
    WARN("deepface pairs: accuracy " << result.accuracy() << " (" << result.sameTotal << " same, "
                                     << result.differentTotal << " different)");
    CHECK(result.accuracy() >= kMinPairsAccuracy);
}

TEST_CASE("Chips cut without landmark alignment score clearly worse", "[face][accuracy]") {
    const auto* engine = facelead::test::sharedEngine();
    const auto faces = facelead::test::requireFaces();
    if (!engine || !faces) return;
    const auto& run = identitySubset(*engine, *faces);

    std::vector<cv::Mat> chips;
    std::vector<std::size_t> owners;
    for (std::size_t i = 0; i < run.largest.size(); ++i) {
        if (!run.largest[i]) continue;
        const auto image = facelead::imaging::decodeFile(run.labelled[i].file);
        REQUIRE(image.ok());
        chips.push_back(unalignedChip(*image, run.largest[i]->box));
        owners.push_back(i);
    }
    const auto descriptors = engine->describeChips(chips);
    REQUIRE(descriptors.ok());
    std::vector<Embedded> unaligned(run.embedded.size());
    for (std::size_t i = 0; i < run.embedded.size(); ++i) unaligned[i].identity = run.embedded[i].identity;
    for (std::size_t k = 0; k < owners.size(); ++k) unaligned[owners[k]].descriptor = (*descriptors)[k];

    const double threshold = engine->config().calibration.sameSubjectDistance;
    const double alignedRank = facelead::test::rankOneRate(run.embedded);
    const double unalignedRank = facelead::test::rankOneRate(unaligned);
    const double alignedVerification = facelead::test::verifyAllPairs(run.embedded, threshold).balancedAccuracy();
    const double unalignedVerification = facelead::test::verifyAllPairs(unaligned, threshold).balancedAccuracy();
    WARN("aligned: rank-1 " << alignedRank << ", verification " << alignedVerification << "; unaligned: rank-1 "
                            << unalignedRank << ", verification " << unalignedVerification);
    CHECK(1.0 - unalignedVerification >= kMinAlignmentErrorFactor * (1.0 - alignedVerification));
    // Not strictly better: on this subset both reach rank-1 1.0 with the boxes of the enrolment policy's
    // split 1x scan (2026-12-01), and at that ceiling rank-1 cannot tell them apart; the verification errors
    // above are the measure that does.
    CHECK(alignedRank >= unalignedRank);
}
