#include "core/accounts/SignedAccounts.h"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/accounts/Authority.h"
#include "core/accounts/UserRows.h"
#include "core/audit/AuditLog.h"
#include "core/common/Text.h"
#include "core/workflow/Access.h"

namespace facelead::accounts {

using workflow::UserStatus;

namespace {

std::optional<TimePoint> signedTime(const std::string& isoUtc) {
    TimePoint time;
    if (isoUtc.empty() || !fromIsoUtc(isoUtc, time)) return std::nullopt;
    return time;
}

std::string rolesOrNone(const workflow::RoleSet& roles) {
    return roles.empty() ? "(none)" : rolesToText(roles);
}

}  // namespace

Session::SignedGrants applySignedGrants(const audit::AccountLedger& ledger, User stored) {
    const audit::SignedAccount* signedAccount = ledger.find(stored.username);
    if (signedAccount == nullptr) {
        if (!ledger.bornSigned()) return {std::move(stored), "", false};  // before signatures: the table is all there is
        const std::string mismatch = "the users table holds the account " + stored.username +
                                     " but no signed entry of the audit log created it";
        stored.roles.clear();
        stored.approvedAt.reset();  // nobody signed an approval or a training sign-off for it either
        stored.trainingCompletedAt.reset();
        if (stored.isActive()) stored.status = UserStatus::PendingApproval;
        return {std::move(stored), mismatch, true, true, true};
    }
    workflow::RoleSet roles;
    for (const auto& name : signedAccount->roles)
        if (auto role = workflow::roleFromName(name)) roles.insert(*role);
    const auto status = workflow::statusFromName(signedAccount->status).value_or(UserStatus::PendingApproval);
    const bool rolesDiffer = roles != stored.roles;
    const auto approvedAt = signedTime(signedAccount->approvedAt);
    const auto trainedAt = signedTime(signedAccount->trainingCompletedAt);
    const bool statusDiffers = status != stored.status || approvedAt.has_value() != stored.approvedAt.has_value();
    const bool trainingDiffers = trainedAt != stored.trainingCompletedAt;
    std::string mismatch;
    const std::string source = ledger.accountsSource();
    const auto note = [&mismatch](const std::string& difference) {
        mismatch += (mismatch.empty() ? "" : "; ") + difference;
    };
    if (rolesDiffer)
        note("the users table gives the roles " + rolesOrNone(stored.roles) + " but " + source + " grants " +
             rolesOrNone(roles));
    if (status != stored.status)
        note("the users table says the account is " + std::string(workflow::statusName(stored.status)) +
             " but " + source + " says " + signedAccount->status);
    // Approval and training gate a search (VI.D.2.a, VI.D.2.b): the log's too, so that nobody trains or
    // approves themselves by writing a date into the table.
    if (approvedAt.has_value() != stored.approvedAt.has_value())
        note(std::string("the users table ") + (stored.approvedAt ? "records an approval " + source + " does not"
                                                                  : "lacks the approval " + source + " records"));
    if (trainingDiffers)
        note("the users table gives the training date " +
             (stored.trainingCompletedAt ? toIsoUtc(*stored.trainingCompletedAt) : std::string("(none)")) +
             " but " + source + " " + (trainedAt ? "records " + toIsoUtc(*trainedAt) : "records no training sign-off"));
    const bool nameDiffers = !signedAccount->displayName.empty() && signedAccount->displayName != stored.displayName;
    if (nameDiffers)
        note("the users table shows the name \"" + stored.displayName + "\" but the signed audit log created it as \"" +
             signedAccount->displayName + "\"");
    // The log's name and status, in both directions: a table edited to "suspended" locks nobody out (trial 10).
    if (nameDiffers) stored.displayName = signedAccount->displayName;
    stored.roles = std::move(roles);
    stored.status = status;
    stored.approvedAt = approvedAt;
    stored.trainingCompletedAt = trainedAt;
    return {std::move(stored), std::move(mismatch), false, rolesDiffer, statusDiffers, trainingDiffers};
}

bool heldToLostHeads(const audit::AccountLedger& ledger) {
    return std::ranges::any_of(ledger.unansweredDamage(), [](const audit::DamagedEntry& entry) {
        return entry.action == audit::AccountLedger::kLostAnchoredHead;
    });
}

Result<std::vector<User>> signedAccounts(store::Store& store) {
    audit::AccountLedger ledger;
    FACELEAD_TRY(ledger.catchUp(store));
    auto users = detail::queryUsers(store, "ORDER BY username");
    if (!users) return users.error();
    for (auto& user : *users) user = applySignedGrants(ledger, std::move(user)).user;
    return users;
}

Result<std::vector<User>> activeSignedAccounts(store::Store& store) {
    auto users = signedAccounts(store);
    if (!users) return users.error();
    std::erase_if(*users, [](const User& user) { return !user.isActive(); });
    return users;
}

namespace {

Result<void> writeSignedGrants(store::Transaction& tx, const Session::SignedGrants& granted) {
    const User& user = granted.user;
    const auto status = granted.createdOutsideFaceLead ? UserStatus::Deactivated : user.status;
    const auto timeText = [](const std::optional<TimePoint>& time) {
        return time ? std::optional<std::string>(toIsoUtc(*time)) : std::nullopt;
    };
    auto update = tx.prepare(
        "UPDATE users SET roles = ?, status = ?, approved_at = ?, training_completed_at = ?, display_name = ? "
        "WHERE id = ?");
    if (!update) return update.error();
    FACELEAD_TRY(update->bind(1, rolesToText(user.roles))
                     .bind(2, std::string(workflow::statusName(status)))
                     .bind(3, timeText(user.approvedAt))
                     .bind(4, timeText(user.trainingCompletedAt))
                     .bind(5, user.displayName)
                     .bind(6, user.id)
                     .run());
    // Nobody signed this account into being: whatever slot opens the store in its name goes.
    if (granted.createdOutsideFaceLead) FACELEAD_TRY(tx.store().removeKeySlot(user.username));
    return {};
}

}  // namespace

Result<TableRestored> writeTableAsSigned(store::Transaction& tx, std::optional<std::int64_t> actorId,
                                         const std::string& reason) {
    audit::AccountLedger ledger;
    FACELEAD_TRY(ledger.catchUp(tx.store()));
    auto users = detail::queryUsers(tx.store(), "ORDER BY username");
    if (!users) return users.error();
    TableRestored restored;
    for (auto& stored : *users) {
        const auto granted = applySignedGrants(ledger, std::move(stored));
        if (granted.mismatch.empty()) continue;
        FACELEAD_TRY(writeSignedGrants(tx, granted));
        restored.slotRemoved = restored.slotRemoved || granted.createdOutsideFaceLead;
        FACELEAD_TRY(audit::AuditLog::append(tx, {actorId, "user.table_restored", "user", std::to_string(granted.user.id),
                                                  nlohmann::json{{"username", granted.user.username},
                                                                 {"was_edited", granted.mismatch},
                                                                 {"roles", rolesToText(granted.user.roles)},
                                                                 {"reason", reason}}
                                                      .dump()}));
        restored.accounts.push_back({granted.user.username, granted.mismatch});
    }
    return restored;
}

Result<std::vector<RestoredAccount>> restoreUsersTable(Session& session, std::string_view reason) {
    return refusalsAudited(session, "user.restore_table", [&]() -> Result<std::vector<RestoredAccount>> {
        auto actor = authorize(session, workflow::Action::ManageUsers);
        if (!actor) return actor.error();
        auto checked = text::acceptReason("putting the users table back", reason);
        if (!checked) return checked.error();
        auto restored = session.store().transact([&](store::Transaction& tx) -> Result<TableRestored> {
            auto written = writeTableAsSigned(tx, actor->id, *checked);
            if (written && written->accounts.empty())
                return makeError(ErrorCode::InvalidArgument,
                                 "The users table agrees with the signed audit log: there is nothing to put back.");
            return written;
        });
        if (!restored) return restored.error();
        // As for a deactivation: a copy of the key file kept from before opens nothing any more.
        if (restored->slotRemoved)
            FACELEAD_TRY(rotateDatabaseKey(session.store(), session.userId(), kGhostSlotRemoved));
        return restored->accounts;
    });
}

}  // namespace facelead::accounts
