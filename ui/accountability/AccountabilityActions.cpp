#include "ui/accountability/AccountabilityActions.h"

#include <QAction>
#include <QDate>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QTimer>

#include "core/admin/Administration.h"
#include "core/reports/AnnualReview.h"
#include "core/reports/CaseReport.h"
#include "core/reports/Statutory.h"
#include "core/training/TrainingService.h"
#include "core/workflow/Access.h"
#include "ui/accountability/AdminDialog.h"
#include "ui/accountability/AuditRequestsDialog.h"
#include "ui/accountability/AuditViewer.h"
#include "ui/workstation/Background.h"
#include "ui/accountability/Common.h"
#include "ui/accountability/PdfRenderer.h"
#include "ui/accountability/StatisticsDialog.h"
#include "ui/accountability/TrainerMode.h"
#include "ui/accountability/TrainingDialog.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/CoreServices.h"
#include "ui/workstation/MainWindow.h"

namespace facelead::ui {

using accountability::qs;

namespace {

constexpr int kDailyCheckMs = 24 * 60 * 60 * 1000;

std::string displayName(const accounts::User& user) {
    return user.displayName.empty() ? user.username : user.displayName;
}

template <typename Dialog>
void showDialog(MainWindow& window, AppContext& context) {
    Dialog dialog(context, &window);
    dialog.exec();
}

// Asks the year of an annual report (last year by default); nullopt when the user gave up.
std::optional<int> askYear(MainWindow& window, const QString& title) {
    bool ok = false;
    const int year = QInputDialog::getInt(&window, title, QObject::tr("Year:"), QDate::currentDate().year() - 1, 2000,
                                          2200, 1, &ok);
    return ok ? std::optional(year) : std::nullopt;
}

// Asks where to save (suggestedName), then on the store thread, behind a progress dialog, has the core make the
// report (make(services, progress) -> Result<ReportDocument>, which checks the role) and prints it to PDF, every page
// marked (renderPdf: VI.B.6, VI.B.1); says where it went and how many pages, then `note`, or the core's refusal.
template <typename Make>
void saveReportPdf(MainWindow& window, AppContext& context, const QString& title, const QString& suggestedName,
                   const QString& note, Make make) {
    const QString path = accountability::askSavePath(&window, QObject::tr("Save the %1").arg(title.toLower()),
                                                     suggestedName, QObject::tr("PDF (*.pdf)"));
    if (path.isEmpty()) return;
    runWithProgress(&window, context, QObject::tr("Preparing the %1…").arg(title.toLower()),
                    [make = std::move(make), path](CoreServices& s, const JobProgress& progress) -> Result<int> {
                        Result<reports::ReportDocument> document = make(s, progress);
                        if (!document) return document.error();
                        return renderPdf(*document, path);
                    },
                    [&window, title, note, path](const Result<int>& pages) {
                        if (!pages)
                            QMessageBox::warning(&window, title, qs(pages.error().message));
                        else
                            QMessageBox::information(
                                &window, title,
                                (QObject::tr("Saved %1 (%n page(s)).", nullptr, *pages).arg(path) + QLatin1Char(' ') + note)
                                    .trimmed());
                    });
}

void annualReview(MainWindow& window, AppContext& context) {
    if (!context.signedIn()) return;
    const auto year = askYear(window, QObject::tr("Annual review (VI.C.2.c)"));
    if (!year) return;
    saveReportPdf(window, context, QObject::tr("Annual review"), QStringLiteral("annual-review-%1.pdf").arg(*year), {},
                  [year = *year](CoreServices& s, const JobProgress& progress) -> Result<reports::ReportDocument> {
                      auto review = reports::computeAnnualReview(s.session(), year, progress.progressFn());
                      if (!review) return review.error();
                      return reports::annualReviewReport(*review, s.agencySettings().agencyName, displayName(s.user()),
                                                         s.store().now());
                  });
}

// Issue 11 item 5: the annual report the agency's rule pack asks for (reports::statutoryReport: SOP 302.02 VI.C.2.c,
// Md. Crim. Proc. 2-510 or RCW 43.386), printed as the agency files it.
void statutoryReport(MainWindow& window, AppContext& context) {
    if (!context.signedIn()) return;
    const auto year = askYear(window, QObject::tr("Statutory report"));
    if (!year) return;
    saveReportPdf(window, context, QObject::tr("Statutory report"), QStringLiteral("statutory-report-%1.pdf").arg(*year),
                  QObject::tr("Its production is in the audit log."),
                  [year = *year](CoreServices& s, const JobProgress&) { return reports::statutoryReport(s.session(), year); });
}

void saveCaseReport(MainWindow& window, AppContext& context, std::int64_t caseId, const QString& caseNumber) {
    saveReportPdf(window, context, QObject::tr("Case report"), QStringLiteral("case-%1.pdf").arg(caseNumber),
                  QObject::tr("Its generation is in the audit log."),
                  [caseId](CoreServices& s, const JobProgress& progress) {
                      return reports::generateCaseReport(s.session(), s.cases(), caseId, s.agencySettings().agencyName,
                                                         progress.progressFn());
                  });
}

// Asks the case number (the case selected on the Cases page offered: trial 74 F10), then (once the core lets the user read that case) where to save its report.
void caseReport(MainWindow& window, AppContext& context) {
    if (!context.signedIn()) return;
    bool ok = false;
    const QString caseNumber =
        QInputDialog::getText(&window, QObject::tr("Case report"), QObject::tr("Case number:"), QLineEdit::Normal,
                              window.selectedCaseNumber(), &ok)
            .trimmed();
    if (!ok || caseNumber.isEmpty()) return;
    // The core says first whether this user may read the case (need to know, VI.B.6): a refusal comes before
    // any file is asked for (issue 9 re-trial: the file name was asked, then the report refused).
    context.store().run(&window, [caseNumber = caseNumber.toStdString()](CoreServices& s) -> Result<std::int64_t> {
        auto found = s.cases().findCase(caseNumber);
        if (!found) return found.error();
        FACELEAD_TRY(s.cases().getCase(found->id));  // the case file's reader check; a refusal is audited
        return found->id;
    }, [&window, &context, caseNumber](const Result<std::int64_t>& caseId) {
        if (!caseId) {
            QMessageBox::warning(&window, QObject::tr("Case report"), qs(caseId.error().message));
            return;
        }
        saveCaseReport(window, context, *caseId, caseNumber);
    });
}

// VI.C.2 NOTE, run after a sign-in (afterSignIn) or daily, on the store thread. Signs the user out when
// their own account was deactivated by it.
void sweepInactiveAccounts(QWidget* parent, AppContext& context, bool afterSignIn) {
    if (!context.signedIn()) return;
    context.store().run(parent, [afterSignIn](CoreServices& s) -> Result<admin::InactivitySweep> {
        auto sweep = admin::deactivateInactiveUsers(s.store(), afterSignIn ? std::optional(s.user().id) : std::nullopt);
        if (sweep && sweep->signedInUserDeactivated)
            (void)accounts::recordSessionEvent(s.session(), accounts::SessionEvent::ForcedSignOut,
                                               "no activity for longer than the agency's inactivity period; the "
                                               "account was deactivated (SOP 302.02 VI.C.2 NOTE)");
        return sweep;
    }, [parent, &context](const Result<admin::InactivitySweep>& sweep) {
        // A store error here must not block work; the next check retries.
        if (!sweep || !sweep->signedInUserDeactivated) return;
        context.signOut();
        QMessageBox::warning(parent, QObject::tr("Account deactivated"),
                             QObject::tr("Your account had no activity for longer than the agency's inactivity period "
                                         "and has been deactivated (SOP 302.02 VI.C.2 NOTE). Ask a program "
                                         "administrator to reactivate it."));
    });
}

}  // namespace

void installAccountabilityActions(MainWindow& window, AppContext& context) {
    struct Entry {
        QAction* action;
        std::function<bool(const workflow::RoleSet&)> allowed;
    };
    auto entries = std::make_shared<std::vector<Entry>>();
    const auto add = [&](QMenu* menu, const QString& text, const char* name, std::function<void()> run,
                         std::function<bool(const workflow::RoleSet&)> allowed) {
        QAction* action = menu->addAction(text);
        action->setObjectName(QLatin1String(name));
        QObject::connect(action, &QAction::triggered, &window, std::move(run));
        entries->push_back({action, std::move(allowed)});
    };
    const auto may = [](workflow::Action a) {
        return [a](const workflow::RoleSet& roles) { return workflow::mayPerform(roles, a); };
    };
    const auto anyone = [](const workflow::RoleSet&) { return true; };

    window.setTrainerModeEntry([&context](QWidget* parent) { return openTrainerMode(parent, context); });
    QMenu* adminMenu = window.administrationMenu();
    add(adminMenu, QObject::tr("&Users and access…"), "actionUsers",
        [&window, &context] { showDialog<AdminDialog>(window, context); },
        [](const workflow::RoleSet& r) {
            return workflow::mayPerform(r, workflow::Action::ManageUsers) ||
                   workflow::mayPerform(r, workflow::Action::ApproveUser);
        });
    add(adminMenu, QObject::tr("&Training and quiz…"), "actionTraining",
        [&window, &context] { showDialog<TrainingDialog>(window, context); }, anyone);
    QAction* trainerMode = adminMenu->addAction(QObject::tr("Trainer &mode (separate training store)…"));
    trainerMode->setObjectName(QStringLiteral("actionTrainerMode"));
    QObject::connect(trainerMode, &QAction::triggered, &window, [&window, &context] { openTrainerMode(&window, context); });

    QMenu* reportsMenu = window.reportsMenu();
    add(reportsMenu, QObject::tr("&Audit log…"), "actionAuditLog",
        [&window, &context] { showDialog<AuditViewer>(window, context); }, may(workflow::Action::RunAudit));
    add(reportsMenu, QObject::tr("Audit &requests…"), "actionAuditRequests",
        [&window, &context] { showDialog<AuditRequestsDialog>(window, context); },
        [](const workflow::RoleSet& r) {
            return workflow::mayPerform(r, workflow::Action::RequestAudit) ||
                   workflow::mayPerform(r, workflow::Action::RunAudit);
        });
    add(reportsMenu, QObject::tr("Usage &statistics…"), "actionStatistics",
        [&window, &context] { showDialog<StatisticsDialog>(window, context); },
        [](const workflow::RoleSet& r) {
            return workflow::mayPerform(r, workflow::Action::RequestAudit) ||
                   workflow::mayPerform(r, workflow::Action::RunAudit);
        });
    add(reportsMenu, QObject::tr("Annual &review…"), "actionAnnualReview",
        [&window, &context] { annualReview(window, context); }, may(workflow::Action::ProduceReport));
    add(reportsMenu, QObject::tr("Statutory re&port (PDF)…"), "actionStatutoryReport",
        [&window, &context] { statutoryReport(window, context); }, may(workflow::Action::ProduceReport));
    add(reportsMenu, QObject::tr("&Case report (PDF)…"), "actionCaseReport",
        [&window, &context] { caseReport(window, context); }, may(workflow::Action::ViewCase));

    const auto updateActions = [entries, &context] {
        const workflow::RoleSet roles = context.signedIn() ? context.user().roles : workflow::RoleSet{};
        for (const auto& e : *entries) e.action->setEnabled(context.signedIn() && e.allowed(roles));
    };
    QObject::connect(&context, &AppContext::sessionChanged, &window, [&window, &context, updateActions] {
        updateActions();
        if (!context.signedIn()) return;
        // The agency's password and lockout rules apply to every later sign-in and unlock of this workstation.
        context.securityPolicy() = admin::securityPolicy(context.agencySettings(), context.securityPolicy());
        // After the sign-in dialog has closed: the sweep may have to sign this user out again.
        QTimer::singleShot(0, &window, [&window, &context] { sweepInactiveAccounts(&window, context, true); });
    });
    auto* daily = new QTimer(&window);
    daily->setInterval(kDailyCheckMs);
    QObject::connect(daily, &QTimer::timeout, &window, [&window, &context] { sweepInactiveAccounts(&window, context, false); });
    daily->start();
    updateActions();
}

}  // namespace facelead::ui
