#include "core/gallery/Gallery.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/audit/AuditLog.h"
#include "core/common/Clock.h"
#include "core/common/Hash.h"
#include "core/common/Text.h"
#include "core/face/DescriptorBlob.h"
#include "core/face/QualityJson.h"
#include "core/gallery/EnrolledFaces.h"
#include "core/imaging/Intake.h"
#include "core/workflow/Access.h"

namespace facelead::gallery {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string boxJson(const face::Box& box) {
    return Json{{"left", box.left}, {"top", box.top}, {"right", box.right}, {"bottom", box.bottom}}.dump();
}

face::Box boxFromJson(const std::string& text) {
    face::Box box;
    const Json json = Json::parse(text, nullptr, false);
    if (!json.is_object()) return box;
    box.left = json.value("left", 0);
    box.top = json.value("top", 0);
    box.right = json.value("right", 0);
    box.bottom = json.value("bottom", 0);
    return box;
}


// The faces that are candidates: those of subjects not removed (schema v5).
constexpr const char* kCurrentFaces =
    "FROM gallery_faces f JOIN gallery_subjects s ON s.id = f.subject_id WHERE s.removed_at IS NULL";

// A manifest is text, not an image, but the same door applies: a regular file, its size checked first.
constexpr std::uint64_t kMaxManifestBytes = 64ull * 1024 * 1024;

bool isHidden(const fs::path& path) { return path.filename().native().rfind('.', 0) == 0; }

std::string underscoresToSpaces(std::string text) {
    std::replace(text.begin(), text.end(), '_', ' ');
    return std::string(text::trimmed(text));
}

// RFC 4180: fields separated by commas, optionally quoted with "" as an escaped quote; CRLF or LF rows.
std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false;
    bool rowHasContent = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
            rowHasContent = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
            rowHasContent = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            if (rowHasContent || !field.empty()) {
                row.push_back(std::move(field));
                rows.push_back(std::move(row));
            }
            row.clear();
            field.clear();
            rowHasContent = false;
        } else {
            field += c;
            rowHasContent = true;
        }
    }
    if (rowHasContent || !field.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
    }
    return rows;
}

std::optional<std::string> nonEmpty(std::string text) {
    text = std::string(text::trimmed(text));
    if (text.empty()) return std::nullopt;
    return text;
}

// Two items are the same subject within one chunk under the same rule as in the store.
using SubjectKey = std::tuple<std::optional<std::string>, std::string, std::string, std::optional<std::string>>;
SubjectKey subjectKey(const SubjectFields& s) {
    if (s.recordId) return {s.recordId, s.source, "", std::nullopt};
    return {std::nullopt, s.source, s.name, s.dateOfBirth};
}

std::size_t boxArea(const face::Box& box) { return std::size_t(std::max(0, box.width())) * std::size_t(std::max(0, box.height())); }

// The subject look-up and creation of one enrolment transaction, prepared once for the whole batch.
class SubjectResolver {
public:
    static Result<SubjectResolver> prepare(store::Transaction& tx) {
        auto byRecord = tx.prepare("SELECT id, name FROM gallery_subjects WHERE record_id = ? AND source = ? "
                                   "AND removed_at IS NULL ORDER BY id LIMIT 1");
        if (!byRecord) return byRecord.error();
        auto byName = tx.prepare("SELECT id FROM gallery_subjects WHERE record_id IS NULL AND source = ? AND name = ? "
                                 "AND date_of_birth IS ? AND removed_at IS NULL ORDER BY id LIMIT 1");
        if (!byName) return byName.error();
        auto insert = tx.prepare("INSERT INTO gallery_subjects(name, date_of_birth, source, record_id, created_by, "
                                 "created_at) VALUES (?, ?, ?, ?, ?, ?)");
        if (!insert) return insert.error();
        return SubjectResolver(std::move(*byRecord), std::move(*byName), std::move(*insert));
    }

    // Finds the subject the fields refer to, or creates it. Returns (id, created).
    Result<std::pair<std::int64_t, bool>> findOrCreate(store::Transaction& tx, const Actor& actor,
                                                       const SubjectFields& fields, const std::string& now) {
        if (fields.recordId) {
            byRecord_.reset();
            byRecord_.bind(1, *fields.recordId).bind(2, fields.source);
            auto row = byRecord_.step();
            if (!row) return row.error();
            if (*row) {
                if (byRecord_.getText(1) != fields.name)
                    return makeError(ErrorCode::InvalidArgument,
                                     "Record " + *fields.recordId + " already belongs to gallery subject \"" +
                                         byRecord_.getText(1) + "\", not \"" + fields.name +
                                         "\". Correct the name or the record id in the list and enrol again.");
                return std::pair{byRecord_.getInt(0), false};
            }
        } else {
            byName_.reset();
            byName_.bind(1, fields.source).bind(2, fields.name).bind(3, fields.dateOfBirth);
            auto row = byName_.step();
            if (!row) return row.error();
            if (*row) return std::pair{byName_.getInt(0), false};
        }
        insert_.reset();
        FACELEAD_TRY(insert_.bind(1, fields.name)
                         .bind(2, fields.dateOfBirth)
                         .bind(3, fields.source)
                         .bind(4, fields.recordId)
                         .bind(5, actor.userId)
                         .bind(6, now)
                         .run());
        return std::pair{tx.lastInsertId(), true};
    }

private:
    SubjectResolver(store::Statement byRecord, store::Statement byName, store::Statement insert)
        : byRecord_(std::move(byRecord)), byName_(std::move(byName)), insert_(std::move(insert)) {}
    store::Statement byRecord_;
    store::Statement byName_;
    store::Statement insert_;
};

