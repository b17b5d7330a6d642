// The accountability screens on the offscreen platform (issue 5): administration, the training quiz,
// trainer mode's separation from the live store, the audit viewer, statistics, and the PDFs with their
// markings (checked with pdftotext).

#include <QPushButton>
#include <QRegularExpression>

#include <algorithm>

#include <catch2/catch.hpp>

#include <QAction>
#include <QApplication>
#include <QCoreApplication>
#include <QTimer>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QMessageBox>
#include <QHeaderView>
#include <QInputDialog>
#include <QComboBox>
#include <QListWidget>
#include <QScrollBar>
#include <QScreen>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>

#include "core/admin/Administration.h"
#include "core/audit/AuditLog.h"
#include "core/reports/CaseReport.h"
#include "core/training/TrainingService.h"
#include "tests/gui/accountability/AccountabilityWorld.h"
#include "tests/support/Quiz.h"
#include "ui/accountability/AccountabilityActions.h"
#include "ui/accountability/AdminDialog.h"
#include "ui/accountability/AuditRequestsDialog.h"
#include "ui/accountability/AuditViewer.h"
#include "ui/accountability/PdfRenderer.h"
#include "ui/accountability/StatisticsDialog.h"
#include "ui/accountability/TrainerMode.h"
#include "ui/accountability/TrainingDialog.h"
#include "ui/results/CaseWindow.h"
#include "ui/widgets/PolicyBanner.h"
#include "ui/workstation/MainWindow.h"
#include "ui/workstation/Pages.h"
#include "core/workflow/Markings.h"
#include "core/workflow/PolicyPack.h"

namespace facelead::test {
namespace {

const QString kMarking = QString::fromUtf8(workflow::kIntelligenceMarking.data()).simplified();
const QString kDisclaimer = QString::fromUtf8(workflow::kLeadOnlyDisclaimer.data()).simplified();

QString path(const AccountabilityWorld& w, const char* name) {
    return QString::fromStdString((w.dir / name).string());
}

}  // namespace

TEST_CASE("A rendered report carries the markings and page numbers on every page", "[gui][accountability][pdf]") {
    AccountabilityWorld w;
    reports::ReportDocument doc;
    doc.title = "Marking test";
    doc.agencyName = "North Port Police Department";
    doc.generatedAt = "2026-03-02T12:00:00.000Z";
    doc.generatedBy = "admin";
    reports::Table long_{{"Row", "Text"}, {}};
    for (int i = 0; i < 200; ++i) long_.rows.push_back({std::to_string(i), "entry number " + std::to_string(i)});
    doc.sections.push_back({"Image", {reports::Image{pngBytes(400, 300), "A test image"}}});
    doc.sections.push_back({"Long table", {long_}});
    const QString pdf = path(w, "marking.pdf");
    auto pages = ui::renderPdf(doc, pdf);
    REQUIRE(pages);
    REQUIRE(*pages >= 3);
    const QString text = pdfText(pdf);
    INFO(text.left(1500).toStdString());
    REQUIRE_FALSE(text.isEmpty());
    CHECK(text.count(kMarking) == *pages);     // VI.B.6 / VI.C.2.d on every page
    CHECK(text.count(kDisclaimer) == 2 * *pages);  // VI.B.1 in every page's header and footer
    CHECK(text.contains(QStringLiteral("Page 1 of %1").arg(*pages)));
    CHECK(text.contains(QStringLiteral("Page %1 of %1").arg(*pages)));
    CHECK(text.contains(QStringLiteral("entry number 199")));
    CHECK_FALSE(text.contains(QStringLiteral("TRAINING")));

    doc.trainingStore = true;
    REQUIRE(ui::renderPdf(doc, pdf));
    CHECK(pdfText(pdf).contains(QStringLiteral("TRAINING")));

    CHECK((QFile::permissions(pdf) & ~(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser)) ==
          QFile::Permissions());  // issue 8 item 5: owner-only, like every file written for a person

    auto refused = ui::renderPdf(doc, path(w, "no-such-folder/x.pdf"));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::IoError);
}

TEST_CASE("A table of hashes fits the page: no column is cut at the right margin (trial 75 F4)", "[gui][accountability][pdf]") {
    AccountabilityWorld w;
    const std::string videoSha(64, 'a'), frameSha = "0123456789abcdef" + std::string(32, 'b') + "fedcba9876543210";
    reports::ReportDocument doc;
    doc.title = "Wide table";
    doc.sections.push_back({"Frames", {reports::Table{{"Frame", "Of video", "Frame, time and video (its recipe)", "By",
                                                        "Time (UTC)", "SHA-256"},
                                                       {{"#2", "#1", "Frame 12 at 00:00:01.200 of video SHA-256 " + videoSha,
                                                         "Ivan Investigator", "2026-12-05T12:00:00.000Z", frameSha}}}}});
    const QString pdf = path(w, "wide.pdf");
    REQUIRE(ui::renderPdf(doc, pdf));
    const QString text = pdfText(pdf);
    INFO(text.toStdString());
    CHECK(text.contains(QStringLiteral("2026-12-05T12:00:00.000Z")));  // the column after the hashes, whole
    CHECK(text.contains(QStringLiteral("0123456789abcdef")));
    CHECK(text.contains(QStringLiteral("fedcba9876543210")));         // the hash's end, not cut at the margin
}

TEST_CASE("The case report PDF holds the original's SHA-256, the request and the case's audit entries",
          "[gui][accountability][pdf][case_report]") {
    AccountabilityWorld w;
    auto ivanContext = w.signedIn("ivan");
    const auto made = storeCall(*ivanContext, [&w](ui::CoreServices& s) { return Result<RealCase>(makeRealCase(s, w.cora.id)); }).value();
    auto document = storeCall(*ivanContext, [id = made.record.id](ui::CoreServices& s) {
        return reports::generateCaseReport(s.session(), s.cases(), id, "North Port PD");
    });
    REQUIRE(document);
    const QString pdf = path(w, "case.pdf");
    auto pages = ui::renderPdf(*document, pdf);
    REQUIRE(pages);
    const QString text = pdfText(pdf);
    CHECK(text.contains(QStringLiteral("NP-2026-0042")));
    CHECK(text.contains(QString::fromStdString(made.original.sha256)));
    CHECK(text.contains(QStringLiteral("VI.A.2")));
    CHECK(text.contains(QStringLiteral("CCTV export, 12 Main St")));
    CHECK(text.contains(QStringLiteral("case.created")));
    CHECK(text.contains(QStringLiteral("Damage noticed at intake None")));  // said where the probe is described
    // The audit column fits the page: details for people (no raw JSON), shortened, no hash column.
    const auto& audit = document->sections.back();
    REQUIRE(audit.heading.find("Audit entries") == 0);
    const auto& table = std::get<reports::Table>(audit.blocks.front());
    CHECK(table.columns.back() == "Details");
    REQUIRE_FALSE(table.rows.empty());
    for (const auto& row : table.rows) {
        INFO(row.back());
        CHECK(row.back().find("{\"") == std::string::npos);
        CHECK(row.back().size() <= 163);
    }
    CHECK(text.count(kMarking) == *pages);
    CHECK(text.count(kDisclaimer) == 2 * *pages);

    audit::AuditFilter filter;
    filter.action = "case.report_generated";
    auto generated = storeCall(*ivanContext, [filter](ui::CoreServices& s) { return audit::AuditLog::list(s.store(), filter); });
    REQUIRE(generated);
    CHECK(generated->size() == 1);
}

