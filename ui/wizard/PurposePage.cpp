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

#include <algorithm>

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
      choices_(workflow::permittedChoices(wizard.context().policy().pack)),
      caseNumber_(new QLineEdit(this)),
      caseInfo_(new QLabel(this)),
      caseOfficer_(new QComboBox(this)),
      offenceCategory_(new QComboBox(this)),
      offence_(new QLineEdit(this)),
      purpose_(new QComboBox(this)),
      purposeHelp_(new QTextBrowser(this)),
      approvalNotice_(new QLabel(this)),
      justification_(new QPlainTextEdit(this)),
      justificationCount_(new QLabel(this)),
      issues_(new QLabel(this)),
      firstMissing_(new QLabel(this)) {
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
    const bool listed = !choices_.offenceCategories.empty();
    // A pack with an offence list (e.g. Md. Crim. Proc. 2-503) is offered as that list, so the detective never
    // types an offence the core then refuses; the details follow the category ("crime_of_violence: …").
    offenceCategory_->setAccessibleName(tr("Offence category the rule pack permits"));
    offenceCategory_->setPlaceholderText(tr("— choose the offence category (%1) —").arg(qs(choices_.offenceSource)));
    for (std::size_t i = 0; i < choices_.offenceCategories.size(); ++i) {
        const workflow::OffenceCategory& category = choices_.offenceCategories[i];
        offenceCategory_->addItem(qs(category.label), int(i));
        offenceCategory_->setItemData(int(i), qs(category.citation), Qt::ToolTipRole);
    }
    offenceCategory_->setCurrentIndex(-1);
    offence_->setPlaceholderText(listed ? tr("Details, e.g. armed robbery of a pharmacy, 12 Main St")
                                        : tr("e.g. Armed robbery, F.S. 812.13"));
    offence_->setAccessibleName(listed ? tr("Offence details") : tr("Offence"));
    purpose_->setAccessibleName(tr("Authorized purpose"));
    purpose_->addItem(tr("— choose the authorized purpose —"));
    // Only the purposes the active rule pack allows; those it holds for a second approver say so in the list.
    for (const workflow::PermittedPurpose& permitted : choices_.purposes) {
        const workflow::PurposeInfo& info = workflow::purposeInfo(permitted.purpose);
        QString text = QStringLiteral("%1  %2").arg(qs(info.citation), qs(info.label));
        if (permitted.needsApproval) text += tr("  (a supervisor approves it first)");
        purpose_->addItem(text, int(info.purpose));
    }
    approvalNotice_->setWordWrap(true);
    approvalNotice_->setStyleSheet(QStringLiteral("color:#7a3d00; font-weight:bold;"));
    approvalNotice_->setAccessibleName(tr("Supervisor approval before the search"));
    // Room for the notice only under a pack that asks approval at all: choosing a purpose moves nothing.
    if (std::ranges::any_of(choices_.purposes, [](const auto& p) { return p.needsApproval; }))
        reserveLines(*approvalNotice_, 3);
    else
        approvalNotice_->hide();
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
    if (listed) form->addRow(tr("Offence &category:"), offenceCategory_);
    else offenceCategory_->hide();
    form->addRow(listed ? tr("Offence &details:") : tr("&Offence:"), offence_);
    form->addRow(tr("Authorized &purpose:"), purpose_);
    form->addRow(QString(), purposeHelp_);
    form->addRow(QString(), approvalNotice_);
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
    const QString allHints = issuesFor(workflow::SearchRequest{});
    reserveLines(*issues_, int(allHints.count(QLatin1Char('\n'))) + 2);
    issues_->setStyleSheet(QStringLiteral("color:#8a4b00;"));
    issues_->setAccessibleName(tr("What is still missing"));
    layout->addWidget(issues_);
    layout->addStretch();
    // The full list ends the page, under the attestations, out of sight on a laptop screen (trial 29 N14): one line
    // outside the scrolling part says that something is missing and takes the reader there. Always one line high,
    // so nothing above it moves while the count changes (trial 10).
    firstMissing_->setStyleSheet(QStringLiteral("color:#8a4b00;"));
    firstMissing_->setAccessibleName(tr("Why Next is not available"));
    firstMissing_->setFixedHeight(firstMissing_->fontMetrics().lineSpacing() + 4);
    connect(firstMissing_, &QLabel::linkActivated, this, [this] {
        if (auto* scroll = findChild<QScrollArea*>()) scroll->ensureWidgetVisible(issues_);
    });
    this->layout()->addWidget(firstMissing_);

    connect(caseNumber_, &QLineEdit::textChanged, this, &PurposePage::lookUpCase);
    connect(caseOfficer_, &QComboBox::currentIndexChanged, this, &PurposePage::update);
    connect(offenceCategory_, &QComboBox::currentIndexChanged, this, &PurposePage::update);
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
    existingOffence_.clear();
    if (found) {
        draft.existingCaseId = found->id;
        if (found->assignedOfficer) existingCaseOfficer_ = found->assignedOfficer->displayName;
        caseInfo_->setText(tr("Existing case — %1; case officer: %2")
                               .arg(QString::fromStdString(found->offence),
                                    found->assignedOfficer ? QString::fromStdString(found->assignedOfficer->displayName)
                                                           : tr("none")));
        existingOffence_ = found->offence;
        showOffence(found->offence);
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
    offenceCategory_->setEnabled(isNew);
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
    request.offence = offence();
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
    approvalNotice_->setText(approvalNotice());
    const auto minimum = wizard_.context().policy().minJustificationChars;
    justificationCount_->setText(tr("%1 of at least %2 characters")
                                     .arg(workflow::meaningfulLength(request.justification))
                                     .arg(minimum));
    const QString missing = issues();
    issues_->setText(missing);
    showFirstMissing(missing);
    emit completeChanged();
}

QString PurposePage::whyNextIsGreyed() const { return firstMissing_->text(); }

void PurposePage::showFirstMissing(const QString& missing) {
    const auto count = missing.isEmpty() ? 0 : missing.count(QStringLiteral("\n• ")) + 1;
    const QString items = count == 1 ? tr("1 item") : tr("%1 items").arg(count);
    firstMissing_->setText(count == 0 ? QString()
                                      : tr("Next is greyed until nothing is missing: %1 to do. "
                                           "<a href=\"#missing\">Show what is missing</a>").arg(items));
}

void PurposePage::prefill(const workflow::SearchRequest& request) {
    caseNumber_->setText(QString::fromStdString(request.caseNumber));
    showOffence(request.offence);
    if (request.purpose) purpose_->setCurrentIndex(std::max(0, purpose_->findData(int(*request.purpose))));
    justification_->setPlainText(QString::fromStdString(request.justification));
    for (QCheckBox* box : attestations_)
        box->setChecked(request.attestedNotFor.count(workflow::ProhibitedUse(box->property("prohibitedUse").toInt())) > 0);
}

// The offence as the request carries it: an existing case's as stored (the core checks it against the pack
// again); else the chosen category with the details, or the free text under a pack without a list.
std::string PurposePage::offence() const {
    if (wizard_.draft().existingCaseId) return existingOffence_;
    const std::string details = offence_->text().trimmed().toStdString();
    if (choices_.offenceCategories.empty()) return details;
    const int chosen = offenceCategory_->currentIndex();
    if (chosen < 0) return {};
    return workflow::PermittedChoices::offenceText(choices_.offenceCategories[std::size_t(chosen)], details);
}

// Shows a stored or copied offence: under a pack with a list, its category chosen and the rest as details.
void PurposePage::showOffence(const std::string& offence) {
    const workflow::OffenceCategory* category = wizard_.context().policy().pack.categoryOf(offence);
    if (choices_.offenceCategories.empty() || !category) {
        offenceCategory_->setCurrentIndex(-1);
        offence_->setText(QString::fromStdString(offence));
        return;
    }
    const auto& listed = choices_.offenceCategories;
    const auto at = std::ranges::find_if(listed, [&](const auto& c) { return c.code == category->code; });
    offenceCategory_->setCurrentIndex(int(at - listed.begin()));
    const auto colon = offence.find(':');
    offence_->setText(QString::fromStdString(colon == std::string::npos ? std::string() : offence.substr(colon + 1)).trimmed());
}

QString PurposePage::approvalNotice() const {
    const auto purpose = wizard_.draft().request.purpose;
    const auto permitted = std::ranges::find_if(choices_.purposes, [&](const auto& p) { return p.purpose == purpose; });
    if (!purpose || permitted == choices_.purposes.end() || !permitted->needsApproval) return {};
    return tr("A supervisor approves a search for %1 before it runs (%2). When you press Run, the request is stored "
              "and waits under \"Search approvals\"; run it again once it is approved.")
        .arg(qs(workflow::purposeInfo(*purpose).citation), qs(choices_.approvalCitation));
}

// The core's issues for the page's fields. Under a pack with an offence list, an offence not chosen yet is
// asked for as the list's choice (the core's sentence lists every category, which the list already shows).
QString PurposePage::issuesFor(const workflow::SearchRequest& request) const {
    using F = workflow::RequestField;
    const auto all = workflow::findIssues(request, wizard_.context().policy());
    const bool chooseCategory = !choices_.offenceCategories.empty() && workflow::meaningfulLength(request.offence) == 0;
    QString text = issuesText(all, {F::CaseNumber});
    QString offence = chooseCategory ? tr("• Choose the offence category: the agency's rule pack permits searches "
                                          "only for those %1 lists.").arg(qs(choices_.offenceSource))
                                     : issuesText(all, {F::Offence});
    // An existing case keeps its offence (the fields are locked), so the pack's advice to start the offence with a
    // category cannot be followed here (issue 11 trial, LOW-3): say what can be done instead.
    if (wizard_.draft().existingCaseId && !choices_.offenceCategories.empty() &&
        !wizard_.context().policy().pack.categoryOf(request.offence))
        offence = tr("• This case was recorded for the offence \"%1\", which the agency's rule pack does not list "
                     "(%2): a search in it is refused. A search for a listed offence belongs to a case opened for "
                     "that offence.")
                      .arg(QString::fromStdString(request.offence), qs(choices_.offenceSource));
    for (const QString& part : {offence, issuesText(all, {F::Purpose, F::Justification, F::Attestation})})
        if (!part.isEmpty()) text += (text.isEmpty() ? QString() : QStringLiteral("\n")) + part;
    return text;
}

QString PurposePage::issues() const {
    const SearchDraft& draft = wizard_.draft();
    QString text = issuesFor(draft.request);
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
