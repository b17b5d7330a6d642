#pragma once
// The case services of SOP 302.02 over the encrypted store, for the signed-in user of a session.
//
// Every rule is checked HERE, whatever the caller (the wizard checks the same rules first, to guide):
// the acting user is re-read from the store on every call (roles, status and training may have changed),
// requests are re-validated with workflow::validate, the search gate is workflow::checkCanSearch, lead
// changes go through workflow's state machine. A refusal is a typed error and writes nothing of what was
// refused; the refusal itself is audited ("access.refused": who, what, why) in its own transaction.
// Every state change, and every view of a candidate, an image or a case, is appended to the audit log in
// the SAME transaction as the change: exactly one audit event per successful call.
//
// Threading: like the Store, a CaseService is used from one thread at a time.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/accounts/Session.h"
#include "core/cases/CaseRecords.h"
#include "core/cases/SearchApproval.h"
#include "core/common/Result.h"
#include "core/gallery/GalleryIndex.h"
#include "core/imaging/Enhancement.h"
#include "core/imaging/Image.h"
#include "core/imaging/Intake.h"
#include "core/workflow/Access.h"
#include "core/workflow/Leads.h"
#include "core/workflow/SearchRequest.h"

namespace facelead::cases {

struct NewCase {
    std::string caseNumber;  // unique in the store
    std::string offence;
    std::int64_t assignedCaseOfficerId = 0;  // an active user with the case officer role (VI.B.3)
};

struct CaseFilter {
    std::string text;                               // part of the case number or offence; "" = any
    std::optional<std::int64_t> assignedOfficerId;
    std::optional<std::int64_t> createdBy;
};

// An image as read back: its record and its pixels, after the SHA-256 re-check.
struct LoadedImage {
    ImageRecord record;
    imaging::Image image;
};

// A stored video file (issue 10 item 5), to be played back where the case is read (CaseService::readVideo).
struct StoredVideo {
    ImageRecord record;
    std::vector<std::uint8_t> bytes;  // exactly as stored, SHA-256 re-checked on this read (VI.B.2)
};

// A probe image as the store holds it, to be searched again (CaseService::readProbeFile): the ORIGINAL file's
// bytes, SHA-256 re-checked (for a frame taken from a video: the video file, and which frame), and the searched
// image's pixels.
struct ProbeFile {
    ImageRecord original;                                   // the picture, or the video
    std::vector<std::uint8_t> originalBytes;                // exactly as stored (VI.B.2)
    std::optional<imaging::VideoFrameSource> videoFrame;    // set: the probe is this frame of the video
    LoadedImage searched;                                   // the probe image itself (the original, or the frame)
};

// What the 1:N search runs against: the loaded gallery index (gallery::Gallery::index()) and the engine's
// calibrated similarity for display (face::FaceEngine::similarity).
struct SearchBackend {
    const gallery::GalleryIndex& index;
    std::function<double(double distance)> similarity;
};

// One probe of a search: a stored image of the case and the face chosen in it.
struct SearchProbe {
    std::int64_t imageId = 0;
    ProbeFace face;
    std::string fileName;  // the file's name as the searcher gave it (audited with the search; the disclosure lists it)
};

// The most probes of one person searched together (issue 10 item 6: frames of one video, several stills).
inline constexpr std::size_t kMaxProbes = 10;

// A further probe of the SAME unknown person, searched together with the first under its request (same case,
// purpose and attestations).
struct FurtherProbe {
    std::span<const std::uint8_t> originalBytes;  // stored untouched with its SHA-256, as the first (VI.B.2)
    std::string imageSource;                      // its own; required as the first's is (VI.B.2; trial 40 F6)
    ProbeFace probe;                              // the chosen face, in this original's pixels (detected or marked)
    // Set: originalBytes are a video and this frame of it (0-based) is the probe, as SearchSubmission::videoFrame.
    std::optional<std::int64_t> videoFrame = std::nullopt;
    std::string fileName = {};  // as SearchSubmission::fileName
};

struct SearchOptions {
    int candidateLimit = 0;                // within the rule pack's bounds (PolicyPack::candidates); 0 = the agency default
    bool poorQualityAcknowledged = false;  // required to search with a probe whose verdict is poor
};

// A whole search, as the wizard and `facelead-cli search` hand it over (see CaseService::submitSearch).
struct SearchSubmission {
    workflow::SearchRequest request;               // its case is found (or created) by request.caseNumber
    std::optional<std::int64_t> newCaseOfficerId;  // creates the case when it does not exist yet (VI.B.3)
    std::span<const std::uint8_t> originalBytes;   // the probe file, stored untouched (VI.B.2)
    std::string fileName;                          // its name as given ("" = not known); audited with the search
    // Set: originalBytes are a video, stored as the original, and this frame of it (0-based) is the probe image,
    // a derived image (CaseService::takeVideoFrame); the enhancement and the probe face are on that frame.
    std::optional<std::int64_t> videoFrame;
    std::string imageSource;                       // where the image came from; "" = request.imageSource
    std::optional<imaging::Recipe> enhancement;    // an enhanced copy stored beside the original (VI.B.2)
    bool searchEnhancedCopy = false;               // the probe face was chosen on the copy
    ProbeFace probe;                               // the chosen face, in the searched image's pixels
    std::vector<FurtherProbe> furtherProbes;       // more probes of the same person: one candidate list for all
    SearchOptions options;
};

// "Several probes of ONE person" is the requester's claim, which FaceLead cannot prove but can question (trial 41 F4):
// a warning naming each probe (1-based, after the first) whose face lies beyond sameSubjectDistance from the first
// probe's, "" when none does. The wizard and the CLI show it before the search runs; it refuses nothing (a poor
// still of the right person may lie far off too).
std::string probesUnlikeTheFirst(std::span<const face::Descriptor> probes, double sameSubjectDistance);

// Stages of submitSearch for a progress bar: case, images, request, search.
inline constexpr std::size_t kSearchStages = 4;

class CaseService {
public:
    // settings: the agency's rules (admin::policySettings(admin::loadSettings(store))).
    CaseService(accounts::Session& session, workflow::PolicySettings settings);

