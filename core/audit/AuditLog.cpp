#include "core/audit/AuditLog.h"

#include <sodium.h>

#include <nlohmann/json.hpp>
#include <algorithm>
#include <ostream>
#include <set>

#include "core/audit/AccountLedger.h"
#include "core/audit/detail/Entries.h"
#include "core/common/Hash.h"

namespace facelead::audit {

AuditEntry detail::readEntry(const store::Statement& row) {
    AuditEntry entry;
    entry.seq = row.getInt(0);
    entry.at = row.getText(1);
    entry.userId = row.getOptionalInt(2);
    entry.username = row.getText(3);
    entry.action = row.getText(4);
    entry.objectType = row.getText(5);
    entry.objectId = row.getText(6);
    entry.detailsJson = row.getText(7);
    entry.prevHash = row.getText(8);
    entry.hash = row.getText(9);
    entry.signer = row.getText(10);
    entry.signerKey = row.getText(11);
    entry.signature = row.getText(12);
    return entry;
}

namespace {

const std::set<std::string, std::less<>> kAccountEntries = {
    "user.created",     "user.roles_changed", "user.approved",          "user.deactivated",
    "user.deactivated_inactive", "user.suspended", "user.reactivated", AuditLog::kKeyCertified,
    AuditLog::kAnchorsAcknowledged, detail::kTrainingRecorded, detail::kTrainerModeDeclared,
    detail::kTableRestored, AuditLog::kAccountsReaffirmed, detail::kKeyApproved};

}  // namespace

bool detail::isAccountEntry(std::string_view action) { return kAccountEntries.count(action) > 0; }

bool detail::namesPreviousAccountEntry(std::string_view action) {
    return isAccountEntry(action) || action == kSignedIn;
}

bool AuditLog::isChainBookkeeping(std::string_view detailKey) {
    return detailKey == detail::kPreviousAccountEntry || detailKey == detail::kAccountsAfter;
}

std::string detail::accountEntriesCondition() {
    std::string actions;
    for (const auto& action : kAccountEntries) actions += (actions.empty() ? "'" : ", '") + action + "'";
    return "(seq = 1 OR action IN (" + actions + "))";
}

namespace {

// The link an account entry signs to the account entry before it (detail::kPreviousAccountEntry); null for
// the chain's first entry.
Result<nlohmann::json> previousAccountEntry(store::Transaction& tx) {
    auto last = tx.prepare("SELECT seq, hash FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log WHERE " +
                           detail::accountEntriesCondition() + ")");
    if (!last) return last.error();
    auto row = last->step();
    if (!row) return row.error();
    if (!*row) return nlohmann::json();
    return nlohmann::json{{"seq", last->getInt(0)}, {"hash", last->getText(1)}};
}

struct AccountsAfter {
    nlohmann::json signedState;    // what the entry signs (detail::kAccountsAfter)
    nlohmann::json anchoredState;  // what its head anchors (AnchoredHead::accounts): the same with each certified key
};

// What the new account entry signs as every account's state after it (detail::kAccountsAfter): the log's replay up to
// now, with the entry applied as a later replay will apply it. Its head anchors each account's key as well, so that
// a password reset or change lost with a rollback is known (AccountLedger::keysReplacedByAnchor).
Result<AccountsAfter> accountsAfter(store::Transaction& tx, const AuditEntry& entry, const nlohmann::json& details) {
    AccountLedger ledger;
    FACELEAD_TRY(ledger.catchUp(tx.store()));
    AccountsAfter after{ledger.accountsAfter(entry, details), {}};
    after.anchoredState = after.signedState;
    for (const auto& [name, account] : ledger.accounts())
        if (after.anchoredState.contains(name) && !account.publicKey.empty())
            after.anchoredState[name]["public_key"] = account.publicKey;
    return after;
}

// What a settings change's head anchors (AnchoredHead::settings): the signed settings with the entry applied.
Result<std::string> settingsAfter(store::Transaction& tx, const AuditEntry& entry, const nlohmann::json& details) {
    AccountLedger ledger;
    FACELEAD_TRY(ledger.catchUp(tx.store()));
    return ledger.settingsAfter(entry, details).dump();
}

Result<std::string> usernameOf(store::Transaction& tx, std::int64_t userId) {
    auto statement = tx.prepare("SELECT username FROM users WHERE id = ?");
    if (!statement) return statement.error();
    statement->bind(1, userId);
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row)
        return makeError(ErrorCode::NotFound, "The audit log names a user (" + std::to_string(userId) +
                                                  ") that does not exist.");
    return statement->getText(0);
}

std::string csvField(std::string value) {
    // A spreadsheet would run a cell starting with = + - @ as a formula (a typed sign-in name can be
    // anything): such cells get a leading apostrophe. The JSON export keeps every byte for re-verification.
    if (!value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos)
        value.insert(0, 1, '\'');
    if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
    std::string quoted = "\"";
    for (const char c : value) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

nlohmann::json entryToJson(const AuditEntry& entry) {
    auto details = nlohmann::json::parse(entry.detailsJson, nullptr, false);
    return {{"seq", entry.seq},
            {"at", entry.at},
            {"user_id", entry.userId ? nlohmann::json(*entry.userId) : nlohmann::json()},
            {"username", entry.username},
            {"action", entry.action},
            {"object_type", entry.objectType},
            {"object_id", entry.objectId},
            {"details", details.is_discarded() ? nlohmann::json(entry.detailsJson) : details},
            {"signer", entry.signer},
            {"signer_key", entry.signerKey},
            {"signature", entry.signature},
            {"prev_hash", entry.prevHash},
            {"hash", entry.hash}};
}

}  // namespace

std::string AuditLog::computeHash(const AuditEntry& entry) {
    // The canonical entry: a compact JSON array of the fields in a fixed order (details in the canonical
    // form it is stored in), so the rule is easy to reproduce with any JSON library.
    nlohmann::json canonical = {
        entry.seq,      entry.at,         entry.userId ? nlohmann::json(*entry.userId) : nlohmann::json(),
        entry.username, entry.action,     entry.objectType,
        entry.objectId, entry.detailsJson};
    if (!entry.signer.empty()) {  // entries from before signatures keep their original hash
        canonical.push_back(entry.signer);
        canonical.push_back(entry.signerKey);
    }
    return sha256Hex(entry.prevHash + canonical.dump());
}

namespace {

bool signatureHolds(const AuditEntry& entry) {
    std::vector<std::uint8_t> key;
    std::vector<std::uint8_t> signature;
    if (!fromHex(entry.signerKey, key) || key.size() != crypto_sign_PUBLICKEYBYTES) return false;
    if (!fromHex(entry.signature, signature) || signature.size() != crypto_sign_BYTES) return false;
    const std::string message = AuditLog::kSignaturePrefix + entry.hash;
    return crypto_sign_verify_detached(signature.data(), reinterpret_cast<const unsigned char*>(message.data()),
                                       message.size(), key.data()) == 0;
}

}  // namespace

namespace {

// What a session opened before a password reset or a deactivation would still sign, refused (AccountNotActive):
// - a key that a reset or change replaced signs nothing more: a session opened with it just before the reset (a
//   sign-in under way, a workstation left open) wrote entries that `audit verify` rightly called signed with a key
//   that is not the signer's certified key (trial 42 F1). The latest certification naming the signer decides, as it
//   does in verify; a signer never certified by a "key.certified" entry (the founder's key declared by
//   "store.created", a slot from before signatures declaring its own) is not held here.
// - a deactivated account signs nothing (verify calls it tampering: trial 61 F4), but its open session still reads
//   the store between the deactivation and the key rotation that follows it: what it writes then (its own forced
//   sign-out, found by a GUI test in CI) waits in the key file instead, like a refused sign-in
//   (accounts::recordSessionEvent). A deactivation is final, so it always comes after the account's last certification.
// Read from the signed log as FaceLead obeys it, never from the users table or an entry's say-so, which an insider
// could write to lock an administrator out (a deactivation he signed without the authority: the replay, run only
// when such an entry names the signer, decides).
bool deactivatedAsObeyed(store::Transaction& tx, const std::string& signer) {
    AccountLedger ledger;
    if (!ledger.catchUp(tx.store())) return false;  // a log that cannot be replayed refuses elsewhere, not here
    const SignedAccount* account = ledger.find(signer);
    return account != nullptr && account->status == "deactivated";
}

Result<void> signerMayStillRecord(store::Transaction& tx, const std::string& signer, const std::string& key) {
    auto decisive = tx.prepare("SELECT seq, action, details FROM audit_log WHERE action IN (?, 'user.deactivated', "
                               "'user.deactivated_inactive') ORDER BY seq DESC");
    if (!decisive) return decisive.error();
    decisive->bind(1, std::string(AuditLog::kKeyCertified));
    std::optional<bool> deactivated;  // replayed once, at the first deactivation entry naming the signer
    while (true) {
        auto row = decisive->step();
        if (!row) return row.error();
        if (!*row) return {};
        const auto details = nlohmann::json::parse(decisive->getText(2), nullptr, false);
        if (!details.is_object() || details.value("username", "") != signer) continue;
        const std::string at = std::to_string(decisive->getInt(0));
        if (decisive->getText(1) != AuditLog::kKeyCertified) {
            if (!deactivated) deactivated = deactivatedAsObeyed(tx, signer);
            if (!*deactivated) continue;
            return makeError(ErrorCode::AccountNotActive, "The account " + signer + " was deactivated at audit entry " +
                                                              at + ": nothing more is recorded in its name. Nothing "
                                                              "was changed.");
        }
        if (details.value("public_key", "") == key) return {};
        return makeError(ErrorCode::AccountNotActive,
                         "The signing key of " + signer + " was replaced at audit entry " + at +
                             " (its password was changed or reset): nothing more is recorded with the old one. Sign "
                             "in again with the new password. Nothing was changed.");
    }
}

}  // namespace

// The hash is recomputed (verify also checks the link between entries): an entry edited in place keeps its old
// signature, which then covers a different hash.
std::string AuditLog::integrityProblem(const AuditEntry& entry) {
    if (computeHash(entry) != entry.hash) return "its contents do not match its hash (the entry was changed)";
    if (!entry.signer.empty() && !signatureHolds(entry))
        return "its signature does not match its contents (it was changed, or the chain was re-hashed, after " +
               entry.signer + " signed it)";
    return {};
}

Result<std::int64_t> AuditLog::append(store::Transaction& tx, const AuditEntryInput& input) {
    if (input.action.empty()) return makeError(ErrorCode::InvalidArgument, "An audit event needs an action.");
    auto details = nlohmann::json::parse(input.detailsJson.empty() ? "{}" : input.detailsJson, nullptr, false);
    if (details.is_discarded() || !details.is_object())
        return makeError(ErrorCode::InvalidArgument,
                         "The details of audit event '" + input.action + "' are not a JSON object.");
    if (detail::namesPreviousAccountEntry(input.action)) {
        auto previous = previousAccountEntry(tx);
        if (!previous) return previous.error();
        if (!previous->is_null()) details[detail::kPreviousAccountEntry] = std::move(*previous);
    }

    AuditEntry entry;
    entry.userId = input.userId;
    if (input.username) {
        entry.username = *input.username;
    } else if (input.userId) {
        auto name = usernameOf(tx, *input.userId);
        if (!name) return name.error();
        entry.username = std::move(*name);
    } else {
        entry.username = "system";
    }
    entry.action = input.action;
    entry.objectType = input.objectType;
    entry.objectId = input.objectId;
    auto last = tx.prepare("SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (!last) return last.error();
    auto row = last->step();
    if (!row) return row.error();
    entry.seq = *row ? last->getInt(0) + 1 : 1;
    entry.prevHash = *row ? last->getText(1) : std::string(kGenesisHash);
    entry.at = toIsoUtc(tx.now());
    // An event that happened before the store could be written is dated when it happened, but never before the
    // entry before it: time runs forward along the chain (ChainVerifier), and a queued event is not evidence of
    // its own time (trial 22A F3: a "failed sign-in" queued in a colleague's name, dated before the entry before).
    if (input.at) entry.at = std::max(toIsoUtc(*input.at), *row ? last->getText(2) : std::string());
    entry.signer = tx.store().signerName();
    entry.signerKey = tx.store().signerPublicKey();
    FACELEAD_TRY(signerMayStillRecord(tx, entry.signer, entry.signerKey));
    std::string anchoredAccounts;
    if (detail::isAccountEntry(input.action)) {
        auto after = accountsAfter(tx, entry, details);
        if (!after) return after.error();
        details[detail::kAccountsAfter] = after->signedState;
        anchoredAccounts = after->anchoredState.dump();
    }
    entry.detailsJson = details.dump();  // canonical: compact, keys sorted
    std::string anchoredSettings;
    if (input.action == AccountLedger::kSettingsChanged) {
        auto after = settingsAfter(tx, entry, details);
        if (!after) return after.error();
        anchoredSettings = std::move(*after);
    }
    entry.hash = computeHash(entry);
    entry.signature = tx.store().sign(kSignaturePrefix + entry.hash);
    if (entry.signature.empty())
        return makeError(ErrorCode::Internal,
                         "The store was opened without a signing key; nothing was recorded.");

    auto insert = tx.prepare(
        "INSERT INTO audit_log(seq, at, user_id, username, action, object_type, object_id, details, "
        "prev_hash, hash, "
        "signer, signer_key, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return insert.error();
    FACELEAD_TRY(insert->bind(1, entry.seq)
                     .bind(2, entry.at)
                     .bind(3, entry.userId)
                     .bind(4, entry.username)
                     .bind(5, entry.action)
                     .bind(6, entry.objectType)
                     .bind(7, entry.objectId)
                     .bind(8, entry.detailsJson)
                     .bind(9, entry.prevHash)
                     .bind(10, entry.hash)
                     .bind(11, entry.signer)
                     .bind(12, entry.signerKey)
                     .bind(13, entry.signature)
                     .run());
    tx.store().noteAuditHead(entry.seq, entry.hash, entry.prevHash, entry.at, std::move(anchoredAccounts),
                             std::move(anchoredSettings));
    return entry.seq;
}

Result<std::int64_t> AuditLog::lastChange(store::Store& store) {
    // Newest first: the walk stops at the first change, past only the readings written since.
    auto statement = store.prepare(
        "SELECT seq FROM audit_log WHERE action NOT LIKE '%viewed' AND action NOT IN ('access.refused', "
        "'audit.exported', 'audit.verified', 'case.disclosed', 'case.report_generated', 'gallery.duplicates_checked', "
        "'gallery.listed', 'store.checked') ORDER BY seq DESC LIMIT 1");
    if (!statement) return statement.error();
    auto row = statement->step();
    if (!row) return row.error();
    return *row ? statement->getInt(0) : std::int64_t{0};
}

Result<std::vector<AuditEntry>> AuditLog::list(store::Store& store, const AuditFilter& filter) {
    std::string sql = std::string("SELECT ") + detail::kColumns + " FROM audit_log WHERE seq > ?";
    if (filter.userId) sql += " AND user_id = ?";
    const bool actionPrefix = filter.action && !filter.action->empty() && filter.action->back() == '.';
    if (filter.action) sql += actionPrefix ? " AND substr(action, 1, ?) = ?" : " AND action = ?";
    if (filter.objectType) sql += " AND object_type = ?";
    if (filter.objectId) sql += " AND object_id = ?";
    if (filter.from) sql += " AND at >= ?";  // toIsoUtc text sorts like time
    if (filter.to) sql += " AND at < ?";
    sql += " ORDER BY seq";
    if (filter.limit > 0) sql += " LIMIT ?";

    auto statement = store.prepare(sql);
    if (!statement) return statement.error();
    int index = 1;
    statement->bind(index++, filter.afterSeq);
    if (filter.userId) statement->bind(index++, *filter.userId);
    if (filter.action) {
        if (actionPrefix) statement->bind(index++, static_cast<std::int64_t>(filter.action->size()));
        statement->bind(index++, *filter.action);
    }
    if (filter.objectType) statement->bind(index++, *filter.objectType);
    if (filter.objectId) statement->bind(index++, *filter.objectId);
    if (filter.from) statement->bind(index++, toIsoUtc(*filter.from));
    if (filter.to) statement->bind(index++, toIsoUtc(*filter.to));
    if (filter.limit > 0) statement->bind(index++, filter.limit);

    std::vector<AuditEntry> entries;
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        entries.push_back(detail::readEntry(*statement));
    }
    return entries;
}

Result<void> AuditLog::exportTo(store::Store& store, ExportFormat format, std::ostream& out, const AuditFilter& filter) {
    auto entries = list(store, filter);
    if (!entries) return entries.error();
    if (format == ExportFormat::Json) {
        nlohmann::json document = {{"format", "facelead-audit-export"},
                                   {"version", 1},
                                   {"hash_rule",
                                    "hash = SHA-256(prev_hash || JSON [seq, at, user_id, username, "
                                    "action, object_type, object_id, details(, signer, signer_key)])"},
                                   {"signature_rule", "Ed25519(signer_key, 'facelead-audit-v1:' || hash)"},
                                   {"entries", nlohmann::json::array()}};
        for (const auto& entry : *entries) document["entries"].push_back(entryToJson(entry));
        out << document.dump(2) << '\n';
    } else {
        out << "seq,at,user_id,username,action,object_type,object_id,details,signer,signer_key,signature,"
               "prev_hash,"
               "hash\r\n";
        for (const auto& entry : *entries) {
            out << entry.seq << ',' << entry.at << ',' << (entry.userId ? std::to_string(*entry.userId) : "")
                << ',' << csvField(entry.username) << ',' << csvField(entry.action) << ','
                << csvField(entry.objectType) << ',' << csvField(entry.objectId) << ','
                << csvField(entry.detailsJson) << ',' << csvField(entry.signer) << ',' << entry.signerKey
                << ',' << entry.signature << ',' << entry.prevHash << ',' << entry.hash << "\r\n";
        }
    }
    out.flush();
    if (!out) return makeError(ErrorCode::IoError, "The audit export could not be written. Check the disk.");
    return {};
}

}  // namespace facelead::audit
