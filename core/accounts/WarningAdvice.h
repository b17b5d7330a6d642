#pragma once
// What a person told of the sign-in's findings (Session::warnings) does next: one text for the workstation and the
// CLI, by role. The findings themselves only say what was found (trial 26 F7, trial 28 L3: the program
// administrator was told to tell the program administrator, and others were told twice).

#include <string>

#include "core/accounts/User.h"

namespace facelead::accounts {

// The program administrator (VI.C.2.b: the audit is theirs) is told how each kind of finding is answered; anyone
// else, to tell them. Pure; thread-safe.
std::string adviceOnWarnings(const User& user);

}  // namespace facelead::accounts
