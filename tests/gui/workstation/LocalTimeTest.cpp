// Issue 9 (found in use): times were shown as the store keeps them, "2026-12-01T17:53:20.629Z", in the stored
// search's read-back, the review dialog's gallery and follow-up lines and the hand-marking line. Every screen
// shows a stored time through one helper (ui/widgets/LocalTime.h): local time, readable, with its zone.

#include <QByteArray>

#include <cstdlib>
#include <ctime>

#include <catch2/catch.hpp>

#include "tests/gui/support/GuiWorld.h"
#include "ui/dialogs/CaseDialogs.h"
#include "ui/widgets/LocalTime.h"

namespace facelead::test {

namespace {

constexpr const char* kStored = "2026-12-01T17:53:20.629Z";

// The workstation's zone, set for one test and put back afterwards.
class Zone {
public:
    explicit Zone(const char* zone) : before_(qgetenv("TZ")), had_(qEnvironmentVariableIsSet("TZ")) {
        qputenv("TZ", zone);
        tzset();
    }
    ~Zone() {
        if (had_) qputenv("TZ", before_);
        else qunsetenv("TZ");
        tzset();
    }

private:
    QByteArray before_;
    bool had_;
};

}  // namespace

TEST_CASE("A stored time is shown in local time, readable, with its zone", "[gui][time]") {
    guiApp();
    {
        Zone utc("UTC");
        CHECK(ui::localTime(kStored) == QStringLiteral("2026-12-01 17:53 UTC"));
    }
    {
        Zone newYork("America/New_York");
        CHECK(ui::localTime(kStored).startsWith(QStringLiteral("2026-12-01 12:53 ")));
    }
    CHECK(ui::localTime(std::string("not a time")) == QStringLiteral("not a time"));
    CHECK(ui::localTime(std::optional<TimePoint>{}).isEmpty());
}

TEST_CASE("The review dialog's follow-up and gallery lines and the hand-marking line show local times",
          "[gui][time]") {
    guiApp();
    Zone utc("UTC");
    cases::FollowUpRecord followUp;
    followUp.recordedBy = {7, "Olga Officer"};
    followUp.recordedAt = kStored;
    followUp.followUp.stepsTaken = "Interviewed the clerk.";
    ui::ReviewMaterial material;
    material.followUps = {followUp};
    material.photos = cases::CandidatePhotos{1, {3, "2025-01-02T08:00:00.000Z"}, {4, kStored}, 2};
    ui::ReviewDialog dialog(QStringLiteral("candidate 1"), {}, nullptr, material);
    const QString shown = dialog.followUpText();
    CHECK(shown.contains(QStringLiteral("Olga Officer, 2026-12-01 17:53 UTC")));
    CHECK(shown.contains(QStringLiteral("2025-01-02 08:00 UTC")));
    CHECK_FALSE(shown.contains(QStringLiteral("T17:53")));

    cases::HandMarking marking;
    marking.points = "10,20;30,20;20,30;12,40;28,40";
    marking.markedBy = {7, "Ivan Investigator"};
    marking.markedAt = kStored;
    const QString line = ui::handMarkingLine(marking);
    CHECK(line.contains(QStringLiteral("Ivan Investigator, 2026-12-01 17:53 UTC")));
    CHECK_FALSE(line.contains(QStringLiteral("T17:53")));
}

}  // namespace facelead::test
