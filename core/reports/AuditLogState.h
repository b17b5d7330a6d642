#pragma once
// The audit log's state when a report is made (SOP 302.02 VI.C.2): a report counted or read from the log says
// whether the log held, and what audit verify named when it did not. Trial 23A: a colleague's clearing follow-up
// and review deleted with their entries left the disclosure packet saying "follow_ups: []" as if there had been
// none (F15), and a search run under a clock set back a year was in no year's annual review, which said nothing
// (F5). Not thread-safe (reads the session's store).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Result.h"
#include "core/reports/ReportDocument.h"
#include "core/store/Store.h"

namespace facelead::reports {

struct AuditLogState {
    std::string verifiedAt;  // toIsoUtc, the store's clock
    std::int64_t entriesChecked = 0;
    bool intact = true;
    std::vector<std::string> problems;  // every line audit verify named (AuditLog::VerifyReport::describe)
};

// Walks the whole chain (audit::AuditLog::verify): seconds on a large log. No role check: the caller's report has it.
Result<AuditLogState> auditLogState(store::Store& store);

// The report's section on it: "Verified intact at …" or "NOT INTACT … `consequence`", then each problem.
Section auditLogSection(const AuditLogState& state, std::string_view consequence);

}  // namespace facelead::reports
