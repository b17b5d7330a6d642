#include "core/admin/AgencySettings.h"

#include <array>
#include <charconv>

#include "core/accounts/SecondFactor.h"
#include "core/training/Course.h"
#include "core/training/TrainingStatus.h"

namespace facelead::admin {
namespace {

struct IntField {
    const char* key;
    const char* label;
    int AgencySettings::*member;
    int minimum;
    int maximum;
};

constexpr std::array kIntFields{
    IntField{"admin.idle_lock_minutes", "Lock the workstation after idle (minutes)", &AgencySettings::idleLockMinutes, 1, 240},
    IntField{"admin.lockout_max_attempts", "Failed sign-ins before lockout", &AgencySettings::lockoutMaxAttempts, 1, 20},
    IntField{"admin.lockout_minutes", "Lockout duration (minutes)", &AgencySettings::lockoutMinutes, 1, 1440},
    IntField{"admin.inactivity_days", "Deactivate after inactivity (days)", &AgencySettings::inactivityDays, 7, 3650},
    IntField{"admin.password_min_length", "Minimum password length", &AgencySettings::passwordMinLength, 8, 128},
    IntField{"admin.default_candidate_list_size", "Default candidate-list size", &AgencySettings::defaultCandidateListSize, 1, 200},
    IntField{"admin.max_video_megabytes", "Largest video probe (MB)", &AgencySettings::maxVideoMegabytes, 1, 900},
    IntField{"admin.licence_seats", "Licence seats (active accounts)", &AgencySettings::licenceSeats, 1, 10000},
    IntField{training::kTrainingValiditySettingKey, "Training valid for (days, 0 = no expiry)", &AgencySettings::trainingValidityDays, 0, 3650},
    IntField{training::kPassMarkSettingKey, "Training quiz pass mark (%)", &AgencySettings::trainingPassMarkPercent, 50, 100},
};
constexpr const char* kPasswordMixedKey = "admin.password_require_mixed";
constexpr const char* kAgencyNameKey = "admin.agency_name";
constexpr const char* kPolicyPackKey = kPolicyPackSetting.data();
constexpr std::size_t kAgencyNameMaxLength = 200;

Result<void> checkRange(const IntField& field, int value) {
    if (value < field.minimum || value > field.maximum)
        return makeError(ErrorCode::InvalidArgument, std::string(field.label) + " must be between " +
                                                         std::to_string(field.minimum) + " and " +
                                                         std::to_string(field.maximum) + ".");
    return {};
}

// The pack bounds what the agency may set, so each rule keeps one home: the bound in the pack, the choice here.
Result<void> checkWithinPack(const AgencySettings& settings, const workflow::PolicyPack& pack) {
    const auto& bounds = pack.candidates;
    if (settings.defaultCandidateListSize < bounds.minimum || settings.defaultCandidateListSize > bounds.maximum)
        return makeError(ErrorCode::PolicyViolation,
                         "The default candidate-list size must be between " + std::to_string(bounds.minimum) +
                             " and " + std::to_string(bounds.maximum) + " under the rule pack " + pack.name() +
                             " (" + bounds.citation + ").");
    if (pack.trainingValidityDays > 0 &&
        (settings.trainingValidityDays == 0 || settings.trainingValidityDays > pack.trainingValidityDays))
        return makeError(ErrorCode::PolicyViolation,
                         "Training may count for at most " + std::to_string(pack.trainingValidityDays) +
                             " days under the rule pack " + pack.name() + ": set a validity from 1 to " +
                             std::to_string(pack.trainingValidityDays) + " days.");
    return {};
}

}  // namespace

const std::vector<SettingSpec>& settingSpecs() {
    static const std::vector<SettingSpec> specs = [] {
        std::vector<SettingSpec> all;
        for (const auto& f : kIntFields) all.push_back({f.key, f.label, f.minimum, f.maximum, {}});
        all.push_back({kPasswordMixedKey, "Passwords need letters and digits or symbols", 0, 1, {}});
        all.push_back({accounts::kSecondFactorRequiredSetting,
                       "Second factor (authenticator app code) at sign-in and unlock", 0, 1, {}});
        all.push_back({kAgencyNameKey, "Agency name on reports", 0, 0, {}});
        SettingSpec pack{kPolicyPackKey, "Rule pack (offences, approvals, report)", 0, 0, {}};
        for (const auto& shipped : workflow::shippedPacks()) pack.choices.emplace_back(shipped.id, shipped.name());
        all.push_back(std::move(pack));
        return all;
    }();
    return specs;
}

SettingsMap toMap(const AgencySettings& settings) {
    SettingsMap map;
    for (const auto& f : kIntFields) map[f.key] = std::to_string(settings.*f.member);
    map.insert_or_assign(kPasswordMixedKey, std::string(settings.passwordRequireMixed ? "1" : "0"));
    map.insert_or_assign(accounts::kSecondFactorRequiredSetting, std::string(settings.secondFactorRequired ? "1" : "0"));
    map[kAgencyNameKey] = settings.agencyName;
    map[kPolicyPackKey] = settings.policyPack;
    return map;
}

Result<void> validate(const AgencySettings& settings) {
    for (const auto& f : kIntFields) FACELEAD_TRY(checkRange(f, settings.*f.member));
    if (settings.agencyName.empty() || settings.agencyName.size() > kAgencyNameMaxLength)
        return makeError(ErrorCode::InvalidArgument, "The agency name must be 1 to 200 characters.");
    auto pack = workflow::findPack(settings.policyPack);
    if (!pack) return pack.error();
    return checkWithinPack(settings, *pack);
}

AgencySettings fitToPack(AgencySettings settings, const workflow::PolicyPack& pack) {
    settings.policyPack = pack.id;
    const auto& bounds = pack.candidates;
    if (settings.defaultCandidateListSize < bounds.minimum || settings.defaultCandidateListSize > bounds.maximum)
        settings.defaultCandidateListSize = bounds.byDefault;
    if (pack.trainingValidityDays > 0 &&
        (settings.trainingValidityDays == 0 || settings.trainingValidityDays > pack.trainingValidityDays))
        settings.trainingValidityDays = pack.trainingValidityDays;
    return settings;
}

namespace {

// Reads the one setting `key` from its text into `settings`, which are unchanged when the text is not of the
// setting's kind (InvalidArgument naming it). Ranges, the name and the pack are validate()'s. Unknown keys: ignored.
Result<void> readSetting(AgencySettings& settings, const std::string& key, const std::string& text) {
    for (const auto& f : kIntFields) {
        if (key != f.key) continue;
        int parsed = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
        if (ec != std::errc{} || end != text.data() + text.size())
            return makeError(ErrorCode::InvalidArgument,
                             std::string(f.label) + ": '" + text + "' is not a whole number.");
        settings.*f.member = parsed;
        return {};
    }
    const bool mixed = key == kPasswordMixedKey;
    if (mixed || key == accounts::kSecondFactorRequiredSetting) {
        if (text != "0" && text != "1")
            return makeError(ErrorCode::InvalidArgument, mixed ? "Password mixed-characters setting must be 0 or 1."
                                                               : "The second-factor setting must be 0 or 1.");
        (mixed ? settings.passwordRequireMixed : settings.secondFactorRequired) = text == "1";
    }
    if (key == kAgencyNameKey) settings.agencyName = text;
    if (key == kPolicyPackKey) settings.policyPack = text;
    return {};
}

}  // namespace

Result<AgencySettings> fromMap(const SettingsMap& values) {
    AgencySettings settings;
    for (const auto& [key, text] : values) FACELEAD_TRY(readSetting(settings, key, text));
    FACELEAD_TRY(validate(settings));
    return settings;
}

AgencySettings fromStored(const SettingsMap& values) {
    if (auto exact = fromMap(values)) return *exact;
    // The pack first (it bounds the others, which start at its defaults), then value by value: each kept only if the
    // whole still validates.
    AgencySettings settings;
    if (const auto it = values.find(kPolicyPackKey); it != values.end())
        if (auto pack = workflow::findPack(it->second)) settings = fitToPack(settings, *pack);
    for (const auto& [key, text] : values) {
        AgencySettings with = settings;
        if (key != kPolicyPackKey && readSetting(with, key, text) && validate(with)) settings = std::move(with);
    }
    return settings;
}

std::vector<SettingChange> diff(const SettingsMap& stored, const AgencySettings& after) {
    auto before = toMap(AgencySettings{});
    for (const auto& [key, text] : stored) before.insert_or_assign(key, text);
    std::vector<SettingChange> changes;
    for (const auto& [key, value] : toMap(after)) {
        const auto& old = before.at(key);
        if (old != value) changes.push_back({key, old, value});
    }
    return changes;
}

}  // namespace facelead::admin
