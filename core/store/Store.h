#pragma once
// The encrypted case store: one SQLCipher connection, the database key in guarded memory, the key file
// beside it and the injected clock.
//
// Threading: a Store is NOT thread-safe. One thread at a time uses it (the UI serialises its work onto
// one worker). A second process may open the same store: writers wait up to busyTimeout, then get
// StoreBusy; nothing is corrupted.
//
// SQL dialect: Debian's SQLCipher 3.4.1 is SQLite 3.15.2 - no UPSERT (use INSERT OR REPLACE / UPDATE
// then INSERT), no window functions, no RETURNING, no JSON1 (json_* functions): keep JSON columns opaque
// text and parse them in C++ (nlohmann::json). Foreign keys are on; temp storage is in memory.
//
// Most code never opens a Store itself: accounts::createStore / accounts::signIn return a Session that
// owns one. Every multi-step change runs in transact(), and every state change appends its audit event
// (audit::AuditLog::append) inside the same transaction.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/common/Clock.h"
#include "core/common/Result.h"
#include "core/store/Anchor.h"
#include "core/store/KeyFile.h"
#include "core/store/SecureBytes.h"
#include "core/store/Statement.h"

struct sqlite3;

namespace facelead::store {

struct StoreOptions {
    KdfParams kdf = KdfParams::interactive();          // for slots written by this Store
    std::chrono::milliseconds busyTimeout{5000};      // wait for another process's write, then StoreBusy
    int maxFailedSignIns = 5;                          // consecutive failures before a lockout
    std::chrono::minutes lockoutDuration{15};
    // Every open runs a cheap check before anything is written: SQLCipher's first read (wrong key, damaged
    // header), the file length against the page count (truncation), the whole schema (sqlite_master),
    // schema_version and the newest audit entry. A damaged page elsewhere is refused when it is read
    // (SQLCipher's per-page HMAC: StoreCorrupt), and in WAL mode a failed change never reaches the store
    // file. The full check reads and decrypts every page (1.4-1.8 s for a 1 GB store on the build machine,
    // up to 0.7 s per 100 MB with 1 KiB pages): run it on demand with checkIntegrity(), or here with true.
    bool integrityCheckOnOpen = false;
    // SQLCipher page size for a store CREATED with these options (recorded in the key file; an existing
    // store always opens with the size in its key file, 1024 when the file predates the record). 4 KiB
    // pages cost a third of the 1 KiB pages' time for 8 KiB face images (docs/PERFORMANCE.md).
    int cipherPageSize = 4096;
    // Page cache of the connection (decrypted pages), in KiB: fewer decryptions when enrolling in bulk.
    int cacheKiB = 16 * 1024;
    int targetSchemaVersion = 0;                       // 0 = latest; tests build older fixtures with it
    // Where the audit chain's head is anchored outside the store (core/store/Anchor.h); null: defaultAnchor().
    std::shared_ptr<HeadAnchor> anchor;
};

class Store;

// What is recorded for a name that belongs to no account. Nothing derived from the text typed: it may be a
// password typed into the name field, and any digest of it (even a short, keyed one - the key file and the
// database key are in the insider's hands) is an offline filter for guesses that skips Argon2id (issue 8).
// Repeated attempts still show in the audit log, by their times.
inline constexpr std::string_view kUnknownName = "unknown name";

// The handle given to code running inside Store::transact. Statements prepared through it take part in
// the transaction.
class Transaction {
public:
    Result<Statement> prepare(std::string_view sql);
    Result<void> exec(std::string_view sql);  // one or more statements without parameters
    std::int64_t lastInsertId() const;
    int changes() const;  // rows changed by the last INSERT/UPDATE/DELETE
    TimePoint now() const;
    Store& store() { return store_; }

private:
    friend class Store;
    explicit Transaction(Store& store) : store_(store) {}
    Store& store_;
};

class Store {
public:
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // --- Opening (low level: accounts::createStore / accounts::signIn wrap these with users and audit).
    // Creates a new store and key file with a fresh database key, the recovery slot and one user slot.
    // AlreadyExists when either file exists. Returns the store and the recovery key (show it once).
    struct Created;
    static Result<Created> create(const std::filesystem::path& path, std::string_view firstUsername,
                                  std::string_view firstPassword, std::shared_ptr<const Clock> clock,
                                  StoreOptions options = {});
    // Unwraps the user's slot; counts failures and locks out in the key file. WrongCredentials (for an
    // unknown user too), AccountLocked, AccountNotActive (deactivated: no slot), StoreNotFound,
    // KeyFileMissing/Corrupt, StoreCorrupt, NotEncrypted, MigrationFailed, StoreBusy.
    static Result<std::unique_ptr<Store>> open(const std::filesystem::path& path, std::string_view username,
                                               std::string_view password, std::shared_ptr<const Clock> clock,
                                               StoreOptions options = {});
    static Result<std::unique_ptr<Store>> openWithRecoveryKey(const std::filesystem::path& path,
                                                              std::string_view recoveryKey,
                                                              std::shared_ptr<const Clock> clock,
                                                              StoreOptions options = {});