    const workflow::PolicySettings& settings() const { return settings_; }

    // --- Cases. Creating needs workflow::Action::CreateCase; the case officer must be an active user
    // with the case officer role. AlreadyExists for a case number in use.
    Result<CaseRecord> createCase(const NewCase& newCase);
    Result<std::vector<CaseRecord>> listCases(const CaseFilter& filter = {});
    Result<CaseRecord> getCase(std::int64_t caseId);
    Result<CaseRecord> findCase(std::string_view caseNumber);  // NotFound when there is none

    // --- Images (VI.B.2). storeOriginal decodes the file bytes (typed errors: EmptyFile, CorruptImage,
    // UnsupportedFormat, FileTooLarge, ImageTooLarge) and stores them untouched with their SHA-256. A file the case
    // already holds (the same SHA-256) is stored once: that image comes back, ImageRecord::alreadyStored set.
    Result<ImageRecord> storeOriginal(std::int64_t caseId, std::span<const std::uint8_t> fileBytes,
                                      std::string_view source, const imaging::IntakeLimits& limits = {});
    // Re-checks the stored SHA-256 (IntegrityViolation, audited, on a mismatch) and decodes. Audited as viewed.
    // PermissionDenied (audited) for whoever may not read the image's case (detail/NeedToKnow.h, VI.B.6).
    // UnsupportedFormat for a stored video (its frames are the pictures).
    Result<LoadedImage> readImage(std::int64_t imageId);
    // --- Video probes (issue 10 item 5). storeVideo keeps the video file itself as the original, untouched
    // with its SHA-256, as storeOriginal keeps a picture: the agency's size limit (PolicySettings::maxVideoBytes,
    // FileTooLarge), CorruptVideo / UnsupportedFormat when it cannot be read (imaging/Video.h); its row holds the
    // picture size and {"video":{frames, fps, duration_ms}}. takeVideoFrame decodes frame `frameIndex` (0-based)
    // from the stored, hash-checked bytes and stores it as a derived PNG image whose recipe is "frame N at time T
    // of video SHA-256 ..." (imaging::Recipe::videoFrame), audited "image.derived" like an enhanced copy.
    Result<ImageRecord> storeVideo(std::int64_t caseId, std::span<const std::uint8_t> fileBytes, std::string_view source);
    Result<ImageRecord> takeVideoFrame(std::int64_t videoImageId, std::int64_t frameIndex);
    // A stored video's file, to step through it where the case is read (the case window's player): as readImage,
    // its case's readers only, the hash re-checked, audited "image.viewed". InvalidArgument when it is no video.
    Result<StoredVideo> readVideo(std::int64_t imageId);
    // The picture image `imageId` was made from, read as readImage reads it: up its derived images to the
    // original, or to the frame taken from a video (a video is no picture). The probe every screen shows.
    Result<LoadedImage> readSourcePicture(std::int64_t imageId);
    // A search's probe image (SearchRecord::imageId or a StoredProbe's) as ProbeFile, for a new search started from a
    // copy of a stored one (the wizard's "New search from a copy…"): the file comes from the store, not from a
    // disk where it may have changed or gone. As readImage: ViewCase, hash re-checked, audited as viewed.
    // InvalidArgument for an enhanced copy (a copy is searched as its original plus its recipe).
    Result<ProbeFile> readProbeFile(std::int64_t imageId);
    // Applies the recipe to the parent's pixels and stores the result as a NEW derived PNG image with the
    // recipe, the user and the time. The parent is never written. The same pixels from the same parent are
    // that copy again (ImageRecord::alreadyStored).
    Result<ImageRecord> createDerivedCopy(std::int64_t parentImageId, const imaging::Recipe& recipe);
    Result<std::vector<ImageRecord>> listImages(std::int64_t caseId);

