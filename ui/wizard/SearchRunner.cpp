#include "ui/wizard/SearchRunner.h"

#include <fstream>
#include <iterator>

#include "core/common/Hash.h"
#include "ui/workstation/CoreServices.h"

namespace facelead::ui {

namespace {

Result<std::vector<std::uint8_t>> readOriginalBytes(const ProbeOriginal& original) {
    std::ifstream in(original.file, std::ios::binary);
    if (!in) return makeError(ErrorCode::IoError, "The probe image " + original.file.string() +
                                                      " can no longer be read. Load it again.");
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // The file must still be the one the user saw and whose hash the wizard showed (VI.B.2).
    if (sha256Hex(bytes) != original.sha256)
        return makeError(ErrorCode::IntegrityViolation, "The probe image " + original.file.string() +
                                                            " changed on disk after it was loaded. Load it again.");
    return bytes;
}

Error cancelled() { return makeError(ErrorCode::Cancelled, "The search was cancelled; nothing was stored."); }

}  // namespace

Result<std::int64_t> submitSearch(CoreServices& services, const face::FaceEngine& engine, const SearchDraft& draft,
                                  const face::ProgressFn& progress, const std::atomic<bool>* cancel) {
    if (!draft.original) return makeError(ErrorCode::InvalidArgument, "No probe image was loaded.");
    const face::Face* face = draft.face();
    if (!face || !face->descriptor) return makeError(ErrorCode::InvalidArgument, "No face was chosen in the probe image.");

    auto bytes = readOriginalBytes(*draft.original);
    if (!bytes) return bytes.error();

    constexpr std::size_t kStages = 5;
    auto stageDone = [&](std::size_t stage) { if (progress) progress(stage, kStages); };
    auto stopped = [&] { return cancel && cancel->load(); };
    cases::CaseService& cases = services.cases();

    // One outer transaction: every CaseService call below joins it, so a refusal, a store failure or a
    // cancel leaves nothing half-written (no orphan case, image or request).
    return services.store().transact([&](store::Transaction&) -> Result<std::int64_t> {
        std::int64_t caseId = 0;
        if (auto existing = cases.findCase(draft.request.caseNumber)) {
            caseId = existing->id;
        } else if (existing.error().code == ErrorCode::NotFound) {
            if (!draft.newCaseOfficerId)
                return makeError(ErrorCode::InvalidArgument, "Case " + draft.request.caseNumber +
                                                                 " is new: choose its assigned case officer.");
            auto created = cases.createCase({draft.request.caseNumber, draft.request.offence, *draft.newCaseOfficerId});
            if (!created) return created.error();
            caseId = created->id;
        } else {
            return existing.error();
        }
        stageDone(1);
        if (stopped()) return cancelled();

        auto original = cases.storeOriginal(caseId, bytes.value(), draft.request.imageSource);
        if (!original) return original.error();
        std::int64_t searchedImage = original->id;
        if (draft.enhanced) {
            auto copy = cases.createDerivedCopy(original->id, draft.enhanced->recipe);
            if (!copy) return copy.error();
            if (draft.searchEnhancedCopy) searchedImage = copy->id;
        }
        stageDone(2);
        if (stopped()) return cancelled();

        auto request = cases.submitRequest(draft.request);
        if (!request) return request.error();
        stageDone(3);
        if (stopped()) return cancelled();

        const cases::ProbeFace probe{face->box, *face->descriptor, face->quality};
        const cases::SearchBackend backend{services.gallery().index(),
                                           [&engine](double distance) { return engine.similarity(distance); }};
        auto search = cases.runSearch(request->id, searchedImage, probe, backend,
                                      {draft.candidateLimit, draft.poorQualityAcknowledged});
        if (!search) return search.error();
        stageDone(4);
        if (stopped()) return cancelled();
        stageDone(kStages);
        return search->id;
    });
}

}  // namespace facelead::ui
