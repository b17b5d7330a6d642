#include "core/accounts/Session.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <span>

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "core/accounts/AccountService.h"
#include "core/accounts/Authority.h"
#include "core/accounts/KeyApproval.h"
#include "core/accounts/SignedAccounts.h"
#include "core/accounts/SignedLockout.h"
#include "core/accounts/UserRows.h"
#include "core/accounts/WarningAdvice.h"
#include "core/audit/AnchorFindings.h"
#include "core/audit/AuditLog.h"
#include "core/audit/SettingsRemedy.h"
#include "core/common/Hash.h"
#include "core/common/Text.h"

namespace facelead::accounts {
namespace {

using workflow::Role;
using workflow::UserStatus;

Error notActive(const User& user) {
    switch (user.status) {
    case UserStatus::PendingApproval:
        return makeError(ErrorCode::AccountNotActive,
                         "This account is waiting for a supervisor's approval (SOP 302.02 VI.D.2.a).");
    case UserStatus::Suspended:
        return makeError(ErrorCode::AccountNotActive,
                         "This account is suspended. Ask a program administrator.");
    default:
        return makeError(ErrorCode::AccountNotActive,
                         "This account has been deactivated. Ask a program administrator.");
    }
}

Error createdOutsideFaceLead(const User& user) {
    return makeError(ErrorCode::PermissionDenied,
                     "The account " + user.username +
                         " was added to the store outside FaceLead: no signed entry of the audit log created it. "
                         "Tell a program administrator (facelead-cli audit verify names the change).");
}

Error wrongCredentials() {
    return makeError(ErrorCode::WrongCredentials,
                     "Wrong user name or password. Check both and try again; repeated failures lock the account.");
}

Error uncertifiedKey(std::string_view username) {
    return makeError(ErrorCode::PermissionDenied,
                     "The key slot of " + std::string(username) +
                         " holds a signing key the signed audit log never certified: the key file was changed "
                         "outside FaceLead. Tell a program administrator (a password reset gives a new slot).");
}

Error keyReplaced(std::string_view username, bool inLostEntries) {
    if (inLostEntries)
        return makeError(ErrorCode::PermissionDenied,
                         "The password of " + std::string(username) + " was reset or changed in audit entries this "
                         "store no longer holds (an older copy of it was put back, or it lost its -wal): the password "
                         "it still knows signs nothing. Ask a program administrator to reset it.");
    return makeError(ErrorCode::WrongCredentials,
                     "The password of " + std::string(username) + " was changed while signing in (by its owner in "
                     "another FaceLead program, or reset by a program administrator): sign in with the new password. "
                     "Nothing was changed.");
}

// The slot that opened the store signs as `username` with a key the log never certified for it (a slot
// replaced or added with the database key). Not a slot from before signatures, whose owner declares its key at
// this sign-in, nor the recovery slot opening for a recovery.
bool signsWithUncertifiedKey(const store::Store& store, const audit::AccountLedger& ledger, std::string_view username) {
    if (store.signerName() != username || store.signingKeyEnrolledAtOpen() || !ledger.bornSigned()) return false;
    const audit::SignedAccount* account = ledger.find(std::string(username));
    return account == nullptr || account->publicKey != store.signerPublicKey();
}

// Issue 9 item 6: a password an administrator chose (a new account's initial password, a reset) is changed
// by its owner before anything else. Due when the latest event that set this user's password was done by
// someone else; the founding administrator (created by the system with their own password) is not.
Result<bool> passwordChangeDue(store::Store& store, const User& user) {
    const std::string target = std::to_string(user.id);
    auto events = audit::AuditLog::list(store, {.action = "user.", .objectType = "user", .objectId = target});
    if (!events) return events.error();
    auto recovered = audit::AuditLog::list(store, {.action = "account.recovered", .objectType = "user",
                                                   .objectId = target});
    if (!recovered) return recovered.error();
    std::optional<audit::AuditEntry> latest;
    for (const auto* list : {&*events, &*recovered}) {
        for (const auto& entry : *list) {
            const bool setsPassword = entry.action == "user.created" || entry.action == "user.password_reset" ||
                                      entry.action == "user.password_changed" || entry.action == "account.recovered";
            if (setsPassword && (!latest || entry.seq > latest->seq)) latest = entry;
        }
    }
    return latest && latest->userId && *latest->userId != user.id;
}

// The users table disagrees with the signed log about the person signing in: someone rewrote the table with
// the database key. Recorded, and told to the person; the session acts on the signed grants.
Result<void> reportGrantsMismatch(Session& session) {
    FACELEAD_TRY(session.store().transact([&](store::Transaction& tx) {
        return audit::AuditLog::append(
            tx, {session.userId(), "account.grants_mismatch", "user", std::to_string(session.userId()),
                 nlohmann::json{{"problem", session.grantsMismatch()}}.dump()});
    }));
    session.addWarning("Your account was changed in the store outside FaceLead: " + session.grantsMismatch() +
                       ". FaceLead acts on the signed audit log. This was recorded in the audit log; tell a "
                       "program administrator.");
    return {};
}

// The recovery slot is needed only on the worst day (a damaged account entry: AccountLedger::take), so its
// damage would go unseen until then (trial 13A: a damaged slot plus a damaged entry held the store back for
// good). "" when it would open for the recovery key's holder.
std::string recoverySlotProblem(const store::KeyFile& keys, const audit::AccountLedger& ledger) {
    const store::KeySlot& slot = keys.recoverySlot;
    const std::string certified = ledger.certifiedKey(store::Store::kRecoverySigner);
    if (slot.damaged || slot.wrappedKey.empty())
        return "The recovery slot in the key file is damaged or missing.";
    if (!slot.publicKey.empty() && !certified.empty() && toHex(slot.publicKey) != certified)
        return "The recovery slot in the key file holds a key the signed audit log never certified (it was "
               "replaced).";
    return {};
}

// Active accounts (as the signed log has them) whose key slot is missing or damaged: their holders cannot sign
// in and, without the store, sign-in can only tell them "wrong user name or password" (trial 17A N9: a
// colleague's slot deleted from the key file went unnoticed). "" when every one is there.
std::string accountSlotsProblem(const store::KeyFile& keys, const audit::AccountLedger& ledger) {
    std::size_t count = 0;
    std::string names;
    for (const auto& [name, account] : ledger.accounts()) {
        if (account.status != workflow::statusName(workflow::UserStatus::Active)) continue;
        const auto slot = std::find_if(keys.userSlots.begin(), keys.userSlots.end(),
                                       [&](const store::KeySlot& s) { return s.username == name; });
        if (slot != keys.userSlots.end() && !slot->damaged) continue;
        names += (count++ ? ", " : "") + name;
    }
    if (count == 0) return {};
    return "The key file has no readable key slot for " + text::counted(count, "active account", "active accounts") +
           " (" + names + "): they cannot sign in, and are told only that the password is wrong.";
}

// A key-file problem a program administrator must hear of: on record, not only on one console (trial 14A),
// so audit verify's reader and the next auditor see it too.
Result<void> reportKeyFileProblem(Session& session, const char* action, const std::string& problem,
                                  const std::string& advice) {
    FACELEAD_TRY(session.store().transact([&](store::Transaction& tx) {
        return audit::AuditLog::append(tx, {session.userId(), action, "store", "",
                                            nlohmann::json{{"problem", problem}}.dump()});
    }));
    session.addWarning(problem + " " + advice + " This was recorded in the audit log.");
    return {};
}

Result<void> warnOfKeyFileDamage(Session& session) {
    auto keys = store::loadKeyFile(store::keyFilePath(session.store().path()));
    if (!keys)
        return reportKeyFileProblem(session, "store.recovery_slot_damaged",
                                    "The key file could not be read: " + keys.error().message,
                                    "Restore the key file from its backup now.");
    if (const auto recovery = recoverySlotProblem(*keys, session.ledger()); !recovery.empty())
        FACELEAD_TRY(reportKeyFileProblem(session, "store.recovery_slot_damaged", recovery,
                                          "Without it nobody can re-affirm the accounts if an account entry of the "
                                          "audit log is ever damaged. Restore the key file from its backup now."));
    if (const auto slots = accountSlotsProblem(*keys, session.ledger()); !slots.empty())
        FACELEAD_TRY(reportKeyFileProblem(session, "store.key_slots_missing", slots,
                                          "Restore the key file from its backup, or reset their passwords "
                                          "(facelead-cli user passwd NAME)."));
    return {};
}


// Everyone is told at sign-in when the accounts are held back (accounts::authorize refuses every change). The
// program administrators audit the system (VI.C.3.a): they are also told of a damaged recovery slot, of account
// entries not obeyed and of a users table edited outside FaceLead, so that such an edit is seen at the next
// sign-in, not only when someone runs `audit verify`.
Result<void> warnOfDamage(Session& session) {
    if (const auto heldBack = accountsHeldBackMessage(session.ledger()); !heldBack.empty())
        session.addWarning(heldBack);

    if (!session.user().hasRole(workflow::Role::ProgramAdministrator)) return {};
    FACELEAD_TRY(warnOfKeyFileDamage(session));
    if (const auto& refused = session.ledger().unauthorisedEntries(); !refused.empty())
        session.addWarning("The signed audit log holds " +
                           text::counted(refused.size(), "account entry", "account entries") +
                           " FaceLead does not obey, signed without the authority for it (the last: audit entry " +
                           std::to_string(refused.back().seq) + " (" + refused.back().action + "): " +
                           refused.back().problem + "). Someone wrote it with their own key outside FaceLead: "
                                                     "see audit verify.");
    for (const auto& replaced : session.ledger().keysReplacedByAnchor())
        session.addWarning("The accounts anchored outside the store: " + replaced.problem + ".");
    auto settings = session.ledger().compareSettings(session.store());
    if (!settings) return settings.error();
    // After a rollback or a lost -wal, a lost settings change holds the settings (trial 66 F3): no edit was made.
    const bool held = session.ledger().settingsHeldByAnchor();
    const std::string what = held ? "Agency settings were changed in audit entries this store no longer holds"
                                  : "The agency settings were edited outside FaceLead";
    // Every setting a lost change holds (trial 70 F5: only the first was named); of an edit, the first.
    std::string named;
    for (std::size_t i = 0; i < (held ? settings->size() : std::min<std::size_t>(1, settings->size())); ++i)
        named += (named.empty() ? "" : " ") + (*settings)[i];
    if (!settings->empty())
        session.addWarning(what + " (" + (held ? "" : "the first: ") + named +
                           ") No search runs until " + audit::kSettingsSignedAgain + ".");
    // After a rollback the table is the older copy's, held against what the anchor recorded since: that is the anchor
    // mismatch already told, not an edit to put back with restore-table (trial 64 F2).
    auto table = session.ledger().compareWithUsers(session.store());
    if (!table) return table.error();
    if (!table->empty() && !heldToLostHeads(session.ledger()))
        session.addWarning(std::string(kUsersTableEdited) + " (" +
                           text::counted(table->size(), "difference", "differences") + "; the first: " +
                           table->front() +
                           ") FaceLead obeys the signed audit log. Put the table back with: facelead-cli user "
                           "restore-table --reason TEXT");
    return {};
}

// Records the outcome of a successful unlock in one transaction: the carried-over events, then the
// sign-in itself (or its refusal for an account that is not active).
Result<Session> finishSignIn(std::unique_ptr<store::Store> store, std::string_view username,
                             const SecurityPolicy& policy, const char* successAction,
                             const SecondFactorInput& secondFactor,
                             const std::function<Result<void>(store::Transaction&, const User&)>& extraChange = {}) {
    std::size_t carried = 0;
    std::optional<Error> refusal;  // not active per the signed log, or the second factor: committed, then returned
    std::optional<store::PendingEvent> unsignedAttempt;  // by a slot whose key the signed log never certified
    bool ownPasswordDue = false;  // a password another account set (passwordChangeDue): the session may only change it
    std::string anchorMismatch;
    audit::AccountLedger ledger;  // handed to the session: its later decisions read on from here
    auto outcome = store->transact([&](store::Transaction& tx) -> Result<std::optional<User>> {
        auto user = detail::loadUserWhere(tx.store(), "username", username);
        if (!user && user.error().code != ErrorCode::NotFound) return user.error();
        // Admitted on the status the signed log grants, never on the table's copy of it (SignedAccounts.h).
        FACELEAD_TRY(ledger.catchUp(tx.store()));
        const auto granted = user ? std::optional(applySignedGrants(ledger, *user)) : std::nullopt;
        // A key slot without an account, an account no signed entry created (a ghost), or a slot swapped for one
        // with another key: its key was never certified, so whatever it signed would break the chain for good
        // (trial 12A). It signs nothing; its attempt waits in the key file for the next real sign-in to carry
        // over, as a failed sign-in does.
        const bool ghost = granted && granted->createdOutsideFaceLead;
        // Deactivation removed the account's slot and rotated the key: a slot of it that opens the store came back
        // with an older copy of the store and its key file (trial 68 F1, F2). It signs nothing either, not even
        // its own refusal, which verify would rightly call a signature FaceLead never makes. (A recovery signs
        // with the recovery slot.)
        const bool deactivatedSlot = granted && !extraChange && granted->user.status == UserStatus::Deactivated;
        if (!granted || ghost || deactivatedSlot || signsWithUncertifiedKey(tx.store(), ledger, username)) {
            nlohmann::json details = nlohmann::json::object();
            if (ghost) details = {{"status", detail::kAddedOutsideFaceLead}, {"table_edited", granted->mismatch}};
            if (deactivatedSlot) details = {{"status", "deactivated"}, {"key_slot", "back in the key file"}};
            // A key the log certified once and a reset replaced since: the slot was read just before an
            // administrator's reset rewrote it (trial 42 F9), which is no change outside FaceLead.
            const bool replaced = granted && !ghost &&
                                  ledger.everCertified(std::string(username), tx.store().signerPublicKey());
            // Or by one lost with a rollback, which the anchor outside the store recorded (trial 69 F1).
            const bool replacedInLostEntries = replaced && keyReplacedInLostEntries(ledger, std::string(username));
            if (replacedInLostEntries) details = {{"replaced", "in audit entries this store no longer holds"}};
            const char* action = !granted                   ? "signin.failed"
                                 : ghost || deactivatedSlot ? "signin.refused_not_active"
                                 : replaced ? "signin.refused_key_replaced"
                                            : "signin.refused_uncertified_key";
            unsignedAttempt = store::PendingEvent{tx.now(), std::string(username), action, details.dump()};
            refusal = !granted         ? wrongCredentials()
                      : ghost           ? createdOutsideFaceLead(granted->user)
                      : deactivatedSlot ? notActive(granted->user)
                      : replaced ? keyReplaced(username, replacedInLostEntries)
                                 : uncertifiedKey(username);
            return makeError(ErrorCode::Cancelled, "signs nothing");  // rolls back whatever the slot began
        }
        if (tx.store()
                .signingKeyEnrolledAtOpen())  // a slot from before signatures: declare its new key first
            FACELEAD_TRY(detail::certifyKey(tx, std::nullopt, tx.store().signerName(),
                                            tx.store().signerPublicKey(),
                                            "first sign-in with signatures (self-declared)"));
        // Before anything is added: does the chain still hold what was anchored outside the store?
        auto mismatch = audit::AuditLog::checkAnchoredHeads(tx.store());
        if (!mismatch) return mismatch.error();
        anchorMismatch = *mismatch;
        // Recorded once: while that report waits for a program administrator, each sign-in reminds of it (below)
        // rather than recording again the heads of the same lost entries, which stay in the anchor (every head is
        // compared since trial 23A F12, not only the highest).
        if (!anchorMismatch.empty()) {
            auto earlier = audit::unansweredAnchorMismatch(tx.store());
            if (!earlier) return earlier.error();
            if (!earlier->empty()) anchorMismatch.clear();
        }
        if (!anchorMismatch.empty()) FACELEAD_TRY(audit::recordAnchorMismatch(tx, anchorMismatch, username));
        auto pending = detail::carryOverPendingEvents(tx);
        if (!pending) return pending.error();
        carried = *pending;
        if (!granted->user.isActive()) {
            nlohmann::json details{{"status", workflow::statusName(granted->user.status)}};
            if (!granted->mismatch.empty()) details["table_edited"] = granted->mismatch;
            // A recovery (extraChange) refused is the recovery key holder's attempt, in nobody's name: the account's
            // owner did not try to sign in (trial 65 F4).
            if (extraChange) details["username"] = user->username;
            FACELEAD_TRY(audit::AuditLog::append(
                tx, {extraChange ? std::nullopt : std::optional(user->id),
                     extraChange ? "account.recovery_refused" : "signin.refused_not_active", "user",
                     std::to_string(user->id), details.dump()}));
            refusal = notActive(granted->user);
            return std::optional<User>(*user);
        }
        // The key its owner's password change made after someone else set the password waits for a supervisor's
        // approval (trial 63 F2; KeyApproval.h): the owner is told its fingerprint, and that is all. A recovery
        // (extraChange) gives the account a key the recovery key's holder answers for.
        if (!extraChange && ownKeyAwaitsApproval(ledger, std::string(username))) {
            const std::string key = tx.store().signerPublicKey();
            FACELEAD_TRY(audit::AuditLog::append(
                tx, {user->id, "signin.refused_key_not_approved", "user", std::to_string(user->id),
                     nlohmann::json{{"fingerprint", keyFingerprint(key)}}.dump()}));
            refusal = keyAwaitsApproval(username, key);
            return std::optional<User>(*user);
        }
        if (extraChange) FACELEAD_TRY(extraChange(tx, *user));
        // A lock the key file no longer holds but the signed log does (trial 60 F5: cleared outside FaceLead);
        // after extraChange, whose recovery ends it.
        auto lockedUntil = lockedUntilAsSigned(tx.store(), user->id, tx.now());
        if (!lockedUntil) return lockedUntil.error();
        if (*lockedUntil) {
            FACELEAD_TRY(audit::AuditLog::append(
                tx, {user->id, "signin.refused_locked", "user", std::to_string(user->id),
                     nlohmann::json{{"until", **lockedUntil}, {"key_file_lockout_cleared", true}}.dump()}));
            refusal = makeError(ErrorCode::AccountLocked,
                                "This account is locked after repeated failed sign-ins until " + **lockedUntil +
                                    " (UTC), as the signed audit log records (the key file's lockout was cleared "
                                    "outside FaceLead, which changes nothing). Wait, or ask a program administrator "
                                    "to reset the password.");
            return std::optional<User>(*user);
        }
        // Before the session exists: what the refusal recorded (a failed code, a lockout) is committed.
        auto due = passwordChangeDue(tx.store(), *user);
        if (!due) return due.error();
        ownPasswordDue = *due;
        auto secondFactorCheck = detail::checkSecondFactor(tx, ledger, *user, secondFactor, ownPasswordDue);
        if (!secondFactorCheck) return secondFactorCheck.error();
        if (secondFactorCheck->refusal) {
            refusal = std::move(secondFactorCheck->refusal);
            return std::optional<User>(*user);
        }
        auto touch = tx.prepare("UPDATE users SET last_activity_at = ? WHERE id = ?");
        if (!touch) return touch.error();
        FACELEAD_TRY(touch->bind(1, toIsoUtc(tx.now())).bind(2, user->id).run());
        // How the second factor was met goes on record with the sign-in (and its TOTP step, which no later
        // sign-in may take again: SecondFactor.h).
        FACELEAD_TRY(audit::AuditLog::append(tx, {user->id, successAction, "user", std::to_string(user->id),
                                                  secondFactorCheck->record.dump()}));
        user->lastActivityAt = tx.now();
        return std::optional<User>(*user);
    });
    if (unsignedAttempt) {
        FACELEAD_TRY(store::updateKeyFile(store->keyFile(), [&](store::KeyFile& file) {
            file.pendingEvents.push_back(*unsignedAttempt);
        }));
        return *refusal;
    }
    if (!outcome) return outcome.error();
    // The carried-over events are in the log now; a failure to clear them only risks a duplicate later.
    if (carried > 0) (void)store->clearPendingEvents(carried);
    if (refusal) return *refusal;
    FACELEAD_TRY(store->confirmSignIn());  // every factor passed: the failure count starts afresh
    const auto anchorWarning = store->anchorWarning();
    Session session(std::move(store), std::move(**outcome), policy, std::move(ledger));
    FACELEAD_TRY(session.refreshUser());  // act on the signed grants, not on the table's copy of them
    if (!session.grantsMismatch().empty()) FACELEAD_TRY(reportGrantsMismatch(session));
    FACELEAD_TRY(warnOfDamage(session));
    session.setMustChangePassword(ownPasswordDue);
    if (!anchorMismatch.empty()) {
        session.addWarning("The audit log does not match its anchor outside the store. " + anchorMismatch +
                           " This was recorded in the audit log.");
    } else {
        auto earlier = audit::unansweredAnchorMismatch(session.store());
        if (!earlier) return earlier.error();
        if (!earlier->empty())
            session.addWarning("An earlier sign-in found the audit log not matching its anchor outside the store, and "
                               "no program administrator has answered for it yet: " + *earlier +
                               " Entries may have been deleted: audit verify names them.");
    }
    if (anchorWarning)
        session.addWarning("The audit log's head could not be anchored outside the store: " + *anchorWarning);
    return session;
}

}  // namespace

store::StoreOptions SecurityPolicy::storeOptions() const {
    store::StoreOptions options;
    options.kdf = kdf;
    options.busyTimeout = busyTimeout;
    options.maxFailedSignIns = maxFailedSignIns;
    options.lockoutDuration = lockoutDuration;
    options.integrityCheckOnOpen = integrityCheckOnOpen;
    options.anchor = anchor;
    return options;
}

Result<void> checkPasswordPolicy(const SecurityPolicy& policy, std::string_view username, std::string_view password) {
    if (password.size() < policy.minPasswordLength)
        return makeError(ErrorCode::PasswordTooWeak, "The password must have at least " +
                                                         std::to_string(policy.minPasswordLength) + " characters.");
    const bool hasLetter = std::any_of(password.begin(), password.end(),
                                       [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
    const bool hasOther = std::any_of(password.begin(), password.end(),
                                      [](char c) { return std::isalpha(static_cast<unsigned char>(c)) == 0; });
    if (policy.requireMixedCharacters && !(hasLetter && hasOther))
        return makeError(ErrorCode::PasswordTooWeak,
                         "The password must mix letters with digits, spaces or symbols (the agency's password rule).");
    // In any case: "Chief2026!" guesses as easily as "chief2026!" for the account chief (trial 13A).
    const auto lower = [](std::string_view text) {
        std::string lowered(text);
        std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return lowered;
    };
    if (!username.empty() && lower(password).find(lower(username)) != std::string::npos)
        return makeError(ErrorCode::PasswordTooWeak, "The password must not contain the user name.");
    return {};
}

Session::Session(std::unique_ptr<store::Store> store, User user, SecurityPolicy policy, audit::AccountLedger ledger)
    : store_(std::move(store)), user_(std::move(user)), policy_(std::move(policy)), ledger_(std::move(ledger)) {}

Result<void> Session::refreshUser() {
    auto user = loadUser(*store_, user_.id);
    if (!user) return user.error();
    auto granted = withSignedGrants(std::move(*user));
    if (!granted) return granted.error();
    user_ = std::move(*granted);
    return {};
}

Result<Session::SignedGrants> Session::signedGrantsOf(User stored) {
    FACELEAD_TRY(ledger_.catchUp(*store_));
    return applySignedGrants(ledger_, std::move(stored));
}

Result<User> Session::withSignedGrants(User stored) {
    auto granted = signedGrantsOf(std::move(stored));
    if (!granted) return granted.error();
    if (granted->createdOutsideFaceLead) {
        grantsMismatch_.clear();
        return createdOutsideFaceLead(granted->user);
    }
    grantsMismatch_ = std::move(granted->mismatch);
    return std::move(granted->user);
}

namespace {

// Until its creator confirms having written the recovery key down, it is kept in the store sealed to the
// creator's own key (Store::sealForSigner): a workstation killed while the key was shown offers it again at
// the creator's next sign-in, and nobody else, even with the database key, can read it.
constexpr std::string_view kUnconfirmedRecoveryKey = "recovery_key_unconfirmed";
constexpr std::string_view kRecoveryKeySeal = "facelead unconfirmed recovery key v1";

}  // namespace

Result<void> detail::keepUnconfirmedRecoveryKey(store::Transaction& tx, std::string_view recoveryKey) {
    const std::span bytes(reinterpret_cast<const std::uint8_t*>(recoveryKey.data()), recoveryKey.size());
    auto sealed = tx.store().sealForSigner(kRecoveryKeySeal, kUnconfirmedRecoveryKey, bytes);
    if (!sealed) return sealed.error();
    return tx.store().setSetting(tx, kUnconfirmedRecoveryKey, toHex(*sealed));
}

Result<std::optional<std::string>> detail::unconfirmedRecoveryKey(store::Store& store) {
    auto setting = store.setting(kUnconfirmedRecoveryKey);
    if (!setting) return setting.error();
    std::vector<std::uint8_t> sealed;
    if (!*setting || !fromHex(**setting, sealed)) return std::optional<std::string>{};
    auto plain = store.unsealForSigner(kRecoveryKeySeal, kUnconfirmedRecoveryKey, sealed);
    if (!plain) return std::optional<std::string>{};  // sealed to another account's key: not theirs to see
    std::string key(plain->begin(), plain->end());
    sodium_memzero(plain->data(), plain->size());
    return std::optional(std::move(key));
}

Result<std::optional<std::string>> unconfirmedRecoveryKey(Session& session) {
    return detail::unconfirmedRecoveryKey(session.store());
}

Result<void> confirmRecoveryKey(Session& session) {
    auto pending = unconfirmedRecoveryKey(session);
    if (!pending) return pending.error();
    if (!*pending) return {};
    sodium_memzero(pending->value().data(), pending->value().size());
    return session.store().transact([&](store::Transaction& tx) -> Result<void> {
        FACELEAD_TRY(tx.store().setSetting(tx, kUnconfirmedRecoveryKey, ""));
        FACELEAD_TRY(audit::AuditLog::append(tx, {session.userId(), "store.recovery_key_confirmed", "store", "",
                                                  nlohmann::json{{"note", "written down by its creator"}}.dump()}));
        return {};
    });
}

Result<CreatedStore> createStore(const std::filesystem::path& path, std::string_view adminUsername,
                                 std::string_view adminDisplayName, std::string_view adminPassword,
                                 std::shared_ptr<const Clock> clock, const SecurityPolicy& policy) {
    FACELEAD_TRY(detail::checkNewUsername(adminUsername));
    if (adminDisplayName.empty())
        return makeError(ErrorCode::InvalidArgument, "The administrator needs a display name.");
    FACELEAD_TRY(checkPasswordPolicy(policy, adminUsername, adminPassword));
    auto created = store::Store::create(path, adminUsername, adminPassword, std::move(clock), policy.storeOptions());
    if (!created) return created.error();
    auto& store = *created->store;

    // The first program administrator: active and approved by the system at creation, with the supervisor
    // role too, so the agency can approve its first accounts (VI.D.2.a).
    const workflow::RoleSet roles = {Role::ProgramAdministrator, Role::Supervisor};
    auto admin = store.transact([&](store::Transaction& tx) -> Result<User> {
        const std::string now = toIsoUtc(tx.now());
        auto insert = tx.prepare(
            "INSERT INTO users(username, display_name, roles, status, created_at, approved_at) "
            "VALUES (?, ?, ?, 'active', ?, ?)");
        if (!insert) return insert.error();
        FACELEAD_TRY(insert->bind(1, adminUsername).bind(2, adminDisplayName).bind(3, rolesToText(roles))
                         .bind(4, now).bind(5, now).run());
        const std::int64_t id = tx.lastInsertId();
        auto storeId = store.setting("store_id");
        if (!storeId) return storeId.error();
        // The first entry: its signer's key is the root every other key is certified from.
        FACELEAD_TRY(audit::AuditLog::append(tx, {std::nullopt, "store.created", "store", "",
                                                  nlohmann::json{{"schema_version", store.schemaVersion()},
                                                                 {"cipher_version", store.cipherVersion()},
                                                                 {"store_id", storeId->value_or("")},
                                                                 {"public_key", store.signerPublicKey()},
                                                                 {"recovery_public_key", created->recoveryPublicKey}}
                                                      .dump()}));
        FACELEAD_TRY(audit::AuditLog::append(
            tx, {std::nullopt, "user.created", "user", std::to_string(id),
                 nlohmann::json{{"username", adminUsername},
                                {"display_name", adminDisplayName},
                                {"roles", rolesToText(roles)},
                                {"status", "active"},
                                {"approved_by", "system at creation"}}
                     .dump()}));
        FACELEAD_TRY(detail::certifyKey(tx, id, store::Store::kRecoverySigner, created->recoveryPublicKey,
                                        "store created"));
        FACELEAD_TRY(detail::keepUnconfirmedRecoveryKey(tx, created->recoveryKey));
        return loadUser(tx.store(), id);
    });
    if (!admin) {
        const auto keys = store.keyFile();
        created->store.reset();
        std::error_code ignored;
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix, ignored);
        std::filesystem::remove(keys, ignored);
        return admin.error();
    }
    return CreatedStore{Session(std::move(created->store), std::move(*admin), policy),
                        std::move(created->recoveryKey)};
}

Result<Session> signIn(const std::filesystem::path& path, std::string_view username, std::string_view password,
                       std::shared_ptr<const Clock> clock, const SecurityPolicy& policy,
                       const SecondFactorInput& secondFactor) {
    auto store = store::Store::open(path, username, password, std::move(clock), policy.storeOptions());
    if (!store) return store.error();
    return finishSignIn(std::move(*store), username, policy, "signin.succeeded", secondFactor);
}

Result<void> recordSessionEvent(Session& session, SessionEvent event, std::string_view reason) {
    const char* action = event == SessionEvent::Locked          ? "session.locked"
                         : event == SessionEvent::Unlocked      ? "session.unlocked"
                         : event == SessionEvent::ForcedSignOut ? "session.forced_sign_out"
                                                                : "session.signed_out";
    nlohmann::json details = nlohmann::json::object();
    if (!reason.empty()) details["reason"] = reason;
    auto appended = session.store().transact([&](store::Transaction& tx) -> Result<void> {
        auto logged = audit::AuditLog::append(
            tx, {session.userId(), action, "user", std::to_string(session.userId()), details.dump()});
        if (!logged) return logged.error();
        return {};
    });
    if (appended) return appended;
    // The store no longer admits this account (its key was rotated away, perhaps while this was written, which
    // fails as a damaged page rather than as a refusal): like a refused sign-in, the event waits in the key
    // file, and the next sign-in writes it to the audit log. It is never lost.
    nlohmann::json queued = nlohmann::json::object();
    if (!reason.empty()) queued["reason"] = detail::kNoLongerAdmitted;  // the key file is in clear: no free text
    return detail::queueForNextSignIn(session.store(), action, queued.dump());
}

Result<void> rotateDatabaseKey(store::Store& store, std::optional<std::int64_t> actorId,
                               std::string_view reason) {
    auto keys = detail::certifiedKeys(store);
    if (!keys) return keys.error();
    // No account the signed log leaves deactivated keeps a slot or is sealed the new key, whatever the key file
    // holds: one put back with an older copy of the store still named it (trial 68 F1), and each later rotation
    // sealed the new key to it.
    audit::AccountLedger ledger;
    FACELEAD_TRY(ledger.catchUp(store));
    auto slotsRemoved = nlohmann::json::array();
    for (const auto& [name, account] : ledger.accounts()) {
        // Only the key the replay holds certified: not one a lost reset or change replaced (trial 69 F1).
        if (const auto key = keys->find(name); key != keys->end() && key->second != account.publicKey) keys->erase(key);
        if (account.status != workflow::statusName(UserStatus::Deactivated)) continue;
        keys->erase(name);
        auto slot = store.hasKeySlot(name);
        if (!slot) return slot.error();
        if (*slot) {
            FACELEAD_TRY(store.removeKeySlot(name));
            slotsRemoved.push_back(name);
        }
    }
    FACELEAD_TRY(store.rotateDatabaseKey([&](const std::string& name) {
        const auto found = keys->find(name);
        return found == keys->end() ? std::string() : found->second;
    }));
    nlohmann::json details{{"reason", reason}};
    if (!slotsRemoved.empty()) details["slots_of_deactivated_removed"] = std::move(slotsRemoved);
    return store.transact([&](store::Transaction& tx) -> Result<void> {
        auto logged = audit::AuditLog::append(tx, {actorId, "store.key_rotated", "store", "", details.dump()});
        if (!logged) return logged.error();
        return {};
    });
}

Result<Session> recoverWithRecoveryKey(const std::filesystem::path& path, std::string_view recoveryKey,
                                       std::string_view username, std::string_view newPassword,
                                       std::shared_ptr<const Clock> clock, const SecurityPolicy& policy) {
    FACELEAD_TRY(checkPasswordPolicy(policy, username, newPassword));
    auto store = store::Store::openWithRecoveryKey(path, recoveryKey, std::move(clock), policy.storeOptions());
    if (!store) return store.error();
    auto rewrap = [&](store::Transaction& tx, const User& user) -> Result<void> {
        // A fresh key pair for the account, certified by the recovery slot; from here on the user signs.
        auto publicKey = tx.store().writeKeySlot(username, newPassword);
        if (!publicKey) return publicKey.error();
        FACELEAD_TRY(detail::certifyKey(tx, std::nullopt, username, *publicKey, "recovery key"));
        FACELEAD_TRY(tx.store().signAs(username, newPassword));
        FACELEAD_TRY(audit::AuditLog::append(tx, {user.id, "account.recovered", "user", std::to_string(user.id),
                                                  R"({"method":"recovery_key"})"}));
        return {};
    };
    // The recovery key gives the account a new key pair, so a sealed second factor cannot be read any more:
    // while the agency requires one, this ends in SecondFactorEnrolmentRequired after the recovery committed
    // and the user signs in with the new password and enrols (docs/SECURITY.md "Second factor").
    auto session = finishSignIn(std::move(*store), username, policy, "signin.succeeded", {}, rewrap);
    if (!session && session.error().code == ErrorCode::WrongCredentials)
        return makeError(ErrorCode::NotFound, "There is no account named '" + std::string(username) + "'.");
    return session;
}

}  // namespace facelead::accounts
