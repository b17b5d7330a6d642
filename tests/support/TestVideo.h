#pragma once
// Short test videos made at run time with OpenCV's VideoWriter (MJPG in AVI through the FFmpeg backend), so no
// video lives in the repository (issue 10 item 5).

#include <filesystem>
#include <optional>

#include <opencv2/core.hpp>

namespace facelead::test {

struct TestVideoSpec {
    int frames = 30;
    double fps = 10;
    cv::Size size{320, 240};
    // Pasted (BGR, scaled to fit half the frame's height) on frames [faceFrom, faceTo); the others show none.
    std::optional<cv::Mat> faceBgr = std::nullopt;
    int faceFrom = 0, faceTo = 0;
};

// Frame i without a face is a flat grey of level 20 + 7 * i (mod 200) with a white square whose position
// moves with i, so tests can tell which frame was decoded. Returns false when OpenCV could not write it.
bool writeTestVideo(const std::filesystem::path& file, const TestVideoSpec& spec);

// The grey level writeTestVideo gives frame i (away from its square and face).
int testVideoLevel(int frame);

}  // namespace facelead::test
