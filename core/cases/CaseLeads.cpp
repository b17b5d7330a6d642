// CaseService: the lead workflow of a candidate (VI.B.1, VI.B.3, VI.C.1). The rules are workflow's state
// machine; this file loads the facts it needs, writes the outcome and audits it, all in one transaction.

#include <nlohmann/json.hpp>

#include "core/accounts/Authority.h"
#include "core/audit/AuditLog.h"
#include "core/audit/SignedRecords.h"
#include "core/cases/CaseService.h"
#include "core/cases/detail/Audit.h"
#include "core/cases/detail/Examinations.h"
#include "core/cases/detail/NeedToKnow.h"
#include "core/cases/detail/Rows.h"
#include "core/cases/detail/SignedRows.h"
#include "core/workflow/PolicyPack.h"

namespace facelead::cases {
namespace {

using Json = nlohmann::json;

// What the transitions need about a candidate's lead.
struct LeadFacts {
    std::int64_t caseId = 0;
    std::optional<std::int64_t> assignedOfficerId;
    std::optional<std::int64_t> leadId;
    std::optional<std::int64_t> latestFollowUpId;
    workflow::LeadState state;
    std::size_t independentEvidence = 0;  // items that are not an identification procedure (a photo line-up)
};

Result<LeadFacts> loadLeadFactsFromRows(store::Transaction& tx, std::int64_t candidateId) {
    // The counts below read the line-up flag from the table: only as FaceLead defines it (trial 44 F4).
    if (auto types = detail::loadEvidenceTypes(tx); !types) return types.error();
    auto statement = tx.prepare(
        "SELECT cs.id, cs.assigned_officer_id, l.id, l.status, fu.id, fu.recorded_by, fu.outcome, fu.evidence, "
        "fu.discrepancy_checklist, "
        // Only the items that corroborate by themselves: not a line-up (it repeats the search) and not "other" (trial
        // 23C H2: a photo line-up recorded as "other" cleared a lead alone).
        "(SELECT count(*) FROM follow_up_evidence e JOIN evidence_types t ON t.code = e.type "
        " WHERE e.follow_up_id = fu.id AND t.identification_procedure = 0 AND e.type <> 'other' "
        " AND e.independent_of_search = 1), "
        // The same items recorded earlier let a line-up in (trial 32: a neighbour's hearsay as "other" did).
        "(SELECT count(*) FROM follow_up_evidence e JOIN follow_ups f ON f.id = e.follow_up_id "
        " JOIN evidence_types t ON t.code = e.type WHERE f.lead_id = l.id AND t.identification_procedure = 0 "
        " AND e.type <> 'other' AND e.independent_of_search = 1) "
        "FROM candidates c JOIN searches s ON s.id = c.search_id JOIN search_requests r ON r.id = s.request_id "
        "JOIN cases cs ON cs.id = r.case_id LEFT JOIN leads l ON l.candidate_id = c.id "
        "LEFT JOIN follow_ups fu ON fu.id = (SELECT max(id) FROM follow_ups WHERE lead_id = l.id) WHERE c.id = ?");
    if (!statement) return statement.error();
    statement->bind(1, candidateId);
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return makeError(ErrorCode::NotFound, "Candidate " + std::to_string(candidateId) + " is not in the store.");
    LeadFacts facts;
    facts.caseId = statement->getInt(0);
    facts.assignedOfficerId = statement->getOptionalInt(1);
    facts.leadId = statement->getOptionalInt(2);
    if (facts.leadId) {
        const auto status = workflow::leadStatusFromName(statement->getText(3));
        if (!status) {
            return makeError(ErrorCode::StoreCorrupt, "The lead of candidate " + std::to_string(candidateId) +
                                                          " has an unknown status \"" + statement->getText(3) + "\".");
        }
        facts.state.status = *status;
    }
    facts.latestFollowUpId = statement->getOptionalInt(4);
    if (facts.latestFollowUpId) {
        facts.state.followUpId = *facts.latestFollowUpId;
        facts.state.followUpBy = statement->getInt(5);
        facts.state.followUpOutcome = workflow::followUpOutcomeFromName(statement->getText(6));
        facts.state.followUpEvidence = statement->getText(7);
        facts.state.checklist = detail::checklistFromJson(statement->getText(8));
    }
    facts.state.latestFollowUpEvidenceItems = static_cast<std::size_t>(statement->getInt(9));
    facts.independentEvidence = static_cast<std::size_t>(statement->getInt(10));
    auto examinations = detail::loadExaminationState(tx, candidateId);
    if (!examinations) return examinations.error();
    facts.state.examinersDisagree = examinations->openDisagreement();
    // A verifier is never the first examiner (workflow::checkExamination): two examiners are an independent check.
    facts.state.independentlyVerified = examinations->examiners().size() >= 2 && !facts.state.examinersDisagree;
    return facts;
}

// The facts, once the case row they take the assigned case officer from is the one the signed log created
// (detail::checkCaseSigned): a rewritten row would let its writer follow the lead up as its case officer.
Result<LeadFacts> loadLeadFacts(accounts::Session& session, store::Transaction& tx, std::int64_t candidateId) {
    auto facts = loadLeadFactsFromRows(tx, candidateId);
    if (!facts) return facts.error();
    FACELEAD_TRY(detail::checkCaseSigned(session, facts->caseId));
    return facts;
}

Result<void> updateLeadStatus(store::Transaction& tx, std::int64_t leadId, workflow::LeadStatus status) {
    auto update = tx.prepare("UPDATE leads SET status = ?, updated_at = ? WHERE id = ?");
    if (!update) return update.error();
    return update->bind(1, workflow::leadStatusName(status)).bind(2, toIsoUtc(tx.now())).bind(3, leadId).run();
}

// The row a lead event added (a follow-up, a review), signed with it.
struct AddedRow {
    const char* table = nullptr;
    std::int64_t id = 0;
};

// The lead's event, signing the lead row as the change left it and the row it added (detail/SignedRows.h): an
// insider who rewrites either is refused wherever the case is read (trial 15A rewrote a decision and its note).
Result<void> recordLeadEvent(store::Transaction& tx, std::int64_t userId, const char* action, std::int64_t candidateId,
                             std::int64_t leadId, Json details, AddedRow added = {}) {
    auto leadDigest = detail::rowDigest(tx.store(), detail::kLeadRow, leadId);
    if (!leadDigest) return leadDigest.error();
    details["lead_id"] = leadId;
    details[detail::kLeadRowDigest] = *leadDigest;
    if (added.table) {
        auto addedDigest = detail::rowDigest(tx.store(), added.table, added.id);
        if (!addedDigest) return addedDigest.error();
        details[detail::kRowDigest] = *addedDigest;
    }
    return detail::recordEvent(tx, userId, action, "candidate", candidateId, details);
}

workflow::Actor actorOf(const accounts::User& user) { return workflow::Actor{user.id, user.roles}; }

// Trial 23C H5: one person holding investigator and supervisor examined, marked and then cleared the same lead. The
// review is a second person's check of the work (VI.C.1): never by whoever examined, verified or marked the candidate.
Result<void> checkReviewerDidNotDoTheWork(store::Transaction& tx, std::int64_t candidateId, std::int64_t userId) {
    // A supervisor who settled the examiners' disagreement gave the conclusion the lead stands on (trial 25B M7).
    auto worked = tx.prepare("SELECT EXISTS (SELECT 1 FROM leads WHERE candidate_id = ?1 AND marked_by = ?2) OR "
                             "EXISTS (SELECT 1 FROM examinations WHERE candidate_id = ?1 AND examiner_id = ?2) OR "
                             "EXISTS (SELECT 1 FROM examination_resolutions WHERE candidate_id = ?1 AND resolved_by = ?2)");
    if (!worked) return worked.error();
    worked->bind(1, candidateId).bind(2, userId);
    auto row = worked->step();
    if (!row) return row.error();
    if (worked->getInt(0) == 0) return {};
    return makeError(ErrorCode::PermissionDenied,
                     "You examined, marked or settled the examiners' disagreement on this candidate: another "
                     "supervisor reviews the follow-up of the lead "
                     "(SOP 302.02 VI.C.1).");
}

// What `review` by `user` would make of the candidate's lead (the state machine's refusal, else the facts
// and the new state): the one check behind both CaseService::checkReview and CaseService::review.
struct PlannedReview {
    LeadFacts facts;
    workflow::LeadState next;
};
// The agency's settings with the rule pack the candidate's search was held to, as its signed `search.run` entry names
// it: an agency that switched packs since, or a settings row edited outside FaceLead, lifted the gates the search was
// run under (trial 45 F6, F1: a Maryland lead cleared without the verification Maryland asks). A search from before
// entries named their pack is held to the agency's pack of today.
Result<workflow::PolicySettings> heldToPackOfSearch(accounts::Session& session, store::Transaction& tx,
                                                    std::int64_t candidateId, workflow::PolicySettings settings) {
    auto search = tx.prepare("SELECT search_id FROM candidates WHERE id = ?");
    if (!search) return search.error();
    search->bind(1, candidateId);
    auto row = search->step();
    if (!row) return row.error();
    if (!*row) return makeError(ErrorCode::NotFound, "There is no candidate " + std::to_string(candidateId) + ".");
    const std::string searchId = std::to_string(search->getInt(0));
    auto entries = audit::AuditLog::list(tx.store(), {.action = "search.run", .objectType = "search", .objectId = searchId});
    if (!entries) return entries.error();
    if (entries->empty() || !audit::signedAsRecorded(session.ledger(), entries->front()))
        return makeError(ErrorCode::AuditChainBroken, "The signed audit entry of search " + searchId +
                                                          " is missing or was changed: the rule pack it was held to "
                                                          "cannot be read. A program administrator looks (audit verify).");
    const auto details = Json::parse(entries->front().detailsJson, nullptr, false);
    if (!details.is_object() || !details.contains("rule_pack") || !details["rule_pack"].is_object()) return settings;
    const std::string packId = details["rule_pack"].value("id", "");
    auto pack = workflow::findPack(packId);
    if (!pack)
        return makeError(ErrorCode::PolicyViolation, "Search " + searchId + " was held to the rule pack \"" + packId +
                                                         "\", which this FaceLead does not hold: its leads cannot be "
                                                         "reviewed here.");
    settings.pack = std::move(*pack);
    return settings;
}

// A disagreement settled after the latest follow-up: that follow-up's discrepancy checklist was answered before anyone
// had recorded the features the dissenting examiner found dissimilar (trial 46 F4: a lead cleared on it). The case
// officer records a new follow-up with the resolution in view before the lead is cleared.
Result<void> checkFollowUpAfterResolution(store::Transaction& tx, std::int64_t candidateId, std::int64_t followUpId) {
    auto statement = tx.prepare(
        "SELECT (SELECT max(seq) FROM audit_log WHERE object_type = 'candidate' AND object_id = ?1 AND action = "
        "'examination.disagreement_resolved') > (SELECT max(seq) FROM audit_log WHERE object_type = 'candidate' AND "
        "object_id = ?1 AND action = 'lead.follow_up_recorded')");
    if (!statement) return statement.error();
    statement->bind(1, std::to_string(candidateId));
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row || statement->getOptionalInt(0).value_or(0) == 0) return {};
    return makeError(ErrorCode::PolicyViolation,
                     "The examiners' disagreement on this candidate was settled after follow-up #" +
                         std::to_string(followUpId) + " was recorded: its discrepancy checklist was answered without "
                         "the features the dissenting examiner found dissimilar. The case officer records a new "
                         "follow-up with them in view; then review it (issue 11, corroboration before action).");
}

Result<PlannedReview> planReview(accounts::Session& session, store::Transaction& tx, const accounts::User& user,
                                 std::int64_t candidateId, const workflow::Review& review,
                                 const workflow::PolicySettings& agency) {
    auto facts = loadLeadFacts(session, tx, candidateId);
    if (!facts) return facts.error();
    auto settings = heldToPackOfSearch(session, tx, candidateId, agency);
    if (!settings) return settings.error();
    // Trial 29 N4: an untrained supervisor cleared a lead for action (VI.D.2.b), as resolving and approving refuse.
    FACELEAD_TRY(workflow::checkSupervisorTrained(detail::trainedAt(user, tx.now(), *settings),
                                                  "review the follow-up of a lead"));
    auto next = workflow::reviewFollowUp(facts->state, actorOf(user), review, *settings);
    if (next) FACELEAD_TRY(checkReviewerDidNotDoTheWork(tx, candidateId, user.id));
    if (!next) return next.error();
    if (next->status == workflow::LeadStatus::ClearedForAction) {
        auto examinations = detail::loadExaminationState(tx, candidateId);
        if (!examinations) return examinations.error();
        FACELEAD_TRY(workflow::checkResolutionAllowsClearing(examinations->resolution));
        FACELEAD_TRY(checkFollowUpAfterResolution(tx, candidateId, facts->latestFollowUpId.value_or(0)));
    }
    return PlannedReview{std::move(*facts), std::move(*next)};
}

}  // namespace