    // --- Requests (VI.A, VI.B.4-5, VI.B.7, VI.A.3 Note). The case is found by request.caseNumber.
    // PolicyViolation (workflow::validate), AccountNotActive / TrainingRequired / PermissionDenied (the
    // search gate), NotFound (no such case).
    Result<RequestRecord> submitRequest(const workflow::SearchRequest& request);
    Result<RequestRecord> getRequest(std::int64_t requestId);

    // --- Searches. Only the investigator who submitted the request runs it, on an image of the same case.
    // PolicyViolation for a poor probe without acknowledgement or a candidate limit outside the rule pack's
    // bounds; InvalidArgument for a face outside the image; IntegrityViolation (audited) when the image no longer matches its hash.
    // The search and its candidates (rank, distance, score) are stored with one audit event.
    Result<SearchRecord> runSearch(std::int64_t requestId, std::int64_t imageId, const ProbeFace& probe,
                                   const SearchBackend& backend, const SearchOptions& options = {});
    // Several probes of one unknown person searched together (issue 10 item 6), each checked as the one probe above
    // (InvalidArgument as well for none or more than kMaxProbes; any probe may be marked by hand): ONE candidate list,
    // a subject ranked by its photo nearest to any probe (gallery::GalleryIndex::topSubjects has the rule and where
    // it was measured). The first probe is stored as a single probe's; the others in order with the search.
    Result<SearchRecord> runSearch(std::int64_t requestId, std::span<const SearchProbe> probes,
                                   const SearchBackend& backend, const SearchOptions& options = {});
    // The search as its case's readers see it (detail/NeedToKnow.h; ranks withheld from an examiner until they
    // have examined); AuditChainBroken when its case file fails its signed-record checks.
    Result<SearchRecord> getSearch(std::int64_t searchId);
    // The file names the search's probes were given by, by searched image id, as its "search.run" entry recorded them
    // (SearchRunEntry.h; the store keeps a file's bytes and hash, not its name); a probe without one is absent. The
    // readers of getSearch only.
    Result<std::map<std::int64_t, std::string>> probeFileNames(std::int64_t searchId);

