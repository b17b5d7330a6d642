#pragma once
// The key file beside a store (`<store>.keys`): one key slot per user plus the recovery slot. A slot
// wraps the random 256-bit database key and the account's Ed25519 signing key (libsodium crypto_sign:
// every audit entry the account writes is signed with it, docs/SECURITY.md) with XChaCha20-Poly1305
// under a key derived from the user's password by Argon2id (parameters stored with the slot, bounded by
// KdfParams::isReasonable so a doctored file cannot hang sign-in). The slot's public key is in clear; a
// checksum over the slot tells a damaged slot ("damaged key file") from a wrong password. The file also holds what must survive a
// failed sign-in when the encrypted store cannot be opened: failure counters, lockouts and the
// sign-in events waiting to be written to the audit log at the next successful open.
// The file is JSON with a version and is always replaced atomically (temp, fsync, rename, fsync dir).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/Clock.h"
#include "core/common/Result.h"
#include "core/store/SecureBytes.h"

namespace facelead::store {

// Argon2id cost. Stored with each slot, so raising the default never locks out existing users.
struct KdfParams {
    std::uint64_t opsLimit = 0;
    std::uint64_t memLimitBytes = 0;

    static KdfParams interactive();  // libsodium's OPSLIMIT/MEMLIMIT_INTERACTIVE: the product default
    static KdfParams minimum();      // the lowest libsodium allows: tests only, keeps the suite fast
    // At most libsodium's SENSITIVE cost x4 and 1 GiB (a few seconds at worst): larger values in a key file
    // are damage or sabotage, refused before any work ("damaged key file").
    bool isReasonable() const;
};

struct KeySlot {
    std::string username;                // "" for the recovery slot
    std::vector<std::uint8_t> salt;      // crypto_pwhash_SALTBYTES
    KdfParams kdf;
    std::vector<std::uint8_t> nonce;     // XChaCha20-Poly1305 nonce
    std::vector<std::uint8_t> wrappedKey;  // database key (+ signing key) + tag
    // Ed25519 public key of the account (32 bytes); empty in a slot written before signatures, whose
    // wrappedKey holds the database key alone.
    std::vector<std::uint8_t> publicKey;
    // After a key rotation (Store::rotateDatabaseKey): the new database key sealed to this account's
    // public key (crypto_box_seal to its X25519 form). The owner's next sign-in unseals it with the signing
    // key from the slot and re-wraps it under the password; until then wrappedKey holds the old key.
    std::vector<std::uint8_t> sealedKey;
    // The slot could not be read (bad field, checksum mismatch, absurd KDF cost): sign-in answers
    // KeyFileCorrupt for this user without counting a failure; the other slots still work.
    bool damaged = false;
    // A damaged slot as it was read (compact JSON), written back unchanged: a checksum written anew over its damage
    // made it a whole slot whose right password failed, counted toward lockout (trial 82 F1).
    std::string damagedAsRead;
    int failedAttempts = 0;              // consecutive failures since the last success
    std::optional<TimePoint> lockedUntil;
};

// A sign-in event that happened while the store could not be opened (wrong password, lockout).
struct PendingEvent {
    TimePoint at;
    std::string username;   // as typed
    std::string action;     // "signin.failed", "signin.refused_locked", "account.locked"
    std::string detailsJson = "{}";
};

struct KeyFile {
    // Version 2 added cipher_page_size; version-1 files are still read (their stores use 1 KiB pages).
    static constexpr int kCurrentVersion = 2;
    // SQLCipher 3.4's page size, used by the stores written before the page size was recorded.
    static constexpr int kLegacyCipherPageSize = 1024;
    int version = kCurrentVersion;
    // The store's cipher page size: SQLCipher must be told it before the first read, it cannot be read from
    // the (encrypted) file. Fixed when the store is created.
    int cipherPageSize = kLegacyCipherPageSize;
    std::vector<KeySlot> userSlots;
    KeySlot recoverySlot;
    std::vector<PendingEvent> pendingEvents;
    // Names of deactivated accounts (their slots are gone): sign-in answers AccountNotActive for them.
    std::vector<std::string> deactivatedUsernames;
    // The agency's lockout rule (admin settings), kept here because it applies before the store can be
    // opened, whoever signs in (workstation or CLI). Absent: the caller's StoreOptions.
    std::optional<int> lockoutMaxAttempts;
    std::optional<int> lockoutMinutes;