TEST_CASE("The admin screen creates, approves and refuses beyond the seat limit or self-approval",
          "[gui][accountability][admin]") {
    AccountabilityWorld w;
    ui::AdminDialog dialog(*w.context);
    dialog.show();
    REQUIRE(waitUntil([&] { return dialog.usersTable()->rowCount() == 5; }));  // with the deputy supervisor
    CHECK(dialog.seatText().contains(QStringLiteral("5 of 10")));
    // Two persons give access: the deputy supervisor approves what the administrator creates.
    auto deputyContext = w.contextFor(std::move(*w.deputy), "deputy");
    ui::AdminDialog byDeputy(*deputyContext);
    byDeputy.show();
    // What the deputy (a supervisor only) may not do is not offered; what he may do is.
    const auto enabled = [&](const char* name) { return byDeputy.findChild<QPushButton*>(QLatin1String(name))->isEnabled(); };
    CHECK_FALSE(enabled("newUser"));
    CHECK_FALSE(enabled("deactivate"));
    CHECK(byDeputy.findChild<QPushButton*>(QStringLiteral("newUser"))->toolTip().contains(QStringLiteral("Program administrator")));
    // "approve" is offered to him once an account pending approval is selected (the test below).
    CHECK_FALSE(byDeputy.findChild<QPushButton*>(QStringLiteral("approve"))->toolTip().contains(QStringLiteral("Supervisor")));
    CHECK(enabled("approveRoleChange"));
    CHECK(dialog.findChild<QPushButton*>(QStringLiteral("newUser"))->isEnabled());

    CHECK_FALSE(awaitAnswer([&](ui::Answer a) {
        dialog.createUser({QStringLiteral("nina"), QStringLiteral("Nina New"), QStringLiteral("a long enough passphrase"),
                           {workflow::Role::Investigator}}, a);
    }));
    REQUIRE(dialog.selectUser(QStringLiteral("nina")));
    CHECK(dialog.usersTable()->item(dialog.usersTable()->currentRow(), 3)->text() == QStringLiteral("Pending approval"));

    SECTION("approval fills a seat; beyond the limit it is refused") {
        REQUIRE(dialog.selectUser(QStringLiteral("nina")));
        auto byCreator = awaitAnswer([&](ui::Answer a) { dialog.approveSelected(a); });
        REQUIRE(byCreator);
        CHECK(byCreator->contains(QStringLiteral("two persons")));

        auto settings = dialog.settingsFromForm();
        REQUIRE(settings);
        settings->licenceSeats = 5;
        CHECK_FALSE(awaitAnswer([&](ui::Answer a) { dialog.saveSettings(*settings, a); }));
        bool deputySees = false;
        byDeputy.refresh([&] { deputySees = true; });  // nina was created after the deputy's dialog opened
        REQUIRE(waitUntil([&] { return deputySees; }));
        REQUIRE(byDeputy.selectUser(QStringLiteral("nina")));
        auto refused = awaitAnswer([&](ui::Answer a) { byDeputy.approveSelected(a); });
        REQUIRE(refused);
        CHECK(refused->contains(QStringLiteral("seats")));
        CHECK(byDeputy.lastError() == *refused);

        settings->licenceSeats = 6;
        CHECK_FALSE(awaitAnswer([&](ui::Answer a) { dialog.saveSettings(*settings, a); }));
        REQUIRE(byDeputy.selectUser(QStringLiteral("nina")));
        CHECK_FALSE(awaitAnswer([&](ui::Answer a) { byDeputy.approveSelected(a); }));
        bool refreshed = false;
        dialog.refresh([&] { refreshed = true; });
        REQUIRE(waitUntil([&] { return refreshed; }));
        REQUIRE(dialog.selectUser(QStringLiteral("nina")));
        CHECK(dialog.usersTable()->item(dialog.usersTable()->currentRow(), 3)->text() == QStringLiteral("Active"));
        CHECK(dialog.seatText().contains(QStringLiteral("6 of 6")));
    }
    SECTION("nobody approves their own account") {
        REQUIRE(dialog.selectUser(QStringLiteral("admin")));
        auto refused = awaitAnswer([&](ui::Answer a) { dialog.approveSelected(a); });
        REQUIRE(refused);
        CHECK(refused->contains(QStringLiteral("own")));
    }
    SECTION("a role change waits in the list until a second person approves it there") {
        REQUIRE(dialog.selectUser(QStringLiteral("ivan")));
        CHECK_FALSE(awaitAnswer([&](ui::Answer a) {
            dialog.setRolesOfSelected({workflow::Role::Investigator, workflow::Role::Supervisor}, a);
        }));
        REQUIRE(dialog.roleChangesTable()->rowCount() == 1);  // read back from the store
        CHECK(dialog.roleChangesTable()->item(0, 0)->text() == QStringLiteral("ivan"));
        dialog.roleChangesTable()->selectRow(0);
        auto byRequester = awaitAnswer([&](ui::Answer a) { dialog.approveSelectedRoleChange(a); });
        REQUIRE(byRequester);  // the requester never approves their own request
        CHECK(dialog.roleChangesTable()->rowCount() == 1);

        bool deputySees = false;
        byDeputy.refresh([&] { deputySees = true; });
        REQUIRE(waitUntil([&] { return deputySees; }));
        REQUIRE(byDeputy.roleChangesTable()->rowCount() == 1);
        byDeputy.roleChangesTable()->selectRow(0);
        CHECK_FALSE(awaitAnswer([&](ui::Answer a) { byDeputy.approveSelectedRoleChange(a); }));
        CHECK(byDeputy.roleChangesTable()->rowCount() == 0);
        REQUIRE(byDeputy.selectUser(QStringLiteral("ivan")));
        CHECK(byDeputy.usersTable()->item(byDeputy.usersTable()->currentRow(), 2)->text().contains(QStringLiteral("Supervisor")));
    }
    SECTION("suspension shows at once, and the gate column says why") {
        REQUIRE(dialog.selectUser(QStringLiteral("ivan")));
        CHECK_FALSE(awaitAnswer([&](ui::Answer a) { dialog.suspendSelected(QStringLiteral("internal inquiry"), a); }));
        // The same user stays selected after the refresh that follows the action.
        const auto selected = dialog.usersTable()->selectedItems();
        REQUIRE_FALSE(selected.isEmpty());
        const int row = selected.front()->row();
        CHECK(dialog.usersTable()->item(row, 0)->text() == QStringLiteral("ivan"));
        CHECK(dialog.usersTable()->item(row, 3)->text() == QStringLiteral("Suspended"));
        CHECK(dialog.usersTable()->item(row, 6)->text().startsWith(QStringLiteral("No")));
    }
    SECTION("the roles shown are the signed ones; a users table edited outside FaceLead is flagged") {
        REQUIRE(w.asAdmin([](ui::CoreServices& s) {
            return s.store().exec("UPDATE users SET roles = 'investigator,program_administrator' WHERE username = 'ivan'");
        }));
        bool refreshed = false;
        dialog.refresh([&] { refreshed = true; });
        REQUIRE(waitUntil([&] { return refreshed; }));
        REQUIRE(dialog.selectUser(QStringLiteral("ivan")));
        const auto* roles = dialog.usersTable()->item(dialog.usersTable()->currentRow(), 2);
        CHECK_FALSE(roles->text().contains(QStringLiteral("Program administrator")));
        CHECK(roles->text().contains(QStringLiteral("table edited outside FaceLead — not obeyed")));
        CHECK(roles->toolTip().contains(QStringLiteral("Program administrator")));
        CHECK_FALSE(dialog.usersTable()->item(dialog.usersTable()->currentRow(), 3)->text().contains(QStringLiteral("⚠")));
        REQUIRE(dialog.selectUser(QStringLiteral("deputy")));
        CHECK_FALSE(dialog.usersTable()->item(dialog.usersTable()->currentRow(), 2)->text().contains(QStringLiteral("⚠")));
    }
    SECTION("a status edited in the users table is flagged on Status, not on Roles") {
        REQUIRE(w.asAdmin([](ui::CoreServices& s) {
            return s.store().exec("UPDATE users SET status = 'suspended' WHERE username = 'ivan'");
        }));
        bool refreshed = false;
        dialog.refresh([&] { refreshed = true; });
        REQUIRE(waitUntil([&] { return refreshed; }));
        REQUIRE(dialog.selectUser(QStringLiteral("ivan")));
        const int row = dialog.usersTable()->currentRow();
        CHECK(dialog.usersTable()->item(row, 3)->text().contains(QStringLiteral("table edited outside FaceLead")));
        CHECK(dialog.usersTable()->item(row, 3)->toolTip().contains(QStringLiteral("Suspended")));
        CHECK_FALSE(dialog.usersTable()->item(row, 2)->text().contains(QStringLiteral("⚠")));
    }
    SECTION("rows stay one line high on a 1366x768 screen; the gate's answer is short and about that user") {
        dialog.resize(1340, 700);
        QCoreApplication::processEvents();
        auto* table = dialog.usersTable();
        auto* header = table->horizontalHeader();
        CHECK(header->sectionPosition(6) + header->sectionSize(6) <= table->viewport()->width());
        const int oneLine = std::min(table->verticalHeader()->defaultSectionSize(), 3 * table->fontMetrics().lineSpacing());
        bool someoneRefused = false;
        for (int r = 0; r < table->rowCount(); ++r) {
            const auto* cell = table->item(r, 6);
            const QString user = table->item(r, 0)->text();
            INFO(user.toStdString() << ": " << cell->text().toStdString());
            CHECK(table->rowHeight(r) <= oneLine);
            CHECK(table->fontMetrics().horizontalAdvance(cell->text()) + 8 <= header->sectionSize(6));
            CHECK_FALSE(cell->text().contains(QStringLiteral("Your")));
            CHECK_FALSE(cell->toolTip().contains(QStringLiteral("Your")));
            CHECK(cell->toolTip().startsWith(user + QLatin1Char(' ')));  // the explanation names whom it is about
            if (cell->text().startsWith(QStringLiteral("No"))) {
                someoneRefused = true;
                CHECK(cell->text().size() <= 30);
                CHECK(cell->toolTip().contains(QStringLiteral("VI.")));  // the rule, with its SOP section
            }
        }
        CHECK(someoneRefused);
        REQUIRE(dialog.selectUser(QStringLiteral("nina")));  // created above, not approved yet
        CHECK(table->item(table->currentRow(), 6)->text() == QStringLiteral("No — not approved"));
        const auto* details = dialog.findChild<QLabel*>(QStringLiteral("userDetails"));
        REQUIRE(details);
        CHECK(details->text().contains(QStringLiteral("approved by a supervisor")));
    }
}

