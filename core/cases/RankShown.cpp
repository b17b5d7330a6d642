#include "core/cases/RankShown.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "core/cases/detail/Rows.h"
#include "core/cases/detail/SignedRows.h"
#include "core/face/DescriptorBlob.h"

namespace facelead::cases {
namespace {

static_assert(kSameUnknownPersonDistance == face::Calibration{}.sameSubjectDistance,
              "the same unknown person is what the engine calls the same subject");

// The candidates whose rank and score user ?2 was shown before audit entry ?3, with when: an audited view with
// "rank_shown", a lead's review (the review shows the candidate's rank and distance: trial 52 F6), a list read with
// its ranks (search results, the case window, the review dialog: "search.ranks_shown" naming the candidates it
// withheld as ",12,15,"), the other candidate of a list of two whose one rank was shown (its rank follows by
// elimination: trial 52 F5), or a case's disclosure packet (it lists every candidate with rank and score: trial 23C M3)
// of the searches run before it (trial 53 F4: a later search's list counted as shown by an earlier packet).
// The store has no JSON functions; details are nlohmann's compact dump, so "rank_shown":true reads exactly so, and
// ",<id>," is found only in the withheld list (no other member of that entry prints a comma before a number).
constexpr const char* kShownAt = R"sql(
shown_directly(candidate_id, seq) AS (
  SELECT CAST(object_id AS INTEGER), seq FROM audit_log
   WHERE user_id = ?2 AND object_type = 'candidate' AND seq < ?3
     AND ((action = 'candidate.viewed' AND instr(details, '"rank_shown":true') > 0) OR action = 'lead.reviewed')),
shown_at(candidate_id, seq) AS (
  SELECT candidate_id, seq FROM shown_directly
  UNION ALL
  SELECT o.id, d.seq FROM shown_directly d
    JOIN candidates k ON k.id = d.candidate_id
    JOIN candidates o ON o.search_id = k.search_id AND o.id <> k.id
   WHERE (SELECT count(*) FROM candidates c WHERE c.search_id = k.search_id) = 2
  UNION ALL
  SELECT k.id, a.seq FROM audit_log a JOIN candidates k ON k.search_id = CAST(a.object_id AS INTEGER)
   WHERE a.user_id = ?2 AND a.action = 'search.ranks_shown' AND a.object_type = 'search' AND a.seq < ?3
     AND instr(a.details, ',' || k.id || ',') = 0
  UNION ALL
  SELECT k.id, a.seq FROM audit_log a
    JOIN search_requests r ON r.case_id = CAST(a.object_id AS INTEGER)
    JOIN searches s ON s.request_id = r.id
    JOIN candidates k ON k.search_id = s.id
   WHERE a.user_id = ?2 AND a.action = 'case.disclosed' AND a.object_type = 'case' AND a.seq < ?3
     AND (SELECT min(r.seq) FROM audit_log r WHERE r.action = 'search.run' AND r.object_type = 'search'
           AND r.object_id = CAST(s.id AS TEXT)) < a.seq))sql";

// The parameters kShownAt reads: ?1 the candidate, ?2 the reader, ?3 the audit entry before which (none: all).
std::int64_t beforeEntry(std::optional<std::int64_t> beforeSeq) {
    return beforeSeq.value_or(std::numeric_limits<std::int64_t>::max());
}

std::int64_t firstColumn(const store::Statement& row) { return row.getInt(0); }

// Search `searchId`'s probe templates, held to what its "search.run" entry recorded (trial 51 F3: a seen search's
// template rewritten, or mine, made a score seen for the same person "unseen"). Empty for a search run before the
// templates were kept (schema v15).
Result<std::vector<face::Descriptor>> keptTemplates(store::Store& store, std::int64_t searchId) {
    FACELEAD_TRY(detail::checkProbeTemplatesKept(store, searchId));
    auto blobs = detail::queryAll(store, "SELECT template FROM search_probe_templates WHERE search_id = ?",
                                  [](const store::Statement& row) { return face::descriptorFromBlob(row.getBlob(0)); },
                                  searchId);
    if (!blobs) return blobs.error();
    std::vector<face::Descriptor> templates;
    for (const auto& descriptor : *blobs)
        if (descriptor) templates.push_back(*descriptor);
    return templates;
}

// Trial 47 F1/F2: the probe, re-encoded (or the same file) and searched in a throw-away case BEFORE the candidate's
// own search, its scores seen, then the candidate "blind" examined. Bytes differ and the time is before, so the other
// rules miss it; the pictures do not: the same subject shown for a probe of the same unknown person (its template
// within kSameUnknownPersonDistance of one of this search's, RankShown.h) was shown for this probe.
Result<bool> shownForTheSamePicture(store::Store& store, std::int64_t candidateId, std::int64_t userId,
                                    std::optional<std::int64_t> beforeSeq) {
    auto mySearch = detail::queryAll(store, "SELECT search_id FROM candidates WHERE id = ?", firstColumn, candidateId);
    if (!mySearch) return mySearch.error();
    if (mySearch->empty()) return false;
    auto myTemplates = keptTemplates(store, mySearch->front());
    if (!myTemplates) return myTemplates.error();
    if (myTemplates->empty()) return false;  // a search run before the templates were kept
    auto seenSearches = detail::queryAll(store, std::string("WITH ") + kShownAt + R"sql(
SELECT DISTINCT o.search_id FROM shown_at a
  JOIN candidates o ON o.id = a.candidate_id
  JOIN gallery_faces g ON g.id = o.gallery_face_id
  JOIN gallery_faces f ON f.subject_id = g.subject_id
  JOIN candidates k ON k.gallery_face_id = f.id AND k.id = ?1)sql",
                                         firstColumn, candidateId, userId, beforeEntry(beforeSeq));
    if (!seenSearches) return seenSearches.error();
    for (const std::int64_t searchId : *seenSearches) {
        auto seenTemplates = keptTemplates(store, searchId);
        if (!seenTemplates) return seenTemplates.error();
        for (const face::Descriptor& probe : *myTemplates)
            for (const face::Descriptor& other : *seenTemplates)
                if (face::FaceEngine::distance(probe, other) <= kSameUnknownPersonDistance) return true;
    }
    return false;
}

}  // namespace

