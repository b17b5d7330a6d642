#include "core/store/Store.h"

#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

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

// A key rotation holds this lock from sealing the new key to the end of its rekey, which rewrites every page: for a
// store of some size on a loaded machine that outlasts a busy timeout meant for one transaction, and a program that
// met it said "busy", or after one retry "damaged" (CI, trial 42). One that meets a rotation waits it out, this long.
constexpr auto kRotationWait = std::chrono::minutes(2);

std::filesystem::path rotationLockPath(const std::filesystem::path& keyFile) {
    return keyFile.string() + ".rotation.lock";
}

// True when another program was rotating the key and finished within kRotationWait. A shared lock, tried and let go
// at once, conflicts only with the rotation's exclusive one.
bool waitedOutRotation(const std::filesystem::path& keyFile) {
    const int fd = ::open(rotationLockPath(keyFile).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;  // no rotation ever ran
    const auto deadline = std::chrono::steady_clock::now() + kRotationWait;
    bool waited = false;
    while (::flock(fd, LOCK_SH | LOCK_NB) != 0 && (errno == EWOULDBLOCK || errno == EINTR)) {
        waited = std::chrono::steady_clock::now() < deadline;
        if (!waited) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::close(fd);
    return waited;
}

// PRAGMA key / rekey with the raw key as x'<64 hex>', built in guarded memory.
Result<void> applyKey(sqlite3* db, std::string_view pragma, const SecureBytes& key,
                      std::string_view context) {
    const std::string prefix = "PRAGMA " + std::string(pragma) + " = \"x'";
    static constexpr char kSuffix[] = "'\";";
    SecureBytes statement(prefix.size() + key.size() * 2 + sizeof kSuffix);
    char* text = reinterpret_cast<char*>(statement.data());
    std::memcpy(text, prefix.data(), prefix.size());
    sodium_bin2hex(text + prefix.size(), key.size() * 2 + 1, key.data(), key.size());
    std::memcpy(text + prefix.size() + key.size() * 2, kSuffix, sizeof kSuffix);
    if (sqlite3_exec(db, text, nullptr, nullptr, nullptr) != SQLITE_OK)
        return sqliteError(db, sqlite3_extended_errcode(db), context);
    return {};
}

// PRAGMA quick_check on db: every page read, decrypted and its HMAC verified, the b-trees checked. The
// problems found ("" when none); an error when the check itself could not run.
Result<std::string> quickCheckProblems(sqlite3* db) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check(20)", -1, &raw, nullptr) != SQLITE_OK)
        return sqliteError(db, sqlite3_extended_errcode(db), "Could not check the store");
    Statement check(db, raw);
    std::string problems;
    while (true) {
        auto row = check.step();
        if (!row) return row.error();
        if (!*row) return problems;
        const std::string line = check.getText(0);
        if (line != "ok") problems += (problems.empty() ? "" : "; ") + line;
    }
}

std::string damagedMessage(const std::filesystem::path& path, const std::string& problems) {
    return "The store file " + path.string() + " is damaged (" + problems +
           "). Nothing was changed; restore the store from its backup.";
}

bool isStoreId(const std::string& text) {
    return text.size() == 32 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

Result<KeyFile> loadKeyFileOf(const std::filesystem::path& storePath) { return loadKeyFile(keyFilePath(storePath)); }

void addPendingEvent(KeyFile& file, TimePoint at, std::string_view username, const char* action,
                     const std::string& details) {
    file.pendingEvents.push_back(PendingEvent{at, std::string(username), action, details});
}

// One more consecutive failure of username's slot (a wrong password, or a wrong second factor), locking it
// under the agency's rule when the key file holds it (admin settings), else the caller's. recordEvents:
// the store could not be opened, so the events wait in the key file for the next open. Returns the end of
// the lockout this failure started.
std::optional<TimePoint> countFailedSignIn(KeyFile& latest, std::string_view username, const std::string& name,
                                           TimePoint now, const StoreOptions& options, bool recordEvents) {
    KeySlot* current = latest.findSlot(username);
    if (current == nullptr) return std::nullopt;  // removed meanwhile
    if (current->lockedUntil) current->failedAttempts = 0;  // the last lockout expired: count afresh
    current->lockedUntil.reset();
    ++current->failedAttempts;
    if (recordEvents)
        addPendingEvent(latest, now, name, "signin.failed",
                        "{\"consecutive_failures\":" + std::to_string(current->failedAttempts) + "}");
    const int maxFailures = latest.lockoutMaxAttempts.value_or(options.maxFailedSignIns);
    const auto lockout =
        latest.lockoutMinutes ? std::chrono::minutes(*latest.lockoutMinutes) : options.lockoutDuration;
    if (current->failedAttempts < maxFailures) return std::nullopt;
    current->lockedUntil = now + lockout;
    if (recordEvents)
        addPendingEvent(latest, now, name, "account.locked",
                        "{\"until\":\"" + toIsoUtc(*current->lockedUntil) + "\"}");
    return current->lockedUntil;
}

}  // namespace

// ---------------------------------------------------------------- Transaction

Result<Statement> Transaction::prepare(std::string_view sql) { return store_.prepare(sql); }
Result<void> Transaction::exec(std::string_view sql) { return store_.exec(sql); }
std::int64_t Transaction::lastInsertId() const { return store_.lastInsertId(); }
int Transaction::changes() const { return sqlite3_changes(store_.db_); }
TimePoint Transaction::now() const { return store_.now(); }

// ---------------------------------------------------------------- Store

Store::Store(std::filesystem::path path, SlotSecrets secrets, std::string signerName, int cipherPageSize,
             std::shared_ptr<const Clock> clock, StoreOptions options)
    : path_(std::move(path)),
      key_(std::move(secrets.databaseKey)),
      signingKey_(std::move(secrets.signingKey)),
      signerName_(std::move(signerName)),
      anchor_(options.anchor ? options.anchor : defaultAnchor()),
      cipherPageSize_(cipherPageSize),
      clock_(std::move(clock)),
      options_(options) {
    if (!clock_) clock_ = std::make_shared<SystemClock>();
}

Store::~Store() {
    if (replacement_ != nullptr) sqlite3_close_v2(replacement_);
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
    auto opened = openConnection(creating);
    if (!opened) return opened.error();
    db_ = *opened;

    // SQLCipher answers cipher_version even before a key is set; plain SQLite (which OpenCV/dlib also load
    // into the process) answers nothing. Never run unencrypted.
    auto cipher = queryText(db_, "PRAGMA cipher_version", "Could not check the store's encryption");
    if (!cipher) return cipher.error();
    if (cipher->empty())
        return makeError(ErrorCode::NotEncrypted,
                         "FaceLead is linked against plain SQLite instead of SQLCipher, so the store cannot be "
                         "encrypted. Refusing to open it; reinstall FaceLead.");
    cipherVersion_ = *cipher;

    FACELEAD_TRY(unlockConnection(db_, key_));

    if (!creating) {
        const auto checked = checkOnOpen();
        // The key file's page size is outside every slot's checksum: one edited number read as "the store file is
        // damaged ... restore the store from its backup", advice that would have thrown away committed work
        // (trial 23A F2). When the key opens the store at another page size, the key file is what changed.
        if (!checked && checked.error().code == ErrorCode::StoreCorrupt)
            for (int size = 512; size <= 65536; size *= 2)
                if (size != cipherPageSize_ && keyOpens(path_, key_, size))
                    return makeError(ErrorCode::KeyFileCorrupt,
                                     "The key file gives the store's page size as " + std::to_string(cipherPageSize_) +
                                         " bytes, but the store opens with " + std::to_string(size) +
                                         ": the key file was edited outside FaceLead. The store itself is intact and "
                                         "nothing was changed; put the key file's cipher_page_size back to " +
                                         std::to_string(size) + " or restore the key file (not the store) from its "
                                         "backup, and tell a program administrator.");
        if (!checked) return checked.error();
    }
    if (!creating && options_.integrityCheckOnOpen) FACELEAD_TRY(checkIntegrity());
    FACELEAD_TRY(tuneConnection(db_));
    auto migrated = schema::migrate(db_, options_.targetSchemaVersion, toIsoUtc(now()));
    if (!migrated) return migrated.error();
    schemaVersion_ = *migrated;
    // The id the signed first entry ("store.created") recorded, which keys every anchored head; the settings row only
    // while that entry is not yet written (the store being created). The row is no signed record: an insider who
    // named another store in it had every head of his session recorded under that name, cut the log's tail, wrote
    // the real id back, and nothing was reported (trial 24A N7). An id that is not one names no anchor: the chain's
    // head is then not anchored, and `audit verify` says so.
    auto storeId = queryText(db_,
                             "SELECT coalesce((SELECT substr(details, instr(details, '\"store_id\":\"') + 12, 32) "
                             "FROM audit_log WHERE seq = (SELECT min(seq) FROM audit_log) AND action = 'store.created' "
                             "AND instr(details, '\"store_id\":\"') > 0), "
                             "(SELECT value FROM settings WHERE key = 'store_id'), '')",
                             "Could not read the store");
    if (!storeId) return storeId.error();
    storeId_ = isStoreId(*storeId) ? *storeId : std::string();
    noteConnectedFiles();
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
    followRotation();
    FACELEAD_TRY(stillAdmitted());
    auto problems = quickCheckProblems(db_);
    if (!problems) return problems.error();
    if (!problems->empty()) return makeError(ErrorCode::StoreCorrupt, damagedMessage(path_, *problems));
    auto differences = schema::departures(db_);
    if (!differences) return differences.error();
    if (differences->empty()) return {};
    std::string named;
    for (const std::string& difference : *differences) named += (named.empty() ? "" : "; ") + difference;
    return makeError(ErrorCode::IntegrityViolation,
                     "The store's schema was changed outside FaceLead (" + named + "). FaceLead's write-once "
                     "triggers keep its records from being rewritten; the signed audit log still names any row "
                     "changed (audit verify). Report it to the program administrator (SOP 302.02 VI.C.2) and restore "
                     "the store from its backup.");
}

Result<std::unique_ptr<Store>> Store::openWithKey(const std::filesystem::path& path, SlotSecrets secrets,
                                                  std::string signerName, int cipherPageSize,
                                                  std::shared_ptr<const Clock> clock, StoreOptions options,
                                                  bool creating) {
    std::unique_ptr<Store> store(new Store(path, std::move(secrets), std::move(signerName), cipherPageSize,
                                           std::move(clock), options));
    // A rotation elsewhere (an administrator's reset beside this sign-in) can rekey the store between the reading of
    // the key file and the open: the key unwrapped then no longer opens it, and the open called an intact store damaged
    // (trial 41 F2). The key the rotation sealed to this account opens it; rotations in a row are followed a few times.
    for (int attempt = 0;; ++attempt) {
        auto connected = store->connect(creating);
        if (connected) return store;
        if (creating || attempt == 3 || connected.error().code != ErrorCode::StoreCorrupt) return connected.error();
        SecureBytes rotated = store->rotatedKeyFromKeyFile(RekeyUnderWay::Wait);
        FACELEAD_TRY(store->stillAdmitted());
        if (rotated.empty() && !keyOpens(path, store->key_, cipherPageSize)) return connected.error();
        sqlite3_close_v2(std::exchange(store->db_, nullptr));
        if (!rotated.empty()) store->key_ = std::move(rotated);
    }
}

Result<void> Store::enrolSigningKey(const std::filesystem::path& keys, const KeySlot& slot,
                                    SlotSecrets& secrets, std::string_view secret, KdfParams kdf) {
    secrets.signingKey = generateSigningKey();
    auto upgraded = wrapSlot(secrets.databaseKey, secrets.signingKey, slot.username, secret, kdf);
    if (!upgraded) return upgraded.error();
    return updateKeyFile(keys, [&](KeyFile& file) {
        KeySlot* current = slot.username.empty() ? &file.recoverySlot : file.findSlot(slot.username);
        if (current != nullptr) *current = std::move(*upgraded);
    });
}

Result<void> Store::signAs(std::string_view username, std::string_view password) {
    auto file = loadKeyFile(keyFile());
    if (!file) return file.error();
    const KeySlot* slot = file->findSlot(username);
    if (slot == nullptr)
        return makeError(ErrorCode::NotFound, "There is no key slot for " + std::string(username) + ".");
    auto secrets = unwrapSlot(*slot, password);
    if (!secrets) return secrets.error();
    signingKey_ = std::move(secrets->signingKey);
    signerName_ = std::string(username);
    return {};
}

bool Store::keyOpens(const std::filesystem::path& path, const SecureBytes& key, int cipherPageSize) {
    sqlite3* db = nullptr;
    const bool opens = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                                       nullptr) == SQLITE_OK &&
                       applyKey(db, "key", key, "").ok() &&
                       execute(db, "PRAGMA cipher_page_size = " + std::to_string(cipherPageSize), "").ok() &&
                       execute(db, "SELECT count(*) FROM sqlite_master", "").ok();
    sqlite3_close_v2(db);
    return opens;
}

