#pragma once
// Short test videos made at run time with OpenCV's VideoWriter (MJPG in AVI, or H.264 in MP4, through the FFmpeg
// backend), so no video lives in the repository (issue 10 item 5).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

namespace facelead::test {

struct TestVideoSpec {
    int frames = 30;
    double fps = 10;
    cv::Size size{320, 240};
    // Pasted (BGR, scaled to fit half the frame's height) on frames [faceFrom, faceTo); the others show none.
    std::optional<cv::Mat> faceBgr = std::nullopt;
    int faceFrom = 0, faceTo = 0;
    char codec[5] = "MJPG";  // the FOURCC; "avc1" (H.264) for an MP4 file
};

// Frame i without a face is a flat grey of level 20 + 7 * i (mod 200) with a white square whose position
// moves with i, so tests can tell which frame was decoded. Returns false when OpenCV could not write it.
bool writeTestVideo(const std::filesystem::path& file, const TestVideoSpec& spec);

// The grey level writeTestVideo gives frame i (away from its square and face).
int testVideoLevel(int frame);

// A video damaged in the middle as CCTV copies are (trial 43 F8's file): MPEG-4 part 2 in AVI (XVID, as many CCTV
// exports), 200 frames at 25 fps, `faceBgr` on every frame when given, and 3 000 bytes two fifths in overwritten. Its
// end and the four frames opening looks at decode; frames after the damage are rebuilt from it by the decoder, which
// conceals it. Returns false when OpenCV could not write it.
bool writeVideoDamagedInTheMiddle(const std::filesystem::path& file, const std::optional<cv::Mat>& faceBgr = std::nullopt);

// An MP4 file's bytes with its index (the "moov" atom) moved in front of the media data, as `ffmpeg -movflags
// +faststart` and phone and CCTV exports write it, the chunk offsets moved with it. Such a file still opens when cut
// short. Empty when the bytes are not a plain ftyp + mdat + moov file.
std::vector<std::uint8_t> movedIndexToFront(const std::vector<std::uint8_t>& mp4);

}  // namespace facelead::test
