#pragma once
// Stored times as people read them (issue 9: times were shown as raw UTC strings such as
// "2026-12-01T17:53:20.629Z"). The store keeps ISO 8601 UTC (toIsoUtc); every screen shows it through this
// one helper: the workstation's local time with its zone, "2026-12-01 18:53 CET".

#include <QString>

#include <optional>
#include <string>

#include "core/cases/CaseRecords.h"
#include "core/common/Clock.h"

namespace facelead::ui {

// The stored time in local time with the zone; the text as it is when it is not a time ("" stays "").
QString localTime(const std::string& isoUtc);
QString localTime(const std::optional<TimePoint>& time);  // "" for none
// A stored hand marking's line (cases::handMarkingText), its time shown as above.
QString handMarkingLine(const cases::HandMarking& marking);

}  // namespace facelead::ui