    // --- Transactions. fn(Transaction&) returns Result<T>; BEGIN IMMEDIATE, then COMMIT when fn
    // succeeds, ROLLBACK when it fails (or throws). A transact() inside another joins the outer
    // transaction; its failure makes the outer one roll back. When fn failed on a page this connection could
    // not read and a fresh connection found the store intact (recoverUnreadable), the rolled-back fn runs once
    // more on the fresh connection.
    template <typename Fn>
    auto transact(Fn&& fn) -> std::invoke_result_t<Fn&, Transaction&>;

    // Reads outside a transaction (each statement sees a consistent snapshot).
    Result<Statement> prepare(std::string_view sql);
    Result<void> exec(std::string_view sql);
    std::int64_t lastInsertId() const;
    bool inTransaction() const { return transactionDepth_ > 0; }

    // --- Settings (the settings table).
    Result<std::optional<std::string>> setting(std::string_view key);
    Result<void> setSetting(Transaction& tx, std::string_view key, std::string_view value);

    // --- Key slots (the key file). Call inside the transaction that changes the user, so a failed
    // key-file write rolls the change back.
    // Adds or replaces username's slot under password. The signed-in user's own slot wraps the signer's current
    // key (after adoptSigningKey, at a password change); any other account gets a fresh key pair (a new account,
    // an administrator's reset, a recovery), whose public key (hex) is returned for the caller to certify in the
    // audit log.
    Result<std::string> writeKeySlot(std::string_view username, std::string_view password);
    // A password change gives the signer a new key pair (trial 61 F1: the old slot and the old password must
    // sign nothing more). Inside the transaction, after the old key certified the new one: from here on entries
    // and sealForSigner use `next`; a rollback of the transaction goes back to the old key.
    void adoptSigningKey(Transaction& tx, SecureBytes next);
    Result<void> removeKeySlot(std::string_view username);  // on deactivation: remembered as deactivated
    Result<bool> hasKeySlot(std::string_view username) const;
    // The agency's lockout rule, written to the key file so that it applies before the store is open, for
    // every entry point (admin::saveSettings calls it in the settings' transaction).
    Result<void> setLockoutRule(int maxFailedSignIns, std::chrono::minutes duration);
    // Revocation: a new random database key (PRAGMA rekey), sealed to every remaining slot's certified public
    // key (certifiedKeys: user name -> hex, from the signed audit log; "(recovery)" for the recovery slot).
    // Nobody's password is needed: each owner re-wraps the new key at their next sign-in. A slot whose key
    // file public key differs from its certified key gets nothing (it was tampered with). Call OUTSIDE a
    // transaction, after the change that removed a slot or replaced a password has committed.
    // Crash-safe: the sealed keys are written before the rekey, and a sign-in tries the sealed key first.
    Result<void> rotateDatabaseKey(const std::function<std::string(const std::string&)>& certifiedKeyOf);
    // A wrong second factor after the password opened this store (accounts/SecondFactor.h): one more
    // consecutive failure of the signer's slot, under the same lockout rule as a wrong password. Returns the
    // end of the lockout it started, if it did.
    Result<std::optional<TimePoint>> countFailedSecondFactor();
    // Sign-in passed every factor: clears the failures counted before (open() leaves them, so that a right
    // password with a wrong second factor never resets the count).
    Result<void> confirmSignIn();
    // A 256-bit key only the signer's own slot yields (BLAKE2b keyed with the signing key, per context):
    // wraps what even an insider holding the database key must not read, e.g. the TOTP secret.
    SecureBytes signerSubkey(std::string_view context) const;
    // nonce || XChaCha20-Poly1305(plain) under signerSubkey(context), bound to associatedData: only the signer's
    // own slot opens it again (unsealForSigner: nullopt otherwise). Internal when the signer has no key.
    Result<std::vector<std::uint8_t>> sealForSigner(std::string_view context, std::string_view associatedData,
                                                    std::span<const std::uint8_t> plain) const;
    std::optional<std::vector<std::uint8_t>> unsealForSigner(std::string_view context, std::string_view associatedData,
                                                             std::span<const std::uint8_t> sealed) const;
    // Clears the failure counter and lockout of a slot (after an administrator's reset).
    Result<void> clearLockout(std::string_view username);
    // Sign-in events recorded in the key file while the store could not be opened; accounts writes
    // them to the audit log, then calls clearPendingEvents.
    Result<std::vector<PendingEvent>> pendingEvents() const;
    Result<void> clearPendingEvents(std::size_t count);  // removes the first `count`

