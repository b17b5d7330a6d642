#include "ui/results/LeadActions.h"

#include "ui/workstation/AppContext.h"
#include "ui/workstation/CoreServices.h"

namespace facelead::ui {

namespace {

// Runs change(cases) on the store thread; answers the core's refusal message, or nullopt.
template <typename Change>
void applyChange(AppContext& context, Change change, const Answer& answer) {
    context.store().run(&context, [change](CoreServices& services) { return change(services.cases()); },
                        [answer](auto result) {
                            answer(result ? std::nullopt : std::optional(QString::fromStdString(result.error().message)));
                        });
}

}  // namespace

QString leadStatusText(workflow::LeadStatus status) {
    const std::string_view label = workflow::leadStatusLabel(status);
    return QString::fromUtf8(label.data(), qsizetype(label.size()));
}

AttemptFn<LeadDecisionValue> decisionAttempt(AppContext& context, std::int64_t candidateId) {
    return [&context, candidateId](const LeadDecisionValue& value, const Answer& answer) {
        applyChange(context, [candidateId, decision = value.decision, note = value.note.toStdString()](cases::CaseService& cases) {
            return decision == workflow::LeadDecision::PossibleLead ? cases.markPossibleLead(candidateId, note)
                                                                    : cases.exclude(candidateId, note);
        }, answer);
    };
}

AttemptFn<workflow::FollowUp> followUpAttempt(AppContext& context, std::int64_t candidateId) {
    return [&context, candidateId](const workflow::FollowUp& followUp, const Answer& answer) {
        applyChange(context, [candidateId, followUp](cases::CaseService& cases) { return cases.recordFollowUp(candidateId, followUp); },
                    answer);
    };
}

AttemptFn<workflow::Review> reviewAttempt(AppContext& context, std::int64_t candidateId) {
    return [&context, candidateId](const workflow::Review& review, const Answer& answer) {
        applyChange(context, [candidateId, review](cases::CaseService& cases) { return cases.review(candidateId, review); },
                    answer);
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
