#pragma once
// What a person told of the sign-in's findings (Session::warnings) does next: one text for the workstation and the
// CLI, by role. The findings themselves only say what was found (trial 26 F7, trial 28 L3: the program
// administrator was told to tell the program administrator, and others were told twice).

#include <string>
#include <vector>

#include "core/accounts/User.h"

namespace facelead::accounts {

// How the sign-in's finding of a users table edited outside FaceLead begins (Session.cpp).
inline constexpr const char* kUsersTableEdited = "The users table was edited outside FaceLead";

// The program administrator (VI.C.2.b: the audit is theirs) is told how each kind of finding among `warnings`
// (Session::warnings) is answered; anyone else, to tell them. Pure; thread-safe.
std::string adviceOnWarnings(const User& user, const std::vector<std::string>& warnings);

}  // namespace facelead::accounts
