#include "core/reports/Disclosure.h"
#include "core/reports/CaseReport.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <span>

#include <nlohmann/json.hpp>

#include "core/accounts/AccountService.h"
#include "core/accounts/Authority.h"
#include "core/admin/Administration.h"
#include "core/cases/RankShown.h"
#include "core/cases/VideoFrames.h"
#include "core/cases/VerificationStanding.h"
#include "core/cases/SearchRunEntry.h"
#include "core/audit/AuditLog.h"
#include "core/audit/ImageIntegrity.h"
#include "core/audit/SignedRecords.h"
#include "core/common/Hash.h"
#include "core/common/Text.h"
#include "core/face/ModelFiles.h"
#include "core/gallery/EnrolledFaces.h"
#include "core/face/QualityJson.h"
#include "core/imaging/Enhancement.h"
#include "core/imaging/Video.h"
#include "core/training/TrainingService.h"
#include "core/training/TrainingStatus.h"
#include "core/reports/AuditLogState.h"
#include "core/workflow/Examination.h"
#include "core/workflow/Purposes.h"

namespace facelead::reports {
namespace {

// Ordered: the packet reads top to bottom as the PDF does.
using Json = nlohmann::ordered_json;

Json person(const cases::Person& p) { return {{"id", p.id}, {"name", p.displayName}}; }

Json nullable(const std::optional<std::int64_t>& value) { return value ? Json(*value) : Json(nullptr); }

// Everything the packet is built from, read once.
struct Sources {
    store::Store& store;
    cases::CaseService& cases;
    std::int64_t userId;
    const cases::CaseHistory& history;
    std::map<std::int64_t, const cases::ImageRecord*> images;
    std::map<std::int64_t, const cases::LeadRecord*> leadsByCandidate;
    const cases::CaseExaminations& examinations;
    std::map<std::int64_t, std::vector<std::uint8_t>> verifiedBytes;  // image id -> bytes, SHA-256 re-checked
    // video id -> its damage found now: each stored video is read through once per packet, however many probes
    // were taken from it (reading a long video takes seconds).
    std::map<std::int64_t, std::optional<std::string>> videoDamageNow;
};

Result<const std::vector<std::uint8_t>*> verifiedImage(Sources& sources, std::int64_t imageId) {
    if (auto found = sources.verifiedBytes.find(imageId); found != sources.verifiedBytes.end()) return &found->second;
    auto bytes = audit::readImageBytes(sources.store, sources.userId, imageId);
    if (!bytes) return bytes.error();
    return &(sources.verifiedBytes[imageId] = std::move(bytes->bytes));
}

Json systemJson() {
    const auto algorithm = face::algorithmDescription();
    Json models = Json::array();
    for (const auto& model : face::kModelFiles)
        models.push_back({{"file", model.fileName}, {"purpose", model.purpose}, {"bytes", model.bytes},
                          {"sha256", model.sha256}});
    return {{"name", "FaceLead"},
            {"version", FACELEAD_VERSION},
            {"algorithm",
             {{"detection", algorithm.detection},
              {"descriptor", algorithm.descriptor},
              {"comparison", algorithm.comparison},
              {"libraries", algorithm.libraries}}},
            {"models", std::move(models)},
            {"models_note", "The engine refuses to start unless each file has exactly this size and SHA-256."},
            {"threshold",
             {{"distance", face::Calibration{}.sameSubjectDistance},
              {"source", face::kCalibrationSource},
              {"use", "Shown as similarity 0.5; it neither admits nor removes a candidate from the list."}}},
            {"face_selection",
             "In each probe image of a search, the searcher chooses one of the faces the detector found (numbered "
             "in reading order) or, when the detector missed it or placed it wrongly, marks the face by hand (the "
             "eye centres, optionally the nose tip and mouth corners), from which the face is aligned: each probe "
             "below says which, and who marked it. The box searched is recorded in the searched image's pixels."}};
}

Json requestJson(const cases::RequestRecord& record) {
    const auto& req = record.request;
    Json attested = Json::array();
    for (const auto& use : workflow::prohibitedUses())
        if (req.attestedNotFor.count(use.use)) attested.push_back(use.citation);
    Json consent = nullptr;
    if (req.consent)
        consent = {{"kind", workflow::consentKindName(req.consent->kind)},
                   {"not_detained_for_capture", req.consent->notDetainedForCapture},
                   {"reason_unable_to_consent", req.consent->reasonUnableToConsent},
                   {"submission_purpose", req.consent->submissionPurpose}};
    Json purpose = nullptr;
    if (req.purpose) {
        const auto& info = workflow::purposeInfo(*req.purpose);
        purpose = {{"code", info.code}, {"citation", info.citation}, {"label", info.label}};
    }
    return {{"id", record.id},
            {"offence", req.offence},
            {"purpose", std::move(purpose)},
            {"justification", req.justification},
            {"attested_not_for", std::move(attested)},
            {"consent", std::move(consent)},
            {"image_source", req.imageSource},
            {"requested_by", person(record.requestedBy)},
            {"requested_at", record.requestedAt}};
}

Json editJson(const cases::ImageRecord& copy) {
    Json steps = Json::array();
    if (copy.recipeJson) {
        if (auto recipe = imaging::recipeFromJson(*copy.recipeJson)) {
            // A frame taken from a video starts the copy's history: which frame, when, of which video.
            if (recipe->videoFrame) steps.push_back(imaging::describeVideoFrame(*recipe->videoFrame));
            for (const auto& step : recipe->steps) steps.push_back(imaging::describeStep(step));
        }
        else
            steps.push_back(*copy.recipeJson);  // as recorded, even if this build cannot read it
    }
    return {{"image_id", copy.id},        {"made_from", nullable(copy.parentId)}, {"steps", std::move(steps)},
            {"by", person(copy.createdBy)}, {"at", copy.createdAt},             {"sha256", copy.sha256}};
}

// One probe of a search as stored: its position (1 = the search's own image), the image searched, its face box
// and quality, what the search's entry recorded of it (`audited`: face number, file name), a hand marking.
struct ProbeFacts {
    int position = 1;
    std::int64_t imageId = 0;
    face::Box faceBox;
    const std::string& qualityJson;
    const Json& audited;
    const std::optional<cases::HandMarking>& handMarking;
    bool poorQualityAcknowledged = false;
};

// The searches of other cases whose probe (any position, or a copy made from it) is the same original bytes (trial 31
// M2: a probe searched first in a throwaway case left no trace in the packet of the real one).
Result<Json> searchedInOtherCases(Sources& sources, const std::string& originalSha256) {
    auto statement = sources.store.prepare(R"sql(
WITH RECURSIVE
probe_images(search_id, image_id) AS (
  SELECT id, image_id FROM searches UNION ALL SELECT search_id, image_id FROM search_probes),
lineage(search_id, image_id) AS (
  SELECT search_id, image_id FROM probe_images
  UNION ALL
  SELECT l.search_id, i.parent_id FROM lineage l JOIN images i ON i.id = l.image_id WHERE i.parent_id IS NOT NULL)
SELECT DISTINCT s.id, c.case_number, s.run_at, s.run_by, coalesce(u.display_name, '') FROM lineage l
  JOIN images i ON i.id = l.image_id AND i.parent_id IS NULL
  JOIN searches s ON s.id = l.search_id JOIN search_requests r ON r.id = s.request_id JOIN cases c ON c.id = r.case_id
  LEFT JOIN users u ON u.id = s.run_by
 WHERE i.sha256 = ?1 AND r.case_id <> ?2 ORDER BY s.id)sql");
    if (!statement) return statement.error();
    statement->bind(1, originalSha256).bind(2, sources.history.caseRecord.id);
    Json searches = Json::array();
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        searches.push_back({{"search_id", statement->getInt(0)},
                            {"case_number", statement->getText(1)},
                            {"run_at", statement->getText(2)},
                            {"run_by", person({statement->getInt(3), statement->getText(4)})}});
    }
    return searches;
}

// The frame taken from a video that the searched image is, or was enhanced from: the first in its lineage.
const cases::ImageRecord* frameIn(const std::vector<const cases::ImageRecord*>& chain) {
    const auto frame = std::ranges::find_if(chain, [](const auto* image) { return cases::frameTakenFromVideo(*image).has_value(); });
    return frame == chain.end() ? nullptr : *frame;
}

Json videoFrameJson(const cases::ImageRecord* frameImage) {
    if (!frameImage) return nullptr;
    const auto frame = cases::frameTakenFromVideo(*frameImage);
    return {{"frame", frame->frame}, {"time_ms", frame->timeMs}, {"timecode", imaging::timecodeText(frame->timeMs)}};
}

Json nullableText(const std::optional<std::string>& text) { return text ? Json(*text) : Json(nullptr); }

// The probe's damage as fields of their own (trial 75 F3: it was only inside the quality's reasons): what intake
// noticed storing the original, what the decoder met taking the frame (trial 76 F4), and for a video what reading it
// through and taking again every frame the case took from it meets now (trial 76 F5: the searched frame alone could
// decode cleanly), as the case report finds it.
Json damageJson(Sources& sources, const cases::ImageRecord& original, std::span<const std::uint8_t> originalBytes,
                const cases::ImageRecord* frameImage) {
    Json foundNow = nullptr;
    if (frameImage) {
        auto [found, first] = sources.videoDamageNow.try_emplace(original.id);
        if (first)
            found->second = cases::videoDamageFoundNow(originalBytes, cases::framesTakenFrom(sources.history.images, original.id));
        foundNow = nullableText(found->second);
    }
    return {{"noticed_at_intake", nullableText(cases::damageNoticedWhenStored(original))},
            {"noticed_taking_the_frame", frameImage ? nullableText(cases::damageNoticedWhenStored(*frameImage)) : Json(nullptr)},
            {"found_now_in_the_video", std::move(foundNow)}};
}

// The searched image, the original it was made from (SHA-256 re-checked now) and every edit between them.
Result<Json> probeJson(Sources& sources, const ProbeFacts& probe) {
    std::vector<const cases::ImageRecord*> chain;  // searched image first, then its parents
    for (std::optional<std::int64_t> id = probe.imageId; id;) {
        const auto found = sources.images.find(*id);
        if (found == sources.images.end())
            return makeError(ErrorCode::Internal, "Image #" + std::to_string(*id) + " of the case was not found.");
        chain.push_back(found->second);
        id = found->second->kind == cases::ImageKind::Derived ? found->second->parentId : std::nullopt;
    }
    const cases::ImageRecord& original = *chain.back();
    auto originalBytes = verifiedImage(sources, original.id);
    if (!originalBytes) return originalBytes.error();
    FACELEAD_TRY(verifiedImage(sources, probe.imageId));
    const cases::ImageRecord* frameImage = frameIn(chain);
    Json videoFrame = videoFrameJson(frameImage);
    Json damage = damageJson(sources, original, **originalBytes, frameImage);
    Json edits = Json::array();
    for (auto it = chain.rbegin() + 1; it != chain.rend(); ++it) edits.push_back(editJson(**it));
    auto elsewhere = searchedInOtherCases(sources, original.sha256);
    if (!elsewhere) return elsewhere.error();

    Json quality = Json::parse(probe.qualityJson, nullptr, false);
    if (!quality.is_object()) quality = Json::object();
    const auto& box = probe.faceBox;
    // Searches from before file names were recorded have none.
    const Json fileName = probe.audited.value("file_name", std::string()).empty() ? Json(nullptr)
                                                                                  : probe.audited["file_name"];
    const auto& marking = probe.handMarking;
    return Json{{"position", probe.position},
                {"file_name", fileName},
                {"searched_image_id", probe.imageId},
                {"searched_image_sha256", chain.front()->sha256},
                {"searched_image_is_copy", chain.size() > 1},
                {"video_frame", std::move(videoFrame)},
                {"damage", std::move(damage)},
                {"original",
                 {{"image_id", original.id},
                  {"sha256", original.sha256},
                  {"sha256_rechecked", true},
                  {"format", original.format},
                  {"width", original.width},
                  {"height", original.height},
                  {"size_bytes", original.sizeBytes},
                  {"source", original.source},
                  {"stored_by", person(original.createdBy)},
                  {"stored_at", original.createdAt},
                  {"searched_in_other_cases", std::move(*elsewhere)}}},
                {"edits", std::move(edits)},
                {"face_box", {{"left", box.left}, {"top", box.top}, {"right", box.right}, {"bottom", box.bottom}}},
                {"face_number", probe.audited.value("face_number", Json(nullptr))},
                {"faces_in_image", probe.audited.value("faces_in_image", Json(nullptr))},
                {"face_marked_by_hand", marking ? Json{{"points", marking->points},
                                                       {"marked_by", person(marking->markedBy)},
                                                       {"marked_at", marking->markedAt},
                                                       {"statement", cases::handMarkingText(*marking)}}
                                                : Json(nullptr)},
                {"quality", std::move(quality)},
                // The search's acknowledgement is of its poor probes, not of every probe (trial 40 F10).
                {"poor_quality_acknowledged", face::poorQualityAcknowledged(probe.poorQualityAcknowledged, probe.qualityJson)}};
}

// Every probe of the search, the first (the search's own image) first (issue 10 item 6: several probes of one person).
Result<Json> probesJson(Sources& sources, const cases::SearchRecord& search) {
    auto details = cases::searchRunEntry(sources.store, search.id);
    if (!details) return details.error();
    const Json& further = details->contains("further_probes") ? (*details)["further_probes"] : Json::array();
    Json probes = Json::array();
    auto first = probeJson(sources, {1, search.imageId, search.faceBox, search.qualityJson, *details, search.handMarking,
                                     search.poorQualityAcknowledged});
    if (!first) return first.error();
    probes.push_back(std::move(*first));
    for (std::size_t i = 0; i < search.furtherProbes.size(); ++i) {
        const cases::StoredProbe& stored = search.furtherProbes[i];
        const Json audited = i < further.size() && further[i].is_object() ? further[i] : Json::object();
        auto probe = probeJson(sources, {stored.position + 1, stored.imageId, stored.faceBox, stored.qualityJson, audited,
                                         stored.handMarking, search.poorQualityAcknowledged});
        if (!probe) return probe.error();
        probes.push_back(std::move(*probe));
    }
    return probes;
}

// The gallery as it stood when the search ran: faces enrolled by then and not yet removed, per source.
Result<Json> galleryJson(store::Store& store, const cases::SearchRecord& search) {
    auto st = store.prepare(
        "SELECT s.source, count(DISTINCT s.id), count(f.id), min(f.created_at), max(f.created_at) "
        "FROM gallery_faces f JOIN gallery_subjects s ON s.id = f.subject_id "
        "WHERE f.created_at <= ?1 AND (s.removed_at IS NULL OR s.removed_at > ?1) GROUP BY s.source ORDER BY s.source");
    if (!st) return st.error();
    st->bind(1, search.runAt);
    Json sources = Json::array();
    for (;;) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        sources.push_back({{"source", st->getText(0)},
                           {"subjects", st->getInt(1)},
                           {"faces", st->getInt(2)},
                           {"first_enrolled_at", st->getText(3)},
                           {"last_enrolled_at", st->getText(4)}});
    }
    return Json{{"size", search.gallerySize}, {"sources", std::move(sources)}};
}

