// Issue 10 item 7 in the workstation: the DL/ID fraud check of SOP 302.02 VI.A.5 ("Check for duplicates…" on the
// gallery tab). A gallery with a planted duplicate (one photo enrolled under two names): the check runs through the
// core's facade off the UI thread, lists the pair with both names, both photos read from the store, the distance
// and the "same image" flag, under the VI.B.1 / VI.B.6 markings, and is audited as the CLI's check is.

#include <QDir>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QTableView>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include <catch2/catch.hpp>

#include "core/audit/AuditLog.h"
#include "core/gallery/Duplicates.h"
#include "core/gallery/GalleryService.h"
#include "tests/gui/support/GuiWorld.h"
#include "ui/widgets/PolicyBanner.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/CoreServices.h"
#include "ui/workstation/DuplicatesDialog.h"
#include "ui/workstation/DuplicatesModel.h"
#include "ui/workstation/MainWindow.h"
#include "ui/workstation/Pages.h"

namespace facelead::test {
namespace {

std::vector<std::uint8_t> fileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Result<std::size_t> checksAudited(ui::AppContext& context) {
    return storeCall(context, [](ui::CoreServices& s) -> Result<std::size_t> {
        auto checks = audit::AuditLog::list(s.store(), {.action = "gallery.duplicates_checked"});
        if (!checks) return checks.error();
        return checks->size();
    });
}

int rowOf(const ui::DuplicatesModel& model, const std::string& a, const std::string& b) {
    for (int row = 0; row < model.rowCount(); ++row) {
        const auto& r = model.row(row);
        if ((r.a.subjectName == a && r.b.subjectName == b) || (r.a.subjectName == b && r.b.subjectName == a)) return row;
    }
    return -1;
}

}  // namespace

TEST_CASE("VI.A.5: the duplicates review lists a photo enrolled under two names, with both photos, the distance "
          "and the same-image flag, and is audited", "[gui][workstation][gallery][duplicates]") {
    GuiWorld* world = GuiWorld::get();
    if (!world) return;
    auto context = world->signIn("admin");  // ManageGallery: program administrator
    // The planted duplicate: photo 1 of amy (not in the gallery) under two new names, as a forged licence would be.
    const auto bytes = fileBytes(world->faces() / "bbt" / "amy" / "amy1.png");
    REQUIRE_FALSE(bytes.empty());
    auto planted = storeCall(*context, [bytes](ui::CoreServices& s) -> Result<std::vector<std::int64_t>> {
        gallery::NewFace face{bytes, {}, {}, {}, "licences/amy1.png"};
        face.descriptor.fill(5.0f);  // far from every enrolled face, at distance 0 from its twin
        std::vector<gallery::NewSubjectFaces> batch;
        for (const char* name : {"Planted Alias One", "Planted Alias Two"})
            batch.push_back({{name, std::nullopt, "licences", std::nullopt}, {face}});
        auto written = s.gallery().addFaces(s.store(), s.galleryActor(), batch);
        if (!written) return written.error();
        std::vector<std::int64_t> subjects;
        for (const gallery::AddedFaces& added : *written) subjects.push_back(added.subjectId);
        return subjects;
    });
    REQUIRE(planted);
    const auto before = checksAudited(*context);
    REQUIRE(before);

    ui::MainWindow window(*context);
    window.show();
    auto* page = window.findChild<ui::GalleryPage*>();
    REQUIRE(page);
    REQUIRE(waitUntil([page] { return page->duplicatesButton()->isEnabled(); }));
    ui::DuplicatesDialog* dialog = page->openDuplicates();
    REQUIRE(dialog);
    CHECK(dialog->findChild<ui::PolicyBanner*>(QStringLiteral("leadOnlyBanner")));      // VI.B.1
    CHECK(dialog->findChild<ui::PolicyBanner*>(QStringLiteral("intelligenceBanner")));  // VI.B.6
    CHECK(dialog->threshold()->value() == Approx(0.56));
    CHECK(dialog->model()->rowCount() == 0);  // nothing is checked (and audited) before the user asks

    dialog->checkButton()->click();
    CHECK(dialog->checking());  // off the UI thread: the click returns at once
    REQUIRE(waitUntil([dialog] { return !dialog->checking(); }));
    INFO(dialog->summary().toStdString());
    const ui::DuplicatesModel& model = *dialog->model();
    const int row = rowOf(model, "Planted Alias One", "Planted Alias Two");
    REQUIRE(row >= 0);
    CHECK(model.row(row).a.subjectId != model.row(row).b.subjectId);
    const auto cell = [&](int column, int role = Qt::DisplayRole) { return model.data(model.index(row, column), role); };
    CHECK(cell(ui::DuplicatesModel::Distance).toString() == QStringLiteral("0.000"));
    CHECK(cell(ui::DuplicatesModel::SameImage).toString().startsWith(QStringLiteral("Yes")));
    CHECK(cell(ui::DuplicatesModel::SubjectA).toString().contains(QStringLiteral("Planted Alias")));
    // Both photos side by side, read from the store.
    CHECK(model.hasPhoto(model.row(row).a.faceId));
    CHECK(model.hasPhoto(model.row(row).b.faceId));
    CHECK_FALSE(cell(ui::DuplicatesModel::FaceA, Qt::DecorationRole).isNull());
    CHECK_FALSE(cell(ui::DuplicatesModel::FaceB, Qt::DecorationRole).isNull());
    CHECK(dialog->summary().contains(QStringLiteral("1 image under several identities")));
    CHECK(dialog->summary().contains(QStringLiteral("not a finding")));

    if (const char* shots = std::getenv("FACELEAD_SCREENSHOT_DIR")) {
        dialog->view()->selectRow(row);
        dialog->view()->scrollTo(model.index(row, 0));
        waitUntil([] { return false; }, 1500);  // on screen long enough for `import -window root` as well
        QDir().mkpath(QString::fromLocal8Bit(shots));
        CHECK(dialog->grab().save(QDir(QString::fromLocal8Bit(shots)).filePath(QStringLiteral("duplicates-review.png"))));
    }

    // Audited as the CLI's check: one entry for one check.
    const auto after = checksAudited(*context);
    REQUIRE(after);
    CHECK(*after == *before + 1);
    dialog->close();

    // The other tests share this gallery: the planted subjects leave it, as a reviewed fraud would.
    auto removed = storeCall(*context, [subjects = *planted](ui::CoreServices& s) -> Result<void> {
        for (const std::int64_t subjectId : subjects)
            if (auto gone = gallery::GalleryService(s.session(), s.gallery()).removeSubject(subjectId, "planted by a test");
                !gone)
                return gone.error();
        return {};
    });
    CHECK(removed);
}

TEST_CASE("VI.A.5: the duplicates review is not offered to a role that may not manage the gallery, and the core "
          "refuses it", "[gui][workstation][gallery][duplicates]") {
    GuiWorld* world = GuiWorld::get();
    if (!world) return;
    auto context = world->signIn("sue");  // supervisor
    ui::MainWindow window(*context);
    window.show();
    auto* page = window.findChild<ui::GalleryPage*>();
    REQUIRE(page);
    waitUntil([] { return false; }, 200);
    CHECK_FALSE(page->duplicatesButton()->isEnabled());
    CHECK(page->openDuplicates() == nullptr);
    auto refused = storeCall(*context, [](ui::CoreServices& s) { return gallery::findDuplicates(s.session()); });
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::PermissionDenied);
}

