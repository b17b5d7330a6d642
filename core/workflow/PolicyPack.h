#pragma once
// Agency rule packs (issue 11 item 5): the policy a search is held to, as versioned data, not code. A pack is a
// JSON file of policy-packs/ (format "facelead-policy-pack/1"), built into the program and installed beside it;
// the agency's program administrator chooses the active one (admin::AgencySettings::policyPack, audited).
// SOP 302.02 is the default pack. Each rule's ONE home: the pack says what is allowed; workflow::findIssues
// refuses an offence or purpose outside it, the candidate-list bounds bound the agency's setting, and
// cases::CaseService holds a search whose purpose needs a second approver until a supervisor approves it.

#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Result.h"
#include "core/workflow/Phrases.h"
#include "core/workflow/Purposes.h"

namespace facelead::workflow {

// An offence category the pack permits (e.g. Maryland's "crime of violence", Crim. Proc. 2-503).
struct OffenceCategory {
    std::string code;      // stable, e.g. "crime_of_violence"
    std::string label;     // for people
    std::string citation;  // where the law or policy lists it
    // The purposes a search in this category may cite; empty: any the pack allows. A category that is no crime
    // (Maryland's "identify a missing, deceased or incapacitated person") never carries a crime's purpose, or any
    // crime passes through it (trial 27 F21).
    std::set<Purpose> purposes;
    // Words that say the person sought is suspected of a crime (e.g. "suspect", "shoplifter"): a category that is no
    // crime refuses a request whose offence or justification names one (trial 29 N3: "identify_person: shoplifting
    // suspect who fled" under VI.A.6 ran under Maryland, and its 2-510 report counted it as a missing person).
    Phrases notWhenNamed;
};

struct CandidateListBounds {
    int minimum = 1;
    int maximum = 200;
    int byDefault = 20;
    std::string citation;
};

// The annual report the pack's law asks for (reports/Statutory.h).
enum class StatutoryReportKind {
    SopAnnualReview,     // SOP 302.02 VI.C.2.c: the program administrator's annual review
    Maryland2510,        // Md. Crim. Proc. 2-510
    WashingtonRcw43386,  // RCW 43.386
};
std::string_view statutoryReportName(StatutoryReportKind kind);  // "sop-annual-review", ...
std::optional<StatutoryReportKind> statutoryReportFromName(std::string_view name);

struct PolicyPack {
    std::string id = "sop-302-02";
    int version = 1;
    std::string title = "North Port PD SOP 302.02 (default)";
    std::string source = "SOP 302.02";
    std::vector<OffenceCategory> offenceCategories;  // empty: any offence
    std::set<Purpose> purposesAllowed;               // empty: every purpose of VI.A.1-8
    std::set<Purpose> purposesNeedingApproval;       // a supervisor approves the search before it runs
    std::string approvalCitation;
    CandidateListBounds candidates;
    int trainingValidityDays = 0;  // the longest training may count; 0: the pack sets no expiry
    int probeRetentionDays = 0;    // probe images come up for review after this long; 0: no review date
    int searchRecordRetentionDays = 0;
    std::string retentionCitation;
    // A second trained examiner's verification of the candidate, agreeing or resolved, before a supervisor may
    // clear the lead for action (workflow::reviewFollowUp; issue 11 item 2).
    bool verificationBeforeClearing = false;
    std::string verificationCitation;
    StatutoryReportKind report = StatutoryReportKind::SopAnnualReview;
    std::string notes;

    std::string name() const;  // "Maryland 2024 (...) v1"
    bool allowsPurpose(Purpose purpose) const;
    bool needsApproval(Purpose purpose) const { return purposesNeedingApproval.contains(purpose); }
    // The category an offence text names: the words before its first ':' (or the whole text), as a category's
    // code or label, case-insensitive ("crime_of_violence: armed robbery, 12 Main St"). nullptr when none does;
    // always nullptr for a pack without a list.
    const OffenceCategory* categoryOf(std::string_view offence) const;
};

inline constexpr std::string_view kDefaultPackId = "sop-302-02";

// A purpose a form may offer under the pack, and whether a supervisor approves the search before it runs.
struct PermittedPurpose {
    Purpose purpose;
    bool needsApproval = false;
};

// What a search request may choose under the pack: the one answer a form asks (the search wizard offers only
// these), while workflow::findIssues still refuses anything else at search time (issue 11 item 5).
struct PermittedChoices {
    std::vector<PermittedPurpose> purposes;          // of SOP 302.02 VI.A.1-8, in the policy's order
    std::string approvalCitation;                    // why some need approval (PolicyPack::approvalCitation)
    std::vector<OffenceCategory> offenceCategories;  // empty: the offence is free text
    std::string offenceSource;                       // the law or policy that lists them (PolicyPack::source)

    // The offence text for a category and its details, as PolicyPack::categoryOf reads it back
    // ("crime_of_violence: armed robbery, 12 Main St"; the code alone without details).
    static std::string offenceText(const OffenceCategory& category, std::string_view details);
};
PermittedChoices permittedChoices(const PolicyPack& pack);

// Reads and validates a pack; InvalidPolicyPack naming the first problem (the field and what is wrong).
Result<PolicyPack> parsePolicyPack(std::string_view json);

// The packs shipped with the program (policy-packs/*.json, built in), the default first.
std::span<const PolicyPack> shippedPacks();
// NotFound naming the shipped packs.
Result<PolicyPack> findPack(std::string_view id);

}  // namespace facelead::workflow
