// CaseService's second approver (issue 11 item 5): a search whose purpose the agency's rule pack holds runs only
// once a supervisor, never its requester, has approved the request, before the search (SearchApproval.h). The
// approval covers the probe originals named with the request (trial 19B HIGH-2): a search with any other original
// is refused, audited, as a search without approval.

#include <algorithm>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/accounts/Authority.h"
#include "core/audit/SignedRecords.h"
#include "core/cases/CaseService.h"
#include "core/cases/detail/Audit.h"
#include "core/cases/detail/Examinations.h"
#include "core/cases/detail/RequestColumns.h"
#include "core/cases/detail/Rows.h"
#include "core/cases/detail/SignedRows.h"
#include "core/cases/RankShown.h"
#include "core/common/Hash.h"
#include "core/face/DescriptorBlob.h"
#include "core/imaging/Video.h"

namespace facelead::cases {
namespace {

// The signed audit entry by which its requester withdrew a request: the entry withdraws it (the table is the desktop
// user's to edit).
constexpr const char* kWithdrawalEntry =
    "FROM audit_log w WHERE w.action = 'search.approval_withdrawn' AND w.object_type = 'search_approval' AND "
    "w.object_id = CAST(a.id AS TEXT) AND w.user_id = a.requested_by";

const std::string kApprovalSelect =
    std::string("SELECT a.id, a.case_number, a.offence, a.purpose_code, a.justification, a.pack, a.requested_by, "
                "rb.display_name, a.requested_at, a.approved_by, ab.display_name, a.approved_at, a.used_by_request, "
                "(SELECT min(w.at) ") + kWithdrawalEntry + ") FROM search_approvals a "
    "LEFT JOIN users rb ON rb.id = a.requested_by LEFT JOIN users ab ON ab.id = a.approved_by";
const std::string kNotWithdrawn = std::string(" NOT EXISTS (SELECT 1 ") + kWithdrawalEntry + ")";

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
    approval.withdrawnAt = row.getOptionalText(13).value_or("");
    return approval;
}

ApprovalProbe readApprovalProbe(const store::Statement& row) {
    return {row.getText(0), row.getText(1), row.getOptionalInt(2)};
}

// Each approval with the probes it covers, read back from the store.
template <typename Db>
Result<std::vector<SearchApproval>> withProbes(Db& db, Result<std::vector<SearchApproval>> approvals) {
    if (!approvals) return approvals;
    for (SearchApproval& approval : *approvals) {
        auto probes = detail::queryAll(db,
                                       "SELECT sha256, file_name, video_frame FROM search_approval_probes "
                                       "WHERE approval_id = ? ORDER BY position",
                                       readApprovalProbe, approval.id);
        if (!probes) return probes.error();
        approval.probes = std::move(*probes);
    }
    return approvals;
}

template <typename Db>
Result<SearchApproval> loadApproval(Db& db, std::int64_t approvalId) {
    auto rows =
        withProbes(db, detail::queryAll(db, kApprovalSelect + " WHERE a.id = ?", readApproval, approvalId));
    if (!rows) return rows.error();
    if (rows->empty()) return makeError(ErrorCode::NotFound, "There is no search approval " + std::to_string(approvalId) + ".");
    return rows->front();
}

// My requests for this very search, not yet used by one nor withdrawn: what was asked is what is approved.
template <typename Db>
Result<std::vector<SearchApproval>> unusedApprovals(Db& db, const workflow::SearchRequest& request, std::int64_t userId) {
    auto statement = db.prepare(kApprovalSelect +
                                " WHERE a.requested_by = ? AND a.case_number = ? AND a.offence = ? AND a.purpose_code = ?"
                                " AND a.justification = ? AND a.used_by_request IS NULL AND" + kNotWithdrawn +
                                " ORDER BY a.approved_by IS NULL, a.id");
    if (!statement) return statement.error();
    statement->bind(1, userId)
        .bind(2, request.caseNumber)
        .bind(3, request.offence)
        .bind(4, workflow::purposeInfo(*request.purpose).code)
        .bind(5, request.justification);
    return withProbes(db, detail::collect(*statement, readApproval));
}

// The probe originals a submission searches, as an approval names them: the first, then the further ones.
std::vector<ApprovalProbe> probesOf(const SearchSubmission& submission) {
    std::vector<ApprovalProbe> probes{{sha256Hex(submission.originalBytes), submission.fileName, submission.videoFrame}};
    for (const FurtherProbe& further : submission.furtherProbes)
        probes.push_back({sha256Hex(further.originalBytes), further.fileName, further.videoFrame});
    return probes;
}

// The same originals (and frames), in any order: the supervisor approved searching exactly these.
bool coversExactly(const SearchApproval& approval, std::vector<ApprovalProbe> searched) {
    if (approval.probes.size() != searched.size()) return false;
    for (const ApprovalProbe& probe : approval.probes) {
        auto found = std::find(searched.begin(), searched.end(), probe);
        if (found == searched.end()) return false;
        searched.erase(found);
    }
    return true;
}

// The face templates of a submission's probes, in probesOf's order; none for a probe not analysed yet.
std::vector<std::optional<face::Descriptor>> templatesOf(const SearchSubmission& submission) {
    const auto analysed = [](const face::Descriptor& d) {
        return std::ranges::any_of(d, [](float v) { return v != 0.0F; }) ? std::optional(d) : std::nullopt;
    };
    std::vector<std::optional<face::Descriptor>> templates{analysed(submission.probe.descriptor)};
    for (const FurtherProbe& further : submission.furtherProbes) templates.push_back(analysed(further.probe.descriptor));
    return templates;
}

// Whether an approval request names one of the searched pictures: the same original, or a picture of the same
// unknown person (trial 49 F2: a re-saved, recompressed or mirrored copy went round the hold).
template <typename Db>
Result<bool> holdsPictures(Db& db, const SearchApproval& approval, const std::vector<ApprovalProbe>& searched,
                           const std::vector<std::optional<face::Descriptor>>& templates) {
    for (const ApprovalProbe& probe : approval.probes)
        if (std::ranges::any_of(searched, [&](const ApprovalProbe& p) { return p.sha256 == probe.sha256; })) return true;
    auto held = detail::queryAll(
        db, "SELECT template FROM search_approval_probes WHERE approval_id = ? AND template IS NOT NULL",
        [](const store::Statement& row) { return face::descriptorFromBlob(row.getBlob(0)); }, approval.id);
    if (!held) return held.error();
    for (const auto& heldTemplate : *held)
        for (const auto& searchedTemplate : templates)
            if (heldTemplate && searchedTemplate &&
                face::FaceEngine::distance(*heldTemplate, *searchedTemplate) <= kSameUnknownPersonDistance)
                return true;
    return false;
}

// The approval, among my unused ones for this request, that covers exactly these probes: approved first.
const SearchApproval* approvalOfProbes(const std::vector<SearchApproval>& unused, const std::vector<ApprovalProbe>& probes) {
    for (const SearchApproval& approval : unused)
        if (coversExactly(approval, probes)) return &approval;
    return nullptr;
}

Result<void> storeApprovalProbes(store::Transaction& tx, std::int64_t approvalId, const SearchSubmission& submission) {
    auto insert = tx.prepare(
        "INSERT INTO search_approval_probes(approval_id, position, sha256, file_name, video_frame, bytes, template) "
        "VALUES (?,?,?,?,?,?,?)");
    if (!insert) return insert.error();
    const auto probes = probesOf(submission);
    const auto templates = templatesOf(submission);
    for (std::size_t position = 0; position < probes.size(); ++position) {
        const auto bytes = position == 0 ? submission.originalBytes : submission.furtherProbes[position - 1].originalBytes;
        FACELEAD_TRY(insert->bind(1, approvalId)
                         .bind(2, static_cast<std::int64_t>(position))
                         .bind(3, probes[position].sha256)
                         .bind(4, probes[position].fileName)
                         .bind(5, probes[position].videoFrame)
                         .bind(6, bytes)
                         .bind(7, templates[position] ? std::optional(face::descriptorBlob(*templates[position]))
                                                      : std::nullopt)
                         .run());
        insert->reset();
    }
    return {};
}

// What a request's "search.approval_requested" entry signs of the templates its hold compares pictures by.
Result<std::string> approvalTemplatesDigest(store::Store& store, std::int64_t approvalId) {
    return detail::templatesDigest(store, "search_approval_probes", "approval_id", approvalId);
}

// Frame `index` of the video in `bytes`, as the search takes it (CaseService::takeVideoFrame).
Result<imaging::Image> videoFramePicture(std::span<const std::uint8_t> bytes, std::int64_t index, std::uint64_t maxBytes) {
    auto video = imaging::Video::openBytes(bytes, {maxBytes});
    if (!video) return video.error();
    auto frame = video->frameAsTaken(index);
    if (!frame) return frame.error();
    return std::move(frame->image);
}

nlohmann::json probesJson(const std::vector<ApprovalProbe>& probes) {
    auto json = nlohmann::json::array();
    for (const ApprovalProbe& probe : probes) {
        nlohmann::json entry{{"sha256", probe.sha256}, {"file_name", probe.fileName}};
        if (probe.videoFrame) entry["video_frame"] = *probe.videoFrame;
        json.push_back(std::move(entry));
    }
    return json;
}

std::string approvalAsked(const workflow::PolicyPack& pack, workflow::Purpose purpose) {
    const auto& info = workflow::purposeInfo(purpose);
    return "The agency's rule pack (" + pack.name() + ") asks a supervisor to approve a search for " +
           std::string(info.citation) + " (" + std::string(info.label) + ") before it runs (" + pack.approvalCitation +
           ").";
}

// Whether the requester's own intact, signed "search.approval_requested" entry asked for this approval as the row
// stands: case, purpose, probes, (entries since trial 22A) offence and justification, and (since trial 51) the probes'
// templates the hold compares pictures by. A row written into the
// table put a request "asked by" a colleague, with a justification he never wrote, in the supervisors' queue
// (trial 22A F10).
Result<bool> requestSigned(accounts::Session& session, const SearchApproval& approval) {
    auto templates = approvalTemplatesDigest(session.store(), approval.id);
    if (!templates) return templates.error();
    auto entries = audit::AuditLog::list(session.store(), {.action = "search.approval_requested",
                                                           .objectType = "search_approval",
                                                           .objectId = std::to_string(approval.id)});
    if (!entries) return entries.error();
    const auto sameWhereNamed = [](const nlohmann::json& details, const char* member, const std::string& value) {
        return !details.contains(member) || details.value(member, "") == value;
    };
    return std::any_of(entries->begin(), entries->end(), [&](const audit::AuditEntry& entry) {
        const auto details = nlohmann::json::parse(entry.detailsJson, nullptr, false);
        return details.is_object() && entry.userId == approval.requestedBy.id &&
               audit::signedAsRecorded(session.ledger(), entry) &&
               details.value("case_number", "") == approval.caseNumber &&
               details.value("purpose", "") == workflow::purposeInfo(approval.purpose).code &&
               // An entry from before requests named their probes (schema v13) names none, and its row has none.
               (details.contains("probes") ? details["probes"] == probesJson(approval.probes) : approval.probes.empty()) &&
               sameWhereNamed(details, "offence", approval.offence) &&
               sameWhereNamed(details, "justification", approval.justification) &&
               sameWhereNamed(details, detail::kProbeTemplatesDigest, *templates);
    });
}

Error requestEdited(std::int64_t approvalId) {
    return makeError(ErrorCode::AuditChainBroken,
                     "Search approval request " + std::to_string(approvalId) +
                         " was edited outside FaceLead: its requester's signed request does not ask for it as it "
                         "stands. It cannot be approved or used; the requester asks again (audit verify shows the "
                         "requests signed).");
}

// Trial 46 F5, 49 F2, 52 F2: a request still waiting for a supervisor holds every search in its case, whoever
// searches, and, in any case, its requester's search of one of its pictures (a new case number went round the hold).
// A request whose row its requester's signed entry does not ask for (its templates rewritten to let the same person
// through, trial 51) holds everything: nobody searches round it until a program administrator has looked.
Result<std::optional<SearchApproval>> waitingForProbes(accounts::Session& session, const std::string& caseNumber,
                                                      std::int64_t searcherId, const std::vector<ApprovalProbe>& searched,
                                                      const std::vector<std::optional<face::Descriptor>>& templates) {
    store::Store& db = session.store();
    auto statement = db.prepare(kApprovalSelect +
                                " WHERE (a.case_number = ? OR a.requested_by = ?) AND a.approved_by IS NULL AND "
                                "a.used_by_request IS NULL AND" + kNotWithdrawn + " ORDER BY a.id");
    if (!statement) return statement.error();
    statement->bind(1, caseNumber).bind(2, searcherId);
    auto waiting = withProbes(db, detail::collect(*statement, readApproval));
    if (!waiting) return waiting.error();
    for (const SearchApproval& approval : *waiting) {
        auto asked = requestSigned(session, approval);
        if (!asked) return asked.error();
        if (!*asked) return requestEdited(approval.id);
        // Its case is held whole (trial 52 F2: another photo of the person, 0.648 from the held one, is no picture
        // of the same person to the engine, and ran in the held case under another purpose).
        if (approval.caseNumber == caseNumber) return std::optional(approval);
        auto holds = holdsPictures(db, approval, searched, templates);
        if (!holds) return holds.error();
        if (*holds) return std::optional(approval);
    }
    return std::optional<SearchApproval>();
}

Result<std::vector<audit::AuditEntry>> approvalEntries(accounts::Session& session, const SearchApproval& approval,
                                                       const char* action) {
    return audit::AuditLog::list(session.store(),
                                 {.action = action, .objectType = "search_approval", .objectId = std::to_string(approval.id)});
}

// Whether a supervisor's intact, signed "search.approved" entry, not its requester's, approved this request for
// these probes (used or not).
Result<bool> approvedAsSigned(accounts::Session& session, const SearchApproval& approval) {
    auto entries = approvalEntries(session, approval, "search.approved");
    if (!entries) return entries.error();
    for (const audit::AuditEntry& entry : *entries) {
        const auto details = nlohmann::json::parse(entry.detailsJson, nullptr, false);
        if (!details.is_object() || !audit::signedAsRecorded(session.ledger(), entry) || !entry.userId ||
            *entry.userId == approval.requestedBy.id ||
            details.value("requested_by", std::int64_t(0)) != approval.requestedBy.id ||
            details.value("probes", nlohmann::json()) != probesJson(approval.probes))
            continue;
        auto supervisor = detail::heldRoleWhen(session, entry.username, entry.seq, workflow::Role::Supervisor);
        if (!supervisor) return supervisor.error();
        if (*supervisor) return true;
    }
    return false;
}

// Whether a supervisor's intact, signed "search.approved" entry, not its requester's, approved this request for
// these probes, and the log records no use of it yet. The search_approvals rows are the desktop user's to edit:
// approved_by written into one nobody approved, the probe hashes rewritten after the approval, or the "used" column
// reset for a second search would otherwise open the gate (trial 21A N1).
Result<bool> approvalSigned(accounts::Session& session, const SearchApproval& approval) {
    auto used = approvalEntries(session, approval, "search.approval_used");
    if (!used) return used.error();
    if (!used->empty()) return false;
    return approvedAsSigned(session, approval);
}

}  // namespace