// Trial 10: in the fixed 1100x620 dialog "May search?" read "y searc" and moved off-screen once the Training cell
// widened; at 1600x1000 too. At the 1366x768 screen's available area every column is in view, headers whole.
TEST_CASE("Users and access: every column readable at 1366x768, without a sideways scroll",
          "[gui][accountability][admin][fit]") {
    AccountabilityWorld w;
    // The longest cells there are: a status flagged as edited outside FaceLead, and a current training.
    REQUIRE(w.asAdmin([](ui::CoreServices& s) {
        return s.store().exec("UPDATE users SET status = 'suspended' WHERE username = 'ivan'");
    }));
    ui::AdminDialog dialog(*w.context);
    const QRect screen = dialog.screen()->availableGeometry();
    CHECK(dialog.width() <= screen.width());  // sized to the screen, never beyond it
    CHECK(dialog.height() <= screen.height());
    dialog.show();
    REQUIRE(waitUntil([&] { return dialog.usersTable()->rowCount() == 5; }));
    dialog.resize(1366 - 16, 768 - 48);  // a 1366x768 laptop less the window frame
    QCoreApplication::processEvents();
    auto* table = dialog.usersTable();
    auto* header = table->horizontalHeader();
    CHECK(table->horizontalScrollBar()->maximum() == 0);
    bool someoneTrained = false;
    for (int column = 0; column < table->columnCount(); ++column) {
        const QString name = table->horizontalHeaderItem(column)->text();
        INFO(name.toStdString());
        CHECK(header->sectionViewportPosition(column) >= 0);
        CHECK(header->sectionViewportPosition(column) + header->sectionSize(column) <= table->viewport()->width());
        CHECK(header->fontMetrics().horizontalAdvance(name) <= header->sectionSize(column));
        for (int row = 0; row < table->rowCount(); ++row) {
            const QTableWidgetItem* cell = table->item(row, column);
            INFO(cell->text().toStdString());
            const bool full = table->fontMetrics().horizontalAdvance(cell->text()) <= header->sectionSize(column);
            // Roles and Status may be cut at the right; then the whole text is in the tool tip.
            if (column == 2 || column == 3)
                CHECK((full || cell->toolTip().contains(cell->text().left(10))));
            else
                CHECK(full);
            if (column == 4 && cell->text().startsWith(QStringLiteral("Current"))) {
                someoneTrained = true;
                CHECK(QRegularExpression(QStringLiteral("^Current (to|since) \\d{4}-\\d\\d-\\d\\d$")).match(cell->text()).hasMatch());
            }
        }
    }
    CHECK(someoneTrained);
}

// Trial 10: Reactivate took effect at once, with no confirmation and no reason. Each status change names the
// account and asks why; Cancel changes nothing; a blank reason is refused by the core; the reason is audited.
TEST_CASE("Users and access: a status change names the account, asks why, and the reason is audited",
          "[gui][accountability][admin]") {
    AccountabilityWorld w;
    ui::AdminDialog dialog(*w.context);
    dialog.show();
    REQUIRE(waitUntil([&] { return dialog.usersTable()->rowCount() == 5; }));
    REQUIRE(dialog.selectUser(QStringLiteral("ivan")));
    CHECK_FALSE(awaitAnswer([&](ui::Answer a) { dialog.suspendSelected(QStringLiteral("internal inquiry"), a); }));
    const auto statusOfIvan = [&] {
        REQUIRE(dialog.selectUser(QStringLiteral("ivan")));
        return dialog.usersTable()->item(dialog.usersTable()->currentRow(), 3)->text();
    };
    REQUIRE(statusOfIvan() == QStringLiteral("Suspended"));

    // The button asks first, naming whom; Cancel leaves the account as it was.
    QString asked;
    auto* reactivate = dialog.findChild<QPushButton*>(QStringLiteral("reactivate"));
    REQUIRE(reactivate);
    {
        auto cancelling = answerModals([&](QWidget& modal) {
            if (auto* input = qobject_cast<QInputDialog*>(&modal)) {
                asked = input->labelText();
                input->reject();
            }
        });
        reactivate->click();
    }
    CHECK(asked.contains(QStringLiteral("ivan (")));
    CHECK(asked.contains(QStringLiteral("Why?")));
    QCoreApplication::processEvents();
    CHECK(statusOfIvan() == QStringLiteral("Suspended"));

    auto blank = awaitAnswer([&](ui::Answer a) { dialog.reactivateSelected(QStringLiteral("  "), a); });
    REQUIRE(blank);
    CHECK(blank->contains(QStringLiteral("reason")));
    CHECK(dialog.lastError() == *blank);
    CHECK(statusOfIvan() == QStringLiteral("Suspended"));
    {  // Refresh reads the list again: the refusal about the list as it was goes (trial 71 F6)
        bool refreshed = false;
        QObject::connect(&dialog, &ui::AdminDialog::refreshed, &dialog, [&] { refreshed = true; });
        auto* refresh = dialog.findChild<QPushButton*>(QStringLiteral("refresh"));
        REQUIRE(refresh);
        refresh->click();
        REQUIRE(waitUntil([&] { return refreshed; }));
        CHECK(dialog.lastError().isEmpty());
    }

    CHECK_FALSE(awaitAnswer([&](ui::Answer a) { dialog.reactivateSelected(QStringLiteral("inquiry closed"), a); }));
    CHECK(statusOfIvan() == QStringLiteral("Active"));
    auto events = w.asAdmin([](ui::CoreServices& s) { return audit::AuditLog::list(s.store(), {.action = "user.reactivated"}); });
    REQUIRE(events);
    REQUIRE(events->size() == 1);
    CHECK(events->front().detailsJson.find("inquiry closed") != std::string::npos);
}

