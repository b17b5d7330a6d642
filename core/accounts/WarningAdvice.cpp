#include "core/accounts/WarningAdvice.h"

#include <algorithm>

#include "core/audit/SettingsRemedy.h"

namespace facelead::accounts {

std::string adviceOnWarnings(const User& user, const std::vector<std::string>& warnings) {
    if (!user.hasRole(workflow::Role::ProgramAdministrator)) return "Tell your program administrator.";
    // restore-table only where a finding says the table was edited: after a restored backup it would put the
    // older copy's accounts in writing (trial 65 F3).
    const bool tableEdited = std::ranges::any_of(warnings, [](const std::string& warning) {
        return warning.find(kUsersTableEdited) != std::string::npos;
    });
    return std::string("As program administrator: audit verify (Reports > Audit log) names the damage. A mismatch "
                       "with the anchors outside the store is answered with `facelead-cli audit acknowledge-anchors "
                       "--reason TEXT` once looked into; agency settings edited outside FaceLead, when ") +
           audit::kSettingsSignedAgain +
           (tableEdited ? "; the users table, with `facelead-cli user restore-table --reason TEXT`." : ".");
}

}  // namespace facelead::accounts