Json evidenceJson(const std::vector<workflow::EvidenceItem>& items) {
    Json json = Json::array();
    for (const auto& item : items)
        json.push_back({{"type", item.type}, {"description", item.description}, {"independent_of_search", item.independentOfSearch}});
    return json;
}

Json checklistJson(const workflow::DiscrepancyChecklist& checklist) {
    Json json = Json::object();
    for (workflow::ChecklistItem item : workflow::allChecklistItems())
        json[std::string(workflow::checklistItemName(item))] = {
            {"answer", workflow::checklistAnswerName(checklist[item].answer)}, {"note", checklist[item].note}};
    return json;
}

Json photoJson(const cases::GalleryPhoto& photo) {
    return {{"gallery_face_id", photo.galleryFaceId},
            {"taken_at", photo.takenAt ? Json(*photo.takenAt) : Json(nullptr)},
            {"enrolled_at", photo.enrolledAt}};
}

// Issue 11 item 3 and MEDIUM-2: the candidate's oldest and most recent gallery photos the reviewer compared, dated
// by when they were taken where the photo says so (EXIF DateTimeOriginal), else only by their enrolment.
Json galleryPhotosJson(const cases::CandidatePhotos& photos) {
    return {{"count", photos.photoCount}, {"oldest", photoJson(photos.oldest)}, {"most_recent", photoJson(photos.newest)}};
}

