#pragma once
// What a search must carry under SOP 302.02 before it may run, and the ONE validation that the UI
// wizard (to guide the user) and the core (to refuse whatever the caller) both use.

#include <cstdint>
#include <chrono>
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Result.h"
#include "core/workflow/PolicyPack.h"
#include "core/workflow/Purposes.h"

namespace facelead::workflow {

// How the probe image came to exist, and therefore what must be documented about consent.
enum class ConsentKind {
    ConsensualEncounter,  // VI.B.4: the person agreed to the capture in a consensual encounter
    WithoutConsent,       // VI.A.3 Note: captured by the agency without consent
    NotAgencyCapture,     // not a capture of the person by the agency: crime-scene still, CCTV, social media...
};

std::string_view consentKindName(ConsentKind kind);  // "consensual_encounter", "without_consent", "not_agency_capture"
std::string_view consentKindLabel(ConsentKind kind);  // for people: "Consensual encounter (VI.B.4)", ...
std::optional<ConsentKind> consentKindFromName(std::string_view name);

struct ConsentRecord {
    ConsentKind kind = ConsentKind::ConsensualEncounter;
    // VI.B.5: for a consensual encounter, the officer attests the person was not detained for the purpose
    // of capturing the image.
    bool notDetainedForCapture = false;
    // VI.A.3 Note: both required when the photo was taken without consent.
    std::string reasonUnableToConsent;
    std::string submissionPurpose;
};

struct SearchRequest {
    std::string caseNumber;
    std::string offence;
    std::optional<Purpose> purpose;  // exactly one authorized purpose (VI.A)
    std::string justification;       // the facts that make the purpose apply
    std::set<ProhibitedUse> attestedNotFor;  // VI.B.7.a-e: every one must be attested individually
    std::optional<ConsentRecord> consent;
    // Where the probe image came from ("body-worn camera, Ofc. 1234", "CCTV export, 12 Main St").
    // Required when the image is not an agency capture of the person.
    std::string imageSource;
};

// Agency settings the rules depend on (thresholds are configuration, not magic numbers).
struct PolicySettings {
    std::size_t minJustificationChars = 30;
    std::size_t minConsentTextChars = 10;   // reason unable to consent, purpose of submission
    std::size_t minNoteChars = 10;          // lead notes, follow-up steps, review notes
    int defaultCandidateLimit = 50;  // the agency's choice, within pack.candidates (admin::AgencySettings)
    std::uint64_t maxVideoBytes = 256ull * 1024 * 1024;  // a video probe's file (admin::AgencySettings, issue 10 item 5)
    // VI.D.2.b / VI.C.3.b: training must be complete; when set, it also expires after this long.
    std::optional<std::chrono::days> trainingValidity;
    // The agency's active rule pack: offence categories and purposes allowed (checked by findIssues), the
    // candidate-list bounds, the purposes a supervisor approves before the search (cases::CaseService).
    PolicyPack pack;
};

// The part of a request a problem concerns, so the wizard can show it on the right page.
enum class RequestField {
    CaseNumber, Offence, Purpose, Justification, Attestation, Consent, ImageSource,
};

struct PolicyIssue {
    RequestField field;
    std::string citation;  // e.g. "VI.A.3 Note"
    std::string message;   // for the detective: what is missing and what to do, citing the section
};

// Every problem with the request, in wizard order; empty when the request may be submitted.
std::vector<PolicyIssue> findIssues(const SearchRequest& request, const PolicySettings& settings);

// InvalidArgument for free text no record takes (text::acceptText); else PolicyViolation with all issues.
Result<void> validate(const SearchRequest& request, const PolicySettings& settings);

// VI.B.2: a probe image that is no capture of the person by the agency states its source; each probe its own.
bool needsImageSource(const SearchRequest& request);

// Length in characters (UTF-8 code points) after trimming surrounding white space.
std::size_t meaningfulLength(std::string_view text);

// PolicyViolation asking for `what` (e.g. "a review note") when text is shorter than settings.minNoteChars.
Result<void> requireNote(std::string_view text, std::string_view what, const PolicySettings& settings);

}  // namespace facelead::workflow
