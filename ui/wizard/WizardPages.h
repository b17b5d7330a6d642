#pragma once
// The five pages of the search wizard. Each page edits SearchWizard::draft() and reports completeness
// from the core's rules, so the wizard and the core can never disagree about what is required.

#include <QFutureWatcher>
#include <QWizardPage>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

#include "core/cases/CaseRecords.h"
#include "core/common/Result.h"
#include "ui/wizard/SearchDraft.h"

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QStackedWidget;
class QTableWidget;
class QTextBrowser;
class QTimer;

namespace facelead::ui {

class FurtherProbesPanel;
class HandMarkingPanel;
class JobProgress;
class ImageView;
class SearchWizard;
class VideoFrameDialog;
class WrappedCheckBox;

// Shows the core's PolicyIssue messages that concern the given fields.
QString issuesText(const std::vector<workflow::PolicyIssue>& issues, std::initializer_list<workflow::RequestField> fields);

// ------------------------------------------------------------------------------------ 1 case and purpose
class PurposePage : public QWizardPage {
    Q_OBJECT
public:
    PurposePage(SearchWizard& wizard, const QString& caseNumber);
    bool isComplete() const override;

    // For tests: the page's inputs.
    QLineEdit* caseNumberEdit() const { return caseNumber_; }
    QLineEdit* offenceEdit() const { return offence_; }  // the offence, or its details when the pack lists categories
    // The pack's offence categories (e.g. Md. Crim. Proc. 2-503); hidden when the pack lists none.
    QComboBox* offenceCategoryCombo() const { return offenceCategory_; }
    // "A supervisor approves …" for a chosen purpose the pack holds for a second approver; empty otherwise.
    QString approvalNotice() const;
    // Under the scrolling page while Next is greyed: how much is missing, and a link to the list; empty otherwise.
    QString whyNextIsGreyed() const;
    QComboBox* caseOfficerCombo() const { return caseOfficer_; }
    QComboBox* purposeCombo() const { return purpose_; }
    QPlainTextEdit* justificationEdit() const { return justification_; }
    const std::vector<QCheckBox*>& attestationBoxes() const { return attestations_; }
    QString issues() const;
    QString caseInfo() const;  // what the store says about the case number typed
    void prefill(const workflow::SearchRequest& request);  // a new search from a copy

private:
    void update();
    void lookUpCase();
    void showCaseFound(const std::string& number, const Result<cases::CaseRecord>& found);
    void showCaseOfficer(const std::optional<cases::Person>& existingOfficer);
    void fillCaseOfficers();
    void showOffence(const std::string& offence);
    std::string offence() const;
    QString issuesFor(const workflow::SearchRequest& request) const;
    void showFirstMissing(const QString& missing);

    SearchWizard& wizard_;
    workflow::PermittedChoices choices_;  // what the active rule pack permits, asked of the core
    QLineEdit* caseNumber_;
    QLabel* caseInfo_;
    QComboBox* caseOfficer_;
    QComboBox* offenceCategory_;
    QLineEdit* offence_;
    QComboBox* purpose_;
    QTextBrowser* purposeHelp_;
    QLabel* approvalNotice_;
    QPlainTextEdit* justification_;
    QLabel* justificationCount_;
    std::vector<QCheckBox*> attestations_;
    QLabel* issues_;
    QLabel* firstMissing_;  // below the scrolling page, above the buttons: why Next is greyed (trial 29 N14)
    std::string existingCaseOfficer_;  // of the case found for the number typed
    std::string existingOffence_;      // of the case found: the request carries it as stored
    int newCaseChoice_ = -1;           // the case officer chosen for a new case, while an existing one is shown
};

// ------------------------------------------------------------------------------ 2 probe image and consent
class ProbePage : public QWizardPage {
    Q_OBJECT
public:
    explicit ProbePage(SearchWizard& wizard);
    bool isComplete() const override;