Json leadJson(const cases::LeadRecord& lead, const cases::CandidatePhotos& photos) {
    Json followUps = Json::array();
    for (const auto& f : lead.followUps)
        followUps.push_back({{"id", f.id},
                             {"steps_taken", f.followUp.stepsTaken},
                             {"corroborating_evidence", f.followUp.corroboratingEvidence},
                             {"evidence_items", evidenceJson(f.followUp.evidence)},
                             {"discrepancy_checklist", checklistJson(f.followUp.checklist)},
                             {"outcome", workflow::followUpOutcomeName(f.followUp.outcome)},
                             {"recorded_by", person(f.recordedBy)},
                             {"recorded_at", f.recordedAt}});
    Json reviews = Json::array();
    for (const auto& r : lead.reviews)
        reviews.push_back({{"id", r.id},
                           {"follow_up_id", nullable(r.followUpId)},
                           {"decision", workflow::leadStatusName(r.decision)},
                           {"note", r.note},
                           {"reviewed_by", person(r.reviewedBy)},
                           {"reviewed_at", r.reviewedAt}});
    return {{"id", lead.id},
            {"status", workflow::leadStatusName(lead.status)},
            {"note", lead.note},
            {"marked_by", person(lead.markedBy)},
            {"marked_at", lead.markedAt},
            {"gallery_photos", galleryPhotosJson(photos)},
            {"follow_ups", std::move(followUps)},
            {"reviews", std::move(reviews)},
            {"reopened_at", lead.reopenedAt}};
}

// The examiner's first entry on the candidate among `actions` (a quoted SQL list); nullopt when there is none.
Result<std::optional<std::int64_t>> firstEntryOn(store::Store& store, std::int64_t candidateId, std::int64_t userId,
                                                 std::string_view actions) {
    auto statement = store.prepare("SELECT min(seq) FROM audit_log WHERE user_id = ?2 AND action IN (" +
                                   std::string(actions) + ") AND object_type = 'candidate' AND object_id = "
                                   "CAST(?1 AS TEXT)");
    if (!statement) return statement.error();
    statement->bind(1, candidateId).bind(2, userId);
    auto row = statement->step();
    if (!row) return row.error();
    return *row ? statement->getOptionalInt(0) : std::nullopt;
}

// Whether `userId` had been shown the candidate's rank and score (cases::rankShownTo) before their first entry on the
// candidate among `actions`: an examination or a resolution decides on the faces, so the packet says when one was not
// blind (trial 27 F3; trial 29 N8: one recorded before FaceLead also held the same probe searched elsewhere to the
// rule was printed "blind to rank and score").
Result<bool> shownRankBefore(store::Store& store, std::int64_t candidateId, std::int64_t userId,
                             std::string_view actions) {
    auto decided = firstEntryOn(store, candidateId, userId, actions);
    if (!decided) return decided.error();
    if (!*decided) return false;  // nothing decided: nothing to be blind for
    return cases::rankShownTo(store, candidateId, userId, **decided);
}

// The lists of other searches where the examiner had been shown the same person's rank before their entry `decided`
// (cases::subjectShownElsewhere, trial 52 F1).
Result<Json> subjectShownJson(store::Store& store, std::int64_t candidateId, std::int64_t userId, std::int64_t decided) {
    auto lists = cases::subjectShownElsewhere(store, candidateId, userId, decided);
    if (!lists) return lists.error();
    Json shown = Json::array();
    for (const cases::SubjectShown& list : *lists)
        shown.push_back({{"search_id", list.searchId}, {"case_number", list.caseNumber}, {"shown_at", list.shownAt}});
    return shown;
}

Result<Json> examinationsJson(store::Store& store, const std::vector<cases::ExaminationRecord>& records) {
    Json json = Json::array();
    for (const auto& r : records) {
        auto decided = firstEntryOn(store, r.candidateId, r.examiner.id, "'candidate.examined', 'candidate.verified'");
        if (!decided) return decided.error();
        auto sawRank = *decided ? cases::rankShownTo(store, r.candidateId, r.examiner.id, **decided) : Result<bool>(false);
        if (!sawRank) return sawRank.error();
        auto shownElsewhere =
            *decided ? subjectShownJson(store, r.candidateId, r.examiner.id, **decided) : Result<Json>(Json::array());
        if (!shownElsewhere) return shownElsewhere.error();
        Json components = Json::object();
        for (workflow::FacialComponent c : workflow::allFacialComponents()) {
            const auto& rating = r.examination[c];
            components[std::string(workflow::componentName(c))] = {
                {"finding", rating.finding ? Json(workflow::findingName(*rating.finding)) : Json(nullptr)},
                {"note", rating.note}};
        }
        json.push_back({{"id", r.id},
                        {"kind", workflow::examinationKindName(r.kind)},
                        {"examiner", person(r.examiner)},
                        {"recorded_at", r.recordedAt},
                        {"components", std::move(components)},
                        {"conclusion", workflow::conclusionName(r.examination.conclusion)},
                        {"note", r.examination.note},
                        {"blind", !*sawRank},
                        {"person_shown_elsewhere", std::move(*shownElsewhere)}});
    }
    return json;
}

Result<Json> resolutionJson(store::Store& store, const cases::CaseExaminations& all, std::int64_t candidateId) {
    const auto found = all.resolutions.find(candidateId);
    if (found == all.resolutions.end()) return Json(nullptr);
    const auto& r = found->second;
    auto sawRank = shownRankBefore(store, candidateId, r.resolvedBy.id, "'examination.disagreement_resolved'");
    if (!sawRank) return sawRank.error();
    return Json{{"conclusion", workflow::conclusionName(r.conclusion)},
                {"note", r.note},
                {"resolved_by", person(r.resolvedBy)},
                {"resolved_at", r.resolvedAt},
                {"blind", !*sawRank}};
}

// Whether the candidate's examination was independently verified, and how it stands (trial 25B M1, L1: a verifier's
// exclusion recorded after the lead was cleared left the packet saying nothing, the lead "cleared for action").
// after_clearing: a comparison recorded after the lead's first clearing, which reviewed nothing the clearing stood on.
Json verificationJson(const std::vector<cases::ExaminationRecord>& records, bool resolved, const Json& lead) {
    std::string_view status = "not_examined";
    switch (cases::verificationStanding(records)) {
        case cases::VerificationStanding::NotExamined: break;
        case cases::VerificationStanding::NotVerified: status = "not_verified"; break;
        case cases::VerificationStanding::Agree: status = "agree"; break;
        case cases::VerificationStanding::Disagree: status = resolved ? "disagree_resolved" : "disagree_open"; break;
    }
    std::string clearedAt;  // ISO 8601 UTC, comparable as text
    if (!lead.is_null())
        for (const auto& review : lead["reviews"])
            if (review["decision"] == workflow::leadStatusName(workflow::LeadStatus::ClearedForAction) &&
                (clearedAt.empty() || review["reviewed_at"].get<std::string>() < clearedAt))
                clearedAt = review["reviewed_at"].get<std::string>();
    const bool afterClearing =
        !clearedAt.empty() && std::any_of(records.begin(), records.end(), [&](const cases::ExaminationRecord& r) {
            return r.recordedAt > clearedAt;
        });
    return {{"status", status}, {"after_clearing", afterClearing}};
}