// Issue 9 (found in use): "Approve access" gave access on one click. Approval is recorded for good, so the
// button asks first, naming the account; Cancel leaves it waiting; going ahead approves it (audited).
TEST_CASE("Users and access: approving access asks first, naming the account; Cancel approves nothing",
          "[gui][accountability][admin]") {
    AccountabilityWorld w;
    REQUIRE(w.asAdmin([](ui::CoreServices& s) {
        return s.accounts().addUser({"nina", "Nina New", {workflow::Role::Investigator}}, "a long enough passphrase");
    }));
    REQUIRE(w.asAdmin([](ui::CoreServices& s) {
        return s.accounts().addUser({"iris", "Iris Intel", {workflow::Role::IntelSupervisor}}, "a long enough passphrase");
    }));
    auto deputyContext = w.contextFor(std::move(*w.deputy), "deputy");  // two persons give access (VI.D.2.a)
    ui::AdminDialog dialog(*deputyContext);
    dialog.show();
    REQUIRE(waitUntil([&] { return dialog.usersTable()->rowCount() == 7; }));
    const auto statusOfNina = [&] {
        REQUIRE(dialog.selectUser(QStringLiteral("nina")));
        return dialog.usersTable()->item(dialog.usersTable()->currentRow(), 3)->text();
    };
    const QString waiting = statusOfNina();
    REQUIRE(waiting != QStringLiteral("Active"));
    auto* approve = dialog.findChild<QPushButton*>(QStringLiteral("approve"));
    REQUIRE(approve);

    QString asked;
    {
        auto cancelling = answerModals([&](QWidget& modal) { answerConfirmation(modal, false, &asked); });
        approve->click();
    }
    CHECK(asked.contains(QStringLiteral("nina (Nina New)")));
    // What the account's roles allow (issue 9 re-trial: "search once trained" was said of every account).
    CHECK(asked.contains(QStringLiteral("Roles granted: Investigator.")));
    CHECK(asked.contains(QStringLiteral("may run a facial recognition search once its training is signed off")));
    QCoreApplication::processEvents();
    CHECK(statusOfNina() == waiting);
    {
        REQUIRE(dialog.selectUser(QStringLiteral("iris")));
        QString askedForIris;
        auto cancelling = answerModals([&](QWidget& modal) { answerConfirmation(modal, false, &askedForIris); });
        approve->click();
        CHECK(askedForIris.contains(QStringLiteral("Roles granted: Intel supervisor.")));
        CHECK(askedForIris.contains(QStringLiteral("request an audit")));
        CHECK(askedForIris.contains(QStringLiteral("runs no facial recognition search")));
        CHECK_FALSE(askedForIris.contains(QStringLiteral("once its training")));
    }
    REQUIRE(dialog.selectUser(QStringLiteral("nina")));
    auto approvals = [&] {
        auto events = w.asAdmin([](ui::CoreServices& s) { return audit::AuditLog::list(s.store(), {.action = "user.approved"}); });
        REQUIRE(events);
        return events->size();
    };
    const std::size_t before = approvals();

    {
        auto confirming = answerModals([&](QWidget& modal) { answerConfirmation(modal, true); });
        approve->click();
    }
    CHECK(waitUntil([&] { return statusOfNina() == QStringLiteral("Active"); }));
    CHECK(approvals() == before + 1);
}

// Issue 9: "Approve access..." was enabled for a deactivated account. It is offered only for an account pending
// approval; for any other its tool tip says why.
TEST_CASE("Users and access: \"Approve access\" is offered only for an account pending approval",
          "[gui][accountability][admin]") {
    AccountabilityWorld w;
    REQUIRE(w.asAdmin([](ui::CoreServices& s) {
        return s.accounts().addUser({"nina", "Nina New", {workflow::Role::Investigator}}, "a long enough passphrase");
    }));
    auto gone = w.asAdmin([](ui::CoreServices& s) {
        return s.accounts().addUser({"gone", "Gone Away", {workflow::Role::Investigator}}, "a long enough passphrase");
    });
    REQUIRE(gone);
    auto deputyContext = w.contextFor(std::move(*w.deputy), "deputy");
    REQUIRE(storeCall(*deputyContext, [id = gone->id](ui::CoreServices& s) { return s.accounts().approve(id); }));
    REQUIRE(w.asAdmin([id = gone->id](ui::CoreServices& s) { return s.accounts().deactivate(id, "left the agency"); }));
    ui::AdminDialog dialog(*deputyContext);
    dialog.show();
    REQUIRE(waitUntil([&] { return dialog.usersTable()->rowCount() == 7; }));
    auto* approve = dialog.findChild<QPushButton*>(QStringLiteral("approve"));
    REQUIRE(approve);
    CHECK_FALSE(approve->isEnabled());  // nothing selected

    REQUIRE(dialog.selectUser(QStringLiteral("gone")));
    CHECK(dialog.usersTable()->item(dialog.usersTable()->currentRow(), 3)->text() == QStringLiteral("Deactivated"));
    CHECK_FALSE(approve->isEnabled());
    CHECK(approve->toolTip().contains(QStringLiteral("Deactivated")));
    REQUIRE(dialog.selectUser(QStringLiteral("admin")));
    CHECK_FALSE(approve->isEnabled());
    REQUIRE(dialog.selectUser(QStringLiteral("nina")));
    CHECK(approve->isEnabled());

    {
        auto confirming = answerModals([&](QWidget& modal) { answerConfirmation(modal, true); });
        approve->click();
    }
    REQUIRE(waitUntil([&] {
        return dialog.selectUser(QStringLiteral("nina")) &&
               dialog.usersTable()->item(dialog.usersTable()->currentRow(), 3)->text() == QStringLiteral("Active");
    }));
    CHECK_FALSE(approve->isEnabled());  // read back: nina is approved now
}

