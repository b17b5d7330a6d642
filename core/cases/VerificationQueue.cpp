// VerificationQueue: the candidates waiting for an independent verification and the two faces of one of them
// (issue 11 item 2). workflow/Verification.h has the rules; this file loads the facts and reads the faces.

#include "core/cases/VerificationQueue.h"

#include <algorithm>
#include <utility>

#include "core/accounts/Authority.h"
#include "core/audit/ImageIntegrity.h"
#include "core/cases/NearestProbe.h"
#include "core/cases/RankShown.h"
#include "core/cases/detail/Audit.h"
#include "core/cases/detail/Examinations.h"
#include "core/cases/detail/NeedToKnow.h"
#include "core/cases/detail/Rows.h"
#include "core/gallery/Gallery.h"
#include "core/imaging/Intake.h"

namespace facelead::cases {
namespace {

using detail::queryAll;

Result<void> checkTrained(const accounts::User& user, TimePoint now, const workflow::PolicySettings& settings) {
    if (detail::trainedAt(user, now, settings)) return {};
    return makeError(ErrorCode::TrainingRequired,
                     "Only a trained examiner verifies a candidate: complete the facial recognition training first "
                     "(VI.D.2.b, issue 11).");
}

// Whether the user may verify the candidate blind, as open() would decide (without auditing anything).
Result<void> checkMayVerify(store::Store& store, std::int64_t candidateId, const accounts::User& user) {
    const std::int64_t userId = user.id;
    FACELEAD_TRY(detail::checkAwaitsVerification(store, candidateId, userId));
    auto shown = rankShownTo(store, candidateId, userId);
    if (!shown) return shown.error();
    if (*shown)
        return makeError(ErrorCode::PolicyViolation, "You have seen this person's rank and score, " +
                                                         std::string(workflow::kWaysRankWasShown) +
                                                         ": the verification must be blind (issue 11). Another "
                                                         "examiner must verify it.");
    auto facts = detail::loadVerifierFacts(store, candidateId, user);
    if (!facts) return facts.error();
    return workflow::checkIndependentVerifier(*facts);
}

Result<imaging::Image> decodedPicture(const Result<std::vector<std::uint8_t>>& bytes) {
    if (!bytes) return bytes.error();
    return imaging::decodeBytes(*bytes);
}

}  // namespace

VerificationQueue::VerificationQueue(accounts::Session& session, workflow::PolicySettings settings)
    : session_(session), settings_(std::move(settings)) {}

Result<std::vector<VerificationTask>> VerificationQueue::awaitingMe() {
    auto user = accounts::refusalsAudited(session_, "verification.queue",
                                          [&] { return accounts::authorize(session_, workflow::Action::DecideCandidate); });
    if (!user) return user.error();
    // Asked, not attempted (a screen reads the queue whenever it is shown): an untrained examiner is told, not audited.
    FACELEAD_TRY(checkTrained(*user, session_.store().now(), settings_));
    // Examined by someone else, no verification recorded, no disagreement resolved: one independent
    // verification is what the rule packs ask for (workflow::PolicyPack::verificationBeforeClearing).
    auto waiting = queryAll(
        session_.store(),
        "SELECT e.candidate_id, cs.case_number, e.recorded_at FROM examinations e "
        "JOIN candidates k ON k.id = e.candidate_id JOIN searches s ON s.id = k.search_id "
        "JOIN search_requests r ON r.id = s.request_id JOIN cases cs ON cs.id = r.case_id "
        "WHERE e.kind = 'examination' AND e.examiner_id <> ?1 "
        "AND NOT EXISTS (SELECT 1 FROM examinations v WHERE v.candidate_id = e.candidate_id AND v.kind = 'verification') "
        "AND e.candidate_id NOT IN (SELECT candidate_id FROM examination_resolutions) ORDER BY e.id",
        [](const store::Statement& row) { return VerificationTask{row.getInt(0), row.getText(1), row.getText(2)}; },
        user->id);
    if (!waiting) return waiting.error();
    std::vector<VerificationTask> mine;
    for (VerificationTask& task : *waiting) {
        auto may = checkMayVerify(session_.store(), task.candidateId, *user);
        if (may) mine.push_back(std::move(task));
        else if (!accounts::isRefusal(may.error())) return may.error();
    }
    return mine;
}

Result<VerificationPair> VerificationQueue::open(std::int64_t candidateId) {
    return accounts::refusalsAudited(session_, "candidate.verification_open", [&]() -> Result<VerificationPair> {
        auto user = accounts::authorize(session_, workflow::Action::DecideCandidate);
        if (!user) return user.error();
        store::Store& store = session_.store();
        FACELEAD_TRY(checkTrained(*user, store.now(), settings_));
        FACELEAD_TRY(detail::checkCandidateCaseSigned(session_, candidateId));  // no judgement on an edited file
        FACELEAD_TRY(checkMayVerify(store, candidateId, *user));
        auto candidate = detail::loadCandidate(store, candidateId);
        if (!candidate) return candidate.error();
        auto search = detail::loadSearch(store, candidate->searchId);
        if (!search) return search.error();
        const ProbeOfCandidate searched = nearestProbe(*search, *candidate);
        auto source = detail::loadSourcePicture(store, searched.imageId);
        if (!source) return source.error();
        auto caseRecord = detail::loadCase(store, source->caseId);
        if (!caseRecord) return caseRecord.error();
        VerificationPair pair{.candidateId = candidateId, .caseNumber = caseRecord->caseNumber};
        auto probeBytes = audit::readImageBytes(store, user->id, source->id);
        if (!probeBytes) return probeBytes.error();
        auto probe = imaging::decodeBytes(probeBytes->bytes);
        if (!probe) return probe.error();
        pair.probe = std::move(*probe);
        pair.probeFile = std::move(probeBytes->bytes);
        pair.probeFormat = source->format;
        if (source->id == searched.imageId) pair.probeFace = searched.faceBox;  // the original itself was searched
        auto photo = decodedPicture(gallery::Gallery{}.faceImage(store, candidate->galleryFaceId, user->id));
        if (!photo) return photo.error();
        pair.candidate = std::move(*photo);
        FACELEAD_TRY(store.transact([&](store::Transaction& tx) {
            return detail::recordEvent(tx, user->id, "candidate.verification_opened", "candidate", candidateId,
                                       {{"case_id", source->caseId}, {"image_id", source->id},
                                        {"gallery_face_id", candidate->galleryFaceId}});
        }));
        return pair;
    });
}

}  // namespace facelead::cases