// The candidate list as the search stored it, nearest first. The case service withholds rank, distance and
// score from a reader who may still examine a candidate blind (issue 11 item 1); a disclosure owes them all.
Result<std::vector<cases::CandidateRecord>> storedCandidates(store::Store& store, const cases::SearchRecord& search) {
    auto candidates = search.candidates;
    auto st = store.prepare("SELECT rank, distance, score FROM candidates WHERE id = ?");
    if (!st) return st.error();
    for (auto& c : candidates) {
        if (!c.rankHidden) continue;
        st->reset();
        st->bind(1, c.id);
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) return makeError(ErrorCode::Internal, "Candidate #" + std::to_string(c.id) + " was not found.");
        c.rank = static_cast<int>(st->getInt(0));
        c.distance = st->getDouble(1);
        c.score = st->getDouble(2);
        c.rankHidden = false;
    }
    std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) { return a.rank < b.rank; });
    return candidates;
}

// The rule pack the search was held to, as its "search.run" entry recorded it; null for a search run before it did.
Result<Json> rulePackJson(Sources& sources, const cases::SearchRecord& search) {
    auto details = cases::searchRunEntry(sources.store, search.id);
    if (!details) return details.error();
    const auto found = details->find("rule_pack");
    return found != details->end() && found->is_object() ? *found : Json(nullptr);
}

Json approvalProbesJson(const cases::SearchApproval& approval) {
    Json probes = Json::array();
    for (const auto& probe : approval.probes)
        probes.push_back({{"sha256", probe.sha256}, {"file_name", probe.fileName}, {"video_frame", nullable(probe.videoFrame)}});
    return probes;
}

// The supervisor's approval before the search, when the rule pack asked one (issue 11 item 5; trial 19B MEDIUM-3).
Result<Json> approvalJson(Sources& sources, const cases::SearchRecord& search) {
    auto used = sources.cases.approvalUsedBy(search.requestId);
    if (!used) return used.error();
    if (!*used || !(*used)->approvedBy) return Json(nullptr);
    const cases::SearchApproval& approval = **used;
    return Json{{"id", approval.id},
                {"pack", approval.pack},
                {"requested_by", person(approval.requestedBy)},
                {"requested_at", approval.requestedAt},
                {"reason", approval.justification},
                {"approved_by", person(*approval.approvedBy)},
                {"approved_at", approval.approvedAt},
                {"probes", approvalProbesJson(approval)}};
}

std::string approvalStatus(const cases::SearchApproval& approval) {
    if (approval.usedByRequest) return "used";
    if (approval.withdrawn()) return "withdrawn";
    return approval.approved() ? "approved_not_used" : "waiting";
}

// Every search asked of a supervisor in this case, whatever became of it (trial 49 F3): a search asked for and then
// withdrawn, or left waiting while another ran, is part of what the case did.
Json approvalRequestsJson(const std::vector<cases::SearchApproval>& approvals) {
    Json requests = Json::array();
    for (const auto& approval : approvals) {
        const auto& purpose = workflow::purposeInfo(approval.purpose);
        requests.push_back({{"id", approval.id},
                            {"pack", approval.pack},
                            {"purpose", {{"code", purpose.code}, {"citation", purpose.citation}, {"label", purpose.label}}},
                            {"offence", approval.offence},
                            {"reason", approval.justification},
                            {"requested_by", person(approval.requestedBy)},
                            {"requested_at", approval.requestedAt},
                            {"status", approvalStatus(approval)},
                            {"approved_by", approval.approvedBy ? person(*approval.approvedBy) : Json(nullptr)},
                            {"approved_at", approval.approved() ? Json(approval.approvedAt) : Json(nullptr)},
                            {"withdrawn_at", approval.withdrawn() ? Json(approval.withdrawnAt) : Json(nullptr)},
                            {"used_by_request", nullable(approval.usedByRequest)},
                            {"probes", approvalProbesJson(approval)}});
    }
    return requests;
}

Result<Json> searchJson(Sources& sources, const cases::SearchRecord& search) {
    Json request = nullptr;
    for (const auto& r : sources.history.requests)
        if (r.id == search.requestId) request = requestJson(r);
    auto rulePack = rulePackJson(sources, search);
    if (!rulePack) return rulePack.error();
    auto approval = approvalJson(sources, search);
    if (!approval) return approval.error();
    auto probes = probesJson(sources, search);
    if (!probes) return probes.error();
    Json probe = std::move(probes->front());
    probes->erase(probes->begin());
    auto gallery = galleryJson(sources.store, search);
    if (!gallery) return gallery.error();
    auto stored = storedCandidates(sources.store, search);
    if (!stored) return stored.error();
    auto review = sources.cases.humanReview(search.id);
    if (!review) return review.error();
    Json examiners = Json::array(), resolvers = Json::array();
    for (const auto& p : review->examiners) examiners.push_back(person(p));
    for (const auto& p : review->resolvedBy) resolvers.push_back(person(p));
    Json candidates = Json::array();
    for (const auto& c : *stored) {
        const auto lead = sources.leadsByCandidate.find(c.id);
        Json leadEntry = nullptr;
        if (lead != sources.leadsByCandidate.end()) {
            auto photos = sources.cases.candidatePhotos(c.id);
            if (!photos) return photos.error();
            leadEntry = leadJson(*lead->second, *photos);
        }
        const auto examined = sources.examinations.byCandidate.find(c.id);
        const auto records = examined == sources.examinations.byCandidate.end() ? std::vector<cases::ExaminationRecord>{}
                                                                                : examined->second;
        Json verification = verificationJson(records, sources.examinations.resolutions.count(c.id) > 0, leadEntry);
        auto resolution = resolutionJson(sources.store, sources.examinations, c.id);
        if (!resolution) return resolution.error();
        auto examinations = examinationsJson(sources.store, records);
        if (!examinations) return examinations.error();
        candidates.push_back({{"id", c.id},
                              {"rank", c.rank},
                              {"subject_id", c.subjectId},
                              {"subject_name", c.subjectName},
                              {"gallery_face_id", c.galleryFaceId},
                              {"distance", c.distance},
                              {"score", c.score},
                              {"probe", c.probe + 1},  // the position of the probe nearest to the candidate's photo
                              {"decision", workflow::leadStatusName(c.status)},
                              {"examinations", std::move(*examinations)},
                              {"independent_verification", std::move(verification)},
                              {"resolution", std::move(*resolution)},
                              {"lead", std::move(leadEntry)}});
    }
    return Json{{"id", search.id},
                {"request", std::move(request)},
                {"rule_pack", std::move(*rulePack)},
                {"pre_search_approval", std::move(*approval)},
                {"run_by", person(search.runBy)},
                {"run_at", search.runAt},
                {"probe", std::move(probe)},
                {"further_probes", std::move(*probes)},
                {"gallery", std::move(*gallery)},
                {"candidate_list_size", search.candidateLimit},
                {"candidates_returned", search.candidates.size()},
                {"candidates", std::move(candidates)},
                // Washington RCW 43.386.010 / Colorado SB 22-113: whether meaningful human review happened, by whom.
                {"human_review",
                 {{"meaningful", review->meaningful}, {"examiners", std::move(examiners)}, {"resolved_by", std::move(resolvers)}}}};
}

// A person as the signed log has them: roles, status, name and training date (Session::signedGrantsOf).
Result<accounts::User> signedPerson(accounts::Session& session, std::int64_t id) {
    auto stored = accounts::loadUser(session.store(), id);
    if (!stored) return stored.error();
    auto granted = session.signedGrantsOf(std::move(*stored));
    if (!granted) return granted.error();
    return std::move(granted->user);
}

// Who signed the person's latest training off, as the signed log recorded it; null for nobody. The table's
// training_signed_off_by and date were rewritten, and the packet told counsel that the chief had signed off
// training that had lapsed (trial 22A F7).
Result<Json> trainingSignedOffBy(accounts::Session& session, std::int64_t id) {
    auto signOffs = audit::AuditLog::list(session.store(), {.action = "user.training_recorded", .objectType = "user",
                                                            .objectId = std::to_string(id)});
    if (!signOffs) return signOffs.error();
    const auto latest = std::find_if(signOffs->rbegin(), signOffs->rend(), [&](const audit::AuditEntry& entry) {
        return entry.userId && audit::signedAsRecorded(session.ledger(), entry);
    });
    if (latest == signOffs->rend()) return Json(nullptr);
    auto trainer = signedPerson(session, *latest->userId);
    if (!trainer) return trainer.error();
    return Json(trainer->displayName.empty() ? trainer->username : trainer->displayName);
}

