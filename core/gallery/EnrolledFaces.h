#pragma once
// A gallery face is held to the entry that enrolled it (trial 16A F2: an insider holding the database key renamed
// a gallery subject, and every lead on that subject's faces showed the new name as the person the search found).
// The "gallery.faces_enrolled" entry of each subject signs, per face, a digest of the face row as written — its
// subject, descriptor, quality, box, source path, author, time and the photo's SHA-256 (kFaceRowDigest) — and a
// digest of the subject's identity — name, date of birth, source, record id, author, time (kSubjectDigest). A face
// holds while the first entry naming it is intact, signed with a certified key by the face's author, is the
// subject's the face now belongs to, and both digests still match (entries from before the digests: the name,
// source, record id and photo hash they name). A rewritten descriptor (a face made to match someone else's
// probe), a renamed subject or a face moved to another subject therefore no longer holds.
//
// Where it is checked: the case file, for every candidate of its searches (cases::detail::checkCaseRowsSigned:
// the case is refused and audit verify names it), and audit verify over the whole gallery (a face edited before
// any search named it). The case file looks only at the entries of its candidates' subjects, so a face moved to
// another subject under an entry the insider signed himself is named by audit verify (the first entry naming the
// face over the whole log), not by the case.
//
// A subject's removal is held to its "gallery.subject_removed" entry the same way (trial 22A F5: one UPDATE of
// gallery_subjects took a subject out of every search, the gallery lists and the disclosure packet's "gallery as
// it stood", in a program administrator's name; NULLing it put a removed subject back among the candidates). A
// subject counts as removed only when the first such entry naming it that is intact, signed with a certified key
// by a program administrator (as the log had them then) says so, and its removal columns match the digest that
// entry signs (kRemovalDigest; entries from before it: the remover and the reason). Checked wherever the gallery
// is searched, listed or described in a disclosure packet (checkRemovalsSigned: refused), and by audit verify.
//
// Thread-safety: as the Store and AccountLedger given.

#include <cstdint>
#include <string>
#include <vector>

#include "core/audit/AccountLedger.h"
#include "core/audit/SignedRecords.h"
#include "core/common/Result.h"
#include "core/store/Store.h"

namespace facelead::gallery {

inline constexpr const char* kFacesEnrolled = "gallery.faces_enrolled";
inline constexpr const char* kFaceRowDigest = "row_sha256";     // in each element of the entry's "faces"
inline constexpr const char* kSubjectDigest = "subject_sha256";  // in the entry's details

inline constexpr const char* kSubjectRemoved = "gallery.subject_removed";
inline constexpr const char* kRemovalDigest = "removal_sha256";  // in the entry's details

// The digests an enrolment entry signs (SHA-256 hex; NotFound when there is no such row): faces.of(faceId) and
// subjects.of(subjectId). Prepared once for every face an enrolment writes or a verification reads.
struct EnrolmentDigests {
    static Result<EnrolmentDigests> prepare(store::Store& store);
    audit::RowDigests faces;
    audit::RowDigests subjects;
};

// One sentence per face of `faceIds` that no longer holds to its enrolment entry (see above), looking only at
// the entries of the faces' current subjects; empty when all hold. No role check: the caller has authorised it.
Result<std::vector<std::string>> editedFaces(store::Store& store, const audit::AccountLedger& ledger,
                                             const std::vector<std::int64_t>& faceIds);

// The same over every face of the gallery, removed subjects' included, against the whole log (audit verify).
Result<std::vector<std::string>> editedGalleryFaces(store::Store& store, const audit::AccountLedger& ledger);

// The digest a removal entry signs: the subject's removed_at, removed_by and removed_reason (SHA-256 hex).
Result<std::string> removalDigest(store::Store& store, std::int64_t subjectId);

// One sentence per subject whose removal state in the store is not the one the signed log gives it (see above);
// empty when all hold. For audit verify.
Result<std::vector<std::string>> editedRemovals(store::Store& store, const audit::AccountLedger& ledger);

// AuditChainBroken (a refusal: the caller audits it) naming the first subject editedRemovals finds, followed by
// `refused` ("The search was not run."); success when there is none.
Result<void> checkRemovalsSigned(store::Store& store, const audit::AccountLedger& ledger, const std::string& refused);

}  // namespace facelead::gallery
