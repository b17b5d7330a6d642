#pragma once
// What the case services return: plain values the UI and the PDF report render. Every record says who
// did it and when (toIsoUtc text, as stored). Nothing here is a "match": candidates are investigative
// leads only (SOP 302.02 VI.B.1).

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/cases/Person.h"
#include "core/cases/SearchApproval.h"
#include "core/common/Text.h"
#include "core/face/FaceEngine.h"
#include "core/face/HandMarking.h"
#include "core/workflow/Examination.h"
#include "core/workflow/Leads.h"
#include "core/workflow/SearchRequest.h"

namespace facelead::cases {


struct CaseRecord {
    std::int64_t id = 0;
    std::string caseNumber;
    std::string offence;
    std::optional<Person> assignedOfficer;  // the case officer who confirms leads (VI.B.3)
    std::string status;                     // "open"
    Person createdBy;
    std::string createdAt;
};

enum class ImageKind { Original, Derived };

struct ImageRecord {
    std::int64_t id = 0;
    std::int64_t caseId = 0;
    ImageKind kind = ImageKind::Original;
    std::optional<std::int64_t> parentId;  // derived copies: the image they were made from
    std::string sha256;
    std::int64_t sizeBytes = 0;
    std::string format;                    // "jpeg", "png", ...
    int width = 0, height = 0;
    std::string captureMetadataJson;       // EXIF facts of the original file
    std::string source;                    // where the original came from
    std::optional<std::string> recipeJson; // derived copies: the ordered steps and parameters (VI.B.2)
    Person createdBy;
    std::string createdAt;
    // Set by storeOriginal and createDerivedCopy only: the case already held these exact bytes (same SHA-256;
    // a copy: of the same parent), and this is that image; nothing new was stored.
    bool alreadyStored = false;
};

struct RequestRecord {
    std::int64_t id = 0;
    std::int64_t caseId = 0;
    workflow::SearchRequest request;  // as submitted (case number and offence as recorded with it)
    Person requestedBy;
    std::string requestedAt;
};

// The probe face the user chose in the image (from face::FaceEngine::analyze).
struct ProbeFace {
    face::Box box;
    face::Descriptor descriptor{};
    face::Quality quality;
    // Which of the image's faces was searched: 1-based, in reading order (top to bottom, left to right), as the
    // person choosing saw them numbered. Audited with the box, so the log says who was searched in a group photo.
    // Not recorded for a face marked by hand (it is none of the detected faces).
    int faceNumber = 1;
    int facesInImage = 1;
    // Set when the examiner marked the face by hand (issue 10 item 4): the points as marked, in the searched image's
    // pixels (face::Face::marked from FaceEngine::analyzeMarked). Recorded with the search, who marked it and when.
    std::optional<face::MarkedPoints> marked;
};

struct CandidateRecord {
    std::int64_t id = 0;
    std::int64_t searchId = 0;
    int rank = 0;                   // 1 = nearest
    std::int64_t galleryFaceId = 0;
    std::int64_t subjectId = 0;
    std::string subjectName;
    double distance = 0;            // Euclidean descriptor distance
    double score = 0;               // 0..1 similarity for display, never a decision
    workflow::LeadStatus status = workflow::LeadStatus::Candidate;
    std::optional<std::int64_t> leadId;
    // Several probes searched together (issue 10 item 6): which one was nearest to the photo. 0 = the search's own
    // image (SearchRecord::imageId), n = SearchRecord::furtherProbes[n - 1].
    int probe = 0;
    // Issue 11 item 1, blind examination: true when the reader may examine this candidate and has not yet recorded
    // their judgement of every candidate on its list (trial 45 F2: one by one, the last one's rank was plain by
    // elimination). rank, distance and score are then 0 and must not be shown, and such candidates come after the
    // others, by subject name (their order says nothing of their rank).
    bool rankHidden = false;
    bool examinedByMe = false;  // the reader has recorded their examination or verification of this candidate
};

// How every entry point prints a candidate's rank and numbers: "hidden until examined" when withheld.
inline constexpr const char* kHiddenUntilExamined = "hidden until examined";
inline std::string rankText(const CandidateRecord& c) {
    return c.rankHidden ? kHiddenUntilExamined : std::to_string(c.rank);
}
inline std::string numberText(const CandidateRecord& c, double value, int decimals) {
    if (c.rankHidden) return kHiddenUntilExamined;
    return text::decimal(value, decimals);
}
// A similarity cut, never rounded up, to `decimals` places: 0.997 reads "0.99", never "1.00", which reads as certainty
// (trial 45 F13: a distance of 0.257 was shown as similarity 1.00); hidden until examined.
inline std::string similarityText(const CandidateRecord& c, int decimals) {
    if (c.rankHidden) return kHiddenUntilExamined;
    const double scale = std::pow(10.0, decimals);
    return text::decimal(std::floor(c.score * scale + 1e-9) / scale, decimals);
}
// The distance and where it lies against the calibrated threshold, for those who weigh a lead (trial 44 F5: 0.794 was
// shown bare on a lead then cleared): "0.794 (beyond the 0.56 same-person threshold)"; hidden until examined.
inline std::string distanceText(const CandidateRecord& c, int decimals) {
    if (c.rankHidden) return kHiddenUntilExamined;
    const double threshold = face::Calibration{}.sameSubjectDistance;
    return text::decimal(c.distance, decimals) + (c.distance > threshold ? " (beyond" : " (within") + " the " +
           text::decimal(threshold, 2) + " same-person threshold)";
}

// A probe face marked by hand (issue 10 item 4), as stored with its search.
struct HandMarking {
    std::string points;  // as stored: face::formatMarkedPoints ("x,y;x,y[;...]", searched image's pixels)
    Person markedBy;
    std::string markedAt;
};
// "Face marked by hand by NAME, TIME: left eye (x, y), ..." — how every report, export and screen says it.
// shownAt: the marking's time as the reader's screen writes it (the workstation: local time with its zone).
inline std::string handMarkingText(const HandMarking& marking, const std::string& shownAt) {
    const auto parsed = face::parseMarkedPoints(marking.points);
    return "Face marked by hand by " +
           (marking.markedBy.displayName.empty() ? "user #" + std::to_string(marking.markedBy.id)
                                                 : marking.markedBy.displayName) +
           ", " + shownAt + ": " + (parsed ? face::describeMarkedPoints(*parsed) : "points " + marking.points);
}
inline std::string handMarkingText(const HandMarking& marking) { return handMarkingText(marking, marking.markedAt); }

// A further probe of the same unknown person searched together with the first (issue 10 item 6), as stored.
struct StoredProbe {
    int position = 0;  // 1, 2, ...: the first probe is the search's own imageId and faceBox
    std::int64_t imageId = 0;
    face::Box faceBox;
    std::string qualityJson;
    // Set when the examiner marked this probe's face by hand (issue 10 item 4, for every probe): the points, and who
    // marked them and when, which are the search's runner and time (marked in the wizard, recorded when it ran).
    std::optional<HandMarking> handMarking = std::nullopt;
};

struct SearchRecord {
    std::int64_t id = 0;
    std::int64_t requestId = 0;
    std::int64_t imageId = 0;
    face::Box faceBox;
    std::string qualityJson;
    bool poorQualityAcknowledged = false;
    int candidateLimit = 0;
    std::int64_t gallerySize = 0;
    Person runBy;
    std::string runAt;
    std::optional<HandMarking> handMarking;   // the probe face was marked by hand, not detected
    int foundTurnedDegrees = 0;               // from the stored quality: face::Quality::foundTurnedDegrees (C02)
    std::vector<CandidateRecord> candidates;  // by rank
    std::vector<StoredProbe> furtherProbes;   // by position; empty for a search with one probe
};

struct FollowUpRecord {
    std::int64_t id = 0;
    workflow::FollowUp followUp;
    Person recordedBy;
    std::string recordedAt;
};

struct ReviewRecord {
    std::int64_t id = 0;
    std::optional<std::int64_t> followUpId;  // the follow-up that was reviewed
    workflow::LeadStatus decision = workflow::LeadStatus::ReturnedForFollowUp;  // the status it led to
    std::string note;
    Person reviewedBy;
    std::string reviewedAt;
};

struct LeadRecord {
    std::int64_t id = 0;
    std::int64_t candidateId = 0;
    workflow::LeadStatus status = workflow::LeadStatus::PossibleLead;
    std::string note;  // why it was marked or excluded
    Person markedBy;
    std::string markedAt;
    std::string updatedAt;
    std::vector<FollowUpRecord> followUps;  // oldest first
    std::vector<ReviewRecord> reviews;      // oldest first
    // When a dissenting comparison took the lead back from "cleared for action" to review (CaseService::examine,
    // trial 51 F3), oldest first: every screen and print says the clearing no longer stands (trial 52 F3).
    std::vector<std::string> reopenedAt;
};
// One wording for a reopening, everywhere a lead's history is shown.
inline std::string reopenedText(const std::string& at) {
    return "Taken back to review " + at + ": the examiners disagree (a comparison recorded after the clearing); the "
           "clearing for action no longer stands.";
}

// Issue 11 items 1-2: one examiner's FISWG comparison of a candidate.
struct ExaminationRecord {
    std::int64_t id = 0;
    std::int64_t candidateId = 0;
    workflow::ExaminationKind kind = workflow::ExaminationKind::Examination;
    workflow::Examination examination;
    Person examiner;
    std::string recordedAt;
};

// A supervisor's settlement of a disagreement between examiners (issue 11 item 2).
struct ResolutionRecord {
    workflow::Conclusion conclusion = workflow::Conclusion::NoConclusion;
    std::string note;
    Person resolvedBy;
    std::string resolvedAt;
};

// What the disclosure owes about the human review of a case's candidates, unblinded (issue 11 item 4).
struct CaseExaminations {
    std::map<std::int64_t, std::vector<ExaminationRecord>> byCandidate;  // candidate id -> oldest first
    std::map<std::int64_t, ResolutionRecord> resolutions;                // candidate id -> the settlement
};

// A candidate whose examiners disagree, awaiting a supervisor (issue 11 item 2).
struct DisagreementSummary {
    std::int64_t candidateId = 0;
    std::int64_t caseId = 0;
    std::string caseNumber;
    std::string subjectName;
    std::vector<ExaminationRecord> examinations;  // the examination and its verification(s)
};

// Whether a search had meaningful human review (issue 11 item 2; RCW 43.386.010, Colorado SB 22-113): a
// candidate examined by a trained examiner and independently verified by a second one, their conclusions
// agreeing or a supervisor having resolved the disagreement. Derived from the examinations, never stored.
struct HumanReview {
    std::int64_t searchId = 0;
    bool meaningful = false;
    std::vector<Person> examiners;  // everyone who recorded an examination or a verification in this search
    std::vector<Person> resolvedBy; // supervisors who resolved a disagreement
};

// Issue 11 item 3: the candidate's gallery photos the reviewer compares. A photo is dated by when it was TAKEN
// where it says so itself (its EXIF DateTimeOriginal), never by its enrolment alone (MEDIUM-2: a photo taken
// years before it was enrolled read as recent).
struct GalleryPhoto {
    std::int64_t galleryFaceId = 0;
    std::string enrolledAt;              // when it entered the gallery (UTC)
    std::optional<std::string> takenAt;  // "2019-05-01 13:22:10" by the camera's clock (no time zone); none: unknown
};
// How a photo is dated for people, one wording everywhere (workstation, `lead show`, disclosure packet):
// "taken 2008-02-29 18:00:05 (the photo's own date)" or "date taken unknown; enrolled <enrolledShown>".
inline std::string photoDateText(const GalleryPhoto& photo, const std::string& enrolledShown) {
    return photo.takenAt ? "taken " + *photo.takenAt + " (the photo's own date)"
                         : "date taken unknown; enrolled " + enrolledShown;
}
inline std::string photoDateText(const GalleryPhoto& photo) { return photoDateText(photo, photo.enrolledAt); }

struct CandidatePhotos {
    std::int64_t candidateId = 0;
    // The oldest and the most recent by the date taken, among the photos that carry one; by enrolment only when
    // none does. The same photo when the subject has one (or one dated photo).
    GalleryPhoto oldest;
    GalleryPhoto newest;
    int photoCount = 0;
    // Every photo of the subject in the order enrolled (issue 10 item 6: the candidate list has one row per subject,
    // so the comparison offers all of the subject's photos, not only the one that matched).
    std::vector<GalleryPhoto> all;
};
// Which photo is oldest is known only when one carries its date taken; otherwise `oldest` and `newest` are two photos
// in enrolment order, which says nothing of their age (trial 48 F4: enrolled at one moment, called oldest and newest).
inline bool ageOrderKnown(const CandidatePhotos& photos) { return photos.oldest.takenAt.has_value(); }

// Everything done in a case, for the case view and the PDF report.
struct CaseHistory {
    CaseRecord caseRecord;
    std::vector<RequestRecord> requests;  // oldest first
    std::vector<ImageRecord> images;      // originals and their copies, oldest first
    std::vector<SearchRecord> searches;   // oldest first, with their candidates
    std::vector<LeadRecord> leads;        // with their follow-ups and reviews
    // Every search asked of a supervisor for this case number, oldest first, whatever became of it: waiting,
    // withdrawn, approved and not used, or used (trial 49 F3: a held or withdrawn request was in no packet, so a
    // search asked for and then not run, or run as another, went undisclosed).
    std::vector<SearchApproval> approvalRequests;
};

// Rows of the work lists.
struct SearchSummary {
    std::int64_t searchId = 0;
    std::int64_t caseId = 0;
    std::string caseNumber;
    std::string purposeCode;
    std::string runAt;
    int candidateCount = 0;
};

// A lead in a work list (follow-up, review). No rank or score: neither is needed to follow up or review a lead, and
// a supervisor shown them here was no longer blind when she later resolved the examiners' disagreement, unaudited
// (trial 47 F9); the candidate's own view shows them, audited.
struct LeadSummary {
    std::int64_t leadId = 0;
    std::int64_t candidateId = 0;
    std::int64_t caseId = 0;
    std::string caseNumber;
    std::string subjectName;
    workflow::LeadStatus status = workflow::LeadStatus::PossibleLead;
    std::string updatedAt;
    std::optional<Person> followUpBy;  // reviews: who recorded the follow-up under review
};

}  // namespace facelead::cases