Result<std::vector<SubjectShown>> subjectShownElsewhere(store::Store& store, std::int64_t candidateId,
                                                        std::int64_t userId, std::int64_t beforeSeq) {
    return detail::queryAll(store, std::string("WITH ") + kShownAt + R"sql(
SELECT x.search_id, x.case_number, l.at FROM (
  SELECT o.search_id, cs.case_number, min(a.seq) AS seq FROM shown_at a
    JOIN candidates o ON o.id = a.candidate_id
    JOIN gallery_faces g ON g.id = o.gallery_face_id
    JOIN gallery_faces f ON f.subject_id = g.subject_id
    JOIN candidates k ON k.gallery_face_id = f.id AND k.id = ?1
    JOIN searches s ON s.id = o.search_id
    JOIN search_requests r ON r.id = s.request_id
    JOIN cases cs ON cs.id = r.case_id
   WHERE o.search_id <> k.search_id
   GROUP BY o.search_id) x
  JOIN audit_log l ON l.seq = x.seq ORDER BY x.seq)sql",
                            [](const store::Statement& row) {
                                return SubjectShown{row.getInt(0), row.getText(1), row.getText(2)};
                            },
                            candidateId, userId, beforeSeq);
}

Result<bool> rankShownTo(store::Store& store, std::int64_t candidateId, std::int64_t userId,
                         std::optional<std::int64_t> beforeSeq) {
    // The same probe bytes anywhere: trial
    // 27 F2 (searched again under a new case) and trial 29 N1 (given as a further probe) each gave an examiner who
    // had seen the score a "blind" examination. The same case, any probe: trial 31 H4 (another still of the same
    // unknown man gave the examiner refused twice for the first still a "blind" examination of the same subject).
    // Every picture of the lineage counts, not only its root: a frame taken from a video, handed to a verifier and
    // searched by her, is the same probe (trial 45 F3). And the same subject shown at all after this candidate's
    // search ran: its probe may have been carried into another search under other bytes (trial 46 F1: a verifier
    // re-encoded the probe `lead pair` gave her, searched it in a case of her own and saw the score). A subject seen
    // before the search, in another case and for another probe, stays a new comparison.
    auto counts = detail::queryAll(store, std::string("WITH RECURSIVE ") + kShownAt + R"sql(,
shown(candidate_id) AS (SELECT DISTINCT candidate_id FROM shown_at),
seeds(candidate_id, subject_id, case_id, image_id) AS (
  SELECT k.id, f.subject_id, r.case_id, s.image_id FROM candidates k
    JOIN gallery_faces f ON f.id = k.gallery_face_id
    JOIN searches s ON s.id = k.search_id
    JOIN search_requests r ON r.id = s.request_id
   WHERE k.id = ?1 OR k.id IN (SELECT candidate_id FROM shown)
  UNION ALL
  SELECT k.id, f.subject_id, r.case_id, p.image_id FROM candidates k
    JOIN gallery_faces f ON f.id = k.gallery_face_id
    JOIN search_probes p ON p.search_id = k.search_id
    JOIN searches s ON s.id = k.search_id
    JOIN search_requests r ON r.id = s.request_id
   WHERE k.id = ?1 OR k.id IN (SELECT candidate_id FROM shown)),
lineage(candidate_id, subject_id, case_id, image_id) AS (
  SELECT candidate_id, subject_id, case_id, image_id FROM seeds
  UNION ALL
  SELECT l.candidate_id, l.subject_id, l.case_id, i.parent_id FROM lineage l JOIN images i ON i.id = l.image_id
   WHERE i.parent_id IS NOT NULL),
probe(candidate_id, subject_id, case_id, sha256) AS (
  SELECT l.candidate_id, l.subject_id, l.case_id, i.sha256 FROM lineage l JOIN images i ON i.id = l.image_id)
SELECT count(*) FROM probe mine JOIN probe seen ON seen.subject_id = mine.subject_id
   AND (seen.sha256 = mine.sha256 OR seen.case_id = mine.case_id)
 WHERE mine.candidate_id = ?1 AND seen.candidate_id IN (SELECT candidate_id FROM shown)
 UNION ALL
SELECT 1 FROM candidates k WHERE k.id = ?1 AND (SELECT count(*) FROM candidates o WHERE o.search_id = k.search_id) < 2
 UNION ALL
SELECT count(*) FROM candidates k
  JOIN gallery_faces f ON f.id = k.gallery_face_id
  JOIN gallery_faces g ON g.subject_id = f.subject_id
  JOIN candidates o ON o.gallery_face_id = g.id
  JOIN shown_at a ON a.candidate_id = o.id
 WHERE k.id = ?1 AND a.seq > (SELECT min(seq) FROM audit_log WHERE action = 'search.run' AND object_type = 'search'
                                AND object_id = CAST(k.search_id AS TEXT)))sql",
                                   firstColumn, candidateId, userId, beforeEntry(beforeSeq));
    if (!counts) return counts.error();
    if (std::any_of(counts->begin(), counts->end(), [](std::int64_t count) { return count > 0; })) return true;
    return shownForTheSamePicture(store, candidateId, userId, beforeSeq);
}

}  // namespace facelead::cases