TEST_CASE("The new user dialog asks the initial password twice and refuses two that differ",
          "[gui][accountability][admin]") {
    guiApp();
    ui::NewUserDialog dialog;
    dialog.show();
    const auto field = [&](const char* name) { return dialog.findChild<QLineEdit*>(QLatin1String(name)); };
    field("username")->setText(QStringLiteral("nina"));
    field("displayName")->setText(QStringLiteral("Nina New"));
    field("password")->setText(QStringLiteral("a long enough passphrase"));
    field("repeatPassword")->setText(QStringLiteral("a long enough passphrasf"));
    auto* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    ok->click();
    CHECK(dialog.isVisible());
    CHECK(dialog.result() != QDialog::Accepted);
    CHECK(dialog.findChild<QLabel*>(QStringLiteral("newUserProblem"))->text().contains(QStringLiteral("differ")));
    field("repeatPassword")->setText(QStringLiteral("a long enough passphrase"));
    ok->click();
    CHECK(dialog.result() == QDialog::Accepted);
    CHECK(dialog.request().password == QStringLiteral("a long enough passphrase"));
}

TEST_CASE("The training quiz grades, and a trainer signs off a passed quiz", "[gui][accountability][training]") {
    AccountabilityWorld w;
    // Created by the administrator, approved by the deputy (two persons); the trainee then sets their own password.
    auto fresh = w.asAdmin([](ui::CoreServices& s) {
        return s.accounts().addUser({"trainee", "Tom Trainee", {workflow::Role::Investigator}}, kInitialPassword);
    });
    REQUIRE(fresh);
    REQUIRE(accounts::AccountService(*w.deputy).approve(fresh->id));
    w.chooseOwnPassword("trainee", *w.deputy);

    // The trainee takes the quiz signed in as themselves; the administrator signs off that attempt only.
    auto trainee = w.signedIn("trainee");
    ui::TrainingDialog quiz(*trainee);
    quiz.show();
    CHECK_FALSE(quiz.traineeChoiceAvailable());  // an investigator signs nobody off
    // Issue 9 re-trial: a blank paper was graded "Not passed: 0 of 8" and recorded. It is refused, naming how
    // many questions are unanswered, in the error style; nothing is recorded.
    const auto attemptsOfTrainee = [&] {
        return w.asAdmin([](ui::CoreServices& s) {
            return audit::AuditLog::list(s.store(), {.action = "training.quiz_attempted"});
        })->size();
    };
    CHECK(awaitAnswer([&](ui::Answer a) { quiz.grade(a); }));
    CHECK(quiz.resultText().startsWith(QStringLiteral("%1 of %1 questions are not answered").arg(quiz.paper().items.size())));
    CHECK(quiz.findChild<QLabel*>(QStringLiteral("quizResult"))->styleSheet().contains(QStringLiteral("#b00020")));
    CHECK(attemptsOfTrainee() == 0);
    const auto wrong = test::quizPositions(quiz.paper(), false);
    for (std::size_t i = 0; i < wrong.size(); ++i) quiz.chooseAnswer(int(i), wrong[i]);
    const training::QuizPaper failedPaper = quiz.paper();
    CHECK_FALSE(awaitAnswer([&](ui::Answer a) { quiz.grade(a); }));
    CHECK(quiz.resultText().startsWith(QStringLiteral("Not passed")));
    // Trial 14B finding 7: the failed answers stayed ticked in the same order (solved by elimination). The next
    // attempt is a new paper, reshuffled, with nothing ticked.
    const std::vector<int> ticked = quiz.answers();
    CHECK(std::all_of(ticked.begin(), ticked.end(), [](int chosen) { return chosen < 0; }));
    const auto order = [](const training::QuizPaper& paper) {
        std::vector<std::pair<std::size_t, std::vector<int>>> items;
        for (const auto& item : paper.items) items.emplace_back(item.question, item.choiceOrder);
        return items;
    };
    CHECK(order(quiz.paper()) != order(failedPaper));
    for (const auto& q : training::quizQuestions())  // a failed attempt reveals no answer
        CHECK_FALSE(quiz.resultText().contains(QString::fromUtf8(q.explanation.data(), qsizetype(q.explanation.size()))));

    ui::TrainingDialog dialog(*w.context);
    dialog.show();
    REQUIRE(waitUntil([&] { return dialog.traineeChoiceAvailable(); }));  // the program administrator may record training
    REQUIRE(dialog.selectTrainee(QStringLiteral("trainee")));
    // Trial 10: the Trainee row moved 14 px whenever a message appeared or went; a click landed on the wrong
    // trainee. Its place is the same with and without a message.
    dialog.findChild<QTabWidget*>()->setCurrentIndex(1);
    QCoreApplication::processEvents();
    auto* traineeCombo = dialog.findChild<QComboBox*>(QStringLiteral("trainee"));
    REQUIRE(traineeCombo);
    const auto traineeAt = [&] {
        QCoreApplication::processEvents();
        return QRect(traineeCombo->mapTo(&dialog, QPoint(0, 0)), traineeCombo->size());
    };
    const QRect withoutMessage = traineeAt();
    REQUIRE(dialog.resultText().isEmpty());
    // Before signing off, the trainer is shown the trainee's latest attempt (score, date, passed or not).
    QStringList shown;
    const auto confirm = answerModals([&](QWidget& modal) {
        QString question;
        if (answerConfirmation(modal, true, &question)) shown << question;
    });
    // Refused (no passed attempt of the trainee's own) before anything is asked, in the error style (issue 9
    // re-trial: "Sign off this trainee's training?" came first, then the refusal in plain text).
    CHECK(awaitAnswer([&](ui::Answer a) { dialog.signOff(a); }));
    CHECK(shown.isEmpty());
    CHECK(dialog.resultText().contains(QStringLiteral("no passed quiz of their own")));
    CHECK(dialog.findChild<QLabel*>(QStringLiteral("quizResult"))->styleSheet().contains(QStringLiteral("#b00020")));
    CHECK(traineeAt() == withoutMessage);

    const auto right = test::quizPositions(quiz.paper());
    for (std::size_t i = 0; i < right.size(); ++i) quiz.chooseAnswer(int(i), right[i]);
    CHECK_FALSE(awaitAnswer([&](ui::Answer a) { quiz.grade(a); }));
    CHECK(quiz.resultText().startsWith(QStringLiteral("Passed")));
    CHECK_FALSE(awaitAnswer([&](ui::Answer a) { dialog.signOff(a); }));
    REQUIRE(shown.size() == 1);
    CHECK(shown.back().contains(QStringLiteral(" — passed")));
    const QString score = QStringLiteral("%1\u00a0of\u00a0%1\u00a0correct").arg(quiz.paper().items.size());
    CHECK(shown.back().contains(score));  // the score never broken over two lines
    CHECK(shown.back().contains(QStringLiteral("2026-")));
    CHECK(dialog.resultText().startsWith(QStringLiteral("Training of Tom Trainee recorded")));  // no blank line first
    auto trained = w.asAdmin([id = fresh->id](ui::CoreServices& s) { return accounts::loadUser(s.store(), id); });
    REQUIRE(trained);
    CHECK(trained->trainingCompletedAt);
    CHECK(trained->trainingSignedOffBy == w.context->user().id);
    CHECK(w.asAdmin([id = fresh->id](ui::CoreServices& s) { return admin::checkCanSearch(s.store(), id); }));

    // Another trainee chosen next: the message about Tom is gone, not left beside someone else's name.
    REQUIRE(dialog.selectTrainee(QStringLiteral("ivan")));
    CHECK(dialog.resultText().isEmpty());
    CHECK(traineeAt() == withoutMessage);
}