Result<void> Store::adoptRotatedKey(const std::filesystem::path& path, const KeySlot& slot,
                                    SlotSecrets& secrets, std::string_view secret, int cipherPageSize,
                                    const StoreOptions& options) {
    if (slot.sealedKey.empty() || secrets.rotatedKey.empty()) return {};
    const bool adopted = secrets.rotatedKey.size() == secrets.databaseKey.size() &&
                         sodium_memcmp(secrets.rotatedKey.data(), secrets.databaseKey.data(), secrets.databaseKey.size()) == 0;
    // A seal whose rekey is still under way is left for later; one already adopted needs nothing more.
    if (adopted || !keyOpens(path, secrets.rotatedKey, cipherPageSize)) return {};
    secrets.databaseKey = std::move(secrets.rotatedKey);
    // Re-wrapped under the same secret, so the next sign-in needs no unsealing. The seal stays: another session of
    // this account, open elsewhere (the workstation beside a CLI sign-in), follows the rotation by it; dropped,
    // that session read the store with the old key and called it damaged (trial 27 F4). The next rotation
    // replaces it.
    auto rewrapped = wrapSlot(secrets.databaseKey, secrets.signingKey, slot.username, secret, options.kdf);
    if (!rewrapped) return rewrapped.error();
    return updateKeyFile(keyFilePath(path), [&](KeyFile& file) {
        KeySlot* current = slot.username.empty() ? &file.recoverySlot : file.findSlot(slot.username);
        // A slot a reset replaced meanwhile (a new key pair under a new password) is the reset's: re-wrapped from
        // what this sign-in read, the reset was undone and the account's key no longer the certified one (trial 42).
        if (current == nullptr || current->publicKey != slot.publicKey) return;
        rewrapped->failedAttempts = current->failedAttempts;
        rewrapped->lockedUntil = current->lockedUntil;
        rewrapped->sealedKey = current->sealedKey;
        *current = std::move(*rewrapped);
    });
}

