#pragma once
// The gallery for the signed-in session (issue 8: authority in the facade). Listing needs
// workflow::Action::ViewGallery, enrolling ManageGallery (both: program administrator); investigators see
// gallery subjects only as the candidates of their own searches. Refusals are audited ("access.refused");
// listing the subjects is recorded as "gallery.listed"; removing a wrongly enrolled subject (ManageGallery)
// as "gallery.subject_removed" with the reason, in the same transaction (Gallery::removeSubject). The acting user and their roles come from the
// store, never from the caller.
//
// Threading: as Gallery and Session, one thread at a time.

#include <optional>
#include <vector>

#include "core/accounts/Session.h"
#include "core/gallery/Gallery.h"

namespace facelead::gallery {

class GalleryService {
public:
    GalleryService(accounts::Session& session, Gallery& gallery) : session_(session), gallery_(gallery) {}

    Result<std::vector<Subject>> listSubjects();
    Result<std::vector<GalleryFace>> listFaces(std::optional<std::int64_t> subjectId = std::nullopt);
    Result<EnrolReport> enrol(const face::FaceEngine& engine, const std::vector<EnrolItem>& items,
                              const EnrolOptions& options = {});
    // Gallery::removeSubject for the signed-in user: PermissionDenied (audited "access.refused") without
    // ManageGallery; the other errors as Gallery::removeSubject. The gallery's index drops the subject at once.
    Result<RemovedSubject> removeSubject(std::int64_t subjectId, std::string_view reason);

private:
    accounts::Session& session_;
    Gallery& gallery_;
};

}  // namespace facelead::gallery
