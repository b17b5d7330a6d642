#pragma once
// Private to core/cases: what the lead gates need to know about a candidate's examinations (issue 11).

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "core/accounts/User.h"
#include "core/cases/detail/Rows.h"
#include "core/store/Store.h"
#include "core/workflow/Examination.h"
#include "core/workflow/Verification.h"

namespace facelead::cases::detail {

struct ExaminationState {
    std::vector<std::pair<std::int64_t, workflow::Conclusion>> conclusions;  // examiner, conclusion; oldest first
    std::optional<workflow::Conclusion> resolution;                         // a supervisor's, when resolved

    bool disagree() const;  // any two conclusions disagree (workflow::conclusionsDisagree)
    bool openDisagreement() const { return disagree() && !resolution; }
    std::optional<workflow::Conclusion> conclusionOf(std::int64_t userId) const;
    std::vector<std::int64_t> examiners() const;
};

// Training recorded and not expired (VI.D.2.b) at `now`, by the agency's training validity.
bool trainedAt(const accounts::User& user, TimePoint now, const workflow::PolicySettings& settings);
// The user works the candidate's case: its creator, case officer or the requester of one of its searches.
Result<bool> worksCandidateCase(store::Store& store, std::int64_t candidateId, std::int64_t userId);
// What workflow::checkIndependentVerifier needs to know about the user and the candidate, from the rows and the
// audit log (audit sequence numbers, not clocks, order a read against the examination).
Result<workflow::VerifierFacts> loadVerifierFacts(store::Store& store, std::int64_t candidateId,
                                                 const accounts::User& user);
// InvalidTransition when there is nothing to verify or a verification is recorded already (one per candidate:
// trial 25B H2, and trial 27 F6, a second verifier who had the faces before the first recorded); PermissionDenied
// for the first examiner. The queue and the recording of a verification both ask it.
Result<void> checkAwaitsVerification(store::Store& store, std::int64_t candidateId, std::int64_t userId);

template <typename Db>
Result<ExaminationState> loadExaminationState(Db& db, std::int64_t candidateId) {
    ExaminationState state;
    auto examinations = queryAll(
        db, "SELECT examiner_id, conclusion FROM examinations WHERE candidate_id = ? ORDER BY id",
        [](const store::Statement& row) {
            return std::pair{row.getInt(0),
                             workflow::conclusionFromName(row.getText(1)).value_or(workflow::Conclusion::NoConclusion)};
        },
        candidateId);
    if (!examinations) return examinations.error();
    state.conclusions = std::move(*examinations);
    auto resolution = queryAll(
        db, "SELECT conclusion FROM examination_resolutions WHERE candidate_id = ?",
        [](const store::Statement& row) { return workflow::conclusionFromName(row.getText(0)); }, candidateId);
    if (!resolution) return resolution.error();
    if (!resolution->empty()) state.resolution = resolution->front();
    return state;
}

// The agency's evidence types (the evidence_types table), in the order it lists them, held to
// workflow::definedEvidenceTypes(): IntegrityViolation when the table was edited outside FaceLead.
template <typename Db>
Result<std::vector<workflow::EvidenceType>> loadEvidenceTypes(Db& db) {
    auto types = queryAll(db, "SELECT code, label, identification_procedure FROM evidence_types ORDER BY rowid",
                          [](const store::Statement& row) {
                              return workflow::EvidenceType{row.getText(0), row.getText(1), row.getInt(2) != 0};
                          });
    if (!types) return types.error();
    if (*types != workflow::definedEvidenceTypes())
        return makeError(ErrorCode::IntegrityViolation,
                         "The store's list of evidence types differs from FaceLead's (a type added, removed, renamed, "
                         "or its line-up flag changed): the table was edited outside FaceLead. No evidence is recorded "
                         "or weighed until a program administrator has looked (SOP 302.02 VI.C.2).");
    return types;
}

}  // namespace facelead::cases::detail
