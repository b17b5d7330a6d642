#pragma once
// The main window's tabs: cases, my searches, leads awaiting my follow-up, reviews awaiting me, search approvals,
// examiners who disagree, gallery, retention.

#include <filesystem>

#include <cstdint>
#include <optional>
#include <vector>

#include <QDialog>
#include <QImage>

#include "core/cases/SearchApproval.h"
#include "core/common/Result.h"
#include "core/gallery/Gallery.h"
#include "ui/dialogs/CaseDialogs.h"
#include "ui/wizard/SearchDraft.h"
#include "ui/workstation/WorkstationPage.h"

class QAction;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTableView;
class QTableWidget;

namespace facelead::ui {

class DisagreementModel;
class DuplicatesDialog;
class RetentionModel;

class CasesPage : public WorkstationPage {
    Q_OBJECT
public:
    CasesPage(AppContext& context, MainWindow& window);
    QString title() const override { return tr("Cases"); }
    workflow::Action requiredAction() const override { return workflow::Action::ViewCase; }
    void refresh() override;
    void newCase();
    void focusFilter();
    // Asks the core's search gate first (VI.D.2): a refusal is shown in the core's words and nothing opens.
    void startSearch(const QString& caseNumber);
    // "New case…" and "New search in this case…" are offered, and say why not, as the main window's actions are
    // (trial 82 F8: the page offered an intelligence supervisor the case the core then refused).
    void followActions(QAction& newCase, QAction& newSearch);
    void openCase(std::int64_t caseId);
    QTableWidget* table() const { return table_; }
    // The case number of the row selected, empty when none: what Reports → Case report offers (trial 74 F10).
    QString selectedCaseNumber() const;

private:
    std::int64_t selectedCase() const;
    void showNewCaseDialog(const CaseOfficerChoices& officers);
    void runWizard(const QString& caseNumber, const std::optional<SearchDraft>& copyOf = std::nullopt);

    QLineEdit* filter_;
    QTableWidget* table_;
    QPushButton* newCase_;
    QPushButton* search_;
    QLabel* message_;
};

class SearchesPage : public WorkstationPage {
    Q_OBJECT
public:
    SearchesPage(AppContext& context, MainWindow& window);
    QString title() const override { return tr("My searches"); }
    workflow::Action requiredAction() const override { return workflow::Action::RunSearch; }
    void refresh() override;
    void openResults(std::int64_t searchId);

private:
    QTableWidget* table_;
    QLabel* message_;
};

// Searches the agency's rule pack holds for a second approver, waiting for me (supervisors; issue 11 item 5):
// approved here before they run, never my own request.
class ApprovalsPage : public WorkstationPage {
    Q_OBJECT
public:
    ApprovalsPage(AppContext& context, MainWindow& window);
    QString title() const override { return tr("Search approvals"); }
    workflow::Action requiredAction() const override { return workflow::Action::ApproveSearch; }
    void refresh() override;
    QTableWidget* table() const { return table_; }
    QLabel* message() const { return message_; }
    // Reads the selected request's probe pictures from the store, then asks in an ApprovalDialog.
    void approveSelected();

private:
    void approve(std::int64_t approvalId);

    QTableWidget* table_;
    QPushButton* approve_;
    QLabel* message_;
    std::vector<cases::SearchApproval> approvals_;  // as last read from the store
};

// What the supervisor approves (trial 19B HIGH-2: an approval covered any image): the request, and each probe the
// search will use as read back from the store, its picture beside its file name and SHA-256. The search that uses
// the approval must search exactly these originals (the core holds it to them). Accepted: approve.
class ApprovalDialog : public QDialog {
    Q_OBJECT
public:
    ApprovalDialog(const cases::SearchApproval& approval, const std::vector<QImage>& pictures, QWidget* parent);
};

// Candidates whose examiners disagree, waiting for me (supervisors who examined neither side; issue 11 item 2):
// each settled here with my own conclusion and its basis (cases::CaseService::resolveDisagreement).
class DisagreementsPage : public WorkstationPage {
    Q_OBJECT
public:
    DisagreementsPage(AppContext& context, MainWindow& window);
    QString title() const override { return tr("Examiners disagree"); }
    workflow::Action requiredAction() const override { return workflow::Action::ReviewFollowUp; }
    void refresh() override;
    DisagreementModel* model() const { return model_; }
    QTableView* view() const { return view_; }
    QLabel* message() const { return message_; }
    void resolveSelected();

private:
    DisagreementModel* model_;
    QTableView* view_;
    QPushButton* resolve_;
    QLabel* message_;
};

// Candidates waiting for my independent verification (trained examiners who do not work the case; issue 11 item 2,
// trial 23C H4): each opened with only the ORIGINAL probe and the candidate's photo, never the case file, the lead
// or the first examination (cases::VerificationQueue), and verified in the blind FISWG form.
class VerificationsPage : public WorkstationPage {
    Q_OBJECT
public:
    VerificationsPage(AppContext& context, MainWindow& window);
    QString title() const override { return tr("Verifications"); }
    workflow::Action requiredAction() const override { return workflow::Action::DecideCandidate; }
    void refresh() override;
    QTableWidget* table() const { return table_; }
    QLabel* message() const { return message_; }
    void verifySelected();

private:
    QTableWidget* table_;
    QPushButton* verify_;
    QLabel* message_;
};

// Leads awaiting my follow-up (case officers, VI.B.3) or my review (supervisors, VI.C.1).
class LeadsPage : public WorkstationPage {
    Q_OBJECT
public:
    enum class Kind { FollowUp, Review };
    LeadsPage(Kind kind, AppContext& context, MainWindow& window);
    QString title() const override;
    workflow::Action requiredAction() const override;
    void refresh() override;
    QTableWidget* table() const { return table_; }

private:
    void act();

