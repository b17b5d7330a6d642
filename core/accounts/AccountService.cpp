#include "core/accounts/AccountService.h"

#include <algorithm>
#include <cctype>
#include <map>

#include <nlohmann/json.hpp>

#include "core/accounts/Authority.h"
#include "core/accounts/KeyApproval.h"
#include "core/accounts/SecondFactor.h"
#include "core/accounts/SignedAccounts.h"
#include "core/accounts/UserRows.h"
#include "core/audit/AuditLog.h"
#include "core/audit/SignedRecords.h"
#include "core/audit/detail/Entries.h"
#include "core/common/Hash.h"
#include "core/common/Text.h"
#include "core/store/KeyFile.h"

namespace facelead::accounts {
namespace {

using workflow::Role;
using workflow::UserStatus;

constexpr const char* kUserColumns =
    "id, username, display_name, roles, status, created_at, created_by, approved_by, approved_at, "
    "training_completed_at, training_signed_off_by, last_activity_at, deactivated_at";

std::optional<TimePoint> parseTime(const std::optional<std::string>& text) {
    TimePoint time;
    if (!text || !fromIsoUtc(*text, time)) return std::nullopt;
    return time;
}

User readUser(const store::Statement& row) {
    User user;
    user.id = row.getInt(0);
    user.username = row.getText(1);
    user.displayName = row.getText(2);
    user.roles = rolesFromText(row.getText(3));
    user.status = workflow::statusFromName(row.getText(4)).value_or(UserStatus::Suspended);
    user.createdAt = parseTime(row.getText(5)).value_or(TimePoint{});
    user.createdBy = row.getOptionalInt(6);
    user.approvedBy = row.getOptionalInt(7);
    user.approvedAt = parseTime(row.getOptionalText(8));
    user.trainingCompletedAt = parseTime(row.getOptionalText(9));
    user.trainingSignedOffBy = row.getOptionalInt(10);
    user.lastActivityAt = parseTime(row.getOptionalText(11));
    user.deactivatedAt = parseTime(row.getOptionalText(12));
    return user;
}

template <typename Value>
Result<User> loadUserBy(store::Store& store, const char* column, const Value& value) {
    auto statement = store.prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE " + column + " = ?");
    if (!statement) return statement.error();
    statement->bind(1, value);
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return makeError(ErrorCode::NotFound, "There is no such user account.");
    return readUser(*statement);
}


constexpr const char* kRoleChangeRequested = "user.role_change_requested";

// The latest role-change request of each account that no "user.roles_changed" has applied yet. The audit
// log is the record: requests and approvals are append-only entries, never rows that could be edited.
// Whether the signed log holds the request's entry for a program administrator's (they request role changes:
// AccountService::setRoles, VI.C.3.a): one signed by anyone else, or in another's name or id, is no request
// (trial 19A G2: an investigator's was applied once a supervisor approved it).
bool requestedByAdministrator(const audit::AccountLedger& ledger, const audit::AuditEntry& entry) {
    const audit::SignedAccount* requester = ledger.find(entry.username);
    return audit::signedAsRecorded(ledger, entry) && requester &&
           requester->roles.count(std::string(workflow::roleName(Role::ProgramAdministrator))) > 0;
}

Result<std::vector<RoleChangeRequest>> pendingRoleChangeRequests(store::Store& store,
                                                                  const audit::AccountLedger& ledger) {
    auto requests = audit::AuditLog::list(store, {.action = kRoleChangeRequested});
    if (!requests) return requests.error();
    auto applied = audit::AuditLog::list(store, {.action = "user.roles_changed"});
    if (!applied) return applied.error();
    std::map<std::string, RoleChangeRequest> latest;  // by account id
    for (const auto& entry : *requests) {
        const auto details = nlohmann::json::parse(entry.detailsJson, nullptr, false);
        if (!details.is_object() || entry.objectId.empty() || !requestedByAdministrator(ledger, entry)) continue;
        RoleChangeRequest request;
        request.id = entry.seq;
        request.userId = std::stoll(entry.objectId);
        request.username = details.value("username", "");
        request.from = rolesFromText(details.value("from", ""));
        request.to = rolesFromText(details.value("to", ""));
        request.requestedBy = entry.userId.value_or(0);
        request.requestedAt = entry.at;
        latest[entry.objectId] = request;  // list() is in seq order: a newer request supersedes
    }
    std::vector<RoleChangeRequest> pending;
    for (auto& [account, request] : latest) {
        const bool done = std::any_of(applied->begin(), applied->end(), [&](const audit::AuditEntry& e) {
            if (e.objectId != account || e.seq < request.id) return false;
            const auto details = nlohmann::json::parse(e.detailsJson, nullptr, false);
            return details.is_object() && details.value("request_seq", std::int64_t{0}) == request.id;
        });
        if (!done) pending.push_back(std::move(request));
    }
    return pending;
}

// Two-person rule: whoever created an account never approves it. The one exception bootstraps a new store:
// while its founding administrator is the only active account, nobody else exists to approve — so the founder
// alone may approve the SECOND APPROVER (an account that may itself approve), who then approves everyone else.
// Approving anyone else alone would leave nobody able to approve the rest: a store locked on day one.
// Returns whether the exception was used (it is written into the audit event).
Result<bool> checkTwoPersons(const audit::AccountLedger& ledger, const User& approver, const User& target) {
    if (target.createdBy != approver.id) return false;
    // Alone as the store began, not alone again: every other account suspended or deactivated for the purpose gave
    // the founder the exception a second time (trial 63 F1). AccountLedger::foundingException holds the replay to it.
    const auto accounts = ledger.accounts();
    const bool othersEverApproved = std::ranges::any_of(accounts, [&](const auto& account) {
        return account.first != approver.username && account.first != target.username &&
               !account.second.approvedAt.empty();
    });
    const bool founderAlone = !othersEverApproved && !approver.createdBy;
    if (founderAlone && workflow::mayPerform(target.roles, workflow::Action::ApproveUser)) return true;
    if (founderAlone)
        return makeError(ErrorCode::PermissionDenied,
                         "While you are the only active account you may approve alone only a supervisor, who then "
                         "approves the other accounts you created: two persons give access (SOP 302.02 VI.D.2.a). "
                         "Approve a supervisor's account first.");
    return makeError(ErrorCode::PermissionDenied,
                     "You created this account, so another supervisor must approve it: two persons give access "
                     "(SOP 302.02 VI.D.2.a).");
}

Result<void> setStatus(store::Transaction& tx, std::int64_t userId, UserStatus status, std::string_view reason) {
    auto update = tx.prepare(
        "UPDATE users SET status = ?, status_reason = ?, "
        "deactivated_at = CASE WHEN ? = 'deactivated' THEN ? ELSE deactivated_at END WHERE id = ?");
    if (!update) return update.error();
    const std::string name(workflow::statusName(status));
    return update->bind(1, name).bind(2, reason).bind(3, name).bind(4, toIsoUtc(tx.now())).bind(5, userId).run();
}

// The account an administrator or supervisor acts on, with the roles and status the signed log grants: a
// change is judged on what was signed, not on a users table an insider rewrote (SignedAccounts.h).
Result<User> loadTarget(Session& session, store::Store& store, std::int64_t userId) {
    auto stored = loadUser(store, userId);
    if (!stored) return stored.error();
    auto granted = session.signedGrantsOf(std::move(*stored));
    if (!granted) return granted.error();
    return std::move(granted->user);
}

// The store must keep at least one active program administrator, or nobody could manage accounts.
Result<void> keepAnAdministrator(store::Transaction& tx, std::int64_t losingUserId) {
    auto active = activeSignedAccounts(tx.store());
    if (!active) return active.error();
    if (std::ranges::any_of(*active, [&](const User& user) {
            return user.id != losingUserId && user.hasRole(Role::ProgramAdministrator);
        }))
        return {};
    return makeError(ErrorCode::PolicyViolation,
                     "This is the last active program administrator; make another one first (SOP 302.02 VI.C.3.a).");
}

}  // namespace

namespace detail {

Result<std::vector<User>> queryUsers(store::Store& store, const std::string& tail) {
    auto statement = store.prepare(std::string("SELECT ") + kUserColumns + " FROM users " + tail);
    if (!statement) return statement.error();
    std::vector<User> users;
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        users.push_back(readUser(*statement));
    }
    return users;
}


Result<User> loadUserWhere(store::Store& store, const char* column, std::string_view value) {
    return loadUserBy(store, column, value);
}

Result<User> loadUserWhere(store::Store& store, const char* column, std::int64_t value) {
    return loadUserBy(store, column, value);
}

// The key file is the desktop user's to edit: a queued "user.roles_changed" in the administrator's name was signed
// by him at his next sign-in and gave the insider every role, and a queued anchor acknowledgement hid a rollback
// (trial 20A F1, F2). So only the kinds FaceLead queues are carried, marked as the key file's report and never
// dated after the sign-in that carries them; anything else is left out, and that it was there is recorded.
namespace {

// Only the fields FaceLead itself queues in the key file, each of its own type, and its texts only in FaceLead's own
// words: any other field rode into a colleague's signed entry (trial 24A N6: "note": "password typed: ..." in the
// chief's name), and so did any "reason" (trial 26 R5). A text FaceLead does not write is replaced by a marker.
bool queuedByFaceLead(std::string_view field, const std::string& value) {
    if (field == "reason") return value == kNoLongerAdmitted;
    if (field == "status") return value == kAddedOutsideFaceLead || workflow::statusFromName(value).has_value();
    return false;
}

// The lock's end a queued "account.locked" names, which the signed log holds to once carried (SignedLockout.h):
// a time within a day after the queuing (no agency lockout is longer), else left out — a queue written outside
// FaceLead locks nobody for a year.
std::optional<std::string> queuedLockEnd(const nlohmann::json& queued, TimePoint queuedAt) {
    const auto until = queued.find("until");
    TimePoint end;
    if (until == queued.end() || !until->is_string() || !fromIsoUtc(until->get<std::string>(), end)) return std::nullopt;
    if (end < queuedAt || end > queuedAt + std::chrono::hours(24)) return std::nullopt;
    return toIsoUtc(end);
}

nlohmann::json knownPendingDetails(const nlohmann::json& queued, TimePoint queuedAt) {
    constexpr std::size_t kLongestText = 200;
    nlohmann::json kept = nlohmann::json::object();
    if (!queued.is_object()) return kept;
    if (const auto failures = queued.find("consecutive_failures");
        failures != queued.end() && failures->is_number_unsigned())
        kept["consecutive_failures"] = std::min<std::uint64_t>(failures->get<std::uint64_t>(), 1000000);
    for (const char* field : {"reason", "status"}) {
        const auto text = queued.find(field);
        if (text == queued.end() || !text->is_string()) continue;
        kept[field] = queuedByFaceLead(field, text->get<std::string>()) ? text->get<std::string>()
                                                                         : std::string("(not FaceLead's words: left out)");
    }
    // How a ghost account's row differs from the signed log: the insider's own edit, described, cut short.
    if (const auto edited = queued.find("table_edited"); edited != queued.end() && edited->is_string()) {
        std::string value = edited->get<std::string>();
        if (value.size() > kLongestText) {
            std::size_t end = kLongestText;
            while (end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) --end;  // not inside a character
            value.resize(end);
        }
        kept["table_edited"] = value;
    }
    if (const auto end = queuedLockEnd(queued, queuedAt)) kept["until"] = *end;
    return kept;
}

}  // namespace

Result<void> queueForNextSignIn(store::Store& store, std::string_view action, std::string detailsJson) {
    return store::updateKeyFile(store.keyFile(), [&](store::KeyFile& file) {
        file.pendingEvents.push_back({store.now(), store.signerName(), std::string(action), std::move(detailsJson)});
    });
}

Result<std::size_t> carryOverPendingEvents(store::Transaction& tx) {
    auto events = tx.store().pendingEvents();
    if (!events) return events.error();
    nlohmann::json refused = nlohmann::json::array();
    for (const auto& event : *events) {
        if (!audit::isCarriedOverAction(event.action)) {
            std::string name;  // the action's name as far as it is one: it may be anything
            for (const char c : event.action.substr(0, 64))
                if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-') name += c;
            refused.push_back(name);
            continue;
        }
        constexpr std::size_t kLargestDetails = 4096;  // FaceLead's own: a count, a time, a short reason
        auto details = knownPendingDetails(event.detailsJson.size() > kLargestDetails
                                               ? nlohmann::json::object()
                                               : nlohmann::json::parse(event.detailsJson, nullptr, false),
                                           event.at);
        details["carried_from_key_file"] = true;
        details["queued_at"] = toIsoUtc(event.at);  // as the key file said: unsigned until now
        // A name no account could have (terminal escape codes, trial 21A N4) is recorded as FaceLead records a
        // name it does not know.
        const std::string name = checkNewUsername(event.username) ? event.username : std::string(store::kUnknownName);
        auto user = loadUserBy(tx.store(), "username", name);
        const auto userId = user ? std::optional<std::int64_t>(user->id) : std::nullopt;
        FACELEAD_TRY(audit::AuditLog::append(tx, {userId, event.action, "user",
                                                  userId ? std::to_string(*userId) : std::string(), details.dump(),
                                                  name, std::min(event.at, tx.now())}));
    }
    if (!refused.empty())
        FACELEAD_TRY(audit::AuditLog::append(
            tx, {std::nullopt, "store.pending_events_refused", "store", "",
                 nlohmann::json{{"actions", refused},
                                {"why", "the key file queued events FaceLead never queues: written outside FaceLead"}}
                     .dump()}));
    return events->size();
}

Result<void> certifyKey(store::Transaction& tx, std::optional<std::int64_t> actorId,
                        std::string_view username, std::string_view publicKey, std::string_view reason) {
    audit::AuditEntryInput input{
        actorId, audit::AuditLog::kKeyCertified, "user", "",
        nlohmann::json{{"username", username}, {"public_key", publicKey}, {"reason", reason}}.dump()};
    if (!actorId) input.username = tx.store().signerName();
    auto appended = audit::AuditLog::append(tx, input);
    if (!appended) return appended.error();
    return {};
}

Result<std::map<std::string, std::string>> certifiedKeys(store::Store& store) {
    auto certified = audit::AuditLog::list(store, {.action = audit::AuditLog::kKeyCertified});
    if (!certified) return certified.error();
    std::map<std::string, std::string> keys;
    // The root: the first administrator's key, declared by the store's first entry.
    auto created = audit::AuditLog::list(store, {.action = "store.created", .limit = 1});
    if (!created) return created.error();
    for (const auto& entry : *created) keys[entry.signer] = entry.signerKey;
    for (const auto& entry : *certified) {
        const auto details = nlohmann::json::parse(entry.detailsJson, nullptr, false);
        if (details.is_object()) keys[details.value("username", "")] = details.value("public_key", "");
    }
    return keys;
}

Result<void> checkNewUsername(std::string_view username) {
    const bool lengthOk = username.size() >= 2 && username.size() <= 64;
    const bool charactersOk = std::all_of(username.begin(), username.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '-';
    });
    if (!lengthOk || !charactersOk)
        return makeError(ErrorCode::InvalidArgument,
                         "A user name has 2 to 64 characters: ASCII letters a-z, A-Z, digits 0-9, '.', '_' and '-' "
                         "only (no spaces, no accented letters: those belong in the display name).");
    return {};
}