    // Decodes and hashes the file on a worker thread; the page shows it (or the error) when done.
    void loadFile(const QString& file);
    // The file's details as shown (format, size, capture data, what intake noticed), or why it cannot be used.
    QString detailsText() const;
    // A new search from a copy: the consent record and source, and the file loaded again (hash re-checked).
    void prefill(const workflow::SearchRequest& request, const QString& file);
    // The video page (VideoFrameDialog, window-modal, returns at once); "Use this frame" makes its frame the probe.
    VideoFrameDialog* openVideo(const QString& file);
    bool loading() const { return loading_; }
    QString loadError() const;

    QLineEdit* imageSourceEdit() const { return imageSource_; }
    QRadioButton* consentButton(workflow::ConsentKind kind) const;
    QCheckBox* notDetainedBox() const { return notDetained_; }
    QPlainTextEdit* reasonUnableEdit() const { return reasonUnable_; }
    QPlainTextEdit* submissionPurposeEdit() const { return submissionPurpose_; }
    QString issues() const;

signals:
    void loadFinished();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void chooseFile();
    void chooseVideo();
    void update();
    void showLoaded();
    void clearProbe();
    void showOriginal(const ProbeOriginal& original);
    void useOriginal(ProbeOriginal original);

    SearchWizard& wizard_;
    ImageView* view_;
    QLabel* details_;  // the file's details, or loadError_
    QString loadError_;
    QPushButton* chooseButton_;
    QPushButton* videoButton_;
    QLineEdit* imageSource_;
    QButtonGroup* consentGroup_;
    std::vector<QRadioButton*> consentButtons_;
    QCheckBox* notDetained_;
    QPlainTextEdit* reasonUnable_;
    QPlainTextEdit* submissionPurpose_;
    QLabel* issues_;
    bool loading_ = false;
    QFutureWatcher<std::shared_ptr<Result<ProbeOriginal>>> loader_;
};

// ----------------------------------------------------------------------------- 3 enhancement on a copy
class EnhancePage : public QWizardPage {
    Q_OBJECT
public:
    explicit EnhancePage(SearchWizard& wizard);
    void initializePage() override;
    bool validatePage() override;  // applies the recipe to the full-size original (a new copy)

    // For tests and the step editor.
    void addStep(const imaging::EnhancementStep& step);
    void undoStep();
    const imaging::Recipe& recipe() const { return recipe_; }
    ImageView* originalView() const { return original_; }
    ImageView* copyView() const { return copy_; }
    bool isComplete() const override;  // false while the full-size copy is being applied
    // A preview or the full-size copy is being computed (tests wait until it is not).
    bool busy() const;
    void showPreviewNow();  // skips the debounce of the step being edited

signals:
    void previewShown();

private:
    std::optional<imaging::EnhancementStep> pendingStep() const;
    void schedulePreview();
    void startPreview();
    void startFullSize();
    void recipeChanged();
    void updateStepList();

    SearchWizard& wizard_;
    imaging::Recipe recipe_;
    cv::Mat previewBase_;      // the original, downscaled for previews
    double previewScale_ = 1;
    QLabel* originalTitle_;  // "Original", or which frame of the video (the video is the original)
    ImageView* original_;
    ImageView* copy_;
    QComboBox* stepKind_;
    QStackedWidget* stepEditors_;
    QListWidget* steps_;
    QPushButton* addButton_;
    QPushButton* undoButton_;
    QLabel* error_;
    QTimer* debounce_;
    QFutureWatcher<std::shared_ptr<Result<cv::Mat>>> previewer_;
    bool previewPending_ = false;
    std::optional<EnhancedCopy> fullSize_;  // recipe_ applied to the full-size original, once ready
    bool fullSizeRunning_ = false;
    // Step editors' inputs.
    QSpinBox *cropX_, *cropY_, *cropW_, *cropH_;
    QSpinBox* quarterTurns_;
    QDoubleSpinBox* angle_;
    QDoubleSpinBox *brightness_, *contrast_;
    QDoubleSpinBox* gamma_;
    QDoubleSpinBox* claheClip_;
    QSpinBox* claheTiles_;
    QSpinBox* denoiseDiameter_;
    QDoubleSpinBox *denoiseColor_, *denoiseSpace_;
    QDoubleSpinBox *sharpenAmount_, *sharpenRadius_;
    QDoubleSpinBox* upscaleFactor_;
};

// ------------------------------------------------------------------------------------ 4 face selection
class FacePage : public QWizardPage {
    Q_OBJECT
public:
    explicit FacePage(SearchWizard& wizard);
    void initializePage() override;
    bool isComplete() const override;

