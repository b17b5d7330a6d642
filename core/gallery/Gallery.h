#pragma once
// The gallery of identified persons: subjects, their enrolled faces (image, descriptor, quality, box) in
// the encrypted store, the in-memory 1:N index over them, and enrolment through the face engine.
//
// Enrolment input (both give a list of EnrolItem; see itemsFromFolder / itemsFromCsv):
//  * a folder: FOLDER/<identity>/<image> -- the identity is the sub-folder's name; or FOLDER/<image> --
//    the identity is the file name without extension and without a trailing number ("John_Smith_0003.jpg"
//    -> "John Smith", "amy1.png" -> "amy"). Underscores become spaces. Hidden files are ignored; every
//    other file is tried and, when it is not a readable image, reported.
//  * a CSV manifest with a header row: path,name,date_of_birth,source,record_id (path and name required,
//    other columns optional, in any order; paths relative to the CSV's folder; RFC 4180 quoting). UTF-8 with
//    or without a byte-order mark, or UTF-16 with one (what spreadsheet programs write). Paths must stay inside
//    the manifest's folder (no "../", no absolute path elsewhere) unless ManifestOptions::allowOutsidePaths.
//    A bad row (missing value, text that is not UTF-8 or too long, a path outside) fails only its own image.
//
// Text enters here: names and fields are checked by text::acceptText (valid UTF-8, no control characters,
// length-limited). A folder or file name that is not UTF-8 (a Latin-1 name from an old Windows share) is
// enrolled under its escaped text (text::pathText: "Caf\xe9" for the byte 0xE9), so every name works and the
// batch goes on (intake case C08, issue 8 item 5); the escape is unambiguous, a literal backslash being doubled,
// so the file literally named "Caf\xe9" gives another subject, "Caf\\xe9" (trial 9 finding 8). Paths are
// recorded as text::pathText too; the audit entry marks an escaped one
// ("source_path_escaped": true).
//
// Intake findings go into the report: a damaged image is not enrolled ("damaged"); an animation is enrolled
// from its first frame with the note "N frames, frame 1 used". An image whose SHA-256 is already in the
// gallery, or earlier in the same enrolment, is not enrolled again ("duplicate"); under another identity it is
// an identity conflict, reported and audited ("gallery.identity_conflict") for review (SOP VI.A.5). So is a face
// of another identity within kSamePictureDistance: the same photo with other bytes (re-saved, re-scaled,
// re-encoded) under another name (trial 42 F10); a near copy under the same identity is enrolled. A face of another
// identity within kReviewAtEnrolmentDistance is enrolled with a note naming it, for the duplicates review.
//
// Subjects are reused, not duplicated: with a record id, the subject holding that record id; without, a
// subject with the same name and date of birth and no record id. Otherwise a new subject is created. A
// record id already registered under another name fails that image (reported), never re-labels a person.
//
// The stored image is the original file's bytes, unaltered (with their SHA-256, re-checked on read). Images
// live in gallery_face_images (schema v3), apart from the descriptors, so load() never reads an image.
//
// Every enrolment chunk is written in one transaction together with one audit event
// ("gallery.faces_enrolled") per subject listing the faces added; cancelling stops between chunks, so the
// store never holds a half-written chunk. Images with no face or several faces are reported, not enrolled
// (or, with enrolLargestOfSeveral, the largest face only).
//
// A wrongly enrolled subject is removed (removeSubject), never deleted (schema v5): its rows stay, so past
// searches' candidate lists and case reports still show what was shown then; from then on it is no candidate:
// out of load() and the index, of listSubjects/listFaces, of the duplicates check and of the subject and
// image look-ups of enrolment (the same photo may be enrolled again under the right identity).
//
// Threading: a Gallery is used from the thread that uses its Store (Store is not thread-safe); index()
// may be searched from any thread as long as no load() or enrol() runs at the same time.

#include <atomic>
#include <map>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Result.h"
#include "core/face/FaceEngine.h"
#include "core/gallery/GalleryIndex.h"
#include "core/store/Store.h"
#include "core/workflow/Roles.h"

