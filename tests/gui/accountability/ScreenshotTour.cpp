// Screenshots of the accountability screens for docs/screenshots (hidden test, run on purpose), one line:
//   FACELEAD_SCREENSHOT_DIR=docs/screenshots xvfb-run -a -s "-screen 0 1600x1000x24"
//   build/tests/gui/accountability/gui_accountability "[.screenshots]"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTabWidget>

#include <cstdlib>

#include "core/reports/AnnualReview.h"
#include "core/reports/CaseReport.h"
#include "tests/gui/accountability/AccountabilityWorld.h"
#include "ui/accountability/AdminDialog.h"
#include "ui/accountability/AuditViewer.h"
#include "ui/accountability/PdfRenderer.h"
#include "ui/accountability/StatisticsDialog.h"

namespace facelead::test {
namespace {

constexpr qint64 kMaxBytes = 300 * 1024;

void save(QWidget& widget, const QDir& dir, const QString& name) {
    widget.show();
    waitUntil([] { return false; }, 300);  // let layouts and charts settle
    const QString file = dir.filePath(QStringLiteral("accountability-%1.png").arg(name));
    REQUIRE(widget.grab().save(file, "PNG"));
    CHECK(QFileInfo(file).size() < kMaxBytes);
}

}  // namespace

TEST_CASE("Accountability screenshot tour", "[.screenshots]") {
    const char* target = std::getenv("FACELEAD_SCREENSHOT_DIR");
    REQUIRE(target != nullptr);
    const QDir dir(QString::fromLocal8Bit(target));
    AccountabilityWorld w;
    w.clock->advanceDays(3);
    REQUIRE(w.signIn("ivan"));  // some activity to show
    w.clock->advanceDays(1);

    ui::AdminDialog admin(*w.context);
    REQUIRE_FALSE(awaitAnswer([&](ui::Answer a) {
        admin.createUser({QStringLiteral("nina"), QStringLiteral("Nina Newcomer"), QStringLiteral("a long enough passphrase"),
                          {workflow::Role::Investigator}}, a);
    }));
    admin.resize(1200, 560);
    save(admin, dir, QStringLiteral("admin"));

    ui::AuditViewer viewer(*w.context);
    REQUIRE(waitUntil([&] { return !viewer.entries().empty(); }));
    viewer.resize(1300, 640);
    save(viewer, dir, QStringLiteral("audit-viewer"));

    ui::StatisticsDialog stats(*w.context);
    stats.resize(1100, 640);
    REQUIRE_FALSE(awaitAnswer([&](ui::Answer a) { stats.compute({utc(2026, 1, 1, 0), utc(2026, 4, 1, 0)}, a); }));
    stats.tabs()->setCurrentIndex(1);  // searches per purpose
    save(stats, dir, QStringLiteral("statistics-chart"));

    auto ivan = w.signedIn("ivan");
    auto caseDocument = storeCall(*ivan, [&w](ui::CoreServices& s) {
        const auto made = makeRealCase(s, w.cora.id);
        return reports::generateCaseReport(s.session(), s.cases(), made.record.id, "North Port Police Department");
    });
    REQUIRE(caseDocument);
    const QString casePdf = QDir(QString::fromStdString(w.dir.path().string())).filePath(QStringLiteral("case.pdf"));
    REQUIRE(ui::renderPdf(*caseDocument, casePdf));
    const QString casePrefix = dir.filePath(QStringLiteral("accountability-case-report-page"));
    QProcess::execute(QStringLiteral("pdftoppm"), {QStringLiteral("-png"), QStringLiteral("-r"), QStringLiteral("80"),
                                                   QStringLiteral("-f"), QStringLiteral("1"), QStringLiteral("-l"),
                                                   QStringLiteral("1"), QStringLiteral("-singlefile"), casePdf, casePrefix});
    CHECK(QFileInfo(casePrefix + QStringLiteral(".png")).size() < kMaxBytes);

    auto review = w.asAdmin([](ui::CoreServices& s) { return reports::computeAnnualReview(s.session(), 2026); });
    REQUIRE(review);
    const QString pdf = QDir(QString::fromStdString(w.dir.path().string())).filePath(QStringLiteral("review.pdf"));
    REQUIRE(ui::renderPdf(reports::annualReviewReport(*review, "North Port Police Department", "Ada Admin",
                                                      w.clock->now()),
                          pdf));
    const QString prefix = dir.filePath(QStringLiteral("accountability-report-page"));
    QProcess::execute(QStringLiteral("pdftoppm"), {QStringLiteral("-png"), QStringLiteral("-r"), QStringLiteral("80"),
                                                   QStringLiteral("-f"), QStringLiteral("1"), QStringLiteral("-l"),
                                                   QStringLiteral("1"), QStringLiteral("-singlefile"), pdf, prefix});
    CHECK(QFileInfo(prefix + QStringLiteral(".png")).size() > 0);
    CHECK(QFileInfo(prefix + QStringLiteral(".png")).size() < kMaxBytes);
}

}  // namespace facelead::test