Result<CandidateRecord> CaseService::viewCandidate(std::int64_t candidateId) {
    auto user = detail::candidateReader(session_, candidateId);  // need to know (detail/NeedToKnow.h)
    if (!user) return user.error();
    auto candidate = candidateFor(*user, candidateId);
    if (!candidate) return candidate.error();
    // rank_shown: this view showed the rank and score; the examination gate reads it back (issue 11 item 1). The rank
    // itself is not written: the audit log and its exports are read by program administrators, who may also settle
    // disagreements (trial 53 F1: a hidden view's entry told the rank to whoever read the log).
    FACELEAD_TRY(session_.store().transact([&](store::Transaction& tx) {
        return detail::recordEvent(tx, user->id, "candidate.viewed", "candidate", candidateId,
                                   {{"search_id", candidate->searchId}, {"gallery_face_id", candidate->galleryFaceId},
                                    {"rank_shown", !candidate->rankHidden}});
    }));
    return candidate;
}

Result<CandidateRecord> CaseService::markPossibleLead(std::int64_t candidateId, std::string_view note) {
    return decide(candidateId, workflow::LeadDecision::PossibleLead, note);
}

Result<CandidateRecord> CaseService::exclude(std::int64_t candidateId, std::string_view note) {
    return decide(candidateId, workflow::LeadDecision::Exclude, note);
}

