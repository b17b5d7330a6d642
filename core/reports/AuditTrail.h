#pragma once
// The audit log as the signed-in user may see it (SOP 302.02 VI.C.2.b-c: audits are run by the program
// administrator; the log holds case numbers, purposes and names, so nobody else reads it whole).
// The session facade over audit::AuditLog: every call needs workflow::Action::RunAudit (a refusal is
// audited as "access.refused"); verifying and exporting are themselves recorded in the log they read.
//
// Threading: like the Session, one thread at a time.

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string_view>
#include <vector>

#include "core/accounts/Session.h"
#include "core/audit/AuditLog.h"
#include "core/common/Result.h"

namespace facelead::reports {

struct VerifiedEntries {
    audit::VerifyReport chain;
    std::vector<audit::AuditEntry> entries;  // the filtered entries of the chain that was checked
};

class AuditTrail {
public:
    explicit AuditTrail(accounts::Session& session) : session_(session) {}

    Result<std::vector<audit::AuditEntry>> list(const audit::AuditFilter& filter = {});
    // Recorded as "audit.verified" with what was found (a broken chain is a result, not an error).
    Result<audit::VerifyReport> verify();
    // verify and list from the same read (one transaction), the verification recorded after both: the entries
    // are those of the chain checked, so "N checked" and "showing N" agree (issue 9 re-trial: "156 checked ...
    // showing 157", the viewer's own "audit.verified" entry written between the two reads).
    Result<VerifiedEntries> verifiedList(const audit::AuditFilter& filter = {});
    // Acknowledges the heads anchored outside the store that are not in it (VerifyReport::foreignHeads: another
    // copy of the store was in use, or a backup was restored after a loss), with the reason the program
    // administrator answers for; recorded as audit::AuditLog::kAnchorsAcknowledged, signed, so `audit verify`
    // and the sign-in check stop reporting exactly those heads (later ones still are). Returns how many were
    // acknowledged. InvalidArgument: no reason, or nothing to acknowledge; the chain itself must be intact.
    Result<std::size_t> acknowledgeAnchors(std::string_view reason);
    // Recorded as "audit.exported" {format, to} before the entries are read, so the export holds itself.
    Result<void> exportTo(audit::ExportFormat format, std::ostream& out, const audit::AuditFilter& filter = {});
    // The same into a file created 0600 (owner only): IoError when it cannot be written.
    Result<void> exportToFile(audit::ExportFormat format, const std::filesystem::path& file,
                              const audit::AuditFilter& filter = {});

private:
    Result<void> record(const std::string& action, const std::string& detailsJson);
    Result<audit::VerifyReport> verifyAndRecord(const std::function<Result<void>()>& beforeRecording);

    accounts::Session& session_;
};

}  // namespace facelead::reports