std::string Store::signerPublicKey() const { return toHex(publicKeyOf(signingKey_)); }

std::string Store::sign(std::string_view message) const {
    if (signingKey_.size() != crypto_sign_SECRETKEYBYTES) return {};
    unsigned char signature[crypto_sign_BYTES];
    crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), signingKey_.data());
    return toHex(signature);
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
    SlotSecrets secrets{generateDatabaseKey(), generateSigningKey(), SecureBytes()};
    Created created;
    created.recoveryKey = generateRecoveryKey();
    KeyFile file;
    file.cipherPageSize = options.cipherPageSize;
    auto recovery = wrapSlot(secrets.databaseKey, generateSigningKey(), "", created.recoveryKey, options.kdf);
    if (!recovery) return recovery.error();
    file.recoverySlot = std::move(*recovery);
    created.recoveryPublicKey = toHex(file.recoverySlot.publicKey);
    auto first = wrapSlot(secrets.databaseKey, secrets.signingKey, firstUsername, firstPassword, options.kdf);
    if (!first) return first.error();
    file.userSlots.push_back(std::move(*first));

    // Owner-only from the first byte; SQLite gives its WAL and shared-memory files the store's mode.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return makeError(ErrorCode::IoError, "Could not create the store " + path.string() + ": " +
                                                 std::strerror(errno) + ". Check the folder and its permissions.");
    ::close(fd);
    auto store = openWithKey(path, std::move(secrets), std::string(firstUsername), file.cipherPageSize,
                             std::move(clock), options, /*creating=*/true);
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
    // may be a password typed into the name field (issue 8 item 5); see kUnknownName.
    const KeySlot* slot = file->findSlot(username);
    const auto& deactivated = file->deactivatedUsernames;
    const bool knownName = slot != nullptr ||
                           std::find(deactivated.begin(), deactivated.end(), username) != deactivated.end();
    const std::string name = knownName ? std::string(username) : std::string(kUnknownName);
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
    if (slot->damaged) {
        // KeyFileCorrupt: never counted as a failure, but on record: a slot edited outside FaceLead, or a
        // ghost account's slot, tried (trial 11).
        FACELEAD_TRY(record("signin.refused_damaged_slot"));
        return unwrapSlot(*slot, password).error();
    }
    auto secrets = unwrapSlot(*slot, password);
    if (!secrets) {
        std::optional<TimePoint> lockedUntil;
        FACELEAD_TRY(updateKeyFile(keys, [&](KeyFile& latest) {
            lockedUntil = countFailedSignIn(latest, username, name, now, options, /*recordEvents=*/true);
        }));
        if (lockedUntil)
            return makeError(ErrorCode::AccountLocked, "Wrong user name or password. " + lockedMessage(*lockedUntil));
        return wrongCredentials();
    }
    const bool hadFailures = slot->failedAttempts != 0 || slot->lockedUntil;
    const bool enrol = secrets->signingKey.empty();
    if (enrol) FACELEAD_TRY(enrolSigningKey(keys, *slot, *secrets, password, options.kdf));
    FACELEAD_TRY(adoptRotatedKey(path, *slot, *secrets, password, file->cipherPageSize, options));
    auto store = openWithKey(path, std::move(*secrets), std::string(username), file->cipherPageSize,
                             std::move(clock), options, /*creating=*/false);
    // The password was right: a key that does not open the store is far more often one a rotation left out (a
    // password reset or changed in entries the store lost, a revoked key: trial 70 F3) than a damaged file, and
    // "restore the store from its backup" would throw committed work away.
    if (!store && store.error().code == ErrorCode::StoreCorrupt)
        return makeError(ErrorCode::StoreCorrupt,
                         "The password of " + std::string(username) + " opens its key slot, but the key in it does "
                         "not open the store: the store's key was rotated since without this slot (its password was "
                         "reset or changed elsewhere, or its key revoked: ask a program administrator to reset the "
                         "password), or the key file beside the store is an older copy. Nothing was changed. Only "
                         "if every account is refused so is the store file itself damaged; then restore it from its "
                         "backup.");
    if (!store) return store.error();
    (*store)->signingKeyEnrolled_ = enrol;
    (*store)->hadFailedSignIns_ = hadFailures;  // cleared by confirmSignIn, once every factor passed
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
    const std::string secret = normaliseRecoveryKey(recoveryKey);
    auto secrets = unwrapSlot(file->recoverySlot, secret);
    if (!secrets && secrets.error().code == ErrorCode::KeyFileCorrupt) return secrets.error();
    if (!secrets)
        return makeError(ErrorCode::WrongCredentials,
                         "The recovery key does not open this store. Check it letter by letter.");
    const bool enrol = secrets->signingKey.empty();
    if (enrol)
        FACELEAD_TRY(enrolSigningKey(keyFilePath(path), file->recoverySlot, *secrets, secret, options.kdf));
    FACELEAD_TRY(adoptRotatedKey(path, file->recoverySlot, *secrets, secret, file->cipherPageSize, options));
    auto store = openWithKey(path, std::move(*secrets), kRecoverySigner, file->cipherPageSize,
                             std::move(clock), options,
                             /*creating=*/false);
    if (!store) return store.error();
    (*store)->signingKeyEnrolled_ = enrol;
    return store;
}