std::string approvalProbesText(const std::vector<ApprovalProbe>& probes) {
    std::string text;
    for (const ApprovalProbe& probe : probes) {
        if (!text.empty()) text += ", ";
        text += (probe.fileName.empty() ? std::string("an image") : probe.fileName) + " (SHA-256 " +
                probe.sha256.substr(0, 12) + "..." + (probe.videoFrame ? ", frame " + std::to_string(*probe.videoFrame) : "") + ")";
    }
    return text;
}

std::string approvalOutcomeText(const SearchApproval& approval) {
    if (approval.withdrawn()) return "withdrawn by who asked, " + approval.withdrawnAt + "; not searched";
    if (!approval.approvedBy) return "waiting for a supervisor's approval; not searched";
    const std::string approved = "approved by " + approval.approvedBy->displayName + ", " + approval.approvedAt;
    return approval.usedByRequest ? approved + "; searched (search request #" + std::to_string(*approval.usedByRequest) + ")"
                                  : approved + "; not searched yet";
}

Result<SearchApproval> CaseService::requestApproval(const SearchSubmission& submission) {
    const workflow::SearchRequest& request = submission.request;
    return accounts::refusalsAudited(session_, "search.approval_request", [&]() -> Result<SearchApproval> {
        auto user = searchingUser();
        if (!user) return user.error();
        FACELEAD_TRY(workflow::validate(request, settings_));
        if (!settings_.pack.needsApproval(*request.purpose))
            return makeError(ErrorCode::InvalidArgument, "The agency's rule pack (" + settings_.pack.name() +
                                                             ") asks no approval before a search for this purpose.");
        // Never a supervisor's approval for a search its case then refuses (trial 23C M6).
        if (auto existing = caseToSearchIn(request.caseNumber); existing)
            FACELEAD_TRY(detail::checkOffenceOfCase(*existing, request));
        else if (existing.error().code != ErrorCode::NotFound)
            return existing.error();
        return session_.store().transact([&](store::Transaction& tx) -> Result<SearchApproval> {
            auto existing = unusedApprovals(tx, request, user->id);
            if (!existing) return existing.error();
            if (const auto* same = approvalOfProbes(*existing, probesOf(submission))) return *same;
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
            FACELEAD_TRY(storeApprovalProbes(tx, approvalId, submission));
            auto templates = approvalTemplatesDigest(tx.store(), approvalId);
            if (!templates) return templates.error();
            FACELEAD_TRY(detail::recordEvent(tx, user->id, "search.approval_requested", "search_approval", approvalId,
                                             {{"case_number", request.caseNumber}, {"purpose", code},
                                              {"offence", request.offence}, {"justification", request.justification},
                                              {"pack", settings_.pack.id}, {"pack_version", settings_.pack.version},
                                              {"probes", probesJson(probesOf(submission))},
                                              {detail::kProbeTemplatesDigest, *templates}}));
            return loadApproval(tx, approvalId);
        });
    });
}

