#include "core/reports/AuditRequests.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/accounts/AccountService.h"
#include "core/accounts/Authority.h"
#include "core/common/Hash.h"
#include "core/common/Text.h"
#include "core/workflow/Access.h"
#include "core/workflow/SearchRequest.h"

namespace facelead::reports {
namespace {

using nlohmann::json;

constexpr const char* kFiled = "audit_request.filed";
constexpr const char* kCompleted = "audit_request.completed";
constexpr const char* kViewed = "audit_request.result_viewed";
constexpr std::size_t kMinReasonChars = 10;

const char* kindName(AuditScopeKind kind) {
    switch (kind) {
    case AuditScopeKind::User: return "user";
    case AuditScopeKind::Case: return "case";
    case AuditScopeKind::Period: return "period";
    }
    return "period";
}

AuditScopeKind kindFromName(const std::string& name) {
    if (name == "user") return AuditScopeKind::User;
    if (name == "case") return AuditScopeKind::Case;
    return AuditScopeKind::Period;
}

json scopeToJson(const AuditScope& scope) {
    json j{{"kind", kindName(scope.kind)}};
    if (scope.userId) j["user_id"] = *scope.userId;
    if (scope.caseId) j["case_id"] = *scope.caseId;
    if (scope.from) j["from"] = toIsoUtc(*scope.from);
    if (scope.to) j["to"] = toIsoUtc(*scope.to);
    return j;
}

AuditScope scopeFromJson(const json& j) {
    AuditScope scope;
    scope.kind = kindFromName(j.value("kind", "period"));
    if (j.contains("user_id")) scope.userId = j["user_id"].get<std::int64_t>();
    if (j.contains("case_id")) scope.caseId = j["case_id"].get<std::int64_t>();
    TimePoint t;
    if (j.contains("from") && fromIsoUtc(j["from"].get<std::string>(), t)) scope.from = t;
    if (j.contains("to") && fromIsoUtc(j["to"].get<std::string>(), t)) scope.to = t;
    return scope;
}

json parseDetails(const std::string& text) {
    auto parsed = json::parse(text, nullptr, false);
    return parsed.is_object() ? parsed : json::object();
}

Result<bool> rowExists(store::Store& store, const char* sql, std::int64_t id) {
    auto st = store.prepare(sql);
    if (!st) return st.error();
    st->bind(1, id);
    return st->step();
}

Result<std::set<std::string>> idsOf(store::Store& store, const char* sql, std::int64_t caseId) {
    auto st = store.prepare(sql);
    if (!st) return st.error();
    st->bind(1, caseId);
    std::set<std::string> ids;
    for (;;) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        ids.insert(std::to_string(st->getInt(0)));
    }
    return ids;
}

std::vector<audit::AuditEntry> upTo(std::vector<audit::AuditEntry> entries, std::int64_t upToSeq) {
    if (upToSeq > 0)
        entries.erase(std::remove_if(entries.begin(), entries.end(),
                                     [&](const audit::AuditEntry& e) { return e.seq > upToSeq; }),
                      entries.end());
    return entries;
}

bool inPeriod(const audit::AuditEntry& e, const AuditScope& scope) {
    TimePoint at;
    if (!fromIsoUtc(e.at, at)) return true;
    return (!scope.from || at >= *scope.from) && (!scope.to || at < *scope.to);
}

std::string resultCsv(const std::vector<audit::AuditEntry>& entries) {
    std::ostringstream out;
    writeCsv(out, auditTable(entries));
    return out.str();
}

Result<std::int64_t> lastSeq(store::Store& store) {
    auto st = store.prepare("SELECT coalesce(max(seq), 0) FROM audit_log");
    if (!st) return st.error();
    auto row = st->step();
    if (!row) return row.error();
    return st->getInt(0);
}

}  // namespace

