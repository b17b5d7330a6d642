#include "core/accounts/SignedLockout.h"

#include <nlohmann/json.hpp>

#include "core/audit/AuditLog.h"
#include "core/common/Text.h"

namespace facelead::accounts {
namespace {

// A lock as its entry records it: when it began (the failure queued in the key file, for a carried-over entry,
// whose own time is when it was carried) and when it ends.
struct SignedLock {
    std::int64_t seq = 0;
    std::string objectId;
    std::string username;
    std::string began;
    std::string until;
};

std::optional<SignedLock> lockOf(const audit::AuditEntry& entry) {
    const auto details = nlohmann::json::parse(entry.detailsJson, nullptr, false);
    if (!details.is_object() || !details.contains("until") || !details["until"].is_string()) return std::nullopt;
    const std::string began = details.value("queued_at", entry.at);
    return SignedLock{entry.seq, entry.objectId, entry.username, began, details["until"].get<std::string>()};
}

// What ends a lock before its time: a new password given by a program administrator, or the recovery key.
constexpr const char* kLockEnded = R"sql(
SELECT 1 FROM audit_log WHERE object_type = 'user' AND object_id = ?1
   AND action IN ('user.password_reset', 'account.recovered') AND at >= ?2 AND at <= ?3 LIMIT 1)sql";

Result<bool> endedBefore(store::Store& store, const SignedLock& lock, const std::string& when) {
    auto statement = store.prepare(kLockEnded);
    if (!statement) return statement.error();
    statement->bind(1, lock.objectId).bind(2, lock.began).bind(3, when);
    auto row = statement->step();
    if (!row) return row.error();
    const bool ended = *row;
    statement->reset();
    return ended;
}

}  // namespace

Result<std::optional<std::string>> lockedUntilAsSigned(store::Store& store, std::int64_t userId, TimePoint now) {
    auto locks = audit::AuditLog::list(store, {.action = "account.locked", .objectType = "user",
                                               .objectId = std::to_string(userId)});
    if (!locks) return locks.error();
    const std::string nowText = toIsoUtc(now);
    for (auto entry = locks->rbegin(); entry != locks->rend(); ++entry) {
        const auto lock = lockOf(*entry);
        if (!lock || lock->until <= nowText) continue;
        auto ended = endedBefore(store, *lock, nowText);
        if (!ended) return ended.error();
        if (!*ended) return std::optional(lock->until);
    }
    return std::optional<std::string>();
}

Result<std::vector<std::string>> signInsWhileLocked(store::Store& store) {
    auto locks = audit::AuditLog::list(store, {.action = "account.locked", .objectType = "user"});
    if (!locks) return locks.error();
    // The first sign-in inside each lock: a later one is named by the same clearing, or follows a reset.
    auto firstSignIn = store.prepare(R"sql(
SELECT seq, at FROM audit_log WHERE object_type = 'user' AND object_id = ?1 AND action = 'signin.succeeded'
   AND at > ?2 AND at < ?3 ORDER BY seq LIMIT 1)sql");
    if (!firstSignIn) return firstSignIn.error();
    std::vector<std::string> found;
    for (const audit::AuditEntry& entry : *locks) {
        const auto lock = lockOf(entry);
        if (!lock || lock->objectId.empty()) continue;
        firstSignIn->reset();
        firstSignIn->bind(1, lock->objectId).bind(2, lock->began).bind(3, lock->until);
        auto row = firstSignIn->step();
        if (!row) return row.error();
        if (!*row) continue;
        const std::int64_t seq = firstSignIn->getInt(0);
        const std::string at = firstSignIn->getText(1);
        auto ended = endedBefore(store, *lock, at);
        if (!ended) return ended.error();
        if (*ended) continue;
        found.push_back("Audit entry " + std::to_string(seq) + ": " + text::forTerminal(lock->username) +
                        " signed in at " + at + ", inside the lockout that audit entry " + std::to_string(lock->seq) +
                        " recorded until " + text::forTerminal(lock->until) +
                        ", with no password reset or recovery between: the key file's lockout was cleared outside "
                        "FaceLead.");
    }
    return found;
}

}  // namespace facelead::accounts
