#include "ui/wizard/SearchWizard.h"

#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QVBoxLayout>

#include "ui/widgets/PolicyBanner.h"
#include "ui/widgets/ScreenFit.h"
#include "ui/wizard/WizardPages.h"
#include "ui/wizard/SearchRunner.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/Background.h"
#include "ui/workstation/CoreServices.h"

namespace facelead::ui {

SearchWizard::SearchWizard(AppContext& context, const QString& caseNumber, QWidget* parent)
    : QWizard(parent),
      context_(context),
      purposePage_(new PurposePage(*this, caseNumber)),
      probePage_(new ProbePage(*this)),
      enhancePage_(new EnhancePage(*this)),
      facePage_(new FacePage(*this)),
      reviewPage_(new ReviewPage(*this)) {
    setObjectName(QStringLiteral("searchWizard"));
    setWindowTitle(tr("New facial recognition search — FaceLead"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnLastPage, false);
    setOption(QWizard::HaveHelpButton, false);
    draft_.candidateLimit = context.policy().defaultCandidateLimit;
    setPage(Purpose, purposePage_);
    setPage(Probe, probePage_);
    setPage(Enhance, enhancePage_);
    setPage(Face, facePage_);
    setPage(Review, reviewPage_);
    setButtonText(QWizard::FinishButton, tr("Show results"));
    // The VI.B.6 marking (and the training notice) at the top of every page.
    for (QWizardPage* page : {static_cast<QWizardPage*>(purposePage_), static_cast<QWizardPage*>(probePage_),
                              static_cast<QWizardPage*>(enhancePage_), static_cast<QWizardPage*>(facePage_),
                              static_cast<QWizardPage*>(reviewPage_)}) {
        auto* pageLayout = qobject_cast<QVBoxLayout*>(page->layout());
        if (!pageLayout) continue;
        pageLayout->insertWidget(0, new PolicyBanner(PolicyBanner::Kind::Intelligence, page));
        if (context.trainingMode()) pageLayout->insertWidget(1, new PolicyBanner(PolicyBanner::Kind::Training, page));
    }
    resizeToFit(*this, {1280, 860});  // the attestations' long lines fit without scrolling sideways
}

SearchWizard::~SearchWizard() = default;

void SearchWizard::setSearchId(std::int64_t id) {
    searchId_ = id;
    for (int page : {Purpose, Probe, Enhance, Face}) removePage(page);
}

void SearchWizard::startFromCopy() {
    if (!searchId_ || copying_) return;
    const face::FaceEngine* engine = context_.engine();
    if (!engine) {
        reviewPage_->showError(context_.engineStatusText());
        return;
    }
    copying_ = true;
    std::vector<std::filesystem::path> names;  // only to name the files as this wizard showed them
    for (const FurtherProbeDraft& probe : draft_.furtherProbes) names.push_back(probe.original.file);
    runWithProgress(
        this, context_, tr("Copying the probes of search %1…").arg(*searchId_),
        [engine, searchId = *searchId_, names](CoreServices& services, const JobProgress& progress) {
            return copiedProbes(services, *engine, searchId, names, [&progress](int done, int total) {
                return progress.report(done, total, "Reading the probes back from the store…");
            });
        },
        [this](Result<CopiedProbes> copied) {
            copying_ = false;
            if (!copied) {
                if (copied.error().code != ErrorCode::Cancelled)
                    reviewPage_->showError(
                        tr("The copy was not made: %1").arg(QString::fromStdString(copied.error().message)));
                return;
            }
            copiedProbes_ = std::move(*copied);
            copyRequested_ = true;
            done(QDialog::Rejected);
        });
}

SearchDraft SearchWizard::copy() const {
    SearchDraft copied;
    copied.request = draft_.request;
    copied.original = draft_.original;  // re-read from its file by the new wizard (hash checked again)
    copied.furtherProbes = copiedProbes_.further;  // read back from the store (startFromCopy), never this wizard's state
    copied.searchedBefore = copiedProbes_.firstFace;
    copied.candidateLimit = draft_.candidateLimit;
    return copied;
}

void SearchWizard::prefill(const SearchDraft& from) {
    draft_.furtherProbes = from.furtherProbes;  // listed on the face page, removable there until the search runs
    draft_.searchedBefore = from.searchedBefore;
    purposePage_->prefill(from.request);
    probePage_->prefill(from.request, from.original ? QString::fromStdString(from.original->file.string()) : QString());
}

void SearchWizard::reject() {
    if (reviewPage_->running()) return;
    // Nothing is stored before the search runs: Cancel, Esc or the close button would lose what was typed.
    if (!searchId_ && hasUnsavedInput() && !confirmDiscard()) return;
    QWizard::reject();
}

bool SearchWizard::hasUnsavedInput() const {
    return !purposePage_->caseNumberEdit()->text().isEmpty() || !purposePage_->offenceEdit()->text().isEmpty() ||
           !purposePage_->justificationEdit()->toPlainText().isEmpty() || draft_.original.has_value();
}

bool SearchWizard::confirmDiscard() {
    QMessageBox question(QMessageBox::Question, tr("Discard this search?"),
                         tr("Nothing of this search is stored yet: the case, purpose, justification and probe you "
                            "entered will be lost."),
                         QMessageBox::Discard | QMessageBox::Cancel, this);
    question.setObjectName(QStringLiteral("discardSearchQuestion"));
    question.setDefaultButton(QMessageBox::Cancel);
    return question.exec() == QMessageBox::Discard;
}

}  // namespace facelead::ui