std::string describe(const AuditScope& scope) {
    std::string text;
    switch (scope.kind) {
    case AuditScopeKind::User: text = "User #" + std::to_string(scope.userId.value_or(0)); break;
    case AuditScopeKind::Case: text = "Case #" + std::to_string(scope.caseId.value_or(0)); break;
    case AuditScopeKind::Period: text = "All activity"; break;
    }
    if (scope.from) text += " from " + toIsoUtc(*scope.from);
    if (scope.to) text += " until " + toIsoUtc(*scope.to);
    return text;
}

Result<std::vector<audit::AuditEntry>> caseAuditEntries(store::Store& store, std::int64_t caseId,
                                                        std::int64_t upToSeq) {
    // The objects that belong to the case, by the object types the services audit them under.
    const std::pair<const char*, const char*> kCaseObjects[] = {
        {"image", "SELECT id FROM images WHERE case_id = ?"},
        {"search_request", "SELECT id FROM search_requests WHERE case_id = ?"},
        {"search", "SELECT s.id FROM searches s JOIN search_requests r ON r.id = s.request_id WHERE r.case_id = ?"},
        {"lead", "SELECT l.id FROM leads l JOIN candidates c ON c.id = l.candidate_id JOIN searches s ON "
                 "s.id = c.search_id JOIN search_requests r ON r.id = s.request_id WHERE r.case_id = ?"},
    };
    std::map<std::string, std::set<std::string>> owned;
    owned["case"].insert(std::to_string(caseId));
    for (const auto& [type, sql] : kCaseObjects) {
        auto ids = idsOf(store, sql, caseId);
        if (!ids) return ids.error();
        owned[type] = std::move(*ids);
    }
    auto all = audit::AuditLog::list(store);
    if (!all) return all.error();
    std::vector<audit::AuditEntry> entries;
    for (auto& e : *all) {
        if (upToSeq > 0 && e.seq > upToSeq) break;
        const auto it = owned.find(e.objectType);
        bool belongs = it != owned.end() && it->second.count(e.objectId) > 0;
        if (!belongs && e.detailsJson.find("case_id") != std::string::npos) {
            const auto details = parseDetails(e.detailsJson);
            const auto id = details.find("case_id");
            belongs = id != details.end() && id->is_number_integer() && id->get<std::int64_t>() == caseId;
        }
        if (belongs) entries.push_back(std::move(e));
    }
    return entries;
}

Result<std::vector<audit::AuditEntry>> scopeEntries(store::Store& store, const AuditScope& scope,
                                                    std::int64_t upToSeq) {
    std::vector<audit::AuditEntry> entries;
    switch (scope.kind) {
    case AuditScopeKind::Case: {
        auto found = caseAuditEntries(store, scope.caseId.value_or(0), upToSeq);
        if (!found) return found.error();
        entries = std::move(*found);
        break;
    }
    case AuditScopeKind::User: {
        // What the user did, and what was done to their account.
        audit::AuditFilter byActor;
        byActor.userId = scope.userId;
        audit::AuditFilter onAccount;
        onAccount.objectType = "user";
        onAccount.objectId = std::to_string(scope.userId.value_or(0));
        auto acted = audit::AuditLog::list(store, byActor);
        if (!acted) return acted.error();
        auto about = audit::AuditLog::list(store, onAccount);
        if (!about) return about.error();
        std::map<std::int64_t, audit::AuditEntry> merged;
        for (auto& e : *acted) merged.emplace(e.seq, std::move(e));
        for (auto& e : *about) merged.emplace(e.seq, std::move(e));
        for (auto& [seq, e] : merged) entries.push_back(std::move(e));
        break;
    }
    case AuditScopeKind::Period: {
        audit::AuditFilter filter;
        filter.from = scope.from;
        filter.to = scope.to;
        auto found = audit::AuditLog::list(store, filter);
        if (!found) return found.error();
        entries = std::move(*found);
        break;
    }
    }
    entries = upTo(std::move(entries), upToSeq);
    entries.erase(std::remove_if(entries.begin(), entries.end(),
                                 [&](const audit::AuditEntry& e) { return !inPeriod(e, scope); }),
                  entries.end());
    return entries;
}

