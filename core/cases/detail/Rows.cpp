#include "core/cases/detail/Rows.h"

#include "core/cases/detail/RequestColumns.h"
#include "core/imaging/Video.h"

namespace facelead::cases::detail {
namespace {

Person person(const store::Statement& row, int idColumn, int nameColumn) {
    return Person{row.getInt(idColumn), row.getText(nameColumn)};
}

workflow::LeadStatus statusOr(const std::string& name, workflow::LeadStatus fallback) {
    return workflow::leadStatusFromName(name).value_or(fallback);
}

}  // namespace

const char* const kCaseSelect =
    "SELECT c.id, c.case_number, c.offence, c.assigned_officer_id, ao.display_name, c.status, c.created_by, "
    "cb.display_name, c.created_at FROM cases c LEFT JOIN users ao ON ao.id = c.assigned_officer_id "
    "LEFT JOIN users cb ON cb.id = c.created_by";

const char* const kImageSelect =
    "SELECT i.id, i.case_id, i.kind, i.parent_id, i.sha256, i.size_bytes, i.format, i.width, i.height, "
    "i.capture_metadata, i.source, i.recipe, i.created_by, u.display_name, i.created_at FROM images i "
    "LEFT JOIN users u ON u.id = i.created_by";

const char* const kRequestSelect =
    "SELECT r.id, r.case_id, c.case_number, r.purpose_code, r.justification, r.prohibited_use_attestation, "
    "r.consent_kind, r.consent_reason, r.consent_purpose, r.image_source, r.requested_by, u.display_name, "
    "r.requested_at FROM search_requests r JOIN cases c ON c.id = r.case_id LEFT JOIN users u ON u.id = r.requested_by";

const char* const kSearchSelect =
    "SELECT s.id, s.request_id, s.image_id, s.face_box, s.quality, s.poor_quality_acknowledged, s.candidate_limit, "
    "s.gallery_size, s.run_by, u.display_name, s.run_at, s.marked_points, s.marked_by, mu.display_name, s.marked_at "
    "FROM searches s LEFT JOIN users u ON u.id = s.run_by LEFT JOIN users mu ON mu.id = s.marked_by";

const char* const kCandidateSelect =
    "SELECT c.id, c.search_id, c.rank, c.gallery_face_id, f.subject_id, gs.name, c.distance, c.score, l.status, "
    "l.id, c.probe FROM candidates c LEFT JOIN gallery_faces f ON f.id = c.gallery_face_id "
    "LEFT JOIN gallery_subjects gs ON gs.id = f.subject_id LEFT JOIN leads l ON l.candidate_id = c.id";

const char* const kLeadSelect =
    "SELECT l.id, l.candidate_id, l.status, l.note, l.marked_by, u.display_name, l.marked_at, l.updated_at "
    "FROM leads l LEFT JOIN users u ON u.id = l.marked_by";

const char* const kFollowUpSelect =
    "SELECT f.id, f.steps, f.evidence, f.outcome, f.recorded_by, u.display_name, f.recorded_at, "
    "f.discrepancy_checklist FROM follow_ups f LEFT JOIN users u ON u.id = f.recorded_by";

const char* const kReviewSelect =
    "SELECT r.id, r.follow_up_id, r.decision, r.note, r.reviewed_by, u.display_name, r.reviewed_at "
    "FROM reviews r LEFT JOIN users u ON u.id = r.reviewed_by";

const char* const kLeadSummarySelect =
    "SELECT l.id, l.candidate_id, cs.id, cs.case_number, gs.name, l.status, l.updated_at, fu.recorded_by, "
    "fu_user.display_name FROM leads l JOIN candidates c ON c.id = l.candidate_id "
    "JOIN searches s ON s.id = c.search_id JOIN search_requests r ON r.id = s.request_id "
    "JOIN cases cs ON cs.id = r.case_id LEFT JOIN gallery_faces f ON f.id = c.gallery_face_id "
    "LEFT JOIN gallery_subjects gs ON gs.id = f.subject_id "
    "LEFT JOIN follow_ups fu ON fu.id = (SELECT max(id) FROM follow_ups WHERE lead_id = l.id) "
    "LEFT JOIN users fu_user ON fu_user.id = fu.recorded_by";

CaseRecord readCase(const store::Statement& row) {
    CaseRecord record;
    record.id = row.getInt(0);
    record.caseNumber = row.getText(1);
    record.offence = row.getText(2);
    if (!row.isNull(3)) record.assignedOfficer = person(row, 3, 4);
    record.status = row.getText(5);
    record.createdBy = person(row, 6, 7);
    record.createdAt = row.getText(8);
    return record;
}

ImageRecord readImage(const store::Statement& row) {
    ImageRecord record;
    record.id = row.getInt(0);
    record.caseId = row.getInt(1);
    record.kind = row.getText(2) == imageKindName(ImageKind::Derived) ? ImageKind::Derived : ImageKind::Original;
    record.parentId = row.getOptionalInt(3);
    record.sha256 = row.getText(4);
    record.sizeBytes = row.getInt(5);
    record.format = row.getText(6);
    record.width = static_cast<int>(row.getInt(7));
    record.height = static_cast<int>(row.getInt(8));
    record.captureMetadataJson = row.getText(9);
    record.source = row.getText(10);
    record.recipeJson = row.getOptionalText(11);
    record.createdBy = person(row, 12, 13);
    record.createdAt = row.getText(14);
    return record;
}

RequestRecord readRequest(const store::Statement& row) {
    RequestRecord record;
    record.id = row.getInt(0);
    record.caseId = row.getInt(1);
    StoredRequestColumns columns;
    columns.caseNumber = row.getText(2);
    columns.purposeCode = row.getText(3);
    columns.justification = row.getText(4);
    columns.attestationJson = row.getText(5);
    columns.consentKind = row.getText(6);
    columns.consentReason = row.getText(7);
    columns.consentPurpose = row.getText(8);
    columns.imageSource = row.getText(9);
    record.request = requestFromColumns(columns);
    record.requestedBy = person(row, 10, 11);
    record.requestedAt = row.getText(12);
    return record;
}

SearchRecord readSearch(const store::Statement& row) {
    SearchRecord record;
    record.id = row.getInt(0);
    record.requestId = row.getInt(1);
    record.imageId = row.getInt(2);
    record.faceBox = boxFromJson(row.getText(3));
    record.qualityJson = row.getText(4);
    record.poorQualityAcknowledged = row.getInt(5) != 0;
    record.candidateLimit = static_cast<int>(row.getInt(6));
    record.gallerySize = row.getInt(7);
    record.runBy = person(row, 8, 9);
    record.runAt = row.getText(10);
    if (!row.isNull(11)) record.handMarking = HandMarking{row.getText(11), person(row, 12, 13), row.getText(14)};
    // Searches stored before the turn was recorded have no such key: found as decoded.
    const auto quality = nlohmann::json::parse(record.qualityJson, nullptr, false);
    if (quality.is_object())
        if (const auto turned = quality.find("found_turned_degrees"); turned != quality.end() && turned->is_number_integer())
            record.foundTurnedDegrees = turned->get<int>();
    return record;
}

CandidateRecord readCandidate(const store::Statement& row) {
    CandidateRecord record;
    record.id = row.getInt(0);
    record.searchId = row.getInt(1);
    record.rank = static_cast<int>(row.getInt(2));
    record.galleryFaceId = row.getInt(3);
    record.subjectId = row.getInt(4);
    record.subjectName = row.getText(5);
    record.distance = row.getDouble(6);
    record.score = row.getDouble(7);
    record.status = statusOr(row.getText(8), workflow::LeadStatus::Candidate);
    record.leadId = row.getOptionalInt(9);
    record.probe = static_cast<int>(row.getInt(10));
    return record;
}

StoredProbe readStoredProbe(const store::Statement& row) {
    const std::string box = row.getText(2);
    StoredProbe probe{static_cast<int>(row.getInt(0)), row.getInt(1), boxFromJson(box), row.getText(3)};
    if (auto points = markedPointsFromBoxJson(box)) probe.handMarking = HandMarking{std::move(*points), {}, {}};
    return probe;
}

LeadRecord readLead(const store::Statement& row) {
    LeadRecord record;
    record.id = row.getInt(0);
    record.candidateId = row.getInt(1);
    record.status = statusOr(row.getText(2), workflow::LeadStatus::PossibleLead);
    record.note = row.getText(3);
    record.markedBy = person(row, 4, 5);
    record.markedAt = row.getText(6);
    record.updatedAt = row.getText(7);
    return record;
}

FollowUpRecord readFollowUp(const store::Statement& row) {
    FollowUpRecord record;
    record.id = row.getInt(0);
    record.followUp.stepsTaken = row.getText(1);
    record.followUp.corroboratingEvidence = row.getText(2);
    record.followUp.outcome =
        workflow::followUpOutcomeFromName(row.getText(3)).value_or(workflow::FollowUpOutcome::Inconclusive);
    record.recordedBy = person(row, 4, 5);
    record.recordedAt = row.getText(6);
    record.followUp.checklist = checklistFromJson(row.getText(7));
    return record;
}

nlohmann::json checklistToJson(const workflow::DiscrepancyChecklist& checklist) {
    nlohmann::json json = nlohmann::json::object();
    for (workflow::ChecklistItem item : workflow::allChecklistItems()) {
        json[std::string(workflow::checklistItemName(item))] = {
            {"answer", workflow::checklistAnswerName(checklist[item].answer)}, {"note", checklist[item].note}};
    }
    return json;
}

workflow::DiscrepancyChecklist checklistFromJson(const std::string& text) {
    workflow::DiscrepancyChecklist checklist;
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (!json.is_object()) return checklist;
    for (workflow::ChecklistItem item : workflow::allChecklistItems()) {
        const auto entry = json.find(std::string(workflow::checklistItemName(item)));
        if (entry == json.end() || !entry->is_object()) continue;
        checklist[item].answer = workflow::checklistAnswerFromName(entry->value("answer", ""))
                                     .value_or(workflow::ChecklistAnswer::Unanswered);
        checklist[item].note = entry->value("note", "");
    }
    return checklist;
}

ReviewRecord readReview(const store::Statement& row) {
    ReviewRecord record;
    record.id = row.getInt(0);
    record.followUpId = row.getOptionalInt(1);
    record.decision = statusOr(row.getText(2), workflow::LeadStatus::ReturnedForFollowUp);
    record.note = row.getText(3);
    record.reviewedBy = person(row, 4, 5);
    record.reviewedAt = row.getText(6);
    return record;
}

LeadSummary readLeadSummary(const store::Statement& row) {
    LeadSummary summary;
    summary.leadId = row.getInt(0);
    summary.candidateId = row.getInt(1);
    summary.caseId = row.getInt(2);
    summary.caseNumber = row.getText(3);
    summary.subjectName = row.getText(4);
    summary.status = statusOr(row.getText(5), workflow::LeadStatus::PossibleLead);
    summary.updatedAt = row.getText(6);
    if (!row.isNull(7)) summary.followUpBy = person(row, 7, 8);
    return summary;
}

nlohmann::json boxToJson(const face::Box& box) {
    return {{"left", box.left}, {"top", box.top}, {"right", box.right}, {"bottom", box.bottom}};
}

face::Box boxFromJson(const std::string& text) {
    const auto json = nlohmann::json::parse(text, nullptr, false);
    face::Box box;
    if (!json.is_object()) return box;
    auto field = [&](const char* name) {
        const auto it = json.find(name);
        return it != json.end() && it->is_number_integer() ? it->get<int>() : 0;
    };
    box.left = field("left");
    box.top = field("top");
    box.right = field("right");
    box.bottom = field("bottom");
    return box;
}

nlohmann::json probeBoxToJson(const face::Box& box, const std::optional<face::MarkedPoints>& marked) {
    nlohmann::json json = boxToJson(box);
    if (marked) json["marked_points"] = face::formatMarkedPoints(*marked);
    return json;
}

std::optional<std::string> markedPointsFromBoxJson(const std::string& text) {
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (!json.is_object()) return std::nullopt;
    const auto points = json.find("marked_points");
    if (points == json.end() || !points->is_string()) return std::nullopt;
    return points->get<std::string>();
}

std::string_view imageKindName(ImageKind kind) { return kind == ImageKind::Derived ? "derived" : "original"; }

Result<CaseRecord> caseNumbered(store::Store& store, std::string_view caseNumber) {
    auto statement = store.prepare(std::string(kCaseSelect) + " WHERE c.case_number = ?");
    if (!statement) return statement.error();
    statement->bind(1, caseNumber);
    auto rows = collect(*statement, readCase);
    if (!rows) return rows.error();
    if (rows->empty()) return makeError(ErrorCode::NotFound, "There is no case " + std::string(caseNumber) + "; create it first.");
    return std::move(rows->front());
}

Result<ImageRecord> loadSourcePicture(store::Store& store, std::int64_t imageId) {
    auto record = loadImage(store, imageId);
    while (record && record->kind == ImageKind::Derived && record->parentId) {
        auto parent = loadImage(store, *record->parentId);
        if (parent && imaging::isVideoFormat(parent->format)) break;
        record = std::move(parent);
    }
    return record;
}

}  // namespace facelead::cases::detail
