#include "core/audit/AnchorFindings.h"
#include "core/reports/AuditTrail.h"

#include <sstream>

#include <nlohmann/json.hpp>

#include "core/accounts/Authority.h"
#include "core/accounts/SecondFactor.h"
#include "core/accounts/SignedLockout.h"
#include "core/audit/ImageIntegrity.h"
#include "core/cases/CaseService.h"
#include "core/common/PrivateFile.h"
#include "core/common/Text.h"
#include "core/gallery/EnrolledFaces.h"
#include "core/reports/ReportDocument.h"
#include "core/reports/Retention.h"
#include "core/training/TrainingService.h"

namespace facelead::reports {
namespace {

const char* formatName(audit::ExportFormat format) { return format == audit::ExportFormat::Csv ? "csv" : "json"; }

// The export marked as every export is (VI.B.6, VI.B.1; trial 82 F2: the CLI's carried no marking): the CSV opens with
// the marking lines and an empty line, as every report's CSV does (writeCsv); the JSON carries them as "marking".
Result<void> writeMarkedExport(store::Store& store, audit::ExportFormat format, std::ostream& out,
                               const audit::AuditFilter& filter) {
    auto training = training::isTrainingStore(store);
    if (!training) return training.error();
    if (format == audit::ExportFormat::Csv) {
        writeCsvMarking(out, *training);
        return audit::AuditLog::exportTo(store, format, out, filter);
    }
    std::ostringstream unmarked;
    FACELEAD_TRY(audit::AuditLog::exportTo(store, format, unmarked, filter));
    auto document = nlohmann::json::parse(unmarked.str());
    document["marking"] = markingLines(*training);
    out << document.dump(2) << '\n';
    out.flush();
    if (!out) return makeError(ErrorCode::IoError, "The audit export could not be written. Check the disk.");
    return {};
}

// What one check found, after what the others found.
Result<void> addProblems(std::vector<std::string>& problems, Result<std::vector<std::string>> found) {
    if (!found) return found.error();
    problems.insert(problems.end(), found->begin(), found->end());
    return {};
}

}  // namespace

Result<void> AuditTrail::record(const std::string& action, const std::string& detailsJson) {
    return session_.store().transact([&](store::Transaction& tx) -> Result<void> {
        FACELEAD_TRY(audit::AuditLog::append(tx, {session_.userId(), action, "audit_log", "", detailsJson}));
        return {};
    });
}

Result<std::vector<audit::AuditEntry>> AuditTrail::list(const audit::AuditFilter& filter) {
    return accounts::refusalsAudited(session_, "audit.list", [&]() -> Result<std::vector<audit::AuditEntry>> {
        FACELEAD_TRY(accounts::authorize(session_, workflow::Action::RunAudit));
        return audit::AuditLog::list(session_.store(), filter);
    });
}

Result<audit::VerifyReport> AuditTrail::verifyAndRecord(const std::function<Result<void>()>& beforeRecording) {
    return accounts::refusalsAudited(session_, "audit.verify", [&]() -> Result<audit::VerifyReport> {
        FACELEAD_TRY(accounts::authorize(session_, workflow::Action::RunAudit));
        return session_.store().transact([&](store::Transaction&) -> Result<audit::VerifyReport> {
            auto report = audit::AuditLog::verify(session_.store());
            if (!report) return report.error();
            FACELEAD_TRY(addProblems(report->caseProblems, cases::editedCaseRecords(session_)));
            FACELEAD_TRY(addProblems(report->galleryProblems, gallery::editedGalleryFaces(session_.store(), session_.ledger())));
            FACELEAD_TRY(addProblems(report->galleryProblems, audit::picturesNotMatchingTheirHash(session_.store())));
            FACELEAD_TRY(addProblems(report->galleryProblems, gallery::editedRemovals(session_.store(), session_.ledger())));
            FACELEAD_TRY(addProblems(report->caseProblems, editedRetentionDecisions(session_.store(), session_.ledger())));
            FACELEAD_TRY(addProblems(report->accountProblems, accounts::secondFactorsRemoved(session_.store())));
            FACELEAD_TRY(addProblems(report->accountProblems, accounts::signInsWhileLocked(session_.store())));
            FACELEAD_TRY(beforeRecording());
            const nlohmann::json details{{"entries_checked", report->entriesChecked},
                                         {"intact", report->intact()},
                                         {"first_broken_seq", report->firstBrokenSeq.value_or(0)}};
            FACELEAD_TRY(record("audit.verified", details.dump()));
            return report;
        });
    });
}

Result<audit::VerifyReport> AuditTrail::verify() {
    return verifyAndRecord([]() -> Result<void> { return {}; });
}

Result<VerifiedEntries> AuditTrail::verifiedList(const audit::AuditFilter& filter) {
    VerifiedEntries read;
    auto chain = verifyAndRecord([&]() -> Result<void> {
        auto listed = audit::AuditLog::list(session_.store(), filter);
        if (!listed) return listed.error();
        read.entries = std::move(*listed);
        return {};
    });
    if (!chain) return chain.error();
    read.chain = std::move(*chain);
    return read;
}

Result<std::size_t> AuditTrail::acknowledgeAnchors(std::string_view reason) {
    return accounts::refusalsAudited(session_, "audit.acknowledge_anchors", [&]() -> Result<std::size_t> {
        FACELEAD_TRY(accounts::authorize(session_, workflow::Action::RunAudit));
        auto checked = text::acceptReason("acknowledging anchored heads", reason);
        if (!checked) return checked.error();
        auto report = audit::AuditLog::verify(session_.store());
        if (!report) return report.error();
        // Damaged account entries are answered by the recovery key's re-affirmation first; after it, heads can be
        // acknowledged again (trial 14A: once re-affirmed, verify stayed BROKEN for every later rollback). The
        // broken entries themselves stay named by every verify.
        if (session_.ledger().accountsHeldBack())
            return makeError(ErrorCode::InvalidArgument,
                             "The signed account entries are damaged (" + session_.ledger().heldBackReason() +
                                 "); acknowledging anchors would not explain that. The holder of the recovery key "
                                 "re-affirms the accounts first (facelead-cli store reaffirm); audit verify names "
                                 "every finding.");
        // A sign-in's finding may name no head (an entry deleted from inside a transaction breaks only a link):
        // it is answered all the same, or no search would run again (CaseService's search gate).
        auto unanswered = audit::unansweredAnchorMismatch(session_.store());
        if (!unanswered) return unanswered.error();
        if (report->foreignHeads.empty() && unanswered->empty())
            return makeError(ErrorCode::InvalidArgument,
                             "Every head anchored outside the store is in it: there is nothing to acknowledge.");
        auto heads = nlohmann::json::array();
        for (const auto& head : report->foreignHeads)
            heads.push_back({{"seq", head.seq}, {"hash", head.hash}, {"at", head.at}});
        FACELEAD_TRY(record(audit::AuditLog::kAnchorsAcknowledged,
                            nlohmann::json{{"heads", heads},
                                           {"reason", *checked},
                                           {"anchor", session_.store().anchor().describe()},
                                           {"problems", report->anchorProblems}}
                                .dump()));
        // Heads not in the store are an older copy put back, a lost -wal or a copy used alongside: each under a
        // database key that key files kept from then still open, with slots of accounts deactivated or keys
        // replaced since (trial 69 F1). Rotated once they are answered for.
        FACELEAD_TRY(accounts::rotateDatabaseKey(session_.store(), session_.userId(),
                                                 "anchored heads acknowledged: a key file kept from before opens "
                                                 "nothing any more"));
        return report->foreignHeads.size();
    });
}

Result<void> AuditTrail::exportTo(audit::ExportFormat format, std::ostream& out, const audit::AuditFilter& filter) {
    return accounts::refusalsAudited(session_, "audit.export", [&]() -> Result<void> {
        FACELEAD_TRY(accounts::authorize(session_, workflow::Action::RunAudit));
        FACELEAD_TRY(record("audit.exported", nlohmann::json{{"format", formatName(format)}, {"to", "stream"}}.dump()));
        return writeMarkedExport(session_.store(), format, out, filter);
    });
}

Result<void> AuditTrail::exportToFile(audit::ExportFormat format, const std::filesystem::path& file,
                                      const audit::AuditFilter& filter) {
    return accounts::refusalsAudited(session_, "audit.export", [&]() -> Result<void> {
        FACELEAD_TRY(accounts::authorize(session_, workflow::Action::RunAudit));
        FACELEAD_TRY(record("audit.exported",
                            nlohmann::json{{"format", formatName(format)}, {"to", file.string()}}.dump()));
        std::ostringstream text;
        FACELEAD_TRY(writeMarkedExport(session_.store(), format, text, filter));
        return writePrivateFile(file, text.str());
    });
}

}  // namespace facelead::reports