namespace {

// A password change gives the account a new key pair, certified by the old one (trial 61 F1: whoever kept the key
// file from before and knows the old password, the administrator who chose the initial one above all, must not
// sign in or sign entries as its owner). What is sealed to the owner's key is read with the old pair and sealed
// again to the new one; the slot, written last, wraps the new key under the new password.
Result<void> replaceOwnKeyPair(store::Transaction& tx, const User& owner, std::string_view newPassword) {
    auto secondFactor = detail::readOwnSecondFactor(tx, owner);
    if (!secondFactor) return secondFactor.error();
    auto recoveryKey = detail::unconfirmedRecoveryKey(tx.store());
    if (!recoveryKey) return recoveryKey.error();
    store::SecureBytes next = store::generateSigningKey();
    FACELEAD_TRY(detail::certifyKey(tx, owner.id, owner.username, toHex(store::publicKeyOf(next)), "password changed"));
    tx.store().adoptSigningKey(tx, std::move(next));
    FACELEAD_TRY(detail::carryOwnSecondFactorOver(tx, owner, *secondFactor));
    if (*recoveryKey) FACELEAD_TRY(detail::keepUnconfirmedRecoveryKey(tx, **recoveryKey));
    auto written = tx.store().writeKeySlot(owner.username, newPassword);
    if (!written) return written.error();
    return {};
}

}  // namespace

}  // namespace detail

