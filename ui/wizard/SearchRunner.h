#pragma once
// Hands the finished wizard's request to the core's search use case (CaseService::submitSearch): the case
// (created when new), the original probe, the enhanced copy with its recipe, the search request, the 1:N
// search and its candidates, in one transaction, gate and rules checked by the core.
//
// Threading: a store job — called on the store thread (StoreOwner) with the signed-in user's services.

#include <atomic>
#include <cstdint>

#include "core/common/Result.h"
#include "core/face/FaceEngine.h"
#include "ui/wizard/SearchDraft.h"

namespace facelead::ui {

class CoreServices;

// The stored search's id.
Result<std::int64_t> submitSearch(CoreServices& services, const face::FaceEngine& engine, const SearchDraft& draft,
                                  const face::ProgressFn& progress, const std::atomic<bool>* cancel);

}  // namespace facelead::ui
