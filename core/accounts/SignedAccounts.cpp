#include "core/accounts/SignedAccounts.h"

#include <algorithm>
#include <utility>

#include "core/accounts/UserRows.h"

namespace facelead::accounts {

using workflow::UserStatus;

Session::SignedGrants applySignedGrants(const audit::AccountLedger& ledger, User stored) {
    const audit::SignedAccount* signedAccount = ledger.find(stored.username);
    if (signedAccount == nullptr) {
        if (!ledger.bornSigned()) return {std::move(stored), "", false};  // before signatures: the table is all there is
        const std::string mismatch = "the users table holds the account " + stored.username +
                                     " but no signed entry of the audit log created it";
        stored.roles.clear();
        if (stored.isActive()) stored.status = UserStatus::PendingApproval;
        return {std::move(stored), mismatch, true, true, true};
    }
    workflow::RoleSet roles;
    for (const auto& name : signedAccount->roles)
        if (auto role = workflow::roleFromName(name)) roles.insert(*role);
    const auto status = workflow::statusFromName(signedAccount->status).value_or(UserStatus::PendingApproval);
    const bool rolesDiffer = roles != stored.roles;
    const bool statusDiffers = status != stored.status;
    std::string mismatch;
    if (rolesDiffer)
        mismatch = "the users table gives the roles " + rolesToText(stored.roles) +
                   " but the signed audit log grants " + rolesToText(roles);
    if (statusDiffers)
        mismatch += std::string(mismatch.empty() ? "" : "; ") + "the users table says the account is " +
                    std::string(workflow::statusName(stored.status)) + " but the signed audit log says " +
                    signedAccount->status;
    // The log's status, in both directions: a table edited to "suspended" locks nobody out (trial 10).
    stored.roles = std::move(roles);
    stored.status = status;
    return {std::move(stored), std::move(mismatch), false, rolesDiffer, statusDiffers};
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

}  // namespace facelead::accounts