    // --- The search use case, composed once for every entry point: the gate (role, approval, training:
    // VI.D.2.a-b) and the request's rules (workflow::validate) are checked first; then, in ONE transaction,
    // the case (found, or created with newCaseOfficerId), the original, the enhanced copy, the request and
    // the search with its candidates. A refusal, a failure or a cancel (checked between stages) leaves
    // nothing behind: no case, image or request. A refusal is audited ("access.refused").
    // progress(stage, kSearchStages) after each stage.
    Result<SearchRecord> submitSearch(const SearchSubmission& submission, const SearchBackend& backend,
                                      const std::function<void(std::size_t, std::size_t)>& progress = {},
                                      const std::atomic<bool>* cancel = nullptr);
    // The same gate and the request's rules with the agency's settings, asked before slow work (face
    // analysis); a refusal, by role, training or a rule of the SOP, is audited.
    Result<void> checkSearchGate(const workflow::SearchRequest& request);
    // --- Second approver (issue 11 item 5; SearchApproval.h). submitSearch refuses (ApprovalRequired, audited) a
    // search whose purpose the rule pack holds for approval unless a supervisor approved the same request (my
    // own, same case number, offence, purpose and justification) of the same probe originals (trial 19B HIGH-2:
    // the same SHA-256 and video frames, no more, no fewer), not yet used; the search uses it up.
    // requestApproval: the gate and rules of checkSearchGate, then the request stored as pending with the
    // submission's probe originals (their bytes, SHA-256 and file names; the faces are not needed), audited
    // "search.approval_requested"; my identical request of the same probes still pending, or approved and unused,
    // comes back instead. InvalidArgument when the pack asks no approval for the purpose.
    Result<SearchApproval> requestApproval(const SearchSubmission& submission);
    // Supervisors (workflow::Action::ApproveSearch), never their own request: audited "search.approved". An approval
    // asked before approvals named their probes (schema v13) is refused (InvalidTransition): it names nothing to search.
    Result<SearchApproval> approveSearch(std::int64_t approvalId);
    // Supervisors: the requests waiting for approval, other than their own, oldest first, with the probes they name.
    Result<std::vector<SearchApproval>> approvalsAwaitingMe();
    // While a request waits, its probes are searched in its case under no other purpose (trial 46 F5: searched under a
    // purpose the pack asks no approval for, the second approver was gone round; submitSearch refuses, naming it). Its
    // requester withdraws it (not approved, not used), audited "search.approval_withdrawn" (the signed entry is what
    // withdraws it); it is then neither approved nor used. PermissionDenied for anyone else, InvalidTransition after.
    Result<SearchApproval> withdrawApprovalRequest(std::int64_t approvalId);
    // The request that holds the submission's probe originals (above), for the workstation to offer its withdrawal;
    // nullopt when none does. Read only (the signed-in user may search).
    Result<std::optional<SearchApproval>> approvalHolding(const SearchSubmission& submission);
    // The approval a search request used (SearchApproval::usedByRequest), for the disclosure packet; nullopt when the
    // request needed none. Whoever may read the request (getRequest).
    Result<std::optional<SearchApproval>> approvalUsedBy(std::int64_t requestId);
    // Supervisors: the pictures an approval would let be searched, read back from the store and held to their
    // SHA-256 (a video's named frame), in the approval's order. Audited "search_approval.probes_viewed".
    Result<std::vector<imaging::Image>> approvalProbePictures(std::int64_t approvalId);

    // The same gate again, only asked (nothing is attempted, so nothing is audited): for a screen that offers
    // a search and says why not (e.g. the case window's "New search in this case…").
    Result<void> searchGate();

    // --- Leads, by candidate id (a candidate has at most one lead). Each returns the updated candidate.
    Result<CandidateRecord> viewCandidate(std::int64_t candidateId);  // audited "candidate.viewed"
    Result<CandidateRecord> markPossibleLead(std::int64_t candidateId, std::string_view note);
    Result<CandidateRecord> exclude(std::int64_t candidateId, std::string_view note);
    // Only the case's assigned case officer (VI.B.3).
    Result<CandidateRecord> recordFollowUp(std::int64_t candidateId, const workflow::FollowUp& followUp);
    // Supervisors, never on their own follow-up (VI.C.1). Cleared for action only when the follow-up is
    // confirmed and corroborates.
    Result<CandidateRecord> review(std::int64_t candidateId, const workflow::Review& review);
    // The same checks as review without recording it: the status the lead would get, or the refusal review
    // would give (audited as review audits it). For a screen that asks the user to confirm a final step only
    // once the core would take it (issue 9 re-trial).
    Result<workflow::LeadStatus> checkReview(std::int64_t candidateId, const workflow::Review& review);
    Result<LeadRecord> getLead(std::int64_t candidateId);