Result<CandidateRecord> CaseService::decide(std::int64_t candidateId, workflow::LeadDecision decision,
                                            std::string_view note) {
    return accounts::refusalsAudited(session_, "lead.decide", [&]() -> Result<CandidateRecord> {
        auto user = currentUser(workflow::Action::DecideCandidate);
        if (!user) return user.error();
        // Only who works the case decides on its candidates (trial 25B M6: another investigator, who could not
        // open the case, marked its candidate as a possible lead by id).
        if (auto reader = detail::candidateCaseReader(session_, candidateId); !reader) return reader.error();
        FACELEAD_TRY(session_.store().transact([&](store::Transaction& tx) -> Result<void> {
            auto facts = loadLeadFacts(session_, tx, candidateId);
            if (!facts) return facts.error();
            auto next = workflow::decideCandidate(facts->state, actorOf(*user), decision, note, settings_);
            if (!next) return next.error();
            if (decision == workflow::LeadDecision::PossibleLead) {
                auto examinations = detail::loadExaminationState(tx, candidateId);
                if (!examinations) return examinations.error();
                FACELEAD_TRY(workflow::checkMayMarkPossibleLead({examinations->conclusionOf(user->id),
                                                                 examinations->openDisagreement(),
                                                                 examinations->resolution}));
            }
            const std::string at = toIsoUtc(tx.now());
            // The lead row holds the latest decision; the audit log keeps every one.
            auto write = facts->leadId
                             ? tx.prepare("UPDATE leads SET status = ?1, note = ?2, marked_by = ?3, marked_at = ?4, "
                                          "updated_at = ?4 WHERE id = ?5")
                             : tx.prepare("INSERT INTO leads(status, note, marked_by, marked_at, updated_at, candidate_id) "
                                          "VALUES (?1, ?2, ?3, ?4, ?4, ?5)");
            if (!write) return write.error();
            FACELEAD_TRY(write->bind(1, workflow::leadStatusName(next->status))
                             .bind(2, note)
                             .bind(3, user->id)
                             .bind(4, at)
                             .bind(5, facts->leadId.value_or(candidateId))
                             .run());
            const std::int64_t leadId = facts->leadId.value_or(tx.lastInsertId());
            const char* action =
                decision == workflow::LeadDecision::PossibleLead ? "lead.marked_possible" : "lead.excluded";
            return recordLeadEvent(tx, user->id, action, candidateId, leadId,
                                   {{"case_id", facts->caseId}, {"note", note},
                                    {"from", workflow::leadStatusName(facts->state.status)},
                                    {"to", workflow::leadStatusName(next->status)}});
        }));
        return candidateFor(*user, candidateId);
    });
}

