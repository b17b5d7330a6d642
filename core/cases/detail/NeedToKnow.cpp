#include "core/cases/detail/NeedToKnow.h"

#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/accounts/Authority.h"
#include "core/audit/AuditLog.h"
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

std::optional<std::int64_t> optionalId(const nlohmann::json& value) {
    return value.is_number_integer() ? std::optional(value.get<std::int64_t>()) : std::nullopt;
}

// The case's creation entry as its signer signed it; nullopt when none is intact and signed with a certified key
// (an entry of a store from before signatures counts while the store is not signed from its start).
Result<std::optional<audit::AuditEntry>> signedCreation(accounts::Session& session, std::int64_t caseId) {
    auto entries = audit::AuditLog::list(session.store(), {.action = audit::AuditLog::kCaseCreated,
                                                           .objectType = "case",
                                                           .objectId = std::to_string(caseId)});
    if (!entries) return entries.error();
    const audit::AccountLedger& ledger = session.ledger();
    for (auto& entry : *entries) {
        const bool keyHolds = entry.signer.empty() ? !ledger.bornSigned()
                                                   : ledger.everCertified(entry.signer, entry.signerKey);
        if (keyHolds && audit::AuditLog::integrityProblem(entry).empty()) return std::optional(std::move(entry));
    }
    return std::optional<audit::AuditEntry>();
}

// How the cases table says the user works the case.
struct Involvement {
    std::string caseNumber;
    bool worksIt = false;           // worksCaseCondition
    bool createdOrAssigned = false;  // as its creator or its case officer (checkCaseSigned holds these to the log)
};

// NotFound when there is no such case.
Result<Involvement> involvementOf(store::Store& store, std::int64_t caseId, std::int64_t userId) {
    auto statement = store.prepare("SELECT c.case_number, " + worksCaseCondition(2) +
                                   ", (c.created_by = ?2 OR c.assigned_officer_id = ?2) FROM cases c WHERE c.id = ?1");
    if (!statement) return statement.error();
    statement->bind(1, caseId).bind(2, userId);
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return makeError(ErrorCode::NotFound, "There is no case with id " + std::to_string(caseId) + ".");
    return Involvement{statement->getText(0), statement->getInt(1) != 0, statement->getInt(2) != 0};
}

// Whether the signed log holds an intact search request by the user in the case (request.submitted), the one
// involvement the case row does not record.
Result<bool> requestedSigned(accounts::Session& session, std::int64_t caseId, std::int64_t userId) {
    auto entries = audit::AuditLog::list(session.store(), {.userId = userId, .action = "request.submitted"});
    if (!entries) return entries.error();
    const audit::AccountLedger& ledger = session.ledger();
    return std::any_of(entries->begin(), entries->end(), [&](const audit::AuditEntry& entry) {
        const auto details = nlohmann::json::parse(entry.detailsJson, nullptr, false);
        const bool keyHolds = entry.signer.empty() ? !ledger.bornSigned()
                                                   : ledger.everCertified(entry.signer, entry.signerKey);
        return details.is_object() && details.value("case_id", std::int64_t(0)) == caseId && keyHolds &&
               audit::AuditLog::integrityProblem(entry).empty();
    });
}

}  // namespace

Result<void> checkCaseSigned(accounts::Session& session, std::int64_t caseId) {
    auto row = session.store().prepare("SELECT case_number, created_by, assigned_officer_id FROM cases WHERE id = ?");
    if (!row) return row.error();
    row->bind(1, caseId);
    auto found = row->step();
    if (!found) return found.error();
    if (!*found) return makeError(ErrorCode::NotFound, "There is no case with id " + std::to_string(caseId) + ".");
    auto creation = signedCreation(session, caseId);
    if (!creation) return creation.error();
    std::string problem;
    if (!*creation) {
        if (!session.ledger().bornSigned()) return {};
        problem = "no intact entry of the signed audit log created it";
    } else if (row->getOptionalInt(1) != (*creation)->userId) {
        problem = "the store names another creator than the signed audit log";
    } else {
        const auto details = nlohmann::json::parse((*creation)->detailsJson, nullptr, false);
        const auto assigned = details.is_object() ? optionalId(details.value("assigned_officer_id", nlohmann::json()))
                                                  : std::nullopt;
        if (row->getOptionalInt(2) != assigned)
            problem = "the store names another assigned case officer than the signed audit log";
    }
    if (problem.empty()) return {};
    return makeError(ErrorCode::AuditChainBroken,
                     "Case " + row->getText(0) + " was edited outside FaceLead: " + problem +
                         ". Nobody reads or acts on it here until a program administrator has looked (audit verify "
                         "names it).");
}

Result<accounts::User> caseReader(accounts::Session& session, std::int64_t caseId) {
    const auto what = workflow::actionLabel(workflow::Action::ViewCase);
    return accounts::refusalsAudited(session, what, [&]() -> Result<accounts::User> {
        auto user = accounts::authorize(session, workflow::Action::ViewCase);
        if (!user) return user;
        FACELEAD_TRY(checkCaseSigned(session, caseId));
        if (overseesCases(*user)) return user;
        auto involvement = involvementOf(session.store(), caseId, user->id);
        if (!involvement) return involvement.error();
        if (involvement->worksIt && !involvement->createdOrAssigned) {
            // Only a search request row says so: the signed log must too (a row slipped in is not a request).
            auto requested = requestedSigned(session, caseId, user->id);
            if (!requested) return requested.error();
            if (!*requested)
                return makeError(ErrorCode::AuditChainBroken,
                                 "The store says you requested a search in case " + involvement->caseNumber +
                                     ", but the signed audit log holds no such request: the store was edited "
                                     "outside FaceLead. Tell a program administrator (audit verify).");
        }
        if (!involvement->worksIt)
            return makeError(ErrorCode::PermissionDenied,
                             "Case " + involvement->caseNumber +
                                 " is open only to those who work it (its creator, its case officer, whoever searched "
                                 "in it) and to supervisors and program administrators: facial "
                                 "recognition results are criminal intelligence, shared on a need to know "
                                 "(SOP 302.02 VI.B.6).");
        return user;
    });
}

Result<accounts::User> candidateCaseReader(accounts::Session& session, std::int64_t candidateId) {
    auto statement = session.store().prepare(
        "SELECT r.case_id FROM candidates k JOIN searches s ON s.id = k.search_id "
        "JOIN search_requests r ON r.id = s.request_id WHERE k.id = ?");
    if (!statement) return statement.error();
    statement->bind(1, candidateId);
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row)
        return makeError(ErrorCode::NotFound, "There is no candidate with id " + std::to_string(candidateId) + ".");
    return caseReader(session, statement->getInt(0));
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
        if (*examined) return user;
    }
    return candidateCaseReader(session, candidateId);  // reads the case, or refuses (audited)
}

}  // namespace facelead::cases::detail
