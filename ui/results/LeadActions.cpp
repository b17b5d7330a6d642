#include "ui/results/LeadActions.h"

#include "ui/workstation/AppContext.h"
#include "ui/workstation/CoreServices.h"

namespace facelead::ui {

namespace {

// Runs change(cases) under the store lock; the core's refusal message, or nullopt.
template <typename Change>
std::optional<QString> applyChange(AppContext& context, Change&& change) {
    CoreServices* services = context.services();
    if (!services) return QObject::tr("You are signed out.");
    StoreLock lock(context.storeMutex());
    auto result = change(services->cases());
    if (!result) return QString::fromStdString(result.error().message);
    return std::nullopt;
}

}  // namespace

QString leadStatusText(workflow::LeadStatus status) {
    const std::string_view label = workflow::leadStatusLabel(status);
    return QString::fromUtf8(label.data(), qsizetype(label.size()));
}

AttemptFn<LeadDecisionValue> decisionAttempt(AppContext& context, std::int64_t candidateId) {
    return [&context, candidateId](const LeadDecisionValue& value) {
        return applyChange(context, [&](cases::CaseService& cases) {
            const std::string note = value.note.toStdString();
            return value.decision == workflow::LeadDecision::PossibleLead ? cases.markPossibleLead(candidateId, note)
                                                                          : cases.exclude(candidateId, note);
        });
    };
}

AttemptFn<workflow::FollowUp> followUpAttempt(AppContext& context, std::int64_t candidateId) {
    return [&context, candidateId](const workflow::FollowUp& followUp) {
        return applyChange(context, [&](cases::CaseService& cases) { return cases.recordFollowUp(candidateId, followUp); });
    };
}

AttemptFn<workflow::Review> reviewAttempt(AppContext& context, std::int64_t candidateId) {
    return [&context, candidateId](const workflow::Review& review) {
        return applyChange(context, [&](cases::CaseService& cases) { return cases.review(candidateId, review); });
    };
}

bool decideCandidate(AppContext& context, QWidget* parent, std::int64_t candidateId, const QString& label,
                     workflow::LeadDecision decision) {
    return LeadDecisionDialog(label, decision, decisionAttempt(context, candidateId), parent).exec() == QDialog::Accepted;
}

bool recordFollowUp(AppContext& context, QWidget* parent, std::int64_t candidateId, const QString& label) {
    return FollowUpDialog(label, followUpAttempt(context, candidateId), parent).exec() == QDialog::Accepted;
}

bool reviewFollowUp(AppContext& context, QWidget* parent, std::int64_t candidateId, const QString& label) {
    return ReviewDialog(label, reviewAttempt(context, candidateId), parent).exec() == QDialog::Accepted;
}

}  // namespace facelead::ui
