#pragma once
// A small police agency in a temporary encrypted store, for the case service tests: an administrator,
// an investigator, two case officers, two supervisors (one also a case officer), an intel supervisor, a
// program administrator and a trainer (one role each), a case, a gallery of
// synthetic descriptors and a decodable PNG. Argon2 at its minimum cost and a fake clock keep it fast.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/accounts/Session.h"
#include "core/cases/CaseService.h"
#include "core/gallery/Gallery.h"
#include "core/gallery/GalleryIndex.h"
#include "core/reports/ReportDocument.h"
#include "tests/support/LeadFixtures.h"
#include "tests/support/TestData.h"

namespace facelead::test {

// Every piece of text of a report document, one per line, to search what it says.
std::string documentText(const reports::ReportDocument& document);

// The value, or the test fails naming the error.
template <typename T>
T require(Result<T> result) {
    if (!result) FAIL(errorCodeName(result.error().code) << ": " << result.error().message);
    return std::move(result).value();
}
inline void require(Result<void> result) {
    if (!result) FAIL(errorCodeName(result.error().code) << ": " << result.error().message);
}

class FakeClock final : public Clock {
public:
    TimePoint now() const override { return now_; }
    void advance(std::chrono::seconds by) { now_ += by; }

private:
    // Starts at the real time, so a store it made also suits processes that use the system clock.
    TimePoint now_ = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
};

struct CaseWorld {
    static constexpr const char* kPassword = "correct-horse-battery-9";
    // Set by the administrator at creation; each user replaces it at first sign-in (issue 9 item 6).
    static constexpr const char* kInitialPassword = "initial-password-77";

    // withSyntheticGallery: three gallery subjects with made-up descriptors (no face engine needed).
    explicit CaseWorld(bool withSyntheticGallery = true);

    TempDir dir;
    std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
    std::unique_ptr<accounts::Session> admin;
    std::unique_ptr<accounts::Session> investigator;         // trained, runs searches
    std::unique_ptr<accounts::Session> untrainedInvestigator;
    std::unique_ptr<accounts::Session> officer;              // the case's assigned case officer
    std::unique_ptr<accounts::Session> otherOfficer;
    std::unique_ptr<accounts::Session> supervisor;
    std::unique_ptr<accounts::Session> supervisingOfficer;   // supervisor and case officer
    std::unique_ptr<accounts::Session> intelSupervisor;      // one role each, for the role x command matrix
    std::unique_ptr<accounts::Session> programAdministrator;
    std::unique_ptr<accounts::Session> trainer;
    std::int64_t caseId = 0;
    std::string caseNumber = "NP-2026-0042";
    gallery::GalleryIndex gallery;
    std::vector<std::uint8_t> png;  // a 64x48 PNG

    std::filesystem::path storePath() const { return dir / "agency.store"; }
    cases::CaseService service(accounts::Session& session) const;
    // Enrols a gallery subject with one face into the store and the index; returns the subject's id.
    std::int64_t addGalleryFace(const std::string& subjectName, const face::Descriptor& descriptor);
    // Another photo of a gallery subject, into the store and the index; returns the face's id. `image`: the
    // photo's bytes (default: a stand-in that is no decodable image).
    std::int64_t addSubjectPhoto(std::int64_t subjectId, const face::Descriptor& descriptor,
                                 std::vector<std::uint8_t> image = {});
    gallery::AddedFaces enrolFace(const std::string& subjectName, const face::Descriptor& descriptor,
                                  std::vector<std::uint8_t> image = {});
    // A request that meets every rule, for this world's case.
    workflow::SearchRequest validRequest() const;
    cases::ProbeFace probe(face::QualityVerdict verdict = face::QualityVerdict::Good) const;
    cases::SearchBackend backend() const;
    // Runs a search by the investigator and returns its candidates' ids, nearest first.
    std::vector<std::int64_t> searchCandidates();
    // The same search (the same probe bytes) by the investigator in another of their cases.
    std::vector<std::int64_t> searchCandidatesIn(std::int64_t caseId, const std::string& caseNumber);
    // Records a supporting blind examination by `session`'s user, then marks the candidate a possible lead.
    cases::CandidateRecord examineAndMark(accounts::Session& session, std::int64_t candidateId);
    // `session`'s independent verification of the candidate as the verification queue has it done: the two faces
    // received first (cases::VerificationQueue::open), then the examination recorded.
    Result<cases::ExaminationRecord> verifyBlind(accounts::Session& session, std::int64_t candidateId,
                                                 const workflow::Examination& examination);
    // `review` naming the candidate's latest follow-up, as the supervisor's review dialog shows it (0: none).
    workflow::Review ofLatest(std::int64_t candidateId, workflow::Review review);

    std::int64_t auditCount();
    std::string lastAuditAction();
    std::int64_t rowCount(const std::string& table);
};

}  // namespace facelead::test
