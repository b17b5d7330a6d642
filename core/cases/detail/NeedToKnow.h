#pragma once
// Private to core/cases: who may read a case file (SOP 302.02 VI.B.6: facial recognition results and the
// searches behind them are criminal intelligence, shared on a need to know). Those who work the case — its
// creator, its case officer, whoever requested a search in it — and those who oversee the program —
// supervisors (VI.C.1), intelligence supervisors (VI.C.2.a) and program administrators (VI.C.2.b) — read it;
// any other user, investigator or not, does not (trial 12: an untrained investigator read a colleague's
// justification, candidates and follow-up evidence). A candidate is part of the case file: its name, rank and
// lead status are read by those who read the case (issue 9: `lead show` printed another case's candidate and
// its status). An independent verifier who does not work the case examines blind, and reads the candidate
// (CaseService::viewCandidate) once their verification is recorded, never the case file or the lead:
// verifying does not open the case.

#include <cstdint>
#include <string>

#include "core/accounts/Session.h"
#include "core/accounts/User.h"
#include "core/common/Result.h"

namespace facelead::cases::detail {

// True when the user oversees every case (reads any case file).
bool overseesCases(const accounts::User& user);

// An SQL condition on the case row aliased "c": the user bound at parameter ?N works the case.
std::string worksCaseCondition(int userParameter);

// The case row's creator and assigned case officer against the case's intact "case.created" entry, signed with
// its signer's certified key (audit::AuditLog::kCaseCreated): they decide who reads the case file and who follows
// its leads up, and an insider holding the database key can rewrite the row but not re-sign the entry (trial 13A:
// he made himself the case officer), and so are its search requests and examinations (detail/SignedRows.h).
// AuditChainBroken (a refusal: audit it) when they disagree or, in a store
// signed from its start, no such entry exists; callers check it before reading or acting on the case.
Result<void> checkCaseSigned(accounts::Session& session, std::int64_t caseId);
// The same for the case a search candidate belongs to (before an examination is recorded on it: trial 17A N7).
Result<void> checkCandidateCaseSigned(accounts::Session& session, std::int64_t candidateId);

// The signed-in user, authorised to view cases and entitled to read this one. PermissionDenied (audited, naming
// the case number) for anyone else; NotFound for a case that does not exist.
Result<accounts::User> caseReader(accounts::Session& session, std::int64_t caseId);
// The same for the case a search belongs to (its candidate list and probes are part of the case file).
Result<accounts::User> searchCaseReader(accounts::Session& session, std::int64_t searchId);
// The same for the case a search candidate belongs to.
Result<accounts::User> candidateCaseReader(accounts::Session& session, std::int64_t candidateId);
// Who may read the candidate itself: a reader of its case, or an examiner who has recorded their examination
// or verification of it. The refusal is candidateCaseReader's, audited the same way.
Result<accounts::User> candidateReader(accounts::Session& session, std::int64_t candidateId);

}  // namespace facelead::cases::detail
