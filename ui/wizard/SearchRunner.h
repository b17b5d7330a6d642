#pragma once
// Hands the finished wizard's request to the core's search use case (CaseService::submitSearch): the case
// (created when new), the original probe, the enhanced copy with its recipe, the search request, the 1:N
// search and its candidates, in one transaction, gate and rules checked by the core.
//
// Threading: a store job — called on the store thread (StoreOwner) with the signed-in user's services.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

#include "core/common/Result.h"
#include "core/face/FaceEngine.h"
#include "ui/wizard/SearchDraft.h"

namespace facelead::ui {

class CoreServices;

// The stored search's id. When the core refuses it because the user's own approval request, still waiting, holds its
// probes (CaseService::approvalHolding, trial 46 F5), that request's id goes to `heldBy`, so the page can offer to
// withdraw it; otherwise `heldBy` is left as it is.
Result<std::int64_t> submitSearch(CoreServices& services, const face::FaceEngine& engine, const SearchDraft& draft,
                                  const face::ProgressFn& progress, const std::atomic<bool>* cancel,
                                  std::atomic<std::int64_t>* heldBy = nullptr);

// "New search from a copy…" (issue 10 item 6): the further probes of stored search `searchId`, as the store holds
// them (CaseService::readProbeFile: each original file re-checked against its SHA-256, a video and its frame), each
// with the face that was searched in it found again: the detected face over the stored box, or the stored hand
// marking made again (issue 10 item 4). `names` are the files' names as the first wizard showed them, by position
// (only to name them). A poor probe stays acknowledged as the stored search acknowledged it; the review page lists
// it so. progress(done, total) between probes; false stops with ErrorCode::Cancelled. With them, the box of the face
// searched in the first probe, as stored, so the face page can choose that face again (trial 41 F9).
// The index of the face found again over `box` (at least half of the two boxes in common), -1 when none is.
int faceOverBox(const std::vector<face::Face>& faces, const face::Box& box);

struct CopiedProbes {
    face::Box firstFace;
    std::vector<FurtherProbeDraft> further;
};
Result<CopiedProbes> copiedProbes(CoreServices& services, const face::FaceEngine& engine, std::int64_t searchId,
                                  const std::vector<std::filesystem::path>& names,
                                  const std::function<bool(int, int)>& progress);

}  // namespace facelead::ui
