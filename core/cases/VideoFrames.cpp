#include "core/cases/VideoFrames.h"

#include "core/imaging/Video.h"

namespace facelead::cases {

std::optional<imaging::VideoFrameSource> frameTakenFromVideo(const ImageRecord& image) {
    if (image.kind != ImageKind::Derived || !image.recipeJson) return std::nullopt;
    const auto recipe = imaging::recipeFromJson(*image.recipeJson);
    if (!recipe || !recipe->steps.empty()) return std::nullopt;
    return recipe->videoFrame;
}

std::vector<std::int64_t> framesTakenFrom(const std::vector<ImageRecord>& images, std::int64_t videoId) {
    std::vector<std::int64_t> frames;
    for (const auto& image : images)
        if (image.parentId == videoId)
            if (const auto frame = frameTakenFromVideo(image)) frames.push_back(frame->frame);
    return frames;
}

std::optional<std::string> videoDamageFoundNow(std::span<const std::uint8_t> videoBytes,
                                               const std::vector<std::int64_t>& framesTaken) {
    auto video = imaging::Video::openStored(videoBytes);
    if (!video) return video.error().message;
    if (video->info().damage) return video->info().damage;
    for (const std::int64_t index : framesTaken) {
        auto frame = video->frameAsTaken(index);
        if (!frame) return frame.error().message;
        if (frame->image.notes.damage) return frame->image.notes.damage;
    }
    return std::nullopt;
}

}  // namespace facelead::cases
