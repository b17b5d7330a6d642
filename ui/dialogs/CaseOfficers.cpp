#include "ui/dialogs/CaseOfficers.h"

#include <QComboBox>

namespace facelead::ui {

CaseOfficerChoices caseOfficerChoices(const std::vector<accounts::User>& users, std::int64_t signedInUserId) {
    CaseOfficerChoices choices;
    for (const accounts::User& user : users) {
        if (!user.isActive() || !user.hasRole(workflow::Role::CaseOfficer)) continue;
        if (user.id == signedInUserId) choices.preselected = int(choices.officers.size());
        choices.officers.push_back({user.id, QStringLiteral("%1 (%2)").arg(QString::fromStdString(user.displayName),
                                                                          QString::fromStdString(user.username))});
    }
    return choices;
}

void offerCaseOfficers(QComboBox& combo, const CaseOfficerChoices& choices) {
    combo.clear();
    combo.setPlaceholderText(QObject::tr("— choose the assigned case officer —"));
    for (const CaseOfficerChoice& choice : choices.officers) combo.addItem(choice.label, qlonglong(choice.userId));
    combo.setCurrentIndex(choices.preselected);
}

}  // namespace facelead::ui
