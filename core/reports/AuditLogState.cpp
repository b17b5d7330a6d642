#include "core/reports/AuditLogState.h"

#include "core/audit/AuditLog.h"

namespace facelead::reports {

Result<AuditLogState> auditLogState(store::Store& store) {
    auto report = audit::AuditLog::verify(store);
    if (!report) return report.error();
    AuditLogState state{toIsoUtc(store.now()), report->entriesChecked, report->intact(), {}};
    const std::string described = report->describe();
    for (std::size_t start = 0; start < described.size();) {
        const std::size_t end = std::min(described.find('\n', start), described.size());
        state.problems.push_back(described.substr(start, end - start));
        start = end + 1;
    }
    return state;
}

Section auditLogSection(const AuditLogState& state, std::string_view consequence) {
    const std::string checked = std::to_string(state.entriesChecked) + " audit entries";
    std::vector<Block> blocks{Paragraph{
        state.intact ? "Verified intact at " + state.verifiedAt + ": " + checked +
                           ", each holding its hash, link and signature."
                     : "NOT INTACT at " + state.verifiedAt + " (" + checked + " checked): " + std::string(consequence) +
                           " What audit verify named:"}};
    for (const auto& problem : state.problems) blocks.push_back(Paragraph{problem});
    return {"The audit log when this was made (SOP 302.02 VI.C.2)", std::move(blocks)};
}

}  // namespace facelead::reports
