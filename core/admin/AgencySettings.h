#pragma once
// The agency's configurable rules (issue 5): idle lock, lockout, inactivity (VI.C.2 NOTE), password policy,
// licence seats, training validity and pass mark (VI.D.2.b), default candidate-list size and the agency name
// printed on reports, and the active rule pack (issue 11 item 5: workflow/PolicyPack.h), which bounds the
// candidate-list size and the training validity. Stored as key/value rows of the settings table; every change is audited with its old
// and new values. Pure values here: SettingsService reads and writes them.

#include <map>
#include <string>
#include <vector>

#include "core/common/Result.h"
#include "core/training/Course.h"
#include "core/workflow/PolicyPack.h"

namespace facelead::admin {

// The settings key of the active rule pack, as settings.changed entries name it (the statutory report reads which pack
// was in force when).
inline constexpr std::string_view kPolicyPackSetting = "admin.policy_pack";

struct AgencySettings {
    int idleLockMinutes = 15;
    int lockoutMaxAttempts = 5;
    int lockoutMinutes = 15;
    int inactivityDays = 90;            // VI.C.2 NOTE: inactive users are removed, their seat reissued
    int passwordMinLength = 12;
    bool passwordRequireMixed = true;   // letters and digits or symbols
    bool secondFactorRequired = false;  // TOTP at every sign-in and unlock (CJIS 5.6, accounts/SecondFactor.h)
    int defaultCandidateListSize = 20;
    int licenceSeats = 10;              // active accounts allowed at once
    // A video probe is stored whole as original evidence (VI.B.2, issue 10 item 5); the store's cell holds at
    // most ~1 GB (SQLite's limit), hence the ceiling of 900.
    int maxVideoMegabytes = 256;
    int trainingValidityDays = 0;       // 0 = training never expires
    int trainingPassMarkPercent = training::kDefaultPassMarkPercent;
    std::string agencyName = "North Port Police Department";
    std::string policyPack = std::string(workflow::kDefaultPackId);  // a shipped pack's id

    bool operator==(const AgencySettings&) const = default;
};

using SettingsMap = std::map<std::string, std::string>;

// Each setting's storage key, label and allowed range, for the settings screen and for validation.
struct SettingSpec {
    std::string key;    // e.g. "admin.inactivity_days"
    std::string label;  // e.g. "Deactivate after inactivity (days)"
    int minimum = 0;
    int maximum = 0;    // ignored for text and yes/no settings
    std::vector<std::pair<std::string, std::string>> choices;  // a setting chosen from a list: value, label
};
const std::vector<SettingSpec>& settingSpecs();

SettingsMap toMap(const AgencySettings& settings);
// Missing keys keep their defaults; a malformed or out-of-range value is an InvalidArgument naming the key.
Result<AgencySettings> fromMap(const SettingsMap& values);
// The settings as stored: fromMap's, except that a value FaceLead would not have saved (written into the table
// outside it: out of range, not a number, an unknown pack) keeps its default instead of failing every command that
// reads the settings, the administrator's settings screen too (trial 21A N3). Such a value differs from the last
// one a program administrator signed, so searches stop and audit verify names it (AccountLedger::compareSettings).
AgencySettings fromStored(const SettingsMap& values);
// The same range checks, for a value object coming from a dialog. The rule pack must be a shipped one, and
// the agency's candidate-list size and training validity within its bounds (PolicyViolation citing it).
Result<void> validate(const AgencySettings& settings);
// The settings under another pack: its id, and the candidate-list size and training validity moved into its
// bounds (the pack's default size, its validity) where they fall outside; the rest unchanged.
AgencySettings fitToPack(AgencySettings settings, const workflow::PolicyPack& pack);

struct SettingChange {
    std::string key;
    std::string oldValue;
    std::string newValue;
};
// The changes from the stored values (absent keys: their defaults) to `after`: a value written outside FaceLead,
// even one fromStored set aside, is replaced when the administrator saves.
std::vector<SettingChange> diff(const SettingsMap& stored, const AgencySettings& after);

}  // namespace facelead::admin