Result<SearchApproval> CaseService::approveSearch(std::int64_t approvalId) {
    return accounts::refusalsAudited(session_, "search.approve", [&]() -> Result<SearchApproval> {
        auto user = accounts::authorize(session_, workflow::Action::ApproveSearch);
        if (!user) return user.error();
        auto asked = loadApproval(session_.store(), approvalId);
        if (!asked) return asked.error();
        auto requested = requestSigned(session_, *asked);
        if (!requested) return requested.error();
        if (!*requested) return requestEdited(approvalId);  // its probe rows deleted too (trial 52 F4)
        return session_.store().transact([&](store::Transaction& tx) -> Result<SearchApproval> {
            auto approval = loadApproval(tx, approvalId);
            if (!approval) return approval.error();
            if (approval->requestedBy.id == user->id)
                return makeError(ErrorCode::PermissionDenied,
                                 "A second approver approves a search: never the one who asked for it.");
            FACELEAD_TRY(workflow::checkSupervisorTrained(detail::trainedAt(*user, tx.now(), settings_),
                                                          "approve a search"));
            if (approval->approved())
                return makeError(ErrorCode::InvalidTransition,
                                 "Search approval " + std::to_string(approvalId) + " was already approved.");
            if (approval->withdrawn())
                return makeError(ErrorCode::InvalidTransition, "Search approval " + std::to_string(approvalId) +
                                                                   " was withdrawn by who asked for it.");
            if (approval->probes.empty())
                return makeError(ErrorCode::InvalidTransition,
                                 "Search approval " + std::to_string(approvalId) +
                                     " was asked before approvals named the probe to be searched: it cannot be "
                                     "approved. The requester asks again, with the probe image.");
            auto update = tx.prepare("UPDATE search_approvals SET approved_by = ?, approved_at = ? WHERE id = ?");
            if (!update) return update.error();
            FACELEAD_TRY(update->bind(1, user->id).bind(2, toIsoUtc(tx.now())).bind(3, approvalId).run());
            FACELEAD_TRY(detail::recordEvent(tx, user->id, "search.approved", "search_approval", approvalId,
                                             {{"case_number", approval->caseNumber},
                                              {"requested_by", approval->requestedBy.id},
                                              {"probes", probesJson(approval->probes)}}));
            return loadApproval(tx, approvalId);
        });
    });
}