Result<User> loadUser(store::Store& store, std::int64_t userId) { return loadUserBy(store, "id", userId); }

Result<User> AccountService::addUser(const NewUser& newUser, std::string_view initialPassword) {
    return refusalsAudited(session_, "user.add", [&]() -> Result<User> {
        FACELEAD_TRY(detail::checkNewUsername(newUser.username));
        if (newUser.displayName.empty())
            return makeError(ErrorCode::InvalidArgument, "A new account needs the person's display name.");
        FACELEAD_TRY(text::acceptText("The display name", newUser.displayName));  // UTF-8, printable, length-limited
        if (newUser.roles.empty())
            return makeError(ErrorCode::InvalidArgument, "A new account needs at least one role.");
        FACELEAD_TRY(checkPasswordPolicy(session_.policy(), newUser.username, initialPassword));
        return session_.store().transact([&](store::Transaction& tx) -> Result<User> {
            auto actor = authorize(session_, workflow::Action::ManageUsers);
            if (!actor) return actor.error();
            auto insert = tx.prepare(
                "INSERT INTO users(username, display_name, roles, status, created_at, created_by) "
                "VALUES (?, ?, ?, 'pending_approval', ?, ?)");
            if (!insert) return insert.error();
            auto inserted = insert->bind(1, newUser.username).bind(2, newUser.displayName)
                                .bind(3, rolesToText(newUser.roles)).bind(4, toIsoUtc(tx.now()))
                                .bind(5, actor->id).run();
            if (!inserted && inserted.error().code == ErrorCode::AlreadyExists)
                return makeError(ErrorCode::AlreadyExists,
                                 "There is already an account named '" + newUser.username + "'. Choose another name.");
            FACELEAD_TRY(inserted);
            const std::int64_t id = tx.lastInsertId();
            FACELEAD_TRY(audit::AuditLog::append(
                tx, {actor->id, "user.created", "user", std::to_string(id),
                     nlohmann::json{{"username", newUser.username}, {"display_name", newUser.displayName},
                                    {"roles", rolesToText(newUser.roles)}, {"status", "pending_approval"}}.dump()}));
            // Last: a failed key-file write rolls the account back.
            auto publicKey = tx.store().writeKeySlot(newUser.username, initialPassword);
            if (!publicKey) return publicKey.error();
            FACELEAD_TRY(detail::certifyKey(tx, actor->id, newUser.username, *publicKey, "account created"));
            return loadUser(tx.store(), id);
        });
    });
}

