#include "core/gallery/EnrolledFaces.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "core/audit/AuditLog.h"
#include "core/audit/SignedRecords.h"
#include "core/workflow/Roles.h"

namespace facelead::gallery {
namespace {

using Json = nlohmann::json;

// Everything written when the face was enrolled (the photo's hash from its own table, schema v3).
constexpr const char* kFaceColumns =
    "subject_id, hex(descriptor), quality, box, source_path, created_by, created_at, "
    "(SELECT image_sha256 FROM gallery_face_images i WHERE i.face_id = gallery_faces.id)";
// The subject's identity as created (removal, recorded later by its own entry, is not part of it).
constexpr const char* kSubjectColumns = "name, date_of_birth, source, record_id, created_by, created_at";

// The first entry naming a face, and the face's element of it.
struct Enrolment {
    audit::AuditEntry entry;
    std::shared_ptr<const Json> details;
    Json face;
};
using Enrolments = std::map<std::int64_t, Enrolment>;

// Adds the faces the entries (in chain order) name; a face keeps the first entry naming it.
void addEnrolments(const std::vector<audit::AuditEntry>& entries, Enrolments& into) {
    for (const audit::AuditEntry& entry : entries) {
        auto details = std::make_shared<const Json>(Json::parse(entry.detailsJson, nullptr, false));
        if (!details->is_object() || !details->contains("faces") || !details->at("faces").is_array()) continue;
        for (const Json& face : details->at("faces"))
            if (face.is_object() && face.contains("face_id"))
                into.try_emplace(face.value("face_id", std::int64_t(0)), Enrolment{entry, details, face});
    }
}

// A face as the store holds it now.
struct StoredFace {
    std::int64_t id = 0;
    std::int64_t subjectId = 0;
    std::int64_t createdBy = 0;
    std::string name;
    std::string source;
    std::string recordId;   // "" for none
    std::string imageSha;   // "" for none
};

class FaceReader {
public:
    static Result<FaceReader> prepare(store::Store& store) {
        auto statement = store.prepare(
            "SELECT f.id, f.subject_id, f.created_by, s.name, s.source, coalesce(s.record_id, ''), "
            "coalesce(i.image_sha256, '') FROM gallery_faces f JOIN gallery_subjects s ON s.id = f.subject_id "
            "LEFT JOIN gallery_face_images i ON i.face_id = f.id WHERE f.id = ?");
        if (!statement) return statement.error();
        return FaceReader(std::move(*statement));
    }