Result<std::vector<SearchApproval>> CaseService::approvalsAwaitingMe() {
    auto user = currentUser(workflow::Action::ApproveSearch);
    if (!user) return user.error();
    // A request stored before approvals named their probes cannot be approved (approveSearch): not listed; nor one
    // its requester's signed request does not ask for (requestSigned).
    auto pending = withProbes(session_.store(),
                              detail::queryAll(session_.store(),
                                               kApprovalSelect +
                                                   " WHERE a.approved_by IS NULL AND a.requested_by <> ? AND" +
                                                   kNotWithdrawn + " AND EXISTS "
                                                   "(SELECT 1 FROM search_approval_probes p WHERE p.approval_id = a.id) "
                                                   "ORDER BY a.id",
                                               readApproval, user->id));
    if (!pending) return pending.error();
    std::vector<SearchApproval> asked;
    for (SearchApproval& approval : *pending) {
        auto requested = requestSigned(session_, approval);
        if (!requested) return requested.error();
        if (*requested) asked.push_back(std::move(approval));
    }
    return asked;
}

Result<std::optional<SearchApproval>> CaseService::approvalUsedBy(std::int64_t requestId) {
    if (auto request = getRequest(requestId); !request) return request.error();
    auto used = withProbes(session_.store(), detail::queryAll(session_.store(),
                                                              kApprovalSelect + " WHERE a.used_by_request = ?",
                                                              readApproval, requestId));
    if (!used) return used.error();
    if (used->empty()) return std::optional<SearchApproval>();
    return std::optional(std::move(used->front()));
}