    // --- Examinations (issue 11 items 1-2; workflow/Examination.h has the rules). Rank, distance and score
    // are withheld (CandidateRecord::rankHidden) in every candidate read of this service from a user who may
    // examine and has not recorded their examination of that candidate.
    // The first examination of a candidate, then independent verifications by other trained examiners.
    // Audited "candidate.examined" / "candidate.verified".
    Result<ExaminationRecord> recordExamination(std::int64_t candidateId, const workflow::Examination& examination);
    Result<ExaminationRecord> recordVerification(std::int64_t candidateId, const workflow::Examination& examination);
    // The workstation's one form: an examination when the candidate has none yet, else a verification.
    Result<ExaminationRecord> recordOwnExamination(std::int64_t candidateId, const workflow::Examination& examination);
    // Whether recordOwnExamination could record the reader's judgement of the candidate, asked before the form is
    // filled (trial 47 F5: thirteen components rated, then refused at Record). The same refusals, unaudited (it
    // records nothing); the judgement's own contents are checked when it is recorded.
    Result<void> checkMayExamine(std::int64_t candidateId);
    // A candidate's examinations, oldest first. Blind: an examiner who has not recorded theirs reads none;
    // supervisors and who works the case (never its verifiers) read them all.
    Result<std::vector<ExaminationRecord>> examinations(std::int64_t candidateId);
    // The supervisor's settlement of the examiners' disagreement on the candidate, if any; read by whoever reads its
    // examinations (the same blind rule: nothing for an examiner who has not recorded theirs).
    Result<std::optional<ResolutionRecord>> resolution(std::int64_t candidateId);
    // Supervisors: candidates whose examiners disagree, not yet resolved, not examined by me.
    Result<std::vector<DisagreementSummary>> disagreementsAwaitingMe();
    // Supervisors settle a disagreement with their own conclusion and a note. Audited.
    Result<void> resolveDisagreement(std::int64_t candidateId, workflow::Conclusion conclusion, std::string_view note);
    Result<HumanReview> humanReview(std::int64_t searchId);
    // Every examination, verification and resolution of the case's candidates, as recorded, for the
    // disclosure packet: the case's officer, a supervisor or a program administrator (workflow::checkMayDisclose)
    // - the blind rule protects examiners while they work, not the record owed to the defence.
    Result<CaseExaminations> examinationsForDisclosure(std::int64_t caseId);

    // --- Corroboration (issue 11 item 3): the agency's evidence types, and the candidate's oldest and newest
    // gallery photos for the reviewer (and all of them, for the comparison: issue 10 item 6).
    Result<std::vector<workflow::EvidenceType>> evidenceTypes();
    Result<CandidatePhotos> candidatePhotos(std::int64_t candidateId);

