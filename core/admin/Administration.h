#pragma once
// Program administration (SOP 302.02 VI.C.2-3, VI.D.2): accounts with seat limits, supervisor approval
// (never one's own), suspension, deactivation, password reset, the agency settings, automatic deactivation
// of inactive users (VI.C.2 NOTE), and the facts the search gate needs (VI.D.2.a-b). Every change is
// audited in the same transaction as the change (AccountService does so for account changes).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/accounts/AccountService.h"
#include "core/accounts/Session.h"
#include "core/admin/AgencySettings.h"
#include "core/common/Result.h"
#include "core/store/Store.h"
#include "core/training/TrainingStatus.h"
#include "core/workflow/Access.h"

namespace facelead::admin {

// --- Settings: the settings table, audited as "settings.changed" with each key's old and new value.
Result<AgencySettings> loadSettings(store::Store& store);
// The settings as a program administrator last signed them (AccountLedger::settingAsSigned; a key never signed keeps
// its default): what the settings form shows and a save compares with, not an insider's edit of the table (trial 28
// N4: the form showed it as current and saving it said "Nothing changed.").
Result<AgencySettings> signedSettings(accounts::Session& session);
// Program administrator only. Returns the changes made (none: nothing written, nothing audited).
Result<std::vector<SettingChange>> saveSettings(accounts::Session& session, const AgencySettings& settings);

// Program administrator only: makes a shipped rule pack the agency's (issue 11 item 5), moving the candidate-list
// size and training validity into its bounds (fitToPack), audited as saveSettings. NotFound for an unknown pack.
Result<std::vector<SettingChange>> choosePolicyPack(accounts::Session& session, std::string_view packId);

// --- Feeding the core's other rules from the agency settings (and their rule pack).
workflow::PolicySettings policySettings(const AgencySettings& settings, workflow::PolicySettings base = {});
accounts::SecurityPolicy securityPolicy(const AgencySettings& settings, accounts::SecurityPolicy base = {});
workflow::UserAccess userAccess(const accounts::User& user);
// The search gate (VI.D.2.a-b, VI.C.3.b) for a user as the signed audit log grants them (approval, status,
// roles, training: accounts/SignedAccounts.h), with the store's current settings: AccountNotActive,
// TrainingRequired, PermissionDenied; NotFound for no such user.
Result<void> checkCanSearch(store::Store& store, std::int64_t userId);
// The same gate for a user as already read (e.g. with the signed grants, Session::signedGrantsOf).
Result<void> checkCanSearch(store::Store& store, const accounts::User& user);

// The full page-by-page integrity check of the store (workflow::Action::CheckStore: program administrator;
// a refusal is audited), recorded as "store.checked" {intact}. StoreCorrupt naming the problem found.
Result<void> checkStore(accounts::Session& session);

struct SeatUsage {
    int used = 0;    // active accounts
    int seats = 0;   // AgencySettings::licenceSeats
    int free() const { return seats > used ? seats - used : 0; }
};
// Seats as a program administrator last signed them (trial 61 F3: a licence-seats row edited to "100" let an approval
// take a sixth seat of five), counted over the accounts the signed log holds active.
Result<SeatUsage> seatUsage(accounts::Session& session);

// One row of the administration screen and of `facelead-cli user list`.
struct UserOverview {
    accounts::User user;                   // roles and status as the signed audit log grants them
    workflow::RoleSet tableRoles;          // what the users table says (obeyed only where it agrees)
    workflow::UserStatus tableStatus = workflow::UserStatus::PendingApproval;
    std::string grantsMismatch;            // "" when the users table agrees with the signed log
    bool rolesEdited = false;              // the table's roles differ from the signed ones (flag the roles)
    bool statusEdited = false;             // the table's status differs from the signed one (flag the status)
    // Why the table differs, when it does: the sign-in found it edited outside FaceLead (user restore-table puts
    // it back), or else an older copy of the store was put in its place, which is no edit (the sign-in's warning
    // says what to do: trial 68 F4).
    bool tableEditedOutsideFaceLead = false;
    training::TrainingStatus training = training::TrainingStatus::NotTrained;
    std::optional<TimePoint> trainingExpiresAt;
    std::optional<int> daysSinceActivity;  // nullopt: never active
    bool maySearch = false;                // the gate's answer right now
    std::string gateMessage;               // why not, when maySearch is false (said to the user: "Your ...")
    std::string gateShort;                 // why not in a few words, for a row about anyone ("training")
    std::string gateExplanation;           // why not in one third-person sentence (workflow::searchGateReason)
    // Its owner chose their own password after another account set it; a supervisor approves the key they made
    // (accounts::AccountService::approveKey) before they work.
    bool keyAwaitsApproval = false;
    // Its password was reset or changed in audit entries this store no longer holds: the key this store has signs
    // nothing until a program administrator resets it (accounts::keyReplacedInLostEntries; trial 70 F8).
    bool keyReplacedInLostEntries = false;
};

class Administration {
public:
    explicit Administration(accounts::Session& session) : session_(session), accounts_(session) {}

