#pragma once
// Who a new case may be assigned to (VI.B.3), offered the same way wherever a case is created: the "New case"
// dialog and the search wizard's first page (trial 12: the dialog preselected the first name of the list while
// the wizard preselected the signed-in user, so a case could be created under the wrong officer by accident).

#include <QString>

#include <cstdint>
#include <vector>

#include "core/accounts/AccountService.h"

class QComboBox;

namespace facelead::ui {

struct CaseOfficerChoice {
    std::int64_t userId = 0;
    QString label;  // "Ivan Investigator (ivan)"
};

struct CaseOfficerChoices {
    std::vector<CaseOfficerChoice> officers;
    int preselected = -1;  // index into officers, or -1: nobody until the user chooses
};

// The active users with the case officer role among `users`, in the given order. Preselected: the signed-in user
// when they are one of them; otherwise nobody, so the choice is always someone's deliberate act.
CaseOfficerChoices caseOfficerChoices(const std::vector<accounts::User>& users, std::int64_t signedInUserId);

// Fills the combo box with the choices (user id as item data) and selects the preselected one; with none
// preselected it shows a "choose" placeholder and currentIndex() is -1.
void offerCaseOfficers(QComboBox& combo, const CaseOfficerChoices& choices);

}  // namespace facelead::ui
