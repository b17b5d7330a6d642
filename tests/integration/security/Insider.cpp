#include "tests/integration/security/Insider.h"

#include <sodium.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace facelead::test {
namespace {

std::vector<unsigned char> unhex(const std::string& hex) {
    std::vector<unsigned char> bytes(hex.size() / 2);
    size_t length = 0;
    REQUIRE(sodium_hex2bin(bytes.data(), bytes.size(), hex.c_str(), hex.size(), nullptr, &length, nullptr) ==
            0);
    bytes.resize(length);
    return bytes;
}

std::string hex(const unsigned char* bytes, std::size_t size) {
    std::string text(size * 2 + 1, '\0');
    sodium_bin2hex(text.data(), text.size(), bytes, size);
    text.pop_back();
    return text;
}

std::string sha256Hex(const std::string& text) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    return hex(digest, sizeof digest);
}

nlohmann::json readJson(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return nlohmann::json::parse(text.str());
}

// The database key a rotation sealed to the slot's public key (crypto_box_seal to its X25519 form), opened with the
// slot's own Ed25519 secret key; empty when there is none. Whoever unwraps the slot has it too (docs/SECURITY.md).
std::vector<unsigned char> unsealRotatedKey(const nlohmann::json& slot, const std::vector<unsigned char>& secretKey) {
    if (!slot.contains("sealed_key") || secretKey.size() != crypto_sign_SECRETKEYBYTES) return {};
    const auto sealed = unhex(slot["sealed_key"]);
    const auto publicKey = unhex(slot["public_key"]);
    unsigned char boxSecret[crypto_box_SECRETKEYBYTES];
    unsigned char boxPublic[crypto_box_PUBLICKEYBYTES];
    std::vector<unsigned char> key(32);
    if (sealed.size() != key.size() + crypto_box_SEALBYTES ||
        crypto_sign_ed25519_sk_to_curve25519(boxSecret, secretKey.data()) != 0 ||
        crypto_sign_ed25519_pk_to_curve25519(boxPublic, publicKey.data()) != 0 ||
        crypto_box_seal_open(key.data(), sealed.data(), sealed.size(), boxPublic, boxSecret) != 0)
        return {};
    return key;
}

// The slot's payload (database key, then the Ed25519 secret key) or empty when the password is wrong. The database
// key is the one a later rotation sealed to the slot, if any (the slot's own wrapped one is older).
std::vector<unsigned char> unwrapSlot(const nlohmann::json& keyFile, const std::string& username,
                                      const std::string& password) {
    for (const auto& slot : keyFile["slots"]) {
        if (slot["username"] != username) continue;
        const auto salt = unhex(slot["salt"]);
        const auto nonce = unhex(slot["nonce"]);
        const auto wrapped = unhex(slot["wrapped_key"]);
        const std::string publicKey = slot.value("public_key", "");
        unsigned char kek[32];
        REQUIRE(crypto_pwhash(kek, sizeof kek, password.data(), password.size(), salt.data(),
                              slot["opslimit"].get<unsigned long long>(), slot["memlimit"].get<size_t>(),
                              crypto_pwhash_ALG_ARGON2ID13) == 0);
        const std::string ad = "facelead-keyslot-v2:" + username + ":" + publicKey;
        std::vector<unsigned char> payload(wrapped.size());
        unsigned long long length = 0;
        if (crypto_aead_xchacha20poly1305_ietf_decrypt(
                payload.data(), &length, nullptr, wrapped.data(), wrapped.size(),
                reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nonce.data(), kek) != 0)
            return {};
        payload.resize(length);
        const std::vector<unsigned char> secretKey(payload.begin() + std::min<std::size_t>(32, payload.size()),
                                                   payload.end());
        if (const auto rotated = unsealRotatedKey(slot, secretKey); !rotated.empty())
            std::copy(rotated.begin(), rotated.end(), payload.begin());
        return payload;
    }
    return {};
}

sqlite3* openWithKey(const std::filesystem::path& store, const std::vector<unsigned char>& key,
                     int pageSize) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(store.c_str(), &db) == SQLITE_OK);
    const std::string pragma = "PRAGMA key = \"x'" + hex(key.data(), 32) +
                               "'\"; PRAGMA cipher_page_size = " + std::to_string(pageSize) + ";";
    REQUIRE(sqlite3_exec(db, pragma.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    return db;
}

constexpr const char* kTriggers[] = {
    "CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (SOP 302.02 VI.C.2)'); END;",
    "CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (SOP 302.02 VI.C.2)'); END;"};

}  // namespace

