#include "core/workflow/SearchRequest.h"

#include <array>
#include <utility>

#include "core/common/Text.h"
#include "core/workflow/detail/Names.h"

namespace facelead::workflow {
namespace {

constexpr std::array kConsentKinds{
    detail::Named<ConsentKind>{ConsentKind::ConsensualEncounter, "consensual_encounter", "Consensual encounter (VI.B.4)"},
    detail::Named<ConsentKind>{ConsentKind::WithoutConsent, "without_consent", "Taken without consent (VI.A.3 Note)"},
    detail::Named<ConsentKind>{ConsentKind::NotAgencyCapture, "not_agency_capture",
                               "Not a capture of the person by the agency (source below)"},
};

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

class IssueList {
public:
    void add(RequestField field, std::string citation, std::string message) {
        issues_.push_back(PolicyIssue{field, std::move(citation), std::move(message)});
    }
    std::vector<PolicyIssue> take() { return std::move(issues_); }

private:
    std::vector<PolicyIssue> issues_;
};

void checkConsent(const SearchRequest& request, const PolicySettings& settings, IssueList& issues) {
    if (!request.consent) {
        issues.add(RequestField::Consent, "VI.B.4",
                   "Record how the image was obtained (VI.B.4, VI.A.3 Note): a consensual encounter, taken without "
                   "consent, or not a capture of the person by the agency.");
        return;
    }
    const ConsentRecord& consent = *request.consent;
    const std::string minimum = std::to_string(settings.minConsentTextChars);
    // Issue 9 item 5: a record holds the fields of its own kind only, so text typed under one kind and then
    // abandoned for another is never stored and printed beside the kind chosen.
    const std::string chosen(consentKindName(consent.kind));
    if (consent.kind != ConsentKind::WithoutConsent &&
        (meaningfulLength(consent.reasonUnableToConsent) > 0 || meaningfulLength(consent.submissionPurpose) > 0)) {
        issues.add(RequestField::Consent, "VI.A.3 Note",
                   "The consent record is \"" + chosen + "\" but also holds a reason and purpose, which belong to a "
                   "photo taken without consent: clear them, or choose \"without consent\".");
    }
    if (consent.kind != ConsentKind::ConsensualEncounter && consent.notDetainedForCapture) {
        issues.add(RequestField::Consent, "VI.B.5",
                   "The consent record is \"" + chosen + "\" but also attests a consensual encounter without "
                   "detention: clear that attestation, or choose \"consensual encounter\".");
    }
    switch (consent.kind) {
    case ConsentKind::ConsensualEncounter:
        if (!consent.notDetainedForCapture) {
            issues.add(RequestField::Consent, "VI.B.5",
                       "Attest that the person was not detained for the purpose of capturing the image (VI.B.5: "
                       "no detention without legal justification solely to capture an image).");
        }
        break;
    case ConsentKind::WithoutConsent:
        if (meaningfulLength(consent.reasonUnableToConsent) < settings.minConsentTextChars) {
            issues.add(RequestField::Consent, "VI.A.3 Note",
                       "The photo was taken without consent: document the reason the person was unable to give "
                       "consent (VI.A.3 Note, at least " + minimum + " characters).");
        }
        if (meaningfulLength(consent.submissionPurpose) < settings.minConsentTextChars) {
            issues.add(RequestField::Consent, "VI.A.3 Note",
                       "The photo was taken without consent: document the purpose of the submission to facial "
                       "recognition (VI.A.3 Note, at least " + minimum + " characters).");
        }
        break;
    case ConsentKind::NotAgencyCapture:
        if (meaningfulLength(request.imageSource) == 0) {
            issues.add(RequestField::ImageSource, "VI.B.2",
                       "The image is not a capture of the person by the agency: state its source (for example "
                       "\"CCTV export, 12 Main St, 2026-11-20\") so its origin is documented (VI.B.2).");
        }
        break;
    }
}

// A category that is no crime (Maryland's missing, deceased or incapacitated person) is for the person themselves: a
// request that names a suspect there is a search for a crime outside the list (trial 29 N3).
void checkNoSuspectNamed(const SearchRequest& request, const OffenceCategory& category, const PolicyPack& pack,
                         IssueList& issues) {
    // Every text of the request, not the offence alone: trial 31 H3 ("identify_person: unknown man" justified as
    // "Shoplifting suspect on store CCTV") and trial 32 ("identify the shoplifter" as the purpose of submission) ran.
    // A witness of a crime is searched under the crime's category, with purpose VI.A.6.
    std::vector<std::string_view> texts{request.offence, request.justification, request.imageSource};
    if (request.consent) {
        texts.push_back(request.consent->submissionPurpose);
        texts.push_back(request.consent->reasonUnableToConsent);
    }
    std::optional<std::string> named;
    for (auto text = texts.begin(); !named && text != texts.end(); ++text)
        named = phraseNamedIn(*text, category.notWhenNamed);
    if (!named) return;
    issues.add(RequestField::Offence, pack.source,
               "The offence category \"" + category.label + "\" is for the person sought themselves, never a crime's "
               "suspect or witness, but the request names \"" + *named + "\": a search about a crime names the "
               "crime's own category (" + pack.name() + ").");
}

// The pack's offence list (e.g. Md. Crim. Proc. 2-503): the offence text must start with a listed category.
void checkOffenceCategory(const SearchRequest& request, const PolicyPack& pack, IssueList& issues) {
    if (pack.offenceCategories.empty()) return;
    if (const auto* category = pack.categoryOf(request.offence)) {
        checkNoSuspectNamed(request, *category, pack, issues);
        if (category->purposes.empty() || !request.purpose || category->purposes.contains(*request.purpose)) return;
        std::string purposes;
        for (const Purpose purpose : category->purposes)
            purposes += (purposes.empty() ? "" : ", ") + std::string(purposeInfo(purpose).citation) + " " +
                        std::string(purposeInfo(purpose).label);
        issues.add(RequestField::Purpose, pack.source,
                   "The offence category \"" + category->label + "\" is searched only for " + purposes + " (" +
                       pack.name() + "): a search for a crime names the crime's own category.");
        return;
    }
    std::string listed;
    for (const auto& category : pack.offenceCategories) listed += "\n    " + category.code + " - " + category.label;
    issues.add(RequestField::Offence, pack.source,
               "The agency's rule pack (" + pack.name() + ") permits searches only for the offence categories it "
               "lists (" + pack.source + "). Start the offence with one, then the details, e.g. \"" +
                   pack.offenceCategories.front().code + ": ...\":" + listed);
}

}  // namespace

std::string_view consentKindName(ConsentKind kind) { return detail::nameOf(kConsentKinds, kind); }
std::string_view consentKindLabel(ConsentKind kind) { return detail::labelOf(kConsentKinds, kind); }
std::optional<ConsentKind> consentKindFromName(std::string_view name) { return detail::valueNamed(kConsentKinds, name); }

bool needsImageSource(const SearchRequest& request) {
    return request.consent && request.consent->kind == ConsentKind::NotAgencyCapture;
}

std::size_t meaningfulLength(std::string_view text) {
    while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
    std::size_t codePoints = 0;
    for (char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++codePoints;  // skip UTF-8 continuation bytes
    }
    return codePoints;
}

Result<void> requireNote(std::string_view text, std::string_view what, const PolicySettings& settings) {
    if (meaningfulLength(text) >= settings.minNoteChars) return {};
    return makeError(ErrorCode::PolicyViolation, "Write " + std::string(what) + " of at least " +
                                                     std::to_string(settings.minNoteChars) + " characters.");
}

std::vector<PolicyIssue> findIssues(const SearchRequest& request, const PolicySettings& settings) {
    IssueList issues;
    if (meaningfulLength(request.caseNumber) == 0) {
        issues.add(RequestField::CaseNumber, "VI.C.2",
                   "Enter the case number: every search is tied to a case on record so it can be audited and "
                   "reviewed (VI.C.1, VI.C.2).");
    }
    if (meaningfulLength(request.offence) == 0) {
        issues.add(RequestField::Offence, "VI.A.1",
                   "Enter the offence or incident the search concerns (VI.A).");
    } else {
        checkOffenceCategory(request, settings.pack, issues);
    }
    if (!request.purpose) {
        issues.add(RequestField::Purpose, "VI.A",
                   "Choose one authorized purpose (VI.A.1-8); facial recognition may be used for no other.");
    } else if (!settings.pack.allowsPurpose(*request.purpose)) {
        const auto& info = purposeInfo(*request.purpose);
        issues.add(RequestField::Purpose, settings.pack.source,
                   "The agency's rule pack (" + settings.pack.name() + ") does not allow the purpose " +
                       std::string(info.citation) + " (" + std::string(info.label) + "): choose another.");
    }
    if (meaningfulLength(request.justification) < settings.minJustificationChars) {
        issues.add(RequestField::Justification, "VI.A",
                   "Write a justification of at least " + std::to_string(settings.minJustificationChars) +
                       " characters: the facts that make the chosen purpose (VI.A) apply to this image.");
    }
    for (const auto& info : prohibitedUses()) {
        if (!request.attestedNotFor.count(info.use)) {
            issues.add(RequestField::Attestation, std::string(info.citation),
                       "Attest against the prohibited use " + std::string(info.citation) + " (" +
                           std::string(info.label) + "): " + std::string(info.attestation));
        }
    }
    checkConsent(request, settings, issues);
    return issues.take();
}

namespace {

// Every free text of the request as any record takes it (valid UTF-8, no control characters such as a
// terminal's escape codes, within the length limit): it is printed in reports, packets and terminals.
Result<void> acceptRequestText(const SearchRequest& request) {
    FACELEAD_TRY(text::acceptText("The case number", request.caseNumber));
    FACELEAD_TRY(text::acceptText("The offence", request.offence, text::TextKind::FreeText));
    FACELEAD_TRY(text::acceptText("The justification", request.justification, text::TextKind::FreeText));
    FACELEAD_TRY(text::acceptText("The image source", request.imageSource, text::TextKind::FreeText));
    if (request.consent) {
        FACELEAD_TRY(text::acceptText("The reason the person could not consent",
                                      request.consent->reasonUnableToConsent, text::TextKind::FreeText));
        FACELEAD_TRY(text::acceptText("The purpose of the submission", request.consent->submissionPurpose,
                                      text::TextKind::FreeText));
    }
    return {};
}

}  // namespace

Result<void> validate(const SearchRequest& request, const PolicySettings& settings) {
    FACELEAD_TRY(acceptRequestText(request));
    const auto issues = findIssues(request, settings);
    if (issues.empty()) return {};
    // Under another pack the rules are the SOP's and the pack's (trial 46 F6: a Maryland refusal named the SOP alone).
    std::string message = settings.pack.id == kDefaultPackId
                              ? std::string("The search request does not meet SOP 302.02:")
                              : "The search request does not meet SOP 302.02 and the agency's rule pack (" +
                                    settings.pack.name() + "):";
    for (const auto& issue : issues) message += "\n- " + issue.message;
    return makeError(ErrorCode::PolicyViolation, message);
}

}  // namespace facelead::workflow
