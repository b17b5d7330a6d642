#include "core/cases/detail/SignedRows.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <optional>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/audit/AuditLog.h"
#include "core/audit/SignedRecords.h"
#include "core/cases/CaseService.h"
#include "core/gallery/EnrolledFaces.h"
#include "core/cases/detail/Examinations.h"
#include "core/common/Hash.h"
#include "core/workflow/Leads.h"
#include "core/workflow/Roles.h"

namespace facelead::cases::detail {
namespace {

using Json = nlohmann::json;

// The columns each digest covers: everything written when the row was recorded (a follow-up's evidence items
// are written with it, in order; quoted as SQL literals, so no text can pass for a separator).
std::string columnsOf(const std::string& table) {
    if (table == kRequestRow)
        return "case_id, purpose_code, justification, prohibited_use_attestation, consent_kind, consent_reason, "
               "consent_purpose, image_source, requested_by, requested_at";
    if (table == kSearchRow)
        return "request_id, image_id, face_box, quality, poor_quality_acknowledged, candidate_limit, gallery_size, "
               "run_by, run_at, marked_points, (SELECT group_concat(rank || ',' || gallery_face_id || ',' || "
               "quote(distance) || ',' || quote(score) || ',' || probe, ';') FROM (SELECT rank, gallery_face_id, "
               "distance, score, probe FROM candidates WHERE search_id = searches.id ORDER BY rank))";
    // Everything but the bytes, which the hash stands for: the source and capture metadata went into a colleague's
    // disclosure packet rewritten (trial 22A F6). Entries from before the digest name the hash only.
    if (table == kImageRow)
        return "case_id, kind, parent_id, sha256, size_bytes, format, width, height, capture_metadata, source, recipe, "
               "created_by, created_at";
    if (table == kExaminationRow) return "candidate_id, examiner_id, kind, components, conclusion, note, recorded_at";
    if (table == kResolutionRow) return "candidate_id, conclusion, note, resolved_by, resolved_at";
    // An item's attestation (schema v14) adds to its part only when given, so items from before it digest as then.
    if (table == kFollowUpRow)
        return "lead_id, steps, evidence, outcome, recorded_by, recorded_at, discrepancy_checklist, "
               "(SELECT group_concat(quote(type) || ',' || quote(description) || "
               "CASE independent_of_search WHEN 0 THEN '' ELSE ',' || quote(independent_of_search) END, ';') "
               "FROM (SELECT type, description, independent_of_search "
               "FROM follow_up_evidence WHERE follow_up_id = follow_ups.id ORDER BY id))";
    if (table == kReviewRow) return "lead_id, follow_up_id, decision, note, reviewed_by, reviewed_at";
    return "candidate_id, status, note, marked_by, marked_at, updated_at";  // kLeadRow
}

// The entries that recorded the object, matching `fits`.
Result<std::vector<audit::AuditEntry>> entriesOf(store::Store& store, const audit::AuditFilter& filter,
                                                 const std::function<bool(const Json&)>& fits) {
    auto entries = audit::AuditLog::list(store, filter);
    if (!entries) return entries.error();
    std::erase_if(*entries, [&](const audit::AuditEntry& entry) {
        const auto details = Json::parse(entry.detailsJson, nullptr, false);
        return !details.is_object() || !fits(details);
    });
    return entries;
}

Json detailsOf(const audit::AuditEntry& entry) { return Json::parse(entry.detailsJson, nullptr, false); }

// The digest the entry signed under `member`, or (an entry from before digests) the field it named against the
// row's; true when the entry names neither.
bool matches(const Json& details, const char* member, const std::string& digest, const char* field,
             const std::string& value) {
    if (details.contains(member)) return details.value(member, "") == digest;
    return !details.contains(field) || details.value(field, "") == value;
}

// What one check found wrong with the case file: a sentence; checkRowsOfCase says once what follows for the case.
Error caseProblem(const std::string& problem) { return makeError(ErrorCode::AuditChainBroken, problem); }

Error edited(const std::string& what) {
    return caseProblem(what + " no longer matches what the signed audit log recorded: the row was edited outside "
                              "FaceLead, or the entry that recorded it was changed or broken by a re-hash of the chain.");
}

// The problems the checks of a case found. Every check runs to its end and each one's problems are kept, so that
// audit verify names everything changed in a case, not the first of it (trial 44 F3: two edited follow-ups, one
// named). Any other error (the store failing) still stops the checks.
class CaseProblems {
public:
    Result<void> note(Result<void> check) {
        if (check || check.error().code != ErrorCode::AuditChainBroken) return check;
        found_.push_back(check.error().message);
        return {};
    }
    // Ok when nothing was found; otherwise one AuditChainBroken naming every problem, then `after`.
    Result<void> verdict(const std::string& after = "") const {
        if (found_.empty()) return {};
        std::string all;
        for (const std::string& problem : found_) all += (all.empty() ? "" : " ") + problem;
        return caseProblem(all + after);
    }

private:
    std::vector<std::string> found_;
};

// A kind of write-once row of a case file and the entry that recorded it.
struct WriteOnceRows {
    const char* table;
    const char* label;     // how a refusal names a row
    std::string ofCase;    // id, author, field, entry object id, entry action of the case's rows (?1: the case)
    const char* objectType;
    const char* idMember;  // the details member naming the row; empty when the entry's object is the row
    const char* field;     // what an entry from before digests names
};

// `select` (rows naming a candidate in `candidateColumn`) narrowed to the candidates of the case bound at ?1.
std::string ofCandidatesOfCase(const std::string& select, const std::string& candidateColumn) {
    return select + " JOIN candidates c ON c.id = " + candidateColumn +
           " JOIN searches s ON s.id = c.search_id JOIN search_requests r ON r.id = s.request_id WHERE r.case_id = ?1";
}

const std::vector<WriteOnceRows>& writeOnceRows() {
    static const std::vector<WriteOnceRows> kinds{
        {kRequestRow, "Search request",
         "SELECT id, requested_by, purpose_code, id, 'request.submitted' FROM search_requests WHERE case_id = ?1",
         "search_request", "", "purpose"},
        // An image's entry names its hash (trial 16A swapped a probe's bytes and hash column together).
        {kImageRow, "Image",
         "SELECT id, created_by, sha256, id, CASE kind WHEN 'original' THEN 'image.stored' ELSE 'image.derived' END "
         "FROM images WHERE case_id = ?1",
         "image", "", "sha256"},
        // A candidate pointed at another gallery face puts another name on a lead (trial 16A): the search's
        // entry signs its candidate list (entries from before it name no field: taken as they are).
        {kSearchRow, "Search",
         "SELECT s.id, s.run_by, '', s.id, 'search.run' FROM searches s JOIN search_requests r ON r.id = "
         "s.request_id WHERE r.case_id = ?1",
         "search", "", "candidate_list"},
        {kExaminationRow, "Examination",
         ofCandidatesOfCase("SELECT e.id, e.examiner_id, e.conclusion, e.candidate_id, CASE e.kind WHEN "
                            "'examination' THEN 'candidate.examined' ELSE 'candidate.verified' END FROM examinations e",
                            "e.candidate_id"),
         "candidate", "examination_id", "conclusion"},
        // A resolution slipped in without its entry let the marking gate pass in the application.
        {kResolutionRow, "Resolution of the examiners' disagreement",
         ofCandidatesOfCase("SELECT x.id, x.resolved_by, x.conclusion, x.candidate_id, "
                            "'examination.disagreement_resolved' FROM examination_resolutions x",
                            "x.candidate_id"),
         "candidate", "resolution_id", "conclusion"},
        {kFollowUpRow, "Follow-up",
         ofCandidatesOfCase("SELECT f.id, f.recorded_by, f.outcome, l.candidate_id, 'lead.follow_up_recorded' "
                            "FROM follow_ups f JOIN leads l ON l.id = f.lead_id",
                            "l.candidate_id"),
         "candidate", "follow_up_id", "outcome"},
        {kReviewRow, "Review",
         ofCandidatesOfCase("SELECT v.id, v.reviewed_by, v.decision, l.candidate_id, 'lead.reviewed' FROM reviews v "
                            "JOIN leads l ON l.id = v.lead_id",
                            "l.candidate_id"),
         "candidate", "review_id", "decision"},
    };
    return kinds;
}

// One row of a case file: what it says, and which entry should have recorded it.
struct RowFacts {
    std::int64_t id = 0;
    std::int64_t author = 0;
    std::string field;   // the field an older entry names
    std::string object;  // the entry's object id
    std::string action;  // the entry's action
};

Result<std::vector<RowFacts>> rowsOfCase(store::Store& store, const WriteOnceRows& kind, std::int64_t caseId) {
    auto statement = store.prepare(kind.ofCase);
    if (!statement) return statement.error();
    statement->bind(1, caseId);
    std::vector<RowFacts> rows;
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) return rows;
        rows.push_back({statement->getInt(0), statement->getInt(1), statement->getText(2), statement->getText(3),
                        statement->getText(4)});
    }
}