TEST_CASE("The duplicates list: a pair found both within the threshold and as the same image is one row; the same "
          "image beyond the threshold is listed without a distance", "[gui][workstation][duplicates]") {
    gallery::DuplicatesReport report;
    const gallery::DuplicateFace a{1, 10, "A", "a.jpg"}, b{2, 20, "B", "b.jpg"}, c{3, 30, "C", "c.jpg"},
        a2{4, 10, "A", "a2.jpg"};
    report.similarFaces = {{a, b, 0.0f}};
    report.sameImages = {{"sha-ab", {a, b}}, {"sha-ac", {a2, c}}};
    const auto rows = ui::DuplicatesModel::rowsOf(report);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].a.faceId == 1);
    CHECK(rows[0].distance == Approx(0.0f));
    CHECK(rows[0].sameImage);
    CHECK(rows[1].a.faceId == 4);
    CHECK(rows[1].b.faceId == 3);
    CHECK_FALSE(rows[1].distance.has_value());
    CHECK(rows[1].sameImage);
    // Faces of the same subject in one image are no pair.
    report.similarFaces.clear();
    report.sameImages = {{"sha-aa", {a, a2, b}}};
    CHECK(ui::DuplicatesModel::rowsOf(report).size() == 2);  // a-b and a2-b, not a-a2
}


TEST_CASE("The duplicates review lists an image an enrolment refused as another identity's (trial 40 F15)",
          "[gui][gallery][duplicates]") {
    gallery::DuplicatesReport report;
    report.enrolmentConflicts.push_back(
        {"2026-12-03T10:00:00Z", "ivan", "John Doe", "/shares/tips/obama.jpg", {7, 3, "Barack Obama", "/bookings/obama.jpg"}});
    ui::DuplicatesModel model;
    model.setReport(report, {});
    REQUIRE(model.rowCount() == 1);
    const auto cell = [&](int column) { return model.data(model.index(0, column), Qt::DisplayRole).toString(); };
    CHECK(cell(ui::DuplicatesModel::SubjectA).contains(QStringLiteral("Barack Obama")));
    CHECK(cell(ui::DuplicatesModel::SubjectB) == QStringLiteral("John Doe (refused at enrolment)"));
    CHECK(cell(ui::DuplicatesModel::FaceB) == QStringLiteral("not enrolled: /shares/tips/obama.jpg"));
    CHECK(cell(ui::DuplicatesModel::SameImage).contains(QStringLiteral("refused at enrolment by ivan")));
}

TEST_CASE("The duplicates review says 'nearly' of the same picture with other bytes, never a flat 'No' (trial 42 F10)",
          "[gui][gallery][duplicates]") {
    gallery::DuplicatesReport report;
    const gallery::DuplicateFace a{1, 10, "A", "a.jpg"}, b{2, 20, "B", "b.png"}, c{3, 30, "C", "c.jpg"};
    report.similarFaces = {{a, b, 0.0f}, {a, c, 0.31f}};
    report.enrolmentConflicts.push_back({"2026-12-03T10:00:00Z", "ivan", "Ann Poe", "/tips/ap.png", a, 0.004});
    ui::DuplicatesModel model;
    model.setReport(report, {});
    REQUIRE(model.rowCount() == 3);
    const auto cell = [&](int row, int column) { return model.data(model.index(row, column), Qt::DisplayRole).toString(); };
    CHECK(cell(0, ui::DuplicatesModel::SameImage).startsWith(QStringLiteral("Nearly")));
    CHECK(cell(1, ui::DuplicatesModel::SameImage) == QStringLiteral("No"));
    CHECK(cell(2, ui::DuplicatesModel::SameImage).startsWith(QStringLiteral("Nearly — refused at enrolment by ivan")));
    CHECK(cell(2, ui::DuplicatesModel::Distance) == QStringLiteral("0.004"));
}

}  // namespace facelead::test