Result<sqlite3*> Store::openConnection(bool creating) const {
    sqlite3* db = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | (creating ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    if (int rc = sqlite3_open_v2(path_.c_str(), &db, flags, nullptr); rc != SQLITE_OK) {
        auto failed = sqliteError(db, rc, "Could not open the store " + path_.string());
        sqlite3_close_v2(db);
        return failed;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, static_cast<int>(options_.busyTimeout.count()));
    return db;
}

Result<void> Store::unlockConnection(sqlite3* db, const SecureBytes& key) const {
    FACELEAD_TRY(applyKey(db, "key", key, "Could not unlock the store"));
    // The raw-key form above skips SQLCipher's PBKDF2 (the key is already random; Argon2id guards the slots).
    // The page size cannot be read from an encrypted file: it comes from the key file, before the first read.
    return execute(db, "PRAGMA cipher_page_size = " + std::to_string(cipherPageSize_),
                   "Could not configure the store's encryption");
}

Result<void> Store::tuneConnection(sqlite3* db) const {
    FACELEAD_TRY(execute(db, "PRAGMA cache_size = -" + std::to_string(std::max(options_.cacheKiB, 0)),
                         "Could not configure the store"));
    FACELEAD_TRY(execute(db, "PRAGMA foreign_keys = ON", "Could not configure the store"));
    auto journal = queryText(db, "PRAGMA journal_mode = WAL", "Could not configure the store");
    if (!journal) return journal.error();
    return {};
}

Store::FileSeen Store::seenOf(const std::filesystem::path& file) {
    struct stat info{};
    if (::stat(file.c_str(), &info) != 0) return {};
    return {std::int64_t(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec, std::uint64_t(info.st_size),
            std::uint64_t(info.st_dev), std::uint64_t(info.st_ino)};
}

// The WAL too: a rotation's rekey commits there, after the key file got the sealed key; a look between the two must
// not be taken for the last word (issue 9).
Store::FilesSeen Store::lookAtFiles() const {
    return {seenOf(keyFile()), seenOf(path_), seenOf(path_.string() + "-wal")};
}

void Store::noteConnectedFiles() {
    // The WAL exists while any connection has the store open in WAL mode; db_ has read it (the open's checks).
    const auto [keys, store, wal] = lookAtFiles();
    if (store.inode != 0 && wal.inode != 0) connectedFiles_ = std::pair{identityOf(store), identityOf(wal)};
}

void Store::followRotation() {
    if (transactionDepth_ > 0) return;
    const FilesSeen seen = lookAtFiles();
    const auto& [keys, store, wal] = seen;
    if (connectedFiles_ && std::pair{identityOf(store), identityOf(wal)} != *connectedFiles_)
        revoked_ = Revoked::FilesReplaced;
    if (signerName_.empty()) return;
    if (seen == filesSeen_) return;
    filesSeen_ = seen;
    SecureBytes rotated = rotatedKeyFromKeyFile(RekeyUnderWay::Skip);
    if (rotated.empty()) return;
    auto fresh = openConnection(false);
    if (!fresh) return;
    if (!unlockConnection(*fresh, rotated) || !tuneConnection(*fresh)) {
        sqlite3_close_v2(*fresh);
        return;
    }
    sqlite3_close_v2(db_);  // statements still open keep the old connection alive until they are finalized
    db_ = *fresh;
    key_ = std::move(rotated);
    noteConnectedFiles();
}

SecureBytes Store::rotatedKeyFromKeyFile(RekeyUnderWay underWay) {
    if (underWay == RekeyUnderWay::Wait) waitedOutRotation(keyFile());
    const auto deadline = std::chrono::steady_clock::now() + options_.busyTimeout;
    while (true) {
        auto file = loadKeyFile(keyFile());
        if (!file) return {};  // the next statement reports what is wrong
        const KeySlot* slot = signerName_ == kRecoverySigner ? &file->recoverySlot : file->findSlot(signerName_);
        if (slot == nullptr) {  // deactivated: nothing is sealed for this account, and it is told so (not "damaged")
            // Only when the key was changed elsewhere: a session that deactivated its own account (the inactivity
            // sweep at sign-in) rotated the key itself and finishes what it was doing.
            if (std::ranges::find(file->deactivatedUsernames, signerName_) != file->deactivatedUsernames.end() &&
                !keyOpens(path_, key_, cipherPageSize_))
                revoked_ = Revoked::Deactivated;
            return {};
        }
        // A reset gave the slot a new key pair: nothing is sealed to this session's key any more (trial 42 F1).
        if (!signingKey_.empty() && toHex(slot->publicKey) != signerPublicKey()) {
            if (!keyOpens(path_, key_, cipherPageSize_)) revoked_ = Revoked::PasswordReset;
            return {};
        }
        SecureBytes rotated = openSealedKey(*slot, signingKey_);
        const bool isNew = !rotated.empty() && sodium_memcmp(rotated.data(), key_.data(), key_.size()) != 0;
        if (!isNew) return {};
        if (keyOpens(path_, rotated, cipherPageSize_)) return rotated;
        // Sealed but not yet rekeyed: the rotation is under way, and the store file changes when it is done. Where
        // this connection can no longer read, the rekey is waited for, up to the busy timeout, as a lock is: called
        // damaged instead, an intact store was to be restored from backup (trial 42 F2, F9).
        if (underWay == RekeyUnderWay::Skip || std::chrono::steady_clock::now() >= deadline) return {};
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

Result<sqlite3*> Store::openCheckedConnection(const SecureBytes& key) const {
    auto fresh = openConnection(false);
    if (!fresh) return fresh.error();
    auto checked = [&]() -> Result<void> {
        FACELEAD_TRY(unlockConnection(*fresh, key));
        FACELEAD_TRY(tuneConnection(*fresh));
        auto problems = quickCheckProblems(*fresh);
        if (!problems) return problems.error();
        if (!problems->empty()) return makeError(ErrorCode::StoreCorrupt, damagedMessage(path_, *problems));
        return {};
    }();
    if (checked) return *fresh;
    sqlite3_close_v2(*fresh);
    return checked.error();
}

Result<void> Store::recoverUnreadable(std::string_view detail, std::string_view context, bool canRetry) {
    // A rotation elsewhere that this connection has not followed.
    SecureBytes key = rotatedKeyFromKeyFile(RekeyUnderWay::Wait);
    FACELEAD_TRY(stillAdmitted());
    if (key.empty()) {
        key = SecureBytes(key_.size());
        std::memcpy(key.data(), key_.data(), key_.size());
    }
    // A fresh connection confirms damage (StoreCorrupt from the open or the check) or finds the store intact.
    auto fresh = openCheckedConnection(key);
    if (!fresh) return fresh.error();
    if (replacement_ != nullptr) sqlite3_close_v2(replacement_);
    replacement_ = *fresh;
    replacementKey_ = std::move(key);
    if (transactionDepth_ == 0) adoptReplacement();
    if (canRetry && transactionDepth_ == 0) return {};
    return makeError(ErrorCode::StoreBusy,
                     std::string(context) + ": this session's connection to the store could not read it (" +
                         std::string(detail) +
                         "), probably while another FaceLead program was changing it. A fresh connection found "
                         "the store intact and is used from now on. Nothing was changed: try again. The store is "
                         "not damaged: do not restore a backup.");
}

bool Store::adoptReplacement() {
    if (replacement_ == nullptr || transactionDepth_ > 0) return false;
    sqlite3_close_v2(db_);  // statements still open keep the old connection alive until they are finalized
    db_ = std::exchange(replacement_, nullptr);
    key_ = std::move(replacementKey_);
    noteConnectedFiles();
    return true;
}

Result<void> Store::executeRecovering(std::string_view sql, std::string_view context) {
    const std::string text(sql);
    // Rotations back to back can end between a recovery and the retry: each retry follows the next one.
    constexpr int kRetries = 4;
    for (int retry = 0;; ++retry) {
        if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK) return {};
        const int rc = sqlite3_extended_errcode(db_);
        const bool busy = (rc & 0xff) == SQLITE_BUSY;
        if (retry == kRetries || !(isUnreadable(rc) || busy)) return sqliteError(db_, rc, context);
        if (busy && !waitedOutRotation(keyFile())) return sqliteError(db_, rc, context);
        if (!busy) FACELEAD_TRY(recoverUnreadable(sqlite3_errmsg(db_), context, /*canRetry=*/true));
    }
}

Result<void> Store::stillAdmitted() const {
    if (revoked_ == Revoked::No) return {};
    if (revoked_ == Revoked::FilesReplaced)
        return makeError(ErrorCode::IntegrityViolation,
                         "The store's files at " + path_.string() + " were replaced or deleted while you were signed in "
                         "(a backup put back, a copy put in its place, or its -wal file removed): this session's "
                         "connection no longer reaches the store others use, so nothing more is read or written "
                         "through it. Sign out and sign in again: FaceLead then checks the store against its anchors "
                         "and says what is missing. Tell a program administrator (SOP 302.02 VI.C.2).");
    if (revoked_ == Revoked::PasswordReset)
        return makeError(ErrorCode::AccountNotActive,
                         "The password of " + signerName_ + " was changed while you were signed in (by its owner in "
                         "another FaceLead program, or reset by a program administrator), and the store's key was "
                         "changed: nothing more can be read or written with the old one. Sign out and sign in with the "
                         "new password. (The store is not damaged: do not restore a backup.)");
    return makeError(ErrorCode::AccountNotActive,
                     "Your account (" + signerName_ + ") was deactivated while you were signed in, and the store's "
                     "key was changed: nothing more can be read or written in your name, and this session ends. (The "
                     "store is not damaged: do not restore a backup.)");
}

Result<Statement> Store::prepare(std::string_view sql) {
    followRotation();
    FACELEAD_TRY(stillAdmitted());
    static constexpr std::string_view kContext = "The store could not prepare a request";
    for (bool recovered = false;; recovered = true) {
        sqlite3_stmt* raw = nullptr;
        if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, nullptr) == SQLITE_OK)
            return Statement(db_, raw, this);
        const int rc = sqlite3_extended_errcode(db_);
        if (recovered || !isUnreadable(rc)) return sqliteError(db_, rc, kContext);
        FACELEAD_TRY(recoverUnreadable(sqlite3_errmsg(db_), kContext, /*canRetry=*/true));
    }
}

Result<void> Store::exec(std::string_view sql) {
    followRotation();
    FACELEAD_TRY(stillAdmitted());
    return executeRecovering(sql, "The store could not carry out a request");
}

std::int64_t Store::lastInsertId() const { return sqlite3_last_insert_rowid(db_); }

Result<void> Store::begin() {
    followRotation();
    FACELEAD_TRY(stillAdmitted());
    FACELEAD_TRY(executeRecovering("BEGIN IMMEDIATE", "Could not start a change"));
    transactionDepth_ = 1;
    nestedFailure_.reset();
    return {};
}

Result<void> Store::commit() {
    FACELEAD_TRY(execute(db_, "COMMIT", "Could not save the change"));
    transactionDepth_ = 0;
    signingKeyBeforeTransaction_ = SecureBytes();
    if (pendingHead_ && !storeId_.empty()) {
        if (auto anchored = anchor_->record(storeId_, *pendingHead_); !anchored)
            anchorWarning_ = anchored.error().message;
    }
    pendingHead_.reset();
    return {};
}

bool Store::rollback() {
    if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    transactionDepth_ = 0;
    if (!signingKeyBeforeTransaction_.empty()) signingKey_ = std::move(signingKeyBeforeTransaction_);
    nestedFailure_.reset();
    pendingHead_.reset();
    return adoptReplacement();
}

void Store::noteAuditHead(std::int64_t seq, std::string hash, std::string previousHash, std::string entryAt,
                          std::string accounts, std::string settings) {
    if (!pendingHead_) {  // the transaction's first entry: where it follows on
        pendingHead_.emplace();
        pendingHead_->file = anchoredFile(path_);
        pendingHead_->baseSeq = seq - 1;
        pendingHead_->baseHash = std::move(previousHash);
    }
    pendingHead_->seq = seq;
    pendingHead_->hash = std::move(hash);
    pendingHead_->entryAt = std::move(entryAt);
    if (!accounts.empty()) pendingHead_->accounts = std::move(accounts);
    if (!settings.empty()) pendingHead_->settings = std::move(settings);
}

Result<void> Store::rotateDatabaseKey(const std::function<std::string(const std::string&)>& certifiedKeyOf) {
    if (transactionDepth_ > 0)
        return makeError(ErrorCode::Internal, "The database key cannot be rotated inside a transaction.");
    // One rotation at a time across programs: two at once (two administrators' resets) could leave the key file
    // sealing one key while the store was rekeyed to the other. The one that waited follows the rotation before it.
    auto rotating = ExclusiveLock::acquire(rotationLockPath(keyFile()));
    if (!rotating) return rotating.error();
    filesSeen_ = {};
    followRotation();
    FACELEAD_TRY(stillAdmitted());
    SecureBytes next = generateDatabaseKey();
    // First the sealed keys, then the rekey: a crash in between leaves slots whose sealed key does not open
    // the store yet, and sign-in falls back to the key they wrap.
    FACELEAD_TRY(updateKeyFile(keyFile(), [&](KeyFile& file) {
        auto seal = [&](KeySlot& slot, const std::string& name) {
            slot.sealedKey.clear();
            if (!slot.publicKey.empty() && certifiedKeyOf(name) == toHex(slot.publicKey))
                slot.sealedKey = sealDatabaseKey(next, slot.publicKey);
        };
        for (auto& slot : file.userSlots) seal(slot, slot.username);
        seal(file.recoverySlot, kRecoverySigner);
    }));
    // SQLCipher 3.4 rewrites every page under the new key; the WAL is checkpointed away first.
    FACELEAD_TRY(execute(db_, "PRAGMA wal_checkpoint(TRUNCATE)", "Could not prepare the key rotation"));
    FACELEAD_TRY(applyKey(db_, "rekey", next, "Could not rotate the database key"));
    key_ = std::move(next);
    // And after: in WAL mode the rewritten pages go to the -wal, so until a checkpoint the store file itself is still
    // under a key no slot holds any more, and a copy of it without its -wal (a backup of "the store and its key
    // file", a -wal lost in a crash) opened with no key at all (trial 64 F6). TRUNCATE waits for readers up to the
    // busy timeout; a checkpoint still incomplete then (another program reading all along) is finished by the
    // next one SQLite makes, and meanwhile the -wal holds the store as it always does.
    (void)queryText(db_, "PRAGMA wal_checkpoint(TRUNCATE)", "Could not checkpoint the rotated store");
    return {};
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

void Store::adoptSigningKey(Transaction& /*tx: proof of a transaction to roll back*/, SecureBytes next) {
    if (signingKeyBeforeTransaction_.empty()) signingKeyBeforeTransaction_ = std::move(signingKey_);
    signingKey_ = std::move(next);
}

Result<std::string> Store::writeKeySlot(std::string_view username, std::string_view password) {
    const bool own = username == signerName_;
    SecureBytes fresh = own ? SecureBytes() : generateSigningKey();
    auto slot =
        wrapSlot(key_, own ? signingKey_ : fresh, username, password, options_.kdf);  // slow: before the lock
    if (!slot) return slot.error();
    const auto publicKey = slot->publicKey;
    FACELEAD_TRY(updateKeyFile(keyFile(), [&](KeyFile& file) {
        if (KeySlot* existing = file.findSlot(username))
            *existing = std::move(*slot);
        else
            file.userSlots.push_back(std::move(*slot));
        std::erase(file.deactivatedUsernames, std::string(username));
    }));
    return toHex(publicKey);
}

Result<void> Store::removeKeySlot(std::string_view username) {
    return updateKeyFile(keyFile(), [&](KeyFile& file) {
        std::erase_if(file.userSlots, [&](const KeySlot& slot) { return slot.username == username; });
        if (std::ranges::find(file.deactivatedUsernames, username) == file.deactivatedUsernames.end())
            file.deactivatedUsernames.emplace_back(username);
    });
}

Result<bool> Store::hasKeySlot(std::string_view username) const {
    auto file = loadKeyFile(keyFile());
    if (!file) return file.error();
    return file->findSlot(username) != nullptr;
}

Result<std::optional<TimePoint>> Store::countFailedSecondFactor() {
    std::optional<TimePoint> lockedUntil;
    FACELEAD_TRY(updateKeyFile(keyFile(), [&](KeyFile& file) {
        lockedUntil = countFailedSignIn(file, signerName_, signerName_, now(), options_, /*recordEvents=*/false);
    }));
    hadFailedSignIns_ = true;
    return lockedUntil;
}

Result<void> Store::confirmSignIn() {
    if (!hadFailedSignIns_) return {};
    FACELEAD_TRY(clearLockout(signerName_));
    hadFailedSignIns_ = false;
    return {};
}

SecureBytes Store::signerSubkey(std::string_view context) const {
    // BLAKE2b keyed with the Ed25519 seed (the first half of libsodium's secret key).
    if (signingKey_.size() != crypto_sign_SECRETKEYBYTES) return {};
    SecureBytes subkey(crypto_generichash_BYTES);
    crypto_generichash(subkey.data(), subkey.size(), reinterpret_cast<const unsigned char*>(context.data()),
                       context.size(), signingKey_.data(), crypto_sign_SEEDBYTES);
    return subkey;
}

Result<std::vector<std::uint8_t>> Store::sealForSigner(std::string_view context, std::string_view associatedData,
                                                       std::span<const std::uint8_t> plain) const {
    const auto key = signerSubkey(context);
    if (key.empty()) return makeError(ErrorCode::Internal, "This account has no signing key to seal with.");
    constexpr std::size_t nonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    std::vector<std::uint8_t> sealed(nonceBytes + plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    randombytes_buf(sealed.data(), nonceBytes);
    unsigned long long length = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data() + nonceBytes, &length, plain.data(), plain.size(),
                                               reinterpret_cast<const unsigned char*>(associatedData.data()),
                                               associatedData.size(), nullptr, sealed.data(), key.data());
    return sealed;
}

std::optional<std::vector<std::uint8_t>> Store::unsealForSigner(std::string_view context, std::string_view associatedData,
                                                                std::span<const std::uint8_t> sealed) const {
    const auto key = signerSubkey(context);
    constexpr std::size_t nonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    constexpr std::size_t overhead = nonceBytes + crypto_aead_xchacha20poly1305_ietf_ABYTES;
    if (key.empty() || sealed.size() <= overhead) return std::nullopt;
    std::vector<std::uint8_t> plain(sealed.size() - overhead);
    unsigned long long length = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), &length, nullptr, sealed.data() + nonceBytes,
                                                   sealed.size() - nonceBytes,
                                                   reinterpret_cast<const unsigned char*>(associatedData.data()),
                                                   associatedData.size(), sealed.data(), key.data()) != 0)
        return std::nullopt;
    return plain;
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
