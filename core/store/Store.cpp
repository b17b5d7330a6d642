#include "core/store/Store.h"

#include <sqlite3.h>
#include <sodium.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/common/Hash.h"
#include "core/store/Schema.h"

namespace facelead::store {
namespace {

Error wrongCredentials() {
    return makeError(ErrorCode::WrongCredentials,
                     "Wrong user name or password. Check both and try again; repeated failures lock the account.");
}

std::string lockedMessage(TimePoint until) {
    return "This account is locked after repeated failed sign-ins until " + toIsoUtc(until) +
           " (UTC). Wait, or ask a program administrator to reset the password.";
}

// Runs one statement and returns the first column of the first row as text ("" when there is no row).
Result<std::string> queryText(sqlite3* db, const char* sql, std::string_view context) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
    if (rc != SQLITE_OK) return sqliteError(db, sqlite3_extended_errcode(db), context);
    Statement statement(db, raw);
    auto row = statement.step();
    if (!row) return row.error();
    return *row ? statement.getText(0) : std::string();
}

Result<void> execute(sqlite3* db, std::string_view sql, std::string_view context) {
    const std::string text(sql);
    if (sqlite3_exec(db, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
        return sqliteError(db, sqlite3_extended_errcode(db), context);
    return {};
}

Result<KeyFile> loadKeyFileOf(const std::filesystem::path& storePath) { return loadKeyFile(keyFilePath(storePath)); }

// "unknown name #" and 6 hex digits of the name's SHA-256: enough to tell repeated attempts apart, too
// short (24 bits) to confirm a guessed password offline - millions of candidates share each tag.
std::string unknownNameTag(std::string_view typed) {
    return "unknown name #" + sha256Hex(typed).substr(0, 6);
}

void addPendingEvent(KeyFile& file, TimePoint at, std::string_view username, const char* action,
                     const std::string& details) {
    file.pendingEvents.push_back(PendingEvent{at, std::string(username), action, details});
}

}  // namespace

// ---------------------------------------------------------------- Transaction

Result<Statement> Transaction::prepare(std::string_view sql) { return store_.prepare(sql); }
Result<void> Transaction::exec(std::string_view sql) { return store_.exec(sql); }
std::int64_t Transaction::lastInsertId() const { return store_.lastInsertId(); }
int Transaction::changes() const { return sqlite3_changes(store_.db_); }
TimePoint Transaction::now() const { return store_.now(); }

// ---------------------------------------------------------------- Store

Store::Store(std::filesystem::path path, SecureBytes key, int cipherPageSize, std::shared_ptr<const Clock> clock,
             StoreOptions options)
    : path_(std::move(path)),
      key_(std::move(key)),
      cipherPageSize_(cipherPageSize),
      clock_(std::move(clock)),
      options_(options) {
    if (!clock_) clock_ = std::make_shared<SystemClock>();
}

Store::~Store() {
    if (db_ != nullptr) sqlite3_close_v2(db_);
}

int Store::latestSchemaVersion() { return schema::latestVersion(); }

Result<void> Store::connect(bool creating) {
    std::error_code ec;
    if (!creating && !std::filesystem::exists(path_, ec))
        return makeError(ErrorCode::StoreNotFound,
                         "There is no case store at " + path_.string() + ". Check the path, or create one.");
    // SQLite would happily turn an empty file into a new database: an emptied store is damage, not new.
    if (!creating && std::filesystem::file_size(path_, ec) == 0)
        return makeError(ErrorCode::StoreCorrupt, "The store file " + path_.string() +
                                                      " is empty. Nothing was changed; restore the store from its "
                                                      "backup.");
    const int flags = SQLITE_OPEN_READWRITE | (creating ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    if (int rc = sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr); rc != SQLITE_OK)
        return sqliteError(db_, rc, "Could not open the store " + path_.string());
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, static_cast<int>(options_.busyTimeout.count()));

    // SQLCipher answers cipher_version even before a key is set; plain SQLite (which OpenCV/dlib also load
    // into the process) answers nothing. Never run unencrypted.
    auto cipher = queryText(db_, "PRAGMA cipher_version", "Could not check the store's encryption");
    if (!cipher) return cipher.error();
    if (cipher->empty())
        return makeError(ErrorCode::NotEncrypted,
                         "FaceLead is linked against plain SQLite instead of SQLCipher, so the store cannot be "
                         "encrypted. Refusing to open it; reinstall FaceLead.");
    cipherVersion_ = *cipher;

    // The raw key goes in as x'<64 hex>' from guarded memory.
    static constexpr char kPrefix[] = "PRAGMA key = \"x'";
    static constexpr char kSuffix[] = "'\";";
    SecureBytes statement(sizeof kPrefix - 1 + key_.size() * 2 + sizeof kSuffix);
    char* text = reinterpret_cast<char*>(statement.data());
    std::memcpy(text, kPrefix, sizeof kPrefix - 1);
    sodium_bin2hex(text + sizeof kPrefix - 1, key_.size() * 2 + 1, key_.data(), key_.size());
    std::memcpy(text + sizeof kPrefix - 1 + key_.size() * 2, kSuffix, sizeof kSuffix);
    if (sqlite3_exec(db_, text, nullptr, nullptr, nullptr) != SQLITE_OK)
        return sqliteError(db_, sqlite3_extended_errcode(db_), "Could not unlock the store");
    // The raw-key form above skips SQLCipher's PBKDF2 (the key is already random; Argon2id guards the slots).
    // The page size cannot be read from an encrypted file: it comes from the key file, before the first read.
    FACELEAD_TRY(execute(db_, "PRAGMA cipher_page_size = " + std::to_string(cipherPageSize_),
                         "Could not configure the store's encryption"));

    if (!creating) FACELEAD_TRY(checkOnOpen());
    if (!creating && options_.integrityCheckOnOpen) FACELEAD_TRY(checkIntegrity());
    FACELEAD_TRY(execute(db_, "PRAGMA cache_size = -" + std::to_string(std::max(options_.cacheKiB, 0)),
                         "Could not configure the store"));
    FACELEAD_TRY(execute(db_, "PRAGMA foreign_keys = ON", "Could not configure the store"));
    auto journal = queryText(db_, "PRAGMA journal_mode = WAL", "Could not configure the store");
    if (!journal) return journal.error();
    auto migrated = schema::migrate(db_, options_.targetSchemaVersion, toIsoUtc(now()));
    if (!migrated) return migrated.error();
    schemaVersion_ = *migrated;
    return {};
}

// The cheap check of every open, before anything is written: the first read (a wrong key or a damaged
// header), the file's length against the page count, the whole schema, the schema version and the newest
// audit entry (the head of the hash chain).
Result<void> Store::checkOnOpen() {
    FACELEAD_TRY(execute(db_, "SELECT count(*) FROM sqlite_master", "Could not read the store"));
    const auto truncated = [this] {
        return makeError(ErrorCode::StoreCorrupt, "The store file " + path_.string() +
                                                      " is damaged (truncated). Nothing was changed; restore the "
                                                      "store from its backup.");
    };
    std::error_code ec;
    const auto fileBytes = std::filesystem::file_size(path_, ec);
    if (ec || fileBytes % std::uintmax_t(cipherPageSize_) != 0) return truncated();
    // Pages not yet checkpointed live in the WAL, so the page count may exceed the file only when it has one.
    const auto walBytes = std::filesystem::file_size(path_.string() + "-wal", ec);
    if (ec || walBytes == 0) {
        auto pages = queryText(db_, "PRAGMA page_count", "Could not read the store");
        if (!pages) return pages.error();
        const std::uintmax_t pageCount = std::strtoull(pages->c_str(), nullptr, 10);
        if (pageCount * std::uintmax_t(cipherPageSize_) > fileBytes) return truncated();
    }
    auto schemaRows = prepare("SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master");
    if (!schemaRows) return schemaRows.error();
    while (true) {
        auto row = schemaRows->step();
        if (!row) return row.error();
        if (!*row) break;
    }
    auto version = schema::currentVersion(db_);
    if (!version) return version.error();
    if (*version == 0)
        return makeError(ErrorCode::StoreCorrupt,
                         "The file " + path_.string() + " holds no FaceLead store. Nothing was changed.");
    auto lastAudit = prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (!lastAudit) return lastAudit.error();
    auto row = lastAudit->step();
    if (!row) return row.error();
    return {};
}

Result<void> Store::checkIntegrity() {
    auto check = prepare("PRAGMA quick_check(20)");
    if (!check) return check.error();
    std::string problems;
    while (true) {
        auto row = check->step();
        if (!row) return row.error();
        if (!*row) break;
        const std::string line = check->getText(0);
        if (line == "ok") return {};
        problems += (problems.empty() ? "" : "; ") + line;
    }
    return makeError(ErrorCode::StoreCorrupt, "The store file " + path_.string() + " is damaged (" + problems +
                                                  "). Nothing was changed; restore the store from its backup.");
}

Result<std::unique_ptr<Store>> Store::openWithKey(const std::filesystem::path& path, SecureBytes key,
                                                  int cipherPageSize, std::shared_ptr<const Clock> clock,
                                                  StoreOptions options, bool creating) {
    std::unique_ptr<Store> store(new Store(path, std::move(key), cipherPageSize, std::move(clock), options));
    FACELEAD_TRY(store->connect(creating));
    return store;
}

Result<Store::Created> Store::create(const std::filesystem::path& path, std::string_view firstUsername,
                                     std::string_view firstPassword, std::shared_ptr<const Clock> clock,
                                     StoreOptions options) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec) || std::filesystem::exists(keyFilePath(path), ec))
        return makeError(ErrorCode::AlreadyExists,
                         "A store (or its key file) already exists at " + path.string() +
                             ". Choose another path; FaceLead never overwrites a store.");
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);

    if (!isValidCipherPageSize(options.cipherPageSize))
        return makeError(ErrorCode::InvalidArgument, "The store's page size must be a power of two from 512 to 65536.");
    SecureBytes key = generateDatabaseKey();
    Created created;
    created.recoveryKey = generateRecoveryKey();
    KeyFile file;
    file.cipherPageSize = options.cipherPageSize;
    auto recovery = wrapDatabaseKey(key, "", created.recoveryKey, options.kdf);
    if (!recovery) return recovery.error();
    file.recoverySlot = std::move(*recovery);
    auto first = wrapDatabaseKey(key, firstUsername, firstPassword, options.kdf);
    if (!first) return first.error();
    file.userSlots.push_back(std::move(*first));

    // Owner-only from the first byte; SQLite gives its WAL and shared-memory files the store's mode.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return makeError(ErrorCode::IoError, "Could not create the store " + path.string() + ": " +
                                                 std::strerror(errno) + ". Check the folder and its permissions.");
    ::close(fd);
    auto store = openWithKey(path, std::move(key), file.cipherPageSize, std::move(clock), options, /*creating=*/true);
    auto removeStoreFiles = [&path] {
        std::error_code ignored;
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path.string() + suffix, ignored);
    };
    if (!store) {
        removeStoreFiles();
        return store.error();
    }
    if (auto saved = saveKeyFile(keyFilePath(path), file); !saved) {
        store->reset();
        removeStoreFiles();
        return saved.error();
    }
    created.store = std::move(*store);
    return created;
}

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& path, std::string_view username,
                                           std::string_view password, std::shared_ptr<const Clock> clock,
                                           StoreOptions options) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return makeError(ErrorCode::StoreNotFound,
                         "There is no case store at " + path.string() + ". Check the path, or create one.");
    const auto keys = keyFilePath(path);
    auto file = loadKeyFile(keys);
    if (!file) return file.error();
    if (!clock) clock = std::make_shared<SystemClock>();
    const TimePoint now = clock->now();
    // A name that belongs to no account (a slot, or a deactivated account) is never recorded as typed: it
    // may be a password typed into the name field (issue 8 item 5). What is kept is unknownNameTag(): the
    // same typo gives the same tag, so repeated attempts still show in the audit log.
    const KeySlot* slot = file->findSlot(username);
    const auto& deactivated = file->deactivatedUsernames;
    const bool knownName = slot != nullptr ||
                           std::find(deactivated.begin(), deactivated.end(), username) != deactivated.end();
    const std::string name = knownName ? std::string(username) : unknownNameTag(username);
    auto record = [&](const char* action, const std::string& details = "{}") {
        return updateKeyFile(keys, [&](KeyFile& latest) { addPendingEvent(latest, now, name, action, details); });
    };

    if (slot == nullptr && knownName) {
        FACELEAD_TRY(record("signin.refused_not_active", R"({"status":"deactivated"})"));
        return makeError(ErrorCode::AccountNotActive,
                         "This account has been deactivated. Ask a program administrator.");
    }
    if (slot == nullptr) {
        // Same work and same answer as a wrong password: the reply never tells which was wrong.
        (void)unwrapDatabaseKey(file->recoverySlot, password);
        FACELEAD_TRY(record("signin.failed"));
        return wrongCredentials();
    }
    if (slot->lockedUntil && now < *slot->lockedUntil) {
        FACELEAD_TRY(record("signin.refused_locked"));
        return makeError(ErrorCode::AccountLocked, lockedMessage(*slot->lockedUntil));
    }
    auto key = unwrapDatabaseKey(*slot, password);
    if (!key) {
        std::optional<TimePoint> lockedUntil;
        FACELEAD_TRY(updateKeyFile(keys, [&](KeyFile& latest) {
            KeySlot* current = latest.findSlot(username);
            if (current == nullptr) return;  // removed meanwhile
            if (current->lockedUntil) current->failedAttempts = 0;  // the last lockout expired: count afresh
            current->lockedUntil.reset();
            ++current->failedAttempts;
            addPendingEvent(latest, now, name, "signin.failed",
                            "{\"consecutive_failures\":" + std::to_string(current->failedAttempts) + "}");
            // The agency's rule when the key file holds it (admin settings), else the caller's.
            const int maxFailures = latest.lockoutMaxAttempts.value_or(options.maxFailedSignIns);
            const auto lockout =
                latest.lockoutMinutes ? std::chrono::minutes(*latest.lockoutMinutes) : options.lockoutDuration;
            if (current->failedAttempts >= maxFailures) {
                current->lockedUntil = now + lockout;
                lockedUntil = current->lockedUntil;
                addPendingEvent(latest, now, name, "account.locked",
                                "{\"until\":\"" + toIsoUtc(*current->lockedUntil) + "\"}");
            }
        }));
        if (lockedUntil)
            return makeError(ErrorCode::AccountLocked, "Wrong user name or password. " + lockedMessage(*lockedUntil));
        return wrongCredentials();
    }
    const bool hadFailures = slot->failedAttempts != 0 || slot->lockedUntil;
    auto store = openWithKey(path, std::move(*key), file->cipherPageSize, std::move(clock), options,
                             /*creating=*/false);
    if (!store) return store.error();
    if (hadFailures) {
        FACELEAD_TRY(updateKeyFile(keys, [&](KeyFile& latest) {
            if (KeySlot* current = latest.findSlot(username)) {
                current->failedAttempts = 0;
                current->lockedUntil.reset();
            }
        }));
    }
    return store;
}

