#pragma once
// A store with known usage, written row by row so every figure of the statistics and the annual review is
// known in advance:
//   Dec 2025: 1 search (ivan, VI.A.1)                           -- outside the Jan-Mar 2026 period
//   Jan 2026: 2 searches (ivan: VI.A.3 with 3 candidates, VI.A.3 with 0)
//   Feb 2026: 3 searches (ines: VI.A.3 with 7, VI.A.4 with 12, VI.A.4 with 25)
//   Mar 2026: 1 search  (ivan: VI.A.2 with 60)
//   Leads (Feb 2026): 2 possible_lead, 1 excluded, 1 cleared_for_action
//   Follow-ups (Feb 2026): corroborated, inconclusive; reviews: 1 cleared_for_action

#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "core/audit/AuditLog.h"
#include "core/cases/detail/SignedRows.h"
#include "core/gallery/EnrolledFaces.h"
#include "core/store/Store.h"
#include "core/common/Hash.h"
#include "tests/unit/admin/AccountabilityFixture.h"

namespace facelead::test {

// The one case image's bytes are x'00': `audit verify` re-hashes every picture.
inline std::string imageSha256() { return sha256Hex(std::string_view("\0", 1)); }

struct UsageFixture : AccountabilityFixture {
    accounts::User ivan, ines, cora;
    std::int64_t caseId = 0, imageId = 0, subjectId = 0, faceId = 0;
    std::vector<std::int64_t> candidateIds;
    std::vector<std::int64_t> leadIds;

    UsageFixture() {
        ivan = addActiveUser("ivan", {workflow::Role::Investigator});
        ines = addActiveUser("ines", {workflow::Role::Investigator});
        cora = addActiveUser("cora", {workflow::Role::CaseOfficer});
        auto done = store().transact([&](store::Transaction& tx) -> Result<void> {
            // Opened by the administrator whose key signs this fixture's entries, with its signed creation as
            // CaseService writes it: a case row no signed entry created is flagged (detail::checkCaseSigned).
            FACELEAD_TRY(run(tx, "INSERT INTO cases(case_number, offence, assigned_officer_id, created_by, created_at) "
                                 "VALUES ('NP-2026-001', 'burglary', " + std::to_string(cora.id) +
                                 ", 1, '2025-12-01T00:00:00.000Z')"));
            caseId = tx.lastInsertId();
            FACELEAD_TRY(audit::AuditLog::append(
                tx, {1, audit::AuditLog::kCaseCreated, "case", std::to_string(caseId),
                     nlohmann::json{{"case_number", "NP-2026-001"}, {"offence", "burglary"},
                                    {"assigned_officer_id", cora.id}}.dump()}));
            FACELEAD_TRY(run(tx, "INSERT INTO images(case_id, kind, bytes, sha256, size_bytes, format, width, height, "
                                 "created_by, created_at) VALUES (" + std::to_string(caseId) +
                                 ", 'original', x'00', '" + imageSha256() + "', 1, 'png', 1, 1, " +
                                 std::to_string(ivan.id) +
                                 ", '2025-12-01T00:00:00.000Z')"));
            imageId = tx.lastInsertId();
            FACELEAD_TRY(run(tx, "INSERT INTO gallery_subjects(name, created_by, created_at) VALUES ('Subject A', 1, "
                                 "'2025-01-01T00:00:00.000Z')"));
            subjectId = tx.lastInsertId();
            FACELEAD_TRY(run(tx, "INSERT INTO gallery_faces(subject_id, descriptor, created_by, created_at) VALUES (" +
                                 std::to_string(subjectId) + ", zeroblob(512), 1, '2025-01-01T00:00:00.000Z')"));
            faceId = tx.lastInsertId();

            FACELEAD_TRY(search(tx, ivan.id, "2025-12-15T10:00:00.000Z", "suspected_offence", 5));
            FACELEAD_TRY(search(tx, ivan.id, "2026-01-05T10:00:00.000Z", "identify_unable", 3));
            FACELEAD_TRY(search(tx, ivan.id, "2026-01-20T10:00:00.000Z", "identify_unable", 0));
            FACELEAD_TRY(search(tx, ines.id, "2026-02-01T10:00:00.000Z", "identify_unable", 7));
            FACELEAD_TRY(search(tx, ines.id, "2026-02-10T10:00:00.000Z", "tips_and_leads", 12));
            FACELEAD_TRY(search(tx, ines.id, "2026-02-28T23:59:59.000Z", "tips_and_leads", 25));
            FACELEAD_TRY(search(tx, ivan.id, "2026-03-31T23:00:00.000Z", "active_investigation", 60));

            const char* statuses[] = {"possible_lead", "possible_lead", "excluded", "cleared_for_action"};
            for (int i = 0; i < 4; ++i) {
                FACELEAD_TRY(run(tx, "INSERT INTO leads(candidate_id, status, marked_by, marked_at, updated_at) VALUES (" +
                                     std::to_string(candidateIds[static_cast<std::size_t>(i)]) + ", '" + statuses[i] +
                                     "', " + std::to_string(ines.id) +
                                     ", '2026-02-11T10:00:00.000Z', '2026-02-11T10:00:00.000Z')"));
                leadIds.push_back(tx.lastInsertId());
            }
            for (const char* outcome : {"corroborated", "inconclusive"})
                FACELEAD_TRY(run(tx, "INSERT INTO follow_ups(lead_id, steps, outcome, recorded_by, recorded_at) VALUES (" +
                                     std::to_string(leadIds[3]) + ", 'checked alibi', '" + outcome + "', " +
                                     std::to_string(cora.id) + ", '2026-02-12T10:00:00.000Z')"));
            return run(tx, "INSERT INTO reviews(lead_id, decision, reviewed_by, reviewed_at) VALUES (" +
                               std::to_string(leadIds[3]) + ", 'cleared_for_action', 1, '2026-02-13T10:00:00.000Z')");
        });
        if (!done) FAIL(done.error().message);
        recordRequests();
        recordCaseFileHistory();
    }

