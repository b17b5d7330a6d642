#pragma once
// Dialogs that collect ONE value object for a case or lead change. The `attempt` callback hands it to the
// core (CaseService); a refusal (policy, role, state machine) is shown in the dialog, which stays open.

#include <QDate>
#include <QDialog>
#include <QImage>

#include <array>
#include <cstdint>
#include <vector>

#include "core/cases/CaseService.h"
#include "core/reports/Retention.h"
#include "core/workflow/Leads.h"
#include "ui/dialogs/CaseOfficers.h"
#include "ui/dialogs/SignInDialogs.h"

class QCheckBox;
class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QTextBrowser;

namespace facelead::ui {

class NewCaseDialog : public QDialog {
    Q_OBJECT
public:
    NewCaseDialog(const CaseOfficerChoices& officers, AttemptFn<cases::NewCase> attempt, QWidget* parent = nullptr);
    cases::NewCase value() const;

private:
    AttemptFn<cases::NewCase> attempt_;
    QLineEdit* number_;
    QLineEdit* offence_;
    QComboBox* officer_;
    QLabel* error_;
};

// Possible lead or exclude, with the note the core requires.
struct LeadDecisionValue {
    workflow::LeadDecision decision = workflow::LeadDecision::PossibleLead;
    QString note;
};

class LeadDecisionDialog : public QDialog {
    Q_OBJECT
public:
    // unverified: no second examiner has verified the examination yet (said when marking a possible lead).
    LeadDecisionDialog(const QString& candidateText, workflow::LeadDecision decision,
                       AttemptFn<LeadDecisionValue> attempt, QWidget* parent = nullptr, bool unverified = false);
    QString intro() const;
    LeadDecisionValue value() const;
    QPlainTextEdit* noteEdit() const { return note_; }
    QString error() const;
    void submit();

private:
    AttemptFn<LeadDecisionValue> attempt_;
    workflow::LeadDecision decision_;
    QPlainTextEdit* note_;
    QLabel* intro_;
    QLabel* error_;
};

// One photo of a lead's dialogs, with what it is ("Original probe", "Oldest photo of the candidate, taken …").
struct CaptionedImage {
    QImage image;
    QString caption;
};

// Issue 11 item 1: the blind FISWG comparison of the original probe and the candidate. The candidate's rank
// and score are not on it: the core withholds them until this examination is recorded.
struct ExaminationMaterial {
    QImage probe;
    QImage candidate;
    bool independentVerification = false;  // the verifier's form (cases::VerificationQueue): says so, not "examination"
};

class ExaminationDialog : public QDialog {
    Q_OBJECT
public:
    // `policy`: the agency's rules the core holds the examination to, for the form's live list of what is missing.
    ExaminationDialog(const QString& candidateText, AttemptFn<workflow::Examination> attempt, QWidget* parent = nullptr,
                      const ExaminationMaterial& material = {}, workflow::PolicySettings policy = {});
    workflow::Examination value() const;
    // What the form still lacks before Record (workflow::examinationProblems), as shown; "" when nothing.
    QString missing() const;
    QComboBox* findingCombo(workflow::FacialComponent c) const { return findings_[std::size_t(c)]; }
    QLineEdit* noteEdit(workflow::FacialComponent c) const { return notes_[std::size_t(c)]; }
    QComboBox* conclusionCombo() const { return conclusion_; }
    QPlainTextEdit* basisEdit() const { return basis_; }
    QString error() const;
    void submit();

private:
    AttemptFn<workflow::Examination> attempt_;
    std::array<QComboBox*, workflow::kFacialComponentCount> findings_{};
    std::array<QLineEdit*, workflow::kFacialComponentCount> notes_{};
    QComboBox* conclusion_;
    QPlainTextEdit* basis_;
    QLabel* counts_;
    QPlainTextEdit* missing_;  // a fixed height: the basis above stays put as the list changes (trial 49 F5)
    QLabel* error_;
    workflow::PolicySettings policy_;
    void showWhatIsMissing();
};

// Issue 11 item 2: a supervisor settles two examiners' disagreement on a candidate with their own conclusion and a
// note (cases::CaseService::resolveDisagreement). The supervisor is not blind: both examinations are shown, each
// conclusion with its FISWG component findings, beside the original probe and the candidate (trial 19B MEDIUM-4:
// the dialog showed neither, so the supervisor decided without the evidence).
struct ResolutionValue {
    workflow::Conclusion conclusion = workflow::Conclusion::NoConclusion;
    QString note;
};

class ResolutionDialog : public QDialog {
    Q_OBJECT
public:
    ResolutionDialog(const QString& candidateText, const std::vector<cases::ExaminationRecord>& examinations,
                     AttemptFn<ResolutionValue> attempt, QWidget* parent = nullptr,
                     const ExaminationMaterial& material = {});
    ResolutionValue value() const;
    QComboBox* conclusionCombo() const { return conclusion_; }
    QPlainTextEdit* noteEdit() const { return note_; }
    QString error() const;
    void submit();

private:
    AttemptFn<ResolutionValue> attempt_;
    QComboBox* conclusion_;
    QPlainTextEdit* note_;
    QLabel* error_;
};

// VI.B.3: the assigned case officer's confirmation / follow-up, with one independent evidence item of the
// agency's types and the discrepancy checklist (issue 11 item 3).
class FollowUpDialog : public QDialog {
    Q_OBJECT
public:
    // examinations: the candidate's, as stored; their "dissimilar" findings are shown above the checklist.
    // faces: the probe, the candidate's compared photo and its oldest and most recent (issue 11 item 3: the officer
    // answers "age" and "marks and tattoos" from them; trial 29 N15: the form showed no photo).
    FollowUpDialog(const QString& leadText, AttemptFn<workflow::FollowUp> attempt, QWidget* parent = nullptr,
                   const std::vector<workflow::EvidenceType>& evidenceTypes = {},
                   const std::vector<cases::ExaminationRecord>& examinations = {},
                   const std::vector<CaptionedImage>& faces = {});
    int faceCount() const { return faceCount_; }
    workflow::FollowUp value() const;
    QPlainTextEdit* stepsEdit() const { return steps_; }
    QPlainTextEdit* evidenceEdit() const { return evidence_; }
    QComboBox* outcomeCombo() const { return outcome_; }
    QComboBox* itemTypeCombo() const { return itemType_; }
    QLineEdit* itemEdit() const { return item_; }
    QCheckBox* itemIndependentCheck() const { return itemIndependent_; }
    QComboBox* checklistCombo(workflow::ChecklistItem item) const { return checklist_[std::size_t(item)]; }
    QLineEdit* checklistNote(workflow::ChecklistItem item) const { return checklistNotes_[std::size_t(item)]; }
    QString examinersFindings() const;
    QString error() const;
    void submit();

private:
    AttemptFn<workflow::FollowUp> attempt_;
    QLabel* findings_;
    QPlainTextEdit* steps_;
    QPlainTextEdit* evidence_;
    QComboBox* outcome_;
    QComboBox* itemType_;
    QLineEdit* item_;
    QCheckBox* itemIndependent_;
    std::array<QComboBox*, workflow::kChecklistItemCount> checklist_{};
    std::array<QLineEdit*, workflow::kChecklistItemCount> checklistNotes_{};
    QLabel* error_;
    int faceCount_ = 0;
};

// What the supervisor confirms (VI.C.1), read back from the store, in the order the work was done (issue 11
// LOW-1): the search and the candidate, the blind examination and its verifications, then each follow-up with
// its evidence and discrepancy checklist; and the ORIGINAL probe beside the candidate's gallery photo.
struct ReviewMaterial {
    std::vector<cases::FollowUpRecord> followUps;  // oldest first
    std::optional<cases::CandidatePhotos> photos;  // the candidate's oldest and newest gallery photo (issue 11)
    std::vector<CaptionedImage> faces;              // the probe, the compared photo, the oldest and most recent
    std::optional<cases::SearchRecord> search;     // the search that listed the candidate
    std::int64_t candidateId = 0;
    std::vector<cases::ExaminationRecord> examinations;  // the examination, then the verifications, oldest first
    std::optional<cases::ResolutionRecord> resolution;   // a supervisor's settlement of their disagreement (N10)
    std::vector<std::string> reopenedAt;                 // cleared, then taken back to review (trial 52 F7)
};

// The core calls behind the review dialog: `check` asks whether the review would be accepted (nothing is
// written), `record` records it.
struct ReviewCalls {
    AttemptFn<workflow::Review> check;
    AttemptFn<workflow::Review> record;
};

// VI.C.1: the supervisor's review of the follow-up. "Record review" asks the core first (a refusal shows in
// the error line, nothing is asked), then asks the supervisor to confirm the final step, then records it.
class ReviewDialog : public QDialog {
    Q_OBJECT
public:
    ReviewDialog(const QString& leadText, ReviewCalls calls, QWidget* parent = nullptr,
                 const ReviewMaterial& material = {});
    QString followUpText() const;  // the follow-up as the dialog shows it
    workflow::Review value() const;
    QCheckBox* confirmedBox() const { return confirmed_; }
    QCheckBox* clearBox() const { return clear_; }
    QPlainTextEdit* noteEdit() const { return note_; }
    QString error() const;
    void submit();  // hands the review to the core as it is; "Record review" checks and confirms first

private:
    void checkThenConfirm(const QString& leadText);

