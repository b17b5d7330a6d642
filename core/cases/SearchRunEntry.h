#pragma once
// What a search's "search.run" audit entry recorded of its probes beyond the stored search: the file name each was
// given by (the store keeps a file's bytes and hash, not its name) and which face of each image was searched. Read
// by the disclosure packet, the case report and CaseService::probeFileNames, so all name the probes' files alike (trial
// 78 F4, trial 80 F1: the report and the wizard's read-back never named the video file the packet gave).
//
// Threading: as the Store, one thread at a time.

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/common/Result.h"
#include "core/store/Store.h"

namespace facelead::cases {

// The entry's details; an empty object when the search has no such entry (a search older than the entry's fields).
Result<nlohmann::ordered_json> searchRunEntry(store::Store& store, std::int64_t searchId);

// The file name the entry records for the probe searched on image `imageId` (the first probe, or a further one); ""
// when none is recorded.
std::string probeFileName(const nlohmann::ordered_json& entry, std::int64_t imageId);

}  // namespace facelead::cases
