// CaseService::submitSearch: the search use case, composed once for the wizard and the CLI (issue 8).

#include "core/accounts/Authority.h"
#include "core/common/Text.h"
#include "core/cases/CaseService.h"
#include "core/cases/detail/NeedToKnow.h"
#include "core/cases/detail/RequestColumns.h"
#include "core/cases/detail/Rows.h"

namespace facelead::cases {
namespace {

Error cancelled() { return makeError(ErrorCode::Cancelled, "The search was cancelled; nothing was stored."); }

// VI.B.2: an image that is no capture by the agency states where it came from. A further probe is a picture of its own
// (another camera, another still), so it states its own source and never takes the first probe's unasked (trial 40 F6).
Result<void> checkFurtherSources(const SearchSubmission& submission) {
    const bool required = workflow::needsImageSource(submission.request);
    for (std::size_t i = 0; i < submission.furtherProbes.size(); ++i) {
        FACELEAD_TRY(text::acceptText("The source of probe " + std::to_string(i + 2), submission.furtherProbes[i].imageSource,
                                      text::TextKind::FreeText));
        if (required && workflow::meaningfulLength(submission.furtherProbes[i].imageSource) == 0)
            return makeError(ErrorCode::InvalidArgument,
                             "Probe " + std::to_string(i + 2) + " is not a capture by the agency: state its own source "
                             "(for example \"CCTV export, 12 Main St, camera 2\") so its origin is documented (VI.B.2).");
    }
    return {};
}


// Trial 43 F9: one file given as two probes of a search was searched, and counted, twice.
Result<void> notAgainAmongProbes(const std::vector<std::int64_t>& earlier, std::int64_t image) {
    const auto same = std::find(earlier.begin(), earlier.end(), image);
    if (same == earlier.end()) return {};
    return makeError(ErrorCode::InvalidArgument,
                     "Probe " + std::to_string(earlier.size() + 1) + " is the same picture as probe " +
                         std::to_string(same - earlier.begin() + 1) + " (image " + std::to_string(image) +
                         "): each probe of a search is a different picture of the person. Nothing was stored.");
}

}  // namespace

std::string probesUnlikeTheFirst(std::span<const face::Descriptor> probes, double sameSubjectDistance) {
    std::string unlike;
    std::size_t count = 0;
    for (std::size_t i = 1; i < probes.size(); ++i) {
        const double distance = face::FaceEngine::distance(probes[0], probes[i]);
        if (distance <= sameSubjectDistance) continue;
        unlike += (unlike.empty() ? "" : ", ") + std::to_string(i + 1) + " (distance " + text::decimal(distance, 2) + ")";
        ++count;
    }
    if (count == 0) return {};
    return (count == 1 ? "Probe " + unlike + " does not" : "Probes " + unlike + " do not") +
           " look like the same person as probe 1 (the same-person threshold is " +
           text::decimal(sameSubjectDistance, 2) + "): check that every probe shows the person sought; a probe of someone "
           "else brings that person's look-alikes into the one candidate list.";
}

Result<SearchRecord> CaseService::submitSearch(const SearchSubmission& submission, const SearchBackend& backend,
                                               const std::function<void(std::size_t, std::size_t)>& progress,
                                               const std::atomic<bool>* cancel) {
    return accounts::refusalsAudited(session_, "search.submit", [&]() -> Result<SearchRecord> {
        // Gate and rules before anything is written: a refused search leaves nothing behind.
        auto user = searchingUser();
        if (!user) return user.error();
        FACELEAD_TRY(workflow::validate(submission.request, settings_));
        FACELEAD_TRY(checkFurtherSources(submission));
        // The rule pack's second approver, before the search, of these very probes (issue 11 item 5, trial 19B HIGH-2).
        auto approval = approvalFor(submission, user->id);
        if (!approval) return approval.error();
        const auto stageDone = [&](std::size_t stage) -> Result<void> {
            if (progress) progress(stage, kSearchStages);
            if (cancel && cancel->load()) return cancelled();
            return {};
        };
        return session_.store().transact([&](store::Transaction& tx) -> Result<SearchRecord> {
            auto caseRecord = findOrCreateCase(submission);
            if (!caseRecord) return caseRecord.error();
            FACELEAD_TRY(stageDone(1));

            const std::string& source =
                submission.imageSource.empty() ? submission.request.imageSource : submission.imageSource;
            auto probeImage = storeProbeImage(caseRecord->id, submission.originalBytes, submission.videoFrame, source);
            if (!probeImage) return probeImage.error();
            std::int64_t searchedImage = *probeImage;
            if (submission.enhancement) {
                auto copy = createDerivedCopy(*probeImage, *submission.enhancement);
                if (!copy) return copy.error();
                if (submission.searchEnhancedCopy) searchedImage = copy->id;
            }
            // Further probes of the same person: each original stored untouched with its hash, as the first (VI.B.2).
            std::vector<SearchProbe> probes{{searchedImage, submission.probe, submission.fileName}};
            std::vector<std::int64_t> storedProbes{*probeImage};
            for (const FurtherProbe& further : submission.furtherProbes) {
                auto stored = storeProbeImage(caseRecord->id, further.originalBytes, further.videoFrame,
                                              further.imageSource);
                if (!stored) return stored.error();
                FACELEAD_TRY(notAgainAmongProbes(storedProbes, *stored));
                storedProbes.push_back(*stored);
                probes.push_back({*stored, further.probe, further.fileName});
            }
            FACELEAD_TRY(stageDone(2));

            auto request = submitRequest(submission.request);
            if (!request) return request.error();
            if (*approval) FACELEAD_TRY(useApproval(tx, **approval, request->id));
            FACELEAD_TRY(stageDone(3));

            auto search = runSearch(request->id, probes, backend, submission.options);
            if (!search) return search.error();
            FACELEAD_TRY(stageDone(kSearchStages));
            return search;
        });
    });
}

Result<void> CaseService::checkSearchGate(const workflow::SearchRequest& request) {
    return accounts::refusalsAudited(session_, "search.submit", [&]() -> Result<void> {
        if (auto user = searchingUser(); !user) return user.error();
        FACELEAD_TRY(workflow::validate(request, settings_));
        // Told before the wizard goes on: submitRequest refuses it again.
        auto existing = caseToSearchIn(request.caseNumber);
        if (existing) return detail::checkOffenceOfCase(*existing, request);
        if (existing.error().code != ErrorCode::NotFound) return existing.error();
        return {};
    });
}

Result<CaseRecord> CaseService::caseToSearchIn(const std::string& caseNumber) {
    if (auto user = currentUser(workflow::Action::ViewCase); !user) return user.error();
    auto existing = detail::caseNumbered(session_.store(), caseNumber);
    if (!existing) return existing;
    if (auto reader = detail::caseReader(session_, existing->id); !reader) return reader.error();
    return existing;
}

Result<std::int64_t> CaseService::storeProbeImage(std::int64_t caseId, std::span<const std::uint8_t> originalBytes,
                                                  std::optional<std::int64_t> videoFrame, const std::string& source) {
    if (!videoFrame) {
        auto original = storeOriginal(caseId, originalBytes, source);
        if (!original) return original.error();
        return original->id;
    }
    auto video = storeVideo(caseId, originalBytes, source);
    if (!video) return video.error();
    auto frame = takeVideoFrame(video->id, *videoFrame);
    if (!frame) return frame.error();
    return frame->id;
}

Result<CaseRecord> CaseService::findOrCreateCase(const SearchSubmission& submission) {
    auto existing = detail::caseNumbered(session_.store(), submission.request.caseNumber);
    if (existing || existing.error().code != ErrorCode::NotFound) return existing;
    if (!submission.newCaseOfficerId) {
        return makeError(ErrorCode::NotFound, existing.error().message +
                                                  " Name its assigned case officer to create it with the search "
                                                  "(VI.B.3).");
    }
    return createCase({submission.request.caseNumber, submission.request.offence, *submission.newCaseOfficerId});
}

}  // namespace facelead::cases
