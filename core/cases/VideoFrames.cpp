#include "core/cases/VideoFrames.h"

#include <nlohmann/json.hpp>

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
    std::vector<std::string> found;
    if (video->info().damage) found.push_back(*video->info().damage);
    auto scan = video->scanForDamage();
    if (!scan) found.push_back(scan.error().message);
    else if (scan->summary) found.push_back(*scan->summary);
    for (const std::int64_t index : framesTaken) {
        auto frame = video->frameAsTaken(index);
        if (!frame) {
            found.push_back(frame.error().message);
            continue;
        }
        // The video's own damage is said above: only what taking the frame met is added.
        if (const std::string met = imaging::damageMetTaking(*frame, video->info()); !met.empty())
            found.push_back("taking frame " + std::to_string(index) + " again: " + met);
    }
    if (found.empty()) return std::nullopt;
    std::string text = found.front();
    for (std::size_t i = 1; i < found.size(); ++i) text += "; " + found[i];
    return text;
}

std::optional<std::string> damageNoticedWhenStored(const ImageRecord& image) {
    const auto metadata = nlohmann::json::parse(image.captureMetadataJson, nullptr, false);
    if (!metadata.is_object() || !metadata.contains("damage") || !metadata["damage"].is_string()) return std::nullopt;
    return metadata["damage"].get<std::string>();
}

}  // namespace facelead::cases
