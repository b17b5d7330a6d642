#pragma once
// The one definition of "shown the rank and score" (issue 11 item 1: an examination or a verification is blind only
// when its author had not been shown them). FaceLead asks it when it records an examination, opens a verification,
// and when the disclosure packet says whether each examination and resolution was blind; audit verify replays the
// part the signed log proves on its own (cases/detail/SignedRows.cpp, checkExaminationsBlind).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
// shown at any time for a probe of the same unknown person: its template within kSameUnknownPersonDistance of one of
// this search's (trial 47 F1/F2, 48 F1, 49 F1: a copy searched in a throw-away case first; templates kept since
// schema v15), as another probe of the same case already counts (trial 31 H4). A
// candidate list of one shows its rank to everyone (trial 45 F4). Reads only; errors: the store's.
// Not thread-safe: the caller owns `store` (the store owner's thread).
// Within this Euclidean distance of a probe's template, another probe shows the same unknown person: a rank and score
// seen for it are seen for this one. It is the engine's own same-subject distance (face::Calibration, checked in
// RankShown.cpp): whatever the engine would call the same person is the same comparison. A fixed "same picture"
// distance was an arms race: 0.10 let mirrored and 10 % cropped copies through (trial 48 F1), 0.30 a copy cropped to
// 70 % (trial 49 F1), and 0.50, below the engine's own 0.56, another ordinary photo of the person (0.508, 0.532) and a
// copy with its eyes clicked a few pixels off (0.521, trial 51 F1/F2). Measured (docs/CALIBRATION.md "Blindness"):
// copies 0.10-0.37, other photos of the same person 0.256-0.642, different people from 0.378 (0.39 % of different
// people's pairs lie within 0.56: then the cautious side, another examiner examines). A picture beyond it no longer
// looks like the person to the engine either; docs/SECURITY.md says what stays out of reach.
inline constexpr double kSameUnknownPersonDistance = 0.56;

Result<bool> rankShownTo(store::Store& store, std::int64_t candidateId, std::int64_t userId,
                         std::optional<std::int64_t> beforeSeq = std::nullopt);

// A list in another search where `userId` had been shown the rank and score of the same gallery subject as candidate
// `candidateId`, before audit entry `beforeSeq`. The blind rule above does not count such a list when its probe is no
// picture of the same unknown person to the engine (trial 52 F1: another photo of the person, 0.648 away); the
// disclosure packet names each one, so that "blind" is never read as "never shown this person's rank". Oldest first.
struct SubjectShown {
    std::int64_t searchId = 0;
    std::string caseNumber;
    std::string shownAt;  // the audit entry's time (UTC)
};
Result<std::vector<SubjectShown>> subjectShownElsewhere(store::Store& store, std::int64_t candidateId,
                                                        std::int64_t userId, std::int64_t beforeSeq);

}  // namespace facelead::cases
