#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "core/workflow/Purposes.h"
#include "ui/dialogs/CaseOfficers.h"
#include "ui/widgets/PolicyBanner.h"
#include "ui/widgets/ScreenFit.h"
#include "ui/widgets/SteadyLabel.h"
#include "ui/wizard/SearchWizard.h"
#include "ui/wizard/WizardPages.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/CoreServices.h"

namespace facelead::ui {

namespace {
QString qs(std::string_view text) { return QString::fromUtf8(text.data(), qsizetype(text.size())); }
}  // namespace

QString issuesText(const std::vector<workflow::PolicyIssue>& issues,
                   std::initializer_list<workflow::RequestField> fields) {
    QStringList lines;
    for (const workflow::PolicyIssue& issue : issues) {
        if (std::find(fields.begin(), fields.end(), issue.field) != fields.end())
            lines << QStringLiteral("• ") + QString::fromStdString(issue.message);
    }
    return lines.join(QLatin1Char('\n'));
}

PurposePage::PurposePage(SearchWizard& wizard, const QString& caseNumber)
    : wizard_(wizard),
      caseNumber_(new QLineEdit(this)),
      caseInfo_(new QLabel(this)),
      caseOfficer_(new QComboBox(this)),
      offence_(new QLineEdit(this)),
      purpose_(new QComboBox(this)),
      purposeHelp_(new QTextBrowser(this)),
      justification_(new QPlainTextEdit(this)),
      justificationCount_(new QLabel(this)),
      issues_(new QLabel(this)) {
    setTitle(tr("1. Case and purpose"));
    setSubTitle(tr("Every search belongs to a case and needs ONE authorized purpose (SOP 302.02 VI.A), a "
                   "written justification and your attestation against each prohibited use (VI.B.7)."));

    caseNumber_->setText(caseNumber);
    caseNumber_->setPlaceholderText(tr("e.g. 2026-004512 (a new number creates the case)"));
    caseNumber_->setAccessibleName(tr("Case number"));
    // Two lines, as the form may wrap even a short message: "New case: …" appears without pushing the fields
    // below down (trial 10).
    reserveLines(*caseInfo_, 2);
    caseInfo_->setAccessibleName(tr("Case found in the store"));
    caseOfficer_->setAccessibleName(tr("Assigned case officer of the new case"));
    offence_->setPlaceholderText(tr("e.g. Armed robbery, F.S. 812.13"));
    offence_->setAccessibleName(tr("Offence"));
    purpose_->setAccessibleName(tr("Authorized purpose"));
    purpose_->addItem(tr("— choose the authorized purpose —"));
    for (const workflow::PurposeInfo& info : workflow::purposes())
        purpose_->addItem(QStringLiteral("%1  %2").arg(qs(info.citation), qs(info.label)), int(info.purpose));
    // A fixed height that holds the longest purpose's text at 1366x768 and scrolls in a narrower window:
    // choosing a purpose never moves the justification and the attestation boxes below it (trial 12).
    purposeHelp_->setStyleSheet(QStringLiteral("QTextBrowser { background:#eef3fa; border:1px solid #b8c7dc; }"));
    purposeHelp_->setFocusPolicy(Qt::NoFocus);
    purposeHelp_->setFixedHeight(fixedLinesHeight(*purposeHelp_, 5));
    purposeHelp_->setAccessibleName(tr("Purpose help and SOP citation"));
    justification_->setPlaceholderText(tr("The facts that make this purpose apply: what happened, why a "
                                          "facial recognition search is needed, how the image relates to it."));
    justification_->setAccessibleName(tr("Justification"));
    justification_->setTabChangesFocus(true);
    justification_->setMinimumHeight(70);

    QVBoxLayout* layout = scrollingContent(*this);  // fits a 1366x768 screen: the page scrolls, the buttons stay
    auto* form = new QFormLayout;
    form->addRow(tr("Case &number:"), caseNumber_);
    form->addRow(QString(), caseInfo_);
    form->addRow(tr("Assigned case &officer:"), caseOfficer_);
    form->addRow(tr("&Offence:"), offence_);
    form->addRow(tr("Authorized &purpose:"), purpose_);
    form->addRow(QString(), purposeHelp_);
    form->addRow(tr("&Justification:"), justification_);
    form->addRow(QString(), justificationCount_);
    layout->addLayout(form);

    auto* attest = new QGroupBox(tr("Attestation — this search is NOT for any prohibited use (SOP 302.02 VI.B.7)"), this);
    auto* attestLayout = new QVBoxLayout(attest);
    for (const workflow::ProhibitedUseInfo& info : workflow::prohibitedUses()) {
        auto* box = new QCheckBox(QStringLiteral("%1  %2").arg(qs(info.citation), qs(info.attestation)), attest);
        box->setToolTip(qs(info.policyText));
        box->setAccessibleName(tr("Attest %1: %2").arg(qs(info.citation), qs(info.label)));
        box->setProperty("prohibitedUse", int(info.use));
        attestLayout->addWidget(box);
        attestations_.push_back(box);
        connect(box, &QCheckBox::toggled, this, &PurposePage::update);
    }
    layout->addWidget(attest);
    // Room for every hint this page can give (those of an empty page, and the case officer's): a box ticked or
    // a field filled shortens the list without shortening the page, so nothing scrolls under the mouse (trial 10).
    using F = workflow::RequestField;
    const QString allHints = issuesText(workflow::findIssues(workflow::SearchRequest{}, wizard_.context().policy()),
                                        {F::CaseNumber, F::Offence, F::Purpose, F::Justification, F::Attestation});
    reserveLines(*issues_, int(allHints.count(QLatin1Char('\n'))) + 2);
    issues_->setStyleSheet(QStringLiteral("color:#8a4b00;"));
    issues_->setAccessibleName(tr("What is still missing"));
    layout->addWidget(issues_);
    layout->addStretch();

    connect(caseNumber_, &QLineEdit::textChanged, this, &PurposePage::lookUpCase);
    connect(caseOfficer_, &QComboBox::currentIndexChanged, this, &PurposePage::update);
    connect(offence_, &QLineEdit::textChanged, this, &PurposePage::update);
    connect(purpose_, &QComboBox::currentIndexChanged, this, &PurposePage::update);
    connect(justification_, &QPlainTextEdit::textChanged, this, &PurposePage::update);
    fillCaseOfficers();
    lookUpCase();
}

void PurposePage::fillCaseOfficers() {
    // Active users with the case officer role (VI.B.3); the core checks the choice again.
    caseOfficer_->clear();
    AppContext& context = wizard_.context();
    if (!context.signedIn()) return;
    context.store().run(this, [](CoreServices& s) { return s.accounts().caseOfficers(); },
                        [this](const Result<std::vector<accounts::User>>& listed) {
                            AppContext& context = wizard_.context();
                            std::vector<accounts::User> users{context.user()};  // not allowed to list: oneself
                            if (listed) users = listed.value();
                            offerCaseOfficers(*caseOfficer_, caseOfficerChoices(users, context.user().id));
                            lookUpCase();  // its "no case officer" sentence depends on the list
                        });
}

void PurposePage::lookUpCase() {
    wizard_.draft().existingCaseId.reset();
    caseInfo_->clear();
    const std::string number = caseNumber_->text().trimmed().toStdString();
    showCaseFound(number, makeError(ErrorCode::NotFound, ""));
    if (number.empty() || !wizard_.context().signedIn()) return;
    wizard_.context().store().run(this, [number](CoreServices& s) { return s.cases().findCase(number); },
                                  [this, number](Result<cases::CaseRecord> found) {
                                      // Only the answer for the number still typed counts.
                                      if (caseNumber_->text().trimmed().toStdString() == number) showCaseFound(number, found);
                                  });
}

void PurposePage::showCaseFound(const std::string& number, const Result<cases::CaseRecord>& found) {
    SearchDraft& draft = wizard_.draft();
    draft.existingCaseId.reset();
    existingCaseOfficer_.clear();
    if (found) {
        draft.existingCaseId = found->id;
        if (found->assignedOfficer) existingCaseOfficer_ = found->assignedOfficer->displayName;
        caseInfo_->setText(tr("Existing case — %1; case officer: %2")
                               .arg(QString::fromStdString(found->offence),
                                    found->assignedOfficer ? QString::fromStdString(found->assignedOfficer->displayName)
                                                           : tr("none")));
        offence_->setText(QString::fromStdString(found->offence));
    } else if (number.empty()) {
        caseInfo_->clear();
    } else if (found.error().code == ErrorCode::NotFound) {
        caseInfo_->setText(caseOfficer_->count() ? tr("New case: it is created when the search runs.")
                                                 : tr("New case, but no active case officer exists to assign "
                                                      "it to. Ask an administrator (SOP 302.02 VI.B.3)."));
    } else {
        caseInfo_->setText(QString::fromStdString(found.error().message));
    }
    const bool isNew = !draft.existingCaseId;
    showCaseOfficer(isNew ? std::nullopt : found->assignedOfficer);
    // An existing case keeps its case officer and its offence: both are shown locked (trial 10).
    caseOfficer_->setEnabled(isNew);
    offence_->setEnabled(isNew);
    update();
}

// The field shows the case officer that will be stored: an existing case's own (trial 14B: it showed the
// signed-in user under "case officer: Olga Diaz"), else the choice for the new case, kept while an existing
// case was shown.
void PurposePage::showCaseOfficer(const std::optional<cases::Person>& existingOfficer) {
    const bool wasNew = caseOfficer_->isEnabled();
    if (!wizard_.draft().existingCaseId) {
        caseOfficer_->setPlaceholderText(tr("— choose the assigned case officer —"));
        if (!wasNew) caseOfficer_->setCurrentIndex(newCaseChoice_);
        return;
    }
    if (wasNew) newCaseChoice_ = caseOfficer_->currentIndex();
    caseOfficer_->setPlaceholderText(existingOfficer ? QString::fromStdString(existingOfficer->displayName) : tr("none"));
    caseOfficer_->setCurrentIndex(existingOfficer ? caseOfficer_->findData(qlonglong(existingOfficer->id)) : -1);
}

void PurposePage::update() {
    workflow::SearchRequest& request = wizard_.draft().request;
    request.caseNumber = caseNumber_->text().trimmed().toStdString();
    request.offence = offence_->text().trimmed().toStdString();
    wizard_.draft().newCaseOfficerId.reset();
    if (!wizard_.draft().existingCaseId && caseOfficer_->currentIndex() >= 0)
        wizard_.draft().newCaseOfficerId = caseOfficer_->currentData().toLongLong();
    wizard_.draft().caseOfficerName = wizard_.draft().existingCaseId ? existingCaseOfficer_
                                                                     : caseOfficer_->currentText().toStdString();
    request.purpose.reset();
    if (purpose_->currentIndex() > 0) request.purpose = workflow::Purpose(purpose_->currentData().toInt());
    request.justification = justification_->toPlainText().toStdString();
    request.attestedNotFor.clear();
    for (QCheckBox* box : attestations_)
        if (box->isChecked()) request.attestedNotFor.insert(workflow::ProhibitedUse(box->property("prohibitedUse").toInt()));

    if (request.purpose) {
        const workflow::PurposeInfo& info = workflow::purposeInfo(*request.purpose);
        purposeHelp_->setText(tr("<b>SOP 302.02 %1</b> — <i>%2</i><br>%3")
                                  .arg(qs(info.citation), qs(info.policyText).toHtmlEscaped(),
                                       qs(info.helpText).toHtmlEscaped()));
    } else {
        purposeHelp_->setText(tr("Choose the purpose that applies; its policy text and guidance appear here."));
    }
    const auto minimum = wizard_.context().policy().minJustificationChars;
    justificationCount_->setText(tr("%1 of at least %2 characters")
                                     .arg(workflow::meaningfulLength(request.justification))
                                     .arg(minimum));
    issues_->setText(issues());
    emit completeChanged();
}

void PurposePage::prefill(const workflow::SearchRequest& request) {
    caseNumber_->setText(QString::fromStdString(request.caseNumber));
    offence_->setText(QString::fromStdString(request.offence));
    if (request.purpose) purpose_->setCurrentIndex(std::max(0, purpose_->findData(int(*request.purpose))));
    justification_->setPlainText(QString::fromStdString(request.justification));
    for (QCheckBox* box : attestations_)
        box->setChecked(request.attestedNotFor.count(workflow::ProhibitedUse(box->property("prohibitedUse").toInt())) > 0);
}

QString PurposePage::issues() const {
    using F = workflow::RequestField;
    const SearchDraft& draft = wizard_.draft();
    QString text = issuesText(workflow::findIssues(draft.request, wizard_.context().policy()),
                              {F::CaseNumber, F::Offence, F::Purpose, F::Justification, F::Attestation});
    if (!draft.request.caseNumber.empty() && !draft.existingCaseId && !draft.newCaseOfficerId)
        text += (text.isEmpty() ? QString() : QStringLiteral("\n")) +
                tr("• A new case needs its assigned case officer, who confirms leads (SOP 302.02 VI.B.3).");
    return text;
}

QString PurposePage::caseInfo() const { return caseInfo_->text(); }

bool PurposePage::isComplete() const {
    const SearchDraft& draft = wizard_.draft();
    return issues().isEmpty() && (draft.existingCaseId || draft.newCaseOfficerId);
}

}  // namespace facelead::ui