Result<User> AccountService::approve(std::int64_t userId) {
    return refusalsAudited(session_, "user.approve", userId, [&]() -> Result<User> {
        return session_.store().transact([&](store::Transaction& tx) -> Result<User> {
            auto actor = authorize(session_, workflow::Action::ApproveUser);
            if (!actor) return actor.error();
            if (userId == actor->id)
                return makeError(ErrorCode::PermissionDenied,
                                 "Nobody approves their own access; another supervisor must (SOP 302.02 VI.D.2.a).");
            FACELEAD_TRY(requirePendingApproval(userId));
            auto target = loadTarget(session_, tx.store(), userId);
            if (!target) return target.error();
            auto twoPersons = checkTwoPersons(session_.ledger(), *actor, *target);
            if (!twoPersons) return twoPersons.error();
            auto update = tx.prepare(
                "UPDATE users SET status = 'active', approved_by = ?, approved_at = ? WHERE id = ?");
            if (!update) return update.error();
            FACELEAD_TRY(update->bind(1, actor->id).bind(2, toIsoUtc(tx.now())).bind(3, userId).run());
            // The approving supervisor's signature covers the account's key: the second certification.
            auto keys = detail::certifiedKeys(tx.store());
            if (!keys) return keys.error();
            nlohmann::json details{{"username", target->username}, {"public_key", (*keys)[target->username]}};
            if (*twoPersons) details["founding_exception"] = "the founding administrator was the only active account";
            FACELEAD_TRY(audit::AuditLog::append(tx, {actor->id, "user.approved", "user", std::to_string(userId),
                                                      details.dump()}));
            return loadUser(tx.store(), userId);
        });
    });
}

