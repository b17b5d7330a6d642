// CaseService: blind examination, independent verification and the corroboration reads (issue 11 items 1-3).
// The rules are workflow/Examination.h; this file loads the facts, writes the outcome and audits it, in one
// transaction.

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/accounts/Authority.h"
#include "core/cases/CaseService.h"
#include "core/cases/RankShown.h"
#include "core/cases/detail/Audit.h"
#include "core/cases/detail/Examinations.h"
#include "core/cases/detail/NeedToKnow.h"
#include "core/cases/detail/SignedRows.h"
#include "core/cases/detail/Rows.h"
#include "core/gallery/Gallery.h"
#include "core/imaging/Intake.h"

namespace facelead::cases {
namespace {

using Json = nlohmann::json;
using detail::queryAll;

Json componentsToJson(const workflow::Examination& examination) {
    Json json = Json::object();
    for (workflow::FacialComponent c : workflow::allFacialComponents()) {
        const auto& rating = examination[c];
        json[std::string(workflow::componentName(c))] = {
            {"finding", rating.finding ? std::string(workflow::findingName(*rating.finding)) : std::string()},
            {"note", rating.note}};
    }
    return json;
}

const char* const kExaminationSelect =
    "SELECT e.id, e.candidate_id, e.kind, e.components, e.conclusion, e.note, e.examiner_id, u.display_name, "
    "e.recorded_at FROM examinations e LEFT JOIN users u ON u.id = e.examiner_id";

ExaminationRecord readExamination(const store::Statement& row) {
    ExaminationRecord record;
    record.id = row.getInt(0);
    record.candidateId = row.getInt(1);
    record.kind = row.getText(2) == "verification" ? workflow::ExaminationKind::Verification
                                                   : workflow::ExaminationKind::Examination;
    const Json components = Json::parse(row.getText(3), nullptr, false);
    for (workflow::FacialComponent c : workflow::allFacialComponents()) {
        const std::string name(workflow::componentName(c));
        if (!components.is_object() || !components.contains(name)) continue;
        const Json& rating = components[name];
        record.examination[c].finding = workflow::findingFromName(rating.value("finding", ""));
        record.examination[c].note = rating.value("note", "");
    }
    record.examination.conclusion =
        workflow::conclusionFromName(row.getText(4)).value_or(workflow::Conclusion::NoConclusion);
    record.examination.note = row.getText(5);
    record.examiner = Person{row.getInt(6), row.getText(7)};
    record.recordedAt = row.getText(8);
    return record;
}

const char* const kResolutionSelect =
    "SELECT x.candidate_id, x.conclusion, x.note, x.resolved_by, u.display_name, x.resolved_at "
    "FROM examination_resolutions x LEFT JOIN users u ON u.id = x.resolved_by";

// candidate id, its resolution
std::pair<std::int64_t, ResolutionRecord> readResolution(const store::Statement& row) {
    return {row.getInt(0),
            ResolutionRecord{workflow::conclusionFromName(row.getText(1)).value_or(workflow::Conclusion::NoConclusion),
                             row.getText(2), Person{row.getInt(3), row.getText(4)}, row.getText(5)}};
}

template <typename Db>
Result<std::vector<ExaminationRecord>> loadExaminations(Db& db, std::int64_t candidateId) {
    return queryAll(db, std::string(kExaminationSelect) + " WHERE e.candidate_id = ? ORDER BY e.id", readExamination,
                    candidateId);
}

template <typename Db>
Result<bool> exists(Db& db, const std::string& sql, std::int64_t a, std::int64_t b) {
    auto rows = queryAll(db, sql, [](const store::Statement& row) { return row.getInt(0); }, a, b);
    if (!rows) return rows.error();
    return !rows->empty() && rows->front() > 0;
}

}  // namespace

namespace detail {

bool trainedAt(const accounts::User& user, TimePoint now, const workflow::PolicySettings& settings) {
    if (!user.trainingCompletedAt) return false;
    return !settings.trainingValidity || now <= *user.trainingCompletedAt + *settings.trainingValidity;
}

namespace {

// The case of candidate ?1, as a scalar sub-query.
constexpr std::string_view kCaseOfCandidate =
    "(SELECT r.case_id FROM candidates k JOIN searches s ON s.id = k.search_id "
    "JOIN search_requests r ON r.id = s.request_id WHERE k.id = ?1)";

}  // namespace

Result<bool> worksCandidateCase(store::Store& store, std::int64_t candidateId, std::int64_t userId) {
    return exists(store, "SELECT count(*) FROM cases c WHERE c.id = " + std::string(kCaseOfCandidate) + " AND " +
                             worksCaseCondition(2),
                  candidateId, userId);
}

Result<workflow::VerifierFacts> loadVerifierFacts(store::Store& store, std::int64_t candidateId,
                                                 const accounts::User& user) {
    const std::int64_t userId = user.id;
    workflow::VerifierFacts facts;
    facts.readsTheAuditLog = workflow::mayPerform(user.roles, workflow::Action::RunAudit);
    const std::string caseOfCandidate(kCaseOfCandidate);
    auto works = worksCandidateCase(store, candidateId, userId);
    if (!works) return works.error();
    facts.worksCase = *works;
    auto worked = exists(
        store,
        "SELECT (SELECT count(*) FROM leads l WHERE l.candidate_id = ?1 AND l.marked_by = ?2) + "
        "(SELECT count(*) FROM follow_ups f JOIN leads l ON l.id = f.lead_id WHERE l.candidate_id = ?1 AND "
        "f.recorded_by = ?2) + "
        "(SELECT count(*) FROM reviews v JOIN leads l ON l.id = v.lead_id WHERE l.candidate_id = ?1 AND "
        "v.reviewed_by = ?2) + "
        "(SELECT count(*) FROM examination_resolutions x WHERE x.candidate_id = ?1 AND x.resolved_by = ?2)",
        candidateId, userId);
    if (!worked) return worked.error();
    facts.workedTheLead = *worked;
    // Every audited read that shows the lead or its examinations: the case window, `lead show`, the case report and
    // the disclosure packet.
    auto read = exists(
        store,
        "SELECT count(*) FROM audit_log v WHERE v.user_id = ?2 AND v.seq > (SELECT min(e.seq) FROM audit_log e "
        "WHERE e.action = 'candidate.examined' AND e.object_type = 'candidate' AND e.object_id = CAST(?1 AS TEXT)) "
        "AND ((v.object_type = 'candidate' AND v.object_id = CAST(?1 AS TEXT) AND v.action = 'candidate.viewed') OR "
        "(v.object_type = 'case' AND v.object_id = CAST(" + caseOfCandidate + " AS TEXT) AND "
        "v.action IN ('case.viewed', 'case.report_generated', 'case.disclosed')))",
        candidateId, userId);
    if (!read) return read.error();
    facts.readCaseSinceExamination = *read;
    auto received = exists(store,
                           "SELECT count(*) FROM audit_log WHERE action = 'candidate.verification_opened' AND "
                           "object_type = 'candidate' AND object_id = CAST(?1 AS TEXT) AND user_id = ?2",
                           candidateId, userId);
    if (!received) return received.error();
    facts.receivedThePair = *received;
    return facts;
}

bool ExaminationState::disagree() const {
    for (std::size_t i = 0; i < conclusions.size(); ++i)
        for (std::size_t j = i + 1; j < conclusions.size(); ++j)
            if (workflow::conclusionsDisagree(conclusions[i].second, conclusions[j].second)) return true;
    return false;
}

std::optional<workflow::Conclusion> ExaminationState::conclusionOf(std::int64_t userId) const {
    for (const auto& [examiner, conclusion] : conclusions) if (examiner == userId) return conclusion;
    return std::nullopt;
}

std::vector<std::int64_t> ExaminationState::examiners() const {
    std::vector<std::int64_t> ids;
    for (const auto& entry : conclusions) ids.push_back(entry.first);
    return ids;
}

}  // namespace detail

// A list's ranks and numbers are shown to an examiner once they have judged EVERY candidate on it. Shown one by one as
// each was examined, the rank of the last was plain by elimination: examine the others with "no conclusion", and the
// one left is rank 1, examined "blind" (trial 45 F2). A supervisor, who may settle the examiners' disagreement, is
// shown none of a candidate's while it is open (trial 45 F7: `lead show` spent her blindness in silence).
Result<void> CaseService::withholdRanks(const accounts::User& user, std::vector<CandidateRecord>& candidates) {
    const bool settlesDisagreements = workflow::mayPerform(user.roles, workflow::Action::ReviewFollowUp);
    const bool examines = workflow::mayPerform(user.roles, workflow::Action::DecideCandidate);
    if (!examines && !settlesDisagreements) return {};
    auto judged = queryAll(session_.store(),
                           "SELECT c.search_id FROM candidates c WHERE c.search_id IN (SELECT k.search_id FROM "
                           "candidates k JOIN examinations e ON e.candidate_id = k.id WHERE e.examiner_id = ?1) "
                           "GROUP BY c.search_id HAVING count(*) = sum(EXISTS (SELECT 1 FROM examinations e WHERE "
                           "e.candidate_id = c.id AND e.examiner_id = ?1))",
                           [](const store::Statement& row) { return row.getInt(0); }, user.id);
    if (!judged) return judged.error();
    auto examined = queryAll(session_.store(), "SELECT candidate_id FROM examinations WHERE examiner_id = ?",
                             [](const store::Statement& row) { return row.getInt(0); }, user.id);
    if (!examined) return examined.error();
    const std::set<std::int64_t> wholeListsJudged(judged->begin(), judged->end());
    const std::set<std::int64_t> mine(examined->begin(), examined->end());
    std::map<std::int64_t, bool> disputed;  // search -> a candidate of it has an open disagreement
    for (CandidateRecord& candidate : candidates) {
        candidate.examinedByMe = mine.count(candidate.id) > 0;
        bool withheld = examines && !wholeListsJudged.count(candidate.searchId);
        if (!withheld && settlesDisagreements) {
            // The whole list, not only the disputed candidate: the others' ranks told its rank by elimination (trial 53
            // F2: ranks 2 and 3 shown beside one "hidden").
            if (!disputed.count(candidate.searchId)) {
                auto open = listHasOpenDisagreement(candidate.searchId);
                if (!open) return open.error();
                disputed[candidate.searchId] = *open;
            }
            withheld = disputed[candidate.searchId];
        }
        if (!withheld) continue;
        candidate.rank = 0;
        candidate.distance = 0;
        candidate.score = 0;
        candidate.rankHidden = true;
    }
    // The examined first, by rank; then the others by subject name, so their order does not betray their rank.
    std::stable_sort(candidates.begin(), candidates.end(), [](const CandidateRecord& a, const CandidateRecord& b) {
        if (a.rankHidden != b.rankHidden) return !a.rankHidden;
        if (!a.rankHidden) return a.rank < b.rank;
        return std::tie(a.subjectName, a.id) < std::tie(b.subjectName, b.id);
    });
    return {};
}

Result<bool> CaseService::listHasOpenDisagreement(std::int64_t searchId) {
    auto examined = queryAll(session_.store(),
                             "SELECT DISTINCT e.candidate_id FROM examinations e JOIN candidates c ON c.id = e.candidate_id "
                             "WHERE c.search_id = ?",
                             [](const store::Statement& row) { return row.getInt(0); }, searchId);
    if (!examined) return examined.error();
    for (const std::int64_t candidateId : *examined) {
        auto state = detail::loadExaminationState(session_.store(), candidateId);
        if (!state) return state.error();
        if (state->openDisagreement()) return true;
    }
    return false;
}

Result<CandidateRecord> CaseService::candidateFor(const accounts::User& user, std::int64_t candidateId) {
    auto candidate = detail::loadCandidate(session_.store(), candidateId);
    if (!candidate) return candidate.error();
    std::vector<CandidateRecord> one{std::move(*candidate)};
    FACELEAD_TRY(withholdRanks(user, one));
    return std::move(one.front());
}

Result<SearchRecord> CaseService::searchFor(const accounts::User& user, std::int64_t searchId) {
    auto search = detail::loadSearch(session_.store(), searchId);
    if (!search) return search.error();
    FACELEAD_TRY(withholdRanks(user, search->candidates));
    FACELEAD_TRY(session_.store().transact([&](store::Transaction& tx) { return recordRanksShown(tx, user, *search); }));
    return search;
}

Result<void> CaseService::recordRanksShown(store::Transaction& tx, const accounts::User& user, const SearchRecord& search) {
    const bool blindnessMatters = workflow::mayPerform(user.roles, workflow::Action::DecideCandidate) ||
                                  workflow::mayPerform(user.roles, workflow::Action::ReviewFollowUp);
    const bool anyShown = std::any_of(search.candidates.begin(), search.candidates.end(),
                                      [](const CandidateRecord& c) { return !c.rankHidden; });
    if (!blindnessMatters || !anyShown) return {};
    std::string withheld = ",";
    for (const CandidateRecord& c : search.candidates)
        if (c.rankHidden) withheld += std::to_string(c.id) + ",";
    return detail::recordEvent(tx, user.id, "search.ranks_shown", "search", search.id,
                               {{"rank_shown", true}, {"withheld", withheld}});
}

Result<ExaminationRecord> CaseService::recordExamination(std::int64_t candidateId,
                                                         const workflow::Examination& examination) {
    return examine(candidateId, workflow::ExaminationKind::Examination, examination);
}

Result<ExaminationRecord> CaseService::recordVerification(std::int64_t candidateId,
                                                          const workflow::Examination& examination) {
    return examine(candidateId, workflow::ExaminationKind::Verification, examination);
}

namespace {

// The workstation's one form records an examination when the candidate has none yet, else a verification.
Result<workflow::ExaminationKind> ownExaminationKind(store::Store& store, std::int64_t candidateId) {
    auto state = detail::loadExaminationState(store, candidateId);
    if (!state) return state.error();
    return state->conclusions.empty() ? workflow::ExaminationKind::Examination : workflow::ExaminationKind::Verification;
}

// What `user`'s judgement of the candidate depends on beyond the judgement itself, read in the caller's transaction.
Result<workflow::ExaminationFacts> examinerFacts(store::Store& store, std::int64_t candidateId,
                                                 const accounts::User& user, const workflow::PolicySettings& settings) {
    workflow::ExaminationFacts facts;
    facts.examinerTrained = detail::trainedAt(user, store.now(), settings);
    auto mine = exists(store, "SELECT count(*) FROM examinations WHERE candidate_id = ? AND examiner_id = ?",
                       candidateId, user.id);
    if (!mine) return mine.error();
    facts.alreadyExaminedByMe = *mine;
    auto first = queryAll(
        store, "SELECT examiner_id FROM examinations WHERE candidate_id = ? AND kind = 'examination'",
        [](const store::Statement& row) { return row.getInt(0); }, candidateId);
    if (!first) return first.error();
    if (!first->empty()) facts.firstExaminer = first->front();
    // Seen score: an audited view of this candidate that showed this user its rank and score.
    auto shown = rankShownTo(store, candidateId, user.id);
    if (!shown) return shown.error();
    facts.rankShownToMe = *shown;
    return facts;
}

Result<void> checkVerifierMayRecord(store::Store& store, std::int64_t candidateId, const accounts::User& user) {
    FACELEAD_TRY(detail::checkAwaitsVerification(store, candidateId, user.id));
    auto verifier = detail::loadVerifierFacts(store, candidateId, user);
    if (!verifier) return verifier.error();
    return workflow::checkVerifierMayRecord(*verifier);
}

}  // namespace

Result<ExaminationRecord> CaseService::recordOwnExamination(std::int64_t candidateId,
                                                            const workflow::Examination& examination) {
    auto kind = ownExaminationKind(session_.store(), candidateId);
    if (!kind) return kind.error();
    return examine(candidateId, *kind, examination);
}

Result<void> CaseService::checkMayExamine(std::int64_t candidateId) {
    auto kind = ownExaminationKind(session_.store(), candidateId);
    if (!kind) return kind.error();
    auto user = examinerOf(*kind, candidateId);
    if (!user) return user.error();
    auto facts = examinerFacts(session_.store(), candidateId, *user, settings_);
    if (!facts) return facts.error();
    FACELEAD_TRY(workflow::checkMayExamine(*kind, {user->id, user->roles}, *facts));
    if (*kind == workflow::ExaminationKind::Verification)
        return checkVerifierMayRecord(session_.store(), candidateId, *user);
    return {};
}

Result<accounts::User> CaseService::examinerOf(workflow::ExaminationKind kind, std::int64_t candidateId) {
    auto user = currentUser(workflow::Action::DecideCandidate);
    if (!user) return user.error();
    FACELEAD_TRY(detail::checkCandidateCaseSigned(session_, candidateId));  // no judgement on an edited file
    // The first examination is the case's own work: only who works the case records it (trial 27 F1: an
    // outsider examined a candidate by its id, read its rank and score, and locked the case's examiner out).
    // A verifier is the opposite, someone who does not work the case (workflow/Verification.h).
    if (kind == workflow::ExaminationKind::Examination)
        if (auto reader = detail::candidateCaseReader(session_, candidateId); !reader) return reader.error();
    return user;
}

Result<ExaminationRecord> CaseService::examine(std::int64_t candidateId, workflow::ExaminationKind kind,
                                               const workflow::Examination& examination) {
    const std::string what = "candidate." + std::string(workflow::examinationKindName(kind));
    return accounts::refusalsAudited(session_, what, [&]() -> Result<ExaminationRecord> {
        auto user = examinerOf(kind, candidateId);
        if (!user) return user.error();
        auto stored = session_.store().transact([&](store::Transaction& tx) -> Result<std::int64_t> {
            auto candidate = detail::loadCandidate(tx, candidateId);
            if (!candidate) return candidate.error();
            auto facts = examinerFacts(tx.store(), candidateId, *user, settings_);
            if (!facts) return facts.error();
            FACELEAD_TRY(workflow::checkExamination(kind, examination, {user->id, user->roles}, *facts, settings_));
            if (kind == workflow::ExaminationKind::Verification)
                FACELEAD_TRY(checkVerifierMayRecord(tx.store(), candidateId, *user));
            auto insert = tx.prepare(
                "INSERT INTO examinations(candidate_id, examiner_id, kind, components, conclusion, note, recorded_at) "
                "VALUES (?,?,?,?,?,?,?)");
            if (!insert) return insert.error();
            FACELEAD_TRY(insert->bind(1, candidateId)
                             .bind(2, user->id)
                             .bind(3, workflow::examinationKindName(kind))
                             .bind(4, componentsToJson(examination).dump())
                             .bind(5, workflow::conclusionName(examination.conclusion))
                             .bind(6, examination.note)
                             .bind(7, toIsoUtc(tx.now()))
                             .run());
            const std::int64_t examinationId = tx.lastInsertId();
            auto state = detail::loadExaminationState(tx, candidateId);
            if (!state) return state.error();
            auto digest = detail::rowDigest(tx.store(), detail::kExaminationRow, examinationId);
            if (!digest) return digest.error();
            FACELEAD_TRY(detail::recordEvent(
                tx, user->id, kind == workflow::ExaminationKind::Examination ? "candidate.examined" : "candidate.verified",
                "candidate", candidateId,
                {{"examination_id", examinationId}, {"search_id", candidate->searchId},
                 {"conclusion", workflow::conclusionName(examination.conclusion)},
                 {"examiners_disagree", state->openDisagreement()}, {detail::kRowDigest, *digest}}));
            if (state->openDisagreement()) FACELEAD_TRY(reopenClearedLead(tx, user->id, candidateId, examinationId));
            return examinationId;
        });
        if (!stored) return stored.error();
        return detail::queryOne(session_.store(), std::string(kExaminationSelect) + " WHERE e.id = ?",
                                "Examination " + std::to_string(*stored), readExamination, *stored);
    });
}

Result<std::vector<ExaminationRecord>> CaseService::examinations(std::int64_t candidateId) {
    auto user = currentUser(workflow::Action::ViewCase);
    if (!user) return user.error();
    auto all = loadExaminations(session_.store(), candidateId);
    if (!all) return all.error();
    if (user->hasRole(workflow::Role::Supervisor)) return all;
    // Independent verification: nobody reads another examiner's work before recording their own.
    const bool recordedMine = std::any_of(all->begin(), all->end(),
                                          [&](const ExaminationRecord& e) { return e.examiner.id == user->id; });
    if (recordedMine) return all;
    // Who works the case never verifies its candidates (workflow::checkIndependentVerifier), so reading takes nothing
    // from a verification; and the case officer answering the discrepancy checklist needs the examiners' "dissimilar"
    // notes (trial 25B M9: a mole the examiner saw was never checked).
    auto works = detail::worksCandidateCase(session_.store(), candidateId, user->id);
    if (!works) return works.error();
    if (!*works) all->clear();
    return all;
}

Result<std::optional<ResolutionRecord>> CaseService::resolution(std::int64_t candidateId) {
    auto readable = examinations(candidateId);
    if (!readable) return readable.error();
    if (readable->empty()) return std::optional<ResolutionRecord>();
    auto found = queryAll(session_.store(), std::string(kResolutionSelect) + " WHERE x.candidate_id = ?",
                          readResolution, candidateId);
    if (!found) return found.error();
    if (found->empty()) return std::optional<ResolutionRecord>();
    return std::optional(std::move(found->front().second));
}

Result<std::vector<DisagreementSummary>> CaseService::disagreementsAwaitingMe() {
    auto user = currentUser(workflow::Action::ReviewFollowUp);
    if (!user) return user.error();
    auto candidates = queryAll(
        session_.store(),
        "SELECT e.candidate_id, cs.id, cs.case_number, coalesce(gs.name, '') FROM examinations e "
        "JOIN candidates c ON c.id = e.candidate_id JOIN searches s ON s.id = c.search_id "
        "JOIN search_requests r ON r.id = s.request_id JOIN cases cs ON cs.id = r.case_id "
        "LEFT JOIN gallery_faces f ON f.id = c.gallery_face_id LEFT JOIN gallery_subjects gs ON gs.id = f.subject_id "
        "WHERE e.candidate_id NOT IN (SELECT candidate_id FROM examination_resolutions) "
        "GROUP BY e.candidate_id HAVING count(*) > 1 AND sum(e.examiner_id = ?) = 0 ORDER BY min(e.id)",
        [](const store::Statement& row) {
            return DisagreementSummary{row.getInt(0), row.getInt(1), row.getText(2), row.getText(3), {}};
        },
        user->id);
    if (!candidates) return candidates.error();
    std::vector<DisagreementSummary> open;
    for (DisagreementSummary& summary : *candidates) {
        auto state = detail::loadExaminationState(session_.store(), summary.candidateId);
        if (!state) return state.error();
        if (!state->disagree()) continue;
        auto examinations = loadExaminations(session_.store(), summary.candidateId);
        if (!examinations) return examinations.error();
        summary.examinations = std::move(*examinations);
        open.push_back(std::move(summary));
    }
    return open;
}

Result<void> CaseService::resolveDisagreement(std::int64_t candidateId, workflow::Conclusion conclusion,
                                              std::string_view note) {
    return accounts::refusalsAudited(session_, "examination.resolve", [&]() -> Result<void> {
        auto user = currentUser(workflow::Action::ReviewFollowUp);
        if (!user) return user.error();
        return session_.store().transact([&](store::Transaction& tx) -> Result<void> {
            FACELEAD_TRY(detail::loadCandidate(tx, candidateId));
            auto state = detail::loadExaminationState(tx, candidateId);
            if (!state) return state.error();
            FACELEAD_TRY(workflow::checkSupervisorTrained(detail::trainedAt(*user, tx.now(), settings_),
                                                          "resolve a disagreement between examiners"));
            FACELEAD_TRY(workflow::checkResolution({user->id, user->roles}, state->openDisagreement(),
                                                   state->examiners(), note, settings_));
            auto insert = tx.prepare(
                "INSERT INTO examination_resolutions(candidate_id, conclusion, note, resolved_by, resolved_at) "
                "VALUES (?,?,?,?,?)");
            if (!insert) return insert.error();
            FACELEAD_TRY(insert->bind(1, candidateId)
                             .bind(2, workflow::conclusionName(conclusion))
                             .bind(3, note)
                             .bind(4, user->id)
                             .bind(5, toIsoUtc(tx.now()))
                             .run());
            const std::int64_t resolutionId = tx.lastInsertId();
            auto digest = detail::rowDigest(tx.store(), detail::kResolutionRow, resolutionId);
            if (!digest) return digest.error();
            return detail::recordEvent(tx, user->id, "examination.disagreement_resolved", "candidate", candidateId,
                                       {{"resolution_id", resolutionId},
                                        {"conclusion", workflow::conclusionName(conclusion)},
                                        {"note", note},
                                        {detail::kRowDigest, *digest}});
        });
    });
}

Result<HumanReview> CaseService::humanReview(std::int64_t searchId) {
    if (auto user = currentUser(workflow::Action::ViewCase); !user) return user.error();
    store::Store& store = session_.store();
    FACELEAD_TRY(detail::loadSearch(store, searchId));
    HumanReview review{searchId, false, {}, {}};
    auto examinations = queryAll(
        store, std::string(kExaminationSelect) +
                   " JOIN candidates c ON c.id = e.candidate_id WHERE c.search_id = ? ORDER BY e.id",
        readExamination, searchId);
    if (!examinations) return examinations.error();
    // A verification recorded after the lead was cleared for action reviewed nothing the clearing stood on (trial 25B
    // H1: the packet said "meaningful human review: yes" for a lead cleared on one examiner). Times are ISO 8601 UTC.
    auto cleared = queryAll(
        store,
        "SELECT l.candidate_id, min(v.reviewed_at) FROM reviews v JOIN leads l ON l.id = v.lead_id JOIN candidates c "
        "ON c.id = l.candidate_id WHERE c.search_id = ? AND v.decision = 'cleared_for_action' GROUP BY l.candidate_id",
        [](const store::Statement& row) { return std::pair{row.getInt(0), row.getText(1)}; }, searchId);
    if (!cleared) return cleared.error();
    const std::map<std::int64_t, std::string> clearedAt(cleared->begin(), cleared->end());
    std::map<std::int64_t, int> perCandidate;
    std::set<std::int64_t> named;
    for (const auto& e : *examinations) {
        if (named.insert(e.examiner.id).second) review.examiners.push_back(e.examiner);
        const auto clearing = clearedAt.find(e.candidateId);
        if (clearing == clearedAt.end() || e.recordedAt <= clearing->second) ++perCandidate[e.candidateId];
    }
    for (const auto& [candidateId, count] : perCandidate) {
        if (count < 2) continue;
        auto state = detail::loadExaminationState(store, candidateId);
        if (!state) return state.error();
        if (!state->disagree() || state->resolution) review.meaningful = true;
    }
    auto resolvers = queryAll(
        store,
        "SELECT DISTINCT x.resolved_by, u.display_name FROM examination_resolutions x JOIN candidates c ON "
        "c.id = x.candidate_id LEFT JOIN users u ON u.id = x.resolved_by WHERE c.search_id = ? ORDER BY x.id",
        [](const store::Statement& row) { return Person{row.getInt(0), row.getText(1)}; }, searchId);
    if (!resolvers) return resolvers.error();
    review.resolvedBy = std::move(*resolvers);
    return review;
}

Result<CaseExaminations> CaseService::examinationsForDisclosure(std::int64_t caseId) {
    auto user = currentUser(workflow::Action::DiscloseCase);
    if (!user) return user.error();
    store::Store& store = session_.store();
    FACELEAD_TRY(detail::checkCaseSigned(session_, caseId));
    auto caseRecord = detail::loadCase(store, caseId);
    if (!caseRecord) return caseRecord.error();
    const bool assigned = caseRecord->assignedOfficer && caseRecord->assignedOfficer->id == user->id;
    FACELEAD_TRY(workflow::checkMayDisclose(user->roles, assigned));
    const std::string ofCase =
        " JOIN candidates c ON c.id = e.candidate_id JOIN searches s ON s.id = c.search_id "
        "JOIN search_requests r ON r.id = s.request_id WHERE r.case_id = ? ORDER BY e.id";
    auto examinations = queryAll(store, std::string(kExaminationSelect) + ofCase, readExamination, caseId);
    if (!examinations) return examinations.error();
    CaseExaminations result;
    for (auto& e : *examinations) result.byCandidate[e.candidateId].push_back(std::move(e));
    auto resolutions = queryAll(
        store,
        std::string(kResolutionSelect) +
            " JOIN candidates c ON c.id = x.candidate_id JOIN searches s ON s.id = c.search_id "
            "JOIN search_requests r ON r.id = s.request_id WHERE r.case_id = ? ORDER BY x.id",
        readResolution, caseId);
    if (!resolutions) return resolutions.error();
    for (auto& [candidateId, resolution] : *resolutions) result.resolutions[candidateId] = std::move(resolution);
    return result;
}

Result<std::vector<workflow::EvidenceType>> CaseService::evidenceTypes() {
    if (auto user = currentUser(workflow::Action::ViewCase); !user) return user.error();
    return detail::loadEvidenceTypes(session_.store());
}

namespace {

// EXIF DateTimeOriginal ("2019:05:01 13:22:10") as "2019-05-01 13:22:10"; none for a blank or impossible date
// (cameras write "0000:00:00 00:00:00" when their clock was never set).
std::optional<std::string> takenAtText(const std::optional<std::string>& exif) {
    if (!exif || exif->size() < 19) return std::nullopt;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (std::sscanf(exif->c_str(), "%4d:%2d:%2d %2d:%2d:%2d", &year, &month, &day, &hour, &minute, &second) != 6 ||
        year < 1900 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    char text[80];  // room for any int the compiler cannot rule out
    std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d", year, month, day, hour, minute, second);
    return std::string(text);
}

}  // namespace

Result<CandidatePhotos> CaseService::candidatePhotos(std::int64_t candidateId) {
    auto user = currentUser(workflow::Action::ViewCase);
    if (!user) return user.error();
    auto photos = queryAll(
        session_.store(),
        "SELECT f.id, f.created_at FROM candidates c JOIN gallery_faces g ON g.id = c.gallery_face_id "
        "JOIN gallery_faces f ON f.subject_id = g.subject_id WHERE c.id = ? ORDER BY f.created_at, f.id",
        [](const store::Statement& row) { return GalleryPhoto{row.getInt(0), row.getText(1), std::nullopt}; }, candidateId);
    if (!photos) return photos.error();
    if (photos->empty()) return makeError(ErrorCode::NotFound, "Candidate " + std::to_string(candidateId) + " is not in the store.");
    // The date each photo carries itself, read from its stored bytes (their SHA-256 re-checked on the way).
    for (GalleryPhoto& photo : *photos) {
        auto bytes = gallery::Gallery{}.faceImage(session_.store(), photo.galleryFaceId, user->id);
        if (!bytes && bytes.error().code == ErrorCode::IntegrityViolation) return bytes.error();
        if (bytes) photo.takenAt = takenAtText(imaging::readCaptureMetadata(*bytes).dateTimeOriginal);
    }
    std::vector<GalleryPhoto> dated;
    std::copy_if(photos->begin(), photos->end(), std::back_inserter(dated), [](const GalleryPhoto& p) { return p.takenAt.has_value(); });
    std::stable_sort(dated.begin(), dated.end(), [](const GalleryPhoto& a, const GalleryPhoto& b) { return *a.takenAt < *b.takenAt; });
    const std::vector<GalleryPhoto>& byDate = dated.empty() ? *photos : dated;
    return CandidatePhotos{candidateId, byDate.front(), byDate.back(), static_cast<int>(photos->size()), *photos};
}

}  // namespace facelead::cases
