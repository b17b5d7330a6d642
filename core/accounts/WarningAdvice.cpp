#include "core/accounts/WarningAdvice.h"

namespace facelead::accounts {

std::string adviceOnWarnings(const User& user) {
    if (!user.hasRole(workflow::Role::ProgramAdministrator)) return "Tell your program administrator.";
    return "As program administrator: audit verify (Reports > Audit log) names the damage. A mismatch with the anchors "
           "outside the store is answered with `facelead-cli audit acknowledge-anchors --reason TEXT` once looked "
           "into; agency settings edited outside FaceLead, by saving them again (Administration > Agency settings "
           "shows the values a program administrator last signed); the users table, with `facelead-cli user "
           "restore-table --reason TEXT`.";
}

}  // namespace facelead::accounts