Result<User> AccountService::approveKey(std::int64_t userId, std::string_view fingerprint) {
    return refusalsAudited(session_, "user.approve_key", userId, [&]() -> Result<User> {
        return session_.store().transact([&](store::Transaction& tx) -> Result<User> {
            auto actor = authorize(session_, workflow::Action::ApproveUser);
            if (!actor) return actor.error();
            if (userId == actor->id)
                return makeError(ErrorCode::PermissionDenied,
                                 "Nobody approves their own key; another supervisor does (SOP 302.02 VI.D.2.a).");
            auto target = loadTarget(session_, tx.store(), userId);
            if (!target) return target.error();
            const auto& ledger = session_.ledger();
            const auto standing = ledger.keyAwaitingApproval(target->username);
            if (!standing)
                return makeError(ErrorCode::InvalidTransition,
                                 "The key of " + target->displayName + " waits for no approval: it is approved already, "
                                 "or nobody but its owner ever set its password.");
            if (!standing->ownerMade)
                return makeError(ErrorCode::InvalidTransition,
                                 target->displayName + " has not chosen their own password yet (the one they have was "
                                 "set by " + standing->setBy + "). They sign in, choose their own, and read you the "
                                 "fingerprint FaceLead then shows them: that key is the one you approve.");
            bool foundingException = false;
            if (standing->setBy == actor->username) {
                // The recovery key counts as the founder's (store init showed it to him), so the founder is told of
                // it as a setter even where he also created the account (trial 65 F2).
                const std::string setter = "you set the password of " + target->displayName +
                                           ", or the recovery key did, which the store's creation showed you";
                if (target->createdBy != actor->id)
                    return makeError(ErrorCode::PermissionDenied,
                                     "Another supervisor approves the key made after it: " + setter +
                                         ". Two persons give access (SOP 302.02 VI.D.2.a).");
                auto twoPersons = checkTwoPersons(ledger, *actor, *target);
                if (!twoPersons)
                    return makeError(ErrorCode::PermissionDenied,
                                     "You created this account, so another supervisor must approve it: " + setter +
                                         ". Two persons give access (SOP 302.02 VI.D.2.a).");
                foundingException = *twoPersons;
            }
            const std::string key = ledger.certifiedKey(target->username);
            if (!fingerprintMatches(fingerprint, key))
                return makeError(ErrorCode::PolicyViolation,
                                 "That is not the fingerprint of the key " + target->displayName + " made. Ask them to "
                                 "read it to you again, in person, from their own screen (FaceLead shows it when they sign "
                                 "in). If they cannot sign in (\"the password was changed\"), someone else chose their "
                                 "password before them: approve nothing, and have another program administrator reset "
                                 "it.");
            nlohmann::json details{{"username", target->username}, {"public_key", key}, {"fingerprint", keyFingerprint(key)},
                                   {"password_set_by", standing->setBy}};
            if (foundingException) details["founding_exception"] = "the founding administrator was the only active account";
            FACELEAD_TRY(audit::AuditLog::append(tx, {actor->id, audit::detail::kKeyApproved, "user",
                                                      std::to_string(userId), details.dump()}));
            return loadUser(tx.store(), userId);
        });
    });
}

Result<std::optional<std::string>> AccountService::ownKeyAwaitingApproval() {
    FACELEAD_TRY(session_.refreshUser());  // the ledger caught up with the change just made
    if (!ownKeyAwaitsApproval(session_.ledger(), session_.user().username)) return std::optional<std::string>();
    return std::optional<std::string>(keyFingerprint(session_.store().signerPublicKey()));
}

Result<void> AccountService::requirePendingApproval(std::int64_t userId) {
    auto target = loadTarget(session_, session_.store(), userId);
    if (!target) return target.error();
    if (target->status != UserStatus::PendingApproval)
        return makeError(ErrorCode::InvalidTransition, "Only an account waiting for approval can be approved; the account of " +
                                                           target->displayName + " is marked \"" +
                                                           std::string(workflow::statusLabel(target->status)) + "\".");
    return {};
}

