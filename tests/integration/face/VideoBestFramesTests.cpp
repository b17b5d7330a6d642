// Best frames of a video probe (issue 10 item 5) with the real models: a face shown in a few frames of a video
// made at run time is found there, and only there, with its timecode, box and quality.

#include <catch2/catch.hpp>

#include <opencv2/imgcodecs.hpp>

#include "core/face/BestFrames.h"
#include "core/imaging/Video.h"
#include "tests/integration/face/SharedEngine.h"
#include "tests/support/TestData.h"
#include "tests/support/TestVideo.h"

namespace facelead::test {

TEST_CASE("Best-frame suggestion finds the frames that show the face, best first", "[face][video]") {
    const auto faces = requireFaces();
    if (!faces) return;
    const face::FaceEngine* engine = sharedEngine();
    if (!engine) return;
    TempDir dir;
    const cv::Mat face = cv::imread((*faces / "bbt" / "amy" / "amy1.png").string(), cv::IMREAD_COLOR);
    REQUIRE_FALSE(face.empty());
    REQUIRE(writeTestVideo(dir / "cctv.avi", {.frames = 30, .fps = 10, .faceBgr = face, .faceFrom = 10, .faceTo = 15}));
    auto video = imaging::Video::open(dir / "cctv.avi");
    REQUIRE(video);

    std::vector<std::pair<std::size_t, std::size_t>> progress;
    auto found = face::suggestBestFrames(*engine, *video, {.samples = 12},
                                         [&](std::size_t done, std::size_t total) { progress.emplace_back(done, total); });
    REQUIRE(found);
    CHECK(found->sampled.size() == 12);
    CHECK(found->unreadable.empty());
    CHECK(progress.size() == 12);
    CHECK(progress.back() == std::pair<std::size_t, std::size_t>{12, 12});
    REQUIRE_FALSE(found->suggestions.empty());
    for (const auto& s : found->suggestions) {
        CHECK(s.frame >= 10);  // only the frames that show the face
        CHECK(s.frame < 15);
        CHECK(s.timeMs == s.frame * 100);
        CHECK(s.box.left >= 40);  // the face is pasted in the middle of the 320 px wide frame (x 64 to 256)
        CHECK(s.box.right <= 280);
    }
    for (std::size_t i = 1; i < found->suggestions.size(); ++i)
        CHECK_FALSE(face::betterProbe(found->suggestions[i].quality, found->suggestions[i - 1].quality));

    SECTION("a cancelled suggestion stops with Cancelled") {
        std::atomic<bool> cancel{true};
        auto cancelled = face::suggestBestFrames(*engine, *video, {}, {}, &cancel);
        REQUIRE_FALSE(cancelled);
        CHECK(cancelled.error().code == ErrorCode::Cancelled);
    }
    SECTION("the sample count is bounded") {
        auto refused = face::suggestBestFrames(*engine, *video, {.samples = face::BestFrameOptions::kMaxSamples + 1});
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::InvalidArgument);
    }
}

}  // namespace facelead::test
