#include "core/accounts/WarningAdvice.h"

#include <algorithm>
#include <string_view>

#include "core/audit/SettingsRemedy.h"

namespace facelead::accounts {

namespace {

bool anyMentions(const std::vector<std::string>& warnings, std::string_view text) {
    return std::ranges::any_of(warnings, [text](const std::string& warning) {
        return warning.find(text) != std::string::npos;
    });
}

}  // namespace

std::string adviceOnWarnings(const User& user, const std::vector<std::string>& warnings) {
    if (!user.hasRole(workflow::Role::ProgramAdministrator)) return "Tell your program administrator.";
    // Only the ways back the findings call for (trial 84 F6: the anchors and the settings were advised on a forged
    // entry alone). restore-table only where a finding says the table was edited: after a restored backup it would
    // put the older copy's accounts in writing (trial 65 F3).
    std::string advice = "As program administrator: audit verify (Reports > Audit log) names the damage.";
    if (anyMentions(warnings, "nchor"))
        advice += " A mismatch with the anchors outside the store is answered with `facelead-cli audit "
                  "acknowledge-anchors --reason TEXT` once looked into.";
    if (anyMentions(warnings, "gency settings"))
        advice += std::string(" Agency settings that differ from the signed ones are answered when ") +
                  audit::kSettingsSignedAgain + ".";
    if (anyMentions(warnings, kUsersTableEdited))
        advice += " The users table is put back with `facelead-cli user restore-table --reason TEXT`.";
    return advice;
}

}  // namespace facelead::accounts
