#pragma once
// Best frames of a video probe (issue 10 item 5): which frames show a face well enough to search with.
//
// Bounded work: a video of any length is sampled at `samples` evenly spaced frames (at most kMaxSamples), and
// each sample goes through the wizard's probe detection and quality (DetectionPolicy::Probe, Quality.h), so a
// suggested face is one the probe page finds again on that frame. A probe detection costs up to ~10 s on a
// 1080p frame on 2 cores (docs/PERFORMANCE.md): 12 samples, the default, is about two minutes at worst, and
// the caller shows progress and offers Cancel.
//
// Ranking: by quality verdict (good, marginal, poor), then by the eye distance in pixels (the descriptor's
// reliability grows with the face's resolution, docs/CALIBRATION.md), then by sharpness.

#include <atomic>
#include <cstdint>
#include <vector>

#include "core/common/Result.h"
#include "core/face/FaceEngine.h"
#include "core/imaging/Video.h"

namespace facelead::face {

struct BestFrameOptions {
    static constexpr int kMaxSamples = 60;
    int samples = 12;              // 1..kMaxSamples
    std::size_t maxSuggestions = 10;
};

struct FrameSuggestion {
    std::int64_t frame = 0;
    std::int64_t timeMs = 0;
    Box box;
    Quality quality;
};

struct BestFrames {
    std::vector<FrameSuggestion> suggestions;  // best first
    std::vector<std::int64_t> sampled;         // the frames looked at, in order
    std::vector<std::int64_t> unreadable;      // sampled frames that could not be decoded (damaged parts)
};

// `samples` frames spread evenly over 0..frameCount-1 (the middle of each of `samples` equal stretches), or
// every frame of a shorter video.
std::vector<std::int64_t> sampleFrames(std::int64_t frameCount, int samples);

// True when face a makes the better probe, by the ranking above.
bool betterProbe(const Quality& a, const Quality& b);

// InvalidArgument for samples outside 1..kMaxSamples; Cancelled when *cancel is set (checked between
// samples); progress(done, total) after each sample. A frame that cannot be decoded is listed in `unreadable`
// and the others are still looked at; CorruptVideo only when none could be read.
Result<BestFrames> suggestBestFrames(const FaceEngine& engine, imaging::Video& video, const BestFrameOptions& options = {},
                                     const ProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr);

}  // namespace facelead::face
