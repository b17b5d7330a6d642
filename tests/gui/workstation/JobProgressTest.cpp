// The progress dialog of a long job (ui/workstation/Background.h) under the timing of a loaded machine:
// a progress update and the job's answer queued back to back. CI crashed here (SIGSEGV in the gallery
// enrolment test): QProgressDialog::setValue on a showing modal dialog runs a nested event loop, the answer
// ran inside it and deleted the dialog under setValue's feet.

#include <QApplication>
#include <QMainWindow>
#include <QProgressDialog>
#include <QPushButton>

#include <thread>

#include <catch2/catch.hpp>

#include "tests/gui/support/GuiWorld.h"
#include "ui/workstation/Background.h"

namespace facelead::test {

TEST_CASE("Job progress: an update and the job's answer queued together never run inside each other",
          "[gui][workstation][progress]") {
    if (!GuiWorld::get()) return;
    QMainWindow window;
    window.show();
    auto progress = std::make_unique<ui::JobProgress>(&window, QStringLiteral("Working…"));
    auto* dialog = window.findChild<QProgressDialog*>();
    REQUIRE(dialog);
    REQUIRE(waitUntil([&] { return dialog->isVisible(); }, 5000));  // shown after its 300 ms

    bool updateApplied = false;
    bool answerRanInsideUpdate = false;
    std::thread worker([&] { progress->report(3, 10, "Enrolling photo 3 of 10"); });  // from the job's thread
    worker.join();
    QMetaObject::invokeMethod(qApp, [&] {
        answerRanInsideUpdate = dialog->labelText() != QStringLiteral("Enrolling photo 3 of 10");
        updateApplied = dialog->value() == 3;
        progress->finish();  // as runWithProgress's reply does
    }, Qt::QueuedConnection);
    REQUIRE(waitUntil([&] { return window.findChildren<QProgressDialog*>().isEmpty(); }, 5000));
    CHECK(updateApplied);
    CHECK_FALSE(answerRanInsideUpdate);
    CHECK_FALSE(progress->cancelled());
}

TEST_CASE("Job progress: a job over before 300 ms never shows its dialog; Cancel reaches the job's flag",
          "[gui][workstation][progress]") {
    if (!GuiWorld::get()) return;
    QMainWindow window;
    window.show();
    {
        ui::JobProgress quick(&window, QStringLiteral("Quick"));
        quick.report(1, 1, {});
        quick.finish();
        QProgressDialog* shown = nullptr;
        waitUntil([&] {
            for (auto* dialog : window.findChildren<QProgressDialog*>()) if (dialog->isVisible()) shown = dialog;
            return shown != nullptr;
        }, 600);
        CHECK(shown == nullptr);
    }
    ui::JobProgress slow(&window, QStringLiteral("Slow"));
    auto* dialog = window.findChild<QProgressDialog*>();
    REQUIRE(dialog);
    REQUIRE(waitUntil([&] { return dialog->isVisible(); }, 5000));
    REQUIRE(dialog->findChild<QPushButton*>());
    dialog->findChild<QPushButton*>()->click();  // as the person does
    CHECK(slow.cancelled());
    CHECK_FALSE(slow.report(2, 10, {}));  // the job learns it should stop
    CHECK(slow.cancelFlag()->load());
    waitUntil([] { return false; }, 400);  // a late update must not bring the dialog back
    CHECK_FALSE(dialog->isVisible());
    slow.finish();
}

}  // namespace facelead::test
