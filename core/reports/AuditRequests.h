#pragma once
// Audit requests (SOP 302.02 VI.C.2.a-b): an Intel Supervisor files a request (scope: a user, a case or a
// period; and the reason); a program administrator runs it, which attaches the result (the matching audit
// entries, counted and fingerprinted); the requester is then shown the result. Every step is an entry of
// the hash-chained audit log itself, so the requests need no table of their own and cannot be altered:
//   audit_request.filed      (object id = the request id = the seq of this entry)
//   audit_request.completed  (result: entry count, last seq covered, SHA-256 of the result CSV, chain status)
//   audit_request.result_viewed

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/accounts/Session.h"
#include "core/audit/AuditLog.h"
#include "core/common/Result.h"
#include "core/reports/ReportDocument.h"

namespace facelead::reports {

enum class AuditScopeKind { User, Case, Period };

struct AuditScope {
    AuditScopeKind kind = AuditScopeKind::Period;
    std::optional<std::int64_t> userId;    // kind User
    std::optional<std::int64_t> caseId;    // kind Case
    std::optional<TimePoint> from;         // optional for every kind; required for Period
    std::optional<TimePoint> to;           // exclusive
};

std::string describe(const AuditScope& scope);

// What a dialog hands over; the core validates it.
struct AuditRequestInput {
    AuditScope scope;
    std::string reason;
};

enum class AuditRequestStatus { Filed, Completed };

struct AuditRequest {
    std::int64_t id = 0;
    std::string filedAt;
    std::int64_t requesterId = 0;
    std::string requesterName;
    AuditScope scope;
    std::string reason;
    AuditRequestStatus status = AuditRequestStatus::Filed;
    std::string completedAt;
    std::string completedByName;
    int resultEntryCount = 0;
    std::int64_t resultUpToSeq = 0;    // the result covers audit entries up to this seq
    std::string resultSha256;          // of the result CSV, so a copy handed on can be checked
    bool chainIntact = true;
    std::string chainProblem;
};

struct AuditRequestResult {
    AuditRequest request;
    std::vector<audit::AuditEntry> entries;
};

// Entries about a case: those on the case itself and those whose details name it ("case_id").
Result<std::vector<audit::AuditEntry>> caseAuditEntries(store::Store& store, std::int64_t caseId,
                                                        std::int64_t upToSeq = 0);
// Entries in a scope, up to a seq (0 = all).
Result<std::vector<audit::AuditEntry>> scopeEntries(store::Store& store, const AuditScope& scope,
                                                    std::int64_t upToSeq = 0);

class AuditRequests {
public:
    explicit AuditRequests(accounts::Session& session) : session_(session) {}

    // Intel Supervisor (VI.C.2.a). InvalidArgument when the scope is incomplete or the reason too short.
    Result<AuditRequest> file(const AuditRequestInput& input);
    // Program administrators see every request; anyone else only the ones they filed.
    Result<std::vector<AuditRequest>> list();
    // Program administrator (VI.C.2.b): runs the scope, verifies the chain, attaches the result.
    // InvalidTransition when already completed.
    Result<AuditRequest> run(std::int64_t requestId);
    // The requester or a program administrator, once completed; audited as result_viewed.
    Result<AuditRequestResult> result(std::int64_t requestId);

private:
    Result<AuditRequest> find(std::int64_t requestId);
    accounts::Session& session_;
};

// The audit entries as a table (for CSV export, the viewer's PDF and a request's result).
Table auditTable(const std::vector<audit::AuditEntry>& entries);
// The same for print: no hash column (the CSV keeps it), details as readableDetails, shortened, so the
// columns fit the page (the audit viewer's PDF, a request's result, the case report).
Table printableAuditTable(const std::vector<audit::AuditEntry>& entries);
// An entry's details for people: "reason: moved away; roles: investigator" instead of its JSON; the text as it
// is when it is not a JSON object.
std::string readableDetails(const std::string& detailsJson);
ReportDocument auditReport(const std::vector<audit::AuditEntry>& entries, const audit::VerifyReport& chain,
                           const std::string& filterDescription, const std::string& agencyName,
                           const std::string& generatedBy, TimePoint generatedAt);
ReportDocument auditRequestReport(const AuditRequestResult& result, const std::string& agencyName,
                                  const std::string& generatedBy, TimePoint generatedAt);

}  // namespace facelead::reports
