#pragma once
// Frames taken from stored videos (issue 10 item 5): the one home of two rules that the case report, the disclosure
// packet, the case window and the wizard's read-back all apply.
//   - A derived image is "a frame taken from a video, not enhanced" when its recipe names a frame and no step: its
//     own kind in every record (trial 40 F5, 74 F2: it was called an enhanced copy).
//   - A stored video's damage is found by opening the evidence again, reading it through and taking again each frame
//     the case took from it (trial 74 F1, 75 F1, 76 F5: a video whose frames the decoder rebuilt from damaged data
//     opens without complaint, and a searched frame can decode cleanly beside a damaged stretch).
//   - What was noticed when an image was stored (intake's damage of an original, the decoder's of a frame taken) is
//     kept in its capture metadata ("damage") and read back from there.
//
// Thread-safety: free functions over values; videoDamageFoundNow decodes (seconds for a long video), so it runs where
// the report or packet is made, off the UI thread.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/cases/CaseRecords.h"
#include "core/imaging/Enhancement.h"

namespace facelead::cases {

// The frame `image` is, when it is a frame taken from a video and nothing more; nothing for an original, an enhanced
// copy (of a frame too) or a recipe this build cannot read. Parses the recipe once: callers keep what it returns.
std::optional<imaging::VideoFrameSource> frameTakenFromVideo(const ImageRecord& image);

// The frames `images` took from video `videoId` (frames taken from it and nothing more), by number, in record order.
std::vector<std::int64_t> framesTakenFrom(const std::vector<ImageRecord>& images, std::int64_t videoId);

// What the stored video `videoBytes` shows now, every finding in one sentence: its damage at open (cut short, a frame
// between that does not decode), reading it through (imaging::Video::scanForDamage), and taking again each of
// `framesTaken`; nothing when all of it decodes without complaint. Never an error: a video that no longer opens or
// reads says why as its damage. As long as decoding the whole video.
std::optional<std::string> videoDamageFoundNow(std::span<const std::uint8_t> videoBytes,
                                               const std::vector<std::int64_t>& framesTaken);

// The damage noticed when `image` was stored (intake's for an original, the decoder's taking a frame); nothing when
// none was, or for records made before frames kept it.
std::optional<std::string> damageNoticedWhenStored(const ImageRecord& image);

// The printed words for damaged image data, one wording for the case report and the disclosure packet.
inline constexpr std::string_view kDamagedImageData = "DAMAGED IMAGE DATA";
inline constexpr std::string_view kWeighEveryCandidate =
    " (the decoded picture may be incomplete; weigh every candidate accordingly)";
// What a "none found" leaves unsaid (imaging::kDamageCheckedBy, shortened for a printed field).
inline constexpr std::string_view kDecoderBlindSpot = "damage the decoder reads as valid data is not seen";

}  // namespace facelead::cases
