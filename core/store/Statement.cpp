#include "core/store/Statement.h"

#include <sqlite3.h>

#include "core/common/Text.h"
#include "core/store/Store.h"

#include <utility>

namespace facelead::store {

Error sqliteError(sqlite3* db, int rc, std::string_view context) {
    const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    const std::string prefix = std::string(context) + ": ";
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return makeError(ErrorCode::StoreBusy,
                         prefix + "the store is in use by another FaceLead window or program. Try again in a "
                                  "moment.");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return makeError(ErrorCode::StoreCorrupt,
                         prefix + "the store file is damaged or does not belong to this key file (" + detail +
                             "). Nothing was changed. First check that the key file beside it is the store's current "
                             "one (an older copy does not open a store whose key was changed since, e.g. after a "
                             "deactivation); only if it is, restore the store from its backup.");
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return makeError(ErrorCode::AlreadyExists, prefix + "it already exists (" + detail + ").");
        if (rc == SQLITE_CONSTRAINT_TRIGGER)
            return makeError(ErrorCode::IntegrityViolation, prefix + detail);
        return makeError(ErrorCode::InvalidArgument, prefix + "the store refused the values (" + detail + ").");
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return makeError(ErrorCode::IoError,
                         prefix + "the store file could not be read or written (" + detail +
                             "). Check the disk space and folder permissions.");
    default:
        return makeError(ErrorCode::Internal, prefix + detail);
    }
}

bool isUnreadable(int rc) { return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB; }

Statement::~Statement() {
    if (statement_ != nullptr) sqlite3_finalize(statement_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      statement_(std::exchange(other.statement_, nullptr)),
      owner_(other.owner_),
      rowRead_(other.rowRead_),
      bindError_(std::move(other.bindError_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        if (statement_ != nullptr) sqlite3_finalize(statement_);
        db_ = other.db_;
        statement_ = std::exchange(other.statement_, nullptr);
        owner_ = other.owner_;
        rowRead_ = other.rowRead_;
        bindError_ = std::move(other.bindError_);
    }
    return *this;
}

void Statement::noteBindResult(int rc, int index) {
    if (rc != SQLITE_OK && !bindError_)
        bindError_ = sqliteError(db_, rc, "Could not bind parameter " + std::to_string(index));
}

Statement& Statement::bind(int index, std::int64_t value) {
    noteBindResult(sqlite3_bind_int64(statement_, index, value), index);
    return *this;
}

Statement& Statement::bind(int index, double value) {
    noteBindResult(sqlite3_bind_double(statement_, index, value), index);
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    noteBindResult(sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
                   index);
    return *this;
}

Statement& Statement::bind(int index, std::span<const std::uint8_t> blob) {
    // A zero-length blob must still be a blob, not NULL: give SQLite a valid pointer.
    static const std::uint8_t kEmpty = 0;
    noteBindResult(sqlite3_bind_blob64(statement_, index, blob.empty() ? &kEmpty : blob.data(), blob.size(),
                                       SQLITE_TRANSIENT),
                   index);
    return *this;
}

Statement& Statement::bindNull(int index) {
    noteBindResult(sqlite3_bind_null(statement_, index), index);
    return *this;
}

Result<bool> Statement::step() {
    if (bindError_) return *bindError_;
    static constexpr std::string_view kContext = "The store could not carry out the request";
    for (bool recovered = false;; recovered = true) {
        const int rc = sqlite3_step(statement_);
        if (rc == SQLITE_ROW) {
            rowRead_ = true;
            return true;
        }
        if (rc == SQLITE_DONE) return false;
        // sqlite3_step's own code is generic in the legacy interface; the connection holds the precise one.
        const int precise = sqlite3_extended_errcode(db_) != SQLITE_OK ? sqlite3_extended_errcode(db_) : rc;
        const std::string detail = sqlite3_errmsg(db_);
        sqlite3_reset(statement_);
        if (owner_ == nullptr || recovered || !isUnreadable(precise)) return sqliteError(db_, precise, kContext);
        // What this connection could not read, a fresh one checks: damaged, or this connection's view only.
        FACELEAD_TRY(owner_->recoverUnreadable(detail, kContext, /*canRetry=*/!rowRead_));
        FACELEAD_TRY(moveTo(owner_->db_));
    }
}

Result<void> Statement::moveTo(sqlite3* db) {
    sqlite3_stmt* fresh = nullptr;
    if (sqlite3_prepare_v2(db, sqlite3_sql(statement_), -1, &fresh, nullptr) != SQLITE_OK)
        return sqliteError(db, sqlite3_extended_errcode(db), "The store could not prepare a request");
    sqlite3_transfer_bindings(statement_, fresh);  // the values bound so far, as they were
    sqlite3_finalize(statement_);
    statement_ = fresh;
    db_ = db;
    return {};
}

Result<void> Statement::run() {
    while (true) {
        auto row = step();
        if (!row) return row.error();
        if (!*row) return {};
    }
}

void Statement::reset() {
    sqlite3_reset(statement_);
    rowRead_ = false;
    bindError_.reset();
}

int Statement::columnCount() const { return sqlite3_column_count(statement_); }

bool Statement::isNull(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }

std::int64_t Statement::getInt(int column) const { return sqlite3_column_int64(statement_, column); }

double Statement::getDouble(int column) const { return sqlite3_column_double(statement_, column); }

namespace {

// Each byte outside valid UTF-8 as U+FFFD; valid text unchanged.
std::string withInvalidUtf8Replaced(std::string_view bytes) {
    std::string out;
    for (std::size_t bad = text::firstInvalidUtf8(bytes); bad != std::string_view::npos;
         bad = text::firstInvalidUtf8(bytes)) {
        out.append(bytes.substr(0, bad)).append("\xEF\xBF\xBD");
        bytes.remove_prefix(bad + 1);
    }
    return out.append(bytes);
}

}  // namespace

// Text is written only as valid UTF-8 (text::acceptText at the door), but what is read back is as the desktop user
// who holds the database key left it: one entry or row with invalid UTF-8 made every JSON writer throw, which
// stopped audit verify, the audit export, a colleague's sign-in and every search (trial 23A F11, F13). Read back
// with those bytes replaced, it goes on: a row held to a signed digest, or an audit entry to its hash, then no longer
// matches and is named as edited.
std::string Statement::getText(int column) const {
    const auto* text = sqlite3_column_text(statement_, column);
    const int size = sqlite3_column_bytes(statement_, column);
    if (text == nullptr) return {};
    const std::string_view stored(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
    return text::isValidUtf8(stored) ? std::string(stored) : withInvalidUtf8Replaced(stored);
}

std::vector<std::uint8_t> Statement::getBlob(int column) const {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(statement_, column));
    const int size = sqlite3_column_bytes(statement_, column);
    return data == nullptr ? std::vector<std::uint8_t>() : std::vector<std::uint8_t>(data, data + size);
}

std::optional<std::int64_t> Statement::getOptionalInt(int column) const {
    if (isNull(column)) return std::nullopt;
    return getInt(column);
}

std::optional<std::string> Statement::getOptionalText(int column) const {
    if (isNull(column)) return std::nullopt;
    return getText(column);
}

}  // namespace facelead::store