// The entry that recorded the row: the first naming it. A later entry naming it (a copy the insider re-signed with
// his own key after rewriting the row as his) cannot stand in for it. Entries from before rows were named
// (idMember absent): any of them.
std::vector<audit::AuditEntry> recordingEntries(std::vector<audit::AuditEntry> entries, const std::string& idMember) {
    const auto named = std::find_if(entries.begin(), entries.end(), [&](const audit::AuditEntry& entry) {
        return idMember.empty() || detailsOf(entry).contains(idMember);
    });
    if (named != entries.end()) return {*named};
    return entries;
}

Result<void> checkWriteOnceRows(accounts::Session& session, const WriteOnceRows& kind, std::int64_t caseId) {
    auto rows = rowsOfCase(session.store(), kind, caseId);
    if (!rows) return rows.error();
    CaseProblems problems;
    for (const RowFacts& row : *rows) {
        auto digest = rowDigest(session.store(), kind.table, row.id);
        if (!digest) return digest.error();
        const std::string idMember = kind.idMember;
        auto entries = entriesOf(session.store(), {.action = row.action, .objectType = kind.objectType,
                                                   .objectId = row.object},
                                 [&](const Json& details) {
                                     return idMember.empty() || !details.contains(idMember) ||
                                            details.value(idMember, std::int64_t(0)) == row.id;
                                 });
        if (!entries) return entries.error();
        const auto candidates = recordingEntries(std::move(*entries), idMember);
        const bool holds = std::any_of(candidates.begin(), candidates.end(), [&](const audit::AuditEntry& entry) {
            return entry.userId == row.author && audit::signedAsRecorded(session.ledger(), entry) &&
                   matches(detailsOf(entry), kRowDigest, *digest, kind.field, row.field);
        });
        const std::string label = std::string(kind.label) + " " + std::to_string(row.id);
        if (!holds) FACELEAD_TRY(problems.note(edited(idMember.empty() ? label : label + " of candidate " + row.object)));
    }
    return problems.verdict();
}