Result<std::unique_ptr<Store>> Store::openWithRecoveryKey(const std::filesystem::path& path,
                                                          std::string_view recoveryKey,
                                                          std::shared_ptr<const Clock> clock, StoreOptions options) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return makeError(ErrorCode::StoreNotFound,
                         "There is no case store at " + path.string() + ". Check the path, or create one.");
    auto file = loadKeyFileOf(path);
    if (!file) return file.error();
    auto key = unwrapDatabaseKey(file->recoverySlot, normaliseRecoveryKey(recoveryKey));
    if (!key)
        return makeError(ErrorCode::WrongCredentials,
                         "The recovery key does not open this store. Check it letter by letter.");
    return openWithKey(path, std::move(*key), file->cipherPageSize, std::move(clock), options, /*creating=*/false);
}

Result<Statement> Store::prepare(std::string_view sql) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    if (rc != SQLITE_OK)
        return sqliteError(db_, sqlite3_extended_errcode(db_), "The store could not prepare a request");
    return Statement(db_, raw);
}

Result<void> Store::exec(std::string_view sql) { return execute(db_, sql, "The store could not carry out a request"); }

std::int64_t Store::lastInsertId() const { return sqlite3_last_insert_rowid(db_); }

Result<void> Store::begin() {
    FACELEAD_TRY(execute(db_, "BEGIN IMMEDIATE", "Could not start a change"));
    transactionDepth_ = 1;
    nestedFailure_.reset();
    return {};
}