namespace facelead::gallery {

// Who acts: the signed-in user (for created_by and the audit log) and their roles (enrolment needs
// workflow::Action::ManageGallery).
struct Actor {
    std::int64_t userId = 0;
    workflow::RoleSet roles;
};

struct SubjectFields {
    std::string name;
    std::optional<std::string> dateOfBirth;  // as given, e.g. "1971-04-02"
    std::string source;                      // where the identity comes from, e.g. "booking records"
    std::optional<std::string> recordId;     // the source's record number
};

// Faces this near are the same picture (or one taken moments apart), whatever their bytes. Measured on the shared
// faces set (docs/CALIBRATION.md "Same picture"): one photo re-saved, re-encoded or re-scaled 0.000-0.084, photos of
// one sitting from 0.086 (ORL), two different people never below 0.3.
inline constexpr double kSamePictureDistance = 0.10;
// Within this of another identity's face, but beyond kSamePictureDistance, an enrolled face is named in the
// enrolment report for review (SOP VI.A.5): edited copies of one photo (grey, brightened, blurred, mirrored, cropped a
// little) fell at 0.11-0.21 in trial 43 (F1); two different people of the shared faces set are never nearer than 0.378.
inline constexpr double kReviewAtEnrolmentDistance = 0.30;
// The detail of a "gallery.identity_conflict" entry that gives a near copy's distance (absent: the same bytes).
inline constexpr const char* kDescriptorDistance = "descriptor_distance";

struct Subject {
    std::int64_t id = 0;
    SubjectFields fields;
    std::int64_t createdBy = 0;
    std::string createdAt;  // toIsoUtc
    std::int64_t faceCount = 0;
};

// What removeSubject took out of the gallery (also the details of its audit event).
struct RemovedSubject {
    std::int64_t subjectId = 0;
    std::string name;
    std::int64_t faceCount = 0;
    std::string reason;     // trimmed
    std::string removedAt;  // toIsoUtc
};

// A removed subject as a past candidate list shows it: when, by whom (display name) and why.
struct SubjectRemoval {
    std::string removedAt;  // toIsoUtc
    std::string removedBy;
    std::string reason;
};

struct GalleryFace {
    std::int64_t id = 0;
    std::int64_t subjectId = 0;
    std::string imageSha256;
    face::Box box;
    std::string qualityJson;
    std::string sourcePath;
    std::int64_t createdBy = 0;
    std::string createdAt;
};

// One face ready to be written (what enrolment produces after analysis; also used by benchmarks).
struct NewFace {
    std::vector<std::uint8_t> imageBytes;
    face::Descriptor descriptor{};
    face::Quality quality;
    face::Box box;
    std::string sourcePath;
};

struct NewSubjectFaces {
    SubjectFields subject;
    std::vector<NewFace> faces;
};

struct AddedFaces {
    std::int64_t subjectId = 0;
    bool subjectCreated = false;
    std::vector<std::int64_t> faceIds;  // in the order of NewSubjectFaces::faces
};

// One image to enrol and the identity it shows.
struct EnrolItem {
    std::filesystem::path file;
    SubjectFields subject;
    std::optional<std::string> problem{};  // why this row of the input cannot be enrolled (reported, not analysed)
};

struct ManifestOptions {
    bool allowOutsidePaths = false;  // --allow-outside-paths: rows may name images outside the manifest's folder
};

Result<std::vector<EnrolItem>> itemsFromFolder(const std::filesystem::path& folder);
// Names where the identities of a folder's items come from ("Booking photos, county jail 2019-2024"), as
// `facelead-cli gallery enroll FOLDER --source` and the workstation's folder enrolment ask for it; stored with
// each subject and shown with every candidate. InvalidArgument (items unchanged) when it is empty or not
// acceptable text (text::acceptText, as every subject field).
Result<void> setSource(std::vector<EnrolItem>& items, std::string_view source);
Result<std::vector<EnrolItem>> itemsFromCsv(const std::filesystem::path& csvFile, const ManifestOptions& options = {});
// The manifest's text as UTF-8: a UTF-8 byte-order mark dropped, UTF-16 (LE or BE, with its mark) converted.
Result<std::string> manifestText(const std::vector<std::uint8_t>& bytes);
// The identity a bare file name stands for ("John_Smith_0003.jpg" -> "John Smith").
std::string identityFromFileName(const std::filesystem::path& file);

enum class EnrolOutcome { Enrolled, NoFace, SeveralFaces, Failed, Cancelled, Damaged, Duplicate };
// "enrolled", "no_face", "several_faces", "error", "cancelled", "damaged", "duplicate"
const char* outcomeName(EnrolOutcome outcome);

struct EnrolFileResult {
    std::filesystem::path file;
    EnrolOutcome outcome = EnrolOutcome::Failed;
    std::size_t facesFound = 0;
    std::optional<std::int64_t> subjectId;
    std::optional<std::int64_t> faceId;
    std::string message;  // why it was not enrolled, or what to know about an enrolled one (animation)
    std::optional<std::int64_t> duplicateOfFace{};  // Duplicate: the gallery face with the same image
    bool identityConflict = false;                // Duplicate under another identity: to be reviewed
    std::optional<double> nearCopyDistance{};     // Duplicate found as a near copy (other bytes): how near
};

struct EnrolReport {
    std::vector<EnrolFileResult> files;  // in input order
    bool cancelled = false;
    std::size_t count(EnrolOutcome outcome) const;
};

struct EnrolOptions {
    bool enrolLargestOfSeveral = false;  // default: an image with several faces is reported and skipped
    std::size_t chunkSize = 32;          // images analysed and written per transaction
    face::ProgressFn progress;           // (done, total) over the whole enrolment
    const std::atomic<bool>* cancel = nullptr;
};

class Gallery {
public:
    // (Re)builds the index from every gallery face in the store. Call when the store opens.
    Result<void> load(store::Store& store);
    const GalleryIndex& index() const { return index_; }