// Every search request and search the signed log recorded for the case is still there: an insider deleted his own
// request, search and candidate list, and the disclosure packet said the case had no search at all (trial 20A F3).
// The case's entries are found by their text: FaceLead writes details as nlohmann's compact dump, keys in order, so
// `"case_id":N` is followed by ',' or '}'. Parsing every search entry of the log on every case read made audit verify
// and the reports cases x searches.
Result<void> checkSearchesKept(store::Store& store, std::int64_t caseId) {
    struct Recorded {
        const char* action;
        const char* objectType;
        const char* label;
        const char* ofCase;  // the row `?1` of the case `?2`
    };
    static constexpr Recorded kRecorded[] = {
        {"request.submitted", "search_request", "Search request",
         "SELECT count(*) FROM search_requests WHERE id = ?1 AND case_id = ?2"},
        {"search.run", "search", "Search",
         "SELECT count(*) FROM searches s JOIN search_requests r ON r.id = s.request_id WHERE s.id = ?1 AND "
         "r.case_id = ?2"},
    };
    const std::string named = "\"case_id\":" + std::to_string(caseId);
    for (const Recorded& recorded : kRecorded) {
        auto entries = store.prepare("SELECT seq, object_id FROM audit_log WHERE action = ?1 AND object_type = ?2 AND "
                                     "(instr(details, ?3) > 0 OR instr(details, ?4) > 0) ORDER BY seq");
        if (!entries) return entries.error();
        entries->bind(1, std::string(recorded.action)).bind(2, std::string(recorded.objectType));
        entries->bind(3, named + ",").bind(4, named + "}");
        while (true) {
            auto entry = entries->step();
            if (!entry) return entry.error();
            if (!*entry) break;
            const std::string objectId = entries->getText(1);
            auto kept = store.prepare(recorded.ofCase);
            if (!kept) return kept.error();
            kept->bind(1, static_cast<std::int64_t>(std::strtoll(objectId.c_str(), nullptr, 10))).bind(2, caseId);
            auto row = kept->step();
            if (!row) return row.error();
            if (kept->getInt(0) == 0)
                return caseProblem(std::string(recorded.label) + " " + objectId + " (audit entry " +
                                   std::to_string(entries->getInt(0)) + ") was deleted outside FaceLead.");
        }
    }
    return {};
}

