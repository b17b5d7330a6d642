#pragma once
// Independent verification as a work queue (issue 11 item 2; trial 23C H4: the second examiner could not reach the
// candidate in the workstation, and who could had read the first conclusion). A trained examiner who does not work
// the case sees the candidates waiting for a verification and, for one of them, receives only the two faces to
// compare: the ORIGINAL probe and the candidate's gallery photo. Not the case file, the lead, its status or note, the
// first examiner's name or conclusion, the rank or the score. The verification itself is recorded with
// CaseService::recordVerification, which refuses a verifier who never received the two faces here
// (workflow/Verification.h has the rules).
//
// Thread-safety: none; one per signed-in session, used by one thread at a time (the workstation's store thread).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/accounts/Session.h"
#include "core/common/Result.h"
#include "core/face/FaceEngine.h"
#include "core/imaging/Image.h"
#include "core/workflow/SearchRequest.h"

namespace facelead::cases {

// A candidate waiting for my verification: what names the task, nothing of its examination.
struct VerificationTask {
    std::int64_t candidateId = 0;
    std::string caseNumber;
    std::string examinedAt;  // when the first examination was recorded (ISO 8601 UTC): the queue's order
};

// The two faces a verifier compares, read back from the store with their SHA-256 re-checked.
struct VerificationPair {
    std::int64_t candidateId = 0;
    std::string caseNumber;
    imaging::Image probe;                // the original the probe face was searched on (or its video frame)
    // That picture's file exactly as stored (its SHA-256 is the case's), never a re-encoding: a verifier who searches
    // what she was handed is recognised as having searched the same probe (trial 45 F3: a re-encoded copy was a new
    // probe to every rule, and she saw its score before her "blind" verification).
    std::vector<std::uint8_t> probeFile;
    std::string probeFormat;             // "jpeg", "png", ... (ImageRecord::format)
    std::optional<face::Box> probeFace;  // the searched face, in the probe's pixels
    imaging::Image candidate;            // the candidate's gallery photo
};

class VerificationQueue {
public:
    // `settings`: the agency's (training validity). The session must outlive the queue.
    VerificationQueue(accounts::Session& session, workflow::PolicySettings settings);

    // Trained examiners (workflow::Action::DecideCandidate): candidates examined by someone else, not yet verified
    // nor resolved, of which I am an independent verifier, oldest examination first. TrainingRequired for an
    // examiner whose training is missing or expired; PermissionDenied (audited) for other roles.
    Result<std::vector<VerificationTask>> awaitingMe();
    // The two faces of one task, audited "candidate.verification_opened". Refused (audited) as awaitingMe would
    // leave it out: PermissionDenied naming why I am not an independent verifier, InvalidTransition when there is
    // nothing to verify or I recorded mine, AuditChainBroken when the case's records were edited.
    Result<VerificationPair> open(std::int64_t candidateId);

private:
    accounts::Session& session_;
    workflow::PolicySettings settings_;
};

}  // namespace facelead::cases
