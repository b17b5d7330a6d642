#pragma once
// Who may verify a candidate's examination independently (issue 11 item 2; trial 23C H4). ACE-V's verification is
// worth something only when the verifier reaches their conclusion from the two faces alone: FISWG, "Facial
// Comparison Overview and Methodology Guidelines" (2019), section on verification, and the Detroit 2024 settlement,
// which asks that a second examiner compare the probe and the candidate without the first examiner's conclusion.
//
// Rules (pure; cases::VerificationQueue and CaseService load the facts):
// - The verifier does not work the case (its creator, its case officer, whoever requested a search in it): the case
//   window shows them the lead, its status and the marker's note, i.e. the first conclusion.
// - The verifier did no work on the candidate's lead (marked it, followed it up, reviewed it, settled a
//   disagreement on it).
// - The verifier has not read the case file or the candidate since the candidate was examined (an audited
//   "case.viewed" or "candidate.viewed"): a supervisor who opened the case has read its lead.
// - The verifier cannot read the audit log (program administrators): its entries carry every examination's conclusion
//   (trial 25B H3).
// - The verifier compared the faces: a verification is recorded only after the verifier received the original
//   probe and the candidate's photo from the verification queue (audited "candidate.verification_opened").
// The other verification rules (trained, never the first examiner, blind to rank and score) are Examination.h's.

#include "core/common/Result.h"

namespace facelead::workflow {

struct VerifierFacts {
    bool worksCase = false;                 // creator, case officer or requester of a search in the candidate's case
    bool workedTheLead = false;             // marked, followed up, reviewed or resolved on this candidate
    bool readCaseSinceExamination = false;  // an audited read of the case file or the candidate after its examination
    bool readsTheAuditLog = false;          // may read the audit log, whose entries name every conclusion (RunAudit)
    bool receivedThePair = false;           // the probe and the candidate came to them through the queue
};

// PermissionDenied when the would-be verifier recorded the examination being verified.
Result<void> checkNotTheFirstExaminer(bool recordedTheExamination);
// PermissionDenied naming why the user is not an independent verifier of the candidate (the first three facts).
// A verifier must pass this before the queue gives them the two faces.
Result<void> checkIndependentVerifier(const VerifierFacts& facts);
// checkIndependentVerifier, then PolicyViolation when the verifier never received the two faces to compare.
Result<void> checkVerifierMayRecord(const VerifierFacts& facts);

}  // namespace facelead::workflow