    bool detecting() const { return detecting_; }
    void chooseFace(int index);
    // "Mark the face by hand…" (issue 10 item 4): the marked face joins the list as the next face, chosen.
    QPushButton* markButton() const { return markButton_; }
    HandMarkingPanel* marking() const { return marking_; }
    // Further probes of the same person (issue 10 item 6), searched with this page's face.
    FurtherProbesPanel* furtherProbes() const { return furtherProbes_; }
    QCheckBox* acknowledgeBox() const { return acknowledge_; }
    QComboBox* imageChoice() const { return imageChoice_; }
    QString message() const;
    QString qualityText() const;  // the chosen face's verdict and what it rests on (chosenFaceHtml)

signals:
    void detectionFinished();

private:
    void detect();
    void showFaces();
    void chooseSearchedBefore();  // a copy of a stored search: its face chosen again, or said missing

    SearchWizard& wizard_;
    QComboBox* imageChoice_;
    ImageView* view_;
    QTableWidget* faceTable_;
    QLabel* quality_;
    WrappedCheckBox* acknowledgement_;  // the box with its text, wrapping in the side column
    QCheckBox* acknowledge_;
    QLabel* message_;
    QPushButton* markButton_;
    HandMarkingPanel* marking_;
    FurtherProbesPanel* furtherProbes_;
    bool detecting_ = false;
    QString scanNote_;  // a picture larger than a 4K frame: the smallest face looked for
    QFutureWatcher<std::shared_ptr<Result<std::vector<face::Face>>>> detector_;
    std::shared_ptr<JobProgress> detection_;  // the detection's progress and Cancel (issue 10 item 1)
};

// ------------------------------------------------------------------------------------- 5 review and run
class ReviewPage : public QWizardPage {
    Q_OBJECT
public:
    explicit ReviewPage(SearchWizard& wizard);
    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

    // Starts the search in the background (the Run button); emits searchFinished.
    void run();
    bool running() const { return running_; }
    QString error() const;
    // A failure beside the stored record, e.g. of "New search from a copy…" (the record stays as it is).
    void showError(const QString& message);
    QSpinBox* candidateLimit() const { return limit_; }
    QPushButton* withdrawButton() const { return withdrawButton_; }
    QString summary() const;

    QString shownSummary() const;  // the text on the page (after Run: read back from the store)

signals:
    void searchFinished(bool ok);
    void storedShown();  // the stored record replaced the draft's summary

private:
    void finished(const Result<std::int64_t>& result);
    void showStored(std::int64_t searchId);

    SearchWizard& wizard_;
    QTextBrowser* summary_;
    QSpinBox* limit_;
    QPushButton* runButton_;
    QPushButton* cancelButton_;
    QProgressBar* progress_;
    QLabel* error_;
    QPushButton* copyButton_;
    // Trial 46 F5: the user's own approval request, still waiting, that holds this probe under another purpose.
    QPushButton* withdrawButton_;
    std::shared_ptr<std::atomic<std::int64_t>> heldBy_ = std::make_shared<std::atomic<std::int64_t>>(0);
    bool running_ = false;
    std::shared_ptr<std::atomic<bool>> cancel_;
    void withdrawHoldingRequest();
};

}  // namespace facelead::ui
