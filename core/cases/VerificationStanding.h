#pragma once
// How a candidate's FISWG comparisons stand (issue 11 item 2): the one reading of "verified" and "the examiners
// disagree" that the case window, the lead decision, the CLI and the disclosure packet all show.

#include <vector>

#include "core/cases/CaseRecords.h"

namespace facelead::cases {

enum class VerificationStanding {
    NotExamined,  // no comparison recorded
    NotVerified,  // one examiner only: no independent verification yet
    Agree,        // verified, and no two conclusions disagree
    Disagree,     // two conclusions disagree (workflow::conclusionsDisagree); a supervisor resolves it
};

// `examinations`: all of one candidate's, in any order. Pure; thread-safe.
VerificationStanding verificationStanding(const std::vector<ExaminationRecord>& examinations);

// One examiner alone has compared the faces (NotVerified).
inline bool onlyOneExaminer(const std::vector<ExaminationRecord>& examinations) {
    return verificationStanding(examinations) == VerificationStanding::NotVerified;
}

}  // namespace facelead::cases