// Trial 10: at 1366x768 the lesson list was cut at the right ("Consent and how the i…") with a sideways scroll.
TEST_CASE("The training lessons list every title whole at 1366x768", "[gui][accountability][training][fit]") {
    AccountabilityWorld w;
    ui::TrainingDialog dialog(*w.context);
    const QRect screen = dialog.screen()->availableGeometry();
    CHECK(dialog.width() <= screen.width());
    CHECK(dialog.height() <= screen.height());
    dialog.show();
    dialog.resize(1366 - 16, 768 - 48);
    QCoreApplication::processEvents();
    auto* lessons = dialog.findChild<QListWidget*>();
    REQUIRE(lessons);
    CHECK(lessons->horizontalScrollBar()->maximum() == 0);
    REQUIRE(lessons->count() == int(training::lessons().size()));
    for (int i = 0; i < lessons->count(); ++i) {
        const QString text = lessons->item(i)->text();
        INFO(text.toStdString());
        const QRect shown = lessons->visualItemRect(lessons->item(i));
        const QStringList lines = text.split(QLatin1Char('\n'));
        CHECK(lines.size() == 2);  // its SOP sections, then its title
        CHECK(shown.height() >= lines.size() * lessons->fontMetrics().lineSpacing());
        for (const QString& line : lines) CHECK(lessons->fontMetrics().horizontalAdvance(line) < shown.width());
        CHECK(shown.right() <= lessons->viewport()->width());
    }
}

TEST_CASE("Trainer mode refuses the live store and marks every window TRAINING", "[gui][accountability][trainer_mode]") {
    AccountabilityWorld w;
    ui::MainWindow window(*w.context);
    ui::installAccountabilityActions(window, *w.context);
    window.show();
    auto* banner = window.findChild<ui::PolicyBanner*>();
    const auto trainingBannerVisible = [&window] {
        for (auto* b : window.findChildren<ui::PolicyBanner*>())
            if (b->kind() == ui::PolicyBanner::Kind::Training) return b->isVisible();
        return false;
    };
    REQUIRE(banner != nullptr);
    CHECK_FALSE(trainingBannerVisible());
    CHECK(window.findChild<QAction*>(QStringLiteral("actionUsers"))->isEnabled());
    CHECK(window.findChild<QAction*>(QStringLiteral("actionAuditLog"))->isEnabled());

    ui::TrainerModeDialog dialog(QString(), [&w](const ui::TrainerModeRequest& r, const ui::Answer& answer) {
        ui::enterTrainerMode(*w.context, r, answer);
    });
    const auto storePathNow = [&w] {
        return w.asAdmin([](ui::CoreServices& s) { return Result<std::filesystem::path>(s.store().path()); }).value();
    };
    const auto tryOpen = [&dialog] {
        dialog.tryOpen();
        REQUIRE(waitUntil([&] { return dialog.isEnabled(); }));  // disabled while the attempt runs
        return dialog.errorText().isEmpty() ? std::nullopt : std::optional(dialog.errorText());
    };
    ui::TrainerModeRequest request{QString::fromStdString(w.storePath.string()), false, QStringLiteral("admin"), {},
                                   QString::fromUtf8(kPassword), {}};
    dialog.setRequest(request);
    auto refused = tryOpen();
    REQUIRE(refused);
    CHECK(refused->contains(QStringLiteral("live case store")));
    CHECK_FALSE(w.context->trainingMode());
    CHECK(storePathNow() == w.storePath);  // still the live session

    request.storePath = path(w, "class.store");
    request.createNew = true;
    request.username = QStringLiteral("tess");
    request.displayName = QStringLiteral("Tess Trainer");
    dialog.setRequest(request);
    REQUIRE_FALSE(tryOpen());
    CHECK(w.context->trainingMode());
    CHECK(trainingBannerVisible());
    CHECK(storePathNow() != w.storePath);
    CHECK(awaitAnswer([&](ui::Answer a) { ui::loadDemoGallery(&window, *w.context, QString(), a); }).has_value());  // no engine here: refused, not crashed

    // Training searches land in the training store only: the live figures are those of the fixture.
    auto live = accounts::signIn(w.storePath, "admin", kPassword, w.clock, w.policy);
    REQUIRE(live);
    auto stats = reports::computeStatistics(*live, {utc(2026, 1, 1, 0), utc(2026, 4, 1, 0)});
    REQUIRE(stats);
    CHECK(stats->totalSearches == 6);
    CHECK_FALSE(stats->trainingStore);

    // Leaving the training store switches training mode off.
    w.context->signOut();
    CHECK_FALSE(w.context->trainingMode());
}

TEST_CASE("The audit viewer filters, reports the chain and exports with the markings", "[gui][accountability][audit]") {
    AccountabilityWorld w;
    ui::AuditViewer viewer(*w.context);
    viewer.show();
    REQUIRE(waitUntil([&] { return !viewer.entries().empty(); }));
    const auto all = viewer.entries().size();
    CHECK(all > 5);
    CHECK(viewer.chainText().startsWith(QStringLiteral("Chain verified")));
    // Issue 9 re-trial: "Chain verified: 156 entries checked … Showing 157 (all entries)". Every time the
    // whole log is shown, it is the chain that was checked: the two numbers agree.
    for (int again = 0; again < 2; ++again) {
        CHECK_FALSE(awaitAnswer([&](ui::Answer a) { viewer.apply({}, a); }));
        INFO(viewer.chainText().toStdString());
        CHECK(viewer.chainText().contains(QStringLiteral("Chain verified: %1 entries checked").arg(viewer.entries().size())));
        CHECK(viewer.chainText().contains(QStringLiteral("Showing %1 (all entries)").arg(viewer.entries().size())));
    }

    ui::AuditViewFilter filter;
    filter.action = QStringLiteral("user.approved");
    CHECK_FALSE(awaitAnswer([&](ui::Answer a) { viewer.apply(filter, a); }));
    CHECK(viewer.entries().size() >= 3);  // ivan, ines, cora at least
    for (const auto& e : viewer.entries()) CHECK(e.action == "user.approved");

    filter = {};
    filter.caseNumber = QStringLiteral("NO-SUCH-CASE");
    CHECK(awaitAnswer([&](ui::Answer a) { viewer.apply(filter, a); }).has_value());

    filter = {};
    filter.userId = w.ivan.id;
    CHECK_FALSE(awaitAnswer([&](ui::Answer a) { viewer.apply(filter, a); }));
    for (const auto& e : viewer.entries()) CHECK(e.userId == w.ivan.id);

    const QString csv = path(w, "audit.csv");
    CHECK_FALSE(viewer.exportCsv(csv));
    CHECK(QFile::permissions(csv) == (QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser));  // issue 8 item 5
    QFile file(csv);
    REQUIRE(file.open(QIODevice::ReadOnly));
    const QString csvText = QString::fromUtf8(file.readAll());
    CHECK(csvText.startsWith(kMarking));
    CHECK(csvText.contains(kDisclaimer));

    const QString pdf = path(w, "audit.pdf");
    CHECK_FALSE(viewer.exportPdf(pdf));
    const QString text = pdfText(pdf);
    CHECK(text.contains(kMarking));
    CHECK(text.contains(QStringLiteral("Chain status")));
}

TEST_CASE("The statistics screen charts the fixture's figures and exports them", "[gui][accountability][statistics]") {
    AccountabilityWorld w;
    ui::StatisticsDialog dialog(*w.context);
    dialog.show();
    CHECK_FALSE(awaitAnswer([&](ui::Answer a) { dialog.compute({utc(2026, 1, 1, 0), utc(2026, 4, 1, 0)}, a); }));
    REQUIRE(dialog.statistics());
    CHECK(dialog.statistics()->totalSearches == 6);
    CHECK(dialog.tabs()->count() == 6);
    const QString csv = path(w, "statistics.csv");
    CHECK_FALSE(dialog.exportCsv(csv));
    CHECK(QFile::permissions(csv) == (QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser));  // issue 8 item 5
    const QString pdf = path(w, "statistics.pdf");
    CHECK_FALSE(dialog.exportPdf(pdf));
    const QString text = pdfText(pdf);
    CHECK(text.contains(QStringLiteral("January 2026")));
    CHECK(text.contains(kMarking));
}

