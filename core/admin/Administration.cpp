#include "core/admin/Administration.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/accounts/Authority.h"
#include "core/accounts/KeyApproval.h"
#include "core/accounts/SignedAccounts.h"
#include "core/audit/AuditLog.h"
#include "core/store/KeyFile.h"

namespace facelead::admin {
namespace {

int wholeDaysBetween(TimePoint earlier, TimePoint later) {
    return static_cast<int>(std::chrono::floor<std::chrono::days>(later - earlier).count());
}

// When the user last did something, for the inactivity rule; before any activity: approval, then creation.
TimePoint lastSignOfLife(const accounts::User& user) {
    if (user.lastActivityAt) return *user.lastActivityAt;
    if (user.approvedAt) return *user.approvedAt;
    return user.createdAt;
}

Result<SettingsMap> storedSettings(store::Store& store) {
    SettingsMap values;
    for (const auto& spec : settingSpecs()) {
        auto value = store.setting(spec.key);
        if (!value) return value.error();
        if (*value) values[spec.key] = **value;
    }
    return values;
}

Result<SettingsMap> signedValues(accounts::Session& session) {
    FACELEAD_TRY(session.refreshUser());  // the ledger read on to the newest signed change
    SettingsMap values;
    for (const auto& spec : settingSpecs()) {
        auto value = session.ledger().settingAsSigned(session.store(), spec.key);
        if (!value) return value.error();
        if (*value) values[spec.key] = **value;
    }
    return values;
}

}  // namespace

Result<AgencySettings> signedSettings(accounts::Session& session) {
    auto values = signedValues(session);
    if (!values) return values.error();
    return fromStored(*values);
}

Result<AgencySettings> loadSettings(store::Store& store) {
    auto values = storedSettings(store);
    if (!values) return values.error();
    return fromStored(*values);
}

Result<std::vector<SettingChange>> saveSettings(accounts::Session& session, const AgencySettings& settings) {
    return accounts::refusalsAudited(session, "settings.save", [&]() -> Result<std::vector<SettingChange>> {
        FACELEAD_TRY(accounts::authorize(session, workflow::Action::ManageUsers));
        FACELEAD_TRY(validate(settings));
        auto& store = session.store();
        return store.transact([&](store::Transaction& tx) -> Result<std::vector<SettingChange>> {
            auto signedBefore = signedValues(session);
            if (!signedBefore) return signedBefore.error();
            auto table = storedSettings(store);
            if (!table) return table.error();
            auto changes = diff(*signedBefore, settings);
            // A row edited outside FaceLead to a value other than the one saved is written back and signed with the
            // rest (trial 28 N4: saving the signed values said "Nothing changed." and the finding stood).
            for (SettingChange& edited : diff(*table, settings))
                if (std::none_of(changes.begin(), changes.end(), [&](const auto& c) { return c.key == edited.key; }))
                    changes.push_back(std::move(edited));
            if (changes.empty()) return changes;
            nlohmann::json details = nlohmann::json::array();
            for (const auto& change : changes) {
                FACELEAD_TRY(store.setSetting(tx, change.key, change.newValue));
                details.push_back({{"key", change.key}, {"old", change.oldValue}, {"new", change.newValue}});
            }
            auto logged = audit::AuditLog::append(
                tx, {session.userId(), "settings.changed", "settings", "", nlohmann::json{{"changes", details}}.dump()});
            if (!logged) return logged.error();
            // Last: a failed key-file write rolls the settings back. The lockout rule is needed before the store
            // opens, so the key file carries it for every entry point (issue 8).
            FACELEAD_TRY(store.setLockoutRule(settings.lockoutMaxAttempts, std::chrono::minutes(settings.lockoutMinutes)));
            return changes;
        });
    });
}

Result<std::vector<SettingChange>> choosePolicyPack(accounts::Session& session, std::string_view packId) {
    auto settings = loadSettings(session.store());
    if (!settings) return settings.error();
    auto pack = workflow::findPack(packId);
    if (!pack) {  // saveSettings checks the role first, then refuses the unknown pack (validate)
        settings->policyPack = std::string(packId);
        return saveSettings(session, *settings);
    }
    return saveSettings(session, fitToPack(*settings, *pack));
}

workflow::PolicySettings policySettings(const AgencySettings& settings, workflow::PolicySettings base) {
    // validate() admits only shipped packs, so the settings' pack is found.
    if (auto pack = workflow::findPack(settings.policyPack)) base.pack = std::move(*pack);
    base.defaultCandidateLimit = settings.defaultCandidateListSize;
    base.maxVideoBytes = static_cast<std::uint64_t>(settings.maxVideoMegabytes) * 1024 * 1024;
    if (settings.trainingValidityDays > 0)
        base.trainingValidity = std::chrono::days(settings.trainingValidityDays);
    else
        base.trainingValidity.reset();
    return base;
}

accounts::SecurityPolicy securityPolicy(const AgencySettings& settings, accounts::SecurityPolicy base) {
    base.minPasswordLength = static_cast<std::size_t>(settings.passwordMinLength);
    base.requireMixedCharacters = settings.passwordRequireMixed;
    base.maxFailedSignIns = settings.lockoutMaxAttempts;
    base.lockoutDuration = std::chrono::minutes(settings.lockoutMinutes);
    return base;
}

workflow::UserAccess userAccess(const accounts::User& user) {
    workflow::UserAccess access;
    access.status = user.status;
    access.supervisorApproved = user.approvedAt.has_value();
    access.roles = user.roles;
    access.trainingCompletedAt = user.trainingCompletedAt;
    return access;
}

Result<void> checkCanSearch(store::Store& store, std::int64_t userId) {
    auto users = accounts::signedAccounts(store);  // the signed approval, status and training
    if (!users) return users.error();
    const auto user = std::ranges::find(*users, userId, &accounts::User::id);
    if (user == users->end()) return makeError(ErrorCode::NotFound, "There is no such user account.");
    return checkCanSearch(store, *user);
}

Result<void> checkCanSearch(store::Store& store, const accounts::User& user) {
    auto settings = loadSettings(store);
    if (!settings) return settings.error();
    const auto now = store.now();
    // An account idle beyond the period is treated as deactivated even before the sweep has run.
    if (user.isActive() && wholeDaysBetween(lastSignOfLife(user), now) > settings->inactivityDays)
        return makeError(ErrorCode::AccountNotActive,
                         "Your account has had no activity for more than " +
                             std::to_string(settings->inactivityDays) +
                             " days and is being deactivated (VI.C.2 NOTE). Ask a program administrator.");
    return workflow::checkCanSearch(userAccess(user), now, policySettings(*settings));
}

Result<void> checkStore(accounts::Session& session) {
    return accounts::refusalsAudited(session, "store.check", [&]() -> Result<void> {
        FACELEAD_TRY(accounts::authorize(session, workflow::Action::CheckStore));
        const auto checked = session.store().checkIntegrity();
        FACELEAD_TRY(session.store().transact([&](store::Transaction& tx) {
            return audit::AuditLog::append(tx, {session.userId(), "store.checked", "store", "",
                                                nlohmann::json{{"intact", checked.ok()}}.dump()});
        }));
        return checked;
    });
}

Result<SeatUsage> seatUsage(accounts::Session& session) {
    auto settings = signedSettings(session);
    if (!settings) return settings.error();
    auto active = accounts::activeSignedAccounts(session.store());  // a table edit neither takes nor frees a seat
    if (!active) return active.error();
    return SeatUsage{static_cast<int>(active->size()), settings->licenceSeats};
}

Result<std::vector<UserOverview>> Administration::overview() {
    return accounts::refusalsAudited(session_, "user.list", [&]() -> Result<std::vector<UserOverview>> {
        auto settings = this->settings();
        if (!settings) return settings.error();
        auto users = accounts_.list();
        if (!users) return users.error();
        const auto now = session_.store().now();
        const bool tableEdited = !accounts::heldToLostHeads(session_.ledger());
        std::vector<UserOverview> rows;
        for (auto& stored : *users) {
            UserOverview row;
            row.tableRoles = stored.roles;
            row.tableStatus = stored.status;
            auto granted = session_.signedGrantsOf(std::move(stored));
            if (!granted) return granted.error();
            auto& user = granted->user;
            row.grantsMismatch = std::move(granted->mismatch);
            row.rolesEdited = granted->rolesDiffer;
            row.statusEdited = granted->statusDiffers;
            row.tableEditedOutsideFaceLead = tableEdited && !row.grantsMismatch.empty();
            row.training = training::trainingStatus(user.trainingCompletedAt, now, settings->trainingValidityDays);
            row.trainingExpiresAt = training::trainingExpiresAt(user.trainingCompletedAt, settings->trainingValidityDays);
            if (user.lastActivityAt) row.daysSinceActivity = wholeDaysBetween(*user.lastActivityAt, now);
            auto gate = checkCanSearch(session_.store(), user);
            row.maySearch = gate.ok();
            if (!gate) {
                row.gateMessage = gate.error().message;
                // The one refusal checkCanSearch adds to the workflow gate is the inactivity period.
                const auto reason = workflow::searchGateReason(userAccess(user), now, policySettings(*settings));
                row.gateShort = reason ? std::string(reason->shortLabel) : "inactive";
                row.gateExplanation = reason ? std::string(reason->explanation)
                                             : "no activity beyond the agency's inactivity period; the account is "
                                               "being deactivated (VI.C.2 NOTE)";
            }
            // A key that signs nothing refuses the whole session, whatever the workflow gate says.
            const auto keyRefuses = [&row](const char* shortLabel, const char* explanation, const char* message) {
                row.maySearch = false;
                row.gateShort = shortLabel;
                row.gateExplanation = explanation;
                row.gateMessage = message;
            };
            row.keyAwaitsApproval = accounts::ownKeyAwaitsApproval(session_.ledger(), user.username);
            if (row.keyAwaitsApproval && row.maySearch)
                keyRefuses("key approval",
                           "their own password is set, and the key it made waits for a supervisor's approval by its "
                           "fingerprint (SOP 302.02 VI.D.2.a)",
                           "Your new key waits for a supervisor's approval.");
            // Shown as plain "Active" before (trial 70 F8).
            row.keyReplacedInLostEntries = accounts::keyReplacedInLostEntries(session_.ledger(), user.username);
            if (row.keyReplacedInLostEntries)
                keyRefuses("key replaced",
                           "its password was reset or changed in audit entries this store no longer holds; the key "
                           "this store has signs nothing until a program administrator resets the password",
                           "Your password was reset or changed in audit entries this store no longer holds: ask a "
                           "program administrator to reset it.");
            row.user = std::move(user);
            rows.push_back(std::move(row));
        }
        return rows;
    });
}

Result<void> Administration::mayManageUsers(std::string_view what) {
    return accounts::refusalsAudited(session_, what, [&]() -> Result<void> {
        auto actor = accounts::authorize(session_, workflow::Action::ManageUsers);
        if (!actor) return actor.error();
        return {};
    });
}

Result<accounts::User> Administration::createUser(const accounts::NewUser& user, std::string_view initialPassword) {
    return accounts::refusalsAudited(session_, "user.add", [&]() -> Result<accounts::User> {
        // The role before the password rules: a refusal says what the caller may not do, not what to type.
        auto actor = accounts::authorize(session_, workflow::Action::ManageUsers);
        if (!actor) return actor.error();
        auto settings = this->settings();
        if (!settings) return settings.error();
        FACELEAD_TRY(accounts::checkPasswordPolicy(securityPolicy(*settings, session_.policy()), user.username,
                                                   initialPassword));
        return accounts_.addUser(user, initialPassword);
    });
}

Result<void> Administration::requireFreeSeat() {
    auto usage = seatUsage(session_);
    if (!usage) return usage.error();
    if (usage->free() == 0)
        return makeError(ErrorCode::SeatLimitReached,
                         "All " + std::to_string(usage->seats) +
                             " licence seats are in use. Deactivate an account that no longer needs access, or "
                             "raise the number of seats in the settings (VI.C.2 NOTE).");
    return {};
}

Result<accounts::User> Administration::approve(std::int64_t userId) {
    return accounts::refusalsAudited(session_, "user.approve", userId, [&]() -> Result<accounts::User> {
        if (userId == session_.userId())
            return makeError(ErrorCode::PermissionDenied,
                             "Nobody may approve their own access (VI.D.2.a). Ask another supervisor.");
        auto& store = session_.store();
        // Counting and approving in one transaction, so two approvals cannot both take the last seat. Who may
        // approve is asked first: a refusal names the role (and is audited), not the seats.
        return store.transact([&](store::Transaction&) -> Result<accounts::User> {
            FACELEAD_TRY(accounts::authorize(session_, workflow::Action::ApproveUser));
            FACELEAD_TRY(accounts_.requirePendingApproval(userId));  // an account not waiting is not about seats
            FACELEAD_TRY(requireFreeSeat());
            return accounts_.approve(userId);
        });
    });
}

Result<accounts::User> Administration::reactivate(std::int64_t userId, std::string_view reason) {
    return accounts::refusalsAudited(session_, "user.reactivate", userId, [&]() -> Result<accounts::User> {
        auto& store = session_.store();
        return store.transact([&](store::Transaction&) -> Result<accounts::User> {
            FACELEAD_TRY(accounts::authorize(session_, workflow::Action::ManageUsers));
            FACELEAD_TRY(requireFreeSeat());
            return accounts_.reactivate(userId, reason);
        });
    });
}

Result<accounts::User> Administration::suspend(std::int64_t userId, std::string_view reason) {
    return accounts_.suspend(userId, reason);  // refusals audited there, naming the account
}

Result<accounts::User> Administration::deactivate(std::int64_t userId, std::string_view reason) {
    return accounts_.deactivate(userId, reason);  // refusals audited there, naming the account
}

Result<accounts::User> Administration::setRoles(std::int64_t userId, const workflow::RoleSet& roles) {
    return accounts_.setRoles(userId, roles);  // refusals audited there, naming the account and the roles
}

Result<void> Administration::resetPassword(std::int64_t userId, std::string_view newPassword) {
    return accounts::refusalsAudited(session_, "user.reset_password", userId, [&]() -> Result<void> {
        // The role before the password rules, as createUser.
        auto actor = accounts::authorize(session_, workflow::Action::ManageUsers);
        if (!actor) return actor.error();
        auto settings = this->settings();
        if (!settings) return settings.error();
        auto user = accounts_.find(userId);
        if (!user) return user.error();
        FACELEAD_TRY(accounts::checkPasswordPolicy(securityPolicy(*settings, session_.policy()), user->username,
                                                   newPassword));
        return accounts_.resetPassword(userId, newPassword);
    });
}

namespace {

// The time `sql` (one row, one column, over the user bound at ?1 and the bound ?2) reads from the audit log;
// nullopt for none.
Result<std::optional<TimePoint>> loggedTime(store::Store& store, const char* sql, std::int64_t userId,
                                            const std::string& bound = {}) {
    auto st = store.prepare(sql);
    if (!st) return st.error();
    st->bind(1, userId);
    if (!bound.empty()) st->bind(2, bound);
    auto row = st->step();
    if (!row) return row.error();
    TimePoint at;
    if (!*row || st->isNull(0) || !fromIsoUtc(st->getText(0), at)) return std::optional<TimePoint>();
    return std::optional<TimePoint>(at);
}

// The time of the user's last audited action before their latest sign-in.
Result<std::optional<TimePoint>> activityBeforeLatestSignIn(store::Store& store, std::int64_t userId) {
    return loggedTime(store,
                      "SELECT max(at) FROM audit_log WHERE user_id = ?1 AND seq < "
                      "(SELECT max(seq) FROM audit_log WHERE user_id = ?1 AND action = 'signin.succeeded')",
                      userId);
}

}  // namespace

Result<std::optional<TimePoint>> latestLoggedActivity(store::Store& store, std::int64_t userId,
                                                      std::optional<TimePoint> before) {
    if (!before) return loggedTime(store, "SELECT max(at) FROM audit_log WHERE user_id = ?1", userId);
    return loggedTime(store, "SELECT max(at) FROM audit_log WHERE user_id = ?1 AND at < ?2", userId, toIsoUtc(*before));
}

Result<InactivitySweep> deactivateInactiveUsers(store::Store& store, std::optional<std::int64_t> signedInUserId) {
    auto settings = loadSettings(store);
    if (!settings) return settings.error();
    auto active = accounts::activeSignedAccounts(store);
    if (!active) return active.error();
    int activeAdministrators = 0;
    for (auto& user : *active) {
        if (user.hasRole(workflow::Role::ProgramAdministrator)) ++activeAdministrators;
        if (signedInUserId == user.id) {
            auto before = activityBeforeLatestSignIn(store, user.id);
            if (!before) return before.error();
            user.lastActivityAt = *before;
        } else {
            // The users table's date is the desktop user's to edit: back-dated, it had the administrator's sweep
            // deactivate both supervisors (trial 20A F4). Their latest entry in the chained log counts too.
            auto logged = latestLoggedActivity(store, user.id);
            if (!logged) return logged.error();
            if (*logged && (!user.lastActivityAt || **logged > *user.lastActivityAt)) user.lastActivityAt = *logged;
        }
    }
    // Only a program administrator's session sweeps every account; anyone else's sweeps its own (the signed
    // log obeys nothing more: audit::AccountLedger).
    const bool sweepsEveryone = std::any_of(active->begin(), active->end(), [&store](const accounts::User& user) {
        return user.username == store.signerName() && user.hasRole(workflow::Role::ProgramAdministrator);
    });
    const auto now = store.now();
    InactivitySweep sweep;
    for (const auto& user : *active) {
        if (!sweepsEveryone && user.username != store.signerName()) continue;
        const int idleDays = wholeDaysBetween(lastSignOfLife(user), now);
        if (idleDays <= settings->inactivityDays) continue;
        // Someone must remain who can manage accounts (and reactivate the others).
        if (user.hasRole(workflow::Role::ProgramAdministrator) && activeAdministrators == 1) {
            sweep.keptLastAdministrator = user.username;
            continue;
        }
        auto done = store.transact([&](store::Transaction& tx) -> Result<void> {
            auto st = tx.prepare(
                "UPDATE users SET status = 'deactivated', status_reason = ?, deactivated_at = ? WHERE id = ?");
            if (!st) return st.error();
            FACELEAD_TRY(st->bind(1, "no activity for " + std::to_string(idleDays) + " days (VI.C.2 NOTE)")
                             .bind(2, toIsoUtc(now))
                             .bind(3, user.id)
                             .run());
            nlohmann::json details{{"username", user.username},
                                   {"idle_days", idleDays},
                                   {"inactivity_days", settings->inactivityDays},
                                   {"last_activity", toIsoUtc(lastSignOfLife(user))},
                                   {"reason", "inactivity (SOP 302.02 VI.C.2 NOTE); licence seat freed"}};
            auto logged = audit::AuditLog::append(
                tx, {std::nullopt, "user.deactivated_inactive", "user", std::to_string(user.id), details.dump()});
            if (!logged) return logged.error();
            // Last, so a failure to rewrite the key file rolls the status change back.
            return store.removeKeySlot(user.username);
        });
        if (!done) return done.error();
        sweep.deactivatedUsernames.push_back(user.username);
        if (user.hasRole(workflow::Role::ProgramAdministrator)) --activeAdministrators;
        if (signedInUserId == user.id) sweep.signedInUserDeactivated = true;
    }
    // A session whose own account the sweep deactivated signs nothing more (verify calls it tampering): the next
    // sign-in makes the rotation (catchUpKeyRotation).
    if (!sweep.deactivatedUsernames.empty() && !sweep.signedInUserDeactivated)
        FACELEAD_TRY(accounts::rotateDatabaseKey(store, std::nullopt, "accounts deactivated for inactivity"));
    return sweep;
}

namespace {

// Every deactivation is followed by a key rotation (issue 8 item 3), which its own transaction cannot hold (PRAGMA
// rekey runs outside one): one the process did not live to make, or one the deactivated account's own session could
// not sign (its inactivity sweep deactivated it at its sign-in), is made by the next sign-in, so that a key file kept
// from before soon opens nothing.
Result<bool> rotationAfterLastDeactivation(store::Store& store) {
    auto made = store.prepare(
        "SELECT COALESCE((SELECT MAX(seq) FROM audit_log WHERE action IN ('user.deactivated', "
        "'user.deactivated_inactive')), 0) <= COALESCE((SELECT MAX(seq) FROM audit_log WHERE action = "
        "'store.key_rotated'), 0)");
    if (!made) return made.error();
    auto row = made->step();
    if (!row) return row.error();
    return !*row || made->getInt(0) != 0;
}

Result<void> catchUpKeyRotation(accounts::Session& session) {
    // Its statement is done before the rotation, which waits for every reader.
    auto made = rotationAfterLastDeactivation(session.store());
    if (!made) return made.error();
    if (*made) return {};
    return accounts::rotateDatabaseKey(session.store(), session.userId(),
                                       "a deactivation's key rotation, made at the next sign-in");
}

// The lockout rule in the key file, which a failed sign-in reads before any store can be opened and so is unsigned,
// put back to what a program administrator last signed when it was edited outside FaceLead (trial 61 F2: 100
// attempts written there, and seven wrong passwords in a row locked nobody). Recorded, and told at this sign-in.
Result<void> restoreLockoutRule(accounts::Session& session) {
    auto agency = signedSettings(session);
    if (!agency) return agency.error();
    auto file = store::loadKeyFile(session.store().keyFile());
    if (!file) return file.error();
    const int attempts = file->lockoutMaxAttempts.value_or(session.policy().maxFailedSignIns);
    const int minutes = file->lockoutMinutes.value_or(static_cast<int>(session.policy().lockoutDuration.count()));
    if (attempts == agency->lockoutMaxAttempts && minutes == agency->lockoutMinutes) return {};
    FACELEAD_TRY(session.store().transact([&](store::Transaction& tx) -> Result<void> {
        const nlohmann::json details{{"key_file", {{"max_attempts", attempts}, {"minutes", minutes}}},
                                     {"signed", {{"max_attempts", agency->lockoutMaxAttempts},
                                                 {"minutes", agency->lockoutMinutes}}}};
        FACELEAD_TRY(audit::AuditLog::append(tx, {session.userId(), "store.lockout_rule_restored", "store", "",
                                                  details.dump()}));
        return tx.store().setLockoutRule(agency->lockoutMaxAttempts, std::chrono::minutes(agency->lockoutMinutes));
    }));
    session.addWarning("The key file's lockout rule was changed outside FaceLead (" + std::to_string(attempts) +
                       " failed sign-ins, " + std::to_string(minutes) + " minutes): it is put back to the agency's "
                       "signed setting (" + std::to_string(agency->lockoutMaxAttempts) + ", " +
                       std::to_string(agency->lockoutMinutes) + " minutes). This was recorded in the audit log.");
    return {};
}

}  // namespace

Result<accounts::Session> signIn(const std::filesystem::path& path, std::string_view username,
                                 std::string_view password, std::shared_ptr<const Clock> clock,
                                 const accounts::SecurityPolicy& policy,
                                 const accounts::SecondFactorInput& secondFactor) {
    auto session = accounts::signIn(path, username, password, std::move(clock), policy, secondFactor);
    if (!session) return session.error();
    auto agency = loadSettings(session->store());
    if (!agency) return agency.error();
    // The agency's password and lockout rules govern what this session does (issue 8: whoever the caller is).
    session->applyPolicy(securityPolicy(*agency, session->policy()));
    FACELEAD_TRY(restoreLockoutRule(*session));
    auto sweep = deactivateInactiveUsers(session->store(), session->userId());
    if (!sweep) return sweep.error();
    if (sweep->signedInUserDeactivated) {
        return makeError(ErrorCode::AccountNotActive,
                         "This account was deactivated after a long period without activity (SOP 302.02 VI.C.2 "
                         "NOTE). Ask a program administrator to reactivate it.");
    }
    FACELEAD_TRY(catchUpKeyRotation(*session));
    return session;
}

}  // namespace facelead::admin
