#include "core/workflow/Purposes.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace facelead::workflow {
namespace {

constexpr std::array kPurposes{
    PurposeInfo{Purpose::SuspectedOffence, "suspected_offence", "VI.A.1",
                "Reasonable suspicion of a criminal offence",
                "When there is a reasonable suspicion that an identifiable individual: a. has committed a "
                "criminal offense; b. is involved in a criminal offense; c. is planning criminal activity that "
                "presents a threat to any individual or to the community.",
                "Choose this when you can state the facts that make you reasonably suspect the person in the "
                "image committed, is involved in, or is planning a crime (VI.A.1.a-c). Say which, and why."},
    PurposeInfo{Purpose::ActiveInvestigation, "active_investigation", "VI.A.2",
                "Active investigation or imminent threat",
                "Facial recognition technology can be utilized for an active or ongoing authorized criminal "
                "investigation, and to mitigate an imminent threat to health or public safety.",
                "Choose this for an open, authorized criminal investigation, or to mitigate an imminent threat "
                "to health or public safety. Name the investigation or the threat."},
    PurposeInfo{Purpose::IdentifyUnable, "identify_unable", "VI.A.3",
                "Person unable to identify themselves",
                "To assist in the identification of a person who lacks capacity or is otherwise unable to "
                "identify themselves (e.g. incapacitated, deceased, or otherwise at-risk person).",
                "Choose this for an incapacitated, deceased or otherwise at-risk person who cannot say who they "
                "are. If the photo was taken without consent, record why the person could not consent and the "
                "purpose of the submission (VI.A.3 Note)."},
    PurposeInfo{Purpose::TipsAndLeads, "tips_and_leads", "VI.A.4",
                "Investigate or corroborate tips and leads",
                "To investigate and/or corroborate tips and leads on authorized criminal investigations.",
                "Choose this to check a tip or lead received in an authorized criminal investigation. Say where "
                "the tip came from and what it claims."},
    PurposeInfo{Purpose::LicenceFraud, "licence_fraud", "VI.A.5",
                "Driver's licence or ID card fraud",
                "For comparison to determine whether an individual may have obtained one or more official state "
                "driver's licenses, or identification cards that contain inaccurate, conflicting, or false "
                "information.",
                "Choose this to check whether a person may hold state driver's licences or ID cards with "
                "inaccurate, conflicting or false information. Name the document(s) concerned."},
    PurposeInfo{Purpose::WitnessOrVictim, "witness_or_victim", "VI.A.6",
                "Potential witness or victim",
                "To assist in the identification of potential witnesses and/or victims of crime.",
                "Choose this to identify a potential witness or victim of a crime. Name the offence and the "
                "person's role."},
    PurposeInfo{Purpose::CriticalIncident, "critical_incident", "VI.A.7",
                "Critical incident response",
                "To support law enforcement in critical incident responses.",
                "Choose this only in support of a critical incident response. Name the incident."},
    PurposeInfo{Purpose::ConcealedIdentity, "concealed_identity", "VI.A.8",
                "Person concealing their identity",
                "For a person who an officer reasonably believes is concealing their identity and has a "
                "reasonable suspicion the individual has committed a crime.",
                "Choose this when you reasonably believe the person is concealing their identity AND you "
                "reasonably suspect they committed a crime. State the facts for both."},
};

constexpr std::array kProhibitedUses{
    ProhibitedUseInfo{ProhibitedUse::PersonalOrUnauthorizedSharing, "personal_use", "VI.B.7.a",
                      "Personal use or unauthorized sharing",
                      "Personal use, queries not related to legitimate agency duties, sharing, copying, or passing "
                      "of information to unauthorized personnel.",
                      "This search is for legitimate agency duties, not personal use, and its results will not be "
                      "shared, copied or passed to unauthorized personnel."},
    ProhibitedUseInfo{ProhibitedUse::Unlawful, "unlawful", "VI.B.7.b", "Unlawful purpose",
                      "Any purpose that violates Federal, state, or local laws.",
                      "This search does not serve any purpose that violates federal, state or local law."},
    ProhibitedUseInfo{ProhibitedUse::HarassmentOrIntimidation, "harassment", "VI.B.7.c",
                      "Harassment or intimidation",
                      "Harassing and/or intimidating any individual or group.",
                      "This search is not made to harass or intimidate any individual or group."},
    ProhibitedUseInfo{ProhibitedUse::OtherViolationOfLawOrPolicy, "other_violation", "VI.B.7.d",
                      "Other violation of law or policy",
                      "Any other access, use, disclosure, or retention that would violate applicable law or "
                      "agency policy.",
                      "No access, use, disclosure or retention arising from this search will violate applicable "
                      "law or agency policy."},
    ProhibitedUseInfo{ProhibitedUse::ProtectedCharacteristicSurveillance, "protected_surveillance", "VI.B.7.e",
                      "Surveillance based on protected activity or characteristics",
                      "Facial recognition technology cannot be used to conduct surveillance of persons or groups "
                      "based solely on their religious, political or other constitutionally protected activities, "
                      "their race, ethnicity, gender, or sexual orientation.",
                      "This search is not surveillance of a person or group based solely on religious, political or "
                      "other constitutionally protected activities, race, ethnicity, gender or sexual orientation."},
};

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

template <typename Catalogue>
auto findByCode(const Catalogue& catalogue, std::string_view codeOrCitation) -> const
    typename Catalogue::value_type* {
    for (const auto& entry : catalogue) {
        if (entry.code == codeOrCitation || equalsIgnoreCase(entry.citation, codeOrCitation)) return &entry;
    }
    return nullptr;
}

}  // namespace

std::span<const PurposeInfo> purposes() { return kPurposes; }

const PurposeInfo& purposeInfo(Purpose purpose) {
    // The catalogue is in enum order; the enum has no other values.
    return kPurposes[static_cast<std::size_t>(purpose)];
}

std::optional<Purpose> purposeFromCode(std::string_view codeOrCitation) {
    if (const auto* entry = findByCode(kPurposes, codeOrCitation)) return entry->purpose;
    return std::nullopt;
}

std::span<const ProhibitedUseInfo> prohibitedUses() { return kProhibitedUses; }

const ProhibitedUseInfo& prohibitedUseInfo(ProhibitedUse use) {
    return kProhibitedUses[static_cast<std::size_t>(use)];
}

std::optional<ProhibitedUse> prohibitedUseFromCode(std::string_view codeOrCitation) {
    if (const auto* entry = findByCode(kProhibitedUses, codeOrCitation)) return entry->use;
    return std::nullopt;
}

}  // namespace facelead::workflow
