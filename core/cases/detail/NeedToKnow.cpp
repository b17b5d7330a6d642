#include "core/cases/detail/NeedToKnow.h"

#include "core/accounts/Authority.h"
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

// The case's number when the user works it, "" when they do not; NotFound when there is no such case.
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

}  // namespace

Result<accounts::User> caseReader(accounts::Session& session, std::int64_t caseId) {
    const auto what = workflow::actionLabel(workflow::Action::ViewCase);
    return accounts::refusalsAudited(session, what, [&]() -> Result<accounts::User> {
        auto user = accounts::authorize(session, workflow::Action::ViewCase);
        if (!user || overseesCases(*user)) return user;
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