    Result<std::vector<Subject>> listSubjects(store::Store& store) const;
    Result<std::vector<GalleryFace>> listFaces(store::Store& store,
                                               std::optional<std::int64_t> subjectId = std::nullopt) const;
    // The stored image of a face. IntegrityViolation when its bytes no longer match the stored SHA-256; the
    // violation is then recorded in the audit log ("gallery.integrity_violation"), so call it outside a
    // transaction.
    Result<std::vector<std::uint8_t>> faceImage(store::Store& store, std::int64_t faceId,
                                                std::optional<std::int64_t> actingUserId = std::nullopt) const;

    // Analyses the items with the engine (all its workers), writes the enrolled faces, extends the index.
    // Fails as a whole only for a refused actor or a store error (completed chunks stay committed); a
    // bad image only fails its own entry in the report.
    Result<EnrolReport> enrol(store::Store& store, const face::FaceEngine& engine, const Actor& actor,
                              const std::vector<EnrolItem>& items, const EnrolOptions& options = {});

    // Writes already-analysed faces in ONE transaction (subjects found or created, one audit event per
    // subject) and extends the index. Returns, per group of the batch, the subject and the new face ids.
    Result<std::vector<AddedFaces>> addFaces(store::Store& store, const Actor& actor,
                                             const std::vector<NewSubjectFaces>& batch);

    // Removes a wrongly enrolled subject (issue 9 item 9): marks it removed with who, when and why and writes
    // "gallery.subject_removed" {name, faces, reason} in the SAME transaction, then drops its faces from the
    // index. Errors: PermissionDenied without ManageGallery; InvalidArgument for a reason that is empty
    // (after trimming), not UTF-8 text or longer than text::kMaxFreeTextChars; NotFound for an unknown subject;
    // InvalidTransition for a subject already removed.
    Result<RemovedSubject> removeSubject(store::Store& store, const Actor& actor, std::int64_t subjectId,
                                         std::string_view reason);

    // Every removed subject, by subject id: what a past search whose candidate was removed shows in place of
    // the photo (the rows stay; see removeSubject).
    Result<std::map<std::int64_t, SubjectRemoval>> removals(store::Store& store) const;

private:
    GalleryIndex index_;
};

}  // namespace facelead::gallery
