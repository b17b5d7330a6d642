#pragma once
// The catalogue of SOP 302.02: the eight authorized purposes of VI.A and the five prohibited uses of
// VI.B.7. Codes are stable (stored with every request); labels and texts are for the UI and the report.

#include <optional>
#include <span>
#include <string_view>

namespace facelead::workflow {

// VI.A.1-8, in the order of the policy.
enum class Purpose {
    SuspectedOffence,      // VI.A.1.a-c
    ActiveInvestigation,   // VI.A.2
    IdentifyUnable,        // VI.A.3
    TipsAndLeads,          // VI.A.4
    LicenceFraud,          // VI.A.5
    WitnessOrVictim,       // VI.A.6
    CriticalIncident,      // VI.A.7
    ConcealedIdentity,     // VI.A.8
};

struct PurposeInfo {
    Purpose purpose;
    std::string_view code;        // stable storage code, e.g. "identify_unable"
    std::string_view citation;    // e.g. "VI.A.3"
    std::string_view label;       // short, for a list
    std::string_view policyText;  // the SOP's own words
    std::string_view helpText;    // when to choose it, what to write in the justification
};

// VI.B.7.a-e: each is attested individually before every search.
enum class ProhibitedUse {
    PersonalOrUnauthorizedSharing,  // VI.B.7.a
    Unlawful,                       // VI.B.7.b
    HarassmentOrIntimidation,       // VI.B.7.c
    OtherViolationOfLawOrPolicy,    // VI.B.7.d
    ProtectedCharacteristicSurveillance,  // VI.B.7.e
};

struct ProhibitedUseInfo {
    ProhibitedUse use;
    std::string_view code;         // e.g. "personal_use"
    std::string_view citation;     // e.g. "VI.B.7.a"
    std::string_view label;
    std::string_view policyText;   // the SOP's own words
    std::string_view attestation;  // the sentence the user affirms, e.g. "This search is not for ..."
};

std::span<const PurposeInfo> purposes();
const PurposeInfo& purposeInfo(Purpose purpose);
// Accepts the code ("identify_unable") or the citation ("VI.A.3", case-insensitive).
std::optional<Purpose> purposeFromCode(std::string_view codeOrCitation);

std::span<const ProhibitedUseInfo> prohibitedUses();
const ProhibitedUseInfo& prohibitedUseInfo(ProhibitedUse use);
// Accepts the code ("personal_use") or the citation ("VI.B.7.a", case-insensitive).
std::optional<ProhibitedUse> prohibitedUseFromCode(std::string_view codeOrCitation);

}  // namespace facelead::workflow