Result<void> AccountService::changePassword(std::string_view currentPassword, std::string_view newPassword) {
    return refusalsAudited(session_, "user.change_password", [&]() -> Result<void> {
        const std::string username = session_.user().username;
        auto keys = store::loadKeyFile(session_.store().keyFile());
        if (!keys) return keys.error();
        const store::KeySlot* slot = keys->findSlot(username);
        if (slot == nullptr) return makeError(ErrorCode::AccountNotActive, "Your account has no key slot any more.");
        if (auto current = store::unwrapDatabaseKey(*slot, currentPassword); !current)
            return makeError(ErrorCode::WrongCredentials, "The current password is wrong.");
        FACELEAD_TRY(checkPasswordPolicy(session_.policy(), username, newPassword));
        if (currentPassword == newPassword)
            return makeError(ErrorCode::PasswordTooWeak, "The new password must differ from the current one.");
        FACELEAD_TRY(session_.store().transact([&](store::Transaction& tx) -> Result<void> {
            auto actor = currentUser(session_, false);  // the one thing allowed while a change is due
            if (!actor) return actor.error();
            FACELEAD_TRY(audit::AuditLog::append(tx, {actor->id, "user.password_changed", "user",
                                                      std::to_string(actor->id)}));
            return detail::replaceOwnKeyPair(tx, *actor, newPassword);
        }));
        session_.setMustChangePassword(false);
        // The old slot wraps the old database key: rotated, a copy of it with the old password opens nothing.
        return rotateDatabaseKey(session_.store(), session_.userId(), "password changed");
    });
}

Result<void> AccountService::resetPassword(std::int64_t userId, std::string_view newPassword) {
    return refusalsAudited(session_, "user.reset_password", userId, [&]() -> Result<void> {
        FACELEAD_TRY(session_.store().transact([&](store::Transaction& tx) -> Result<void> {
            auto actor = authorize(session_, workflow::Action::ManageUsers);
            if (!actor) return actor.error();
            auto target = loadTarget(session_, tx.store(), userId);
            if (!target) return target.error();
            if (target->status == UserStatus::Deactivated)
                return makeError(ErrorCode::InvalidTransition, "A deactivated account has no password to reset.");
            FACELEAD_TRY(checkPasswordPolicy(session_.policy(), target->username, newPassword));
            FACELEAD_TRY(audit::AuditLog::append(tx, {actor->id, "user.password_reset", "user", std::to_string(userId),
                                                      nlohmann::json{{"username", target->username}}.dump()}));
            // A fresh slot (no failures, no lockout) with a fresh key pair: the administrator cannot know the
            // old one.
            auto publicKey = tx.store().writeKeySlot(target->username, newPassword);
            if (!publicKey) return publicKey.error();
            return detail::certifyKey(tx, actor->id, target->username, *publicKey, "password reset");
        }));
        // Whoever knew the old password (and kept the key file) must not open the store any more.
        return rotateDatabaseKey(session_.store(), session_.userId(), "password reset");
    });
}

Result<User> AccountService::deactivate(std::int64_t userId, std::string_view reason) {
    return refusalsAudited(session_, "user.deactivate", userId, [&]() -> Result<User> {
        auto checked = text::acceptReason("deactivating an account", reason);
        if (!checked) return checked.error();
        auto deactivated = session_.store().transact([&](store::Transaction& tx) -> Result<User> {
            auto actor = authorize(session_, workflow::Action::ManageUsers);
            if (!actor) return actor.error();
            if (userId == actor->id)
                return makeError(ErrorCode::PermissionDenied, "Another program administrator must deactivate you.");
            auto target = loadTarget(session_, tx.store(), userId);
            if (!target) return target.error();
            if (target->status == UserStatus::Deactivated)
                return makeError(ErrorCode::InvalidTransition, "This account is already deactivated.");
            if (target->hasRole(Role::ProgramAdministrator)) FACELEAD_TRY(keepAnAdministrator(tx, userId));
            FACELEAD_TRY(setStatus(tx, userId, UserStatus::Deactivated, *checked));
            FACELEAD_TRY(audit::AuditLog::append(
                tx, {actor->id, "user.deactivated", "user", std::to_string(userId),
                     nlohmann::json{{"username", target->username}, {"reason", *checked}}.dump()}));
            FACELEAD_TRY(tx.store().removeKeySlot(target->username));
            return loadUser(tx.store(), userId);
        });
        if (!deactivated) return deactivated;
        // An old copy of the key file and the old password must open nothing (issue 8 item 3).
        FACELEAD_TRY(rotateDatabaseKey(session_.store(), session_.userId(), "account deactivated"));
        return deactivated;
    });
}

Result<User> AccountService::suspend(std::int64_t userId, std::string_view reason) {
    return refusalsAudited(session_, "user.suspend", userId, [&]() -> Result<User> {
        auto checked = text::acceptReason("suspending an account", reason);
        if (!checked) return checked.error();
        return session_.store().transact([&](store::Transaction& tx) -> Result<User> {
            auto actor = authorize(session_, workflow::Action::ManageUsers);
            if (!actor) return actor.error();
            if (userId == actor->id)
                return makeError(ErrorCode::PermissionDenied, "Another program administrator must suspend you.");
            auto target = loadTarget(session_, tx.store(), userId);
            if (!target) return target.error();
            if (target->status != UserStatus::Active && target->status != UserStatus::PendingApproval)
                return makeError(ErrorCode::InvalidTransition, "Only an active or pending account can be suspended.");
            if (target->hasRole(Role::ProgramAdministrator)) FACELEAD_TRY(keepAnAdministrator(tx, userId));
            FACELEAD_TRY(setStatus(tx, userId, UserStatus::Suspended, *checked));
            FACELEAD_TRY(audit::AuditLog::append(
                tx, {actor->id, "user.suspended", "user", std::to_string(userId),
                     nlohmann::json{{"username", target->username}, {"reason", *checked}}.dump()}));
            return loadUser(tx.store(), userId);
        });
    });
}