Result<std::vector<imaging::Image>> CaseService::approvalProbePictures(std::int64_t approvalId) {
    auto user = currentUser(workflow::Action::ApproveSearch);
    if (!user) return user.error();
    auto approval = loadApproval(session_.store(), approvalId);
    if (!approval) return approval.error();
    auto rows = detail::queryAll(session_.store(),
                                 "SELECT sha256, video_frame, bytes FROM search_approval_probes WHERE approval_id = ? "
                                 "ORDER BY position",
                                 [](const store::Statement& row) {
                                     return std::tuple(row.getText(0), row.getOptionalInt(1), row.getBlob(2));
                                 },
                                 approvalId);
    if (!rows) return rows.error();
    std::vector<imaging::Image> pictures;
    for (const auto& [sha256, videoFrame, bytes] : *rows) {
        if (sha256Hex(bytes) != sha256)  // the bytes shown are the bytes whose hash the search is held to (VI.B.2)
            return makeError(ErrorCode::IntegrityViolation, "A probe of search approval " + std::to_string(approvalId) +
                                                                " no longer matches its SHA-256.");
        auto picture = videoFrame ? videoFramePicture(bytes, *videoFrame, settings_.maxVideoBytes) : imaging::decodeBytes(bytes);
        if (!picture) return picture.error();
        pictures.push_back(std::move(*picture));
    }
    FACELEAD_TRY(session_.store().transact([&](store::Transaction& tx) {
        return detail::recordEvent(tx, user->id, "search_approval.probes_viewed", "search_approval", approvalId,
                                   {{"case_number", approval->caseNumber}});
    }));
    return pictures;
}

