#include <catch2/catch.hpp>

#include <string>

#include "core/workflow/SearchRequest.h"

using namespace facelead;
using namespace facelead::workflow;

namespace {

ConsentRecord consentOf(ConsentKind kind) {
    ConsentRecord consent;
    consent.kind = kind;
    return consent;
}

SearchRequest completeRequest() {
    SearchRequest request;
    request.caseNumber = "NP-2026-001234";
    request.offence = "Armed robbery";
    request.purpose = Purpose::SuspectedOffence;
    request.justification = "Suspect captured on store CCTV during the robbery of 12 Main St on 2026-11-20.";
    for (const auto& use : prohibitedUses()) request.attestedNotFor.insert(use.use);
    request.consent = consentOf(ConsentKind::NotAgencyCapture);
    request.imageSource = "CCTV export, 12 Main St, camera 3";
    return request;
}

bool hasIssue(const SearchRequest& request, RequestField field, const std::string& citation,
              const PolicySettings& settings = {}) {
    for (const auto& issue : findIssues(request, settings)) {
        if (issue.field == field && issue.citation == citation) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("A complete request passes validation") {
    CHECK(findIssues(completeRequest(), {}).empty());
    CHECK(validate(completeRequest(), {}).ok());
}

TEST_CASE("VI.C.2: a request without a case number is refused") {
    auto request = completeRequest();
    request.caseNumber = "   ";
    const auto result = validate(request, {});
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::PolicyViolation);
    CHECK(result.error().message.find("case number") != std::string::npos);
    CHECK(hasIssue(request, RequestField::CaseNumber, "VI.C.2"));
}

TEST_CASE("VI.A: a request without an offence or an authorized purpose is refused") {
    auto request = completeRequest();
    request.offence.clear();
    request.purpose.reset();
    const auto result = validate(request, {});
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().message.find("VI.A.1-8") != std::string::npos);
    CHECK(hasIssue(request, RequestField::Purpose, "VI.A"));
    CHECK(hasIssue(request, RequestField::Offence, "VI.A.1"));
}

TEST_CASE("VI.A: the justification must reach the configured minimum length, white space not counted") {
    auto request = completeRequest();
    PolicySettings settings;
    settings.minJustificationChars = 30;
    request.justification = std::string(29, 'x') + "      ";
    CHECK(hasIssue(request, RequestField::Justification, "VI.A", settings));
    request.justification = std::string(30, 'x');
    CHECK_FALSE(hasIssue(request, RequestField::Justification, "VI.A", settings));
    settings.minJustificationChars = 60;
    CHECK(hasIssue(request, RequestField::Justification, "VI.A", settings));
    CHECK(validate(request, settings).error().message.find("60") != std::string::npos);
}

TEST_CASE("Lengths count characters, not UTF-8 bytes") {
    CHECK(meaningfulLength("  \xC3\xA9t\xC3\xA9  ") == 3);  // "été"
    CHECK(meaningfulLength("\t\n ") == 0);
}

TEST_CASE("VI.B.7.a-e: every prohibited use must be attested individually") {
    for (const auto& use : prohibitedUses()) {
        DYNAMIC_SECTION("missing " << use.citation) {
            auto request = completeRequest();
            request.attestedNotFor.erase(use.use);
            const auto issues = findIssues(request, {});
            REQUIRE(issues.size() == 1);
            CHECK(issues[0].field == RequestField::Attestation);
            CHECK(issues[0].citation == use.citation);
            const auto result = validate(request, {});
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().message.find(std::string(use.citation)) != std::string::npos);
        }
    }
}

TEST_CASE("VI.B.4: a request without a consent record is refused") {
    auto request = completeRequest();
    request.consent.reset();
    CHECK(hasIssue(request, RequestField::Consent, "VI.B.4"));
    CHECK(validate(request, {}).error().code == ErrorCode::PolicyViolation);
}

TEST_CASE("VI.B.5: a consensual encounter needs the attestation that the person was not detained for the image") {
    auto request = completeRequest();
    request.consent = consentOf(ConsentKind::ConsensualEncounter);
    request.imageSource.clear();
    CHECK(hasIssue(request, RequestField::Consent, "VI.B.5"));
    request.consent->notDetainedForCapture = true;
    CHECK(findIssues(request, {}).empty());
}

