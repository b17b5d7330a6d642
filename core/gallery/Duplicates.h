#pragma once
// The DL/ID fraud check of SOP 302.02 VI.A.5 over the gallery: faces of DIFFERENT subjects within the
// same-subject threshold (one face under several identities) and the same image (same SHA-256 of the
// original's bytes) enrolled under several identities. Every entry is only a lead for a person to review.
// Removed subjects (Gallery::removeSubject) are left out. Images that an enrolment refused because the same image
// was already enrolled under another identity (never enrolled, so in no pair above) are listed from their audit
// entries ("gallery.identity_conflict", Gallery.h), so the review sees every identity conflict in one place.
//
// One facade for the workstation and `facelead-cli gallery duplicates`: it takes the signed-in session and
// checks the role itself (accounts::authorize with workflow::Action::ManageGallery, the role table in
// core/workflow/Access.cpp); a refusal is audited as "access.refused", a finished check as
// "gallery.duplicates_checked".
//
// Cost: all n(n-1)/2 distances, exact (GalleryIndex::crossSubjectPairs with the SIMD kernels); 100 000 faces
// in the time given in docs/PERFORMANCE.md (bench_gallery_duplicates). Call off the UI thread.

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/accounts/Session.h"
#include "core/common/Result.h"
#include "core/gallery/GalleryIndex.h"

namespace facelead::gallery {

struct DuplicateFace {
    std::int64_t faceId = 0;
    std::int64_t subjectId = 0;
    std::string subjectName;
    std::string sourcePath;
};

struct SimilarFaces {
    DuplicateFace a, b;  // different subjects
    float distance = 0;  // Euclidean, as FaceEngine::distance
};

struct SameImage {
    std::string imageSha256;
    std::vector<DuplicateFace> faces;  // at least two subjects among them
};

// An image an enrolment refused: its SHA-256 (trial 40 F15), or nearly the same face with other bytes (trial 42
// F10), was already enrolled under another identity.
struct EnrolmentConflict {
    std::string at;           // when, ISO 8601 UTC (the audit entry's time)
    std::string enrolledBy;   // who ran that enrolment
    std::string offeredName;  // the identity it was offered under
    std::string sourcePath;   // the refused file, as text::pathText
    DuplicateFace enrolled;   // the face already enrolled with that image (subjectId 0: no longer in the gallery)
    std::optional<double> descriptorDistance;  // a near copy: how near (Gallery.h kSamePictureDistance); unset: same bytes
};

struct DuplicatesReport {
    std::size_t facesCompared = 0;
    float threshold = 0;
    std::vector<SimilarFaces> similarFaces;  // nearest first
    bool similarTruncated = false;           // more pairs than DuplicatesOptions::maxPairs
    std::vector<SameImage> sameImages;
    std::vector<EnrolmentConflict> enrolmentConflicts;  // oldest first
    bool cancelled = false;
};

struct DuplicatesOptions {
    float threshold = 0.56f;  // face::Calibration::sameSubjectDistance (docs/CALIBRATION.md)
    std::size_t maxPairs = 10000;
    unsigned threads = 0;     // 0: all cores
    const std::atomic<bool>* cancel = nullptr;
};

// PermissionDenied / AccountNotActive for a caller the role table does not allow (audited, "access.refused");
// InvalidArgument for a threshold outside (0, 2].
Result<DuplicatesReport> findDuplicates(accounts::Session& session, const DuplicatesOptions& options = {});

}  // namespace facelead::gallery