Result<User> AccountService::resetSecondFactor(std::int64_t userId, std::string_view reason) {
    return refusalsAudited(session_, "user.reset_second_factor", userId, [&]() -> Result<User> {
        auto checked = text::acceptReason("resetting a second factor", reason);
        if (!checked) return checked.error();
        return session_.store().transact([&](store::Transaction& tx) -> Result<User> {
            auto actor = authorize(session_, workflow::Action::ManageUsers);
            if (!actor) return actor.error();
            auto target = loadTarget(session_, tx.store(), userId);
            if (!target) return target.error();
            FACELEAD_TRY(detail::clearSecondFactor(tx, userId));
            FACELEAD_TRY(audit::AuditLog::append(
                tx, {actor->id, "second_factor.reset", "user", std::to_string(userId),
                     nlohmann::json{{"username", target->username}, {"reason", *checked}}.dump()}));
            return *target;
        });
    });
}

Result<User> AccountService::reactivate(std::int64_t userId, std::string_view reason) {
    return refusalsAudited(session_, "user.reactivate", userId, [&]() -> Result<User> {
        // Restoring access is a decision someone answers for, as taking it away is (VI.C.2 NOTE, VI.C.3.a).
        auto checked = text::acceptReason("reactivating an account", reason);
        if (!checked) return checked.error();
        return session_.store().transact([&](store::Transaction& tx) -> Result<User> {
            auto actor = authorize(session_, workflow::Action::ManageUsers);
            if (!actor) return actor.error();
            auto target = loadTarget(session_, tx.store(), userId);
            if (!target) return target.error();
            if (target->status != UserStatus::Suspended)
                return makeError(ErrorCode::InvalidTransition, "Only a suspended account can be reactivated.");
            // Never approved: back to waiting for a supervisor, not straight to active (VI.D.2.a).
            const UserStatus next = target->approvedAt ? UserStatus::Active : UserStatus::PendingApproval;
            FACELEAD_TRY(setStatus(tx, userId, next, ""));
            FACELEAD_TRY(audit::AuditLog::append(
                tx, {actor->id, "user.reactivated", "user", std::to_string(userId),
                     nlohmann::json{{"username", target->username}, {"status", workflow::statusName(next)}, {"reason", *checked}}
                         .dump()}));
            return loadUser(tx.store(), userId);
        });
    });
}

Result<User> AccountService::setRoles(std::int64_t userId, const workflow::RoleSet& roles) {
    return refusalsAudited(session_, "user.set_roles", userId, "roles " + rolesToText(roles), [&]() -> Result<User> {
        if (roles.empty()) return makeError(ErrorCode::InvalidArgument, "An account needs at least one role.");
        return session_.store().transact([&](store::Transaction& tx) -> Result<User> {
            auto actor = authorize(session_, workflow::Action::ManageUsers);
            if (!actor) return actor.error();
            auto target = loadTarget(session_, tx.store(), userId);
            if (!target) return target.error();
            if (target->roles == roles)  // trial 63 F5: a request that changes nothing waited for an approval
                return makeError(ErrorCode::InvalidArgument, "The account of " + target->displayName +
                                                                 " has exactly these roles already: nothing to change.");
            if (target->hasRole(Role::ProgramAdministrator) && roles.count(Role::ProgramAdministrator) == 0 &&
                target->isActive())
                FACELEAD_TRY(keepAnAdministrator(tx, userId));
            FACELEAD_TRY(audit::AuditLog::append(
                tx, {actor->id, kRoleChangeRequested, "user", std::to_string(userId),
                     nlohmann::json{{"username", target->username}, {"from", rolesToText(target->roles)},
                                    {"to", rolesToText(roles)}}.dump()}));
            return *target;
        });
    });
}

Result<std::vector<RoleChangeRequest>> AccountService::pendingRoleChanges() {
    return refusalsAudited(session_, "user.list_role_changes", [&]() -> Result<std::vector<RoleChangeRequest>> {
        FACELEAD_TRY(authorize(session_, workflow::Action::ApproveRoleChange));
        return pendingRoleChangeRequests(session_.store(), session_.ledger());
    });
}

