#pragma once
// A prepared SQLite statement: bind by 1-based index, step, read typed columns by 0-based index.
// Binding errors are kept and reported by the next step()/run(), so binds chain:
//   auto st = tx.prepare("INSERT INTO cases(case_number, created_at) VALUES (?, ?)");
//   if (!st) return st.error();
//   FACELEAD_TRY(st->bind(1, number).bind(2, toIsoUtc(tx.now())).run());

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace facelead::store {

class Store;

class Statement {
public:
    // owner: the long-lived Store the statement was prepared through (Store::prepare), which is asked to check
    // an unreadable page on a fresh connection (Store::recoverUnreadable); null for one-off connections.
    Statement(sqlite3* db, sqlite3_stmt* statement, Store* owner = nullptr)
        : db_(db), statement_(statement), owner_(owner) {}
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, std::span<const std::uint8_t> blob);
    Statement& bind(int index, const std::vector<std::uint8_t>& blob) {
        return bind(index, std::span<const std::uint8_t>(blob));
    }
    Statement& bindNull(int index);
    template <typename T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bindNull(index);
    }

    // true: a row is ready to read; false: done. Errors: StoreBusy, StoreCorrupt, AlreadyExists (a UNIQUE
    // constraint), IntegrityViolation (a trigger refused: originals and the audit log are immutable),
    // InvalidArgument (other constraints), IoError.
    // A page this connection cannot read (SQLITE_CORRUPT / SQLITE_NOTADB) is StoreCorrupt only when a fresh
    // connection confirms the damage (Store::recoverUnreadable); when the store is intact the fresh connection
    // takes over and a read that had returned no row yet runs again on it, once (issue 9: a session kept open
    // while other programs signed in and wrote reported a damaged store for every read).
    Result<bool> step();
    // Steps to the end (INSERT/UPDATE/DELETE).
    Result<void> run();
    // Ready to bind and run again (bindings are kept until rebound).
    void reset();

    int columnCount() const;
    bool isNull(int column) const;
    std::int64_t getInt(int column) const;
    double getDouble(int column) const;
    std::string getText(int column) const;
    std::vector<std::uint8_t> getBlob(int column) const;
    std::optional<std::int64_t> getOptionalInt(int column) const;
    std::optional<std::string> getOptionalText(int column) const;

private:
    void noteBindResult(int rc, int index);
    // Prepares the same SQL with the same bindings on db (the owner's fresh connection).
    Result<void> moveTo(sqlite3* db);
    sqlite3* db_ = nullptr;
    sqlite3_stmt* statement_ = nullptr;
    Store* owner_ = nullptr;
    bool rowRead_ = false;  // a row was returned since the last reset: the read cannot simply run again
    std::optional<Error> bindError_;
};

// Maps an SQLite result code (with the connection's message) to a FaceLead error. `context` says what was
// being done, for the person reading the message. SQLITE_CORRUPT and SQLITE_NOTADB become StoreCorrupt
// ("damaged"): call it for them only on a fresh connection (an open, a check), or through the owner's
// recoverUnreadable.
Error sqliteError(sqlite3* db, int rc, std::string_view context);

// SQLITE_CORRUPT or SQLITE_NOTADB (any extended form): a page that did not decrypt or made no sense.
bool isUnreadable(int rc);

}  // namespace facelead::store
