#pragma once
// The lead changes of SOP 302.02, each through its dialog and CaseService (which enforces the rules and
// audits). Shared by the results window, the case view and the work lists. Each returns true when the
// core accepted the change; a refusal stays visible in the dialog.

#include <QString>

#include <cstdint>
#include <functional>
#include <optional>

#include "core/workflow/Leads.h"
#include "ui/dialogs/CaseDialogs.h"

class QWidget;

namespace facelead::ui {

class AppContext;

// Reads the candidate's examinations on the store thread (is there a verification?), then opens the decision
// dialog; changed() runs when the core accepted the decision.
void decideCandidate(AppContext& context, QWidget* parent, std::int64_t candidateId, const QString& label,
                     workflow::LeadDecision decision, std::function<void()> changed);
// Where the lead's search is found: its id (results window) or its case (work lists).
struct LeadPlace {
    std::optional<std::int64_t> searchId;
    std::optional<std::int64_t> caseId;
};
// Reads the agency's evidence types on the store thread, then opens the follow-up dialog; changed() runs
// when the core accepted the follow-up.
void recordFollowUp(AppContext& context, QWidget* parent, std::int64_t candidateId, const QString& label,
                    const LeadPlace& place, std::function<void()> changed);
// Issue 11 item 1: reads the ORIGINAL probe and the candidate's photo, then opens the blind examination form
// (an examination, or the independent verification when another examiner recorded one); changed() runs when
// the core accepted it.
void examineCandidate(AppContext& context, QWidget* parent, std::int64_t candidateId, const QString& label,
                      LeadPlace place, std::function<void()> changed);
// Issue 11 item 2 (trial 23C H4): receives the two faces of a verification from the verification queue
// (cases::VerificationQueue::open, audited) on the store thread, then opens the blind FISWG form with them alone;
// what it records is the independent verification. changed() runs when the core accepted it.
void verifyCandidate(AppContext& context, QWidget* parent, std::int64_t candidateId, const QString& label,
                     std::function<void()> changed);
// Issue 11 item 2: reads the ORIGINAL probe, the candidate's photo and every examination of the candidate with its
// FISWG findings on the store thread, then opens the supervisor's resolution of the examiners' disagreement with
// them (trial 19B MEDIUM-4); changed() runs when the core accepted it.
void resolveDisagreement(AppContext& context, QWidget* parent, const cases::DisagreementSummary& disagreement,
                         std::function<void()> changed);
// Reads what the supervisor confirms (the follow-up, the original probe, the candidate) on the store
// thread, then opens the review dialog with it; changed() runs when the core accepted the review, and the
// supervisor is shown the review as recorded, read back from the store (object name "reviewRecorded").
void reviewFollowUp(AppContext& context, QWidget* parent, std::int64_t candidateId, const QString& label,
                    LeadPlace place, std::function<void()> changed);

// The core calls behind the dialogs (the dialogs show their refusals); also used by the GUI tests.
AttemptFn<LeadDecisionValue> decisionAttempt(AppContext& context, std::int64_t candidateId);
AttemptFn<workflow::FollowUp> followUpAttempt(AppContext& context, std::int64_t candidateId);
ReviewCalls reviewCalls(AppContext& context, std::int64_t candidateId);
AttemptFn<workflow::Examination> examinationAttempt(AppContext& context, std::int64_t candidateId);
AttemptFn<workflow::Examination> verificationAttempt(AppContext& context, std::int64_t candidateId);
AttemptFn<ResolutionValue> resolutionAttempt(AppContext& context, std::int64_t candidateId);

// "Possible lead", "Cleared for action", ... as the core names them.
QString leadStatusText(workflow::LeadStatus status);

}  // namespace facelead::ui