    // --- The case as a whole (audited "case.viewed"), and the work lists.
    Result<CaseHistory> caseHistory(std::int64_t caseId);
    Result<std::vector<SearchSummary>> mySearches();
    Result<std::vector<LeadSummary>> leadsAwaitingMyFollowUp();  // possible / returned leads of my cases
    Result<std::vector<LeadSummary>> reviewsAwaitingMe();        // supervisors: follow-ups not my own

private:
    // What storeOriginal and storeVideo read from the file for its row.
    struct FileFacts {
        std::string format;
        int width = 0, height = 0;
        std::string metadataJson;
    };
    // Their common part: the user, the source, the case, once per case, then readFacts (only for bytes new to
    // the case); the row and its audit event in one transaction.
    Result<ImageRecord> storeOriginalFile(std::int64_t caseId, std::span<const std::uint8_t> fileBytes,
                                          std::string_view source, const std::function<Result<FileFacts>()>& readFacts);
    // The signed-in user as the store knows them NOW (accounts::authorize); PermissionDenied when their
    // roles do not allow action. A refusal outside a transaction is audited here.
    Result<accounts::User> currentUser(workflow::Action action);
    // The search gate: accounts::authorize(RunSearch), then workflow::checkCanSearch with the agency's
    // settings; searchingUser() audits a refusal, gatedSearcher() only answers.
    Result<accounts::User> searchingUser();
    Result<accounts::User> gatedSearcher();
    Result<CaseRecord> findOrCreateCase(const SearchSubmission& submission);
    // The case numbered so, once the signed-in user may read it (detail/NeedToKnow.h): a search adds to the case
    // file and makes its requester one who works the case, so only those who may already read it search in it
    // (VI.B.6; trial 14A: an investigator searched under a colleague's case number to read her lead). NotFound
    // when there is no such case.
    Result<CaseRecord> caseToSearchIn(const std::string& caseNumber);
    // The image the probe face is on: the stored original, or the frame taken from the stored video.
    // The image a probe's face is on: the original itself, or the frame `videoFrame` taken from it (a video).
    Result<std::int64_t> storeProbeImage(std::int64_t caseId, std::span<const std::uint8_t> originalBytes,
                                         std::optional<std::int64_t> videoFrame, const std::string& source);
    // One probe's checks before it is searched (runSearch): its image is of the request's case and still the stored
    // one, the face lies inside it, hand-marked points are valid, a poor face is acknowledged.
    Result<void> checkProbe(std::int64_t userId, const RequestRecord& request, const SearchProbe& probe,
                            const SearchOptions& options);
    // The approval a search needs (CaseApprovals.cpp): nullopt when its purpose needs none; ApprovalRequired
    // when no approved, unused one matches its request and probe originals. useApproval records the search request it allowed.
    Result<std::optional<std::int64_t>> approvalFor(const SearchSubmission& submission, std::int64_t userId);
    Result<void> useApproval(store::Transaction& tx, std::int64_t approvalId, std::int64_t requestId);
    // Every approval request asked for this case number, oldest first, with its probes (caseHistory).
    Result<std::vector<SearchApproval>> approvalRequestsOfCase(const std::string& caseNumber);
    Result<CandidateRecord> decide(std::int64_t candidateId, workflow::LeadDecision decision, std::string_view note);
    // A lead cleared for action whose examiners now disagree (a dissenting verification recorded after the clearing,
    // which SOP 302.02 allows) goes back to review, audited "lead.reopened" in the examination's transaction (trial 51
    // F3: "Cleared for action" stood beside two of three examiners excluding the person).
    Result<void> reopenClearedLead(store::Transaction& tx, std::int64_t userId, std::int64_t candidateId,
                                   std::int64_t examinationId);
    Result<ExaminationRecord> examine(std::int64_t candidateId, workflow::ExaminationKind kind,
                                      const workflow::Examination& examination);
    // The signed-in user, when they may record `kind` for the candidate's case at all (role, case, who works it).
    Result<accounts::User> examinerOf(workflow::ExaminationKind kind, std::int64_t candidateId);
    // The ranks a list read showed `user`, who examines or settles disagreements, recorded as rankShownTo reads them
    // ("search.ranks_shown", naming the candidates withheld); nothing when every rank was withheld (trial 52 F6: the
    // review dialog showed a supervisor the rank she later "blindly" settled a disagreement on).
    Result<void> recordRanksShown(store::Transaction& tx, const accounts::User& user, const SearchRecord& search);
    // Whether a candidate of the search has examinations that disagree, unresolved.
    Result<bool> listHasOpenDisagreement(std::int64_t searchId);
    // Blind examination: hides rank, distance and score of the candidates `user` may examine and has not.
    Result<void> withholdRanks(const accounts::User& user, std::vector<CandidateRecord>& candidates);
    Result<CandidateRecord> candidateFor(const accounts::User& user, std::int64_t candidateId);
    Result<SearchRecord> searchFor(const accounts::User& user, std::int64_t searchId);

    accounts::Session& session_;
    workflow::PolicySettings settings_;
};

// For audit verify: every case's search requests, examinations, leads, follow-ups and reviews against the
// entries that recorded them
// (an insider holding the database key can rewrite the rows, not re-sign the entries; trial 14A). One sentence
// per case whose records were edited; the case rows themselves are audit::AuditLog::verify's. No role check:
// the caller has authorised the audit.
Result<std::vector<std::string>> editedCaseRecords(accounts::Session& session);

}  // namespace facelead::cases