Insider::Insider(const std::filesystem::path& store, const std::string& username, const std::string& password)
    : username_(username) {
    REQUIRE(sodium_init() >= 0);
    const auto keyFile = readJson(store.string() + ".keys");
    const auto payload = unwrapSlot(keyFile, username, password);
    REQUIRE(payload.size() == 32 + crypto_sign_SECRETKEYBYTES);
    secretKey_.assign(payload.begin() + 32, payload.end());
    databaseKey_.assign(payload.begin(), payload.begin() + 32);
    keyFile_ = store.string() + ".keys";
    unsigned char publicKey[crypto_sign_PUBLICKEYBYTES];
    crypto_sign_ed25519_sk_to_pk(publicKey, secretKey_.data());
    publicKeyHex_ = hex(publicKey, sizeof publicKey);
    db_ = openWithKey(store, payload, keyFile.value("cipher_page_size", 1024));
    REQUIRE(query("SELECT count(*) FROM audit_log").size() == 1);
}

Insider::~Insider() { sqlite3_close(db_); }

bool Insider::canRead(const std::filesystem::path& store, const std::filesystem::path& keyFile,
                      const std::string& username, const std::string& password) {
    const auto keys = readJson(keyFile);
    const auto payload = unwrapSlot(keys, username, password);
    if (payload.size() < 32) return false;
    sqlite3* db = openWithKey(store, payload, keys.value("cipher_page_size", 1024));
    const bool readable =
        sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return readable;
}

void Insider::exec(const std::string& sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    INFO(sql << ": " << (message ? message : ""));
    sqlite3_free(message);
    REQUIRE(rc == SQLITE_OK);
}

std::vector<std::vector<std::string>> Insider::query(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
    std::vector<std::vector<std::string>> rows;
    while (sqlite3_step(statement) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int i = 0; i < sqlite3_column_count(statement); ++i) {
            const auto* text = sqlite3_column_text(statement, i);
            row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
        }
        rows.push_back(std::move(row));
    }
    sqlite3_finalize(statement);
    return rows;
}

void Insider::execWithoutTriggers(const std::string& sql) {
    exec("DROP TRIGGER audit_log_append_only_update; DROP TRIGGER audit_log_append_only_delete;");
    exec(sql);
    for (const char* trigger : kTriggers) exec(trigger);
}

std::string Insider::sign(const std::string& hash) const {
    const std::string message = "facelead-audit-v1:" + hash;
    unsigned char signature[crypto_sign_BYTES];
    crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), secretKey_.data());
    return hex(signature, sizeof signature);
}

void Insider::rehashChain() {
    const auto rows = query(
        "SELECT seq, at, user_id, username, action, object_type, object_id, details, signer, signer_key, "
        "signature "
        "FROM audit_log ORDER BY seq");
    std::string sql = "DELETE FROM audit_log;";
    std::string previous(64, '0');
    std::int64_t seq = 0;
    for (const auto& row : rows) {
        ++seq;
        nlohmann::json canonical = {
            seq,    row[1], row[2].empty() ? nlohmann::json() : nlohmann::json(std::stoll(row[2])),
            row[3], row[4], row[5],
            row[6], row[7]};
        if (!row[8].empty()) {
            canonical.push_back(row[8]);
            canonical.push_back(row[9]);
        }
        const std::string hash = sha256Hex(previous + canonical.dump());
        // Only what he signed with the key he holds can he sign again.
        const std::string signature = row[8] == username_ && row[9] == publicKeyHex_ ? sign(hash) : row[10];
        auto quote = [](const std::string& text) {
            std::string quoted = "'";
            for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
            return quoted + "'";
        };
        sql +=
            "INSERT INTO audit_log(seq, at, user_id, username, action, object_type, object_id, details, "
            "prev_hash, "
            "hash, signer, signer_key, signature) VALUES (" +
            std::to_string(seq) + "," + quote(row[1]) + "," + (row[2].empty() ? "NULL" : row[2]) + "," +
            quote(row[3]) + "," + quote(row[4]) + "," + quote(row[5]) + "," + quote(row[6]) + "," +
            quote(row[7]) + "," + quote(previous) + "," + quote(hash) + "," + quote(row[8]) + "," +
            quote(row[9]) + "," + quote(signature) + ");";
        previous = hash;
    }
    execWithoutTriggers(sql);
}