TEST_CASE("Menu actions follow the roles: an investigator gets no administration", "[gui][accountability][roles]") {
    AccountabilityWorld w;
    auto ivan = w.signedIn("ivan");
    ui::MainWindow window(*ivan);
    ui::installAccountabilityActions(window, *ivan);
    CHECK_FALSE(window.findChild<QAction*>(QStringLiteral("actionUsers"))->isEnabled());
    CHECK_FALSE(window.findChild<QAction*>(QStringLiteral("actionAuditLog"))->isEnabled());
    CHECK_FALSE(window.findChild<QAction*>(QStringLiteral("actionAnnualReview"))->isEnabled());
    CHECK(window.findChild<QAction*>(QStringLiteral("actionTraining"))->isEnabled());
    CHECK(window.findChild<QAction*>(QStringLiteral("actionCaseReport"))->isEnabled());
    CHECK(window.findChild<QAction*>(QStringLiteral("actionTrainerMode"))->isEnabled());
}

TEST_CASE("The audit requests screen files, runs and shows a result", "[gui][accountability][audit_requests]") {
    AccountabilityWorld w;
    REQUIRE(w.asAdmin([](ui::CoreServices& s) -> Result<accounts::User> {
        return s.accounts().addUser({"intel", "Ian Intel", {workflow::Role::IntelSupervisor}}, kInitialPassword);
    }));
    {
        auto intel = accounts::AccountService(*w.deputy).findByUsername("intel");
        REQUIRE(intel);
        REQUIRE(accounts::AccountService(*w.deputy).approve(intel->id));  // two persons give access
        w.chooseOwnPassword("intel", *w.deputy);
    }
    auto intel = w.signedIn("intel");
    ui::AuditRequestsDialog byIntel(*intel);
    reports::AuditRequestInput input;
    input.scope.kind = reports::AuditScopeKind::User;
    input.scope.userId = w.ivan.id;
    input.reason = "Complaint about queries by ivan";
    CHECK_FALSE(awaitAnswer([&](ui::Answer a) { byIntel.file(input, {}, a); }));
    REQUIRE(byIntel.table()->rowCount() == 1);
    const auto id = byIntel.table()->item(0, 0)->data(Qt::UserRole).toLongLong();
    REQUIRE(byIntel.selectRequest(id));
    CHECK(awaitAnswer([&](ui::Answer a) { byIntel.runSelected(a); }).has_value());  // only the program administrator runs it

    ui::AuditRequestsDialog byAdmin(*w.context);
    REQUIRE(waitUntil([&] { return byAdmin.selectRequest(id); }));
    CHECK_FALSE(awaitAnswer([&](ui::Answer a) { byAdmin.runSelected(a); }));
    REQUIRE(byAdmin.selectRequest(id));
    CHECK(byAdmin.table()->item(byAdmin.table()->currentRow(), 5)->text() == QStringLiteral("Completed"));

    REQUIRE_FALSE(awaitAnswer([&](ui::Answer a) { byIntel.refresh([a] { a(std::nullopt); }); }));
    REQUIRE(byIntel.selectRequest(id));
    std::optional<Result<reports::AuditRequestResult>> answered;
    byIntel.resultOfSelected([&answered](const Result<reports::AuditRequestResult>& r) { answered.emplace(r); });
    REQUIRE(waitUntil([&] { return answered.has_value(); }));
    auto& result = *answered;
    REQUIRE(result);
    CHECK_FALSE(result->entries.empty());
    const QString pdf = path(w, "audit-result.pdf");
    CHECK_FALSE(byIntel.saveResultPdf(*result, pdf));
    const QString text = pdfText(pdf);
    CHECK(text.contains(QStringLiteral("Complaint about queries by ivan")));
    CHECK(text.contains(kMarking));
}

TEST_CASE("The audit log window keeps to the screen whatever the finding says (trials 26 F8, 30 N8)",
          "[gui][accountability][audit]") {
    AccountabilityWorld w;
    ui::AuditViewer viewer(*w.context);
    viewer.show();
    auto* chain = viewer.findChild<QLabel*>(QStringLiteral("chainStatus"));
    REQUIRE(chain);
    // A finding quoting an insider's value of 3,000 letters without a space made the window 32767 px wide.
    chain->setText(QStringLiteral("The setting admin.agency_name is \"%1\" in the store.").arg(QString(3000, QLatin1Char('W'))));
    CHECK(viewer.minimumSizeHint().width() < 1366);
    CHECK(viewer.sizeHint().width() < 1366);
}

TEST_CASE("Accountability screens carry the TRAINING banner in training mode", "[gui][accountability][trainer_mode]") {
    AccountabilityWorld w;
    ui::AuditViewer viewer(*w.context);
    viewer.show();
    auto* banner = viewer.findChild<ui::PolicyBanner*>(QStringLiteral("trainingBanner"));
    REQUIRE(banner != nullptr);
    CHECK_FALSE(banner->isVisible());
    w.context->setTrainingMode(true);
    CHECK(banner->isVisible());
    CHECK(viewer.findChild<QLabel*>(QStringLiteral("screenMarking"))->text().contains(kMarking));
}

// Issue 11 item 4: the case window's "Disclosure packet" writes packet.json and packet.pdf off the UI thread;
// only the case's officer (or a supervisor, a program administrator) may, and a refusal is shown word for word.
TEST_CASE("The case window writes the disclosure packet for the case's officer and refuses an investigator",
          "[gui][accountability][disclosure]") {
    AccountabilityWorld w;
    auto ivanContext = w.signedIn("ivan");
    const auto made = storeCall(*ivanContext, [&w](ui::CoreServices& s) { return Result<RealCase>(makeRealCase(s, w.cora.id)); }).value();

    auto coraContext = w.signedIn("cora");
    ui::CaseWindow coraWindow(*coraContext, made.record.id);
    CHECK(coraWindow.findChild<QPushButton*>(QStringLiteral("discloseButton"))->isEnabled());
    const QString folder = path(w, "discovery");
    coraWindow.disclose(folder);
    REQUIRE(waitUntil([&] { return !coraWindow.notice().isEmpty(); }));
    INFO(coraWindow.notice().toStdString());
    CHECK(coraWindow.notice().contains(QStringLiteral("packet.pdf")));
    const QString pdf = folder + QStringLiteral("/packet.pdf");
    CHECK(QFile::permissions(pdf) == (QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser));
    CHECK(QFile::exists(folder + QStringLiteral("/packet.json")));
    const QString text = pdfText(pdf);
    CHECK(text.contains(QStringLiteral("Disclosure packet")));
    CHECK(text.contains(QStringLiteral("No search was run in this case.")));
    CHECK(text.contains(QStringLiteral("advisory in nature")));

    ui::CaseWindow ivanWindow(*ivanContext, made.record.id);
    CHECK_FALSE(ivanWindow.findChild<QPushButton*>(QStringLiteral("discloseButton"))->isEnabled());
    const QString refusedFolder = path(w, "refused");
    ivanWindow.disclose(refusedFolder);
    REQUIRE(waitUntil([&] { return !ivanWindow.notice().isEmpty(); }));
    CHECK(ivanWindow.notice().contains(QStringLiteral("You may not disclose a case")));
    CHECK_FALSE(QFile::exists(refusedFolder));
}