    ReviewCalls calls_;
    QTextBrowser* followUp_;
    QCheckBox* confirmed_;
    QCheckBox* clear_;
    QPlainTextEdit* note_;
    QLabel* error_;
    // The latest follow-up when the dialog was opened, the one it shows last: the review names it (VI.C.1).
    std::int64_t shownFollowUpId_;
};

// Issue 11 item 5: a program administrator's decision on a probe or search record past the rule pack's retention
// period (reports::decideRetention): keep it until a day, when it comes up for review again, or purge it; with a
// reason either way. A purge is recorded, not carried out (SOP 302.02 VI.B.2, VI.B.6).
struct RetentionDecisionValue {
    reports::RetentionDecisionKind decision = reports::RetentionDecisionKind::Keep;
    QString reason;
    QString keepUntil;  // YYYY-MM-DD for a keep; empty for a purge
};

class RetentionDecisionDialog : public QDialog {
    Q_OBJECT
public:
    // today: the store's day; the keep date starts a year after it and may not be before tomorrow.
    RetentionDecisionDialog(const QString& itemText, const QDate& today, AttemptFn<RetentionDecisionValue> attempt,
                            QWidget* parent = nullptr);
    RetentionDecisionValue value() const;
    QRadioButton* keepButton() const { return keep_; }
    QRadioButton* purgeButton() const { return purge_; }
    QDateEdit* untilEdit() const { return until_; }
    QPlainTextEdit* reasonEdit() const { return reason_; }
    QString error() const;
    void submit();

private:
    AttemptFn<RetentionDecisionValue> attempt_;
    QRadioButton* keep_;
    QRadioButton* purge_;
    QDateEdit* until_;
    QPlainTextEdit* reason_;
    QLabel* error_;
};

}  // namespace facelead::ui