// The name already registered under fields' record id when it differs from fields.name (a wrong line in a
// manifest must not attach faces to another person).
Result<std::optional<std::string>> conflictingName(store::Store& store, const SubjectFields& fields) {
    if (!fields.recordId) return std::optional<std::string>();
    auto find = store.prepare("SELECT name FROM gallery_subjects WHERE record_id = ? AND source = ? "
                              "AND removed_at IS NULL ORDER BY id LIMIT 1");
    if (!find) return find.error();
    find->bind(1, *fields.recordId).bind(2, fields.source);
    auto row = find->step();
    if (!row) return row.error();
    if (*row && find->getText(0) != fields.name) return std::optional<std::string>(find->getText(0));
    return std::optional<std::string>();
}

// An image's source path in an audit entry: its text (text::pathText) and, when that text holds an escape (a
// byte that is not UTF-8, or a doubled backslash), "source_path_escaped": true, so nobody reads "\xe9" as typed.
Json sourcePathDetails(const std::string& pathText) {
    Json details{{"source_path", pathText}};
    if (pathText.find('\\') != std::string::npos) details["source_path_escaped"] = true;
    return details;
}

// A path that is not UTF-8 (Windows shares, old cameras) is recorded escaped ("\xE9"), never refused (intake case
// C08); the subject's name may come from it, so it is said, to be checked (trial 82 F6: enrolled without a word).
void noteEscapedPath(EnrolFileResult& result, const EnrolItem& item) {
    if (text::isValidUtf8(item.file.string())) return;
    result.message += std::string(result.message.empty() ? "" : " ") +
                      "Its path is not UTF-8 text (a name from a Windows share or an old camera?): it is recorded "
                      "escaped, and the subject's name \"" + item.subject.name + "\" may come from it. Check the name.";
}

}  // namespace

std::string identityFromFileName(const fs::path& file) {
    const std::string stem = text::pathText(file.stem());  // a name that is not UTF-8: escaped, never refused (C08)
    std::string name = stem;
    while (!name.empty() && std::isdigit(static_cast<unsigned char>(name.back()))) name.pop_back();
    while (!name.empty() && (name.back() == '_' || name.back() == '-' || name.back() == ' ' || name.back() == '.'))
        name.pop_back();
    name = underscoresToSpaces(name);
    return name.empty() ? stem : name;
}

Result<std::vector<EnrolItem>> itemsFromFolder(const fs::path& folder) {
    return guard(ErrorCode::IoError, "Could not list " + folder.string(), [&]() -> Result<std::vector<EnrolItem>> {
        if (!fs::is_directory(folder))
            return makeError(ErrorCode::NotFound, folder.string() + " is not a folder. Give a folder of images "
                                                                    "or a CSV list.");
        std::vector<fs::path> entries;
        for (const auto& entry : fs::directory_iterator(folder)) entries.push_back(entry.path());
        std::sort(entries.begin(), entries.end());
        // Where the identities come from, as the Gallery tab and the case report show it: the folder's name.
        const fs::path named = folder.filename().empty() ? folder.parent_path() : folder;
        const std::string source = "folder " + text::pathText(named.filename());
        std::vector<EnrolItem> items;
        for (const fs::path& entry : entries) {
            if (isHidden(entry)) continue;
            if (fs::is_directory(entry)) {
                const std::string identity = underscoresToSpaces(text::pathText(entry.filename()));
                std::vector<fs::path> files;
                for (const auto& inner : fs::directory_iterator(entry))
                    if (inner.is_regular_file() && !isHidden(inner.path())) files.push_back(inner.path());
                std::sort(files.begin(), files.end());
                for (auto& file : files) items.push_back({file, SubjectFields{identity, std::nullopt, source, std::nullopt}});
            } else if (fs::is_regular_file(entry)) {
                items.push_back({entry, SubjectFields{identityFromFileName(entry), std::nullopt, source, std::nullopt}});
            }
        }
        return items;
    });
}

Result<void> setSource(std::vector<EnrolItem>& items, std::string_view source) {
    auto checked = text::acceptText("The source", source);
    if (!checked) return checked.error();
    const std::string named(text::trimmed(*checked));
    if (named.empty())
        return makeError(ErrorCode::InvalidArgument,
                         "Give the source of the photos: where the images and names come from, e.g. \"Booking "
                         "photos, county jail\". It is recorded with each subject and shown with every candidate.");
    for (auto& item : items) item.subject.source = named;
    return {};
}

