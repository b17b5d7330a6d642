// Video probes in the store (issue 10 item 5; SOP 302.02 VI.B.2): the video is the original, stored whole and
// hash-checked; the frame searched is a derived image whose recipe names the frame, its time and the video's hash.

#include <catch2/catch.hpp>

#include <fstream>

#include "core/common/Hash.h"
#include "core/imaging/Enhancement.h"
#include "tests/integration/cases/CaseWorld.h"
#include "tests/support/TestVideo.h"

namespace facelead::test {
namespace {

std::vector<std::uint8_t> testVideo(const TempDir& dir) {
    const auto file = dir / "cctv.avi";
    REQUIRE(writeTestVideo(file, {.frames = 30, .fps = 10}));
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

cases::SearchSubmission videoSubmission(const CaseWorld& world, std::span<const std::uint8_t> video, std::int64_t frame) {
    cases::SearchSubmission submission;
    submission.request = world.validRequest();
    submission.originalBytes = video;
    submission.videoFrame = frame;
    submission.probe = world.probe();  // inside the 320x240 frame
    return submission;
}

}  // namespace

TEST_CASE("VI.B.2: a search from a video frame stores the video as the original and the frame with its recipe",
          "[video][search]") {
    CaseWorld world;
    TempDir dir;
    const auto video = testVideo(dir);
    const std::string videoSha = sha256Hex(video);
    auto cases = world.service(*world.investigator);
    auto search = cases.submitSearch(videoSubmission(world, video, 12), world.backend());
    REQUIRE(search);

    auto history = cases.caseHistory(world.caseId);
    REQUIRE(history);
    REQUIRE(history->images.size() == 2);
    const cases::ImageRecord& original = history->images[0];
    const cases::ImageRecord& frame = history->images[1];
    CHECK(original.kind == cases::ImageKind::Original);
    CHECK(original.sha256 == videoSha);  // the video itself, untouched
    CHECK(original.format == "avi");
    CHECK(original.sizeBytes == std::int64_t(video.size()));
    CHECK(frame.kind == cases::ImageKind::Derived);
    CHECK(frame.parentId == original.id);
    CHECK(frame.format == "png");
    CHECK(search->imageId == frame.id);  // the frame was searched, under the request of this search
    REQUIRE(frame.recipeJson);
    auto recipe = imaging::recipeFromJson(*frame.recipeJson);
    REQUIRE(recipe);
    REQUIRE(recipe->videoFrame);
    CHECK(recipe->videoFrame->frame == 12);
    CHECK(recipe->videoFrame->timeMs == 1200);
    CHECK(recipe->videoFrame->videoSha256 == videoSha);
    CHECK(imaging::describeRecipe(*recipe) == "Frame 12 at 00:00:01.200 of video SHA-256 " + videoSha);
    REQUIRE(history->requests.size() == 1);
    CHECK(history->requests.front().id == search->requestId);

    // What screens show: the frame (the video is no picture), read back with its hash re-checked.
    auto picture = cases.readSourcePicture(search->imageId);
    REQUIRE(picture);
    CHECK(picture->record.id == frame.id);
    CHECK(picture->image.width() == 320);
    auto asPicture = cases.readImage(original.id);
    REQUIRE_FALSE(asPicture);
    CHECK(asPicture.error().code == ErrorCode::UnsupportedFormat);

    SECTION("the same frame again is the same derived image; the video is stored once per case") {
        auto again = cases.takeVideoFrame(original.id, 12);
        REQUIRE(again);
        CHECK(again->alreadyStored);
        CHECK(again->id == frame.id);
        auto other = cases.takeVideoFrame(original.id, 20);
        REQUIRE(other);
        CHECK_FALSE(other->alreadyStored);
        CHECK(world.lastAuditAction() == "image.derived");  // its audit event, with the row
        auto sameVideo = cases.storeVideo(world.caseId, video, "CCTV export, 12 Main St, camera 3");
        REQUIRE(sameVideo);
        CHECK(sameVideo->alreadyStored);
        // Another source for the same file is refused, not dropped (trial 43 F9).
        CHECK_FALSE(cases.storeVideo(world.caseId, video, "CCTV export, camera 2"));
    }
    SECTION("a frame the video does not have is refused") {
        auto missing = cases.takeVideoFrame(original.id, 30);
        REQUIRE_FALSE(missing);
        CHECK(missing.error().code == ErrorCode::InvalidArgument);
    }
}

TEST_CASE("Issue 10 item 6: a further probe may be a frame of a video, stored as the first probe's frame is",
          "[video][search][probes]") {
    CaseWorld world;
    TempDir dir;
    const auto video = testVideo(dir);
    auto cases = world.service(*world.investigator);
    auto submission = videoSubmission(world, video, 12);
    // Another frame of the same video: the same file, so the same source (trial 43 F9).
    submission.furtherProbes.push_back({.originalBytes = video, .imageSource = "CCTV export, 12 Main St, camera 3", .probe = world.probe(), .videoFrame = 20,
                                        .fileName = "cctv.avi"});
    auto search = cases.submitSearch(submission, world.backend());
    REQUIRE(search);
    REQUIRE(search->furtherProbes.size() == 1);

    auto history = cases.caseHistory(world.caseId);
    REQUIRE(history);
    REQUIRE(history->images.size() == 3);  // the video once, and its two frames
    const std::int64_t further = search->furtherProbes.front().imageId;
    CHECK(further != search->imageId);
    auto picture = cases.readSourcePicture(further);
    REQUIRE(picture);
    CHECK(picture->record.id == further);
    CHECK(picture->record.parentId == history->images[0].id);
    auto recipe = imaging::recipeFromJson(picture->record.recipeJson.value_or(""));
    REQUIRE(recipe);
    REQUIRE(recipe->videoFrame);
    CHECK(recipe->videoFrame->frame == 20);
}

TEST_CASE("A video over the agency's limit, or damaged, is refused and leaves nothing behind", "[video][search]") {
    CaseWorld world;
    TempDir dir;
    const auto video = testVideo(dir);
    const auto imagesBefore = world.rowCount("images");

    SECTION("over the limit") {
        workflow::PolicySettings settings;
        settings.maxVideoBytes = video.size() - 1;
        cases::CaseService cases(*world.investigator, settings);
        auto refused = cases.submitSearch(videoSubmission(world, video, 0), world.backend());
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::FileTooLarge);
        CHECK_THAT(refused.error().message, Catch::Contains("the agency allows"));
    }
    SECTION("damaged") {
        std::vector<std::uint8_t> damaged(video.begin(), video.begin() + 12);  // "RIFF....AVI " and nothing usable
        damaged.resize(4096, 0x33);
        auto refused = world.service(*world.investigator).submitSearch(videoSubmission(world, damaged, 0), world.backend());
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::CorruptVideo);
    }
    CHECK(world.rowCount("images") == imagesBefore);
    CHECK(world.rowCount("search_requests") == 0);
}

}  // namespace facelead::test