    // --- The signer: every audit entry written through this Store is signed with the Ed25519 key from the
    // slot that opened it (the signed-in user's, or the recovery slot's: name "(recovery)").
    const std::string& signerName() const { return signerName_; }
    std::string signerPublicKey() const;  // hex
    // A detached Ed25519 signature (hex) of message by the signer.
    std::string sign(std::string_view message) const;
    // The slot that opened the store predated signatures: a key pair was made for it at this open, and the
    // first audit entry must declare its public key (accounts::signIn does).
    bool signingKeyEnrolledAtOpen() const { return signingKeyEnrolled_; }
    static constexpr const char* kRecoverySigner = "(recovery)";
    // From now on sign as username (its slot opened with password): after a recovery gave it a new slot.
    Result<void> signAs(std::string_view username, std::string_view password);

    // --- The anchor (core/store/Anchor.h). AuditLog::append notes the new head; the commit that makes it
    // durable records it in the anchor. A failure to anchor never fails the change (it is committed): it is
    // kept as anchorWarning() for the caller to show.
    const std::string& storeId() const { return storeId_; }  // 32 hex digits, as the signed first entry has it
    HeadAnchor& anchor() const { return *anchor_; }
    // accounts: every account's state after an account entry (AnchoredHead::accounts), settings: the agency
    // settings after a settings change (AnchoredHead::settings), "" for other entries; a later entry of the same
    // transaction keeps what an earlier one noted. previousHash: the entry's predecessor's (the first entry's is
    // the head's base).
    void noteAuditHead(std::int64_t seq, std::string hash, std::string previousHash, std::string entryAt,
                       std::string accounts, std::string settings);
    const std::optional<std::string>& anchorWarning() const { return anchorWarning_; }

    // --- Facts.
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path keyFile() const { return keyFilePath(path_); }
    int schemaVersion() const { return schemaVersion_; }
    std::string cipherVersion() const { return cipherVersion_; }
    TimePoint now() const { return clock_->now(); }
    const Clock& clock() const { return *clock_; }
    const StoreOptions& options() const { return options_; }

    // The full integrity check (PRAGMA quick_check: every page read, decrypted and its HMAC verified; the
    // b-trees checked). StoreCorrupt naming the first problems found; IntegrityViolation naming the tables,
    // indexes or triggers that are not as FaceLead makes them (schema::departures: a write-once trigger dropped,
    // trial 45 F12); nothing is written. Slow on a large
    // store (about 0.15-0.2 s per 100 MB with 4 KiB pages): an explicit operation (for an administrator's
    // "store check"), not part of open.
    Result<void> checkIntegrity();
    int cipherPageSize() const { return cipherPageSize_; }

    // The latest schema version this build knows (see Schema.cpp).
    static int latestSchemaVersion();