// A judgement of a candidate, or a step of its lead, the signed log records: the entry, the member naming its row,
// and how many such rows of the candidate (?2) have that id (?1).
struct Judgement {
    const char* action;
    const char* idMember;
    const char* kept;
    const char* label;
};
constexpr const char* kExaminationKept = "SELECT count(*) FROM examinations WHERE id = ?1 AND candidate_id = ?2";
constexpr Judgement kJudgements[] = {
    {"candidate.examined", "examination_id", kExaminationKept, "Examination"},
    {"candidate.verified", "examination_id", kExaminationKept, "Examination"},
    {"examination.disagreement_resolved", "resolution_id",
     "SELECT count(*) FROM examination_resolutions WHERE id = ?1 AND candidate_id = ?2", "Resolution"},
    {"lead.follow_up_recorded", "follow_up_id",
     "SELECT count(*) FROM follow_ups f JOIN leads l ON l.id = f.lead_id WHERE f.id = ?1 AND l.candidate_id = ?2",
     "Follow-up"},
    {"lead.reviewed", "review_id",
     "SELECT count(*) FROM reviews r JOIN leads l ON l.id = r.lead_id WHERE r.id = ?1 AND l.candidate_id = ?2",
     "Review"},
};

// Every examination, resolution, follow-up and review the signed log recorded for the candidate is still there: a
// dissenting verification deleted let a lead be marked and cleared, and left the dissent out of the disclosure packet
// (trial 17A N1); a deleted follow-up (an alibi checked) was named only as "the lead was edited" (trial 48 F2).
// `entries`: the candidate's, oldest first.
Result<void> checkJudgementsKept(store::Store& store, std::int64_t candidateId,
                                 const std::vector<audit::AuditEntry>& entries) {
    for (const audit::AuditEntry& entry : entries) {
        const auto judgement = std::find_if(std::begin(kJudgements), std::end(kJudgements),
                                            [&](const Judgement& j) { return entry.action == j.action; });
        const Json details = detailsOf(entry);
        if (judgement == std::end(kJudgements) || !details.contains(judgement->idMember)) continue;
        const auto id = details.value(judgement->idMember, std::int64_t(0));
        auto kept = store.prepare(judgement->kept);
        if (!kept) return kept.error();
        kept->bind(1, id).bind(2, candidateId);
        auto row = kept->step();
        if (!row) return row.error();
        if (kept->getInt(0) == 0)
            return caseProblem(std::string(judgement->label) + " " + std::to_string(id) + " of candidate " +
                               std::to_string(candidateId) + " (audit entry " + std::to_string(entry.seq) +
                               ") was deleted outside FaceLead.");
    }
    return {};
}

bool isExamination(const audit::AuditEntry& entry) {
    return entry.action == "candidate.examined" || entry.action == "candidate.verified";
}

// Every examination the log recorded was blind, as FaceLead checks when it records one (cases::rankShownTo, the
// rule's one definition): an examination signed with the insider's own key after he saw the rank and score is not
// one. This replays the part of the rule the candidate's own signed entries prove (its audited views); the rest
// (the same probe's other searches, a case's packet) stands on rows an insider could re-link, so the packet's
// per-examination "blind" says it. `entries`: the candidate's, oldest first.
Result<void> checkExaminationsBlind(const std::vector<audit::AuditEntry>& entries) {
    std::set<std::int64_t> shown;  // users shown the rank so far
    for (const audit::AuditEntry& entry : entries) {
        if (!entry.userId) continue;
        if (entry.action == "candidate.viewed" && detailsOf(entry).value("rank_shown", false)) shown.insert(*entry.userId);
        if (isExamination(entry) && shown.count(*entry.userId))
            return caseProblem("The examination of candidate " + entry.objectId + " by " + entry.username +
                               " (audit entry " + std::to_string(entry.seq) +
                               ") was recorded after its rank and score were shown to them: it is not blind.");
    }
    return {};
}