// Everyone who did something in the case, with their roles and training (VI.D.2.b) as of now, as signed.
Result<Json> peopleJson(accounts::Session& session, const cases::CaseHistory& history,
                        const cases::CaseExaminations& examinations, int trainingValidityDays) {
    std::set<std::int64_t> ids{history.caseRecord.createdBy.id};
    if (history.caseRecord.assignedOfficer) ids.insert(history.caseRecord.assignedOfficer->id);
    for (const auto& r : history.requests) ids.insert(r.requestedBy.id);
    for (const auto& i : history.images) ids.insert(i.createdBy.id);
    for (const auto& s : history.searches) ids.insert(s.runBy.id);
    for (const auto& l : history.leads) {
        ids.insert(l.markedBy.id);
        for (const auto& f : l.followUps) ids.insert(f.recordedBy.id);
        for (const auto& r : l.reviews) ids.insert(r.reviewedBy.id);
    }
    // The examiners and verifiers (their training is what makes a verification independent and trained) and
    // the supervisors who settled a disagreement, whether or not the candidate became a lead.
    for (const auto& [candidate, records] : examinations.byCandidate)
        for (const auto& e : records) ids.insert(e.examiner.id);
    for (const auto& [candidate, resolution] : examinations.resolutions) ids.insert(resolution.resolvedBy.id);
    const TimePoint now = session.store().now();
    Json people = Json::array();
    for (const std::int64_t id : ids) {
        auto user = signedPerson(session, id);
        if (!user) return user.error();
        Json roles = Json::array();
        for (const auto role : user->roles) roles.push_back(workflow::roleName(role));
        auto signedOffBy = user->trainingCompletedAt ? trainingSignedOffBy(session, id) : Result<Json>(Json(nullptr));
        if (!signedOffBy) return signedOffBy.error();
        const auto& completed = user->trainingCompletedAt;
        const auto expires = training::trainingExpiresAt(completed, trainingValidityDays);
        people.push_back(
            {{"id", id},
             {"name", user->displayName.empty() ? user->username : user->displayName},
             {"roles", std::move(roles)},
             {"account_status", workflow::statusName(user->status)},
             {"training",
              {{"status", training::trainingStatusName(training::trainingStatus(completed, now, trainingValidityDays))},
               {"completed_at", completed ? Json(toIsoUtc(*completed)) : Json(nullptr)},
               {"signed_off_by", std::move(*signedOffBy)},
               {"expires_at", expires ? Json(toIsoUtc(*expires)) : Json(nullptr)}}}});
    }
    return people;
}

// --- The printable document, read from the packet so both say the same.

std::string text(const Json& value) {
    if (value.is_null()) return "-";
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number_float()) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.4f", value.get<double>());
        return buffer;
    }
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// "#12" for an id, "-" for none.
std::string ref(const Json& id) { return id.is_null() ? "-" : hashId(id.get<std::int64_t>()); }

std::string who(const Json& p) {
    const auto name = p["name"].get<std::string>();
    return name.empty() ? "user #" + std::to_string(p["id"].get<std::int64_t>()) : name;
}

// "Cleared for action" for the stored "cleared_for_action".
std::string statusLabel(const Json& name) {
    const auto status = workflow::leadStatusFromName(text(name));
    return status ? std::string(workflow::leadStatusLabel(*status)) : text(name);
}

std::string joined(const Json& list, const char* separator) {
    std::string out;
    for (const auto& item : list) out += (out.empty() ? "" : separator) + text(item);
    return out.empty() ? "-" : out;
}

Section systemSection(const Json& system) {
    const auto& algorithm = system["algorithm"];
    const auto& threshold = system["threshold"];
    // Lines of the page's full width: a 64-digit hash cannot wrap inside a narrower column.
    std::string models = "Models";
    for (const auto& m : system["models"])
        models.append("\n").append(text(m["file"])).append(" (").append(text(m["purpose"])).append(", ")
            .append(text(m["bytes"])).append(" bytes)\n    SHA-256 ").append(text(m["sha256"]));
    return {"System, algorithm and threshold",
            {Fields{{{"System", text(system["name"]) + " " + text(system["version"])},
                     {"Detection", text(algorithm["detection"])},
                     {"Descriptor", text(algorithm["descriptor"])},
                     {"Comparison", text(algorithm["comparison"])},
                     {"Libraries", text(algorithm["libraries"])},
                     {"Threshold (distance)", text(threshold["distance"]) + ". " + text(threshold["use"])},
                     {"Threshold source", text(threshold["source"])},
                     {"Face selection", text(system["face_selection"])}}},
             Paragraph{models}, Paragraph{text(system["models_note"])}}};
}

std::string names(const Json& people) {
    std::string out;
    for (const auto& p : people) out += (out.empty() ? "" : ", ") + who(p);
    return out.empty() ? "nobody" : out;
}

std::string evidenceItems(const Json& items) {
    std::vector<workflow::EvidenceItem> read;
    for (const auto& item : items)
        read.push_back({text(item["type"]), text(item["description"]), item.value("independent_of_search", false)});
    return workflow::evidenceItemsText(read);  // the same words as everywhere the item is shown
}

std::string checklist(const Json& entries) {
    std::string out;
    for (const auto& [item, entry] : entries.items()) {
        const auto known = workflow::checklistItemFromName(item);  // "Marks and tattoos" for "marks_and_tattoos"
        std::string answer = text(entry["answer"]);
        std::replace(answer.begin(), answer.end(), '_', ' ');
        out += (out.empty() ? "" : "; ") + (known ? std::string(workflow::checklistItemLabel(*known)) : item) + ": " + answer +
               (entry["note"].get<std::string>().empty() ? "" : " (" + text(entry["note"]) + ")");
    }
    return out;
}

// "3 photos; the oldest (face #5) taken 2008-02-29 18:00:05 (the photo's own date); the most recent (face #7) ...",
// in the wording of the workstation and `lead show` (cases::photoDateText).
std::string galleryPhotosText(const Json& photos) {
    const auto dated = [](const Json& photo) {
        const cases::GalleryPhoto p{photo["gallery_face_id"].get<std::int64_t>(), text(photo["enrolled_at"]),
                                    photo["taken_at"].is_null() ? std::nullopt
                                                                : std::optional(photo["taken_at"].get<std::string>())};
        return "(face " + hashId(p.galleryFaceId) + ") " + cases::photoDateText(p);
    };
    const std::string counted = facelead::text::counted(photos["count"].get<std::size_t>(), "photo", "photos");
    if (photos["oldest"]["taken_at"].is_null())  // cases::ageOrderKnown
        return counted + ", none dated (which is oldest is unknown): " + dated(photos["oldest"]) + "; " +
               dated(photos["most_recent"]);
    return counted + "; the oldest " + dated(photos["oldest"]) + "; the most recent " + dated(photos["most_recent"]);
}

// The components of one examination with `finding`, by their FISWG labels, each with the examiner's note: the note on
// a dissimilar feature (a mole in the probe, none in the gallery) is the most exculpatory line of an examination, and
// the print had named the component only, by its key (trial 23C H1). "none" when no component has that finding.
std::string componentsFound(const Json& components, std::string_view finding) {
    std::string out;
    for (const auto& [name, rating] : components.items()) {
        if (rating["finding"] != finding) continue;
        const auto component = workflow::componentFromName(name);
        out += (out.empty() ? "" : "; ") + (component ? std::string(workflow::componentLabel(*component)) : name);
        if (const std::string note = text(rating["note"]); !note.empty()) out += " (" + note + ")";
    }
    return out.empty() ? "none" : out;
}

// The candidate's independent_verification, for people.
std::string verificationSentence(const Json& verification) {
    const std::string status = text(verification["status"]);
    std::string sentence = status == "not_verified"        ? "none: one examiner only"
                           : status == "agree"             ? "the examiners agree"
                           : status == "disagree_resolved" ? "the examiners disagree; a supervisor resolved it (below)"
                           : status == "disagree_open"     ? "THE EXAMINERS DISAGREE, and no supervisor has resolved it"
                                                           : "not examined";
    if (verification["after_clearing"].get<bool>())
        sentence += "; a comparison was recorded after the lead was cleared for action: the clearing did not rest on it";
    return sentence;
}