    // Internal: the raw connection for tests that tamper with rows (with the key). Do not use elsewhere.
    sqlite3* rawConnectionForTests() { return db_; }

    // This connection could not read a page (SQLITE_CORRUPT / SQLITE_NOTADB, `detail` its message): a fresh
    // connection (the key file's current key for this slot, PRAGMA quick_check) tells damage from a view only
    // this connection had (issue 9: its page cache or key behind another program's change). Intact: the fresh
    // connection replaces this one - at once outside a transaction (and the result is ok when canRetry: run
    // the read again), at the transaction's end inside one - and otherwise the answer is StoreBusy, "try
    // again, nothing is damaged". Damaged: StoreCorrupt naming what the check found. Deactivated meanwhile:
    // AccountNotActive. Called by Statement::step and the statements this class runs itself.
    Result<void> recoverUnreadable(std::string_view detail, std::string_view context, bool canRetry);

private:
    Store(std::filesystem::path path, SlotSecrets secrets, std::string signerName, int cipherPageSize,
          std::shared_ptr<const Clock> clock, StoreOptions options);
    static Result<std::unique_ptr<Store>> openWithKey(const std::filesystem::path& path, SlotSecrets secrets,
                                                      std::string signerName, int cipherPageSize,
                                                      std::shared_ptr<const Clock> clock, StoreOptions options,
                                                      bool creating);
    // True when key opens the store file (a read-only probe).
    static bool keyOpens(const std::filesystem::path& path, const SecureBytes& key, int cipherPageSize);
    // A slot holding a sealed (rotated) key: the rotated key becomes the database key when it opens the store,
    // and the slot is re-wrapped under secret either way (the seal is dropped).
    static Result<void> adoptRotatedKey(const std::filesystem::path& path, const KeySlot& slot, SlotSecrets& secrets,
                                        std::string_view secret, int cipherPageSize, const StoreOptions& options);
    // A slot from before signatures: gives it a key pair (re-wrapped under the same secret).
    static Result<void> enrolSigningKey(const std::filesystem::path& keys, const KeySlot& slot, SlotSecrets& secrets,
                                        std::string_view secret, KdfParams kdf);
    Result<void> connect(bool creating);
    Result<sqlite3*> openConnection(bool creating) const;
    Result<void> unlockConnection(sqlite3* db, const SecureBytes& key) const;
    Result<void> tuneConnection(sqlite3* db) const;
    // Another session rotated the database key (a deactivation elsewhere): the rotation sealed the new key to
    // this slot's public key, so an open session follows it on its next statement, without the password. A
    // removed slot (the deactivated user's) finds nothing sealed and stays locked out. Cheap when nothing
    // changed: three stat() calls, outside transactions only.
    void followRotation();
    // AccountNotActive once followRotation saw this account's slot removed as deactivated or given a new key pair.
    Result<void> stillAdmitted() const;
    // The key sealed to this slot by a rotation elsewhere, when it differs from key_ and opens the store; empty
    // otherwise. Sets revoked_ when the slot was removed as deactivated, or given a new key pair by a password reset, and
    // key_ no longer opens the store.
    // A sealed key that does not open the store yet belongs to a rotation under way (sealed, not yet rekeyed):
    // Wait first waits out a rotation holding its lock, then polls for a rekey (one that crashed between seal and
    // rekey leaves no lock) up to the busy timeout (where this connection can no longer read); Skip does not
    // (followRotation's look after every change elsewhere, which must stay cheap).
    enum class RekeyUnderWay { Wait, Skip };
    SecureBytes rotatedKeyFromKeyFile(RekeyUnderWay underWay);
    // A new connection under key, checked by PRAGMA quick_check: StoreCorrupt when the check finds damage.
    Result<sqlite3*> openCheckedConnection(const SecureBytes& key) const;
    // Puts the connection recoverUnreadable opened in place of db_ (outside a transaction only).
    bool adoptReplacement();
    // sqlite3_exec on db_ that goes through recoverUnreadable for an unreadable page, and runs sql again when a
    // fresh connection took over; a busy store whose key another program is rotating is waited for, then retried.
    Result<void> executeRecovering(std::string_view sql, std::string_view context);
    Result<void> checkOnOpen();
    Result<void> begin();
    Result<void> commit();
    // Returns true when a fresh connection took over at the end of the rolled-back transaction.
    bool rollback();
    friend class Transaction;
    friend class Statement;  // moves a read to the fresh connection after recoverUnreadable