Result<AuditRequest> AuditRequests::file(const AuditRequestInput& input) {
    return accounts::refusalsAudited(session_, "audit_request.file", [&]() -> Result<AuditRequest> {
        FACELEAD_TRY(accounts::authorize(session_, workflow::Action::RequestAudit));
        // Issue 9 item 6: nobody audits their own use; another intel supervisor requests it.
        if (input.scope.kind == AuditScopeKind::User && input.scope.userId == session_.userId())
            return makeError(ErrorCode::PermissionDenied,
                             "An audit of your own use is requested by another intel supervisor (VI.C.2.a).");
        auto& store = session_.store();
        const auto& scope = input.scope;
        auto reason = text::acceptReason("requesting an audit", input.reason);
        if (!reason) return reason.error();
        if (workflow::meaningfulLength(*reason) < kMinReasonChars)
            return makeError(ErrorCode::InvalidArgument,
                             "Give the reason for the audit (at least " + std::to_string(kMinReasonChars) +
                                 " characters), so the program administrator knows what to look for (VI.C.2.a).");
        if (scope.from && scope.to && *scope.from >= *scope.to)
            return makeError(ErrorCode::InvalidArgument, "The audit period must end after it starts.");
        switch (scope.kind) {
        case AuditScopeKind::User: {
            if (!scope.userId) return makeError(ErrorCode::InvalidArgument, "Choose the user to audit.");
            auto user = accounts::loadUser(store, *scope.userId);
            if (!user) return user.error();
            break;
        }
        case AuditScopeKind::Case: {
            if (!scope.caseId) return makeError(ErrorCode::InvalidArgument, "Choose the case to audit.");
            auto exists = rowExists(store, "SELECT 1 FROM cases WHERE id = ?", *scope.caseId);
            if (!exists) return exists.error();
            if (!*exists) return makeError(ErrorCode::NotFound, "There is no case #" + std::to_string(*scope.caseId) + ".");
            break;
        }
        case AuditScopeKind::Period:
            if (!scope.from || !scope.to)
                return makeError(ErrorCode::InvalidArgument, "Give the start and the end of the period to audit.");
            break;
        }
        auto seq = store.transact([&](store::Transaction& tx) {
            return audit::AuditLog::append(
                tx, {session_.userId(), kFiled, "audit_request", "",
                     json{{"scope", scopeToJson(scope)}, {"reason", *reason}}.dump()});
        });
        if (!seq) return seq.error();
        return find(*seq);
    });
}

Result<std::vector<AuditRequest>> AuditRequests::list() {
    audit::AuditFilter filter;
    filter.action = "audit_request.";
    auto entries = audit::AuditLog::list(session_.store(), filter);
    if (!entries) return entries.error();
    std::map<std::int64_t, AuditRequest> requests;
    for (const auto& e : *entries) {
        const auto details = parseDetails(e.detailsJson);
        if (e.action == kFiled) {
            AuditRequest r;
            r.id = e.seq;
            r.filedAt = e.at;
            r.requesterId = e.userId.value_or(0);
            r.requesterName = e.username;
            if (details.contains("scope")) r.scope = scopeFromJson(details["scope"]);
            r.reason = details.value("reason", "");
            requests[r.id] = std::move(r);
        } else if (e.action == kCompleted) {
            const auto it = requests.find(details.value("request_id", std::int64_t{0}));
            if (it == requests.end()) continue;
            auto& r = it->second;
            r.status = AuditRequestStatus::Completed;
            r.completedAt = e.at;
            r.completedByName = e.username;
            r.resultEntryCount = details.value("entry_count", 0);
            r.resultUpToSeq = details.value("up_to_seq", std::int64_t{0});
            r.resultSha256 = details.value("result_sha256", "");
            r.chainIntact = details.value("chain_intact", true);
            r.chainProblem = details.value("chain_problem", "");
        }
    }
    const bool administrator = workflow::mayPerform(session_.user().roles, workflow::Action::RunAudit);
    std::vector<AuditRequest> visible;
    for (auto& [id, r] : requests)
        if (administrator || r.requesterId == session_.userId()) visible.push_back(std::move(r));
    return visible;
}

