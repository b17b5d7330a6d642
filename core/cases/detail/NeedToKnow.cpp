#include "core/cases/detail/NeedToKnow.h"

#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/accounts/Authority.h"
#include "core/audit/AuditLog.h"
#include "core/audit/SignedRecords.h"
#include "core/cases/CaseRepair.h"
#include "core/cases/detail/Rows.h"
#include "core/cases/detail/SignedRows.h"
#include "core/common/Text.h"
#include "core/workflow/Access.h"

namespace facelead::cases::detail {

bool overseesCases(const accounts::User& user) {
    return user.hasRole(workflow::Role::Supervisor) || user.hasRole(workflow::Role::IntelSupervisor) ||
           user.hasRole(workflow::Role::ProgramAdministrator);
}

std::string worksCaseCondition(int userParameter) {
    const std::string me = std::string(1, '?').append(std::to_string(userParameter));
    return "(c.created_by = " + me + " OR c.assigned_officer_id = " + me +
           " OR EXISTS (SELECT 1 FROM search_requests wr WHERE wr.case_id = c.id AND wr.requested_by = " + me +
           "))";
}

namespace {

// The case's creation entry as its signer signed it; nullopt when none is intact and signed with a certified key
// (an entry of a store from before signatures counts while the store is not signed from its start).
Result<std::optional<audit::AuditEntry>> signedCreation(accounts::Session& session, std::int64_t caseId) {
    auto entries = audit::AuditLog::list(session.store(), {.action = audit::AuditLog::kCaseCreated,
                                                           .objectType = "case",
                                                           .objectId = std::to_string(caseId)});
    if (!entries) return entries.error();
    for (auto& entry : *entries)
        if (audit::signedAsRecorded(session.ledger(), entry)) return std::optional(std::move(entry));
    return std::optional<audit::AuditEntry>();
}

// The case's number, and whether the user works it (worksCaseCondition). NotFound when there is no such case.
Result<std::pair<std::string, bool>> caseNumberAndInvolvement(store::Store& store, std::int64_t caseId,
                                                              std::int64_t userId) {
    auto statement =
        store.prepare("SELECT c.case_number, " + worksCaseCondition(2) + " FROM cases c WHERE c.id = ?1");
    if (!statement) return statement.error();
    statement->bind(1, caseId).bind(2, userId);
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return makeError(ErrorCode::NotFound, "There is no case with id " + std::to_string(caseId) + ".");
    return std::make_pair(statement->getText(0), statement->getInt(1) != 0);
}

// The case row as stored. NotFound when there is no such case.
Result<audit::StoredCase> storedCase(store::Store& store, std::int64_t caseId) {
    auto row = store.prepare("SELECT case_number, offence, created_by, assigned_officer_id, status FROM cases WHERE id = ?");
    if (!row) return row.error();
    row->bind(1, caseId);
    auto found = row->step();
    if (!found) return found.error();
    if (!*found) return makeError(ErrorCode::NotFound, "There is no case with id " + std::to_string(caseId) + ".");
    return audit::StoredCase{row->getText(0), row->getText(1), row->getOptionalInt(2), row->getOptionalInt(3),
                             row->getText(4)};
}

}  // namespace

Result<void> checkCaseSigned(accounts::Session& session, std::int64_t caseId) {
    auto read = storedCase(session.store(), caseId);
    if (!read) return read.error();
    const audit::StoredCase& stored = *read;
    auto creation = signedCreation(session, caseId);
    if (!creation) return creation.error();
    std::string problem;
    if (*creation) {
        if (const auto disagreement = audit::caseCreationDisagreement(stored, **creation); !disagreement.empty())
            problem = "Case " + stored.caseNumber + " was edited outside FaceLead: " + disagreement;
    } else if (session.ledger().bornSigned())
        // Trial 26 F2, trial 28: after a re-hash the honest colleague's untouched case read as "edited".
        problem = "No intact entry of the signed audit log created case " + stored.caseNumber +
                  ": its row was written or edited outside FaceLead, or the entry that created it was deleted, "
                  "changed or broken when the chain was re-hashed";
    if (problem.empty()) return checkCaseRowsSigned(session, caseId);
    return makeError(ErrorCode::AuditChainBroken,
                     problem + ". Nobody reads or acts on it here until a program administrator has looked (audit "
                               "verify names it).");
}

Result<accounts::User> caseReader(accounts::Session& session, std::int64_t caseId) {
    const auto what = workflow::actionLabel(workflow::Action::ViewCase);
    return accounts::refusalsAudited(session, what, [&]() -> Result<accounts::User> {
        auto user = accounts::authorize(session, workflow::Action::ViewCase);
        if (!user) return user;
        FACELEAD_TRY(checkCaseSigned(session, caseId));
        if (overseesCases(*user)) return user;
        // The rows it reads (creator, case officer, requesters) were just held to the signed log.
        auto involvement = caseNumberAndInvolvement(session.store(), caseId, user->id);
        if (!involvement) return involvement.error();
        if (!involvement->second)
            return makeError(ErrorCode::PermissionDenied,
                             "Case " + involvement->first +
                                 " is open only to those who work it (its creator, its case officer, whoever searched "
                                 "in it) and to supervisors and program administrators: facial "
                                 "recognition results are criminal intelligence, shared on a need to know "
                                 "(SOP 302.02 VI.B.6).");
        return user;
    });
}

namespace {

// The case a row belongs to: `sql` selects it for the id at ?1. NotFound naming `what` when there is no such row.
Result<std::int64_t> caseOf(store::Store& store, const char* sql, std::int64_t id, const char* what) {
    auto statement = store.prepare(sql);
    if (!statement) return statement.error();
    statement->bind(1, id);
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return makeError(ErrorCode::NotFound, "There is no " + std::string(what) + " with id " + std::to_string(id) + ".");
    return statement->getInt(0);
}

Result<std::int64_t> caseOfCandidate(store::Store& store, std::int64_t candidateId) {
    return caseOf(store,
                  "SELECT r.case_id FROM candidates k JOIN searches s ON s.id = k.search_id "
                  "JOIN search_requests r ON r.id = s.request_id WHERE k.id = ?1",
                  candidateId, "candidate");
}

}  // namespace

Result<void> checkCandidateCaseSigned(accounts::Session& session, std::int64_t candidateId) {
    auto caseId = caseOfCandidate(session.store(), candidateId);
    if (!caseId) return caseId.error();
    return checkCaseSigned(session, *caseId);
}

Result<accounts::User> searchCaseReader(accounts::Session& session, std::int64_t searchId) {
    auto caseId = caseOf(session.store(),
                         "SELECT r.case_id FROM searches s JOIN search_requests r ON r.id = s.request_id WHERE s.id = ?1",
                         searchId, "search");
    if (!caseId) return caseId.error();
    return caseReader(session, *caseId);
}

Result<accounts::User> candidateCaseReader(accounts::Session& session, std::int64_t candidateId) {
    auto caseId = caseOfCandidate(session.store(), candidateId);
    if (!caseId) return caseId.error();
    return caseReader(session, *caseId);
}

namespace {

// Whether the user has recorded an examination or verification of the candidate.
Result<bool> examinedBy(store::Store& store, std::int64_t candidateId, std::int64_t userId) {
    auto statement = store.prepare("SELECT count(*) FROM examinations WHERE candidate_id = ? AND examiner_id = ?");
    if (!statement) return statement.error();
    statement->bind(1, candidateId).bind(2, userId);
    auto row = statement->step();
    if (!row) return row.error();
    return *row && statement->getInt(0) > 0;
}

}  // namespace

Result<accounts::User> candidateReader(accounts::Session& session, std::int64_t candidateId) {
    if (auto user = accounts::authorize(session, workflow::Action::ViewCase)) {
        auto examined = examinedBy(session.store(), candidateId, user->id);
        if (!examined) return examined.error();
        if (*examined) {
            // The examination row that admits them must be the one they signed (a row slipped in is not one).
            auto caseId = caseOfCandidate(session.store(), candidateId);
            if (!caseId) return caseId.error();
            auto rows = accounts::refusalsAudited(session, workflow::actionLabel(workflow::Action::ViewCase),
                                                  [&] { return checkCaseRowsSigned(session, *caseId); });
            if (!rows) return rows.error();
            return user;
        }
    }
    return candidateCaseReader(session, candidateId);  // reads the case, or refuses (audited)
}

}  // namespace facelead::cases::detail