    std::filesystem::path path_;
    SecureBytes key_;
    SecureBytes signingKey_;
    SecureBytes signingKeyBeforeTransaction_;  // set by adoptSigningKey until the transaction ends
    std::string signerName_;
    bool signingKeyEnrolled_ = false;
    bool hadFailedSignIns_ = false;
    std::string storeId_;
    std::shared_ptr<HeadAnchor> anchor_;
    std::optional<AnchoredHead> pendingHead_;
    std::optional<std::string> anchorWarning_;
    int cipherPageSize_;
    std::shared_ptr<const Clock> clock_;
    StoreOptions options_;
    sqlite3* db_ = nullptr;
    sqlite3* replacement_ = nullptr;  // checked by recoverUnreadable inside a transaction, adopted at its end
    SecureBytes replacementKey_;
    // What one stat() of a file says; all 0 when the file is not there.
    struct FileSeen {
        std::int64_t modifiedNs = 0;
        std::uint64_t size = 0, device = 0, inode = 0;
        bool operator==(const FileSeen&) const = default;
    };
    using FilesSeen = std::tuple<FileSeen, FileSeen, FileSeen>;  // the key file, the store file, its WAL
    static FileSeen seenOf(const std::filesystem::path& file);
    FilesSeen lookAtFiles() const;
    // This account was deactivated, or its password reset, while the store was open (followRotation); or the
    // store's files were replaced under the connection (filesReplaced).
    enum class Revoked { No, Deactivated, PasswordReset, FilesReplaced };
    Revoked revoked_ = Revoked::No;
    // The files db_ has open (device and inode of the store file and of its WAL), as noteConnectedFiles found them.
    // When the path no longer leads to them (a backup put back, a copy in its place, the WAL deleted), writes through
    // db_ would go where no one reads them (trial 43 F11): followRotation then revokes the session.
    using FileIdentity = std::pair<std::uint64_t, std::uint64_t>;
    static FileIdentity identityOf(const FileSeen& seen) { return {seen.device, seen.inode}; }
    std::optional<std::pair<FileIdentity, FileIdentity>> connectedFiles_;
    void noteConnectedFiles();
    FilesSeen filesSeen_{};  // time and size of the key file, the store file and its WAL, when followRotation looked
    int schemaVersion_ = 0;
    std::string cipherVersion_;
    int transactionDepth_ = 0;
    std::optional<Error> nestedFailure_;
};

struct Store::Created {
    std::unique_ptr<Store> store;
    std::string recoveryKey;  // shown once to the person creating the store, never stored in clear
    std::string recoveryPublicKey;  // hex: the recovery slot's signing key, to certify in the audit log
};

template <typename Fn>
auto Store::transact(Fn&& fn) -> std::invoke_result_t<Fn&, Transaction&> {
    using R = std::invoke_result_t<Fn&, Transaction&>;
    Transaction tx(*this);
    if (transactionDepth_ > 0) {  // join the outer transaction
        R result = guard(ErrorCode::Internal, "The change failed", [&]() -> R { return fn(tx); });
        if (!result && !nestedFailure_) nestedFailure_ = result.error();
        return result;
    }
    for (bool again = false;; again = true) {
        if (auto begun = begin(); !begun) return begun.error();
        R result = guard(ErrorCode::Internal, "The change failed", [&]() -> R { return fn(tx); });
        if (!result) {
            if (rollback() && !again) continue;  // a fresh connection took over: nothing was kept, run it again
            return result;
        }
        if (nestedFailure_) {
            Error failure = *nestedFailure_;
            if (rollback() && !again) continue;
            return failure;
        }
        if (auto committed = commit(); !committed) {
            rollback();
            return committed.error();
        }
        return result;
    }
}

}  // namespace facelead::store