// Every resolution of the examiners' disagreement the log recorded was made by a supervisor who examined nothing
// of the candidate (workflow::checkResolution): one signed with an examiner's own key let FaceLead's own marking
// gate pass, and audit verify named only the mark that followed (trial 18A F3). `entries`: the candidate's.
Result<void> checkResolutionsAuthorised(accounts::Session& session, const std::vector<audit::AuditEntry>& entries) {
    std::set<std::int64_t> examiners;
    for (const audit::AuditEntry& entry : entries) {
        if (!entry.userId) continue;
        if (isExamination(entry)) examiners.insert(*entry.userId);
        if (entry.action != "examination.disagreement_resolved") continue;
        auto supervisorWhen = heldRoleWhen(session, entry.username, entry.seq, workflow::Role::Supervisor);
        if (!supervisorWhen) return supervisorWhen.error();
        const bool supervisor = *supervisorWhen;
        if (!supervisor || examiners.count(*entry.userId))
            return caseProblem("The resolution of the examiners' disagreement on candidate " + entry.objectId +
                               " (audit entry " + std::to_string(entry.seq) + ") was signed by " + entry.username +
                               (supervisor ? ", who examined the candidate." : ", who was not a supervisor."));
    }
    return {};
}

// The marking gate (workflow::checkMayMarkPossibleLead, the one rule) as the signed log stood when `mark` was
// recorded: the examinations and the supervisor's resolution recorded before it, from intact entries signed
// with certified keys (checkResolutionsAuthorised has held each resolution to its author). A mark the
// application refused, re-signed with the insider's own key (trial 17A N3), or one "supported" by an examination
// recorded after it (N5), does not pass.
Result<void> checkMarkWasPermitted(const audit::AccountLedger& ledger, const std::vector<audit::AuditEntry>& entries,
                                   const audit::AuditEntry& mark) {
    ExaminationState state;
    for (const audit::AuditEntry& entry : entries) {
        if (entry.seq >= mark.seq) break;
        if (!entry.userId || !audit::signedAsRecorded(ledger, entry)) continue;
        const auto conclusion = workflow::conclusionFromName(detailsOf(entry).value("conclusion", ""));
        if (isExamination(entry))
            state.conclusions.emplace_back(*entry.userId, conclusion.value_or(workflow::Conclusion::NoConclusion));
        else if (entry.action == "examination.disagreement_resolved")
            state.resolution = conclusion;
    }
    auto permitted = workflow::checkMayMarkPossibleLead(
        {mark.userId ? state.conclusionOf(*mark.userId) : std::nullopt, state.openDisagreement(), state.resolution});
    if (permitted) return {};
    return caseProblem("The possible lead of candidate " + mark.objectId + " (audit entry " +
                       std::to_string(mark.seq) + ") was not permitted when it was marked: " +
                       permitted.error().message);
}

// The digest a search's first "search.run" entry recorded of its probe templates; nullopt when it recorded none.
std::optional<std::string> recordedTemplatesDigest(const audit::AuditEntry& entry) {
    const Json details = detailsOf(entry);
    if (!details.is_object() || !details.contains(kProbeTemplatesDigest)) return std::nullopt;
    return details.value(kProbeTemplatesDigest, "");
}

Error templatesEdited(const std::string& searchId) {
    return edited("The probe templates of search " + searchId + " (what FaceLead compares pictures of one person by)");
}