namespace facelead::cases {
namespace {

// The row as the signed creation entry has it: its number, offence and case officer, its creator, open.
audit::StoredCase asSigned(const audit::StoredCase& stored, const audit::AuditEntry& created) {
    const auto parsed = nlohmann::json::parse(created.detailsJson, nullptr, false);
    const nlohmann::json details = parsed.is_object() ? parsed : nlohmann::json::object();
    const auto officer = details.value("assigned_officer_id", nlohmann::json());
    return {details.value("case_number", stored.caseNumber), details.value("offence", stored.offence), created.userId,
            officer.is_number_integer() ? std::optional(officer.get<std::int64_t>()) : std::nullopt,
            audit::kCaseStatus};
}

Result<void> writeCaseRow(store::Transaction& tx, std::int64_t caseId, const audit::StoredCase& row) {
    auto update = tx.prepare(
        "UPDATE cases SET case_number = ?, offence = ?, created_by = ?, assigned_officer_id = ?, status = ? WHERE id = ?");
    if (!update) return update.error();
    return update->bind(1, row.caseNumber)
        .bind(2, row.offence)
        .bind(3, row.createdBy)
        .bind(4, row.assignedOfficer)
        .bind(5, row.status)
        .bind(6, caseId)
        .run();
}

}  // namespace

Result<std::vector<RestoredCase>> restoreCaseRows(accounts::Session& session, std::string_view reason) {
    return accounts::refusalsAudited(session, "case.restore_rows", [&]() -> Result<std::vector<RestoredCase>> {
        auto actor = accounts::authorize(session, workflow::Action::RunAudit);
        if (!actor) return actor.error();
        auto checked = text::acceptReason("putting case rows back", reason);
        if (!checked) return checked.error();
        return session.store().transact([&](store::Transaction& tx) -> Result<std::vector<RestoredCase>> {
            auto ids = detail::queryAll(tx, "SELECT id FROM cases ORDER BY id",
                                        [](const store::Statement& row) { return row.getInt(0); });
            if (!ids) return ids.error();
            std::vector<RestoredCase> restored;
            for (const std::int64_t caseId : *ids) {
                auto stored = detail::storedCase(tx.store(), caseId);
                if (!stored) return stored.error();
                auto creation = detail::signedCreation(session, caseId);
                if (!creation) return creation.error();
                if (!*creation) continue;  // nothing signed to put back: audit verify keeps naming it
                const std::string edited = audit::caseCreationDisagreement(*stored, **creation);
                if (edited.empty()) continue;
                const audit::StoredCase row = asSigned(*stored, **creation);
                FACELEAD_TRY(writeCaseRow(tx, caseId, row));
                FACELEAD_TRY(audit::AuditLog::append(
                    tx, {actor->id, "case.row_restored", "case", std::to_string(caseId),
                         nlohmann::json{{"case_number", row.caseNumber}, {"was_edited", edited}, {"reason", *checked}}
                             .dump()}));
                restored.push_back({row.caseNumber, edited});
            }
            if (restored.empty())
                return makeError(ErrorCode::InvalidArgument,
                                 "Every case row agrees with the signed audit log: there is nothing to put back.");
            return restored;
        });
    });
}

}  // namespace facelead::cases
