#include "core/face/BestFrames.h"

#include <algorithm>
#include <tuple>

namespace facelead::face {
namespace {

int verdictRank(QualityVerdict verdict) {
    switch (verdict) {
    case QualityVerdict::Good: return 0;
    case QualityVerdict::Marginal: return 1;
    case QualityVerdict::Poor: return 2;
    }
    return 2;
}

}  // namespace

std::vector<std::int64_t> sampleFrames(std::int64_t frameCount, int samples) {
    std::vector<std::int64_t> frames;
    if (frameCount <= 0 || samples <= 0) return frames;
    const std::int64_t n = std::min<std::int64_t>(frameCount, samples);
    for (std::int64_t i = 0; i < n; ++i) frames.push_back((2 * i + 1) * frameCount / (2 * n));
    return frames;
}

bool betterProbe(const Quality& a, const Quality& b) {
    return std::tuple(-verdictRank(a.verdict), a.interOcularPx, a.sharpness) >
           std::tuple(-verdictRank(b.verdict), b.interOcularPx, b.sharpness);
}

Result<BestFrames> suggestBestFrames(const FaceEngine& engine, imaging::Video& video, const BestFrameOptions& options,
                                     const ProgressFn& progress, const std::atomic<bool>* cancel) {
    if (options.samples < 1 || options.samples > BestFrameOptions::kMaxSamples)
        return makeError(ErrorCode::InvalidArgument, "Sample between 1 and " +
                                                         std::to_string(BestFrameOptions::kMaxSamples) + " frames.");
    BestFrames result;
    result.sampled = sampleFrames(video.info().frameCount, options.samples);
    // Descriptors are not needed to rank: the chosen frame is analysed again on the face page.
    const AnalyzeOptions analyze{FacePick::All, /*computeDescriptors=*/false, DetectionPolicy::Probe};
    for (std::size_t i = 0; i < result.sampled.size(); ++i) {
        if (cancel && cancel->load()) return makeError(ErrorCode::Cancelled, "The best-frame search was cancelled.");
        const std::int64_t index = result.sampled[i];
        auto frame = video.frame(index);
        if (!frame) {
            if (frame.error().code != ErrorCode::CorruptVideo) return frame.error();
            result.unreadable.push_back(index);
        } else {
            auto faces = engine.analyze(frame->image, analyze, {}, cancel);
            if (!faces) return faces.error();
            for (const Face& face : *faces)
                result.suggestions.push_back({index, frame->timeMs, face.box, face.quality});
        }
        if (progress) progress(i + 1, result.sampled.size());
    }
    if (result.unreadable.size() == result.sampled.size())
        return makeError(ErrorCode::CorruptVideo, "None of the sampled frames could be decoded: the video is damaged.");
    std::ranges::stable_sort(result.suggestions,
                             [](const FrameSuggestion& a, const FrameSuggestion& b) { return betterProbe(a.quality, b.quality); });
    if (result.suggestions.size() > options.maxSuggestions) result.suggestions.resize(options.maxSuggestions);
    return result;
}

}  // namespace facelead::face