Result<void> Store::commit() {
    FACELEAD_TRY(execute(db_, "COMMIT", "Could not save the change"));
    transactionDepth_ = 0;
    return {};
}

void Store::rollback() {
    if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    transactionDepth_ = 0;
    nestedFailure_.reset();
}

Result<std::optional<std::string>> Store::setting(std::string_view key) {
    auto statement = prepare("SELECT value FROM settings WHERE key = ?");
    if (!statement) return statement.error();
    statement->bind(1, key);
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return std::optional<std::string>();
    return std::optional<std::string>(statement->getText(0));
}

Result<void> Store::setSetting(Transaction& tx, std::string_view key, std::string_view value) {
    auto statement = tx.prepare(
        "INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)");  // SQLCipher 3.4's SQLite has no UPSERT
    if (!statement) return statement.error();
    return statement->bind(1, key).bind(2, value).run();
}

Result<void> Store::writeKeySlot(std::string_view username, std::string_view password) {
    auto slot = wrapDatabaseKey(key_, username, password, options_.kdf);  // slow: before taking the lock
    if (!slot) return slot.error();
    return updateKeyFile(keyFile(), [&](KeyFile& file) {
        if (KeySlot* existing = file.findSlot(username))
            *existing = std::move(*slot);
        else
            file.userSlots.push_back(std::move(*slot));
        std::erase(file.deactivatedUsernames, std::string(username));
    });
}