// Each of the case's searches' further probes (issue 10 item 6) as its first signed `search.run` entry lists them:
// the image and the face box (with the points of a face marked by hand), in order. The search's digest covers its
// first probe and its candidate list; an insider pointing probe 2 at another image of the case would put another
// photo in the packet, one moving its marked eyes another face. And its probe templates, as the entry hashed them.
Result<void> checkFurtherProbes(accounts::Session& session, std::int64_t caseId) {
    auto searches = session.store().prepare(
        "SELECT s.id, (SELECT group_concat(p.image_id || ' ' || p.face_box, ';') FROM (SELECT image_id, face_box "
        "FROM search_probes WHERE search_id = s.id ORDER BY position) p) FROM searches s JOIN search_requests r ON "
        "r.id = s.request_id WHERE r.case_id = ?");
    if (!searches) return searches.error();
    searches->bind(1, caseId);
    CaseProblems problems;
    while (true) {
        auto row = searches->step();
        if (!row) return row.error();
        if (!*row) return problems.verdict();
        const std::string searchId = std::to_string(searches->getInt(0));
        auto entries = audit::AuditLog::list(session.store(),
                                             {.action = "search.run", .objectType = "search", .objectId = searchId});
        if (!entries) return entries.error();
        if (entries->empty()) continue;  // checkWriteOnceRows refuses a search no entry recorded
        std::string listed;
        for (const Json& probe : detailsOf(entries->front()).value("further_probes", Json::array()))
            listed += (listed.empty() ? "" : ";") + std::to_string(probe.value("image_id", std::int64_t(0))) + " " +
                      probe.value("face_box", Json::object()).dump();
        if (!audit::signedAsRecorded(session.ledger(), entries->front()) ||
            listed != searches->getOptionalText(1).value_or(""))
            FACELEAD_TRY(problems.note(edited("The further probes of search " + searchId)));
        const auto recorded = recordedTemplatesDigest(entries->front());
        if (!recorded) continue;
        auto digest = probeTemplatesDigest(session.store(), searches->getInt(0));
        if (!digest) return digest.error();
        if (*digest != *recorded) FACELEAD_TRY(problems.note(templatesEdited(searchId)));
    }
}

// Each candidate of the case, with its lead row if it has one.
struct LeadRow {
    std::int64_t candidateId = 0;
    std::optional<std::int64_t> leadId;
    std::int64_t markedBy = 0;
    std::string status;  // what an entry from before digests is compared with
};

Result<std::vector<LeadRow>> leadRowsOfCase(store::Store& store, std::int64_t caseId) {
    auto statement = store.prepare(
        "SELECT c.id, l.id, l.marked_by, l.status FROM candidates c JOIN searches s ON s.id = c.search_id "
        "JOIN search_requests r ON r.id = s.request_id LEFT JOIN leads l ON l.candidate_id = c.id WHERE r.case_id = ?");
    if (!statement) return statement.error();
    statement->bind(1, caseId);
    std::vector<LeadRow> leads;
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) return leads;
        leads.push_back({statement->getInt(0), statement->getOptionalInt(1), statement->getOptionalInt(2).value_or(0),
                         statement->getOptionalText(3).value_or("")});
    }
}

bool isDecision(const audit::AuditEntry& entry) {
    return entry.action == "lead.marked_possible" || entry.action == "lead.excluded";
}

// The status a lead entry left the lead in; nullopt for one that names none.
std::optional<workflow::LeadStatus> statusAfter(const audit::AuditEntry& entry, const Json& details) {
    if (entry.action == "lead.follow_up_recorded") return workflow::LeadStatus::FollowUpRecorded;
    return workflow::leadStatusFromName(details.value(entry.action == "lead.reviewed" ? "decision" : "to", ""));
}

// How many rows of `table` (follow_ups, reviews) the lead has.
Result<std::int64_t> rowsOfLead(store::Store& store, const char* table, std::int64_t leadId) {
    auto statement = store.prepare(std::string("SELECT count(*) FROM ") + table + " WHERE lead_id = ?");
    if (!statement) return statement.error();
    statement->bind(1, leadId);
    auto row = statement->step();
    if (!row) return row.error();
    return statement->getInt(0);
}

// The lead's signed entries, replayed: each intact and signed with a certified key, each a step the workflow
// can take from where the one before left the lead (an entry copied to the end cannot take a cleared lead back:
// trial 16A), one follow-up and one review row for each entry that recorded one (none deleted).
Result<bool> historyHolds(accounts::Session& session, const std::vector<audit::AuditEntry>& entries,
                          const std::vector<audit::AuditEntry>& candidateEntries, std::int64_t leadId) {
    workflow::LeadStatus status = workflow::LeadStatus::Candidate;
    std::int64_t followUps = 0;
    std::int64_t reviews = 0;
    for (const audit::AuditEntry& entry : entries) {
        const Json details = detailsOf(entry);
        const auto next = statusAfter(entry, details);
        if (details.value("lead_id", std::int64_t(0)) != leadId || !audit::signedAsRecorded(session.ledger(), entry) ||
            !next || !workflow::isLeadTransition(status, *next))
            return false;
        if (entry.action == "lead.marked_possible")
            FACELEAD_TRY(checkMarkWasPermitted(session.ledger(), candidateEntries, entry));
        status = *next;
        followUps += entry.action == "lead.follow_up_recorded";
        reviews += entry.action == "lead.reviewed";
    }
    auto followUpRows = rowsOfLead(session.store(), kFollowUpRow, leadId);
    if (!followUpRows) return followUpRows.error();
    auto reviewRows = rowsOfLead(session.store(), kReviewRow, leadId);
    if (!reviewRows) return reviewRows.error();
    return *followUpRows == followUps && *reviewRows == reviews;
}

