#include "ui/wizard/SearchRunner.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "core/common/Hash.h"
#include "core/common/Text.h"
#include "core/face/HandMarking.h"
#include "ui/workstation/CoreServices.h"

namespace facelead::ui {

namespace {

Result<std::vector<std::uint8_t>> readOriginalBytes(const ProbeOriginal& original) {
    if (!original.storedBytes.empty()) {  // read back from the store (a copied search); held to its hash all the same
        if (sha256Hex(original.storedBytes) != original.sha256)
            return makeError(ErrorCode::IntegrityViolation, "The probe " + original.file.string() +
                                                                " read from the store does not match its SHA-256.");
        return original.storedBytes;
    }
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

// The share of a's area that a and b have in common, over their union (1: the same box).
double overlap(const face::Box& a, const face::Box& b) {
    const double width = std::max(0, std::min(a.right, b.right) - std::max(a.left, b.left));
    const double height = std::max(0, std::min(a.bottom, b.bottom) - std::max(a.top, b.top));
    const double common = width * height;
    const double all = double(a.width()) * a.height() + double(b.width()) * b.height() - common;
    return all > 0 ? common / all : 0;
}

// The face searched in a stored probe, found again in its pixels: its hand marking made again, or the detected face
// that covers the stored box (the same probe detection as the wizard's), numbered among the detected faces.
Result<FurtherProbeDraft> faceSearchedIn(const face::FaceEngine& engine, const cases::StoredProbe& stored,
                                         ProbeOriginal original) {
    FurtherProbeDraft probe{std::move(original), {}, 1, 1, false, {}};
    const imaging::Image& image = probe.original.image;
    if (stored.handMarking) {
        auto points = face::parseMarkedPoints(stored.handMarking->points);
        if (!points) return points.error();
        auto marked = engine.analyzeMarked(image, *points);
        if (!marked) return marked.error();
        probe.face = std::move(*marked);
        return probe;
    }
    auto faces = engine.analyze(image, {face::FacePick::All, true, face::DetectionPolicy::Probe});
    if (!faces) return faces.error();
    const int best = faceOverBox(*faces, stored.faceBox);
    if (best < 0)
        return makeError(ErrorCode::NotFound, "The face searched in probe " + std::to_string(stored.position + 1) +
                                                  " is not found again in image " + std::to_string(stored.imageId) +
                                                  "; add that probe again on the face page.");
    probe.face = std::move((*faces)[std::size_t(best)]);
    probe.faceNumber = best + 1;
    probe.facesInImage = int(faces->size());
    return probe;
}

}  // namespace

int faceOverBox(const std::vector<face::Face>& faces, const face::Box& box) {
    int best = -1;
    double bestOverlap = 0.5;  // at least half the boxes in common: the same face, not a neighbour
    for (int i = 0; i < int(faces.size()); ++i)
        if (const double o = overlap(faces[std::size_t(i)].box, box); o >= bestOverlap) {
            best = i;
            bestOverlap = o;
        }
    return best;
}

Result<CopiedProbes> copiedProbes(CoreServices& services, const face::FaceEngine& engine, std::int64_t searchId,
                                  const std::vector<std::filesystem::path>& names,
                                  const std::function<bool(int, int)>& progress) {
    auto search = services.cases().getSearch(searchId);
    if (!search) return search.error();
    std::vector<FurtherProbeDraft> probes;
    const int total = int(search->furtherProbes.size());
    for (int i = 0; i < total; ++i) {
        if (progress && !progress(i, total)) return makeError(ErrorCode::Cancelled, "The copy was cancelled.");
        const cases::StoredProbe& stored = search->furtherProbes[std::size_t(i)];
        auto file = services.cases().readProbeFile(stored.imageId);
        if (!file) return file.error();
        const std::filesystem::path name = std::size_t(i) < names.size() && !names[std::size_t(i)].empty()
                                               ? names[std::size_t(i)]
                                               : std::filesystem::path("image-" + std::to_string(file->original.id));
        ProbeOriginal original{name, std::move(file->searched.image), file->original.sha256, file->videoFrame,
                               std::move(file->originalBytes)};
        auto probe = faceSearchedIn(engine, stored, std::move(original));
        if (!probe) return probe.error();
        // Stored only because it was acknowledged then (the core refuses a poor probe without it).
        probe->poorQualityAcknowledged =
            probe->face.quality.verdict == face::QualityVerdict::Poor && search->poorQualityAcknowledged;
        probe->imageSource = file->original.source;  // its own, as stored
        probes.push_back(std::move(*probe));
    }
    if (progress) progress(total, total);
    return CopiedProbes{search->faceBox, std::move(probes)};
}

Result<std::int64_t> submitSearch(CoreServices& services, const face::FaceEngine& engine, const SearchDraft& draft,
                                  const face::ProgressFn& progress, const std::atomic<bool>* cancel,
                                  std::atomic<std::int64_t>* heldBy) {
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
             .imageSource = further.imageSource,
             .probe = cases::ProbeFace{further.face.box, *further.face.descriptor, further.face.quality,
                                       further.faceNumber, further.facesInImage, further.face.marked},
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
    if (!search && search.error().code == ErrorCode::ApprovalRequired && heldBy) {
        auto held = services.cases().approvalHolding(submission);
        if (held && *held && (*held)->requestedBy.id == services.session().userId()) *heldBy = (*held)->id;
    }
    if (!search) return search.error();
    return search->id;
}

}  // namespace facelead::ui
