#pragma once
// Putting a case row back (trial 23A F8). Whoever holds the database key can rewrite a case's number, offence,
// creator, case officer or status; every read of the case is then refused (cases::detail::checkCaseSigned) and
// audit verify names it, "until a program administrator has looked". This is what the administrator does next: the
// row is put back to its signed creation entry (audit::AuditLog::kCaseCreated), recorded as "case.row_restored" with
// the difference and the reason. The signed log itself is never changed: the edit stays on record.
// The rows of the work in a case (requests, examinations, follow-ups, reviews) are held to digests only, so the
// log cannot rebuild them: they stay refused, and named by audit verify, until the store is restored from a backup.

#include <string>
#include <string_view>
#include <vector>

#include "core/accounts/Session.h"
#include "core/common/Result.h"

namespace facelead::cases {

struct RestoredCase {
    std::string caseNumber;  // as the signed log has it
    std::string wasEdited;   // how the row differed (audit::caseCreationDisagreement)
};

// Every case row that disagrees with its signed creation entry, put back in one transaction. workflow::Action::RunAudit
// (a refusal is audited); InvalidArgument for a blank reason or when every case row agrees.
Result<std::vector<RestoredCase>> restoreCaseRows(accounts::Session& session, std::string_view reason);

}  // namespace facelead::cases
