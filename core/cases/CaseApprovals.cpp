// CaseService's second approver (issue 11 item 5): a search whose purpose the agency's rule pack holds runs only
// once a supervisor, never its requester, has approved the request, before the search (SearchApproval.h).

#include "core/accounts/Authority.h"
#include "core/cases/CaseService.h"
#include "core/cases/detail/Audit.h"
#include "core/cases/detail/Rows.h"

namespace facelead::cases {
namespace {

constexpr const char* kApprovalSelect =
    "SELECT a.id, a.case_number, a.offence, a.purpose_code, a.justification, a.pack, a.requested_by, rb.display_name, "
    "a.requested_at, a.approved_by, ab.display_name, a.approved_at, a.used_by_request FROM search_approvals a "
    "LEFT JOIN users rb ON rb.id = a.requested_by LEFT JOIN users ab ON ab.id = a.approved_by";

SearchApproval readApproval(const store::Statement& row) {
    SearchApproval approval;
    approval.id = row.getInt(0);
    approval.caseNumber = row.getText(1);
    approval.offence = row.getText(2);
    approval.purpose = workflow::purposeFromCode(row.getText(3)).value_or(workflow::Purpose::SuspectedOffence);
    approval.justification = row.getText(4);
    approval.pack = row.getText(5);
    approval.requestedBy = Person{row.getInt(6), row.getText(7)};
    approval.requestedAt = row.getText(8);
    if (const auto approver = row.getOptionalInt(9)) approval.approvedBy = Person{*approver, row.getText(10)};
    approval.approvedAt = row.getOptionalText(11).value_or("");
    approval.usedByRequest = row.getOptionalInt(12);
    return approval;
}

template <typename Db>
Result<SearchApproval> loadApproval(Db& db, std::int64_t approvalId) {
    auto rows = detail::queryAll(db, std::string(kApprovalSelect) + " WHERE a.id = ?", readApproval, approvalId);
    if (!rows) return rows.error();
    if (rows->empty()) return makeError(ErrorCode::NotFound, "There is no search approval " + std::to_string(approvalId) + ".");
    return rows->front();
}

// My requests for this very search, not yet used by one: what was asked is what is approved.
template <typename Db>
Result<std::vector<SearchApproval>> unusedApprovals(Db& db, const workflow::SearchRequest& request, std::int64_t userId) {
    auto statement = db.prepare(std::string(kApprovalSelect) +
                                " WHERE a.requested_by = ? AND a.case_number = ? AND a.offence = ? AND a.purpose_code = ?"
                                " AND a.justification = ? AND a.used_by_request IS NULL ORDER BY a.approved_by IS NULL, a.id");
    if (!statement) return statement.error();
    statement->bind(1, userId)
        .bind(2, request.caseNumber)
        .bind(3, request.offence)
        .bind(4, workflow::purposeInfo(*request.purpose).code)
        .bind(5, request.justification);
    return detail::collect(*statement, readApproval);
}

std::string approvalAsked(const workflow::PolicyPack& pack, workflow::Purpose purpose) {
    const auto& info = workflow::purposeInfo(purpose);
    return "The agency's rule pack (" + pack.name() + ") asks a supervisor to approve a search for " +
           std::string(info.citation) + " (" + std::string(info.label) + ") before it runs (" + pack.approvalCitation +
           ").";
}

}  // namespace

Result<SearchApproval> CaseService::requestApproval(const workflow::SearchRequest& request) {
    return accounts::refusalsAudited(session_, "search.approval_request", [&]() -> Result<SearchApproval> {
        auto user = searchingUser();
        if (!user) return user.error();
        FACELEAD_TRY(workflow::validate(request, settings_));
        if (!settings_.pack.needsApproval(*request.purpose))
            return makeError(ErrorCode::InvalidArgument, "The agency's rule pack (" + settings_.pack.name() +
                                                             ") asks no approval before a search for this purpose.");
        return session_.store().transact([&](store::Transaction& tx) -> Result<SearchApproval> {
            auto existing = unusedApprovals(tx, request, user->id);
            if (!existing) return existing.error();
            if (!existing->empty()) return existing->front();  // approved first, then the oldest pending
            auto insert = tx.prepare(
                "INSERT INTO search_approvals(case_number, offence, purpose_code, justification, pack, requested_by, "
                "requested_at) VALUES (?,?,?,?,?,?,?)");
            if (!insert) return insert.error();
            const std::string code(workflow::purposeInfo(*request.purpose).code);
            FACELEAD_TRY(insert->bind(1, request.caseNumber)
                             .bind(2, request.offence)
                             .bind(3, code)
                             .bind(4, request.justification)
                             .bind(5, settings_.pack.name())
                             .bind(6, user->id)
                             .bind(7, toIsoUtc(tx.now()))
                             .run());
            const auto approvalId = tx.lastInsertId();
            FACELEAD_TRY(detail::recordEvent(tx, user->id, "search.approval_requested", "search_approval", approvalId,
                                             {{"case_number", request.caseNumber}, {"purpose", code},
                                              {"pack", settings_.pack.id}, {"pack_version", settings_.pack.version}}));
            return loadApproval(tx, approvalId);
        });
    });
}

Result<SearchApproval> CaseService::approveSearch(std::int64_t approvalId) {
    return accounts::refusalsAudited(session_, "search.approve", [&]() -> Result<SearchApproval> {
        auto user = accounts::authorize(session_, workflow::Action::ApproveSearch);
        if (!user) return user.error();
        return session_.store().transact([&](store::Transaction& tx) -> Result<SearchApproval> {
            auto approval = loadApproval(tx, approvalId);
            if (!approval) return approval.error();
            if (approval->requestedBy.id == user->id)
                return makeError(ErrorCode::PermissionDenied,
                                 "A second approver approves a search: never the one who asked for it.");
            if (approval->approved())
                return makeError(ErrorCode::InvalidTransition,
                                 "Search approval " + std::to_string(approvalId) + " was already approved.");
            auto update = tx.prepare("UPDATE search_approvals SET approved_by = ?, approved_at = ? WHERE id = ?");
            if (!update) return update.error();
            FACELEAD_TRY(update->bind(1, user->id).bind(2, toIsoUtc(tx.now())).bind(3, approvalId).run());
            FACELEAD_TRY(detail::recordEvent(tx, user->id, "search.approved", "search_approval", approvalId,
                                             {{"case_number", approval->caseNumber},
                                              {"requested_by", approval->requestedBy.id}}));
            return loadApproval(tx, approvalId);
        });
    });
}

Result<std::vector<SearchApproval>> CaseService::approvalsAwaitingMe() {
    auto user = currentUser(workflow::Action::ApproveSearch);
    if (!user) return user.error();
    return detail::queryAll(session_.store(),
                            std::string(kApprovalSelect) +
                                " WHERE a.approved_by IS NULL AND a.requested_by <> ? ORDER BY a.id",
                            readApproval, user->id);
}

Result<std::optional<std::int64_t>> CaseService::approvalFor(const workflow::SearchRequest& request,
                                                             std::int64_t userId) {
    if (!request.purpose || !settings_.pack.needsApproval(*request.purpose)) return std::optional<std::int64_t>();
    auto unused = unusedApprovals(session_.store(), request, userId);
    if (!unused) return unused.error();
    if (!unused->empty() && unused->front().approved()) return std::optional(unused->front().id);
    const std::string state = unused->empty()
                                  ? " Request the approval first; the search is stored as waiting for it."
                                  : " Request " + std::to_string(unused->front().id) + " is waiting for a supervisor.";
    return makeError(ErrorCode::ApprovalRequired, approvalAsked(settings_.pack, *request.purpose) + state);
}

Result<void> CaseService::useApproval(store::Transaction& tx, std::int64_t approvalId, std::int64_t requestId) {
    auto update = tx.prepare(
        "UPDATE search_approvals SET used_by_request = ? WHERE id = ? AND used_by_request IS NULL AND approved_by IS NOT NULL");
    if (!update) return update.error();
    FACELEAD_TRY(update->bind(1, requestId).bind(2, approvalId).run());
    if (tx.changes() != 1)
        return makeError(ErrorCode::ApprovalRequired, "Search approval " + std::to_string(approvalId) + " was used already.");
    return detail::recordEvent(tx, session_.userId(), "search.approval_used", "search_approval", approvalId,
                               {{"request_id", requestId}});
}

}  // namespace facelead::cases
