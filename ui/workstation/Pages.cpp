#include "ui/workstation/Pages.h"

#include <algorithm>

#include <QAction>
#include <QGridLayout>
#include <QPixmap>
#include <QScrollArea>
#include <QDate>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QShowEvent>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTextEdit>
#include <QTimer>
#include <QVBoxLayout>

#include "core/cases/VerificationQueue.h"
#include "core/gallery/EnrolledFaces.h"
#include "core/gallery/GalleryService.h"
#include "core/imaging/Intake.h"
#include "core/reports/Retention.h"
#include "core/workflow/Access.h"
#include "core/workflow/Purposes.h"
#include "ui/accountability/Common.h"
#include "ui/dialogs/CaseDialogs.h"
#include "ui/results/CaseWindow.h"
#include "ui/results/LeadActions.h"
#include "ui/widgets/ImageConvert.h"
#include "ui/widgets/LocalTime.h"
#include "ui/widgets/SteadyLabel.h"
#include "ui/wizard/SearchWizard.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/Background.h"
#include "ui/workstation/CoreServices.h"
#include "ui/workstation/DisagreementModel.h"
#include "ui/workstation/DuplicatesDialog.h"
#include "ui/workstation/MainWindow.h"
#include "ui/workstation/RetentionModel.h"

namespace facelead::ui {

namespace {

QString qs(const std::string& text) { return QString::fromStdString(text); }

// A read-only list of whole rows, one selected at a time: how every work list of the workstation behaves.
void makeWorkListView(QTableView* view, const QString& accessibleName) {
    view->setAccessibleName(accessibleName);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
}

QTableWidget* makeTable(const QStringList& headers, const QString& accessibleName, QWidget* parent) {
    auto* table = new QTableWidget(0, int(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    makeWorkListView(table, accessibleName);
    table->sortByColumn(0, Qt::AscendingOrder);
    table->setSortingEnabled(true);
    return table;
}

// Fills one row; column 0 keeps the id (Qt::UserRole) of what the row stands for.
void setRow(QTableWidget* table, int row, std::int64_t id, const QStringList& cells) {
    for (int column = 0; column < cells.size(); ++column) {
        // A whole number is held as one, so the column sorts 2 before 10 (trial 29 N12: 1, 10, 11, 2, ...).
        bool whole = false;
        const qlonglong number = cells[column].toLongLong(&whole);
        auto* item = new QTableWidgetItem;
        item->setData(Qt::DisplayRole, whole ? QVariant(number) : QVariant(cells[column]));
        if (column == 0) item->setData(Qt::UserRole, qlonglong(id));
        table->setItem(row, column, item);
    }
}

std::int64_t rowId(const QTableWidget* table) {
    const int row = table->currentRow();
    if (row < 0 || !table->item(row, 0)) return 0;
    return table->item(row, 0)->data(Qt::UserRole).toLongLong();
}

// Refills the table with one row per item; row(item) gives the id and the cells.
template <typename Item, typename Row>
void fillTable(QTableWidget* table, const std::vector<Item>& items, Row row) {
    table->setSortingEnabled(false);
    table->setRowCount(int(items.size()));
    for (int r = 0; r < int(items.size()); ++r) {
        const auto [id, cells] = row(items[std::size_t(r)]);
        setRow(table, r, id, cells);
    }
    table->setSortingEnabled(true);
    table->resizeColumnsToContents();
}

// The active case officers a new case may be assigned to (VI.B.3): asked of the core as "who may be assigned",
// which whoever may create a case may ask (an investigator may not list every account).
Result<std::vector<accounts::User>> caseOfficers(CoreServices& services) { return services.accounts().caseOfficers(); }

// The SOP's section and the purpose's label ("VI.A.3 — …"), not the stored code.
QString purposeText(const std::string& code) {
    const auto purpose = workflow::purposeFromCode(code);
    if (!purpose) return qs(code);
    const workflow::PurposeInfo& info = workflow::purposeInfo(*purpose);
    return QString::fromUtf8(std::string(info.citation).append(" — ").append(info.label));
}

QLabel* messageLabel(QWidget* parent) {
    auto* label = new QLabel(parent);
    makeErrorLine(*label);
    return label;
}

// A work list page: what it is for, the list, its one action, and the line that says what went wrong.
void layOutWorkList(QWidget* page, const QString& purpose, QAbstractItemView* table, QPushButton* action, QLabel* message) {
    auto* intro = new QLabel(purpose, page);
    intro->setWordWrap(true);
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(intro);
    layout->addWidget(table, 1);
    auto* row = new QHBoxLayout;
    row->addWidget(action);
    row->addStretch();
    layout->addLayout(row);
    layout->addWidget(message);
}

// Runs read(services) on the store thread, then fill(value) on the UI thread while `page` lives, or shows
// the error in `message`. Nothing is read while nobody is signed in.
template <typename Read, typename Fill>
void readStore(AppContext& context, QWidget* page, QLabel* message, Read read, Fill fill) {
    if (!context.signedIn()) return;
    context.store().run(page, std::move(read), [message, fill = std::move(fill)](auto result) {
        if (!result) {
            message->setText(qs(result.error().message));
            return;
        }
        message->clear();
        fill(result.value());
    });
}

}  // namespace

// ------------------------------------------------------------------------------------------------ cases

CasesPage::CasesPage(AppContext& context, MainWindow& window)
    : WorkstationPage(context, window),
      filter_(new QLineEdit(this)),
      table_(makeTable({tr("Case number"), tr("Offence"), tr("Case officer"), tr("Status"), tr("Created by"), tr("Created")},
                       tr("Cases"), this)),
      newCase_(new QPushButton(tr("New case…"), this)), search_(new QPushButton(tr("New search in this case…"), this)),
      message_(messageLabel(this)) {
    filter_->setPlaceholderText(tr("Filter by case number or offence…"));
    filter_->setAccessibleName(tr("Filter cases"));
    filter_->setClearButtonEnabled(true);
    auto* open = new QPushButton(tr("Open case"), this);
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    top->addWidget(filter_, 1);
    top->addWidget(newCase_);
    top->addWidget(open);
    top->addWidget(search_);
    layout->addLayout(top);
    layout->addWidget(table_, 1);
    layout->addWidget(message_);
    connect(filter_, &QLineEdit::textChanged, this, &CasesPage::refresh);
    connect(newCase_, &QPushButton::clicked, this, &CasesPage::newCase);
    connect(open, &QPushButton::clicked, this, [this] { if (std::int64_t id = selectedCase()) openCase(id); });
    connect(table_, &QTableWidget::cellDoubleClicked, this, [this] { if (std::int64_t id = selectedCase()) openCase(id); });
    connect(search_, &QPushButton::clicked, this, [this] {
        const int row = table_->currentRow();
        startSearch(row >= 0 ? table_->item(row, 0)->text() : QString());
    });
}

void CasesPage::refresh() {
    if (!context_.signedIn()) table_->setRowCount(0);
    const cases::CaseFilter filter{filter_->text().trimmed().toStdString(), std::nullopt, std::nullopt};
    readStore(context_, this, message_, [filter](CoreServices& s) { return s.cases().listCases(filter); },
              [this](const std::vector<cases::CaseRecord>& listed) {
                  fillTable(table_, listed, [](const cases::CaseRecord& c) {
                      return std::pair(c.id, QStringList{qs(c.caseNumber), qs(c.offence),
                                                         c.assignedOfficer ? qs(c.assignedOfficer->displayName) : QString(),
                                                         qs(c.status), qs(c.createdBy.displayName), localTime(c.createdAt)});
                  });
                  emit refreshed();
              });
}

std::int64_t CasesPage::selectedCase() const { return rowId(table_); }

QString CasesPage::selectedCaseNumber() const {
    const QTableWidgetItem* number = selectedCase() ? table_->item(table_->currentRow(), 0) : nullptr;
    return number ? number->text() : QString();
}

void CasesPage::focusFilter() { filter_->setFocus(); filter_->selectAll(); }

void CasesPage::newCase() {
    if (!context_.signedIn()) return;
    context_.store().run(this, [](CoreServices& s) { return caseOfficers(s); },
                         [this](const Result<std::vector<accounts::User>>& listed) {
                             // None when refused: the core says why on Create.
                             showNewCaseDialog(caseOfficerChoices(listed ? *listed : std::vector<accounts::User>{},
                                                                  context_.user().id));
                         });
}

void CasesPage::showNewCaseDialog(const CaseOfficerChoices& officers) {
    NewCaseDialog dialog(officers, [this](const cases::NewCase& value, const Answer& answer) {
        context_.store().run(&context_, [value](CoreServices& s) { return s.cases().createCase(value); },
                             [answer](Result<cases::CaseRecord> created) {
                                 answer(created ? std::nullopt : std::optional(qs(created.error().message)));
                             });
    }, this);
    if (dialog.exec() == QDialog::Accepted) window_.refreshPages();
}

void CasesPage::followActions(QAction& newCase, QAction& newSearch) {
    for (auto [button, action] : {std::pair{newCase_, &newCase}, std::pair{search_, &newSearch}}) {
        const auto follow = [button, action] {
            button->setEnabled(action->isEnabled());
            button->setToolTip(action->isEnabled() ? QString() : action->toolTip());
        };
        connect(action, &QAction::changed, this, follow);
        follow();
    }
}

void CasesPage::startSearch(const QString& caseNumber) {
    if (!context_.signedIn()) return;
    // Say at once when the account may not search (VI.D.2: approval, training, role), rather than after
    // five pages. The core checks the same gate again when the search runs.
    context_.store().run(this, [](CoreServices& s) { return s.cases().searchGate(); },
                         [this, caseNumber](auto gate) {
                             if (!gate) QMessageBox::warning(&window_, tr("You cannot search yet"), qs(gate.error().message));
                             else runWizard(caseNumber);
                         });
}

void CasesPage::runWizard(const QString& caseNumber, const std::optional<SearchDraft>& copyOf) {
    SearchWizard wizard(context_, caseNumber, &window_);
    if (copyOf) wizard.prefill(*copyOf);
    const int outcome = wizard.exec();
    if (wizard.searchId()) {
        window_.refreshPages();
        if (outcome == QDialog::Accepted) window_.openResults(*wizard.searchId());
    }
    if (wizard.copyRequested())  // the stored search stays as it is; the copy is a new, editable search
        QTimer::singleShot(0, this, [this, caseNumber, copy = wizard.copy()] { runWizard(caseNumber, copy); });
}

void CasesPage::openCase(std::int64_t caseId) {
    // One window per case: opening it again brings it forward (trial 78 F10: six windows of one case).
    for (CaseWindow* open : window_.findChildren<CaseWindow*>())
        if (open->caseId() == caseId) {
            open->raise();
            open->activateWindow();
            return;
        }
    auto* view = new CaseWindow(context_, caseId, &window_);
    connect(view, &CaseWindow::newSearchRequested, &window_, [this](const QString& number) { window_.newSearch(number); });
    connect(view, &CaseWindow::searchOpened, &window_, &MainWindow::openResults);
    view->show();
}

// --------------------------------------------------------------------------------------------- searches

SearchesPage::SearchesPage(AppContext& context, MainWindow& window)
    : WorkstationPage(context, window),
      table_(makeTable({tr("Search"), tr("Case"), tr("Purpose"), tr("Run at"), tr("Candidates")}, tr("My searches"), this)),
      message_(messageLabel(this)) {
    auto* open = new QPushButton(tr("Open results"), this);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(table_, 1);
    auto* row = new QHBoxLayout;
    row->addWidget(open);
    row->addStretch();
    layout->addLayout(row);
    layout->addWidget(message_);
    connect(open, &QPushButton::clicked, this, [this] { if (std::int64_t id = rowId(table_)) openResults(id); });
    connect(table_, &QTableWidget::cellDoubleClicked, this, [this] { if (std::int64_t id = rowId(table_)) openResults(id); });
}

void SearchesPage::refresh() {
    if (!context_.signedIn()) table_->setRowCount(0);
    readStore(context_, this, message_, [](CoreServices& s) { return s.cases().mySearches(); },
              [this](const std::vector<cases::SearchSummary>& listed) {
                  fillTable(table_, listed, [](const cases::SearchSummary& s) {
                      return std::pair(s.searchId, QStringList{QString::number(s.searchId), qs(s.caseNumber), purposeText(s.purposeCode),
                                                               localTime(s.runAt), QString::number(s.candidateCount)});
                  });
                  emit refreshed();
              });
}

void SearchesPage::openResults(std::int64_t searchId) { window_.openResults(searchId); }

// ------------------------------------------------------------------------------------ second approver

ApprovalsPage::ApprovalsPage(AppContext& context, MainWindow& window)
    : WorkstationPage(context, window),
      table_(makeTable({tr("Approval"), tr("Case"), tr("Offence"), tr("Purpose"), tr("Justification"), tr("Asked by"),
                        tr("Asked")},
                       tr("Searches waiting for my approval"), this)),
      approve_(new QPushButton(tr("Approve search…"), this)),
      message_(messageLabel(this)) {
    layOutWorkList(this,
                   tr("The agency's rule pack asks a supervisor to approve searches for these purposes before they "
                      "run. Read the justification; once approved, the requester may run that search once. You "
                      "cannot approve your own."),
                   table_, approve_, message_);
    connect(approve_, &QPushButton::clicked, this, &ApprovalsPage::approveSelected);
}

void ApprovalsPage::refresh() {
    if (!context_.signedIn()) table_->setRowCount(0);
    readStore(context_, this, message_, [](CoreServices& s) { return s.cases().approvalsAwaitingMe(); },
              [this](const std::vector<cases::SearchApproval>& listed) {
                  approvals_ = listed;
                  fillTable(table_, listed, [](const cases::SearchApproval& a) {
                      return std::pair(a.id, QStringList{QString::number(a.id), qs(a.caseNumber), qs(a.offence),
                                                         purposeText(std::string(workflow::purposeInfo(a.purpose).code)),
                                                         qs(a.justification), qs(a.requestedBy.displayName),
                                                         localTime(a.requestedAt)});
                  });
                  approve_->setEnabled(!listed.empty());
                  emit refreshed();
              });
}

namespace {

constexpr int kApprovalPictureSide = 300;

// On the store thread: the approval's probe pictures, read back and hash-checked by the core, scaled for the dialog.
Result<std::vector<QImage>> approvalPictures(CoreServices& s, std::int64_t approvalId) {
    auto pictures = s.cases().approvalProbePictures(approvalId);
    if (!pictures) return pictures.error();
    std::vector<QImage> shown;
    for (const imaging::Image& picture : *pictures)
        shown.push_back(toQImage(picture.rgb).scaled(kApprovalPictureSide, kApprovalPictureSide, Qt::KeepAspectRatio,
                                                     Qt::SmoothTransformation));
    return shown;
}

}  // namespace

void ApprovalsPage::approveSelected() {
    const std::int64_t approvalId = rowId(table_);
    const auto listed = std::find_if(approvals_.begin(), approvals_.end(),
                                     [approvalId](const cases::SearchApproval& a) { return a.id == approvalId; });
    if (listed == approvals_.end()) return;
    context_.store().run(this, [approvalId](CoreServices& s) { return approvalPictures(s, approvalId); },
                         [this, approval = *listed](const Result<std::vector<QImage>>& pictures) {
                             if (!pictures) {
                                 message_->setText(qs(pictures.error().message));
                                 return;
                             }
                             ApprovalDialog dialog(approval, *pictures, this);
                             if (dialog.exec() == QDialog::Accepted) approve(approval.id);
                         });
}

void ApprovalsPage::approve(std::int64_t approvalId) {
    context_.store().run(this, [approvalId](CoreServices& s) { return s.cases().approveSearch(approvalId); },
                         [this](Result<cases::SearchApproval> approved) {
                             if (!approved) {
                                 message_->setText(qs(approved.error().message));
                                 return;
                             }
                             message_->setText(tr("Approved and audited: the requester may now search these probes, once."));
                             refresh();
                         });
}

ApprovalDialog::ApprovalDialog(const cases::SearchApproval& approval, const std::vector<QImage>& pictures,
                               QWidget* parent)
    : QDialog(parent) {
    setObjectName(QStringLiteral("approvalDialog"));
    setWindowTitle(tr("Approve search %1").arg(approval.id));
    auto* layout = new QVBoxLayout(this);
    auto* request = new QLabel(
        tr("Case %1, %2, offence \"%3\".\nAsked by %4, %5.\nJustification: %6")
            .arg(qs(approval.caseNumber), purposeText(std::string(workflow::purposeInfo(approval.purpose).code)),
                 qs(approval.offence), qs(approval.requestedBy.displayName), localTime(approval.requestedAt),
                 qs(approval.justification)),
        this);
    request->setWordWrap(true);
    layout->addWidget(request);
    auto* covers = new QLabel(tr("You approve a search of these probe images, and of no other: a search with any other "
                                 "image needs its own approval."),
                              this);
    covers->setWordWrap(true);
    layout->addWidget(covers);
    // Up to kMaxProbes pictures, three a row, scrolled: the dialog fits a 1366x768 screen.
    auto* probesArea = new QWidget(this);
    auto* probes = new QGridLayout(probesArea);
    for (std::size_t i = 0; i < approval.probes.size(); ++i) {
        const cases::ApprovalProbe& probe = approval.probes[i];
        auto* column = new QVBoxLayout;
        auto* picture = new QLabel(this);
        picture->setObjectName(QStringLiteral("approvalProbePicture"));
        if (i < pictures.size()) picture->setPixmap(QPixmap::fromImage(pictures[i]));
        picture->setAccessibleName(tr("Probe %1 as stored").arg(i + 1));
        auto* caption = new QLabel(tr("Probe %1: %2%3\nSHA-256 %4")
                                       .arg(i + 1)
                                       .arg(probe.fileName.empty() ? tr("(no file name)") : qs(probe.fileName))
                                       .arg(probe.videoFrame ? tr(", frame %1").arg(*probe.videoFrame) : QString())
                                       .arg(qs(probe.sha256)),
                                   this);
        caption->setObjectName(QStringLiteral("approvalProbeCaption"));
        caption->setWordWrap(true);
        caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
        column->addWidget(picture);
        column->addWidget(caption);
        column->addStretch();
        probes->addLayout(column, int(i / 3), int(i % 3));
    }
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(probesArea);
    scroll->setWidgetResizable(true);
    scroll->setMinimumHeight(std::min(kApprovalPictureSide + 80, 520));
    layout->addWidget(scroll, 1);
    auto* buttons = new QDialogButtonBox(this);
    buttons->addButton(tr("Approve search"), QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

// ------------------------------------------------------------------------------- examiners who disagree

DisagreementsPage::DisagreementsPage(AppContext& context, MainWindow& window)
    : WorkstationPage(context, window),
      model_(new DisagreementModel(this)),
      view_(new QTableView(this)),
      resolve_(new QPushButton(tr("Resolve disagreement…"), this)),
      message_(messageLabel(this)) {
    view_->setModel(model_);
    makeWorkListView(view_, tr("Disagreements waiting for me"));
    view_->setWordWrap(false);
    layOutWorkList(this,
                   tr("Two trained examiners reached conclusions that disagree on these candidates. "
                      "The lead cannot move until a supervisor who examined neither side compares the original probe "
                      "with the candidate and records a conclusion with its basis."),
                   view_, resolve_, message_);
    connect(resolve_, &QPushButton::clicked, this, &DisagreementsPage::resolveSelected);
    connect(view_, &QTableView::doubleClicked, this, &DisagreementsPage::resolveSelected);
}

void DisagreementsPage::refresh() {
    if (!context_.signedIn()) model_->setDisagreements({});
    readStore(context_, this, message_, [](CoreServices& s) { return s.cases().disagreementsAwaitingMe(); },
              [this](std::vector<cases::DisagreementSummary> listed) {
                  const bool any = !listed.empty();
                  model_->setDisagreements(std::move(listed));
                  view_->resizeColumnsToContents();
                  if (any) view_->selectRow(0);
                  resolve_->setEnabled(any);
                  emit refreshed();
              });
}

void DisagreementsPage::resolveSelected() {
    const QModelIndexList rows = view_->selectionModel()->selectedRows();
    if (rows.isEmpty()) return;
    const cases::DisagreementSummary disagreement = model_->disagreement(rows.front().row());  // a refresh may reset the model
    // Once the core accepted it, the queue is read again: the settled candidate leaves it.
    resolveDisagreement(context_, this, disagreement, [this] { window_.refreshPages(); });
}

// ------------------------------------------------------------------------------- independent verification

VerificationsPage::VerificationsPage(AppContext& context, MainWindow& window)
    : WorkstationPage(context, window),
      table_(makeTable({tr("Candidate"), tr("Case"), tr("Examined")}, tr("Verifications waiting for me"), this)),
      verify_(new QPushButton(tr("Verify…"), this)),
      message_(messageLabel(this)) {
    layOutWorkList(this,
                   tr("Candidates another examiner has examined, waiting for your independent verification. You get "
                      "the original probe and the candidate's photo only: not the case file, the lead or the first "
                      "examiner's conclusion, rank or score. Only examiners who do not work the case and have not "
                      "read it since the examination see a candidate here (issue 11)."),
                   table_, verify_, message_);
    verify_->setEnabled(false);
    connect(verify_, &QPushButton::clicked, this, &VerificationsPage::verifySelected);
    connect(table_, &QTableWidget::cellDoubleClicked, this, &VerificationsPage::verifySelected);
}

void VerificationsPage::refresh() {
    if (!context_.signedIn()) table_->setRowCount(0);
    readStore(context_, this, message_,
              [](CoreServices& s) { return cases::VerificationQueue(s.session(), s.cases().settings()).awaitingMe(); },
              [this](const std::vector<cases::VerificationTask>& tasks) {
                  fillTable(table_, tasks, [](const cases::VerificationTask& task) {
                      return std::pair{task.candidateId, QStringList{QString::number(task.candidateId),
                                                                     qs(task.caseNumber), localTime(task.examinedAt)}};
                  });
                  if (!tasks.empty()) table_->selectRow(0);
                  verify_->setEnabled(!tasks.empty());
                  emit refreshed();
              });
}

void VerificationsPage::verifySelected() {
    const std::int64_t candidateId = rowId(table_);
    if (candidateId == 0) return;
    const QString label = tr("candidate %1 of case %2").arg(candidateId).arg(table_->item(table_->currentRow(), 1)->text());
    // Once the core accepted it, the queue is read again: the verified candidate leaves it.
    verifyCandidate(context_, this, candidateId, label, [this] { window_.refreshPages(); });
}

// ------------------------------------------------------------------------------------------- retention

namespace {

// "probe images after 1095 days", or that the pack sets no review date for them (a period of 0).
QString periodText(int days, const QString& what) {
    return days > 0 ? RetentionPage::tr("%1 after %2 days").arg(what).arg(days)
                    : RetentionPage::tr("%1: no review date").arg(what);
}

// The day the store's clock is on (UTC, as the core compares a keep date with it).
QDate storeToday(const AppContext& context) {
    return QDate::fromString(QString::fromStdString(toIsoUtc(context.clock()->now()).substr(0, 10)), Qt::ISODate);
}

}  // namespace

RetentionPage::RetentionPage(AppContext& context, MainWindow& window)
    : WorkstationPage(context, window),
      model_(new RetentionModel(this)),
      view_(new QTableView(this)),
      periods_(new QLabel(this)),
      decide_(new QPushButton(tr("Decide…"), this)),
      message_(messageLabel(this)) {
    view_->setModel(model_);
    makeWorkListView(view_, tr("Records past their retention period"));
    view_->setWordWrap(false);
    periods_->setObjectName(QStringLiteral("retentionPeriods"));
    periods_->setWordWrap(true);
    layOutWorkList(this,
                   tr("Probe images and search records older than the agency's rule pack keeps them. Decide for each "
                      "whether it is kept until a later day or purged, with your reason (SOP 302.02 VI.B.6; audited). "
                      "A purge is recorded, not carried out: FaceLead deletes no original image (VI.B.2), search "
                      "record or audit entry."),
                   view_, decide_, message_);
    static_cast<QVBoxLayout*>(layout())->insertWidget(1, periods_);
    decide_->setEnabled(false);
    connect(decide_, &QPushButton::clicked, this, &RetentionPage::decideSelected);
    connect(view_, &QTableView::doubleClicked, this, &RetentionPage::decideSelected);
}

void RetentionPage::showEvent(QShowEvent* event) {
    WorkstationPage::showEvent(event);
    if (!event->spontaneous()) refresh();  // the tab came into view (not the window restored)
}

void RetentionPage::refresh() {
    if (!context_.signedIn()) {
        model_->setReview({});
        periods_->clear();
        decide_->setEnabled(false);
        return;
    }
    if (!isVisible()) return;  // each read is an audited review: none for a tab nobody looks at
    // Shown for a moment to the next user in the same window, before their tabs are set (trial 40 F16: a refusal was
    // audited in the name of an investigator who never asked): the review is read only for whoever may make it.
    if (!workflow::mayPerform(context_.user().roles, requiredAction())) return;
    readStore(context_, this, message_, [](CoreServices& s) { return reports::reviewRetention(s.session()); },
              [this](const reports::RetentionReview& review) {
                  periods_->setText(tr("Rule pack: %1 (%2). Review %3; %4.")
                                        .arg(qs(review.pack), qs(review.citation),
                                             periodText(review.probeDays, tr("probe images")),
                                             periodText(review.searchRecordDays, tr("search records"))));
                  model_->setReview(review);
                  // The reason takes what is left (its whole text in the tool tip): no sideways scroll at 1366x768.
                  for (int column = 0; column < RetentionModel::Reason; ++column) view_->resizeColumnToContents(column);
                  const bool any = model_->rowCount() > 0;
                  if (any) view_->selectRow(0);
                  decide_->setEnabled(any);
                  emit refreshed();
              });
}

void RetentionPage::decideSelected() {
    const QModelIndexList rows = view_->selectionModel()->selectedRows();
    if (rows.isEmpty()) return;
    const RetentionModel::Row row = model_->row(rows.front().row());  // a refresh may reset the model
    auto attempt = [this, kind = row.kind, id = row.item.id](const RetentionDecisionValue& value, const Answer& answer) {
        const reports::RetentionDecisionRequest request{kind, id, value.decision, value.reason.toStdString(),
                                                        value.keepUntil.toStdString()};
        context_.store().run(this, [request](CoreServices& s) { return reports::decideRetention(s.session(), request); },
                             [answer](const Result<reports::RetentionDecision>& decided) {
                                 answer(decided ? std::nullopt : std::optional(qs(decided.error().message)));
                             });
    };
    RetentionDecisionDialog dialog(RetentionModel::itemText(row), storeToday(context_), attempt, this);
    // What is shown is what the store holds: the list is read again, not patched with the dialog's values.
    if (dialog.exec() == QDialog::Accepted) refresh();
}

// ------------------------------------------------------------------------------------ follow-up, review

LeadsPage::LeadsPage(Kind kind, AppContext& context, MainWindow& window)
    : WorkstationPage(context, window),
      kind_(kind),
      table_(makeTable({tr("Lead"), tr("Case"), tr("Subject"), tr("Status"), tr("Updated"), tr("Follow-up by")},
                       kind == Kind::FollowUp ? tr("Leads awaiting my follow-up") : tr("Reviews awaiting me"), this)),
      actButton_(new QPushButton(kind == Kind::FollowUp ? tr("Record follow-up…") : tr("Review follow-up…"), this)),
      message_(messageLabel(this)) {
    layOutWorkList(this,
                   kind == Kind::FollowUp
                       ? tr("Possible leads in cases assigned to you. Record what you did to corroborate or refute "
                            "each one (SOP 302.02 VI.B.3).")
                       : tr("Follow-ups recorded by officers. Confirm the investigative follow-up before any action "
                            "is taken (SOP 302.02 VI.C.1). You cannot review your own."),
                   table_, actButton_, message_);
    connect(actButton_, &QPushButton::clicked, this, &LeadsPage::act);
    connect(table_, &QTableWidget::cellDoubleClicked, this, &LeadsPage::act);
}

QString LeadsPage::title() const {
    return kind_ == Kind::FollowUp ? tr("Awaiting my follow-up") : tr("Reviews awaiting me");
}

workflow::Action LeadsPage::requiredAction() const {
    return kind_ == Kind::FollowUp ? workflow::Action::RecordFollowUp : workflow::Action::ReviewFollowUp;
}

void LeadsPage::refresh() {
    if (!context_.signedIn()) table_->setRowCount(0);
    readStore(context_, this, message_, [kind = kind_](CoreServices& s) {
        return kind == Kind::FollowUp ? s.cases().leadsAwaitingMyFollowUp() : s.cases().reviewsAwaitingMe();
    }, [this](const std::vector<cases::LeadSummary>& listed) {
        fillTable(table_, listed, [](const cases::LeadSummary& l) {
            return std::pair(l.candidateId, QStringList{QString::number(l.leadId), qs(l.caseNumber), qs(l.subjectName), leadStatusText(l.status), localTime(l.updatedAt),
                                                        l.followUpBy ? qs(l.followUpBy->displayName) : QString()});
        });
        // The case of each row, for the follow-up's and the review's look-up of the lead's search.
        for (int row = 0; row < table_->rowCount(); ++row)
            for (const cases::LeadSummary& l : listed)
                if (table_->item(row, 0)->data(Qt::UserRole).toLongLong() == l.candidateId)
                    table_->item(row, 1)->setData(Qt::UserRole, qlonglong(l.caseId));
        actButton_->setEnabled(!listed.empty());
        emit refreshed();
    });
}

void LeadsPage::act() {
    const int row = table_->currentRow();
    const std::int64_t candidateId = rowId(table_);
    if (!candidateId) return;
    const QString label = tr("case %1, lead %2, %3").arg(table_->item(row, 1)->text(), table_->item(row, 0)->text(),
                                                         table_->item(row, 2)->text());
    const LeadPlace place{std::nullopt, table_->item(row, 1)->data(Qt::UserRole).toLongLong()};
    if (kind_ == Kind::Review) {
        reviewFollowUp(context_, this, candidateId, label, place, [this] { window_.refreshPages(); });
        return;
    }
    recordFollowUp(context_, this, candidateId, label, place, [this] { window_.refreshPages(); });
}

// ---------------------------------------------------------------------------------------------- gallery

GalleryPage::GalleryPage(AppContext& context, MainWindow& window)
    : WorkstationPage(context, window),
      filter_(new QLineEdit(this)),
      subjects_(makeTable({tr("Subject"), tr("Date of birth"), tr("Source"), tr("Record"), tr("Faces"), tr("Enrolled")},
                          tr("Gallery subjects"), this)),
      faces_(new QListWidget(this)),
      remove_(new QPushButton(tr("Remove from gallery…"), this)),
      duplicates_(new QPushButton(tr("Check for &duplicates (VI.A.5)…"), this)),
      message_(messageLabel(this)) {
    filter_->setPlaceholderText(tr("Filter subjects by name…"));
    filter_->setAccessibleName(tr("Filter gallery subjects"));
    filter_->setClearButtonEnabled(true);
    faces_->setViewMode(QListView::IconMode);
    faces_->setIconSize(QSize(120, 120));
    faces_->setAccessibleName(tr("Enrolled photos of the subject"));
    faces_->setMinimumHeight(150);
    auto* folder = new QPushButton(tr("Enrol from folder…"), this);
    auto* csv = new QPushButton(tr("Enrol from CSV list…"), this);
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    top->addWidget(filter_, 1);
    top->addWidget(folder);
    top->addWidget(csv);
    top->addWidget(remove_);
    top->addWidget(duplicates_);
    layout->addLayout(top);
    duplicates_->setToolTip(tr("The DL/ID fraud check (SOP 302.02 VI.A.5): one face under several identities, and the "
                               "same photo under several names, for review (audited)."));
    remove_->setToolTip(tr("Take a wrongly enrolled subject out of the gallery, with the reason (audited). "
                           "Past searches keep showing it as it was."));
    remove_->setEnabled(false);
    duplicates_->setEnabled(false);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(subjects_);
    splitter->addWidget(faces_);
    splitter->setStretchFactor(0, 3);
    layout->addWidget(splitter, 1);
    layout->addWidget(message_);
    connect(folder, &QPushButton::clicked, this, &GalleryPage::enrolFromFolder);
    connect(csv, &QPushButton::clicked, this, &GalleryPage::enrolFromCsv);
    connect(filter_, &QLineEdit::textChanged, this, [this](const QString& text) {
        for (int row = 0; row < subjects_->rowCount(); ++row)
            subjects_->setRowHidden(row, !subjects_->item(row, 0)->text().contains(text, Qt::CaseInsensitive));
    });
    connect(subjects_, &QTableWidget::itemSelectionChanged, this, &GalleryPage::showSubjectFaces);
    connect(subjects_, &QTableWidget::itemSelectionChanged, this, &GalleryPage::updateRemoveButton);
    connect(remove_, &QPushButton::clicked, this, &GalleryPage::removeSelectedSubject);
    connect(duplicates_, &QPushButton::clicked, this, &GalleryPage::openDuplicates);
}

void GalleryPage::refresh() {
    if (!context_.signedIn()) {
        subjects_->setRowCount(0);
        faces_->clear();
    }
    updateRemoveButton();
    // Only while the subjects' removals are as signed (trial 22A F5: a removal written into the table hid a subject).
    readStore(context_, this, message_,
              [](CoreServices& s) -> Result<std::vector<gallery::Subject>> {
                  FACELEAD_TRY(gallery::checkRemovalsSigned(s.store(), s.session().ledger(), "The gallery is not listed."));
                  return s.gallery().listSubjects(s.store());
              },
              [this](const std::vector<gallery::Subject>& listed) {
                  faces_->clear();
                  fillTable(subjects_, listed, [](const gallery::Subject& s) {
                      return std::pair(s.id, QStringList{qs(s.fields.name), qs(s.fields.dateOfBirth.value_or("")),
                                                         qs(s.fields.source), qs(s.fields.recordId.value_or("")),
                                                         QString::number(s.faceCount), localTime(s.createdAt)});
                  });
                  // The face count reads as a number: right-aligned like the results' Distance and Score, and
                  // sorted by value (trial 10).
                  constexpr int kFacesColumn = 4;
                  subjects_->setSortingEnabled(false);
                  for (int row = 0; row < subjects_->rowCount(); ++row) {
                      QTableWidgetItem* faces = subjects_->item(row, kFacesColumn);
                      faces->setData(Qt::DisplayRole, faces->text().toInt());
                      faces->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                  }
                  subjects_->setSortingEnabled(true);
                  updateRemoveButton();
                  emit refreshed();
              });
}

void GalleryPage::showSubjectFaces() {
    faces_->clear();
    const std::int64_t subjectId = rowId(subjects_);
    if (!subjectId) return;
    struct Thumbnail {
        std::string sourcePath;
        QImage image;
    };
    // Read, decoded and scaled on the store thread; only the icons are made here.
    context_.store().run(this, [subjectId](CoreServices& s) -> Result<std::vector<Thumbnail>> {
        FACELEAD_TRY(gallery::checkRemovalsSigned(s.store(), s.session().ledger(), "The gallery is not listed."));
        auto faces = s.gallery().listFaces(s.store(), subjectId);
        if (!faces) return faces.error();
        std::vector<Thumbnail> thumbnails;
        for (const gallery::GalleryFace& f : faces.value()) {
            auto bytes = s.gallery().faceImage(s.store(), f.id, s.user().id);
            if (!bytes) continue;
            auto image = imaging::decodeBytes(bytes.value());
            if (!image) continue;
            thumbnails.push_back({f.sourcePath, toQImage(image->rgb).scaled(120, 120, Qt::KeepAspectRatio, Qt::SmoothTransformation)});
        }
        return thumbnails;
    }, [this, subjectId](Result<std::vector<Thumbnail>> thumbnails) {
        if (!thumbnails || rowId(subjects_) != subjectId) return;
        faces_->clear();
        for (const Thumbnail& t : thumbnails.value()) {
            auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(t.image)),
                                             QString::fromStdString(std::filesystem::path(t.sourcePath).filename().string()));
            item->setToolTip(QString::fromStdString(t.sourcePath));
            faces_->addItem(item);
        }
    });
}

void GalleryPage::updateRemoveButton() {
    // The core decides (ManageGallery, the role table); the buttons only mirror it for the signed-in user.
    const bool manages = context_.signedIn() && workflow::mayPerform(context_.user().roles, workflow::Action::ManageGallery);
    remove_->setEnabled(manages && rowId(subjects_) != 0);
    duplicates_->setEnabled(manages);
}

DuplicatesDialog* GalleryPage::openDuplicates() {
    if (!duplicates_->isEnabled()) return nullptr;
    auto* dialog = new DuplicatesDialog(context_, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();  // window-modal, and returns at once: no nested event loop
    return dialog;
}

namespace {

// Asks why the subject is removed, without a nested event loop: removeWith(reason) runs when the user
// confirms. Remove stays disabled while the reason is blank (the core refuses a blank reason too).
void askRemovalReason(QWidget* parent, const QString& subjectText, std::function<void(QString)> removeWith) {
    auto* dialog = new QDialog(parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("removeSubjectDialog"));
    dialog->setWindowTitle(QObject::tr("Remove from the gallery"));
    auto* text = new QLabel(QObject::tr("Remove <b>%1</b> from the gallery? It will no longer be a candidate in any "
                                        "search. Past searches and case reports keep showing it as it was shown.")
                                .arg(subjectText.toHtmlEscaped()),
                            dialog);
    text->setWordWrap(true);
    auto* reason = new QPlainTextEdit(dialog);
    reason->setAccessibleName(QObject::tr("Reason for the removal"));
    reason->setPlaceholderText(QObject::tr("Why was it enrolled wrongly? e.g. wrong name, another person's photo"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    QPushButton* confirm = buttons->button(QDialogButtonBox::Ok);
    confirm->setText(QObject::tr("Remove"));
    confirm->setEnabled(false);
    auto* reasonLabel = new QLabel(QObject::tr("&Reason (kept in the audit log):"), dialog);
    reasonLabel->setBuddy(reason);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(text);
    layout->addWidget(reasonLabel);
    layout->addWidget(reason);
    layout->addWidget(buttons);
    QObject::connect(reason, &QPlainTextEdit::textChanged, dialog,
                     [reason, confirm] { confirm->setEnabled(!reason->toPlainText().trimmed().isEmpty()); });
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    QObject::connect(buttons, &QDialogButtonBox::accepted, dialog, [dialog, reason, removeWith = std::move(removeWith)] {
        removeWith(reason->toPlainText());
        dialog->accept();
    });
    dialog->resize(520, 280);
    dialog->open();
}

}  // namespace

void GalleryPage::removeSelectedSubject() {
    const std::int64_t subjectId = rowId(subjects_);
    if (!subjectId) return;
    const QString name = subjects_->item(subjects_->currentRow(), 0)->text();
    askRemovalReason(this, tr("%1 (subject %2)").arg(name).arg(subjectId),
                     [this, subjectId](const QString& reason) { removeSubject(subjectId, reason); });
}

void GalleryPage::removeSubject(std::int64_t subjectId, const QString& reason) {
    // Through the facade: it checks the role, audits a refusal and drops the subject from the 1:N index.
    context_.store().run(this, [subjectId, reason = reason.toStdString()](CoreServices& s) {
        return gallery::GalleryService(s.session(), s.gallery()).removeSubject(subjectId, reason);
    }, [this](Result<gallery::RemovedSubject> removed) {
        if (!removed) {
            message_->setText(qs(removed.error().message));
            return;
        }
        refresh();  // the list as the store has it now, without the removed subject
    });
}

void GalleryPage::enrolFromFolder() {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder of photos to enrol (one sub-folder per person)"));
    if (folder.isEmpty()) return;
    auto items = readItems(folder, folder.toStdString(), false);
    if (!items) return;
    // Where the identities come from is recorded with each subject, as the CLI's --source: asked, never guessed
    // (a CSV list has its own column). The core checks it (gallery::setSource); an answer it refuses is asked
    // again with its reason, the folder kept (trial 12: a blank answer dropped the whole enrolment).
    const QString question = tr("Where do the photos and names in %1 come from? e.g. “Booking photos, county jail, "
                                "2019–2024”.\nRecorded with each subject and shown with every candidate.")
                                 .arg(QDir::toNativeSeparators(folder));
    QString answer;
    QString refusal;
    while (true) {
        bool ok = false;
        answer = QInputDialog::getText(this, tr("Source of the photos"),
                                       refusal.isEmpty() ? question : tr("%1\n\n%2").arg(refusal, question),
                                       QLineEdit::Normal, answer, &ok);
        if (!ok) return;  // cancelled: nothing is enrolled
        const auto named = gallery::setSource(*items, answer.toStdString());
        if (named) break;
        refusal = qs(named.error().message);
    }
    enrol(std::move(*items));
}

void GalleryPage::enrolFromCsv() {
    const QString file = QFileDialog::getOpenFileName(this, tr("CSV list of photos to enrol"), QString(),
                                                      tr("CSV (*.csv);;All files (*)"));
    if (file.isEmpty()) return;
    if (auto items = readItems(file, file.toStdString(), true)) enrol(std::move(*items));
}

std::optional<std::vector<gallery::EnrolItem>> GalleryPage::readItems(const QString& what, const std::filesystem::path& input,
                                                                       bool csv) {
    if (!context_.signedIn() || !context_.engine()) {
        QMessageBox::warning(this, tr("Enrolment"), context_.engineStatusText());
        return std::nullopt;
    }
    auto items = csv ? gallery::itemsFromCsv(input) : gallery::itemsFromFolder(input);
    if (!items) {
        QMessageBox::warning(this, tr("Enrolment"), qs(items.error().message));
        return std::nullopt;
    }
    if (items->empty()) {
        QMessageBox::information(this, tr("Enrolment"), tr("No photos were found in %1.").arg(what));
        return std::nullopt;
    }
    return std::move(items.value());
}

void GalleryPage::enrol(std::vector<gallery::EnrolItem> items) {
    const face::FaceEngine* engine = context_.engine();
    if (!context_.signedIn() || !engine) return;
    // Counted before the list moves into the job (trial 10 saw "Enrolling 0 photos…" for 15 files).
    const QString title = tr("Enrolling %1…").arg(accountability::counted(qsizetype(items.size()), "photo", "photos"));
    // The store is written as enrolment goes (one transaction per chunk), on the store thread.
    runWithProgress(this, context_, title,
                    [engine, list = std::move(items)](CoreServices& s, const JobProgress& progress) {
                        gallery::EnrolOptions options;
                        options.cancel = progress.cancelFlag();
                        options.progress = [&progress](std::size_t done, std::size_t total) {
                            progress.report(int(done), int(total), {});
                        };
                        return s.gallery().enrol(s.store(), *engine, s.galleryActor(), list, options);
                    },
                    [this](Result<gallery::EnrolReport> report) { showEnrolReport(report); });
}

void GalleryPage::showEnrolReport(const Result<gallery::EnrolReport>& report) {
    refresh();
    if (!report) {
        QMessageBox::warning(this, tr("Enrolment"), qs(report.error().message));
        return;
    }
    QStringList problems;
    QStringList conflicts;
    for (const gallery::EnrolFileResult& file : report->files) {
        if (file.outcome == gallery::EnrolOutcome::Enrolled || file.outcome == gallery::EnrolOutcome::Cancelled) continue;
        const QString line = QStringLiteral("%1: %2").arg(qs(file.file.filename().string()), qs(file.message));
        problems << line;
        if (file.identityConflict) conflicts << QStringLiteral("• ") + line;
    }
    using O = gallery::EnrolOutcome;
    const auto count = [&report](O outcome) { return qsizetype(report->count(outcome)); };
    // Every file not cancelled is counted once, so the counts add up to what was read (trial 12: an identity
    // conflict was in none of them and the summary read "0 photos enrolled, … 0 failed").
    QString summary = tr("%1 enrolled, %2 without a face, %3 with several faces, %4 failed, %5 damaged, %6%7%8.")
                          .arg(accountability::counted(count(O::Enrolled), "photo", "photos"))
                          .arg(count(O::NoFace))
                          .arg(count(O::SeveralFaces))
                          .arg(count(O::Failed))
                          .arg(count(O::Damaged))
                          .arg(accountability::counted(count(O::Duplicate), "duplicate", "duplicates"),
                               conflicts.isEmpty() ? QString()
                                                   : tr(" (%1)").arg(accountability::counted(conflicts.size(), "identity conflict",
                                                                                             "identity conflicts")),
                               report->cancelled ? tr(" — cancelled; completed chunks were kept") : QString());
    if (!conflicts.isEmpty())
        summary += tr("\n\nIDENTITY CONFLICT — not enrolled; review which identity is right (SOP VI.A.5):\n%1")
                       .arg(conflicts.join(QLatin1Char('\n')));
    auto* box = new QMessageBox(conflicts.isEmpty() ? QMessageBox::Information : QMessageBox::Warning,
                                tr("Enrolment finished"), summary, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("enrolReport"));
    if (!problems.isEmpty()) {
        box->setDetailedText(problems.join(QLatin1Char('\n')));
        // Room for a dozen files, not five (trial 12); longer lists scroll.
        if (auto* details = box->findChild<QTextEdit*>())
            details->setMinimumHeight(12 * details->fontMetrics().lineSpacing() + 2 * details->frameWidth() + 8);
    }
    box->open();
}

// ------------------------------------------------------------------------------------------------ pages

std::vector<WorkstationPage*> makePages(AppContext& context, MainWindow& window) {
    return {new CasesPage(context, window), new SearchesPage(context, window),
            new LeadsPage(LeadsPage::Kind::FollowUp, context, window), new LeadsPage(LeadsPage::Kind::Review, context, window),
            new ApprovalsPage(context, window), new VerificationsPage(context, window),
            new DisagreementsPage(context, window), new GalleryPage(context, window),
            new RetentionPage(context, window)};
}

CasesPage* casesPage(const std::vector<WorkstationPage*>& pages) { return static_cast<CasesPage*>(pages.front()); }
GalleryPage* galleryPage(const std::vector<WorkstationPage*>& pages) {
    for (WorkstationPage* page : pages)
        if (auto* gallery = qobject_cast<GalleryPage*>(page)) return gallery;
    return nullptr;
}

}  // namespace facelead::ui