    // The request's search, signed as CaseService::runSearch records it (its candidate list in the digest).
    static Result<void> recordSearchOf(store::Transaction& tx, std::int64_t requester, std::int64_t requestId) {
        auto search = tx.prepare("SELECT id FROM searches WHERE request_id = ?");
        if (!search) return search.error();
        search->bind(1, requestId);
        auto row = search->step();
        if (!row) return row.error();
        const auto searchId = search->getInt(0);
        auto digest = cases::detail::rowDigest(tx.store(), cases::detail::kSearchRow, searchId);
        if (!digest) return digest.error();
        auto entry = audit::AuditLog::append(tx, {requester, "search.run", "search", std::to_string(searchId),
                                                  nlohmann::json{{cases::detail::kRowDigest, *digest}}.dump()});
        if (!entry) return entry.error();
        return {};
    }

    // Appends one entry in the user's own session, as CaseService writes it.
    static void appendAs(accounts::Session& session, const std::string& action, std::int64_t objectId,
                         const nlohmann::json& details, const std::string& objectType = "candidate") {
        auto appended = session.store().transact([&](store::Transaction& tx) -> Result<void> {
            auto entry = audit::AuditLog::append(tx, {session.userId(), action, objectType,
                                                      std::to_string(objectId), details.dump()});
            if (!entry) return entry.error();
            return {};
        });
        if (!appended) FAIL(appended.error().message);
    }

    static std::string digestFrom(const Result<std::string>& digest) {
        if (!digest) FAIL(digest.error().message);
        return *digest;
    }

    std::string digestOf(const char* table, std::int64_t id) { return digestFrom(cases::detail::rowDigest(store(), table, id)); }

    // The examiner's own supporting examination, which a possible lead needs before it is marked (issue 11), as
    // CaseService::recordExamination writes it.
    void recordSupportingExamination(accounts::Session& examiner, std::int64_t candidateId) {
        auto inserted = examiner.store().transact([&](store::Transaction& tx) -> Result<std::int64_t> {
            FACELEAD_TRY(run(tx, "INSERT INTO examinations(candidate_id, examiner_id, kind, components, conclusion, "
                                 "note, recorded_at) VALUES (" + std::to_string(candidateId) + ", " +
                                     std::to_string(examiner.userId()) +
                                     ", 'examination', '{}', 'support', 'Same scar.', '2026-02-11T09:00:00.000Z')"));
            return tx.lastInsertId();
        });
        if (!inserted) FAIL(inserted.error().message);
        const auto examinationId = *inserted;
        appendAs(examiner, "candidate.examined", candidateId,
                 {{"examination_id", examinationId}, {"conclusion", "support"},
                  {cases::detail::kRowDigest, digestOf(cases::detail::kExaminationRow, examinationId)}});
    }

