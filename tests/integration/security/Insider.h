#pragma once
// An insider's toolkit: opens a FaceLead store with the insider's OWN password using nothing but
// libsodium, SQLCipher and a JSON parser, as the issue-8 attacker did - never FaceLead's code. Everything it
// needs is documented (core/store/KeyFile.h, core/audit/AuditLog.h, docs/SECURITY.md). The tests that use
// it end with `facelead-cli audit verify`, which must name the damage.

#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>
#include <vector>

struct sqlite3;

namespace facelead::test {

class Insider {
public:
    // Unwraps the insider's key slot (Argon2id + XChaCha20-Poly1305) and opens the store with SQLCipher.
    // Fails the calling test when the password does not open the slot or the store.
    Insider(const std::filesystem::path& store, const std::string& username, const std::string& password);
    ~Insider();
    Insider(const Insider&) = delete;
    Insider& operator=(const Insider&) = delete;

    // True when the unwrapped key opens the store (false after the key was rotated away from this slot).
    static bool canRead(const std::filesystem::path& store, const std::filesystem::path& keyFile,
                        const std::string& username, const std::string& password);

    void exec(const std::string& sql);
    std::vector<std::vector<std::string>> query(const std::string& sql);
    // Drops the append-only triggers, runs sql, recreates them.
    void execWithoutTriggers(const std::string& sql);
    // Renumbers the audit entries 1..n, recomputes every prev_hash and hash (the documented rule) and re-signs
    // the entries the insider signed himself; the others keep the signature they had.
    void rehashChain();
    // Writes a key slot for username (replacing any slot of that name) that wraps the database key and a fresh
    // signing key under password, as FaceLead's own slots do: a ghost account's way in, or a colleague's slot
    // swapped for one the insider can open.
    void writeKeySlot(const std::string& username, const std::string& password);
    // Appends an entry in the insider's own name (or, inNobodysName, as the system: no user id, "system"),
    // hashed and signed with his own key.
    void appendSignedEntry(const std::string& action, const std::string& detailsJson, bool inNobodysName = false);
    // The same for an account entry, as FaceLead writes one: it names the account entry before it
    // ("previous_account_entry": its seq and hash, docs/SECURITY.md "Formats"), so the chain of account entries holds.
    void appendLinkedAccountEntry(const std::string& action, nlohmann::json details);
    // From now on writes entries in another account's name (and as its signer), signed with his own key.
    void claimName(const std::string& username) { username_ = username; }
    // From now on signs as `other` (name and key) on this insider's own connection: a departed colleague's key,
    // unwrapped from his slot before he left, used with today's database key (trial 61 F4).
    void signAs(const Insider& other) {
        username_ = other.username_;
        secretKey_ = other.secretKey_;
        publicKeyHex_ = other.publicKeyHex_;
    }

private:
    std::string sign(const std::string& hash) const;
    std::string username_;
    std::string publicKeyHex_;
    std::vector<unsigned char> secretKey_;
    std::vector<unsigned char> databaseKey_;
    std::filesystem::path keyFile_;
    sqlite3* db_ = nullptr;
};

}  // namespace facelead::test
