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
#include <type_traits>
#include <vector>

#include "core/common/Clock.h"
#include "core/common/Result.h"
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
    // PRAGMA quick_check before anything is written: reads every page (about 0.7 s per 100 MB measured on
    // the build machine). Off, a truncated file is still refused at the first read (SQLite compares the
    // header's page count with the file) and a damaged page when it is read (SQLCipher's per-page HMAC);
    // in WAL mode a failed change never reaches the store file.
    bool integrityCheckOnOpen = true;
    int targetSchemaVersion = 0;                       // 0 = latest; tests build older fixtures with it
};

class Store;

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
    // transaction; its failure makes the outer one roll back.
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
    Result<void> writeKeySlot(std::string_view username, std::string_view password);  // add or replace
    Result<void> removeKeySlot(std::string_view username);  // on deactivation: remembered as deactivated
    Result<bool> hasKeySlot(std::string_view username) const;
    // Clears the failure counter and lockout of a slot (after an administrator's reset).
    Result<void> clearLockout(std::string_view username);
    // Sign-in events recorded in the key file while the store could not be opened; accounts writes
    // them to the audit log, then calls clearPendingEvents.
    Result<std::vector<PendingEvent>> pendingEvents() const;
    Result<void> clearPendingEvents(std::size_t count);  // removes the first `count`

    // --- Facts.
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path keyFile() const { return keyFilePath(path_); }
    int schemaVersion() const { return schemaVersion_; }
    std::string cipherVersion() const { return cipherVersion_; }
    TimePoint now() const { return clock_->now(); }
    const Clock& clock() const { return *clock_; }
    const StoreOptions& options() const { return options_; }

    // The latest schema version this build knows (see Schema.cpp).
    static int latestSchemaVersion();

    // Internal: the raw connection for tests that tamper with rows (with the key). Do not use elsewhere.
    sqlite3* rawConnectionForTests() { return db_; }

private:
    Store(std::filesystem::path path, SecureBytes key, std::shared_ptr<const Clock> clock, StoreOptions options);
    static Result<std::unique_ptr<Store>> openWithKey(const std::filesystem::path& path, SecureBytes key,
                                                      std::shared_ptr<const Clock> clock,
                                                      StoreOptions options, bool creating);
    Result<void> connect(bool creating);
    Result<void> begin();
    Result<void> commit();
    void rollback();
    friend class Transaction;

    std::filesystem::path path_;
    SecureBytes key_;
    std::shared_ptr<const Clock> clock_;
    StoreOptions options_;
    sqlite3* db_ = nullptr;
    int schemaVersion_ = 0;
    std::string cipherVersion_;
    int transactionDepth_ = 0;
    std::optional<Error> nestedFailure_;
};

struct Store::Created {
    std::unique_ptr<Store> store;
    std::string recoveryKey;  // shown once to the person creating the store, never stored in clear
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
    if (auto begun = begin(); !begun) return begun.error();
    R result = guard(ErrorCode::Internal, "The change failed", [&]() -> R { return fn(tx); });
    if (!result) {
        rollback();
        return result;
    }
    if (nestedFailure_) {
        Error failure = *nestedFailure_;
        rollback();
        return failure;
    }
    if (auto committed = commit(); !committed) {
        rollback();
        return committed.error();
    }
    return result;
}

}  // namespace facelead::store
