#pragma once
// Private to core/cases: the SELECTs that turn rows into records, shared by the service's files. Each
// loader works on a Store (reads outside a transaction) or a Transaction (reads inside one).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/cases/CaseRecords.h"
#include "core/common/Result.h"
#include "core/store/Statement.h"
#include "core/store/Store.h"

namespace facelead::cases::detail {

// Column lists (with their joins) in the order the readers below expect.
extern const char* const kCaseSelect;       // ... FROM cases c ...
extern const char* const kImageSelect;      // ... FROM images i ...
extern const char* const kRequestSelect;    // ... FROM search_requests r JOIN cases c ...
extern const char* const kSearchSelect;     // ... FROM searches s ...
extern const char* const kCandidateSelect;  // ... FROM candidates c ...
extern const char* const kLeadSelect;       // ... FROM leads l ...
extern const char* const kFollowUpSelect;   // ... FROM follow_ups f ...
extern const char* const kReviewSelect;     // ... FROM reviews r ...
extern const char* const kLeadSummarySelect;  // ... FROM leads l JOIN ... cases cs ...

CaseRecord readCase(const store::Statement& row);
ImageRecord readImage(const store::Statement& row);
RequestRecord readRequest(const store::Statement& row);
SearchRecord readSearch(const store::Statement& row);  // without candidates
CandidateRecord readCandidate(const store::Statement& row);
// position, image_id, face_box, quality; a hand marking's points only (loadSearch names who and when)
StoredProbe readStoredProbe(const store::Statement& row);
LeadRecord readLead(const store::Statement& row);      // without follow-ups and reviews
FollowUpRecord readFollowUp(const store::Statement& row);
ReviewRecord readReview(const store::Statement& row);
LeadSummary readLeadSummary(const store::Statement& row);

// Steps a bound statement to the end, reading every row.
template <typename Read>
auto collect(store::Statement& statement, Read&& read) -> Result<std::vector<decltype(read(statement))>> {
    std::vector<decltype(read(statement))> rows;
    for (;;) {
        auto more = statement.step();
        if (!more) return more.error();
        if (!*more) return rows;
        rows.push_back(read(statement));
    }
}

// SELECT (columns) + " WHERE ..." with int64 parameters, every row.
template <typename Db, typename Read, typename... Ids>
auto queryAll(Db& db, const std::string& sql, Read&& read, Ids... ids)
    -> Result<std::vector<decltype(read(std::declval<const store::Statement&>()))>> {
    auto statement = db.prepare(sql);
    if (!statement) return statement.error();
    int index = 1;
    (statement->bind(index++, static_cast<std::int64_t>(ids)), ...);
    return collect(*statement, read);
}

// The one row, or NotFound with `what` ("Case 12") in the message.
template <typename Db, typename Read, typename... Ids>
auto queryOne(Db& db, const std::string& sql, const std::string& what, Read&& read, Ids... ids)
    -> Result<decltype(read(std::declval<const store::Statement&>()))> {
    auto rows = queryAll(db, sql, read, ids...);
    if (!rows) return rows.error();
    if (rows->empty()) return makeError(ErrorCode::NotFound, what + " is not in the store.");
    return std::move(rows->front());
}

template <typename Db>
Result<CaseRecord> loadCase(Db& db, std::int64_t caseId) {
    return queryOne(db, std::string(kCaseSelect) + " WHERE c.id = ?", "Case " + std::to_string(caseId), readCase,
                    caseId);
}

template <typename Db>
Result<ImageRecord> loadImage(Db& db, std::int64_t imageId) {
    return queryOne(db, std::string(kImageSelect) + " WHERE i.id = ?", "Image " + std::to_string(imageId), readImage,
                    imageId);
}

// The case with this number, whoever asks: NotFound ("There is no case N; create it first.") when there is none.
// Callers that show it check that the user may read it (CaseService::findCase).
Result<CaseRecord> caseNumbered(store::Store& store, std::string_view caseNumber);

// The picture a probe image was made from: up from enhanced copies to the original, or to the frame taken from a
// video (a video is evidence, never a picture: VI.B.2).
Result<ImageRecord> loadSourcePicture(store::Store& store, std::int64_t imageId);

template <typename Db>
Result<RequestRecord> loadRequest(Db& db, std::int64_t requestId) {
    return queryOne(db, std::string(kRequestSelect) + " WHERE r.id = ?",
                    "Search request " + std::to_string(requestId), readRequest, requestId);
}

template <typename Db>
Result<CandidateRecord> loadCandidate(Db& db, std::int64_t candidateId) {
    return queryOne(db, std::string(kCandidateSelect) + " WHERE c.id = ?", "Candidate " + std::to_string(candidateId),
                    readCandidate, candidateId);
}

// With its candidates, by rank.
template <typename Db>
Result<SearchRecord> loadSearch(Db& db, std::int64_t searchId) {
    auto search = queryOne(db, std::string(kSearchSelect) + " WHERE s.id = ?", "Search " + std::to_string(searchId),
                           readSearch, searchId);
    if (!search) return search.error();
    auto candidates =
        queryAll(db, std::string(kCandidateSelect) + " WHERE c.search_id = ? ORDER BY c.rank", readCandidate, searchId);
    if (!candidates) return candidates.error();
    search->candidates = std::move(*candidates);
    auto probes = queryAll(db, "SELECT position, image_id, face_box, quality FROM search_probes WHERE search_id = ? "
                               "ORDER BY position", readStoredProbe, searchId);
    if (!probes) return probes.error();
    search->furtherProbes = std::move(*probes);
    // A further probe marked by hand was marked by the searcher, in the wizard, and recorded when the search ran.
    for (StoredProbe& probe : search->furtherProbes)
        if (probe.handMarking) {
            probe.handMarking->markedBy = search->runBy;
            probe.handMarking->markedAt = search->runAt;
        }
    return search;
}

// With its follow-ups and reviews, oldest first.
template <typename Db>
Result<LeadRecord> loadLeadOfCandidate(Db& db, std::int64_t candidateId) {
    auto lead = queryOne(db, std::string(kLeadSelect) + " WHERE l.candidate_id = ?",
                         "A lead for candidate " + std::to_string(candidateId), readLead, candidateId);
    if (!lead) return lead.error();
    auto followUps =
        queryAll(db, std::string(kFollowUpSelect) + " WHERE f.lead_id = ? ORDER BY f.id", readFollowUp, lead->id);
    if (!followUps) return followUps.error();
    auto reviews = queryAll(db, std::string(kReviewSelect) + " WHERE r.lead_id = ? ORDER BY r.id", readReview, lead->id);
    if (!reviews) return reviews.error();
    for (FollowUpRecord& followUp : *followUps) {
        auto items = queryAll(db,
                              "SELECT type, description, independent_of_search FROM follow_up_evidence "
                              "WHERE follow_up_id = ? ORDER BY id",
                              [](const store::Statement& row) {
                                  return workflow::EvidenceItem{row.getText(0), row.getText(1), row.getInt(2) == 1};
                              },
                              followUp.id);
        if (!items) return items.error();
        followUp.followUp.evidence = std::move(*items);
    }
    lead->followUps = std::move(*followUps);
    lead->reviews = std::move(*reviews);
    auto reopened = queryAll(db,
                             "SELECT at FROM audit_log WHERE action = 'lead.reopened' AND object_type = 'candidate' "
                             "AND object_id = CAST(? AS TEXT) ORDER BY seq",
                             [](const store::Statement& row) { return row.getText(0); }, candidateId);
    if (!reopened) return reopened.error();
    lead->reopenedAt = std::move(*reopened);
    return lead;
}

// The follow-up's discrepancy checklist as stored (follow_ups.discrepancy_checklist); unknown = unanswered.
nlohmann::json checklistToJson(const workflow::DiscrepancyChecklist& checklist);
workflow::DiscrepancyChecklist checklistFromJson(const std::string& text);

nlohmann::json boxToJson(const face::Box& box);
// A further probe's face as search_probes.face_box records it (and its search.run entry, which signs it): the box,
// and for a face marked by hand its points ("marked_points": face::formatMarkedPoints, the image's pixels).
nlohmann::json probeBoxToJson(const face::Box& box, const std::optional<face::MarkedPoints>& marked);
std::optional<std::string> markedPointsFromBoxJson(const std::string& text);
face::Box boxFromJson(const std::string& text);

std::string_view imageKindName(ImageKind kind);  // "original" / "derived"

}  // namespace facelead::cases::detail
