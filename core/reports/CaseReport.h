#pragma once
// The case report (issue 5): one PDF per case with the case and purpose record, the consent record, the
// original image with its SHA-256 (re-checked as it is read, VI.B.2), each enhanced copy with its recipe and
// time, the searches with their candidate lists (leads only, VI.B.1), leads, follow-ups (VI.B.3), supervisor
// reviews (VI.C.1) and the audit entries of the case. Generating it is audited ("case.report_generated").

#include <cstdint>

#include "core/accounts/Session.h"
#include "core/cases/CaseRecords.h"
#include "core/cases/CaseService.h"
#include "core/common/Result.h"
#include "core/reports/Progress.h"
#include "core/reports/ReportDocument.h"

namespace facelead::reports {

// Reads the case (the case service checks the user may view it), builds the report and records its
// generation in the audit log. IntegrityViolation when an original no longer matches its SHA-256.
Result<ReportDocument> generateCaseReport(accounts::Session& session, cases::CaseService& cases, std::int64_t caseId,
                                          const std::string& agencyName, const ProgressFn& progress = {});

// Every search asked of a supervisor in the case and what became of it (trial 49 F3); the disclosure packet prints
// the same section.
Section approvalRequestsSection(const std::vector<cases::SearchApproval>& approvals);

}  // namespace facelead::reports