TEST_CASE("VI.A.3 Note: a photo taken without consent needs the reason and the purpose") {
    auto request = completeRequest();
    request.purpose = Purpose::IdentifyUnable;
    request.consent = consentOf(ConsentKind::WithoutConsent);
    auto issues = findIssues(request, {});
    REQUIRE(issues.size() == 2);
    CHECK(issues[0].citation == "VI.A.3 Note");
    CHECK(issues[1].citation == "VI.A.3 Note");

    request.consent->reasonUnableToConsent = "Unconscious after a road traffic collision";
    issues = findIssues(request, {});
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].message.find("purpose of the submission") != std::string::npos);

    request.consent->submissionPurpose = "Identify the patient so next of kin can be told";
    CHECK(findIssues(request, {}).empty());
}

TEST_CASE("Consent record: an image that is not an agency capture needs its source") {
    auto request = completeRequest();
    request.imageSource.assign(3, ' ');  // only white space
    CHECK(hasIssue(request, RequestField::ImageSource, "VI.B.2"));
}

TEST_CASE("All issues are reported together, in wizard order") {
    const auto issues = findIssues(SearchRequest{}, {});
    REQUIRE(issues.size() == 4 + 5 + 1);  // case, offence, purpose, justification, 5 attestations, consent
    CHECK(issues.front().field == RequestField::CaseNumber);
    CHECK(issues.back().field == RequestField::Consent);
}

TEST_CASE("Consent kinds have stable storage names") {
    for (auto kind : {ConsentKind::ConsensualEncounter, ConsentKind::WithoutConsent, ConsentKind::NotAgencyCapture}) {
        CHECK(consentKindFromName(consentKindName(kind)) == kind);
    }
    CHECK_FALSE(consentKindFromName("implied"));
}

// Issue 9 item 5: records that contradict themselves. Text typed under "without consent" and then abandoned
// for "not a capture by the agency" must not be stored beside the kind chosen: the core refuses the record.
TEST_CASE("A consent record holding the fields of another kind is refused") {
    auto abandoned = completeRequest();  // not an agency capture...
    abandoned.consent->reasonUnableToConsent = "The man was unconscious after the crash.";  // ...with leftovers
    abandoned.consent->submissionPurpose = "To identify him for his family.";
    const auto refused = validate(abandoned, {});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::PolicyViolation);
    CHECK(refused.error().message.find("not_agency_capture") != std::string::npos);
    CHECK(hasIssue(abandoned, RequestField::Consent, "VI.A.3 Note"));

    auto attested = completeRequest();
    attested.consent->notDetainedForCapture = true;  // the consensual encounter's attestation
    CHECK(hasIssue(attested, RequestField::Consent, "VI.B.5"));

    auto without = completeRequest();
    without.consent = consentOf(ConsentKind::WithoutConsent);
    without.consent->reasonUnableToConsent = "The man was unconscious after the crash.";
    without.consent->submissionPurpose = "To identify him for his family.";
    without.consent->notDetainedForCapture = true;
    CHECK(hasIssue(without, RequestField::Consent, "VI.B.5"));
    without.consent->notDetainedForCapture = false;
    CHECK(findIssues(without, {}).empty());  // its own fields are what it needs
}

// Trial 9: a justification carrying a terminal's escape codes was stored and printed raw in the packet's PDF.
TEST_CASE("free text of a request with control characters or invalid UTF-8 is refused, naming the field") {
    auto escapes = completeRequest();
    escapes.justification += "\x1b[2J\a";
    auto refused = validate(escapes, {});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::InvalidArgument);
    CHECK_THAT(refused.error().message, Catch::Contains("justification"));

    auto badSource = completeRequest();
    badSource.imageSource = "CCTV \xff\xfe export";
    CHECK(validate(badSource, {}).error().code == ErrorCode::InvalidArgument);

    auto lines = completeRequest();
    lines.justification = "Seen on CCTV at the store on 2026-11-20;\nthe clerk named him in the first report.";
    CHECK(validate(lines, {}).ok());  // line breaks belong in free text
}
