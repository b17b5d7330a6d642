// Issue 9 item 9 in the workstation: "Remove from gallery…" on the gallery tab, for a role that may manage
// the gallery and a selected subject; the reason is asked in a dialog (no nested event loop), the removal runs
// on the store thread through the core's facade, and the list is read back from the store without it. The
// subject also leaves the 1:N index the workstation searches, and the audit log records who and why.

#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include "core/audit/AuditLog.h"
#include "tests/gui/support/GuiWorld.h"
#include "ui/results/CandidateModel.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/CoreServices.h"
#include "ui/workstation/MainWindow.h"
#include "ui/workstation/Pages.h"

namespace facelead::test {
namespace {

int rowOf(const QTableWidget* table, std::int64_t subjectId) {
    for (int row = 0; row < table->rowCount(); ++row)
        if (table->item(row, 0) && table->item(row, 0)->data(Qt::UserRole).toLongLong() == subjectId) return row;
    return -1;
}

ui::GalleryPage* galleryTab(ui::MainWindow& window) {
    auto* page = window.findChild<ui::GalleryPage*>();
    REQUIRE(page);
    page->refresh();
    REQUIRE(waitUntil([page] { return page->subjects()->rowCount() > 0; }));
    return page;
}

}  // namespace

TEST_CASE("Gallery: a wrongly enrolled subject is removed with a reason and leaves the list and the index",
          "[gui][workstation][gallery]") {
    GuiWorld* world = GuiWorld::get();
    if (!world) return;
    auto context = world->signIn("admin");  // ManageGallery: program administrator
    // The wrong entry, written through the core with a descriptor far from every real face (no engine needed).
    struct Added {
        std::int64_t subjectId = 0;
        std::size_t indexSize = 0;
    };
    auto added = storeCall(*context, [](ui::CoreServices& s) -> Result<Added> {
        gallery::NewFace face{{0x89, 'P', 'N', 'G'}, {}, {}, {}, "wrong/enrolment.png"};
        face.descriptor.fill(5.0f);
        const gallery::SubjectFields subject{"Wrongly Enrolled", std::nullopt, "gui test", std::nullopt};
        auto written = s.gallery().addFaces(s.store(), s.galleryActor(), {gallery::NewSubjectFaces{subject, {face}}});
        if (!written) return written.error();
        return Added{written->front().subjectId, s.gallery().index().size()};
    });
    REQUIRE(added);
    ui::MainWindow window(*context);
    window.show();
    auto* page = galleryTab(window);
    REQUIRE(waitUntil([&] { return rowOf(page->subjects(), added->subjectId) >= 0; }));

    page->subjects()->setCurrentCell(-1, -1);
    CHECK_FALSE(page->removeButton()->isEnabled());  // nothing selected
    page->subjects()->setCurrentCell(rowOf(page->subjects(), added->subjectId), 0);
    REQUIRE(page->removeButton()->isEnabled());
    page->removeButton()->click();

    auto* dialog = page->findChild<QDialog*>(QStringLiteral("removeSubjectDialog"));
    REQUIRE(dialog);
    CHECK(dialog->isVisible());
    auto* reason = dialog->findChild<QPlainTextEdit*>();
    auto* buttons = dialog->findChild<QDialogButtonBox*>();
    REQUIRE(reason);
    REQUIRE(buttons);
    QPushButton* confirm = buttons->button(QDialogButtonBox::Ok);
    CHECK_FALSE(confirm->isEnabled());  // no reason yet
    reason->setPlainText(QStringLiteral("   "));
    CHECK_FALSE(confirm->isEnabled());  // a blank reason is no reason
    const QString why = QStringLiteral("Enrolled by mistake: the photo shows another person.");
    reason->setPlainText(why);
    REQUIRE(confirm->isEnabled());
    confirm->click();

    // The list is read back from the store, without the subject.
    REQUIRE(waitUntil([&] { return rowOf(page->subjects(), added->subjectId) < 0 && page->subjects()->rowCount() > 0; }));
    CHECK(page->message()->text().isEmpty());

    struct After {
        std::size_t indexSize = 0;
        std::vector<audit::AuditEntry> removals;
    };
    auto after = storeCall(*context, [](ui::CoreServices& s) -> Result<After> {
        auto removals = audit::AuditLog::list(s.store(), {.action = "gallery.subject_removed"});
        if (!removals) return removals.error();
        return After{s.gallery().index().size(), std::move(*removals)};
    });
    REQUIRE(after);
    CHECK(after->indexSize == added->indexSize - 1);  // gone from the index the workstation searches
    REQUIRE_FALSE(after->removals.empty());
    const audit::AuditEntry& removal = after->removals.back();
    CHECK(removal.objectId == std::to_string(added->subjectId));
    CHECK(removal.username == "admin");
    CHECK(nlohmann::json::parse(removal.detailsJson).at("reason") == why.toStdString());
}

TEST_CASE("Gallery: Remove is not offered to a role that may not manage the gallery", "[gui][workstation][gallery]") {
    GuiWorld* world = GuiWorld::get();
    if (!world) return;
    auto context = world->signIn("sue");  // supervisor
    ui::MainWindow window(*context);
    window.show();
    auto* page = galleryTab(window);
    page->subjects()->setCurrentCell(0, 0);
    CHECK_FALSE(page->removeButton()->isEnabled());
}

TEST_CASE("A past candidate whose subject was removed shows who removed it, when and why, not a blank photo",
          "[gui][workstation][gallery]") {
    guiApp();
    cases::CandidateRecord kept, removed;
    kept.id = 1, kept.rank = 1, kept.subjectId = 10, kept.galleryFaceId = 100, kept.subjectName = "Kept";
    removed.id = 2, removed.rank = 2, removed.subjectId = 20, removed.galleryFaceId = 200, removed.subjectName = "Wrong";
    ui::CandidateModel model;
    model.setCandidates({kept, removed}, {},
                        {{20, gallery::SubjectRemoval{"2026-03-02T12:00:00.000Z", "Ada Admin", "enrolled under the wrong name"}}});
    const auto photo = [&](int row, int role) { return model.data(model.index(row, ui::CandidateModel::Photo), role); };
    const QString shown = photo(1, Qt::DisplayRole).toString();
    CHECK(shown.startsWith(QStringLiteral("Removed from the gallery on 2026-03-02")));
    CHECK(shown.contains(QStringLiteral("by Ada Admin")));
    CHECK(shown.endsWith(QStringLiteral("enrolled under the wrong name")));
    CHECK(photo(1, Qt::ToolTipRole).toString() == shown);
    CHECK_FALSE(photo(0, Qt::DisplayRole).isValid());  // a subject still in the gallery: its photo, no text
    CHECK(model.removalText(10).isEmpty());
}

}  // namespace facelead::test
