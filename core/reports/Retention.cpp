#include "core/reports/Retention.h"

#include <array>
#include <cstdlib>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <regex>
#include <utility>

#include "core/accounts/Authority.h"
#include "core/admin/Administration.h"
#include "core/audit/AuditLog.h"
#include "core/audit/SignedRecords.h"
#include "core/common/Text.h"
#include "core/workflow/Roles.h"

namespace facelead::reports {
namespace {

constexpr std::array<std::pair<RetentionItemKind, std::string_view>, 2> kItemKinds{
    {{RetentionItemKind::Probe, "probe"}, {RetentionItemKind::Search, "search"}}};
constexpr std::array<std::pair<RetentionDecisionKind, std::string_view>, 2> kDecisions{
    {{RetentionDecisionKind::Keep, "keep"}, {RetentionDecisionKind::Purge, "purge"}}};

template <typename Table, typename Enum>
std::string_view nameIn(const Table& table, Enum value) {
    for (const auto& [v, name] : table) if (v == value) return name;
    return "unknown";
}
template <typename Table>
auto valueIn(const Table& table, std::string_view name) -> std::optional<decltype(table.begin()->first)> {
    for (const auto& [value, n] : table) if (n == name) return value;
    return std::nullopt;
}

// How the items of one kind are read: the id, the case number and when, from a query ending in a WHERE clause.
struct ItemQuery {
    const char* select;
    const char* at;  // the column of when it was stored or run
    const char* id;
};
constexpr ItemQuery kProbes{"SELECT i.id, c.case_number, i.created_at FROM images i JOIN cases c ON c.id = i.case_id "
                            "WHERE i.kind = 'original'",
                            "i.created_at", "i.id"};
constexpr ItemQuery kSearches{"SELECT s.id, c.case_number, s.run_at FROM searches s JOIN search_requests r ON "
                              "r.id = s.request_id JOIN cases c ON c.id = r.case_id WHERE 1 = 1",
                              "s.run_at", "s.id"};
const ItemQuery& queryFor(RetentionItemKind kind) { return kind == RetentionItemKind::Probe ? kProbes : kSearches; }
int periodOf(const workflow::PolicyPack& pack, RetentionItemKind kind) {
    return kind == RetentionItemKind::Probe ? pack.probeRetentionDays : pack.searchRecordRetentionDays;
}

std::string today(TimePoint now) { return toIsoUtc(now).substr(0, 10); }

template <typename Db, typename Bound>
Result<std::vector<RetentionItem>> readItems(Db& db, const std::string& sql, const Bound& bound, TimePoint now) {
    std::vector<RetentionItem> items;
    auto statement = db.prepare(sql);
    if (!statement) return statement.error();
    statement->bind(1, bound);
    for (;;) {
        auto more = statement->step();
        if (!more) return more.error();
        if (!*more) return items;
        RetentionItem item{statement->getInt(0), statement->getText(1), statement->getText(2), 0, std::nullopt, true};
        TimePoint at;
        if (fromIsoUtc(item.at, at))
            item.ageDays = static_cast<int>(std::chrono::floor<std::chrono::days>(now - at).count());
        items.push_back(std::move(item));
    }
}

// The items of a kind older than `days` (none when the pack sets no period), oldest first.
template <typename Db>
Result<std::vector<RetentionItem>> olderThan(Db& db, const ItemQuery& query, int days, TimePoint now) {
    if (days == 0) return std::vector<RetentionItem>{};
    return readItems(db, std::string(query.select) + " AND " + query.at + " < ? ORDER BY " + query.at + ", " + query.id,
                     toIsoUtc(now - std::chrono::days(days)), now);
}

constexpr const char* kDecisionSelect =
    "SELECT d.id, d.item_kind, d.item_id, d.decision, d.reason, coalesce(d.keep_until, ''), d.pack, "
    "coalesce(u.display_name, ''), d.decided_at FROM retention_decisions d LEFT JOIN users u ON u.id = d.decided_by";

using ItemKey = std::pair<RetentionItemKind, std::int64_t>;

// Every item's latest decision (a later one supersedes; the earlier stay in the store and the audit log).
template <typename Db>
Result<std::map<ItemKey, RetentionDecision>> latestDecisions(Db& db, const std::string& where = "",
                                                              std::int64_t id = 0) {
    auto statement = db.prepare(std::string(kDecisionSelect) + where + " ORDER BY d.id");
    if (!statement) return statement.error();
    if (!where.empty()) statement->bind(1, id);
    std::map<ItemKey, RetentionDecision> latest;
    for (;;) {
        auto more = statement->step();
        if (!more) return more.error();
        if (!*more) return latest;
        const auto kind = retentionItemKindFromName(statement->getText(1));
        if (!kind) continue;  // the table's CHECK admits no other kind
        latest[{*kind, statement->getInt(2)}] = RetentionDecision{
            statement->getInt(0),
            retentionDecisionFromName(statement->getText(3)).value_or(RetentionDecisionKind::Keep),
            statement->getText(4), statement->getText(5), statement->getText(6), statement->getText(7),
            statement->getText(8)};
    }
}

void attachDecisions(std::vector<RetentionItem>& items, RetentionItemKind kind,
                     const std::map<ItemKey, RetentionDecision>& decisions, const std::string& day) {
    for (RetentionItem& item : items) {
        const auto found = decisions.find({kind, item.id});
        if (found == decisions.end()) continue;
        item.decision = found->second;
        // A kept item comes up again on its date; a purge decision stands.
        item.awaitingDecision = found->second.decision == RetentionDecisionKind::Keep && found->second.keepUntil <= day;
    }
}

constexpr const char* kDecided = "retention.decided";
constexpr const char* kRowDigest = "row_sha256";
constexpr const char* kDecisionColumns = "item_kind, item_id, decision, reason, keep_until, pack, decided_by, decided_at";

Result<std::string> decisionDigest(store::Store& store, std::int64_t decisionId) {
    return audit::rowDigest(store, "retention_decisions", kDecisionColumns, decisionId);
}

// A decision row as stored: what the report shows of it.
struct StoredDecision {
    std::int64_t id = 0;
    std::string kind;
    std::int64_t itemId = 0;
    std::string decision;
    std::string reason;
    std::string keepUntil;
    std::int64_t decidedBy = 0;
    std::string decidedByName;
};

Result<std::vector<StoredDecision>> storedDecisions(store::Store& store) {
    auto rows = store.prepare("SELECT d.id, d.item_kind, d.item_id, d.decision, d.reason, coalesce(d.keep_until, ''), "
                              "d.decided_by, coalesce(nullif(u.display_name, ''), u.username, '') FROM "
                              "retention_decisions d LEFT JOIN users u ON u.id = d.decided_by ORDER BY d.id");
    if (!rows) return rows.error();
    std::vector<StoredDecision> decisions;
    while (true) {
        auto row = rows->step();
        if (!row) return row.error();
        if (!*row) return decisions;
        decisions.push_back({rows->getInt(0), rows->getText(1), rows->getInt(2), rows->getText(3), rows->getText(4),
                             rows->getText(5), rows->getInt(6), rows->getText(7)});
    }
}

// Whether the row is the one its entry recorded (an entry from before the digest: the fields it names).
Result<bool> decisionHolds(store::Store& store, const StoredDecision& row, const audit::AuditEntry& entry) {
    const nlohmann::json details = nlohmann::json::parse(entry.detailsJson, nullptr, false);
    if (!details.is_object()) return false;
    if (!details.contains(kRowDigest))
        return entry.userId == row.decidedBy && details.value("item_kind", "") == row.kind &&
               details.value("item_id", std::int64_t(0)) == row.itemId && details.value("decision", "") == row.decision &&
               details.value("reason", "") == row.reason && details.value("keep_until", "") == row.keepUntil;
    auto digest = decisionDigest(store, row.id);
    if (!digest) return digest.error();
    return details.value(kRowDigest, "") == *digest;
}

Error invalid(const std::string& message) { return makeError(ErrorCode::InvalidArgument, message); }

// Keep: a calendar day after today; purge: no day at all.
Result<void> checkKeepUntil(const RetentionDecisionRequest& request, TimePoint now) {
    if (request.decision == RetentionDecisionKind::Purge) {
        if (!request.keepUntil.empty()) return invalid("A purge decision takes no keep-until date.");
        return {};
    }
    static const std::regex kDay(R"(\d{4}-\d{2}-\d{2})");
    TimePoint day;
    if (!std::regex_match(request.keepUntil, kDay) || !fromIsoUtc(request.keepUntil + "T00:00:00Z", day) ||
        today(day) != request.keepUntil)
        return invalid("Keeping an expired record needs the day it comes up for review again, as YYYY-MM-DD "
                       "(SOP 302.02 VI.B.6: kept under the agency's records schedule, reviewed again).");
    if (request.keepUntil <= today(now))
        return invalid("The keep-until day " + request.keepUntil + " must be after today (" + today(now) + ").");
    return {};
}

}  // namespace

Result<std::vector<std::string>> editedRetentionDecisions(store::Store& store, const audit::AccountLedger& ledger) {
    auto rows = storedDecisions(store);
    if (!rows) return rows.error();
    auto signedOnes = audit::firstEntriesSignedByRole(store, ledger, kDecided, "retention_decision",
                                                   workflow::roleName(workflow::Role::ProgramAdministrator));
    if (!signedOnes) return signedOnes.error();
    std::vector<std::string> problems;
    std::set<std::int64_t> stored;
    for (const StoredDecision& row : *rows) {
        stored.insert(row.id);
        const std::string label = "Retention decision " + std::to_string(row.id) + " (" + row.decision + " " +
                                  row.kind + " " + std::to_string(row.itemId) + ", by " + row.decidedByName + ")";
        const auto found = signedOnes->find(row.id);
        if (found == signedOnes->end()) {
            problems.push_back(label + " was edited outside FaceLead: no program administrator's signed entry "
                                       "recorded it.");
            continue;
        }
        auto holds = decisionHolds(store, row, found->second);
        if (!holds) return holds.error();
        if (!*holds)
            problems.push_back(label + " was edited outside FaceLead: it no longer matches the signed entry (audit "
                                       "entry " + std::to_string(found->second.seq) + ").");
    }
    for (const auto& [id, entry] : *signedOnes)
        if (!stored.contains(id))
            problems.push_back("Retention decision " + std::to_string(id) + " (audit entry " +
                               std::to_string(entry.seq) + ") is gone from the store: it was deleted outside FaceLead.");
    return problems;
}

std::string_view retentionItemKindName(RetentionItemKind kind) { return nameIn(kItemKinds, kind); }
std::optional<RetentionItemKind> retentionItemKindFromName(std::string_view name) { return valueIn(kItemKinds, name); }
std::string_view retentionDecisionName(RetentionDecisionKind kind) { return nameIn(kDecisions, kind); }
std::optional<RetentionDecisionKind> retentionDecisionFromName(std::string_view name) { return valueIn(kDecisions, name); }

Result<RetentionReview> reviewRetention(accounts::Session& session) {
    return accounts::refusalsAudited(session, "retention.review", [&]() -> Result<RetentionReview> {
        FACELEAD_TRY(accounts::authorize(session, workflow::Action::ProduceReport));
        auto& store = session.store();
        auto settings = admin::loadSettings(store);
        if (!settings) return settings.error();
        const auto pack = admin::policySettings(*settings).pack;
        const TimePoint now = store.now();
        // Decisions shown only as a program administrator signed them (trial 22A F9).
        auto edited = editedRetentionDecisions(store, session.ledger());
        if (!edited) return edited.error();
        if (!edited->empty())
            return makeError(ErrorCode::AuditChainBroken,
                             edited->front() + " The retention review was not produced; a program administrator "
                                               "must look first (audit verify).");
        RetentionReview review{pack.name(), pack.retentionCitation, pack.probeRetentionDays,
                               pack.searchRecordRetentionDays, {}, {}};
        auto probes = olderThan(store, kProbes, pack.probeRetentionDays, now);
        if (!probes) return probes.error();
        review.probes = std::move(*probes);
        auto searches = olderThan(store, kSearches, pack.searchRecordRetentionDays, now);
        if (!searches) return searches.error();
        review.searches = std::move(*searches);
        auto decisions = latestDecisions(store);
        if (!decisions) return decisions.error();
        attachDecisions(review.probes, RetentionItemKind::Probe, *decisions, today(now));
        attachDecisions(review.searches, RetentionItemKind::Search, *decisions, today(now));
        FACELEAD_TRY(store.transact([&](store::Transaction& tx) {
            return audit::AuditLog::append(
                tx, {session.userId(), "retention.reviewed", "retention", "",
                     nlohmann::json{{"pack", pack.id}, {"probes_due", review.probes.size()},
                                    {"searches_due", review.searches.size()}}.dump()});
        }));
        return review;
    });
}

Result<RetentionDecision> decideRetention(accounts::Session& session, const RetentionDecisionRequest& request) {
    return accounts::refusalsAudited(session, "retention.decide", [&]() -> Result<RetentionDecision> {
        auto user = accounts::authorize(session, workflow::Action::DecideRetention);
        if (!user) return user.error();
        const std::string kind(retentionItemKindName(request.kind));
        auto reason = text::acceptReason("the retention decision on " + kind + " " + std::to_string(request.itemId),
                                         request.reason);
        if (!reason) return reason.error();
        auto settings = admin::loadSettings(session.store());
        if (!settings) return settings.error();
        const auto pack = admin::policySettings(*settings).pack;
        return session.store().transact([&](store::Transaction& tx) -> Result<RetentionDecision> {
            const TimePoint now = tx.now();
            FACELEAD_TRY(checkKeepUntil(request, now));
            const ItemQuery& query = queryFor(request.kind);
            auto found = readItems(tx, std::string(query.select) + " AND " + query.id + " = ?", request.itemId, now);
            if (!found) return found.error();
            if (found->empty())
                return makeError(ErrorCode::NotFound, "There is no " + std::string(request.kind == RetentionItemKind::Probe
                                                                                       ? "original probe image "
                                                                                       : "search record ") +
                                                          std::to_string(request.itemId) + ".");
            const int days = periodOf(pack, request.kind);
            if (days == 0 || found->front().at >= toIsoUtc(now - std::chrono::days(days)))
                return makeError(ErrorCode::PolicyViolation,
                                 kind + " " + std::to_string(request.itemId) + " is not past the retention period of the "
                                 "agency's rule pack (" + pack.name() + ": " +
                                     (days == 0 ? std::string("none set") : std::to_string(days) + " days") + ", " +
                                     pack.retentionCitation + "): there is nothing to decide yet.");
            auto insert = tx.prepare(
                "INSERT INTO retention_decisions(item_kind, item_id, decision, reason, keep_until, pack, decided_by, "
                "decided_at) VALUES (?,?,?,?,?,?,?,?)");
            if (!insert) return insert.error();
            const std::string decision(retentionDecisionName(request.decision));
            insert->bind(1, kind).bind(2, request.itemId).bind(3, decision).bind(4, *reason);
            if (request.decision == RetentionDecisionKind::Keep) insert->bind(5, request.keepUntil);
            else insert->bindNull(5);
            FACELEAD_TRY(insert->bind(6, pack.name()).bind(7, user->id).bind(8, toIsoUtc(now)).run());
            const auto decisionId = tx.lastInsertId();
            auto digest = decisionDigest(tx.store(), decisionId);  // the row is held to it (editedRetentionDecisions)
            if (!digest) return digest.error();
            FACELEAD_TRY(audit::AuditLog::append(
                tx, {user->id, kDecided, "retention_decision", std::to_string(decisionId),
                     nlohmann::json{{"item_kind", kind}, {"item_id", request.itemId}, {"decision", decision},
                                    {"keep_until", request.keepUntil}, {"reason", *reason}, {"pack", pack.id},
                                    {"pack_version", pack.version}, {kRowDigest, *digest}}.dump()}));
            auto stored = latestDecisions(tx, " WHERE d.id = ?", decisionId);  // read back as stored
            if (!stored) return stored.error();
            if (stored->empty()) return makeError(ErrorCode::NotFound, "The retention decision just recorded was not read back.");
            return stored->begin()->second;
        });
    });
}

}  // namespace facelead::reports