namespace facelead::cases::detail {

// Nothing to verify, or verified already (one independent verification is what the packs ask; the queue shows no
// more, trial 25B H2, M5): InvalidTransition; the first examiner: PermissionDenied.
Result<void> checkAwaitsVerification(store::Store& store, std::int64_t candidateId, std::int64_t userId) {
    auto examiners = queryAll(store, "SELECT examiner_id, kind FROM examinations WHERE candidate_id = ? ORDER BY id",
                              [](const store::Statement& row) { return std::pair{row.getInt(0), row.getText(1)}; },
                              candidateId);
    if (!examiners) return examiners.error();
    if (examiners->empty())
        return makeError(ErrorCode::InvalidTransition, "Candidate " + std::to_string(candidateId) +
                                                           " has not been examined yet: there is nothing to verify.");
    for (const auto& [examiner, kind] : *examiners) {
        if (examiner != userId) continue;
        FACELEAD_TRY(workflow::checkNotTheFirstExaminer(kind == "examination"));
    }
    const bool verified = std::any_of(examiners->begin(), examiners->end(),
                                      [](const auto& examiner) { return examiner.second == "verification"; });
    if (verified)
        return makeError(ErrorCode::InvalidTransition, "Candidate " + std::to_string(candidateId) +
                                                           " has been verified independently already.");
    return {};
}

}  // namespace facelead::cases::detail