Result<void> Store::removeKeySlot(std::string_view username) {
    return updateKeyFile(keyFile(), [&](KeyFile& file) {
        std::erase_if(file.userSlots, [&](const KeySlot& slot) { return slot.username == username; });
        file.deactivatedUsernames.emplace_back(username);
    });
}

Result<bool> Store::hasKeySlot(std::string_view username) const {
    auto file = loadKeyFile(keyFile());
    if (!file) return file.error();
    return file->findSlot(username) != nullptr;
}

Result<void> Store::clearLockout(std::string_view username) {
    return updateKeyFile(keyFile(), [&](KeyFile& file) {
        if (KeySlot* slot = file.findSlot(username)) {
            slot->failedAttempts = 0;
            slot->lockedUntil.reset();
        }
    });
}

Result<void> Store::setLockoutRule(int maxFailedSignIns, std::chrono::minutes duration) {
    return updateKeyFile(keyFile(), [&](KeyFile& file) {
        file.lockoutMaxAttempts = maxFailedSignIns;
        file.lockoutMinutes = static_cast<int>(duration.count());
    });
}

Result<std::vector<PendingEvent>> Store::pendingEvents() const {
    auto file = loadKeyFileOf(path_);
    if (!file) return file.error();
    return file->pendingEvents;
}

Result<void> Store::clearPendingEvents(std::size_t count) {
    // Events are only ever appended, so the first `count` are the ones carried over.
    return updateKeyFile(keyFile(), [&](KeyFile& file) {
        auto& events = file.pendingEvents;
        events.erase(events.begin(), events.begin() + static_cast<std::ptrdiff_t>(std::min(count, events.size())));
    });
}

}  // namespace facelead::store
