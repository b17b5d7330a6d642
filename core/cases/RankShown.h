#pragma once
// The one definition of "shown the rank and score" (issue 11 item 1: an examination or a verification is blind only
// when its author had not been shown them). FaceLead asks it when it records an examination, opens a verification,
// and when the disclosure packet says whether each examination and resolution was blind; audit verify replays the
// part the signed log proves on its own (cases/detail/SignedRows.cpp, checkExaminationsBlind).

#include <cstdint>
#include <optional>

#include "core/common/Result.h"
#include "core/store/Store.h"

namespace facelead::cases {

// Whether `userId` had been shown the rank and score of candidate `candidateId` before audit entry `beforeSeq`
// (nullopt: up to now). Shown: an audited view with "rank_shown" or the disclosure packet of a case — of this
// candidate, or of ANY candidate of the same gallery subject either in the same case (any probe: a case's probes are
// stills of the people it investigates) or against the same probe bytes in any case (the SHA-256 of any picture in
// the probe's lineage, original to derived copy, any probe of either search). Another photo of the unknown person in ANOTHER case is
// a new comparison (FaceLead does not compare probes with each other); scores seen outside FaceLead are
// docs/SECURITY.md's F20. Also shown: the same subject's rank and score in ANY search, shown after this candidate's
// search ran (its probe can be carried into another search under other bytes: trial 46 F1), and the same subject's
// shown at any time for a probe whose template lies within kSameComparisonDistance of one of this search's
// (trial 47 F1/F2: a re-encoded copy searched in a throw-away case first; templates kept since schema v15). A
// candidate list of one shows its rank to everyone (trial 45 F4). Reads only; errors: the store's.
// Not thread-safe: the caller owns `store` (the store owner's thread).
// Within this Euclidean distance of a probe's template, another probe is the same comparison for blindness. Measured
// (docs/CALIBRATION.md "Blindness"): copies of one photo mirrored, cropped by 10 %, recoloured, rescaled or all of
// these 0.10-0.26 (trial 48 F1: mirrored and cropped copies passed the enrolment's 0.10); other photos of the same
// person from 0.256, different people from 0.378. So every such copy is caught, and a near-identical other photo of
// the same person may be too - the cautious side: another examiner examines. A copy edited further (cropped by 20 %:
// up to 0.32) lies as far as another photo of the person, which FaceLead cannot tell apart.
inline constexpr double kSameComparisonDistance = 0.30;

Result<bool> rankShownTo(store::Store& store, std::int64_t candidateId, std::int64_t userId,
                         std::optional<std::int64_t> beforeSeq = std::nullopt);

}  // namespace facelead::cases