// The lead row as its signed history left it (historyHolds): marked by whoever made the latest decision, and as
// the latest entry's digest (entries from before digests: the status they name). A lead row without such
// entries, or such entries without the row, was written or deleted outside FaceLead.
Result<bool> leadHolds(accounts::Session& session, const LeadRow& lead,
                       const std::vector<audit::AuditEntry>& candidateEntries) {
    std::vector<audit::AuditEntry> leadEntries;
    std::copy_if(candidateEntries.begin(), candidateEntries.end(), std::back_inserter(leadEntries),
                 [](const audit::AuditEntry& entry) {
                     return entry.action.starts_with("lead.") && detailsOf(entry).contains("lead_id");
                 });
    if (leadEntries.empty() || !lead.leadId) return leadEntries.empty() && !lead.leadId;
    auto history = historyHolds(session, leadEntries, candidateEntries, *lead.leadId);
    if (!history || !*history) return history;
    const auto decision = std::find_if(leadEntries.rbegin(), leadEntries.rend(), isDecision);
    if (decision == leadEntries.rend() || decision->userId != lead.markedBy) return false;
    auto digest = rowDigest(session.store(), kLeadRow, *lead.leadId);
    if (!digest) return digest.error();
    const audit::AuditEntry& latest = leadEntries.back();
    const char* field = latest.action == "lead.reviewed" ? "decision" : "to";
    return matches(detailsOf(latest), kLeadRowDigest, *digest, field, lead.status);
}

Result<void> checkLeadRows(accounts::Session& session, std::int64_t caseId) {
    auto leads = leadRowsOfCase(session.store(), caseId);
    if (!leads) return leads.error();
    CaseProblems problems;
    for (const LeadRow& lead : *leads) {
        // Everything the log recorded about the candidate, read once for the checks below.
        auto entries = audit::AuditLog::list(session.store(), {.objectType = "candidate",
                                                               .objectId = std::to_string(lead.candidateId)});
        if (!entries) return entries.error();
        FACELEAD_TRY(problems.note(checkJudgementsKept(session.store(), lead.candidateId, *entries)));
        FACELEAD_TRY(problems.note(checkExaminationsBlind(*entries)));
        FACELEAD_TRY(problems.note(checkResolutionsAuthorised(session, *entries)));
        auto holds = leadHolds(session, lead, *entries);
        if (!holds) FACELEAD_TRY(problems.note(holds.error()));
        else if (!*holds) FACELEAD_TRY(problems.note(edited("The lead of candidate " + std::to_string(lead.candidateId))));
    }
    return problems.verdict();
}

// The gallery faces the case's candidates name, and every other photo of their subjects (the case window and
// the packet show the subject's oldest and newest photo), each held to its enrolment entry (trial 16A F2: a
// renamed subject put another name on a lead; trial 17A N7: a photo slipped into the subject was shown).
Result<void> checkCandidateFaces(accounts::Session& session, std::int64_t caseId) {
    auto statement = session.store().prepare(
        "WITH named AS (SELECT c.gallery_face_id AS id FROM candidates c JOIN searches s ON s.id = c.search_id "
        "JOIN search_requests r ON r.id = s.request_id WHERE r.case_id = ?) "
        "SELECT id FROM named UNION SELECT f.id FROM gallery_faces f WHERE f.subject_id IN "
        "(SELECT g.subject_id FROM gallery_faces g JOIN named ON named.id = g.id) ORDER BY 1");
    if (!statement) return statement.error();
    statement->bind(1, caseId);
    std::vector<std::int64_t> faceIds;
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        faceIds.push_back(statement->getInt(0));
    }
    auto problems = gallery::editedFaces(session.store(), session.ledger(), faceIds);
    if (!problems) return problems.error();
    CaseProblems found;
    for (const std::string& problem : *problems) FACELEAD_TRY(found.note(caseProblem(problem)));
    return found.verdict();
}

}  // namespace