// The FISWG comparisons of one candidate, each as labelled rows (issue 11 MEDIUM-6: as a six-column table the basis
// was squeezed into a column a dozen letters wide and its rows split across pages), the dissimilar components named.
// Where the examiner had been shown this gallery subject's rank and score for another probe before (trial 52 F1).
std::string shownElsewhereText(const Json& lists) {
    if (lists.empty()) return "no, in no other search";
    std::string out = "yes, in other searches before this comparison:";
    for (const auto& list : lists)
        out += " search " + ref(list["search_id"]) + " (case " + text(list["case_number"]) + ", " + text(list["shown_at"]) + ");";
    out.back() = '.';
    return out + " The other searches' probes are not the same person to the engine; weigh the comparison accordingly.";
}

void examinationBlocks(const Json& candidate, Section& section) {
    if (candidate["examinations"].empty()) return;
    section.blocks.push_back(Paragraph{"FISWG examinations of rank " + text(candidate["rank"]) + " (" +
                                       text(candidate["subject_name"]) + ")"});
    for (const auto& e : candidate["examinations"]) {
        std::string kind = text(e["kind"]);
        if (!kind.empty()) kind[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(kind[0])));
        section.blocks.push_back(Fields{{{kind + " " + ref(e["id"]), who(e["examiner"]) + ", " + text(e["recorded_at"]) + " (UTC)"},
                                         {"Conclusion", text(e["conclusion"])},
                                         {"Blind to rank and score",
                                          e["blind"].get<bool>() ? "yes" : "NO: the examiner had been shown the "
                                                                           "candidate's rank and score before "
                                                                           "recording it"},
                                         {"This person's rank shown to the examiner elsewhere", shownElsewhereText(e["person_shown_elsewhere"])},
                                         {"Dissimilar", componentsFound(e["components"], "dissimilar")},
                                         {"Similar", componentsFound(e["components"], "similar")},
                                         {"Not visible", componentsFound(e["components"], "not_visible")},
                                         {"Basis", text(e["note"])}}});
    }
    section.blocks.push_back(Fields{{{"Independent verification", verificationSentence(candidate["independent_verification"])}}});
    const auto& resolution = candidate["resolution"];
    if (!resolution.is_null())
        section.blocks.push_back(Fields{{{"Disagreement resolved", text(resolution["conclusion"]) + " by " +
                                                                       who(resolution["resolved_by"]) + ", " +
                                                                       text(resolution["resolved_at"]) + ": " +
                                                                       text(resolution["note"]) +
                                                                       (resolution["blind"].get<bool>()
                                                                            ? ""
                                                                            : ". NOT BLIND: the supervisor had been "
                                                                              "shown the candidate's rank and score "
                                                                              "before resolving")}}});
}

// What the searched image is (VI.B.2; trial 40 F5: a frame of a video was called an enhanced copy): the original, a
// frame taken from the video (the one derivation, its only "edit"), or an enhanced copy.
std::string searchedImageKind(const Json& probe) {
    if (!probe["searched_image_is_copy"].get<bool>()) return "the original";
    const auto& frame = probe["video_frame"];
    if (frame.is_null()) return "an enhanced copy";
    // Trial 75 F7: which frame, in the search's own row.
    const std::string which = "frame " + text(frame["frame"]) + " at " + text(frame["timecode"]) + " taken from the video";
    return probe["edits"].size() == 1 ? which + ", not enhanced" : "an enhanced copy of " + which;
}

// The probe's damage field for print: "none noticed …", or each finding in capitals, as the case report says it.
std::string damageText(const Json& damage, bool video) {
    std::string found;
    const auto add = [&](const char* key, const std::string& when) {
        if (!damage[key].is_null())
            found += std::string(found.empty() ? "" : "; ") + std::string(cases::kDamagedImageData) + " " + when + ": " +
                     text(damage[key]);
    };
    add("noticed_at_intake", std::string("noticed when the ") + (video ? "video" : "original") + " was stored");
    add("noticed_taking_the_frame", "met taking the frame searched");
    add("found_now_in_the_video", "found now, reading the video through and taking its frames again");
    if (!found.empty()) return found + std::string(cases::kWeighEveryCandidate);
    return video ? "none noticed when the video was stored or the frame taken, none found now reading the video "
                   "through and taking its frames again (" + std::string(cases::kDecoderBlindSpot) + ")"
                 : "none noticed when the original was stored";
}

// What one probe was: its original (hash re-checked), the image searched, the face and how it was chosen, its quality.
// `label` names the probe when the search had several ("Probe 2: "), "" when it had one.
void probeFields(const Json& probe, const std::string& label, Fields& fields) {
    const auto& original = probe["original"];
    fields.items.push_back({label + "File", probe["file_name"].is_null() ? "(name not recorded)" : text(probe["file_name"])});
    const bool video = imaging::isVideoFormat(text(original["format"]));
    fields.items.push_back({label + (video ? "Original video" : "Original image"), ref(original["image_id"]) + " (" + text(original["format"]) + ", " +
                                                  text(original["width"]) + "\u00d7" + text(original["height"]) +
                                                  "), stored by " + who(original["stored_by"]) + ", " +
                                                  text(original["stored_at"])});
    fields.items.push_back({label + "Original SHA-256 (re-checked)", text(original["sha256"])});
    // Each probe's own (trial 41 F3: the packet printed none for further probes; VI.B.2).
    const std::string source = original.contains("source") && original["source"].is_string() ? text(original["source"]) : "";
    fields.items.push_back({label + (video ? "Source of the video" : "Source of the image"), source.empty() ? "(not given)" : source});
    std::string elsewhere;
    for (const auto& other : original["searched_in_other_cases"])
        elsewhere += (elsewhere.empty() ? "" : "; ") + std::string("case ") + text(other["case_number"]) + ", search " +
                     text(other["search_id"]) + ", " + text(other["run_at"]) + " by " + who(other["run_by"]);
    fields.items.push_back({label + "Same original searched in other cases", elsewhere.empty() ? "none" : elsewhere});
    fields.items.push_back({label + "Searched image", ref(probe["searched_image_id"]) + " (" + searchedImageKind(probe) +
                                                  "), SHA-256 " + text(probe["searched_image_sha256"])});
    const auto& box = probe["face_box"];
    const std::string whichFace = probe["face_marked_by_hand"].is_null()
                                      ? "face " + text(probe["face_number"]) + " of " + text(probe["faces_in_image"])
                                      : std::string("the face marked by hand");
    fields.items.push_back({label + "Face searched", whichFace + ", box " + text(box["left"]) + ", " + text(box["top"]) + ", " +
                                                 text(box["right"]) + ", " + text(box["bottom"]) + " (left, top, right, bottom px)"});
    if (!probe["face_marked_by_hand"].is_null())
        fields.items.push_back({label + "Face found by", text(probe["face_marked_by_hand"]["statement"])});
    fields.items.push_back({label + "Damage", damageText(probe["damage"], video)});
    const auto& quality = probe["quality"];
    const bool reasons = quality.contains("reasons") && !quality["reasons"].empty();
    fields.items.push_back({label + "Probe quality", text(quality.value("verdict", Json("-"))) +
                                                 (reasons ? ": " + joined(quality["reasons"], "; ") : "") +
                                                 (probe["poor_quality_acknowledged"].get<bool>() ? " (poor quality acknowledged)" : "")});
}

// The probe's searched image and the edits made on copies of its original.
void probeBlocks(const Json& probe, const std::string& label, std::map<std::int64_t, std::vector<std::uint8_t>>& images,
                 Section& section) {
    const auto searched = probe["searched_image_id"].get<std::int64_t>();
    if (auto bytes = images.find(searched); bytes != images.end())
        section.blocks.push_back(Image{bytes->second, label + "Image #" + std::to_string(searched) + " as searched"});
    Table edits{{"Copy", "Made from", "Edits (in order)", "By", "Time (UTC)"}, {}};
    for (const auto& e : probe["edits"])
        edits.rows.push_back({ref(e["image_id"]), ref(e["made_from"]), joined(e["steps"], "; "), who(e["by"]), text(e["at"])});
    const bool fromVideo = imaging::isVideoFormat(text(probe["original"]["format"]));
    section.blocks.push_back(Paragraph{label + (fromVideo ? "The frame taken from the video, and edits made on copies (VI.B.2)"
                                                          : "Edits made on copies of the original (VI.B.2)")});
    section.blocks.push_back(std::move(edits));
}