Result<AuditRequest> AuditRequests::find(std::int64_t requestId) {
    auto all = list();
    if (!all) return all.error();
    for (auto& r : *all)
        if (r.id == requestId) return std::move(r);
    return makeError(ErrorCode::NotFound, "There is no audit request #" + std::to_string(requestId) +
                                              " that you may see.");
}

Result<AuditRequest> AuditRequests::run(std::int64_t requestId) {
    return accounts::refusalsAudited(session_, "audit_request.run", [&]() -> Result<AuditRequest> {
        FACELEAD_TRY(accounts::authorize(session_, workflow::Action::RunAudit));
        auto request = find(requestId);
        if (!request) return request.error();
        // Two persons: whoever filed a request, or is its subject, does not run it (issue 9 item 6).
        if (request->requesterId == session_.userId() ||
            (request->scope.kind == AuditScopeKind::User && request->scope.userId == session_.userId()))
            return makeError(ErrorCode::PermissionDenied,
                             "This audit request concerns you or was filed by you: another program administrator "
                             "runs it (VI.C.2.b).");
        if (request->status == AuditRequestStatus::Completed)
            return makeError(ErrorCode::InvalidTransition, "Audit request #" + std::to_string(requestId) +
                                                               " has already been completed.");
        auto& store = session_.store();
        auto chain = audit::AuditLog::verify(store);
        if (!chain) return chain.error();
        auto done = store.transact([&](store::Transaction& tx) -> Result<void> {
            auto upToSeq = lastSeq(store);
            if (!upToSeq) return upToSeq.error();
            auto entries = scopeEntries(store, request->scope, *upToSeq);
            if (!entries) return entries.error();
            json details{{"request_id", requestId},
                         {"entry_count", entries->size()},
                         {"up_to_seq", *upToSeq},
                         {"result_sha256", sha256Hex(resultCsv(*entries))},
                         {"chain_intact", chain->intact()},
                         {"chain_problem", chain->describe()}};
            auto logged = audit::AuditLog::append(tx, {session_.userId(), kCompleted, "audit_request",
                                                       std::to_string(requestId), details.dump()});
            if (!logged) return logged.error();
            return {};
        });
        if (!done) return done.error();
        return find(requestId);
    });
}

Result<AuditRequestResult> AuditRequests::result(std::int64_t requestId) {
    auto request = find(requestId);  // only the requester's own requests, or any for an administrator
    if (!request) return request.error();
    if (request->status != AuditRequestStatus::Completed)
        return makeError(ErrorCode::InvalidTransition, "Audit request #" + std::to_string(requestId) +
                                                           " has not been run by a program administrator yet.");
    auto& store = session_.store();
    auto entries = scopeEntries(store, request->scope, request->resultUpToSeq);
    if (!entries) return entries.error();
    if (sha256Hex(resultCsv(*entries)) != request->resultSha256)
        return makeError(ErrorCode::IntegrityViolation,
                         "The audit entries of request #" + std::to_string(requestId) +
                             " no longer match the result recorded when it was run. Verify the audit log.");
    auto logged = store.transact([&](store::Transaction& tx) {
        return audit::AuditLog::append(tx, {session_.userId(), kViewed, "audit_request", std::to_string(requestId),
                                            json{{"request_id", requestId}}.dump()});
    });
    if (!logged) return logged.error();
    return AuditRequestResult{std::move(*request), std::move(*entries)};
}

Table auditTable(const std::vector<audit::AuditEntry>& entries) {
    Table t{{"Seq", "Time (UTC)", "User", "Action", "Object", "Details", "Hash"}, {}};
    for (const auto& e : entries)
        t.rows.push_back({std::to_string(e.seq), e.at, e.username, e.action,
                          e.objectType + (e.objectId.empty() ? "" : " #" + e.objectId), e.detailsJson, e.hash});
    return t;
}