Result<User> AccountService::approveRoleChange(std::int64_t requestId) {
    return refusalsAudited(session_, "user.approve_role_change", [&]() -> Result<User> {
        return session_.store().transact([&](store::Transaction& tx) -> Result<User> {
            auto actor = authorize(session_, workflow::Action::ApproveRoleChange);
            if (!actor) return actor.error();
            auto pending = pendingRoleChangeRequests(tx.store(), session_.ledger());
            if (!pending) return pending.error();
            const auto request = std::find_if(pending->begin(), pending->end(),
                                              [&](const RoleChangeRequest& r) { return r.id == requestId; });
            if (request == pending->end())
                return makeError(ErrorCode::NotFound, "Role change request " + std::to_string(requestId) +
                                                          " is not waiting for approval (approved, or superseded "
                                                          "by a newer request).");
            if (request->requestedBy == actor->id || request->userId == actor->id)
                return makeError(ErrorCode::PermissionDenied,
                                 "You requested this change of roles, or it changes your own: another supervisor or "
                                 "program administrator approves it (two persons change access, VI.D.2.a).");
            auto target = loadTarget(session_, tx.store(), request->userId);
            if (!target) return target.error();
            if (target->hasRole(Role::ProgramAdministrator) && !request->to.count(Role::ProgramAdministrator) &&
                target->isActive())
                FACELEAD_TRY(keepAnAdministrator(tx, target->id));
            auto update = tx.prepare("UPDATE users SET roles = ? WHERE id = ?");
            if (!update) return update.error();
            FACELEAD_TRY(update->bind(1, rolesToText(request->to)).bind(2, target->id).run());
            FACELEAD_TRY(audit::AuditLog::append(
                tx, {actor->id, "user.roles_changed", "user", std::to_string(target->id),
                     nlohmann::json{{"username", target->username}, {"from", rolesToText(target->roles)},
                                    {"to", rolesToText(request->to)}, {"request_seq", request->id},
                                    {"requested_by", request->requestedBy}}.dump()}));
            return loadUser(tx.store(), target->id);
        });
    });
}

Result<User> AccountService::approveRoleChangeOf(std::string_view username) {
    return refusalsAudited(session_, "user.approve_role_change", [&]() -> Result<User> {
        FACELEAD_TRY(authorize(session_, workflow::Action::ApproveRoleChange));
        auto pending = pendingRoleChangeRequests(session_.store(), session_.ledger());
        if (!pending) return pending.error();
        const auto request = std::find_if(pending->begin(), pending->end(),
                                          [&](const RoleChangeRequest& r) { return r.username == username; });
        if (request == pending->end())
            return makeError(ErrorCode::NotFound, "No change of roles is waiting for " + std::string(username) + ".");
        return approveRoleChange(request->id);
    });
}

Result<User> AccountService::recordTraining(std::int64_t userId, TimePoint completedAt,
                                           std::optional<std::int64_t> attemptSeq) {
    return refusalsAudited(session_, "training.record", userId, [&]() -> Result<User> {
        return session_.store().transact([&](store::Transaction& tx) -> Result<User> {
            auto actor = authorize(session_, workflow::Action::RecordTraining);
            if (!actor) return actor.error();
            if (userId == actor->id)
                return makeError(ErrorCode::PermissionDenied, "Nobody signs off their own training (SOP 302.02 VI.D.2.b).");
            auto target = loadTarget(session_, tx.store(), userId);
            if (!target) return target.error();
            if (completedAt > tx.now())
                return makeError(ErrorCode::InvalidArgument, "Training cannot be completed in the future.");
            auto update = tx.prepare("UPDATE users SET training_completed_at = ?, training_signed_off_by = ? WHERE id = ?");
            if (!update) return update.error();
            FACELEAD_TRY(update->bind(1, toIsoUtc(completedAt)).bind(2, actor->id).bind(3, userId).run());
            nlohmann::json details{{"username", target->username}, {"completed_at", toIsoUtc(completedAt)}};
            if (attemptSeq) details["attempt_seq"] = *attemptSeq;
            FACELEAD_TRY(audit::AuditLog::append(tx, {actor->id, "user.training_recorded", "user",
                                                      std::to_string(userId), details.dump()}));
            return loadUser(tx.store(), userId);
        });
    });
}

Result<std::vector<User>> AccountService::list() {
    return refusalsAudited(session_, "user.list", [&]() -> Result<std::vector<User>> {
        FACELEAD_TRY(authorize(session_, workflow::Action::ListUsers));
        return detail::queryUsers(session_.store(), "ORDER BY username");
    });
}

Result<std::vector<User>> AccountService::caseOfficers() {
    return refusalsAudited(session_, "user.list_case_officers", [&]() -> Result<std::vector<User>> {
        FACELEAD_TRY(authorize(session_, workflow::Action::CreateCase));
        auto active = activeSignedAccounts(session_.store());
        if (!active) return active.error();
        std::erase_if(*active, [](const User& user) { return !user.hasRole(Role::CaseOfficer); });
        std::ranges::sort(*active, {}, &User::displayName);
        return active;
    });
}

Result<User> AccountService::find(std::int64_t userId) { return loadUser(session_.store(), userId); }

Result<User> AccountService::findByUsername(std::string_view username) {
    return loadUserBy(session_.store(), "username", username);
}

Result<void> AccountService::touchActivity() {
    return session_.store().transact([&](store::Transaction& tx) -> Result<void> {
        auto update = tx.prepare("UPDATE users SET last_activity_at = ? WHERE id = ?");
        if (!update) return update.error();
        return update->bind(1, toIsoUtc(tx.now())).bind(2, session_.userId()).run();
    });
}

}  // namespace facelead::accounts