Result<SearchApproval> CaseService::withdrawApprovalRequest(std::int64_t approvalId) {
    return accounts::refusalsAudited(session_, "search.approval_withdraw", [&]() -> Result<SearchApproval> {
        auto user = searchingUser();
        if (!user) return user.error();
        return session_.store().transact([&](store::Transaction& tx) -> Result<SearchApproval> {
            auto approval = loadApproval(tx, approvalId);
            if (!approval) return approval.error();
            if (approval->requestedBy.id != user->id)
                return makeError(ErrorCode::PermissionDenied, "Only who asked for search approval " +
                                                                  std::to_string(approvalId) + " withdraws it.");
            if (approval->approved() || approval->usedByRequest || approval->withdrawn())
                return makeError(ErrorCode::InvalidTransition,
                                 "Search approval " + std::to_string(approvalId) +
                                     " is no longer waiting for a supervisor (approved, used or withdrawn already).");
            FACELEAD_TRY(detail::recordEvent(tx, user->id, "search.approval_withdrawn", "search_approval", approvalId,
                                             {{"case_number", approval->caseNumber},
                                              {"probes", probesJson(approval->probes)}}));
            return *approval;
        });
    });
}

Result<std::optional<SearchApproval>> CaseService::approvalHolding(const SearchSubmission& submission) {
    auto user = searchingUser();
    if (!user) return user.error();
    return waitingForProbes(session_, submission.request.caseNumber, user->id, probesOf(submission),
                            templatesOf(submission));
}

