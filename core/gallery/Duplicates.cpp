#include "core/gallery/Duplicates.h"

#include <map>

#include <nlohmann/json.hpp>

#include "core/accounts/Authority.h"
#include "core/audit/AuditLog.h"
#include "core/gallery/Gallery.h"
#include "core/workflow/Access.h"

namespace facelead::gallery {
namespace {

using Json = nlohmann::json;

Result<void> audit(store::Store& store, std::int64_t userId, const std::string& action, const Json& details) {
    return store.transact([&](store::Transaction& tx) -> Result<void> {
        FACELEAD_TRY(audit::AuditLog::append(tx, {userId, action, "gallery", "", details.dump()}));
        return {};
    });
}

struct FaceFacts {
    std::int64_t subjectId = 0;
    std::string subjectName;
    std::string sourcePath;
    std::string sha256;
};

Result<std::map<std::int64_t, FaceFacts>> faceFacts(store::Store& store) {
    auto query = store.prepare(
        "SELECT f.id, s.name, f.source_path, i.image_sha256, f.subject_id FROM gallery_faces f "
        "JOIN gallery_subjects s ON s.id = f.subject_id LEFT JOIN gallery_face_images i ON i.face_id = f.id");
    if (!query) return query.error();
    std::map<std::int64_t, FaceFacts> facts;
    while (true) {
        auto row = query->step();
        if (!row) return row.error();
        if (!*row) break;
        facts[query->getInt(0)] = {query->getInt(4), query->getText(1), query->getOptionalText(2).value_or(""),
                                   query->getOptionalText(3).value_or("")};
    }
    return facts;
}

Result<std::vector<SameImage>> sameImages(store::Store& store, const std::map<std::int64_t, FaceFacts>& facts) {
    auto query = store.prepare(
        "SELECT i.image_sha256, f.id, f.subject_id FROM gallery_face_images i JOIN gallery_faces f ON f.id = i.face_id "
        "JOIN gallery_subjects s ON s.id = f.subject_id WHERE s.removed_at IS NULL "
        "AND i.image_sha256 IN (SELECT i2.image_sha256 FROM gallery_face_images i2 "
        "  JOIN gallery_faces f2 ON f2.id = i2.face_id JOIN gallery_subjects s2 ON s2.id = f2.subject_id "
        "  WHERE s2.removed_at IS NULL GROUP BY i2.image_sha256 HAVING count(DISTINCT f2.subject_id) > 1) "
        "ORDER BY i.image_sha256, f.id");
    if (!query) return query.error();
    std::vector<SameImage> images;
    while (true) {
        auto row = query->step();
        if (!row) return row.error();
        if (!*row) break;
        const std::string sha = query->getText(0);
        if (images.empty() || images.back().imageSha256 != sha) images.push_back({sha, {}});
        const std::int64_t faceId = query->getInt(1);
        const auto fact = facts.find(faceId);
        images.back().faces.push_back({faceId, query->getInt(2), fact != facts.end() ? fact->second.subjectName : "",
                                       fact != facts.end() ? fact->second.sourcePath : ""});
    }
    return images;
}

// The identity conflicts enrolments refused, from their audit entries (Gallery.cpp writes them).
Result<std::vector<EnrolmentConflict>> enrolmentConflicts(store::Store& store, const std::map<std::int64_t, FaceFacts>& facts) {
    auto entries = audit::AuditLog::list(store, {.action = "gallery.identity_conflict"});
    if (!entries) return entries.error();
    std::vector<EnrolmentConflict> conflicts;
    for (const audit::AuditEntry& entry : *entries) {
        const Json details = Json::parse(entry.detailsJson, nullptr, false);
        const auto text = [&details](const char* key) {
            return details.is_object() && details.contains(key) && details[key].is_string() ? details[key].get<std::string>()
                                                                                         : std::string();
        };
        const std::int64_t faceId = details.is_object() ? details.value("existing_face_id", std::int64_t{0}) : 0;
        const auto fact = facts.find(faceId);
        DuplicateFace enrolled{faceId, 0, "", ""};
        if (fact != facts.end()) enrolled = {faceId, fact->second.subjectId, fact->second.subjectName, fact->second.sourcePath};
        std::optional<double> distance;
        if (details.is_object() && details.contains(kDescriptorDistance) && details[kDescriptorDistance].is_number())
            distance = details[kDescriptorDistance].get<double>();
        conflicts.push_back({entry.at, entry.username, text("name"), text("source_path"), enrolled, distance});
    }
    return conflicts;
}

Result<DuplicatesReport> checkedDuplicates(accounts::Session& session, const DuplicatesOptions& options) {
    if (!(options.threshold > 0.0f && options.threshold <= 2.0f))
        return makeError(ErrorCode::InvalidArgument,
                         "The distance threshold must be above 0 and at most 2 (unit-length descriptors).");
    Gallery gallery;
    FACELEAD_TRY(gallery.load(session.store()));
    auto facts = faceFacts(session.store());
    if (!facts) return facts.error();

    DuplicatesReport report;
    report.facesCompared = gallery.index().size();
    report.threshold = options.threshold;
    const auto pairs = gallery.index().crossSubjectPairs(
        {options.threshold, options.maxPairs, options.threads, options.cancel});
    report.similarTruncated = pairs.truncated;
    report.cancelled = pairs.cancelled;
    const auto describe = [&](std::int64_t faceId, std::int64_t subjectId) {
        const auto fact = facts->find(faceId);
        return DuplicateFace{faceId, subjectId, fact != facts->end() ? fact->second.subjectName : "",
                             fact != facts->end() ? fact->second.sourcePath : ""};
    };
    for (const FacePair& pair : pairs.pairs)
        report.similarFaces.push_back({describe(pair.faceA, pair.subjectA), describe(pair.faceB, pair.subjectB),
                                       pair.distance});
    auto images = sameImages(session.store(), *facts);
    if (!images) return images.error();
    report.sameImages = std::move(*images);
    auto conflicts = enrolmentConflicts(session.store(), *facts);
    if (!conflicts) return conflicts.error();
    report.enrolmentConflicts = std::move(*conflicts);

    FACELEAD_TRY(audit(session.store(), session.userId(), "gallery.duplicates_checked",
                       {{"faces_compared", report.facesCompared},
                        {"threshold", report.threshold},
                        {"similar_pairs", report.similarFaces.size()},
                        {"same_images", report.sameImages.size()},
                        {"enrolment_conflicts", report.enrolmentConflicts.size()},
                        {"cancelled", report.cancelled}}));
    return report;
}

}  // namespace

Result<DuplicatesReport> findDuplicates(accounts::Session& session, const DuplicatesOptions& options) {
    return accounts::refusalsAudited(session, "gallery.duplicates", [&]() -> Result<DuplicatesReport> {
        FACELEAD_TRY(accounts::authorize(session, workflow::Action::ManageGallery));
        return checkedDuplicates(session, options);
    });
}

}  // namespace facelead::gallery