Result<std::string> manifestText(const std::vector<std::uint8_t>& bytes) {
    const auto startsWith = [&](std::initializer_list<std::uint8_t> mark) {
        return bytes.size() >= mark.size() && std::equal(mark.begin(), mark.end(), bytes.begin());
    };
    if (startsWith({0xEF, 0xBB, 0xBF})) return std::string(bytes.begin() + 3, bytes.end());
    const bool littleEndian = startsWith({0xFF, 0xFE});
    if (!littleEndian && !startsWith({0xFE, 0xFF})) return std::string(bytes.begin(), bytes.end());
    // UTF-16 with its byte-order mark ("Unicode text" from spreadsheet programs), converted to UTF-8.
    std::string utf8;
    const auto unit = [&](std::size_t i) -> char32_t {
        return littleEndian ? bytes[i] | bytes[i + 1] << 8 : bytes[i] << 8 | bytes[i + 1];
    };
    for (std::size_t i = 2; i + 1 < bytes.size(); i += 2) {
        char32_t c = unit(i);
        if (c >= 0xD800 && c <= 0xDBFF && i + 3 < bytes.size() && unit(i + 2) >= 0xDC00 && unit(i + 2) <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
            i += 2;
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            return makeError(ErrorCode::InvalidArgument, "The list is damaged UTF-16 text (a lone surrogate at byte " +
                                                             std::to_string(i) + "). Save it again as UTF-8 CSV.");
        }
        if (c < 0x80) {
            utf8 += static_cast<char>(c);
        } else if (c < 0x800) {
            utf8 += static_cast<char>(0xC0 | c >> 6);
            utf8 += static_cast<char>(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            utf8 += static_cast<char>(0xE0 | c >> 12);
            utf8 += static_cast<char>(0x80 | (c >> 6 & 0x3F));
            utf8 += static_cast<char>(0x80 | (c & 0x3F));
        } else {
            utf8 += static_cast<char>(0xF0 | c >> 18);
            utf8 += static_cast<char>(0x80 | (c >> 12 & 0x3F));
            utf8 += static_cast<char>(0x80 | (c >> 6 & 0x3F));
            utf8 += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return utf8;
}

namespace {

// True when file, resolved (symbolic links and "..") lies inside folder.
bool isInside(const fs::path& file, const fs::path& folder) {
    std::error_code ec;
    const fs::path base = fs::weakly_canonical(folder, ec);
    if (ec) return false;
    const fs::path target = fs::weakly_canonical(file, ec);
    if (ec) return false;
    const auto [baseEnd, targetAt] = std::mismatch(base.begin(), base.end(), target.begin(), target.end());
    return baseEnd == base.end();
}

// The subject fields of a row, each through the core's door for text; the first problem is returned.
Result<SubjectFields> checkedSubject(const std::string& name, const std::string& dateOfBirth, const std::string& source,
                                     const std::string& recordId) {
    auto checkedName = text::acceptText("The name", name);
    if (!checkedName) return checkedName.error();
    auto checkedBirth = text::acceptText("The date of birth", dateOfBirth);
    if (!checkedBirth) return checkedBirth.error();
    auto checkedSource = text::acceptText("The source", source);
    if (!checkedSource) return checkedSource.error();
    auto checkedRecord = text::acceptText("The record id", recordId);
    if (!checkedRecord) return checkedRecord.error();
    return SubjectFields{*checkedName, nonEmpty(*checkedBirth), *checkedSource, nonEmpty(*checkedRecord)};
}

}  // namespace

Result<std::vector<EnrolItem>> itemsFromCsv(const fs::path& csvFile, const ManifestOptions& options) {
    auto bytes = imaging::readImageFile(csvFile, {.maxFileBytes = kMaxManifestBytes});
    if (!bytes) return bytes.error();
    auto content = manifestText(*bytes);
    if (!content) return makeError(content.error().code, text::pathText(csvFile) + ": " + content.error().message);
    const auto rows = parseCsv(*content);
    const std::string where = text::pathText(csvFile);
    if (rows.empty())
        return makeError(ErrorCode::InvalidArgument, where + " is empty. It needs a header row "
                                                             "path,name,date_of_birth,source,record_id.");
    std::map<std::string, std::size_t> column;
    for (std::size_t i = 0; i < rows[0].size(); ++i) column[std::string(text::trimmed(rows[0][i]))] = i;
    if (!column.count("path") || !column.count("name"))
        return makeError(ErrorCode::InvalidArgument,
                         where + " has no \"path\" and \"name\" columns in its first row. Expected a "
                                 "header row path,name,date_of_birth,source,record_id.");
    const auto cell = [&](const std::vector<std::string>& row, const char* name) -> std::string {
        const auto it = column.find(name);
        return it != column.end() && it->second < row.size() ? std::string(text::trimmed(row[it->second])) : std::string();
    };
    const fs::path folder = csvFile.parent_path().empty() ? fs::path(".") : csvFile.parent_path();
    std::vector<EnrolItem> items;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        const std::string line = where + " line " + std::to_string(r + 1) + ": ";
        const std::string path = cell(row, "path");
        EnrolItem item;
        item.file = path.empty() ? fs::path() : fs::path(path).is_relative() ? folder / path : fs::path(path);
        auto subject = checkedSubject(cell(row, "name"), cell(row, "date_of_birth"), cell(row, "source"),
                                      cell(row, "record_id"));
        if (subject) item.subject = *subject;
        if (path.empty() || (subject && subject->name.empty()))
            item.problem = line + "every row needs a path and a name; correct the list and enrol this row again.";
        else if (!subject)
            item.problem = line + subject.error().message;
        else if (!options.allowOutsidePaths && !isInside(item.file, folder))
            item.problem = line + "the path " + text::escapedText(path) +
                           " leads outside the list's folder. Put the images beside the list, or allow paths "
                           "outside it (--allow-outside-paths) if this list is trusted.";
        items.push_back(std::move(item));
    }
    return items;
}

const char* outcomeName(EnrolOutcome outcome) {
    switch (outcome) {
    case EnrolOutcome::Enrolled: return "enrolled";
    case EnrolOutcome::NoFace: return "no_face";
    case EnrolOutcome::SeveralFaces: return "several_faces";
    case EnrolOutcome::Failed: return "error";
    case EnrolOutcome::Cancelled: return "cancelled";
    case EnrolOutcome::Damaged: return "damaged";
    case EnrolOutcome::Duplicate: return "duplicate";
    }
    return "unknown";
}

std::size_t EnrolReport::count(EnrolOutcome outcome) const {
    return std::size_t(std::count_if(files.begin(), files.end(), [&](const auto& f) { return f.outcome == outcome; }));
}

Result<void> Gallery::load(store::Store& store) {
    auto count = store.prepare("SELECT count(*) " + std::string(kCurrentFaces));
    if (!count) return count.error();
    auto counted = count->step();
    if (!counted) return counted.error();
    GalleryIndex fresh;
    fresh.reserve(std::size_t(count->getInt(0)));

    auto rows = store.prepare("SELECT f.id, f.subject_id, f.descriptor " + std::string(kCurrentFaces) + " ORDER BY f.id");
    if (!rows) return rows.error();
    while (true) {
        auto row = rows->step();
        if (!row) return row.error();
        if (!*row) break;
        const auto descriptor = face::descriptorFromBlob(rows->getBlob(2));
        if (!descriptor)
            return makeError(ErrorCode::StoreCorrupt, "Gallery face " + std::to_string(rows->getInt(0)) +
                                                          " has a damaged descriptor. Restore the store from its "
                                                          "backup, or re-enrol that face.");
        fresh.add(rows->getInt(0), rows->getInt(1), *descriptor);
    }
    index_ = std::move(fresh);
    return {};
}

Result<std::vector<Subject>> Gallery::listSubjects(store::Store& store) const {
    auto query = store.prepare(
        "SELECT s.id, s.name, s.date_of_birth, s.source, s.record_id, s.created_by, s.created_at, "
        "(SELECT count(*) FROM gallery_faces f WHERE f.subject_id = s.id) FROM gallery_subjects s "
        "WHERE s.removed_at IS NULL ORDER BY s.id");
    if (!query) return query.error();
    std::vector<Subject> subjects;
    while (true) {
        auto row = query->step();
        if (!row) return row.error();
        if (!*row) break;
        subjects.push_back({query->getInt(0),
                            {query->getText(1), query->getOptionalText(2), query->getText(3),
                             query->getOptionalText(4)},
                            query->getInt(5), query->getText(6), query->getInt(7)});
    }
    return subjects;
}

Result<std::vector<GalleryFace>> Gallery::listFaces(store::Store& store, std::optional<std::int64_t> subjectId) const {
    auto query = store.prepare(
        "SELECT f.id, f.subject_id, i.image_sha256, f.box, f.quality, f.source_path, f.created_by, f.created_at "
        "FROM gallery_faces f JOIN gallery_subjects s ON s.id = f.subject_id "
        "LEFT JOIN gallery_face_images i ON i.face_id = f.id "
        "WHERE s.removed_at IS NULL AND (?1 IS NULL OR f.subject_id = ?1) ORDER BY f.id");
    if (!query) return query.error();
    query->bind(1, subjectId);
    std::vector<GalleryFace> faces;
    while (true) {
        auto row = query->step();
        if (!row) return row.error();
        if (!*row) break;
        faces.push_back({query->getInt(0), query->getInt(1), query->getOptionalText(2).value_or(""),
                         boxFromJson(query->getText(3)), query->getText(4), query->getOptionalText(5).value_or(""),
                         query->getInt(6), query->getText(7)});
    }
    return faces;
}

Result<std::vector<std::uint8_t>> Gallery::faceImage(store::Store& store, std::int64_t faceId,
                                                     std::optional<std::int64_t> actingUserId) const {
    auto query = store.prepare("SELECT image, image_sha256 FROM gallery_face_images WHERE face_id = ?");
    if (!query) return query.error();
    query->bind(1, faceId);
    auto row = query->step();
    if (!row) return row.error();
    if (!*row || query->isNull(0))
        return makeError(ErrorCode::NotFound, "Gallery face " + std::to_string(faceId) + " has no stored image.");
    auto bytes = query->getBlob(0);
    const std::string expected = query->getText(1);
    if (const std::string actual = sha256Hex(bytes); actual != expected) {
        const Json details{{"expected_sha256", expected}, {"actual_sha256", actual}};
        auto recorded = store.transact([&](store::Transaction& tx) {
            return audit::AuditLog::append(tx, {actingUserId, "gallery.integrity_violation", "gallery_face",
                                                std::to_string(faceId), details.dump()});
        });
        if (!recorded) return recorded.error();
        return makeError(ErrorCode::IntegrityViolation,
                         "The stored image of gallery face " + std::to_string(faceId) +
                             " no longer matches its SHA-256 fingerprint: it was altered. Do not use it; report "
                             "this to the program administrator.");
    }
    return bytes;
}

Result<std::vector<AddedFaces>> Gallery::addFaces(store::Store& store, const Actor& actor,
                                                  const std::vector<NewSubjectFaces>& batch) {
    FACELEAD_TRY(workflow::requireRole(actor.roles, workflow::Action::ManageGallery));
    for (const auto& group : batch) {
        const SubjectFields& subject = group.subject;
        FACELEAD_TRY(checkedSubject(subject.name, subject.dateOfBirth.value_or(""), subject.source,
                                    subject.recordId.value_or("")));
        if (text::trimmed(group.subject.name).empty())
            return makeError(ErrorCode::InvalidArgument, "A gallery subject needs a name.");
        if (group.faces.empty())
            return makeError(ErrorCode::InvalidArgument,
                             "No face was given for gallery subject \"" + group.subject.name + "\".");
    }

    auto written = store.transact([&](store::Transaction& tx) -> Result<std::vector<AddedFaces>> {
        // Images in their own table (schema v3), so loading the index never reads them.
        auto insertFace = tx.prepare(
            "INSERT INTO gallery_faces(subject_id, descriptor, quality, box, source_path, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)");
        if (!insertFace) return insertFace.error();
        auto insertImage = tx.prepare("INSERT INTO gallery_face_images(face_id, image_sha256, image) VALUES (?, ?, ?)");
        if (!insertImage) return insertImage.error();
        auto subjects = SubjectResolver::prepare(tx);
        if (!subjects) return subjects.error();
        auto digests = EnrolmentDigests::prepare(tx.store());
        if (!digests) return digests.error();
        const std::string now = toIsoUtc(tx.now());
        std::vector<AddedFaces> added;
        for (const auto& group : batch) {
            auto subject = subjects->findOrCreate(tx, actor, group.subject, now);
            if (!subject) return subject.error();
            Json facesJson = Json::array();
            added.push_back({subject->first, subject->second, {}});
            for (const NewFace& face : group.faces) {
                const std::string sha = sha256Hex(face.imageBytes);
                insertFace->reset();
                FACELEAD_TRY(insertFace->bind(1, subject->first)
                                 .bind(2, face::descriptorBlob(face.descriptor))
                                 .bind(3, face::qualityToJson(face.quality).dump())
                                 .bind(4, boxJson(face.box))
                                 .bind(5, face.sourcePath)
                                 .bind(6, actor.userId)
                                 .bind(7, now)
                                 .run());
                const std::int64_t faceId = tx.lastInsertId();
                insertImage->reset();
                FACELEAD_TRY(insertImage->bind(1, faceId).bind(2, sha).bind(3, face.imageBytes).run());
                added.back().faceIds.push_back(faceId);
                Json faceJson = sourcePathDetails(face.sourcePath);
                faceJson["face_id"] = faceId;
                faceJson["image_sha256"] = sha;
                auto rowDigest = digests->faces.of(faceId);  // what holds the face to this entry
                if (!rowDigest) return rowDigest.error();
                faceJson[kFaceRowDigest] = *rowDigest;
                facesJson.push_back(std::move(faceJson));
            }
            Json details{{"subject_created", subject->second}, {"name", group.subject.name},
                         {"source", group.subject.source}, {"faces", facesJson}};
            if (group.subject.recordId) details["record_id"] = *group.subject.recordId;
            auto identity = digests->subjects.of(subject->first);  // a renamed subject no longer holds (F2)
            if (!identity) return identity.error();
            details[kSubjectDigest] = *identity;
            auto appended = audit::AuditLog::append(
                tx, {actor.userId, kFacesEnrolled, "gallery_subject", std::to_string(subject->first),
                     details.dump()});
            if (!appended) return appended.error();
        }
        return added;
    });
    if (!written) return written.error();
    // Only after the commit: the index never holds a face the store does not.
    for (std::size_t g = 0; g < batch.size(); ++g) {
        const AddedFaces& group = (*written)[g];
        for (std::size_t f = 0; f < group.faceIds.size(); ++f)
            index_.add(group.faceIds[f], group.subjectId, batch[g].faces[f].descriptor);
    }
    return written;
}

Result<std::map<std::int64_t, SubjectRemoval>> Gallery::removals(store::Store& store) const {
    auto query = store.prepare(
        "SELECT s.id, s.removed_at, coalesce(nullif(u.display_name, ''), u.username, 'user ' || s.removed_by), "
        "coalesce(s.removed_reason, '') FROM gallery_subjects s LEFT JOIN users u ON u.id = s.removed_by "
        "WHERE s.removed_at IS NOT NULL");
    if (!query) return query.error();
    std::map<std::int64_t, SubjectRemoval> removed;
    while (true) {
        auto row = query->step();
        if (!row) return row.error();
        if (!*row) break;
        removed.emplace(query->getInt(0), SubjectRemoval{query->getText(1), query->getText(2), query->getText(3)});
    }
    return removed;
}

Result<RemovedSubject> Gallery::removeSubject(store::Store& store, const Actor& actor, std::int64_t subjectId,
                                              std::string_view reason) {
    FACELEAD_TRY(workflow::requireRole(actor.roles, workflow::Action::ManageGallery));
    auto checked = text::acceptReason("removing gallery subject " + std::to_string(subjectId), reason);
    if (!checked) return checked.error();
    RemovedSubject removed{subjectId, {}, 0, *checked, {}};

    auto written = store.transact([&](store::Transaction& tx) -> Result<void> {
        auto find = tx.prepare("SELECT name, removed_at, (SELECT count(*) FROM gallery_faces WHERE subject_id = ?1) "
                               "FROM gallery_subjects WHERE id = ?1");
        if (!find) return find.error();
        find->bind(1, subjectId);
        auto row = find->step();
        if (!row) return row.error();
        if (!*row) return makeError(ErrorCode::NotFound, "There is no gallery subject " + std::to_string(subjectId) + ".");
        removed.name = find->getText(0);
        if (const auto already = find->getOptionalText(1))
            return makeError(ErrorCode::InvalidTransition, "Gallery subject " + std::to_string(subjectId) + " (\"" +
                                                               removed.name + "\") was already removed on " + *already +
                                                               ".");
        removed.faceCount = find->getInt(2);
        removed.removedAt = toIsoUtc(tx.now());
        auto mark = tx.prepare("UPDATE gallery_subjects SET removed_at = ?, removed_by = ?, removed_reason = ? "
                               "WHERE id = ?");
        if (!mark) return mark.error();
        FACELEAD_TRY(mark->bind(1, removed.removedAt).bind(2, actor.userId).bind(3, removed.reason).bind(4, subjectId).run());
        auto digest = removalDigest(tx.store(), subjectId);  // the removal is held to it (EnrolledFaces.h)
        if (!digest) return digest.error();
        const Json details{{"name", removed.name}, {"faces", removed.faceCount}, {"reason", removed.reason},
                           {kRemovalDigest, *digest}};
        FACELEAD_TRY(audit::AuditLog::append(tx, {actor.userId, kSubjectRemoved, "gallery_subject",
                                                  std::to_string(subjectId), details.dump()}));
        return {};
    });
    if (!written) return written.error();
    // Only after the commit, as addFaces: the index never lacks a face the store still offers.
    index_.removeSubject(subjectId);
    return removed;
}

namespace {

// An image already in the gallery or accepted earlier in this enrolment, and whose identity it carries.
struct KnownImage {
    std::int64_t faceId = 0;
    std::int64_t subjectId = 0;  // 0: accepted earlier in this enrolment, not yet written
    std::string subjectName;
    SubjectKey subjectKey;
    std::size_t reportLine = 0;  // accepted in this enrolment: its line of the report
};

// What enrolment compares each offered image with: read once per enrolment (an index over the SHA-256 column
// would need a schema change; 100 000 hashes load in a fraction of a second).
struct KnownImages {
    std::map<std::string, KnownImage> bySha256;
    std::map<std::int64_t, KnownImage> byFace;  // the gallery index's faces: whose is a near copy
    std::vector<std::pair<face::Descriptor, KnownImage>> pending;  // accepted in this chunk, not yet in the index

    void written(const std::string& sha256, const KnownImage& image) {
        bySha256[sha256] = image;
        byFace[image.faceId] = image;
    }
};

Result<KnownImages> knownImages(store::Store& store) {
    auto query = store.prepare(
        "SELECT i.image_sha256, f.id, s.id, s.name, s.date_of_birth, s.source, s.record_id FROM gallery_face_images i "
        "JOIN gallery_faces f ON f.id = i.face_id JOIN gallery_subjects s ON s.id = f.subject_id "
        "WHERE s.removed_at IS NULL ORDER BY f.id");
    if (!query) return query.error();
    KnownImages known;
    while (true) {
        auto row = query->step();
        if (!row) return row.error();
        if (!*row) break;
        const SubjectFields subject{query->getText(3), query->getOptionalText(4), query->getText(5),
                                    query->getOptionalText(6)};
        const KnownImage image{query->getInt(1), query->getInt(2), subject.name, subjectKey(subject)};
        known.bySha256.try_emplace(query->getText(0), image);
        known.byFace.try_emplace(image.faceId, image);
    }
    return known;
}

// One image under two identities (SOP VI.A.5: the fraud check's concern): another name, or within one source
// another record. The same name from another source (a booking photo also on a DL record) is the same person
// seen twice, not a conflict (trial 9).
bool differentIdentity(const KnownImage& known, const SubjectFields& subject) {
    if (known.subjectName != subject.name) return true;
    return std::get<1>(known.subjectKey) == subject.source && known.subjectKey != subjectKey(subject);
}

// A face of another identity so near to the offered one that it is the same picture with other bytes.
struct NearCopy {
    KnownImage known;
    double distance = 0;
};

// The nearest face of ANOTHER identity within `within` of the offered face, in the gallery or earlier in this
// enrolment: within kSamePictureDistance, one photo under two names, re-saved, re-scaled or re-encoded (trial 42 F10).
std::optional<NearCopy> nearestOfOtherIdentity(const GalleryIndex& index, const KnownImages& known,
                                               const face::Descriptor& descriptor, const SubjectFields& subject,
                                               double within) {
    constexpr std::size_t kNearestLooked = 16;  // past a subject's own near photos
    for (const Hit& hit : index.topN(descriptor, kNearestLooked)) {
        if (hit.distance > within) break;
        const auto face = known.byFace.find(hit.faceId);
        if (face != known.byFace.end() && differentIdentity(face->second, subject))
            return NearCopy{face->second, hit.distance};
    }
    for (const auto& [accepted, image] : known.pending) {
        const double distance = face::FaceEngine::distance(accepted, descriptor);
        if (distance <= within && differentIdentity(image, subject)) return NearCopy{image, distance};
    }
    return std::nullopt;
}

// Trial 43 F1: an edited copy of another identity's photo (grey, blurred, mirrored, cropped) went in without a word.
std::string lookAlikeNote(const NearCopy& alike) {
    const std::string whose = alike.known.faceId ? "face " + std::to_string(alike.known.faceId) + " of \"" +
                                                       alike.known.subjectName + "\""
                                                 : "\"" + alike.known.subjectName + "\", earlier in this enrolment";
    return "For review (SOP VI.A.5): this face is very near " + whose + " (distance " +
           text::decimal(alike.distance, 3) + "): an edited copy of one photo, or two people who look much alike. "
           "Check the pair in the duplicates review.";
}

// Marks result as a duplicate of known, found by its SHA-256 or, with descriptorDistance, as a near copy; returns
// true when it is an identity conflict.
bool reportDuplicate(EnrolFileResult& result, const KnownImage& known, const SubjectFields& subject,
                     std::optional<double> descriptorDistance = std::nullopt) {
    result.outcome = EnrolOutcome::Duplicate;
    result.identityConflict = differentIdentity(known, subject);
    result.nearCopyDistance = descriptorDistance;
    if (known.faceId) result.duplicateOfFace = known.faceId;
    const std::string where = known.faceId ? "already in the gallery as face " + std::to_string(known.faceId) +
                                                 " of subject " + std::to_string(known.subjectId)
                                           : "earlier in this enrolment";
    const std::string same = descriptorDistance
                                 ? "nearly the same face (descriptor distance " + text::decimal(*descriptorDistance, 3) +
                                       ", within " + text::decimal(kSamePictureDistance, 2) +
                                       ": the same photo re-saved or re-scaled, or one taken moments apart)"
                                 : "the same image (same SHA-256)";
    // The same name within one source is another person by record number or date of birth (trial 43: "under the name
    // John Smith, not John Smith").
    const std::string identity = known.subjectName != subject.name
                                     ? "under the name \"" + known.subjectName + "\", not \"" + subject.name + "\""
                                     : "as another \"" + subject.name + "\" of the same source (another record number "
                                       "or date of birth)";
    result.message = result.identityConflict
                         ? "IDENTITY CONFLICT: " + same + " is " + where + " " + identity +
                               ". Not enrolled; review which identity is right (SOP VI.A.5)."
                         : "The same image (same SHA-256) is " + where + "; not enrolled twice.";
    return result.identityConflict;
}

}  // namespace

Result<EnrolReport> Gallery::enrol(store::Store& store, const face::FaceEngine& engine, const Actor& actor,
                                   const std::vector<EnrolItem>& items, const EnrolOptions& options) {
    FACELEAD_TRY(workflow::requireRole(actor.roles, workflow::Action::ManageGallery));
    EnrolReport report;
    for (const auto& item : items)
        report.files.push_back({item.file, EnrolOutcome::Cancelled, 0, std::nullopt, std::nullopt,
                                "Not processed: the enrolment was cancelled before this image.", std::nullopt, false,
                                std::nullopt});
    FACELEAD_TRY(load(store));  // the index as stored now: near copies are looked for in it
    auto known = knownImages(store);
    if (!known) return known.error();
    const auto cancelled = [&] { return options.cancel != nullptr && options.cancel->load(); };
    const std::size_t chunkSize = std::max<std::size_t>(1, options.chunkSize);
    std::vector<std::string> sha256OfItem(items.size());  // hashed once, for the duplicate look-up and once written

    for (std::size_t first = 0; first < items.size(); first += chunkSize) {
        if (cancelled()) break;
        const std::size_t last = std::min(items.size(), first + chunkSize);
        // Rows that cannot be enrolled as given are reported without being analysed.
        std::vector<fs::path> files;
        std::vector<std::size_t> analysedItem;
        for (std::size_t i = first; i < last; ++i) {
            if (items[i].problem) {
                report.files[i].outcome = EnrolOutcome::Failed;
                report.files[i].message = *items[i].problem;
                continue;
            }
            files.push_back(items[i].file);
            analysedItem.push_back(i);
        }
        face::ProgressFn chunkProgress;
        if (options.progress)
            chunkProgress = [&, first](std::size_t done, std::size_t) { options.progress(first + done, items.size()); };
        const auto analysed = engine.analyzeFiles(files, face::AnalyzeOptions{face::FacePick::All, true},
                                                  chunkProgress, options.cancel);

        // Classify each image; the enrollable faces are grouped by subject (one audit event each).
        std::vector<NewSubjectFaces> batch;
        std::vector<std::vector<std::size_t>> itemsOfGroup;  // report index of each face in batch
        std::map<SubjectKey, std::size_t> groupOfSubject;
        std::vector<std::pair<std::size_t, KnownImage>> conflicts;  // report line, and the image it clashed with
        for (std::size_t a = 0; a < analysed.size(); ++a) {
            const std::size_t i = analysedItem[a];
            EnrolFileResult& result = report.files[i];
            const auto& faces = analysed[a].faces;
            if (!faces) {
                // A file that does not decode at all (a cut-off JPEG) is as damaged as one decoded in part (trial 41).
                const ErrorCode code = faces.error().code;
                result.outcome = code == ErrorCode::Cancelled      ? EnrolOutcome::Cancelled
                                 : code == ErrorCode::CorruptImage ? EnrolOutcome::Damaged
                                                                   : EnrolOutcome::Failed;
                result.message = faces.error().message;
                continue;
            }
            result.facesFound = faces->size();
            if (analysed[a].intake.damaged()) {
                result.outcome = EnrolOutcome::Damaged;
                result.message = analysed[a].intake.messages().front() + " Not enrolled.";
                continue;
            }
            if (faces->empty()) {
                result.outcome = EnrolOutcome::NoFace;
                result.message = "No face was found in this image. Use a clear, frontal photograph of the person.";
                continue;
            }
            if (faces->size() > 1 && !options.enrolLargestOfSeveral) {
                result.outcome = EnrolOutcome::SeveralFaces;
                result.message = std::to_string(faces->size()) +
                                 " faces were found, so it is not clear who this image shows. Crop it to the "
                                 "person, or ask for the largest face to be enrolled.";
                continue;
            }
            const auto chosen = std::max_element(faces->begin(), faces->end(), [](const auto& a, const auto& b) {
                return boxArea(a.box) < boxArea(b.box);
            });
            if (!chosen->descriptor) {
                result.outcome = EnrolOutcome::Failed;
                result.message = "The face engine gave no descriptor for this face.";
                continue;
            }
            if (auto subject = checkedSubject(items[i].subject.name, items[i].subject.dateOfBirth.value_or(""),
                                              items[i].subject.source, items[i].subject.recordId.value_or(""));
                !subject || text::trimmed(subject->name).empty()) {
                result.outcome = EnrolOutcome::Failed;
                result.message = subject ? "No name was given for this image." : subject.error().message;
                continue;
            }
            auto bytes = imaging::readImageFile(items[i].file);
            if (!bytes) {
                result.outcome = EnrolOutcome::Failed;
                result.message = bytes.error().message;
                continue;
            }
            const std::string& sha = sha256OfItem[i] = sha256Hex(*bytes);
            if (const auto seen = known->bySha256.find(sha); seen != known->bySha256.end()) {
                if (reportDuplicate(result, seen->second, items[i].subject)) conflicts.push_back({i, seen->second});
                continue;
            }
            if (const auto near = nearestOfOtherIdentity(index_, *known, *chosen->descriptor, items[i].subject,
                                                         kSamePictureDistance)) {
                reportDuplicate(result, near->known, items[i].subject, near->distance);
                conflicts.push_back({i, near->known});
                continue;
            }
            const KnownImage accepted{0, 0, items[i].subject.name, subjectKey(items[i].subject), i};
            known->bySha256.emplace(sha, accepted);
            known->pending.emplace_back(*chosen->descriptor, accepted);
            const auto [group, isNew] = groupOfSubject.try_emplace(subjectKey(items[i].subject), batch.size());
            if (isNew) {
                batch.push_back({items[i].subject, {}});
                itemsOfGroup.emplace_back();
            }
            // The absolute path, so the record still says where the image came from when read elsewhere.
            std::error_code ec;
            const fs::path absolute = fs::absolute(items[i].file, ec).lexically_normal();
            batch[group->second].faces.push_back({std::move(*bytes), *chosen->descriptor, chosen->quality,
                                                  chosen->box, text::pathText(ec ? items[i].file : absolute)});
            itemsOfGroup[group->second].push_back(i);
            // What to know about an enrolled image: its intake notes, and a face found only on a turned copy (the
            // stored file is kept as it is: trial 40 F15, an upside-down photo enrolled without a word).
            std::vector<std::string> notes = analysed[a].intake.messages();
            if (const auto alike = nearestOfOtherIdentity(index_, *known, *chosen->descriptor, items[i].subject,
                                                          kReviewAtEnrolmentDistance))
                notes.push_back(lookAlikeNote(*alike));
            if (chosen->quality.foundTurnedDegrees) notes.push_back(text::sentence(face::foundTurnedText(chosen->quality.foundTurnedDegrees)));
            result.message.clear();  // it said "not processed" until now
            for (const std::string& note : notes) result.message += (result.message.empty() ? "" : " ") + note;
        }
        // Refuse, per image, a record id that already belongs to someone else, so the rest of the chunk goes in.
        for (std::size_t g = 0; g < batch.size();) {
            auto conflict = conflictingName(store, batch[g].subject);
            if (!conflict) return conflict.error();
            if (!*conflict) {
                ++g;
                continue;
            }
            for (std::size_t item : itemsOfGroup[g]) {
                report.files[item].outcome = EnrolOutcome::Failed;
                report.files[item].message = "Record " + *batch[g].subject.recordId +
                                             " already belongs to gallery subject \"" + **conflict + "\", not \"" +
                                             batch[g].subject.name + "\". Correct the list and enrol this image again.";
            }
            batch.erase(batch.begin() + std::ptrdiff_t(g));
            itemsOfGroup.erase(itemsOfGroup.begin() + std::ptrdiff_t(g));
        }
        if (!batch.empty()) {
            auto added = addFaces(store, actor, batch);
            if (!added) return added.error();
            for (std::size_t g = 0; g < batch.size(); ++g) {
                for (std::size_t f = 0; f < itemsOfGroup[g].size(); ++f) {
                    EnrolFileResult& result = report.files[itemsOfGroup[g][f]];
                    result.outcome = EnrolOutcome::Enrolled;
                    noteEscapedPath(result, items[itemsOfGroup[g][f]]);
                    result.subjectId = (*added)[g].subjectId;
                    result.faceId = (*added)[g].faceIds[f];
                    known->written(sha256OfItem[itemsOfGroup[g][f]],
                                   KnownImage{*result.faceId, *result.subjectId, batch[g].subject.name,
                                              subjectKey(batch[g].subject)});
                }
            }
        }
        known->pending.clear();  // written, so in the index now (or refused with its chunk)
        // One face under several identities is on record for review, not only in this report (SOP VI.A.5); against
        // a face accepted earlier in this chunk, that face as written (trial 43 F2: it was "face 0").
        for (const auto& [i, clashed] : conflicts) {
            EnrolFileResult& result = report.files[i];
            if (!result.duplicateOfFace) result.duplicateOfFace = report.files[clashed.reportLine].faceId;
            Json details = sourcePathDetails(text::pathText(result.file));
            details["name"] = items[i].subject.name;
            details["existing_face_id"] = result.duplicateOfFace.value_or(0);
            if (result.nearCopyDistance) details[kDescriptorDistance] = *result.nearCopyDistance;
            details["message"] = result.message;
            auto recorded = store.transact([&](store::Transaction& tx) {
                return audit::AuditLog::append(tx, {actor.userId, "gallery.identity_conflict", "gallery_face",
                                                    std::to_string(result.duplicateOfFace.value_or(0)), details.dump()});
            });
            if (!recorded) return recorded.error();
        }
    }
    report.cancelled = report.count(EnrolOutcome::Cancelled) > 0;
    return report;
}

}  // namespace facelead::gallery