TEST_CASE("The case window offers a new search only to who may search, and says why not in the core's words",
          "[gui][accountability][case_window]") {
    AccountabilityWorld w;
    auto ivanContext = w.signedIn("ivan");
    const auto made = storeCall(*ivanContext, [&w](ui::CoreServices& s) { return Result<RealCase>(makeRealCase(s, w.cora.id)); }).value();
    const auto newSearchButton = [](ui::CaseWindow& window) {
        return window.findChild<QPushButton*>(QStringLiteral("newSearchButton"));
    };

    ui::CaseWindow ivanWindow(*ivanContext, made.record.id);
    REQUIRE(waitUntil([&] { return !ivanWindow.historyHtml().isEmpty(); }));
    CHECK(newSearchButton(ivanWindow)->isEnabled());
    // The history reads as people read it: the consent's label and local times, not stored words.
    CHECK(ivanWindow.historyHtml().contains(QStringLiteral("Not a capture of the person by the agency")));
    CHECK_FALSE(QRegularExpression(QStringLiteral("\\d{4}-\\d\\d-\\d\\dT\\d\\d:")).match(ivanWindow.historyHtml()).hasMatch());

    auto coraContext = w.signedIn("cora");  // a case officer: no investigator role
    const auto refusal = storeCall(*coraContext, [](ui::CoreServices& s) { return s.cases().searchGate(); });
    REQUIRE_FALSE(refusal);
    ui::CaseWindow coraWindow(*coraContext, made.record.id);
    REQUIRE(waitUntil([&] { return !coraWindow.historyHtml().isEmpty(); }));
    CHECK_FALSE(newSearchButton(coraWindow)->isEnabled());
    CHECK(newSearchButton(coraWindow)->toolTip() == QString::fromStdString(refusal.error().message));
}

// Issue 9 re-trial: the case report asked for a file name, then refused a user who may not read the case (need
// to know, VI.B.6). The core is asked first: the refusal comes before any file dialog, in the core's words.
TEST_CASE("The case report refuses a user without need to know before asking for a file", "[gui][accountability][need_to_know]") {
    AccountabilityWorld w;
    auto ivanContext = w.signedIn("ivan");
    const auto made = storeCall(*ivanContext, [&w](ui::CoreServices& s) { return Result<RealCase>(makeRealCase(s, w.cora.id)); }).value();
    auto ines = w.signedIn("ines");  // an investigator who does not work the case
    ui::MainWindow window(*ines);
    ui::installAccountabilityActions(window, *ines);
    QStringList seen;  // the dialogs, in order: their class and text
    QString warning;
    auto answering = answerModals([&](QWidget& modal) {
        seen << QString::fromLatin1(modal.metaObject()->className());
        if (auto* input = qobject_cast<QInputDialog*>(&modal)) {
            input->setTextValue(QString::fromStdString(made.record.caseNumber));
            input->accept();
        } else if (auto* box = qobject_cast<QMessageBox*>(&modal)) {
            warning = box->text();
            box->accept();
        } else if (auto* dialog = qobject_cast<QDialog*>(&modal)) {
            dialog->reject();  // a file dialog: what must not come first
        }
    });
    window.findChild<QAction*>(QStringLiteral("actionCaseReport"))->trigger();
    REQUIRE(waitUntil([&] { return !warning.isEmpty() || seen.size() >= 2; }));
    REQUIRE(waitUntil([&] { return !QApplication::activeModalWidget(); }));
    INFO(seen.join(QStringLiteral(", ")).toStdString());
    CHECK(seen == QStringList{QStringLiteral("QInputDialog"), QStringLiteral("QMessageBox")});
    CHECK(warning.contains(QString::fromStdString(made.record.caseNumber)));
}

TEST_CASE("Reports → Case report offers the case selected on the Cases page (trial 74 F10)", "[gui][accountability]") {
    AccountabilityWorld w;
    auto ivanContext = w.signedIn("ivan");
    const auto made = storeCall(*ivanContext, [&w](ui::CoreServices& s) { return Result<RealCase>(makeRealCase(s, w.cora.id)); }).value();
    ui::MainWindow window(*ivanContext);
    ui::installAccountabilityActions(window, *ivanContext);
    auto* cases = window.findChild<ui::CasesPage*>();
    REQUIRE(cases);
    cases->refresh();
    const QString number = QString::fromStdString(made.record.caseNumber);
    REQUIRE(waitUntil([&] { return !cases->table()->findItems(number, Qt::MatchExactly).isEmpty(); }));
    cases->table()->setCurrentItem(cases->table()->findItems(number, Qt::MatchExactly).front());
    QString offered = QStringLiteral("(not asked)");
    auto answering = answerModals([&](QWidget& modal) {
        if (auto* input = qobject_cast<QInputDialog*>(&modal)) offered = input->textValue();
        if (auto* dialog = qobject_cast<QDialog*>(&modal)) dialog->reject();
    });
    window.findChild<QAction*>(QStringLiteral("actionCaseReport"))->trigger();
    REQUIRE(waitUntil([&] { return offered != QStringLiteral("(not asked)") && !QApplication::activeModalWidget(); }));
    CHECK(offered == number);

    // Opened twice, a case has one window, brought forward (trial 78 F10: six windows of one case).
    cases->openCase(made.record.id);
    cases->openCase(made.record.id);
    CHECK(window.findChildren<ui::CaseWindow*>().size() == 1);
}

TEST_CASE("The settings screen chooses the rule pack by its title and version; the core bounds what goes with it",
          "[gui][accountability][admin][packs]") {
    AccountabilityWorld w;
    ui::AdminDialog dialog(*w.context);
    dialog.show();
    auto* chooser = dialog.findChild<QComboBox*>(QStringLiteral("admin.policy_pack"));
    REQUIRE(chooser);
    REQUIRE(chooser->count() == 3);
    REQUIRE(waitUntil([&] { return dialog.usersTable()->rowCount() == 5; }));  // the users and settings, read together
    CHECK(chooser->currentData().toString() == QStringLiteral("sop-302-02"));
    const auto current = dialog.settingsFromForm();
    REQUIRE(current);
    const int maryland = chooser->findData(QStringLiteral("maryland-2024"));
    REQUIRE(maryland >= 0);
    CHECK(chooser->itemText(maryland).contains(QStringLiteral("Maryland 2024")));
    const int version = workflow::findPack("maryland-2024")->version;  // the shipped pack's, as the chooser names it
    CHECK(chooser->itemText(maryland).endsWith(QStringLiteral(" v%1").arg(version)));

    chooser->setCurrentIndex(maryland);
    auto settings = dialog.settingsFromForm();  // training never expires: longer than the pack allows
    REQUIRE_FALSE(settings);
    CHECK(settings.error().code == ErrorCode::PolicyViolation);
    CHECK_THAT(settings.error().message, Catch::Contains("365"));

    const auto wanted = admin::fitToPack(*current, *workflow::findPack("maryland-2024"));
    CHECK_FALSE(awaitAnswer([&](ui::Answer a) { dialog.saveSettings(wanted, a); }));
    auto stored = w.asAdmin([](ui::CoreServices& s) { return admin::loadSettings(s.store()); });
    REQUIRE(stored);
    CHECK(stored->policyPack == "maryland-2024");
}

}  // namespace facelead::test