Section searchSection(const Json& search, std::map<std::int64_t, std::vector<std::uint8_t>>& images) {
    const auto& request = search["request"];
    const auto& probe = search["probe"];
    Section section{"Search " + ref(search["id"]) + " \u2014 " + facelead::text::counted(search["candidates_returned"].get<std::size_t>(), "candidate", "candidates"),
                    {}};
    Fields fields{{{"Run by", who(search["run_by"]) + ", " + text(search["run_at"])}}};
    if (!request.is_null()) {
        const auto& purpose = request["purpose"];
        fields.items.push_back({"Request", ref(request["id"]) + " by " + who(request["requested_by"]) + ", " +
                                               text(request["requested_at"])});
        fields.items.push_back({"Purpose", purpose.is_null() ? "-" : text(purpose["citation"]) + " " + text(purpose["label"])});
        fields.items.push_back({"Justification", text(request["justification"])});
        fields.items.push_back({"Attested not for", joined(request["attested_not_for"], ", ")});
        fields.items.push_back({"Consent", request["consent"].is_null() ? "-" : text(request["consent"]["kind"])});
        fields.items.push_back({"Image source", text(request["image_source"])});
    }
    const auto& pack = search["rule_pack"];
    fields.items.push_back({"Rule pack", pack.is_null() ? "not recorded with this search (run before FaceLead recorded it)"
                                                        : text(pack["name"]) + ", version " + text(pack["version"]) +
                                                              " (" + text(pack["id"]) + ")"});
    const auto& approval = search["pre_search_approval"];
    fields.items.push_back({"Approval before the search",
                            approval.is_null()
                                ? "none asked by the rule pack"
                                : "approval " + ref(approval["id"]) + " asked by " + who(approval["requested_by"]) +
                                      ", " + text(approval["requested_at"]) + "; approved by " +
                                      who(approval["approved_by"]) + ", " + text(approval["approved_at"]) +
                                      "; reason: " + text(approval["reason"])});
    // Several probes submitted as one person (issue 10 item 6): each named, and every one's file, hash, face and
    // quality. The packet never states as fact that they are one person (trial 31 M1: a man and a woman were).
    const bool several = !search["further_probes"].empty();
    const auto labelOf = [several](const Json& p) { return several ? "Probe " + text(p["position"]) + ": " : std::string(); };
    if (several)
        fields.items.push_back({"Probes", std::to_string(search["further_probes"].size() + 1) +
                                              ", submitted by the requester as one person (FaceLead does not check "
                                              "that they are) and searched together: one candidate list, each "
                                              "person at the photo nearest to any probe"});
    probeFields(probe, labelOf(probe), fields);
    for (const auto& p : search["further_probes"]) probeFields(p, labelOf(p), fields);
    fields.items.push_back({"Candidate list size / gallery size", text(search["candidate_list_size"]) + " / " +
                                                                      text(search["gallery"]["size"])});
    section.blocks.push_back(std::move(fields));

    probeBlocks(probe, labelOf(probe), images, section);
    for (const auto& p : search["further_probes"]) probeBlocks(p, labelOf(p), images, section);
    Table gallery{{"Gallery source", "Subjects", "Faces", "First enrolled", "Last enrolled"}, {}};
    for (const auto& g : search["gallery"]["sources"])
        gallery.rows.push_back({g["source"] == "" ? "(no source recorded)" : text(g["source"]), text(g["subjects"]), text(g["faces"]), text(g["first_enrolled_at"]),
                                text(g["last_enrolled_at"])});
    section.blocks.push_back(Paragraph{"Gallery searched, as it stood at the time of the search"});
    section.blocks.push_back(std::move(gallery));
    Table candidates{{"Rank", "Gallery subject", "Distance", "Similarity (display only)", "Decision"}, {}};
    if (several) candidates.columns.insert(candidates.columns.begin() + 2, "Nearest probe");
    for (const auto& c : search["candidates"]) {
        std::vector<std::string> row{text(c["rank"]), text(c["subject_name"]), text(c["distance"]), text(c["score"]),
                                     statusLabel(c["decision"])};
        if (several) row.insert(row.begin() + 2, text(c["probe"]));
        candidates.rows.push_back(std::move(row));
    }
    section.blocks.push_back(Paragraph{"Candidate list (investigative leads only, VI.B.1)"});
    section.blocks.push_back(std::move(candidates));
    const auto& review = search["human_review"];
    section.blocks.push_back(Fields{{{"Meaningful human review", std::string(review["meaningful"].get<bool>() ? "yes" : "no") +
                                                                     "; examiners: " + names(review["examiners"]) +
                                                                     "; disagreements resolved by: " + names(review["resolved_by"])}}});
    for (const auto& c : search["candidates"]) examinationBlocks(c, section);
    for (const auto& c : search["candidates"]) {
        const auto& lead = c["lead"];
        if (lead.is_null()) continue;
        section.blocks.push_back(Fields{{{"Lead on rank " + text(c["rank"]),
                                          statusLabel(lead["status"]) + "; marked by " + who(lead["marked_by"]) + ", " +
                                              text(lead["marked_at"]) + ": " + text(lead["note"])},
                                         {"Gallery photos compared", galleryPhotosText(lead["gallery_photos"])}}});
        // Each follow-up and review as labelled rows, not a table's columns: seven columns ran past the page's right
        // edge (trial 19B MEDIUM-6), and their texts are long. In the order they happened, each review naming the
        // follow-up it covered (trial 51 F6: a clearing review printed after a later follow-up read as clearing it).
        if (lead["follow_ups"].empty()) section.blocks.push_back(Paragraph{"Follow-ups: none recorded."});
        if (lead["reviews"].empty()) section.blocks.push_back(Paragraph{"Supervisor reviews: none recorded."});
        std::vector<std::pair<std::string, Fields>> steps;
        for (const auto& f : lead["follow_ups"])
            steps.emplace_back(text(f["recorded_at"]),
                               Fields{{{"Follow-up " + ref(f["id"]), who(f["recorded_by"]) + ", " + text(f["recorded_at"]) + " (UTC)"},
                                       {"Steps taken", text(f["steps_taken"])},
                                       {"Corroborating evidence", text(f["corroborating_evidence"])},
                                       {"Evidence items", evidenceItems(f["evidence_items"])},
                                       {"Discrepancies checked", checklist(f["discrepancy_checklist"])},
                                       {"Outcome", text(f["outcome"])}}});
        for (const auto& r : lead["reviews"])
            steps.emplace_back(text(r["reviewed_at"]),
                               Fields{{{"Review " + ref(r["id"]) + " of " +
                                            (r["follow_up_id"].is_null() ? std::string("the lead") : "follow-up " + ref(r["follow_up_id"])),
                                        who(r["reviewed_by"]) + ", " + text(r["reviewed_at"]) + " (UTC)"},
                                       {"Decision", statusLabel(r["decision"])},
                                       {"Note", text(r["note"])}}});
        for (const auto& at : lead["reopened_at"])
            steps.emplace_back(text(at), Fields{{{"Lead", cases::reopenedText(text(at))}}});
        std::stable_sort(steps.begin(), steps.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto& step : steps) section.blocks.push_back(std::move(step.second));
    }
    return section;
}

// The audit log's state as the packet carries it (AuditLogState.h).
Json auditLogJson(const AuditLogState& state) {
    return {{"verified_at", state.verifiedAt},
            {"entries_checked", state.entriesChecked},
            {"intact", state.intact},
            {"problems", state.problems}};
}

AuditLogState auditLogFrom(const Json& log) {
    return {text(log["verified_at"]), log["entries_checked"].get<std::int64_t>(), log["intact"].get<bool>(),
            log["problems"].get<std::vector<std::string>>()};
}

