#pragma once
// Frames taken from stored videos (issue 10 item 5): the one home of two rules that the case report, the disclosure
// packet, the case window and the wizard's read-back all apply.
//   - A derived image is "a frame taken from a video, not enhanced" when its recipe names a frame and no step: its
//     own kind in every record (trial 40 F5, 74 F2: it was called an enhanced copy).
//   - A stored video's damage is found by opening the evidence again and taking again each frame the case took from
//     it (trial 74 F1, 75 F1: a video whose frames the decoder rebuilt from damaged data opens without complaint).
//
// Thread-safety: free functions over values; videoDamageFoundNow decodes (seconds for a long video), so it runs where
// the report or packet is made, off the UI thread.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/cases/CaseRecords.h"
#include "core/imaging/Enhancement.h"

namespace facelead::cases {

// The frame `image` is, when it is a frame taken from a video and nothing more; nothing for an original, an enhanced
// copy (of a frame too) or a recipe this build cannot read. Parses the recipe once: callers keep what it returns.
std::optional<imaging::VideoFrameSource> frameTakenFromVideo(const ImageRecord& image);

// The frames `images` took from video `videoId` (frames taken from it and nothing more), by number, in record order.
std::vector<std::int64_t> framesTakenFrom(const std::vector<ImageRecord>& images, std::int64_t videoId);

// What opening the stored video `videoBytes` again finds now: its damage at open (cut short, a frame between that
// does not decode), or the damage the decoder meets taking again each of `framesTaken`; nothing when all decode
// without complaint. Never an error: a video that no longer opens says why as its damage.
std::optional<std::string> videoDamageFoundNow(std::span<const std::uint8_t> videoBytes,
                                               const std::vector<std::int64_t>& framesTaken);

}  // namespace facelead::cases
