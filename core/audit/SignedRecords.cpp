#include "core/audit/SignedRecords.h"

#include <algorithm>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "core/common/Hash.h"
#include "core/common/Text.h"

namespace facelead::audit {

bool signedAsRecorded(const AccountLedger& ledger, const AuditEntry& entry) {
    // Signed by the person it names: an entry in a colleague's name signed with the insider's own key put a
    // resolution, a verification and an exclusion in the packet as theirs (trial 18A F2).
    // And by its user id too (trial 19A G1: the id a colleague's, the name the insider's own).
    const bool keyHolds = entry.signer.empty()
                              ? !ledger.bornSigned()
                              : entry.signer == entry.username && ledger.everCertified(entry.signer, entry.signerKey);
    return keyHolds && ledger.namesItsUser(entry) && AuditLog::integrityProblem(entry).empty();
}

Result<bool> heldRoleWhen(store::Store& store, const AccountLedger& ledger, const std::string& username,
                          std::int64_t seq, std::string_view role) {
    const auto holds = [&](const std::string& roles) {
        return ("," + roles + ",").find("," + std::string(role) + ",") != std::string::npos;
    };
    auto statement = store.prepare(
        "SELECT details FROM audit_log WHERE seq < ? AND instr(details, '\"accounts_after\"') > 0 "
        "ORDER BY seq DESC LIMIT 1");
    if (!statement) return statement.error();
    statement->bind(1, seq);
    auto row = statement->step();
    if (!row) return row.error();
    if (*row) {  // accounts_after.<username>.roles, or no roles
        nlohmann::json roles = nlohmann::json::parse(statement->getText(0), nullptr, false);
        for (const std::string& key : {std::string("accounts_after"), username, std::string("roles")})
            roles = roles.is_object() && roles.contains(key) ? nlohmann::json(roles[key]) : nlohmann::json();
        return roles.is_string() && holds(roles.get<std::string>());
    }
    const SignedAccount* account = ledger.find(username);
    return account != nullptr && holds(roleList(account->roles));
}

Result<std::map<std::int64_t, AuditEntry>> firstEntriesSignedByRole(store::Store& store, const AccountLedger& ledger,
                                                                    const std::string& action,
                                                                    const std::string& objectType,
                                                                    std::string_view role) {
    auto entries = AuditLog::list(store, {.action = action, .objectType = objectType});
    if (!entries) return entries.error();
    std::map<std::int64_t, AuditEntry> first;
    for (const AuditEntry& entry : *entries) {
        const std::int64_t id = std::strtoll(entry.objectId.c_str(), nullptr, 10);
        if (first.contains(id) || !signedAsRecorded(ledger, entry)) continue;
        auto held = heldRoleWhen(store, ledger, entry.username, entry.seq, role);
        if (!held) return held.error();
        if (*held) first.emplace(id, entry);
    }
    return first;
}

namespace {

// A cell as nlohmann::json's dump writes it (null, or the string escaped with invalid UTF-8 replaced): the bytes every
// signed row digest was made of. Text that needs no escaping (hex, ids, times: nearly every cell) is copied as it is;
// any other goes through nlohmann, so the two cannot differ. Escaping a face's 1 024 hex characters one by one was
// 3.5 % of enrolling 100 000 faces (issue 8, docs/PERFORMANCE.md).
void appendJsonCell(std::string& out, const std::optional<std::string>& text) {
    if (!text) {
        out += "null";
        return;
    }
    const bool plain = std::ranges::all_of(*text, [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte >= 0x20 && byte < 0x80 && c != '"' && c != '\\';
    });
    if (!plain) {
        out += nlohmann::json(*text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
    }
    out += '"';
    out += *text;
    out += '"';
}

}  // namespace

Result<RowDigests> RowDigests::prepare(store::Store& store, const std::string& table, const std::string& columns) {
    auto statement = store.prepare("SELECT " + columns + " FROM " + table + " WHERE id = ?");
    if (!statement) return statement.error();
    return RowDigests(std::move(*statement), table);
}

Result<std::string> RowDigests::of(std::int64_t id) {
    statement_.reset();
    statement_.bind(1, id);
    auto row = statement_.step();
    if (!row) return row.error();
    if (!*row) return makeError(ErrorCode::NotFound, "There is no row " + std::to_string(id) + " in " + table_ + ".");
    // The cells as a compact JSON array. Text read back is the desktop user's to corrupt: invalid UTF-8 is replaced
    // (the digest then differs from the signed one) rather than thrown through every reader (trial 23A F10).
    std::string values = "[";
    for (int column = 0; column < statement_.columnCount(); ++column) {
        if (column > 0) values += ',';
        appendJsonCell(values, statement_.getOptionalText(column));
    }
    values += ']';
    statement_.reset();  // a statement left on its row holds the connection's read snapshot open
    return sha256Hex(values);
}

Result<std::string> rowDigest(store::Store& store, const std::string& table, const std::string& columns,
                              std::int64_t id) {
    auto digests = RowDigests::prepare(store, table, columns);
    if (!digests) return digests.error();
    return digests->of(id);
}

namespace {

std::string userText(const std::optional<std::int64_t>& id) { return id ? "user #" + std::to_string(*id) : "nobody"; }

std::optional<std::int64_t> optionalId(const nlohmann::json& value) {
    return value.is_number_integer() ? std::optional(value.get<std::int64_t>()) : std::nullopt;
}

}  // namespace

std::string caseCreationDisagreement(const StoredCase& row, const AuditEntry& created) {
    const auto parsed = nlohmann::json::parse(created.detailsJson, nullptr, false);
    const nlohmann::json details = parsed.is_object() ? parsed : nlohmann::json::object();
    const auto assigned = optionalId(details.value("assigned_officer_id", nlohmann::json()));
    if (row.createdBy != created.userId)
        return "the store names another creator than the signed audit log (" + userText(row.createdBy) + ", not " +
               userText(created.userId) + ")";
    if (row.assignedOfficer != assigned)
        return "the store names another assigned case officer than the signed audit log (" +
               userText(row.assignedOfficer) + ", not " + userText(assigned) + ")";
    // The row's text goes into messages, refusal entries and terminals: escaped, as an insider wrote it (trial 23A
    // F10: invalid UTF-8 and an escape sequence in the status).
    if (row.status != kCaseStatus)
        return "the store gives it the status \"" + text::forTerminal(row.status) +
               "\", which FaceLead never writes (a case stays " + kCaseStatus + ")";
    const std::string number = details.value("case_number", row.caseNumber);
    const std::string offence = details.value("offence", row.offence);
    if (number != row.caseNumber || offence != row.offence)
        return "the store names another case number or offence than the signed audit log (case " +
               text::forTerminal(row.caseNumber) + " for \"" + text::forTerminal(row.offence) + "\", not case " +
               number + " for \"" + offence + "\")";
    return {};
}

}  // namespace facelead::audit
