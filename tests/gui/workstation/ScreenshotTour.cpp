// Not a test of behaviour: a tour that saves screenshots for docs/screenshots/ and for looking at the UI
// like a user. Hidden from normal runs; run with
//   FACELEAD_SCREENSHOT_DIR=docs/screenshots xvfb-run -a build/tests/gui/workstation/gui_workstation "[.screenshots]"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRadioButton>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>

#include <catch2/catch.hpp>

#include "tests/gui/support/GuiWorld.h"
#include "ui/results/CaseWindow.h"
#include "ui/results/ComparisonView.h"
#include "ui/results/ResultsWindow.h"
#include "ui/widgets/ImageView.h"
#include "ui/wizard/SearchWizard.h"
#include "ui/wizard/WizardPages.h"
#include "ui/workstation/CoreServices.h"
#include "ui/workstation/MainWindow.h"

namespace facelead::test {
namespace {

void save(QWidget& widget, const QString& dir, const QString& name) {
    waitUntil([] { return false; }, 300);  // let layouts and pending paints settle
    const QString file = QDir(dir).filePath(name + QStringLiteral(".png"));
    REQUIRE(widget.grab().save(file));
}

}  // namespace

TEST_CASE("Screenshot tour", "[.screenshots]") {
    const char* target = std::getenv("FACELEAD_SCREENSHOT_DIR");
    GuiWorld* world = GuiWorld::get();
    if (!world || !target) return;
    const QString dir = QString::fromLocal8Bit(target);
    QDir().mkpath(dir);
    auto context = world->signIn("ivan");

    ui::SearchWizard wizard(*context);
    wizard.resize(1280, 860);
    wizard.show();
    ui::PurposePage* purpose = wizard.purposePage();
    waitUntil([purpose] { return purpose->caseOfficerCombo()->count() > 0; });
    purpose->caseNumberEdit()->setText(QStringLiteral("2026-004512"));
    purpose->offenceEdit()->setText(QStringLiteral("Armed robbery, F.S. 812.13 — Main St pharmacy"));
    purpose->purposeCombo()->setCurrentIndex(2);
    purpose->justificationEdit()->setPlainText(QStringLiteral(
        "A man threatened the pharmacist with a handgun on 20 Nov 2026 at 14:05; the counter camera recorded "
        "his face. No suspect has been named."));
    for (int i = 0; i < 3; ++i) purpose->attestationBoxes()[std::size_t(i)]->setChecked(true);
    save(wizard, dir, QStringLiteral("wizard-1-purpose"));
    for (QCheckBox* box : purpose->attestationBoxes()) box->setChecked(true);
    wizard.next();
    ui::ProbePage* probe = wizard.probePage();
    probe->loadFile(QString::fromStdString((world->faces() / "face_recognition" / "examples" / "obama.jpg").string()));
    waitUntil([probe] { return !probe->loading(); });
    if (!wizard.draft().original) {
        probe->loadFile(QString::fromStdString((world->faces() / "bbt" / "amy" / "amy1.png").string()));
        waitUntil([probe] { return !probe->loading(); });
    }
    probe->consentButton(workflow::ConsentKind::NotAgencyCapture)->setChecked(true);
    probe->imageSourceEdit()->setText(QStringLiteral("CCTV export, Main St pharmacy, camera 3, 2026-11-20 14:05"));
    save(wizard, dir, QStringLiteral("wizard-2-probe"));
    wizard.next();
    ui::EnhancePage* enhance = wizard.enhancePage();
    enhance->addStep(imaging::GammaStep{1.3});
    enhance->addStep(imaging::EqualizeStep{2.0, 8});
    enhance->showPreviewNow();
    waitUntil([enhance] { return !enhance->busy(); });
    save(wizard, dir, QStringLiteral("wizard-3-enhance"));
    wizard.next();
    waitUntil([&] { return !wizard.facePage()->detecting(); });
    save(wizard, dir, QStringLiteral("wizard-4-face"));
    if (wizard.facePage()->isComplete()) {
        wizard.next();
        wizard.reviewPage()->candidateLimit()->setValue(20);
        wizard.reviewPage()->run();
        waitUntil([&] { return !wizard.reviewPage()->running(); });
        save(wizard, dir, QStringLiteral("wizard-5-review"));
    }
    wizard.hide();

    ui::MainWindow window(*context);
    window.resize(1400, 860);
    window.show();
    window.refreshPages();
    waitUntil([] { return false; }, 1000);  // the pages are read in the background
    save(window, dir, QStringLiteral("main-window"));
    window.tabs()->setCurrentIndex(4);
    for (QTableWidget* table : window.findChildren<QTableWidget*>())
        if (table->accessibleName() == QStringLiteral("Gallery subjects")) table->selectRow(0);
    waitUntil([] { return false; }, 1000);  // thumbnails are read in the background
    save(window, dir, QStringLiteral("main-window-gallery"));

    if (wizard.searchId()) {
        ui::ResultsWindow results(*context, *wizard.searchId());
        results.resize(1500, 900);
        results.show();
        waitUntil([&] { return results.loaded(); });
        results.selectRow(0);
        waitUntil([&] { return !results.comparison()->candidateView()->image().isNull(); }, 20000);
        waitUntil([] { return false; }, 1500);  // landmark analysis
        for (QCheckBox* box : results.comparison()->findChildren<QCheckBox*>())
            if (box->text().contains(QStringLiteral("landmarks"))) box->setChecked(true);
        save(results, dir, QStringLiteral("results-comparison"));
        results.comparison()->blendSlider()->setValue(45);
        save(results, dir, QStringLiteral("results-blend"));

        const auto caseId = storeCall(*context, [](ui::CoreServices& s) { return s.cases().findCase("2026-004512"); })->id;
        ui::CaseWindow history(*context, caseId);
        history.resize(1100, 850);
        history.show();
        waitUntil([&] { return !history.historyHtml().isEmpty(); });
        save(history, dir, QStringLiteral("case-history"));
    }
}

}  // namespace facelead::test