Result<bool> heldRoleWhen(accounts::Session& session, const std::string& username, std::int64_t seq,
                          workflow::Role role) {
    return audit::heldRoleWhen(session.store(), session.ledger(), username, seq, workflow::roleName(role));
}

Result<std::string> rowDigest(store::Store& store, const std::string& table, std::int64_t id) {
    return audit::rowDigest(store, table, columnsOf(table), id);
}

Result<std::string> templatesDigest(store::Store& store, const std::string& table, const std::string& keyColumn,
                                    std::int64_t id) {
    auto statement = store.prepare("SELECT coalesce(group_concat(position || ':' || coalesce(hex(template), ''), ';'), '') "
                                   "FROM (SELECT position, template FROM " + table + " WHERE " + keyColumn +
                                   " = ? ORDER BY position)");
    if (!statement) return statement.error();
    statement->bind(1, id);
    auto row = statement->step();
    if (!row) return row.error();
    return sha256Hex(std::string_view(statement->getText(0)));
}

Result<std::string> probeTemplatesDigest(store::Store& store, std::int64_t searchId) {
    return templatesDigest(store, "search_probe_templates", "search_id", searchId);
}

Result<void> checkProbeTemplatesKept(store::Store& store, std::int64_t searchId) {
    auto entries = audit::AuditLog::list(store, {.action = "search.run", .objectType = "search",
                                                 .objectId = std::to_string(searchId)});
    if (!entries) return entries.error();
    if (entries->empty()) return {};  // a search no entry recorded is refused by checkCaseRowsSigned
    const auto recorded = recordedTemplatesDigest(entries->front());
    if (!recorded) return {};
    auto digest = probeTemplatesDigest(store, searchId);
    if (!digest) return digest.error();
    if (*digest != *recorded) return templatesEdited(std::to_string(searchId));
    return {};
}

namespace {

Result<void> checkRowsOfCase(accounts::Session& session, std::int64_t caseId) {
    CaseProblems problems;
    FACELEAD_TRY(problems.note(checkSearchesKept(session.store(), caseId)));
    for (const WriteOnceRows& kind : writeOnceRows())
        FACELEAD_TRY(problems.note(checkWriteOnceRows(session, kind, caseId)));
    FACELEAD_TRY(problems.note(checkFurtherProbes(session, caseId)));
    FACELEAD_TRY(problems.note(checkCandidateFaces(session, caseId)));
    FACELEAD_TRY(problems.note(checkLeadRows(session, caseId)));
    return problems.verdict(" Nobody reads or acts on this case here until a program administrator has looked "
                            "(audit verify).");
}

// The name beside each step of a case is read from the users table: swapped there, it put one officer's name on
// another's examination in the case window and the disclosure packet (trial 19A G4).
Result<void> checkNamesShownSigned(accounts::Session& session) {
    auto names = session.ledger().compareDisplayNames(session.store());
    if (!names) return names.error();
    if (names->empty()) return {};
    return makeError(ErrorCode::AuditChainBroken,
                     "The users table was edited outside FaceLead: " + names->front() +
                         " The names beside the work in a case cannot be trusted until a program administrator puts "
                         "the table back (facelead-cli user restore-table; audit verify names it).");
}

}  // namespace

Result<void> checkCaseRowsSigned(accounts::Session& session, std::int64_t caseId) {
    FACELEAD_TRY(checkNamesShownSigned(session));
    return checkRowsOfCase(session, caseId);
}

}  // namespace facelead::cases::detail

namespace facelead::cases {

Result<std::vector<std::string>> editedCaseRecords(accounts::Session& session) {
    auto cases = session.store().prepare("SELECT id, case_number FROM cases ORDER BY id");
    if (!cases) return cases.error();
    std::vector<std::string> problems;
    for (;;) {
        auto row = cases->step();
        if (!row) return row.error();
        if (!*row) break;
        auto rows = detail::checkRowsOfCase(session, cases->getInt(0));  // the names: once, in accountProblems
        if (!rows && rows.error().code != ErrorCode::AuditChainBroken) return rows.error();
        if (!rows) problems.push_back("Case " + cases->getText(1) + ": " + rows.error().message);
    }
    auto approvals = detail::editedApprovalRequests(session);
    if (!approvals) return approvals.error();
    problems.insert(problems.end(), approvals->begin(), approvals->end());
    return problems;
}

}  // namespace facelead::cases
