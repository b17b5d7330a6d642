#pragma once
// Which of a search's probes a candidate was nearest to (issue 10 item 6: several probes searched together): the
// one its rank and score come from, and so the face every comparison of it shows — the examiner's, the verifier's
// and the supervisor's (trial 29 N2: they were given probe 1 beside a candidate that had matched probe 2, another
// person's face).

#include <cstdint>

#include "core/cases/CaseRecords.h"

namespace facelead::cases {

struct ProbeOfCandidate {
    std::int64_t imageId = 0;  // the image searched (an original, a derived copy or a video frame)
    face::Box faceBox;         // the searched face, in that image's pixels
};

// CandidateRecord::probe 0 (or out of range: a search stored before several probes) is the search's own image.
inline ProbeOfCandidate nearestProbe(const SearchRecord& search, const CandidateRecord& candidate) {
    const auto further = static_cast<std::size_t>(candidate.probe);
    if (further == 0 || further > search.furtherProbes.size()) return {search.imageId, search.faceBox};
    const StoredProbe& probe = search.furtherProbes[further - 1];
    return {probe.imageId, probe.faceBox};
}

}  // namespace facelead::cases
