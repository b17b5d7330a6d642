#pragma once
// Sign-in (CJIS-style): personal accounts, a password policy, lockout after consecutive failures,
// messages that never tell whether the name or the password was wrong, and every sign-in, failed
// sign-in and lockout in the audit log (failures from before the store could be opened are carried over
// from the key file at the next successful open).

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/accounts/SecondFactor.h"
#include "core/accounts/User.h"
#include "core/audit/AccountLedger.h"
#include "core/common/Clock.h"
#include "core/common/Result.h"
#include "core/store/Store.h"

namespace facelead::accounts {

struct SecurityPolicy {
    std::size_t minPasswordLength = 12;
    bool requireMixedCharacters = false;          // letters and digits or symbols (the agency's setting)
    int maxFailedSignIns = 5;                     // consecutive failures before a lockout
    std::chrono::minutes lockoutDuration{15};
    store::KdfParams kdf = store::KdfParams::interactive();  // tests: store::KdfParams::minimum()
    std::chrono::milliseconds busyTimeout{5000};
    // The full page-by-page check costs ~0.7 s per 100 MB at every sign-in; the store always runs a cheap
    // check on open, and the full one on demand (Store::checkIntegrity, `facelead-cli store check`).
    bool integrityCheckOnOpen = false;
    // Where the audit chain's head is anchored (StoreOptions::anchor); null: store::defaultAnchor().
    std::shared_ptr<store::HeadAnchor> anchor;

    store::StoreOptions storeOptions() const;
};

// PasswordTooWeak when the password breaks the policy (length; mixed characters; not the user name).
Result<void> checkPasswordPolicy(const SecurityPolicy& policy, std::string_view username,
                                 std::string_view password);

// The open store and the signed-in user. Move-only; closing it (destruction) closes the store.
class Session {
public:
    // ledger: the replay sign-in already made of the signed log (read on from where it stopped), or a fresh one.
    Session(std::unique_ptr<store::Store> store, User user, SecurityPolicy policy,
            audit::AccountLedger ledger = {});
    Session(Session&&) noexcept = default;
    Session& operator=(Session&&) noexcept = default;

    store::Store& store() { return *store_; }
    const User& user() const { return user_; }
    std::int64_t userId() const { return user_.id; }
    const SecurityPolicy& policy() const { return policy_; }
    // The agency's rules replace the defaults the session was opened with (admin::signIn does this).
    void applyPolicy(SecurityPolicy policy) { policy_ = std::move(policy); }
    // Re-reads the signed-in user (after a change of roles or status).
    Result<void> refreshUser();
    // The user as stored, with the roles and status the signed audit log grants them (audit::AccountLedger):
    // the users table is only a copy, so an insider who rewrites it with the database key gains nothing
    // (issue 8, docs/SECURITY.md), nor locks anyone out: roles and status are the log's, in both directions
    // (accounts/SignedAccounts.h; the caller refuses an account that is not active). PermissionDenied when the log was signed from its start and never
    // created the account.
    Result<User> withSignedGrants(User stored);
    // Any account as the signed log leaves it, without touching grantsMismatch(): the user with the signed
    // roles and status, and one sentence on how the users table differs ("" when it agrees). An account no
    // signed entry created (in a store signed from its start) comes back with no roles, held back, and says so.
    struct SignedGrants {
        User user;
        std::string mismatch;
        bool createdOutsideFaceLead = false;
        bool rolesDiffer = false;    // the table's roles are not the signed ones
        bool statusDiffers = false;  // the table's status or approval is not the signed one
        bool trainingDiffers = false;  // the table's training date is not the signed sign-off's
    };
    Result<SignedGrants> signedGrantsOf(User stored);
    // The session's replay of the signed log, as of its last decision.
    const audit::AccountLedger& ledger() const { return ledger_; }
    // How the stored account differed from the signed log at the last withSignedGrants ("" when it agreed).
    const std::string& grantsMismatch() const { return grantsMismatch_; }
    // What the person signing in must be told (e.g. the audit chain disagrees with its anchor outside the
    // store: a rollback, truncation or lost -wal, docs/SECURITY.md). Already recorded in the audit log.
    const std::vector<std::string>& warnings() const { return warnings_; }
    void addWarning(std::string warning) { warnings_.push_back(std::move(warning)); }