Result<void> CaseService::reopenClearedLead(store::Transaction& tx, std::int64_t userId, std::int64_t candidateId,
                                           std::int64_t examinationId) {
    auto leads = detail::queryAll(tx, "SELECT id, status FROM leads WHERE candidate_id = ?",
                                  [](const store::Statement& row) { return std::pair(row.getInt(0), row.getText(1)); },
                                  candidateId);
    if (!leads) return leads.error();
    const auto cleared = workflow::leadStatusName(workflow::LeadStatus::ClearedForAction);
    if (leads->empty() || leads->front().second != cleared) return {};
    const std::int64_t leadId = leads->front().first;
    const auto back = workflow::LeadStatus::FollowUpRecorded;
    FACELEAD_TRY(updateLeadStatus(tx, leadId, back));
    return recordLeadEvent(tx, userId, "lead.reopened", candidateId, leadId,
                           {{"from", cleared}, {"to", workflow::leadStatusName(back)},
                            {"reason", "the examiners disagree"}, {"examination_id", examinationId}});
}

Result<CandidateRecord> CaseService::recordFollowUp(std::int64_t candidateId, const workflow::FollowUp& followUp) {
    return accounts::refusalsAudited(session_, "lead.record_follow_up", [&]() -> Result<CandidateRecord> {
        auto user = currentUser(workflow::Action::RecordFollowUp);
        if (!user) return user.error();
        FACELEAD_TRY(session_.store().transact([&](store::Transaction& tx) -> Result<void> {
            auto facts = loadLeadFacts(session_, tx, candidateId);
            if (!facts) return facts.error();
            auto next = workflow::recordFollowUp(facts->state, actorOf(*user), facts->assignedOfficerId.value_or(0),
                                                 followUp, settings_);
            if (!next) return next.error();
            // Trial 29 N9: a lead a supervisor's resolution excluded still took a follow-up and sat in the review list.
            // A follow-up that records the exclusion is the way such a lead is closed, also once it was cleared for
            // action before the late verification (trial 47 F8: it stayed "cleared", every way out refused).
            auto examinations = detail::loadExaminationState(tx, candidateId);
            if (!examinations) return examinations.error();
            if (followUp.outcome != workflow::FollowUpOutcome::Excluded)
                FACELEAD_TRY(workflow::checkResolutionAllowsClearing(examinations->resolution));
            auto types = detail::loadEvidenceTypes(tx);
            if (!types) return types.error();
            FACELEAD_TRY(workflow::checkEvidence(followUp.evidence, *types, facts->independentEvidence));
            auto insert = tx.prepare(
                "INSERT INTO follow_ups(lead_id, steps, evidence, outcome, recorded_by, recorded_at, discrepancy_checklist) "
                "VALUES (?,?,?,?,?,?,?)");
            if (!insert) return insert.error();
            FACELEAD_TRY(insert->bind(1, *facts->leadId)
                             .bind(2, followUp.stepsTaken)
                             .bind(3, followUp.corroboratingEvidence)
                             .bind(4, workflow::followUpOutcomeName(followUp.outcome))
                             .bind(5, user->id)
                             .bind(6, toIsoUtc(tx.now()))
                             .bind(7, detail::checklistToJson(followUp.checklist).dump())
                             .run());
            const std::int64_t followUpId = tx.lastInsertId();
            nlohmann::json evidenceTypes = nlohmann::json::array();
            nlohmann::json attested = nlohmann::json::array();  // per item: stands apart from the search
            for (const workflow::EvidenceItem& item : followUp.evidence) {
                auto attach = tx.prepare("INSERT INTO follow_up_evidence(follow_up_id, type, description, "
                                         "independent_of_search) VALUES (?,?,?,?)");
                if (!attach) return attach.error();
                FACELEAD_TRY(attach->bind(1, followUpId)
                                 .bind(2, item.type)
                                 .bind(3, item.description)
                                 .bind(4, item.independentOfSearch ? 1 : 0)
                                 .run());
                evidenceTypes.push_back(item.type);
                attested.push_back(item.independentOfSearch);
            }
            FACELEAD_TRY(updateLeadStatus(tx, *facts->leadId, next->status));
            return recordLeadEvent(tx, user->id, "lead.follow_up_recorded", candidateId, *facts->leadId,
                                   {{"case_id", facts->caseId}, {"follow_up_id", followUpId},
                                    {"outcome", workflow::followUpOutcomeName(followUp.outcome)},
                                    {"to", workflow::leadStatusName(next->status)},
                                    {"evidence_types", evidenceTypes},
                                    {"evidence_independent_of_search", attested},
                                    {"checklist_answered", followUp.checklist.answered()}},
                                   {detail::kFollowUpRow, followUpId});
        }));
        return candidateFor(*user, candidateId);
    });
}