    KeySlot* findSlot(std::string_view username);
    const KeySlot* findSlot(std::string_view username) const;
};

// SQLCipher accepts powers of two from 512 to 65536.
bool isValidCipherPageSize(int bytes);

// `<store>.keys`
std::filesystem::path keyFilePath(const std::filesystem::path& storePath);

// KeyFileMissing when absent, KeyFileCorrupt when unreadable or of an unknown version (or page size).
Result<KeyFile> loadKeyFile(const std::filesystem::path& keyFile);
// Atomic replacement: a crash leaves either the old or the new file, never a mix.
Result<void> saveKeyFile(const std::filesystem::path& keyFile, const KeyFile& contents);

// Read-modify-write of the key file under an exclusive lock (flock on `<keys>.lock`), so two processes
// (a failed sign-in here, a password change there) never lose each other's update.
Result<void> updateKeyFile(const std::filesystem::path& keyFile, const std::function<void(KeyFile&)>& change);

// An exclusive flock(2) on the file at `path` (created 0600 when missing), held until destroyed: another FaceLead
// program (or thread) asking for the same lock waits. IoError when the file cannot be opened or locked.
class ExclusiveLock {
public:
    static Result<ExclusiveLock> acquire(const std::filesystem::path& path);
    ExclusiveLock(ExclusiveLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    ExclusiveLock& operator=(ExclusiveLock&&) = delete;
    ExclusiveLock(const ExclusiveLock&) = delete;
    ExclusiveLock& operator=(const ExclusiveLock&) = delete;
    ~ExclusiveLock();

private:
    explicit ExclusiveLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

// A fresh random 256-bit database key.
SecureBytes generateDatabaseKey();
// A fresh Ed25519 secret key (crypto_sign_SECRETKEYBYTES, the public key inside it).
SecureBytes generateSigningKey();
// The public half of an Ed25519 secret key.
std::vector<std::uint8_t> publicKeyOf(const SecureBytes& signingKey);

// What a slot holds once opened.
struct SlotSecrets {
    SecureBytes databaseKey;
    SecureBytes signingKey;  // empty for a slot written before signatures
    SecureBytes rotatedKey;  // the slot's sealed key, unsealed (empty when there is none)
};
// The database key sealed to the holder of the Ed25519 public key (its X25519 form): only that slot's
// owner can open it. Empty when the public key is not a valid Ed25519 key.
std::vector<std::uint8_t> sealDatabaseKey(const SecureBytes& databaseKey, const std::vector<std::uint8_t>& publicKey);
// The slot's sealed key opened with its owner's Ed25519 secret key; empty when there is none or it does not open.
SecureBytes openSealedKey(const KeySlot& slot, const SecureBytes& signingKey);
// Wraps the database key and signingKey for username under secret (a password or the recovery key).
Result<KeySlot> wrapSlot(const SecureBytes& databaseKey, const SecureBytes& signingKey, std::string_view username,
                         std::string_view secret, KdfParams kdf);
// KeyFileCorrupt for a damaged slot (checked before any key derivation: never counts as a wrong password);
// WrongCredentials when the secret does not open it.
Result<SlotSecrets> unwrapSlot(const KeySlot& slot, std::string_view secret);
Result<SecureBytes> unwrapDatabaseKey(const KeySlot& slot, std::string_view secret);

// A recovery key for people: 256 random bits as 13 dash-separated groups of 4 lowercase base32 letters.
std::string generateRecoveryKey();
// Accepts what a person types back (case, spaces and dashes ignored).
std::string normaliseRecoveryKey(std::string_view typed);

}  // namespace facelead::store