    // nullopt when the face (or its subject) is not there.
    Result<std::optional<StoredFace>> read(std::int64_t faceId) {
        statement_.reset();
        statement_.bind(1, faceId);
        auto row = statement_.step();
        if (!row) return row.error();
        if (!*row) return std::optional<StoredFace>();
        return std::optional(StoredFace{statement_.getInt(0), statement_.getInt(1), statement_.getInt(2),
                                        statement_.getText(3), statement_.getText(4), statement_.getText(5),
                                        statement_.getText(6)});
    }

private:
    explicit FaceReader(store::Statement statement) : statement_(std::move(statement)) {}
    store::Statement statement_;
};

// The face row as its entry's digest (an entry from before digests: the photo hash it names).
Result<bool> faceRowHolds(EnrolmentDigests& digests, const StoredFace& face, const Json& enrolled) {
    if (!enrolled.contains(kFaceRowDigest)) return enrolled.value("image_sha256", "") == face.imageSha;
    auto digest = digests.faces.of(face.id);
    if (!digest) return digest.error();
    return enrolled.value(kFaceRowDigest, "") == *digest;
}

// The subject's identity as the entry's digest (an entry from before digests: the fields it names).
Result<bool> subjectHolds(EnrolmentDigests& digests, const StoredFace& face, const Json& details) {
    if (!details.contains(kSubjectDigest))
        return details.value("name", "") == face.name && details.value("source", "") == face.source &&
               details.value("record_id", "") == face.recordId;
    auto digest = digests.subjects.of(face.subjectId);
    if (!digest) return digest.error();
    return details.value(kSubjectDigest, "") == *digest;
}

// "" when the face holds to its enrolment; otherwise the sentence naming what was done to it.
Result<std::string> problemOf(EnrolmentDigests& digests, const audit::AccountLedger& ledger, const StoredFace& face,
                              const Enrolments& enrolments) {
    const std::string label = "Gallery face " + std::to_string(face.id);
    const auto found = enrolments.find(face.id);
    if (found == enrolments.end() || found->second.entry.objectId != std::to_string(face.subjectId))
        return label + " has no signed enrolment entry for the subject it belongs to now: it was written, or moved "
                       "to another subject, outside FaceLead.";
    const Enrolment& enrolment = found->second;
    const std::string enrolled = label + ", enrolled for \"" + enrolment.details->value("name", "") +
                                 "\" (audit entry " + std::to_string(enrolment.entry.seq) + ")";
    // A broken entry says nothing of the row: after a re-hash every face was called edited (trial 83 F2).
    if (!audit::signedAsRecorded(ledger, enrolment.entry))
        return enrolled + ", can no longer be vouched for: its enrolment entry no longer holds (it was changed, or "
                          "broken when the chain was re-hashed), so nothing signed says the face is as enrolled.";
    bool holds = enrolment.entry.userId == face.createdBy;
    if (holds) {
        auto row = faceRowHolds(digests, face, enrolment.face);
        if (!row) return row.error();
        auto subject = subjectHolds(digests, face, *enrolment.details);
        if (!subject) return subject.error();
        holds = *row && *subject;
    }
    if (holds) return std::string();
    return enrolled + ", was edited outside FaceLead: its subject's name, date of birth, source or record id, its "
                      "photo or its descriptor no longer matches the signed enrolment entry.";
}

Result<std::vector<std::string>> problemsOf(store::Store& store, const audit::AccountLedger& ledger,
                                            const std::vector<StoredFace>& faces, const Enrolments& enrolments) {
    auto digests = EnrolmentDigests::prepare(store);
    if (!digests) return digests.error();
    std::vector<std::string> problems;
    for (const StoredFace& face : faces) {
        auto problem = problemOf(*digests, ledger, face, enrolments);
        if (!problem) return problem.error();
        if (!problem->empty()) problems.push_back(std::move(*problem));
    }
    return problems;
}

Result<std::vector<StoredFace>> storedFaces(store::Store& store, const std::vector<std::int64_t>& faceIds) {
    auto reader = FaceReader::prepare(store);
    if (!reader) return reader.error();
    std::vector<StoredFace> faces;
    for (const std::int64_t id : faceIds) {
        auto face = reader->read(id);
        if (!face) return face.error();
        if (*face) faces.push_back(std::move(**face));
    }
    return faces;
}

Result<std::vector<audit::AuditEntry>> enrolmentEntries(store::Store& store, std::optional<std::string> subjectId) {
    return audit::AuditLog::list(store, {.action = kFacesEnrolled, .objectType = "gallery_subject",
                                         .objectId = std::move(subjectId)});
}

constexpr const char* kRemovalColumns = "removed_at, removed_by, removed_reason";

// A subject as stored, with its removal columns.
struct StoredRemoval {
    std::int64_t subjectId = 0;
    std::string name;
    std::optional<std::int64_t> removedBy;  // nullopt: not removed in the store
    std::string reason;
};

// The subjects removed in the store, and those the signed log removed (`signedIds`): no others can differ, and a
// search reads this once (a gallery of 100 000 subjects is not read for it).
Result<std::vector<StoredRemoval>> storedRemovals(store::Store& store, const std::set<std::int64_t>& signedIds) {
    std::string ids;
    for (const std::int64_t id : signedIds) ids += (ids.empty() ? "" : ",") + std::to_string(id);
    auto rows = store.prepare("SELECT id, name, removed_at IS NOT NULL, removed_by, coalesce(removed_reason, '') "
                              "FROM gallery_subjects WHERE removed_at IS NOT NULL OR id IN (" + ids + ") ORDER BY id");
    if (!rows) return rows.error();
    std::vector<StoredRemoval> subjects;
    while (true) {
        auto row = rows->step();
        if (!row) return row.error();
        if (!*row) return subjects;
        StoredRemoval subject{rows->getInt(0), rows->getText(1), std::nullopt, rows->getText(4)};
        if (rows->getInt(2) != 0) subject.removedBy = rows->isNull(3) ? 0 : rows->getInt(3);
        subjects.push_back(std::move(subject));
    }
}

// Whether the stored removal is the one the entry recorded (an entry from before digests: remover and reason).
Result<bool> removalHolds(store::Store& store, const StoredRemoval& subject, const audit::AuditEntry& entry) {
    const Json details = Json::parse(entry.detailsJson, nullptr, false);
    if (!details.is_object()) return false;
    if (!details.contains(kRemovalDigest))
        return subject.removedBy == entry.userId && details.value("reason", "") == subject.reason;
    auto digest = removalDigest(store, subject.subjectId);
    if (!digest) return digest.error();
    return details.value(kRemovalDigest, "") == *digest;
}

// "" when the subject's removal state is the signed log's; otherwise the sentence naming the difference.
Result<std::string> removalProblem(store::Store& store, const StoredRemoval& subject,
                                   const std::map<std::int64_t, audit::AuditEntry>& removals) {
    const std::string label = "Gallery subject " + std::to_string(subject.subjectId) + " (\"" + subject.name + "\")";
    const auto found = removals.find(subject.subjectId);
    if (found == removals.end())
        return subject.removedBy ? label + " is marked removed in the store, but the signed audit log records no "
                                           "removal by a program administrator: it was edited outside FaceLead."
                                 : std::string();
    const std::string entry = " (audit entry " + std::to_string(found->second.seq) + ")";
    if (!subject.removedBy)
        return label + " was removed by a program administrator" + entry +
               ", but the store offers it to searches again: it was edited outside FaceLead.";
    auto holds = removalHolds(store, subject, found->second);
    if (!holds) return holds.error();
    return *holds ? std::string()
                  : label + "'s removal was edited outside FaceLead: who removed it, when or why no longer matches "
                            "the signed entry" + entry + ".";
}

}  // namespace

Result<std::string> removalDigest(store::Store& store, std::int64_t subjectId) {
    return audit::rowDigest(store, "gallery_subjects", kRemovalColumns, subjectId);
}

Result<std::vector<std::string>> editedRemovals(store::Store& store, const audit::AccountLedger& ledger) {
    auto removals = audit::firstEntriesSignedByRole(store, ledger, kSubjectRemoved, "gallery_subject",
                                                   workflow::roleName(workflow::Role::ProgramAdministrator));
    if (!removals) return removals.error();
    std::set<std::int64_t> signedIds;
    for (const auto& [subjectId, entry] : *removals) signedIds.insert(subjectId);
    auto subjects = storedRemovals(store, signedIds);
    if (!subjects) return subjects.error();
    std::vector<std::string> problems;
    for (const StoredRemoval& subject : *subjects) {
        auto problem = removalProblem(store, subject, *removals);
        if (!problem) return problem.error();
        if (!problem->empty()) problems.push_back(std::move(*problem));
    }
    return problems;
}

Result<void> checkRemovalsSigned(store::Store& store, const audit::AccountLedger& ledger, const std::string& refused) {
    auto problems = editedRemovals(store, ledger);
    if (!problems) return problems.error();
    if (problems->empty()) return {};
    return makeError(ErrorCode::AuditChainBroken,
                     problems->front() + " " + refused + " A program administrator must look first (audit verify).");
}

Result<EnrolmentDigests> EnrolmentDigests::prepare(store::Store& store) {
    auto faces = audit::RowDigests::prepare(store, "gallery_faces", kFaceColumns);
    if (!faces) return faces.error();
    auto subjects = audit::RowDigests::prepare(store, "gallery_subjects", kSubjectColumns);
    if (!subjects) return subjects.error();
    return EnrolmentDigests{std::move(*faces), std::move(*subjects)};
}

Result<std::vector<std::string>> editedFaces(store::Store& store, const audit::AccountLedger& ledger,
                                             const std::vector<std::int64_t>& faceIds) {
    auto faces = storedFaces(store, faceIds);
    if (!faces) return faces.error();
    std::set<std::int64_t> subjects;
    for (const StoredFace& face : *faces) subjects.insert(face.subjectId);
    Enrolments enrolments;
    for (const std::int64_t subject : subjects) {
        auto entries = enrolmentEntries(store, std::to_string(subject));
        if (!entries) return entries.error();
        addEnrolments(*entries, enrolments);
    }
    return problemsOf(store, ledger, *faces, enrolments);
}

Result<std::vector<std::string>> editedGalleryFaces(store::Store& store, const audit::AccountLedger& ledger) {
    auto entries = enrolmentEntries(store, std::nullopt);
    if (!entries) return entries.error();
    Enrolments enrolments;
    addEnrolments(*entries, enrolments);
    auto ids = store.prepare("SELECT id FROM gallery_faces ORDER BY id");
    if (!ids) return ids.error();
    std::vector<std::int64_t> faceIds;
    while (true) {
        auto row = ids->step();
        if (!row) return row.error();
        if (!*row) break;
        faceIds.push_back(ids->getInt(0));
    }
    auto faces = storedFaces(store, faceIds);
    if (!faces) return faces.error();
    auto problems = problemsOf(store, ledger, *faces, enrolments);
    if (!problems) return problems;
    // Faces are never deleted (a wrong subject is removed, its rows kept): one gone was deleted outside FaceLead
    // (trial 17A N4: a subject deleted could no longer be found by any search).
    const std::set<std::int64_t> stored(faceIds.begin(), faceIds.end());
    for (const auto& [faceId, enrolment] : enrolments)
        if (!stored.contains(faceId))
            problems->push_back("Gallery face " + std::to_string(faceId) + ", enrolled for \"" +
                                enrolment.details->value("name", "") + "\" (audit entry " +
                                std::to_string(enrolment.entry.seq) + "), is gone from the store: it was deleted "
                                "outside FaceLead.");
    return problems;
}

}  // namespace facelead::gallery