namespace {

// A JSON value as words: strings as they are, yes/no, lists joined with commas, objects as "key: value".
std::string plainText(const nlohmann::json& value, std::string_view separator) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
    std::string text;
    if (value.is_array()) {
        for (const auto& item : value) text += (text.empty() ? "" : ", ") + plainText(item, ", ");
        return text;
    }
    if (!value.is_object()) return value.dump();
    for (const auto& [key, item] : value.items()) {
        std::string name = key;
        std::replace(name.begin(), name.end(), '_', ' ');
        text += (text.empty() ? "" : std::string(separator)) + name + ": " + plainText(item, ", ");
    }
    return separator == "; " ? text : "(" + text + ")";
}

}  // namespace

std::string readableDetails(const std::string& detailsJson) {
    auto details = nlohmann::json::parse(detailsJson, nullptr, false);
    if (!details.is_object()) return detailsJson;
    for (auto item = details.begin(); item != details.end();)
        item = audit::AuditLog::isChainBookkeeping(item.key()) ? details.erase(item) : std::next(item);
    return plainText(details, "; ");
}

Table printableAuditTable(const std::vector<audit::AuditEntry>& entries) {
    // The printed form leaves out the hash (the CSV keeps it for re-verification) and shortens details.
    constexpr std::size_t kMaxDetails = 160;
    Table t = auditTable(entries);
    t.columns.pop_back();
    for (auto& row : t.rows) {
        row.pop_back();
        row[5] = readableDetails(row[5]);
        if (row[5].size() > kMaxDetails) {
            std::size_t cut = kMaxDetails;
            while (cut > 0 && (static_cast<unsigned char>(row[5][cut]) & 0xC0) == 0x80) --cut;  // whole characters
            row[5] = row[5].substr(0, cut) + "...";
        }
    }
    return t;
}

namespace {

Fields chainFields(const audit::VerifyReport& chain) {
    return Fields{{{"Chain status", chain.intact() ? "Verified: every entry's hash, link and signature holds"
                                                   : "BROKEN: " + chain.describe()},
                   {"Entries checked", std::to_string(chain.entriesChecked)}}};
}

}  // namespace

ReportDocument auditReport(const std::vector<audit::AuditEntry>& entries, const audit::VerifyReport& chain,
                           const std::string& filterDescription, const std::string& agencyName,
                           const std::string& generatedBy, TimePoint generatedAt) {
    ReportDocument doc;
    doc.title = "Audit log extract";
    doc.agencyName = agencyName;
    doc.generatedBy = generatedBy;
    doc.generatedAt = toIsoUtc(generatedAt);
    doc.sections.push_back({"Scope and chain status (SOP 302.02 VI.C.2, VI.C.3.a)",
                            {Fields{{{"Filter", filterDescription}, {"Entries shown", std::to_string(entries.size())}}},
                             chainFields(chain)}});
    doc.sections.push_back({"Entries", {printableAuditTable(entries)}});
    return doc;
}

ReportDocument auditRequestReport(const AuditRequestResult& result, const std::string& agencyName,
                                  const std::string& generatedBy, TimePoint generatedAt) {
    const auto& r = result.request;
    ReportDocument doc;
    doc.title = "Audit request #" + std::to_string(r.id) + " \u2014 result";
    doc.agencyName = agencyName;
    doc.generatedBy = generatedBy;
    doc.generatedAt = toIsoUtc(generatedAt);
    doc.sections.push_back(
        {"Request (SOP 302.02 VI.C.2.a-b)",
         {Fields{{{"Requested by", r.requesterName},
                  {"Filed", r.filedAt},
                  {"Scope", describe(r.scope)},
                  {"Reason", r.reason},
                  {"Run by", r.completedByName},
                  {"Completed", r.completedAt},
                  {"Entries in result", std::to_string(r.resultEntryCount)},
                  {"Covers audit entries up to", "#" + std::to_string(r.resultUpToSeq)},
                  {"Result SHA-256 (CSV)", r.resultSha256},
                  {"Chain status when run", r.chainIntact ? "Verified" : "BROKEN: " + r.chainProblem}}}}});
    doc.sections.push_back({"Entries", {printableAuditTable(result.entries)}});
    return doc;
}

}  // namespace facelead::reports
