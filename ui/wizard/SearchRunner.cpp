#include "ui/wizard/SearchRunner.h"

#include <fstream>
#include <iterator>

#include "core/common/Hash.h"
#include "core/common/Text.h"
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

// The one acknowledgement the core takes for all probes (SearchOptions::poorQualityAcknowledged): given when some
// probe is poor and the examiner acknowledged each poor one.
bool poorProbesAcknowledged(const SearchDraft& draft) {
    const auto poor = [](const face::Face& f) { return f.quality.verdict == face::QualityVerdict::Poor; };
    bool anyPoor = draft.face() && poor(*draft.face());
    if (anyPoor && !draft.poorQualityAcknowledged) return false;
    for (const FurtherProbeDraft& further : draft.furtherProbes) {
        if (!poor(further.face)) continue;
        if (!further.poorQualityAcknowledged) return false;
        anyPoor = true;
    }
    return anyPoor;
}

}  // namespace

Result<std::int64_t> submitSearch(CoreServices& services, const face::FaceEngine& engine, const SearchDraft& draft,
                                  const face::ProgressFn& progress, const std::atomic<bool>* cancel) {
    if (!draft.original) return makeError(ErrorCode::InvalidArgument, "No probe image was loaded.");
    const face::Face* face = draft.face();
    if (!face || !face->descriptor) return makeError(ErrorCode::InvalidArgument, "No face was chosen in the probe image.");

    auto bytes = readOriginalBytes(*draft.original);
    if (!bytes) return bytes.error();

    cases::SearchSubmission submission;
    submission.request = draft.request;
    submission.newCaseOfficerId = draft.newCaseOfficerId;
    submission.originalBytes = bytes.value();
    submission.fileName = text::pathText(draft.original->file.filename());
    if (draft.original->videoFrame) submission.videoFrame = draft.original->videoFrame->frame;
    if (draft.enhanced) submission.enhancement = draft.enhanced->recipe;
    submission.searchEnhancedCopy = draft.searchEnhancedCopy;
    submission.probe = cases::ProbeFace{face->box, *face->descriptor, face->quality, draft.chosenFace + 1,
                                        int(draft.faces.size()), face->marked};
    // Each further original read again and held to the hash shown when it was added, as the first.
    std::vector<std::vector<std::uint8_t>> furtherBytes;
    furtherBytes.reserve(draft.furtherProbes.size());  // the submission's spans point into these
    for (const FurtherProbeDraft& further : draft.furtherProbes) {
        if (!further.face.descriptor) return makeError(ErrorCode::InvalidArgument, "A further probe has no face chosen.");
        auto read = readOriginalBytes(further.original);
        if (!read) return read.error();
        furtherBytes.push_back(std::move(*read));
        std::optional<std::int64_t> frame;
        if (further.original.videoFrame) frame = further.original.videoFrame->frame;
        submission.furtherProbes.push_back(
            {.originalBytes = furtherBytes.back(),
             .imageSource = "",  // the first probe's source
             .probe = cases::ProbeFace{further.face.box, *further.face.descriptor, further.face.quality,
                                       further.faceNumber, further.facesInImage, std::nullopt},
             .videoFrame = frame,
             .fileName = text::pathText(further.original.file.filename())});
    }
    submission.options = {draft.candidateLimit, poorProbesAcknowledged(draft)};
    const cases::SearchBackend backend{services.gallery().index(),
                                       [&engine](double distance) { return engine.similarity(distance); }};
    // A purpose the rule pack holds for a second approver (issue 11 item 5): the request is stored as waiting,
    // and the wizard stays open so the same search runs once a supervisor has approved it.
    const auto& pack = services.cases().settings().pack;
    if (draft.request.purpose && pack.needsApproval(*draft.request.purpose)) {
        auto approval = services.cases().requestApproval(submission);  // of these probe originals
        if (!approval) return approval.error();
        if (!approval->approved())
            return makeError(ErrorCode::ApprovalRequired,
                             "the agency's rule pack (" + pack.name() + ") asks a supervisor to approve this search "
                             "before it runs (" + pack.approvalCitation + "). Request " + std::to_string(approval->id) +
                                 " is stored with this probe image and waiting: a supervisor approves it under \"Search "
                                 "approvals\". Press Run again once it is approved; your entries are kept. Another "
                                 "probe image needs its own approval.");
    }
    auto search = services.cases().submitSearch(submission, backend, progress, cancel);
    if (!search) return search.error();
    return search->id;
}

}  // namespace facelead::ui