    // Every account (workflow::Action::ListUsers) with the roles the signed audit log grants
    // (Session::signedGrantsOf), flagged where the users table was edited outside FaceLead (issue 8).
    Result<std::vector<UserOverview>> overview();
    // Whether this session may manage accounts (workflow::Action::ManageUsers): asked before a new account's
    // password, or a reset one, is asked for (trials 60 F4 and 61 F5: an investigator was asked to invent one, and a
    // refusal that never got past that prompt went unaudited). A refusal is audited as `what` ("user.add",
    // "user.reset_password"), as the action itself would audit it.
    Result<void> mayManageUsers(std::string_view what);
    // Status pending approval; the password must satisfy the agency's password policy.
    Result<accounts::User> createUser(const accounts::NewUser& user, std::string_view initialPassword);
    // A supervisor; never their own account (PermissionDenied); SeatLimitReached when every seat is taken.
    Result<accounts::User> approve(std::int64_t userId);
    // The key its owner made after another account set their password (accounts::AccountService::approveKey).
    Result<accounts::User> approveKey(std::int64_t userId, std::string_view fingerprint) {
        return accounts_.approveKey(userId, fingerprint);
    }
    // Suspended -> active, under the same seat limit.
    Result<accounts::User> reactivate(std::int64_t userId, std::string_view reason);  // reason: not blank
    Result<accounts::User> suspend(std::int64_t userId, std::string_view reason);
    Result<accounts::User> deactivate(std::int64_t userId, std::string_view reason);
    Result<accounts::User> setRoles(std::int64_t userId, const workflow::RoleSet& roles);
    // Writes a new key slot for the user (their old password stops working) and clears any lockout.
    Result<void> resetPassword(std::int64_t userId, std::string_view newPassword);
    // A lost authenticator: the user enrols a new second factor at their next sign-in (audited).
    Result<accounts::User> resetSecondFactor(std::int64_t userId, std::string_view reason) {
        return accounts_.resetSecondFactor(userId, reason);
    }

private:
    Result<void> requireFreeSeat();
    Result<AgencySettings> settings() { return signedSettings(session_); }

    accounts::Session& session_;
    accounts::AccountService accounts_;
};

// --- Inactivity (VI.C.2 NOTE): active users with no activity for settings.inactivityDays (their last
// activity, else their approval, else their creation) are deactivated by the system, their key slot
// removed and their seat freed; each one audited as "user.deactivated_inactive". Run right after every
// sign-in and once a day. A program administrator's session sweeps every account; anyone else's only its own
// (an insider's session must not deactivate colleagues "as the system": the signed log obeys no more).
// Sign-in itself records activity, so for the user who has just signed in (signedInUserId) the activity
// that counts is their last audited action BEFORE that sign-in: an account idle too long is deactivated
// at its first sign-in after the period, and the caller must then end the session.
struct InactivitySweep {
    std::vector<std::string> deactivatedUsernames;
    bool signedInUserDeactivated = false;
    std::string keptLastAdministrator;  // idle, but the last active program administrator: left active
};
Result<InactivitySweep> deactivateInactiveUsers(store::Store& store,
                                                std::optional<std::int64_t> signedInUserId = std::nullopt);
// The time of the user's latest entry in the chained audit log (before `before`, when given); nullopt for none.
// What counts as their last activity where the users table's date, the desktop user's to edit, must not decide:
// the sweep above (trial 20A F4) and the annual review (trial 21A N2).
Result<std::optional<TimePoint>> latestLoggedActivity(store::Store& store, std::int64_t userId,
                                                      std::optional<TimePoint> before = std::nullopt);

// Sign-in under the agency's rules, for every entry point (workstation, CLI): accounts::signIn, then the
// inactivity sweep "at the next store open" (VI.C.2 NOTE). An account the sweep deactivates gets
// AccountNotActive and no session.
// The second factor as accounts::signIn.
Result<accounts::Session> signIn(const std::filesystem::path& path, std::string_view username,
                                 std::string_view password, std::shared_ptr<const Clock> clock,
                                 const accounts::SecurityPolicy& policy = {},
                                 const accounts::SecondFactorInput& secondFactor = {});

}  // namespace facelead::admin