Result<CandidateRecord> CaseService::review(std::int64_t candidateId, const workflow::Review& review) {
    return accounts::refusalsAudited(session_, "lead.review", [&]() -> Result<CandidateRecord> {
        auto user = currentUser(workflow::Action::ReviewFollowUp);
        if (!user) return user.error();
        FACELEAD_TRY(session_.store().transact([&](store::Transaction& tx) -> Result<void> {
            auto planned = planReview(session_, tx, *user, candidateId, review, settings_);
            if (!planned) return planned.error();
            const auto& [facts, next] = *planned;
            auto insert = tx.prepare(
                "INSERT INTO reviews(lead_id, follow_up_id, decision, note, reviewed_by, reviewed_at) VALUES (?,?,?,?,?,?)");
            if (!insert) return insert.error();
            FACELEAD_TRY(insert->bind(1, *facts.leadId)
                             .bind(2, facts.latestFollowUpId)
                             .bind(3, workflow::leadStatusName(next.status))
                             .bind(4, review.note)
                             .bind(5, user->id)
                             .bind(6, toIsoUtc(tx.now()))
                             .run());
            const std::int64_t reviewId = tx.lastInsertId();
            FACELEAD_TRY(updateLeadStatus(tx, *facts.leadId, next.status));
            return recordLeadEvent(tx, user->id, "lead.reviewed", candidateId, *facts.leadId,
                                   {{"case_id", facts.caseId}, {"follow_up_id", *facts.latestFollowUpId},
                                    {"review_id", reviewId}, {"follow_up_confirmed", review.followUpConfirmed},
                                    {"decision", workflow::leadStatusName(next.status)}, {"note", review.note}},
                                   {detail::kReviewRow, reviewId});
        }));
        return candidateFor(*user, candidateId);
    });
}

Result<workflow::LeadStatus> CaseService::checkReview(std::int64_t candidateId, const workflow::Review& review) {
    // The supervisor pressed "Record review": a refusal now is the attempt's refusal, audited as review's.
    return accounts::refusalsAudited(session_, "lead.review", [&]() -> Result<workflow::LeadStatus> {
        auto user = currentUser(workflow::Action::ReviewFollowUp);
        if (!user) return user.error();
        return session_.store().transact([&](store::Transaction& tx) -> Result<workflow::LeadStatus> {
            auto planned = planReview(session_, tx, *user, candidateId, review, settings_);
            if (!planned) return planned.error();
            return planned->next.status;  // nothing is written: the transaction holds reads only
        });
    });
}

Result<LeadRecord> CaseService::getLead(std::int64_t candidateId) {
    // The lead's notes, follow-ups and reviews are the case file (detail/NeedToKnow.h).
    if (auto user = detail::candidateCaseReader(session_, candidateId); !user) return user.error();
    return detail::loadLeadOfCandidate(session_.store(), candidateId);
}

}  // namespace facelead::cases
