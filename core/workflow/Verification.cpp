#include "core/workflow/Verification.h"

namespace facelead::workflow {

Result<void> checkNotTheFirstExaminer(bool recordedTheExamination) {
    if (!recordedTheExamination) return {};
    return makeError(ErrorCode::PermissionDenied,
                     "You recorded the examination of this candidate: independent verification needs a second "
                     "examiner (issue 11, independent verification).");
}

Result<void> checkIndependentVerifier(const VerifierFacts& facts) {
    if (facts.worksCase) {
        return makeError(ErrorCode::PermissionDenied,
                         "You work this case, so you have seen its lead and the first examiner's conclusion: an "
                         "independent verification needs a trained examiner who does not work the case (issue 11, "
                         "independent verification).");
    }
    if (facts.workedTheLead) {
        return makeError(ErrorCode::PermissionDenied,
                         "You recorded work on this candidate's lead (its marking, follow-up, review or a "
                         "resolution): you cannot also be its independent verifier (issue 11).");
    }
    if (facts.readsTheAuditLog) {
        return makeError(ErrorCode::PermissionDenied,
                         "You may read the audit log, whose entries name every examiner's conclusion: an independent "
                         "verification needs an examiner who cannot (issue 11, independent verification).");
    }
    if (facts.readCaseSinceExamination) {
        return makeError(ErrorCode::PermissionDenied,
                         "You read this case's file or this candidate after it was examined, so you may have seen the "
                         "first examiner's conclusion: the verification must be blind. Another examiner must verify "
                         "it (issue 11, independent verification).");
    }
    return {};
}

Result<void> checkVerifierMayRecord(const VerifierFacts& facts) {
    FACELEAD_TRY(checkIndependentVerifier(facts));
    if (!facts.receivedThePair) {
        return makeError(ErrorCode::PolicyViolation,
                         "Open the candidate from your verification queue first (workstation: Verifications; "
                         "facelead-cli lead pair): a verification compares the original probe with the candidate's "
                         "photo, and you have not received them.");
    }
    return {};
}

}  // namespace facelead::workflow