    Kind kind_;
    QTableWidget* table_;
    QPushButton* actButton_;
    QLabel* message_;
};

class GalleryPage : public WorkstationPage {
    Q_OBJECT
public:
    GalleryPage(AppContext& context, MainWindow& window);
    QString title() const override { return tr("Gallery"); }
    workflow::Action requiredAction() const override { return workflow::Action::ViewGallery; }
    void refresh() override;
    void enrolFromFolder();
    void enrolFromCsv();
    // "Remove from gallery…": asks for the reason (dialog "removeSubjectDialog"), then removes the selected
    // subject through the core (gallery::GalleryService::removeSubject) and re-reads the list from the store.
    void removeSelectedSubject();
    // "Check for duplicates (VI.A.5)…": the DL/ID fraud check's window (DuplicatesDialog), for a role that may manage
    // the gallery (the core's role table; gallery::findDuplicates checks it again).
    DuplicatesDialog* openDuplicates();
    QTableWidget* subjects() const { return subjects_; }
    QPushButton* removeButton() const { return remove_; }
    QPushButton* duplicatesButton() const { return duplicates_; }
    QLabel* message() const { return message_; }

private:
    // The items of a folder or CSV list (`what` names it in messages); nullopt after saying why there are none.
    std::optional<std::vector<gallery::EnrolItem>> readItems(const QString& what, const std::filesystem::path& input,
                                                             bool csv);
    void enrol(std::vector<gallery::EnrolItem> items);
    void showSubjectFaces();
    void showEnrolReport(const Result<gallery::EnrolReport>& report);
    void removeSubject(std::int64_t subjectId, const QString& reason);
    void updateRemoveButton();

    QLineEdit* filter_;
    QTableWidget* subjects_;
    QListWidget* faces_;
    QPushButton* remove_;
    QPushButton* duplicates_;
    QLabel* message_;
};

// Probes and search records past the active rule pack's retention periods (issue 11 item 5; SOP 302.02 VI.B.6), for
// the program administrator: each with the decision recorded on it, and "Decide…" to record one (keep until a day,
// or purge, with a reason; reports::decideRetention, audited). Each read is a review the core audits
// ("retention.reviewed"), so the list is read only while the tab is in view, and again after every decision.
class RetentionPage : public WorkstationPage {
    Q_OBJECT
public:
    RetentionPage(AppContext& context, MainWindow& window);
    QString title() const override { return tr("Retention"); }
    workflow::Action requiredAction() const override { return workflow::Action::DecideRetention; }
    void refresh() override;
    RetentionModel* model() const { return model_; }
    QTableView* view() const { return view_; }
    QLabel* periods() const { return periods_; }
    QLabel* message() const { return message_; }
    // Opens the decision dialog (RetentionDecisionDialog) for the selected item; once the core has recorded the
    // decision, the list is read again from the store.
    void decideSelected();

protected:
    void showEvent(QShowEvent* event) override;

private:
    RetentionModel* model_;
    QTableView* view_;
    QLabel* periods_;
    QPushButton* decide_;
    QLabel* message_;
};

// Creates the pages in tab order.
std::vector<WorkstationPage*> makePages(AppContext& context, MainWindow& window);
CasesPage* casesPage(const std::vector<WorkstationPage*>& pages);
GalleryPage* galleryPage(const std::vector<WorkstationPage*>& pages);

}  // namespace facelead::ui
