#include "core/gallery/GalleryService.h"

#include "core/accounts/Authority.h"
#include "core/audit/AuditLog.h"
#include "core/gallery/EnrolledFaces.h"

namespace facelead::gallery {

Result<std::vector<Subject>> GalleryService::listSubjects() {
    return accounts::refusalsAudited(session_, "gallery.list", [&]() -> Result<std::vector<Subject>> {
        FACELEAD_TRY(accounts::authorize(session_, workflow::Action::ViewGallery));
        FACELEAD_TRY(checkRemovalsSigned(session_.store(), session_.ledger(), "The gallery is not listed."));
        auto subjects = gallery_.listSubjects(session_.store());
        if (!subjects) return subjects.error();
        FACELEAD_TRY(session_.store().transact([&](store::Transaction& tx) {
            return audit::AuditLog::append(tx, {session_.userId(), "gallery.listed", "gallery", "",
                                                "{\"subjects\":" + std::to_string(subjects->size()) + "}"});
        }));
        return subjects;
    });
}

Result<std::vector<GalleryFace>> GalleryService::listFaces(std::optional<std::int64_t> subjectId) {
    return accounts::refusalsAudited(session_, "gallery.list", [&]() -> Result<std::vector<GalleryFace>> {
        FACELEAD_TRY(accounts::authorize(session_, workflow::Action::ViewGallery));
        FACELEAD_TRY(checkRemovalsSigned(session_.store(), session_.ledger(), "The gallery is not listed."));
        return gallery_.listFaces(session_.store(), subjectId);
    });
}

Result<EnrolReport> GalleryService::enrol(const face::FaceEngine& engine, const std::vector<EnrolItem>& items,
                                          const EnrolOptions& options) {
    return accounts::refusalsAudited(session_, "gallery.enrol", [&]() -> Result<EnrolReport> {
        auto user = accounts::authorize(session_, workflow::Action::ManageGallery);
        if (!user) return user.error();
        return gallery_.enrol(session_.store(), engine, Actor{user->id, user->roles}, items, options);
    });
}

Result<RemovedSubject> GalleryService::removeSubject(std::int64_t subjectId, std::string_view reason) {
    return accounts::refusalsAudited(session_, "gallery.remove_subject", [&]() -> Result<RemovedSubject> {
        auto user = accounts::authorize(session_, workflow::Action::ManageGallery);
        if (!user) return user.error();
        return gallery_.removeSubject(session_.store(), Actor{user->id, user->roles}, subjectId, reason);
    });
}

}  // namespace facelead::gallery