    // True after an administrator set or reset this user's password (or created the account with it):
    // nothing but changing it is allowed (accounts::currentUser refuses with PasswordChangeRequired).
    bool mustChangePassword() const { return mustChangePassword_; }
    void setMustChangePassword(bool due) { mustChangePassword_ = due; }

    // For refusalsAudited (Authority.h): true when this is the outermost scope.
    bool enterRefusalScope() { return refusalScopeDepth_++ == 0; }
    void leaveRefusalScope() { --refusalScopeDepth_; }

private:
    std::unique_ptr<store::Store> store_;
    User user_;
    SecurityPolicy policy_;
    bool mustChangePassword_ = false;
    int refusalScopeDepth_ = 0;
    std::vector<std::string> warnings_;
    audit::AccountLedger ledger_;
    std::string grantsMismatch_;
};

struct CreatedStore {
    Session session;          // signed in as the first program administrator
    std::string recoveryKey;  // show once; whoever holds it can open the store
};

// Creates the store and key file, and the first program administrator (active, approved by the system
// at creation, roles program_administrator + supervisor so the agency can bootstrap its accounts).
Result<CreatedStore> createStore(const std::filesystem::path& path, std::string_view adminUsername,
                                 std::string_view adminDisplayName, std::string_view adminPassword,
                                 std::shared_ptr<const Clock> clock, const SecurityPolicy& policy = {});

// The recovery key counts as kept only once its creator confirms having written it down. Until then it stays
// in the store sealed to the creator's own key, so that a workstation closed or killed while it was shown
// offers it again at the creator's next sign-in (issue 9 item 7). unconfirmedRecoveryKey: the key when it is
// unconfirmed and this session's user created it, else nullopt. confirmRecoveryKey drops it and audits
// "store.recovery_key_confirmed" (nothing to do when none is waiting).
Result<std::optional<std::string>> unconfirmedRecoveryKey(Session& session);
Result<void> confirmRecoveryKey(Session& session);

// WrongCredentials (same message for an unknown name and a wrong password), AccountLocked,
// AccountNotActive (pending approval, suspended, deactivated), or a store error. While the agency requires
// a second factor (SecondFactor.h), checked after the password and before the session exists:
// SecondFactorRequired (no code given), SecondFactorEnrolmentRequired (enrol: newEnrolment, then sign in
// again with the enrolment and a code from it), WrongSecondFactor (audited, counts toward the lockout).
// The unlock of an idle-locked workstation is a sign-in too, with the same rules.
Result<Session> signIn(const std::filesystem::path& path, std::string_view username, std::string_view password,
                       std::shared_ptr<const Clock> clock, const SecurityPolicy& policy = {},
                       const SecondFactorInput& secondFactor = {});

// What happened to an open session, for the audit log (VI.C.2: who used the workstation, and when): locked
// (idle or by hand), unlocked by its own user, signed out, or signed out by the workstation because the store
// no longer admits the account (deactivated or suspended meanwhile; reason: why, as the core said it).
// Appended in its own transaction as "session.locked" / "session.unlocked" / "session.signed_out" /
// "session.forced_sign_out". When the store no longer lets the account write (deactivated: the key was
// rotated), the event waits in the key file, as a refused sign-in does, and enters the audit log at the next
// sign-in of anyone (unsigned until then: docs/SECURITY.md).
enum class SessionEvent { Locked, Unlocked, SignedOut, ForcedSignOut };
Result<void> recordSessionEvent(Session& session, SessionEvent event, std::string_view reason = {});

// Revocation (docs/SECURITY.md): rotates the database key after a slot was removed or a password reset, and
// seals the new key to every remaining account's certified public key (no password needed; each re-wraps it
// at their next sign-in). Audited as "store.key_rotated" with the reason. Call outside a transaction.
Result<void> rotateDatabaseKey(store::Store& store, std::optional<std::int64_t> actorId, std::string_view reason);

// A forgotten password: the recovery key opens the store and gives username a new password (slot
// re-written, lockout cleared, audited as "account.recovered"). The user must still be active.
Result<Session> recoverWithRecoveryKey(const std::filesystem::path& path, std::string_view recoveryKey,
                                       std::string_view username, std::string_view newPassword,
                                       std::shared_ptr<const Clock> clock, const SecurityPolicy& policy = {});

}  // namespace facelead::accounts
