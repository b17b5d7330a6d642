#include "core/cases/detail/SignedRows.h"

#include <algorithm>
#include <functional>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/audit/AuditLog.h"
#include "core/cases/CaseService.h"
#include "core/common/Hash.h"

namespace facelead::cases::detail {
namespace {

// The columns each digest covers: everything written when the row was recorded.
std::string columnsOf(const std::string& table) {
    if (table == kRequestRow)
        return "case_id, purpose_code, justification, prohibited_use_attestation, consent_kind, consent_reason, "
               "consent_purpose, image_source, requested_by, requested_at";
    return "candidate_id, examiner_id, kind, components, conclusion, note, recorded_at";
}

// The row's entry, as recorded by whoever the row names (an intact entry signed with a key the log certified),
// matching `fits`; true when one is found.
Result<bool> signedEntryHolds(accounts::Session& session, const audit::AuditFilter& filter, std::int64_t author,
                              const std::function<bool(const nlohmann::json&)>& fits) {
    auto entries = audit::AuditLog::list(session.store(), filter);
    if (!entries) return entries.error();
    const audit::AccountLedger& ledger = session.ledger();
    return std::any_of(entries->begin(), entries->end(), [&](const audit::AuditEntry& entry) {
        const auto details = nlohmann::json::parse(entry.detailsJson, nullptr, false);
        return details.is_object() && entry.userId == author && fits(details) && signedAsRecorded(ledger, entry);
    });
}

// The digest the entry signed, or (an entry from before digests) the field it named against the row's.
bool matches(const nlohmann::json& details, const std::string& digest, const char* field, const std::string& value) {
    if (details.contains(kRowDigest)) return details.value(kRowDigest, "") == digest;
    return details.value(field, "") == value;
}

Error edited(const std::string& what) {
    return makeError(ErrorCode::AuditChainBroken,
                     what + " was edited outside FaceLead: it no longer matches what the signed audit log recorded. "
                            "Nobody reads or acts on this case here until a program administrator has looked "
                            "(audit verify).");
}

struct RowFacts {
    std::int64_t id = 0;
    std::int64_t author = 0;
    std::string key;     // the field an older entry names: purpose, or conclusion
    std::string object;  // the entry's object id: the request, or the candidate examined
    std::string action;  // the entry's action
};

Result<std::vector<RowFacts>> rowsOfCase(store::Store& store, std::int64_t caseId) {
    std::vector<RowFacts> rows;
    const auto read = [&](const std::string& sql, bool requests) -> Result<void> {
        auto statement = store.prepare(sql);
        if (!statement) return statement.error();
        statement->bind(1, caseId);
        while (true) {
            auto row = statement->step();
            if (!row) return row.error();
            if (!*row) return {};
            const std::string kind = statement->getText(4);
            rows.push_back({statement->getInt(0), statement->getInt(1), statement->getText(2), statement->getText(3),
                            requests ? "request.submitted"
                                     : (kind == "examination" ? "candidate.examined" : "candidate.verified")});
        }
    };
    FACELEAD_TRY(read("SELECT id, requested_by, purpose_code, id, '' FROM search_requests WHERE case_id = ?", true));
    FACELEAD_TRY(read("SELECT e.id, e.examiner_id, e.conclusion, e.candidate_id, e.kind FROM examinations e "
                      "JOIN candidates c ON c.id = e.candidate_id JOIN searches s ON s.id = c.search_id "
                      "JOIN search_requests r ON r.id = s.request_id WHERE r.case_id = ?",
                      false));
    return rows;
}

}  // namespace

bool signedAsRecorded(const audit::AccountLedger& ledger, const audit::AuditEntry& entry) {
    const bool keyHolds =
        entry.signer.empty() ? !ledger.bornSigned() : ledger.everCertified(entry.signer, entry.signerKey);
    return keyHolds && audit::AuditLog::integrityProblem(entry).empty();
}

Result<std::string> rowDigest(store::Store& store, const std::string& table, std::int64_t id) {
    auto statement = store.prepare("SELECT " + columnsOf(table) + " FROM " + table + " WHERE id = ?");
    if (!statement) return statement.error();
    statement->bind(1, id);
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return makeError(ErrorCode::NotFound, "There is no row " + std::to_string(id) + " in " + table + ".");
    nlohmann::json values = nlohmann::json::array();
    for (int column = 0; column < statement->columnCount(); ++column) {
        const auto text = statement->getOptionalText(column);
        values.push_back(text ? nlohmann::json(*text) : nlohmann::json());
    }
    return sha256Hex(values.dump());
}

Result<void> checkCaseRowsSigned(accounts::Session& session, std::int64_t caseId) {
    auto rows = rowsOfCase(session.store(), caseId);
    if (!rows) return rows.error();
    for (const RowFacts& row : *rows) {
        const bool request = row.action == "request.submitted";
        auto digest = rowDigest(session.store(), request ? kRequestRow : kExaminationRow, row.id);
        if (!digest) return digest.error();
        audit::AuditFilter filter;
        filter.action = row.action;
        filter.objectType = request ? "search_request" : "candidate";
        filter.objectId = row.object;
        auto holds = signedEntryHolds(session, filter, row.author, [&](const nlohmann::json& details) {
            if (!request && details.value("examination_id", std::int64_t(0)) != row.id) return false;
            return matches(details, *digest, request ? "purpose" : "conclusion", row.key);
        });
        if (!holds) return holds.error();
        if (!*holds)
            return edited(request ? "Search request " + std::to_string(row.id)
                                  : "Examination " + std::to_string(row.id) + " of candidate " + row.object);
    }
    return {};
}

}  // namespace facelead::cases::detail

namespace facelead::cases {

Result<std::vector<std::string>> editedCaseRecords(accounts::Session& session) {
    auto cases = session.store().prepare("SELECT id, case_number FROM cases ORDER BY id");
    if (!cases) return cases.error();
    std::vector<std::string> problems;
    while (true) {
        auto row = cases->step();
        if (!row) return row.error();
        if (!*row) return problems;
        auto rows = detail::checkCaseRowsSigned(session, cases->getInt(0));
        if (!rows && rows.error().code != ErrorCode::AuditChainBroken) return rows.error();
        if (!rows) problems.push_back("Case " + cases->getText(1) + ": " + rows.error().message);
    }
}

}  // namespace facelead::cases