    // The image's and each lead's signed history as CaseService records it (decision, follow-ups, review), the
    // latest entry signing the lead row as inserted above: a row no signed entry left so is flagged
    // (cases::detail::checkCaseRowsSigned).
    void recordCaseFileHistory() {
        using cases::detail::kLeadRow;
        using cases::detail::kLeadRowDigest;
        using cases::detail::kRowDigest;
        auto inesSession = signIn("ines");
        auto coraSession = signIn("cora");
        auto ivanSession = signIn("ivan");
        REQUIRE((inesSession && coraSession && ivanSession));
        appendAs(*ivanSession, "image.stored", imageId, {{"case_id", caseId}, {"sha256", imageSha256()}}, "image");
        auto enrolment = gallery::EnrolmentDigests::prepare(store());
        REQUIRE(enrolment);
        appendAs(*admin, gallery::kFacesEnrolled, subjectId,
                 {{"name", "Subject A"}, {"source", ""}, {gallery::kSubjectDigest, digestFrom(enrolment->subjects.of(subjectId))},
                  {"faces", {{{"face_id", faceId}, {gallery::kFaceRowDigest, digestFrom(enrolment->faces.of(faceId))}}}}},
                 "gallery_subject");
        for (std::size_t i = 0; i < leadIds.size(); ++i) {
            const bool excluded = i == 2;
            if (!excluded) recordSupportingExamination(*inesSession, candidateIds[i]);  // the marking gate's
            nlohmann::json decision{{"lead_id", leadIds[i]}, {"case_id", caseId}, {"note", ""}, {"from", "candidate"},
                                    {"to", excluded ? "excluded" : "possible_lead"}};
            if (i != 3) decision[kLeadRowDigest] = digestOf(kLeadRow, leadIds[i]);
            appendAs(*inesSession, excluded ? "lead.excluded" : "lead.marked_possible", candidateIds[i], decision);
        }
        const auto cleared = candidateIds[3];
        for (const std::int64_t followUp : {std::int64_t(1), std::int64_t(2)})
            appendAs(*coraSession, "lead.follow_up_recorded", cleared,
                     {{"lead_id", leadIds[3]}, {"case_id", caseId}, {"follow_up_id", followUp},
                      {kRowDigest, digestOf(cases::detail::kFollowUpRow, followUp)}});
        appendAs(*admin, "lead.reviewed", cleared,
                 {{"lead_id", leadIds[3]}, {"case_id", caseId}, {"review_id", 1}, {"decision", "cleared_for_action"},
                  {kRowDigest, digestOf(cases::detail::kReviewRow, 1)},
                  {kLeadRowDigest, digestOf(kLeadRow, leadIds[3])}});
    }

    // Each search request's signed "request.submitted" and its search's "search.run", as its requester's own
    // session writes them (CaseService), with the digest of the row as inserted above: a request row no signed entry recorded is flagged
    // (cases::detail::checkCaseRowsSigned).
    void recordRequests() {
        for (const auto& [requester, username] : {std::pair{ivan.id, "ivan"}, std::pair{ines.id, "ines"}}) {
            auto session = signIn(username);
            REQUIRE(session);
            auto recorded = session->store().transact([&](store::Transaction& tx) -> Result<void> {
                auto requests = tx.prepare("SELECT id FROM search_requests WHERE requested_by = ? ORDER BY id");
                if (!requests) return requests.error();
                requests->bind(1, requester);
                while (true) {
                    auto row = requests->step();
                    if (!row) return row.error();
                    if (!*row) return {};
                    const auto id = requests->getInt(0);
                    auto digest = cases::detail::rowDigest(tx.store(), cases::detail::kRequestRow, id);
                    if (!digest) return digest.error();
                    FACELEAD_TRY(audit::AuditLog::append(
                        tx, {requester, "request.submitted", "search_request", std::to_string(id),
                             nlohmann::json{{"case_id", caseId}, {cases::detail::kRowDigest, *digest}}.dump()}));
                    FACELEAD_TRY(recordSearchOf(tx, requester, id));
                }
            });
            if (!recorded) FAIL(recorded.error().message);
        }
    }

    static Result<void> run(store::Transaction& tx, const std::string& sql) { return tx.exec(sql); }

    Result<void> search(store::Transaction& tx, std::int64_t userId, const std::string& at, const std::string& purpose,
                        int candidates) {
        FACELEAD_TRY(run(tx, "INSERT INTO search_requests(case_id, purpose_code, justification, "
                             "prohibited_use_attestation, consent_kind, requested_by, requested_at) VALUES (" +
                             std::to_string(caseId) + ", '" + purpose + "', 'because', '[]', 'not_agency_capture', " +
                             std::to_string(userId) + ", '" + at + "')"));
        const auto requestId = tx.lastInsertId();
        FACELEAD_TRY(run(tx, "INSERT INTO searches(request_id, image_id, face_box, candidate_limit, gallery_size, run_by, "
                             "run_at) VALUES (" + std::to_string(requestId) + ", " + std::to_string(imageId) +
                             ", '{}', 50, 1, " + std::to_string(userId) + ", '" + at + "')"));
        const auto searchId = tx.lastInsertId();
        for (int rank = 1; rank <= candidates; ++rank) {
            FACELEAD_TRY(run(tx, "INSERT INTO candidates(search_id, rank, gallery_face_id, distance, score) VALUES (" +
                                 std::to_string(searchId) + ", " + std::to_string(rank) + ", " +
                                 std::to_string(faceId) + ", 0.5, 0.5)"));
            candidateIds.push_back(tx.lastInsertId());
        }
        return {};
    }
};

}  // namespace facelead::test