Result<std::optional<std::int64_t>> CaseService::approvalFor(const SearchSubmission& submission, std::int64_t userId) {
    const workflow::SearchRequest& request = submission.request;
    if (!request.purpose) return std::optional<std::int64_t>();
    if (!settings_.pack.needsApproval(*request.purpose)) {
        auto waiting = waitingForProbes(session_, request.caseNumber, userId, probesOf(submission),
                                        templatesOf(submission));
        if (!waiting) return waiting.error();
        if (!*waiting) return std::optional<std::int64_t>();
        const SearchApproval& asked = **waiting;
        return makeError(ErrorCode::ApprovalRequired,
                         "Search approval " + std::to_string(asked.id) + ", asked by " + asked.requestedBy.displayName +
                             " at " + asked.requestedAt + " for " + std::string(workflow::purposeInfo(asked.purpose).citation) +
                             " in case " + asked.caseNumber + ", is waiting for a supervisor to approve searching " +
                             approvalProbesText(asked.probes) + ". While it waits, nothing is searched in case " + asked.caseNumber + " under another purpose, and "
                             "its requester searches these pictures, or other pictures of the same person, under no "
                             "other purpose in another case: that would go round the second approver the agency's "
                             "rule pack asks. Wait for "
                             "the approval, or its requester withdraws the request first (facelead-cli search withdraw " +
                             std::to_string(asked.id) + "), which the audit log records.");
    }
    auto unused = unusedApprovals(session_.store(), request, userId);
    if (!unused) return unused.error();
    const auto searched = probesOf(submission);
    const SearchApproval* same = approvalOfProbes(*unused, searched);
    if (same && same->approved()) {
        auto asked = requestSigned(session_, *same);
        if (!asked) return asked.error();
        if (!*asked) return requestEdited(same->id);
        auto signedApproval = approvalSigned(session_, *same);
        if (!signedApproval) return signedApproval.error();
        if (*signedApproval) return std::optional(same->id);
        return makeError(ErrorCode::AuditChainBroken,
                         "Search approval " + std::to_string(same->id) +
                             " was edited outside FaceLead: no supervisor's signed approval covers this request and "
                             "these probes, or the audit log records it used already. A supervisor approves a new "
                             "request (audit verify shows the approvals signed).");
    }
    std::string state = " Request the approval first; the search is stored as waiting for it.";
    if (same) {
        state = " Request " + std::to_string(same->id) + " is waiting for a supervisor.";
    } else if (const auto approved = std::find_if(unused->begin(), unused->end(),
                                                  [](const SearchApproval& a) { return a.approved(); });
               approved != unused->end()) {
        // Trial 19B HIGH-2: the supervisor approved searching those images, not whatever is searched under the request.
        state = " Search approval " + std::to_string(approved->id) + " covers " +
                (approved->probes.empty() ? std::string("no named probe (it was asked before approvals named them)")
                                          : approvalProbesText(approved->probes)) +
                ", not the probe of this search: " + approvalProbesText(searched) +
                ". Request the approval of this probe; a supervisor approves what is searched.";
    }
    return makeError(ErrorCode::ApprovalRequired, approvalAsked(settings_.pack, *request.purpose) + state);
}

Result<std::vector<SearchApproval>> CaseService::approvalRequestsOfCase(const std::string& caseNumber) {
    auto statement = session_.store().prepare(kApprovalSelect + " WHERE a.case_number = ? ORDER BY a.id");
    if (!statement) return statement.error();
    statement->bind(1, caseNumber);
    return withProbes(session_.store(), detail::collect(*statement, readApproval));
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

namespace detail {

Result<std::vector<std::string>> editedApprovalRequests(accounts::Session& session) {
    auto approvals = withProbes(session.store(), queryAll(session.store(), kApprovalSelect + " ORDER BY a.id",
                                                          readApproval));
    if (!approvals) return approvals.error();
    std::vector<std::string> problems;
    for (const SearchApproval& approval : *approvals) {
        auto asked = requestSigned(session, approval);
        if (!asked) return asked.error();
        if (!*asked) problems.push_back("Case " + approval.caseNumber + ": " + requestEdited(approval.id).message);
        // Trial 51 F4: approved_by written into a waiting request, or an approval's use cleared, was refused when
        // used, but verify called the log intact.
        const std::string named = "Case " + approval.caseNumber + ": search approval " + std::to_string(approval.id);
        auto approvedSigned = approval.approved() ? approvedAsSigned(session, approval) : Result<bool>(true);
        if (!approvedSigned) return approvedSigned.error();
        if (!*approvedSigned)
            problems.push_back(named + " reads as approved by " + approval.approvedBy->displayName +
                               ", but no supervisor's signed approval covers it: the row was edited outside FaceLead.");
        auto used = approvalEntries(session, approval, "search.approval_used");
        if (!used) return used.error();
        if (!used->empty() && !approval.usedByRequest)
            problems.push_back(named + " reads as not used, but the audit log records the search it allowed: the row "
                                       "was edited outside FaceLead.");
    }
    return problems;
}

}  // namespace detail

}  // namespace facelead::cases
