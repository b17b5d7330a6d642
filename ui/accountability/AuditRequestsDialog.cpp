#include "ui/accountability/AuditRequestsDialog.h"

#include <map>

#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/workflow/Access.h"
#include "ui/widgets/SteadyLabel.h"
#include "ui/workstation/Background.h"
#include "ui/accountability/Common.h"
#include "ui/accountability/PdfRenderer.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/CoreServices.h"

namespace facelead::ui {

// The requests with the names of the people they are about.
struct RequestList {
    std::vector<reports::AuditRequest> requests;
    std::map<std::int64_t, std::string> userNames;
};

using accountability::qs;

namespace {

TimePoint startOfDayUtc(const QDate& date) {
    return TimePoint(std::chrono::milliseconds(QDateTime(date, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch()));
}

}  // namespace

FileAuditRequestDialog::FileAuditRequestDialog(AppContext& context, QWidget* parent)
    : QDialog(parent), context_(context), kind_(new QComboBox(this)), user_(new QComboBox(this)),
      caseNumber_(new QLineEdit(this)), from_(new QDateEdit(this)), to_(new QDateEdit(this)), reason_(new QLineEdit(this)) {
    setWindowTitle(tr("Request an audit (VI.C.2.a)"));
    kind_->addItem(tr("A user's activity"), int(reports::AuditScopeKind::User));
    kind_->addItem(tr("A case"), int(reports::AuditScopeKind::Case));
    kind_->addItem(tr("All activity in a period"), int(reports::AuditScopeKind::Period));
    context_.store().run(this, [](CoreServices& s) { return s.accounts().list(); },
                         [this](const Result<std::vector<accounts::User>>& users) {
                             if (users)
                                 for (const auto& u : *users)
                                     user_->addItem(qs(u.username + " (" + u.displayName + ")"), QVariant::fromValue<qlonglong>(u.id));
                         });
    from_->setDate(QDate::currentDate().addMonths(-3));
    to_->setDate(QDate::currentDate());
    for (auto* edit : {from_, to_}) edit->setCalendarPopup(true);
    auto* form = new QFormLayout(this);
    form->addRow(tr("Scope"), kind_);
    form->addRow(tr("User"), user_);
    form->addRow(tr("Case number"), caseNumber_);
    form->addRow(tr("From"), from_);
    form->addRow(tr("To (inclusive)"), to_);
    form->addRow(tr("Reason"), reason_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
    const auto update = [this] {
        const auto kind = reports::AuditScopeKind(kind_->currentData().toInt());
        user_->setEnabled(kind == reports::AuditScopeKind::User);
        caseNumber_->setEnabled(kind == reports::AuditScopeKind::Case);
    };
    connect(kind_, &QComboBox::currentIndexChanged, this, update);
    update();
}

Result<reports::AuditRequestInput> FileAuditRequestDialog::request() const {
    reports::AuditRequestInput input;
    input.scope.kind = reports::AuditScopeKind(kind_->currentData().toInt());
    input.reason = reason_->text().trimmed().toStdString();
    input.scope.from = startOfDayUtc(from_->date());
    input.scope.to = startOfDayUtc(to_->date().addDays(1));
    if (input.scope.kind == reports::AuditScopeKind::User && user_->currentIndex() >= 0)
        input.scope.userId = user_->currentData().toLongLong();
    return input;
}

std::string FileAuditRequestDialog::caseNumber() const {
    return reports::AuditScopeKind(kind_->currentData().toInt()) == reports::AuditScopeKind::Case
               ? caseNumber_->text().trimmed().toStdString()
               : std::string();
}

AuditRequestsDialog::AuditRequestsDialog(AppContext& context, QWidget* parent)
    : QDialog(parent), context_(context), table_(new QTableWidget(this)), message_(new QLabel(this)) {
    setWindowTitle(tr("Audit requests (SOP 302.02 VI.C.2.a-b)"));
    setObjectName(QStringLiteral("auditRequests"));
    resize(1100, 520);
    auto* layout = new QVBoxLayout(this);
    table_->setColumnCount(8);
    table_->setHorizontalHeaderLabels({tr("#"), tr("Filed"), tr("Requested by"), tr("Scope"), tr("Reason"), tr("Status"),
                                       tr("Run by"), tr("Entries")});
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(table_, 1);
    makeErrorLine(*message_);
    layout->addWidget(message_);

    const workflow::RoleSet roles = context_.signedIn() ? context_.user().roles : workflow::RoleSet{};
    auto* buttons = new QHBoxLayout;
    auto* fileButton = new QPushButton(tr("File a request…"), this);
    fileButton->setEnabled(workflow::mayPerform(roles, workflow::Action::RequestAudit));
    auto* runButton = new QPushButton(tr("Run the selected request"), this);
    runButton->setEnabled(workflow::mayPerform(roles, workflow::Action::RunAudit));
    auto* resultButton = new QPushButton(tr("Show the result…"), this);
    buttons->addWidget(fileButton);
    buttons->addWidget(runButton);
    buttons->addWidget(resultButton);
    buttons->addStretch();
    layout->addLayout(buttons);
    accountability::addScreenMarkings(layout, context_, this);

    connect(fileButton, &QPushButton::clicked, this, [this] {
        FileAuditRequestDialog dialog(context_, this);
        if (dialog.exec() != QDialog::Accepted) return;
        file(dialog.request(), dialog.caseNumber());
    });
    connect(runButton, &QPushButton::clicked, this, [this] { runSelected(); });
    connect(resultButton, &QPushButton::clicked, this, [this] {
        resultOfSelected([this](const Result<reports::AuditRequestResult>& result) {
            if (result) showResult(*result);
        });
    });
    refresh();
}

void AuditRequestsDialog::refresh(std::function<void()> then) {
    context_.store().run(this, [](CoreServices& s) -> Result<RequestList> {
        auto requests = reports::AuditRequests(s.session()).list();
        if (!requests) return requests.error();
        RequestList list{std::move(requests.value()), {}};
        // The person a request is about, by name (not "User #1"); not listed when accounts may not be listed.
        if (auto users = s.accounts().list())
            for (const auto& u : *users) list.userNames.emplace(u.id, u.username + " (" + u.displayName + ")");
        return list;
    }, [this, then](const Result<RequestList>& list) {
        showRequests(list);
        if (then) then();
    });
}

void AuditRequestsDialog::showRequests(const Result<RequestList>& list) {
    table_->setRowCount(0);
    if (!list) {
        message_->setText(qs(list.error().message));
        return;
    }
    const auto* requests = &list->requests;
    const auto scopeText = [&list](const reports::AuditScope& scope) {
        QString text = qs(reports::describe(scope));
        if (scope.kind != reports::AuditScopeKind::User || !scope.userId) return text;
        const auto name = list->userNames.find(*scope.userId);
        if (name == list->userNames.end()) return text;
        return text.replace(QStringLiteral("User #%1").arg(*scope.userId), tr("User %1").arg(qs(name->second)));
    };
    table_->setRowCount(int(requests->size()));
    for (int r = 0; r < int(requests->size()); ++r) {
        const auto& q = (*requests)[std::size_t(r)];
        const bool done = q.status == reports::AuditRequestStatus::Completed;
        const QStringList cells{QString::number(q.id), localTime(q.filedAt), qs(q.requesterName),
                                scopeText(q.scope), qs(q.reason), done ? tr("Completed") : tr("Filed"),
                                done ? qs(q.completedByName) + QStringLiteral(", ") + localTime(q.completedAt)
                                     : QString(),
                                done ? QString::number(q.resultEntryCount) : QString()};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setData(Qt::UserRole, QVariant::fromValue<qlonglong>(q.id));
            table_->setItem(r, c, item);
        }
    }
    table_->resizeColumnsToContents();
    emit refreshed();
}

bool AuditRequestsDialog::selectRequest(std::int64_t id) {
    for (int r = 0; r < table_->rowCount(); ++r)
        if (table_->item(r, 0)->data(Qt::UserRole).toLongLong() == id) {
            table_->selectRow(r);
            return true;
        }
    return false;
}

std::int64_t AuditRequestsDialog::selectedId() const {
    const auto items = table_->selectedItems();
    return items.isEmpty() ? 0 : items.front()->data(Qt::UserRole).toLongLong();
}

void AuditRequestsDialog::file(Result<reports::AuditRequestInput> input, const std::string& caseNumber, Answer answer) {
    context_.store().run(this, [input, caseNumber](CoreServices& s) -> Result<reports::AuditRequest> {
        if (!input) return input.error();
        reports::AuditRequestInput resolved = input.value();
        if (!caseNumber.empty()) {  // the case is given by its number, resolved here
            auto found = s.cases().findCase(caseNumber);
            if (!found) return found.error();
            resolved.scope.caseId = found->id;
        }
        return reports::AuditRequests(s.session()).file(resolved);
    }, [this, answer](const Result<reports::AuditRequest>& filed) { answerWith(filed, answer); });
}

template <typename T>
void AuditRequestsDialog::answerWith(const Result<T>& result, const Answer& answer) {
    const std::optional<QString> problem = result ? std::nullopt : std::optional(qs(result.error().message));
    refresh([this, answer, problem] {
        showRefusal(*message_, problem.value_or(QString()));
        if (answer) answer(problem);
    });
}

void AuditRequestsDialog::runSelected(Answer answer) {
    const auto id = selectedId();
    if (!id) {
        answerWith(Result<bool>(makeError(ErrorCode::InvalidArgument, "Select a request first.")), answer);
        return;
    }
    runWithProgress(this, context_, tr("Running the audit…"),
                    [id](CoreServices& s, const JobProgress&) { return reports::AuditRequests(s.session()).run(id); },
                    [this, answer](const Result<reports::AuditRequest>& run) { answerWith(run, answer); });
}

void AuditRequestsDialog::resultOfSelected(std::function<void(const Result<reports::AuditRequestResult>&)> reply) {
    const auto id = selectedId();
    if (!id) {
        reply(makeError(ErrorCode::InvalidArgument, "Select a request first."));
        return;
    }
    context_.store().run(this, [id](CoreServices& s) { return reports::AuditRequests(s.session()).result(id); },
                         [this, reply](const Result<reports::AuditRequestResult>& result) {
                             message_->setText(result ? QString() : qs(result.error().message));
                             reply(result);
                         });
}

std::optional<QString> AuditRequestsDialog::saveResultPdf(const reports::AuditRequestResult& result, const QString& path) {
    if (!context_.signedIn()) return tr("Nobody is signed in.");
    const auto& user = context_.user();
    auto document = reports::auditRequestReport(result, context_.agencySettings().agencyName,
                                                user.displayName.empty() ? user.username : user.displayName,
                                                context_.clock()->now());
    document.trainingStore = context_.trainingMode();
    auto pages = renderPdf(document, path);
    if (!pages) return qs(pages.error().message);
    return std::nullopt;
}

void AuditRequestsDialog::showResult(const reports::AuditRequestResult& result) {
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Result of audit request #%1").arg(result.request.id));
    dialog.resize(1000, 560);
    auto* layout = new QVBoxLayout(&dialog);
    const auto& r = result.request;
    layout->addWidget(new QLabel(tr("Scope: %1\nReason: %2\nRun by %3 on %4; %5 up to #%6; result SHA-256 %7\n"
                                    "Chain when run: %8")
                                     .arg(qs(reports::describe(r.scope)), qs(r.reason), qs(r.completedByName),
                                          localTime(r.completedAt))
                                     .arg(accountability::counted(r.resultEntryCount, "entry", "entries"))
                                     .arg(r.resultUpToSeq)
                                     .arg(qs(r.resultSha256), r.chainIntact ? tr("verified") : qs(r.chainProblem)),
                                 &dialog));
    auto* table = new QTableWidget(&dialog);
    const auto data = reports::auditTable(result.entries);
    table->setColumnCount(int(data.columns.size()));
    QStringList headers;
    for (const auto& c : data.columns) headers << qs(c);
    table->setHorizontalHeaderLabels(headers);
    table->setRowCount(int(data.rows.size()));
    for (int row = 0; row < int(data.rows.size()); ++row)
        for (int col = 0; col < int(data.columns.size()); ++col)
            table->setItem(row, col, new QTableWidgetItem(qs(data.rows[std::size_t(row)][std::size_t(col)])));
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(table, 1);
    auto* save = new QPushButton(tr("Save as PDF…"), &dialog);
    layout->addWidget(save, 0, Qt::AlignRight);
    accountability::addScreenMarkings(layout, context_, &dialog);
    connect(save, &QPushButton::clicked, &dialog, [this, &dialog, &result] {
        const QString path = accountability::askSavePath(&dialog, tr("Save the audit result"),
                                                         QStringLiteral("audit-request-%1.pdf").arg(result.request.id),
                                                         tr("PDF (*.pdf)"));
        if (!path.isEmpty()) message_->setText(saveResultPdf(result, path).value_or(tr("Saved %1").arg(path)));
    });
    dialog.exec();
}

}  // namespace facelead::ui