void Insider::writeKeySlot(const std::string& username, const std::string& password) {
    auto keyFile = readJson(keyFile_);
    unsigned char publicKey[crypto_sign_PUBLICKEYBYTES];
    std::vector<unsigned char> payload(databaseKey_);
    payload.resize(32 + crypto_sign_SECRETKEYBYTES);
    crypto_sign_keypair(publicKey, payload.data() + 32);
    unsigned char salt[crypto_pwhash_SALTBYTES];
    unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
    randombytes_buf(salt, sizeof salt);
    randombytes_buf(nonce, sizeof nonce);
    const unsigned long long opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    const std::size_t memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    unsigned char kek[32];
    REQUIRE(crypto_pwhash(kek, sizeof kek, password.data(), password.size(), salt, opslimit, memlimit,
                          crypto_pwhash_ALG_ARGON2ID13) == 0);
    const std::string publicKeyHex = hex(publicKey, sizeof publicKey);
    const std::string ad = "facelead-keyslot-v2:" + username + ":" + publicKeyHex;
    std::vector<unsigned char> wrapped(payload.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    unsigned long long length = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(wrapped.data(), &length, payload.data(), payload.size(),
                                               reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr,
                                               nonce, kek);
    nlohmann::json slot = keyFile["slots"].at(0);  // the fields FaceLead writes, with the new values
    slot["username"] = username;
    slot["salt"] = hex(salt, sizeof salt);
    slot["nonce"] = hex(nonce, sizeof nonce);
    slot["wrapped_key"] = hex(wrapped.data(), length);
    slot["public_key"] = publicKeyHex;
    slot["opslimit"] = opslimit;
    slot["memlimit"] = memlimit;
    slot.erase("sealed_key");
    // The slot's checksum tells damage from a wrong password; anyone can recompute it (core/store/KeyFile.cpp).
    const std::string checked = username + '\n' + std::to_string(opslimit) + '\n' + std::to_string(memlimit) + '\n' +
                                slot["salt"].get<std::string>() + '\n' + slot["nonce"].get<std::string>() + '\n' +
                                slot["wrapped_key"].get<std::string>() + '\n' + publicKeyHex + '\n';
    unsigned char check[crypto_generichash_BYTES];
    crypto_generichash(check, sizeof check, reinterpret_cast<const unsigned char*>(checked.data()), checked.size(),
                       nullptr, 0);
    slot["check"] = hex(check, sizeof check);
    auto& slots = keyFile["slots"];
    for (auto it = slots.begin(); it != slots.end();) it = (*it)["username"] == username ? slots.erase(it) : it + 1;
    slots.push_back(slot);
    std::ofstream(keyFile_) << keyFile.dump(2);
}

void Insider::appendSignedEntry(const std::string& action, const std::string& detailsJson, bool inNobodysName) {
    const auto last = query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    REQUIRE(last.size() == 1);
    const std::int64_t seq = std::stoll(last[0][0]) + 1;
    const auto userId = query("SELECT id FROM users WHERE username = '" + username_ + "'");
    REQUIRE(userId.size() == 1);
    const std::string at = "2026-11-30T12:00:00.000Z";
    const std::string details = nlohmann::json::parse(detailsJson).dump();
    const std::string name = inNobodysName ? "system" : username_;
    const nlohmann::json actorId = inNobodysName ? nlohmann::json() : nlohmann::json(std::stoll(userId[0][0]));
    const nlohmann::json canonical = {seq,  at,      actorId, name, action, "user", userId[0][0], details,
                                      username_, publicKeyHex_};
    const std::string hash = sha256Hex(last[0][1] + canonical.dump());
    sqlite3_stmt* insert = nullptr;
    REQUIRE(sqlite3_prepare_v2(
                db_,
                "INSERT INTO audit_log(seq, at, user_id, username, action, object_type, object_id, "
                "details, prev_hash, hash, signer, signer_key, signature) "
                "VALUES (?, ?, ?, ?, ?, 'user', ?, ?, ?, ?, ?, ?, ?)",
                -1, &insert, nullptr) == SQLITE_OK);
    const std::string signature = sign(hash);
    const std::string texts[] = {at,         name, action,    userId[0][0],  details,
                                 last[0][1], hash, username_, publicKeyHex_, signature};
    sqlite3_bind_int64(insert, 1, seq);
    sqlite3_bind_text(insert, 2, texts[0].c_str(), -1, SQLITE_TRANSIENT);
    if (inNobodysName)
        sqlite3_bind_null(insert, 3);
    else
        sqlite3_bind_int64(insert, 3, std::stoll(userId[0][0]));
    for (int i = 1; i < 10; ++i) sqlite3_bind_text(insert, i + 3, texts[i].c_str(), -1, SQLITE_TRANSIENT);
    REQUIRE(sqlite3_step(insert) == SQLITE_DONE);
    sqlite3_finalize(insert);
}

void Insider::appendLinkedAccountEntry(const std::string& action, nlohmann::json details) {
    // The account entries, as an insider reads them off the actions in the log (a key approval too: trial 63 F2).
    const auto previous = query(
        "SELECT seq, hash FROM audit_log WHERE seq = 1 OR action IN ('user.created', 'user.roles_changed', "
        "'user.approved', 'user.deactivated', 'user.deactivated_inactive', 'user.suspended', 'user.reactivated', "
        "'key.certified', 'audit.anchors_acknowledged', 'user.training_recorded', 'store.training_created', "
        "'user.table_restored', 'accounts.reaffirmed', 'user.key_approved') ORDER BY seq DESC LIMIT 1");
    REQUIRE(previous.size() == 1);
    details["previous_account_entry"] = {{"seq", std::stoll(previous[0][0])}, {"hash", previous[0][1]}};
    appendSignedEntry(action, details.dump());
}

}  // namespace facelead::test