Section peopleSection(const Json& people) {
    Table table{{"Person", "Roles", "Account", "Training (VI.D.2.b)", "Completed", "Signed off by", "Expires"}, {}};
    for (const auto& p : people) {
        const auto& t = p["training"];
        table.rows.push_back({who(p), joined(p["roles"], ", "), text(p["account_status"]), text(t["status"]),
                              text(t["completed_at"]), text(t["signed_off_by"]), text(t["expires_at"])});
    }
    return {"People involved and their training", {std::move(table)}};
}

ReportDocument printable(const Json& packet, std::map<std::int64_t, std::vector<std::uint8_t>>& images,
                         const std::vector<cases::SearchApproval>& approvals) {
    ReportDocument doc;
    doc.title = "Disclosure packet \u2014 " + text(packet["case"]["case_number"]);
    doc.agencyName = text(packet["generated"]["agency"]);
    doc.generatedAt = text(packet["generated"]["at"]);
    doc.generatedBy = who(packet["generated"]["by"]);
    doc.trainingStore = packet["markings"]["training_store"].get<bool>();
    const auto& c = packet["case"];
    doc.sections.push_back({"Not probable cause: an investigative lead only (SOP 302.02 VI.B.1)",
                            {Paragraph{text(packet["statement"]["text"])},
                             Paragraph{text(packet["markings"]["intelligence"]) + " (" +
                                       text(packet["markings"]["citation"]) + ")"}}});
    doc.sections.push_back({"Case",
                            {Fields{{{"Case number", text(c["case_number"])},
                                     {"Offence", text(c["offence"])},
                                     {"Assigned case officer", c["assigned_officer"].is_null() ? "-" : who(c["assigned_officer"])},
                                     {"Opened by", who(c["opened_by"]) + ", " + text(c["opened_at"])},
                                     {"Searches in this case", std::to_string(packet["searches"].size()) +
                                                                   " (every search, whatever it found)"}}}}});
    doc.sections.push_back(auditLogSection(auditLogFrom(packet["audit_log"]),
                                           "records this packet is read from may have been altered or deleted outside "
                                           "FaceLead, so it may be incomplete."));
    doc.sections.push_back(systemSection(packet["system"]));
    if (packet["searches"].empty()) doc.sections.push_back({"Searches", {Paragraph{"No search was run in this case."}}});
    for (const auto& search : packet["searches"]) doc.sections.push_back(searchSection(search, images));
    // The case report's section, from the records packet["approval_requests"] was written from.
    doc.sections.push_back(approvalRequestsSection(approvals));
    doc.sections.push_back(peopleSection(packet["people"]));
    return doc;
}

Result<DisclosurePacket> buildPacket(accounts::Session& session, cases::CaseService& cases, std::int64_t caseId,
                                     const ProgressFn& progress) {
    constexpr int kSteps = 4;
    const auto advance = [&](int step, std::string_view what) {
        return reportStep(progress, step, kSteps, what, "disclosure packet");
    };
    FACELEAD_TRY(advance(0, "Reading the case"));
    auto user = accounts::authorize(session, workflow::Action::DiscloseCase);
    if (!user) return user.error();
    auto caseRecord = cases.getCase(caseId);
    if (!caseRecord) return caseRecord.error();
    const bool assigned = caseRecord->assignedOfficer && caseRecord->assignedOfficer->id == user->id;
    FACELEAD_TRY(workflow::checkMayDisclose(user->roles, assigned));
    // The packet describes the gallery each search ran against from the subjects' removals (galleryJson): only
    // as the signed log has them (trial 22A F5: a table edit rewrote past searches' "gallery as it stood").
    FACELEAD_TRY(gallery::checkRemovalsSigned(session.store(), session.ledger(), "The disclosure packet was not produced."));
    auto history = cases.caseHistory(caseId);
    if (!history) return history.error();
    auto settings = admin::loadSettings(session.store());
    if (!settings) return settings.error();
    auto trainingStore = training::isTrainingStore(session.store());
    if (!trainingStore) return trainingStore.error();

    FACELEAD_TRY(advance(1, "Checking the images and reading every search"));
    auto examinations = cases.examinationsForDisclosure(caseId);
    if (!examinations) return examinations.error();
    Sources sources{session.store(), cases, user->id, *history, {}, {}, *examinations, {}, {}};
    for (const auto& image : history->images) sources.images[image.id] = &image;
    for (const auto& lead : history->leads) sources.leadsByCandidate[lead.candidateId] = &lead;
    Json searches = Json::array();
    for (const auto& search : history->searches) {
        auto json = searchJson(sources, search);
        if (!json) return json.error();
        searches.push_back(std::move(*json));
    }
    auto people = peopleJson(session, *history, *examinations, settings->trainingValidityDays);
    if (!people) return people.error();
    FACELEAD_TRY(advance(2, "Verifying the audit log"));
    auto auditLog = auditLogState(session.store());
    if (!auditLog) return auditLog.error();

    const auto& c = history->caseRecord;
    const Json packet{
        {"format", kDisclosureFormat},
        {"markings",
         {{"intelligence", workflow::kIntelligenceMarking},
          {"lead_only", workflow::kLeadOnlyDisclaimer},
          {"citation", workflow::kMarkingCitation},
          {"training_store", *trainingStore}}},
        {"statement", {{"text", workflow::kNotProbableCauseStatement}, {"source", "SOP 302.02 VI.B.1"}}},
        {"generated",
         {{"at", toIsoUtc(session.store().now())},
          {"by", {{"id", user->id}, {"name", user->displayName.empty() ? user->username : user->displayName}}},
          {"agency", settings->agencyName}}},
        {"case",
         {{"id", c.id},
          {"case_number", c.caseNumber},
          {"offence", c.offence},
          {"status", c.status},
          {"assigned_officer", c.assignedOfficer ? person(*c.assignedOfficer) : Json(nullptr)},
          {"opened_by", person(c.createdBy)},
          {"opened_at", c.createdAt}}},
        {"system", systemJson()},
        {"audit_log", auditLogJson(*auditLog)},
        {"searches", std::move(searches)},
        {"approval_requests", approvalRequestsJson(history->approvalRequests)},
        {"people", std::move(*people)}};

    DisclosurePacket result;
    result.caseNumber = c.caseNumber;
    // Replaced, not thrown: a byte of invalid UTF-8 written into a row aborted the packet and the workstation
    // (trial 23A F10); the case check names such a row before this point where it can.
    result.json = packet.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
    result.jsonSha256 = sha256Hex(std::string_view(result.json));
    result.document = printable(packet, sources.verifiedBytes, history->approvalRequests);

    FACELEAD_TRY(advance(3, "Recording the disclosure"));
    FACELEAD_TRY(session.store().transact([&](store::Transaction& tx) -> Result<void> {
        auto appended = audit::AuditLog::append(
            tx, {user->id, "case.disclosed", "case", std::to_string(caseId),
                 nlohmann::json{{"case_number", c.caseNumber},
                                {"searches", history->searches.size()},
                                {"format", kDisclosureFormat},
                                {"json_sha256", result.jsonSha256}}
                     .dump()});
        if (!appended) return appended.error();
        return {};
    }));
    return result;
}

}  // namespace

Result<DisclosurePacket> generateDisclosure(accounts::Session& session, cases::CaseService& cases, std::int64_t caseId,
                                            const ProgressFn& progress) {
    return accounts::refusalsAudited(session, workflow::actionLabel(workflow::Action::DiscloseCase),
                                     [&] { return buildPacket(session, cases, caseId, progress); });
}

Result<std::size_t> blindExaminationsTheDisclosureEnds(accounts::Session& session, cases::CaseService& cases,
                                                       std::int64_t caseId) {
    if (!workflow::mayPerform(session.user().roles, workflow::Action::DecideCandidate)) return std::size_t{0};
    auto history = cases.caseHistory(caseId);
    if (!history) return history.error();
    std::size_t unexamined = 0;
    for (const cases::SearchRecord& search : history->searches)
        unexamined += std::count_if(search.candidates.begin(), search.candidates.end(),
                                    [](const cases::CandidateRecord& c) { return !c.examinedByMe; });
    return unexamined;
}

}  // namespace facelead::reports
