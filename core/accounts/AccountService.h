#pragma once
// Account administration for a signed-in session. Who may do what (SOP 302.02):
//  - addUser, resetPassword, deactivate, suspend, reactivate, setRoles: a program administrator
//    (VI.C.3.a administers the program; VI.C.2 NOTE: inactive users are deactivated).
//  - approve: a supervisor, never for their own account (VI.D.2.a: access approved by a supervisor).
//  - recordTraining: a trainer or a program administrator (VI.D.2.b: training before access).
//  - changePassword: every user, for their own account.
// Every change is audited in the same transaction as the change.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/accounts/Session.h"
#include "core/accounts/User.h"
#include "core/common/Result.h"

namespace facelead::accounts {

// A requested change of an account's roles, waiting for a second person (issue 9 item 6).
struct RoleChangeRequest {
    std::int64_t id = 0;  // the audit seq of "user.role_change_requested"
    std::int64_t userId = 0;
    std::string username;
    workflow::RoleSet from;
    workflow::RoleSet to;
    std::int64_t requestedBy = 0;
    std::string requestedAt;  // toIsoUtc
};

struct NewUser {
    std::string username;     // letters, digits, '.', '_', '-'; 2..64 characters; unique
    std::string displayName;
    workflow::RoleSet roles;
};

class AccountService {
public:
    explicit AccountService(Session& session) : session_(session) {}

    // Status pending approval; a key slot with the initial password is written.
    Result<User> addUser(const NewUser& user, std::string_view initialPassword);
    Result<User> approve(std::int64_t userId);
    // Approval is for an account waiting for it: InvalidTransition naming the signed status of any other
    // (issue 9: a deactivated account was offered for approval). approve() asks it; so does a caller that
    // checks more (licence seats) and must not answer about those first.
    Result<void> requirePendingApproval(std::int64_t userId);
    // The owner's own password, and a new key pair (the old slot and key open and sign nothing after). After a
    // password another account set, that key waits for a supervisor's approval (approveKey): until then the
    // session and every sign-in are refused, with the key's fingerprint (ownKeyAwaitingApproval) to show them.
    Result<void> changePassword(std::string_view currentPassword, std::string_view newPassword);
    // A supervisor approves the key a person made with their own password after another account set it (a new
    // account's initial password, a reset: trial 63 F2, KeyApproval.h). `fingerprint`: what that person showed or
    // read them, in person, from their own screen (PolicyViolation when it is not the key's). Never one's own key,
    // nor one whose password the approver set, but for the founding exception (checkTwoPersons). Audited as
    // "user.key_approved", refusals as "user.approve_key".
    Result<User> approveKey(std::int64_t userId, std::string_view fingerprint);
    // The fingerprint of the signed-in user's own key while it waits for that approval; nullopt otherwise.
    Result<std::optional<std::string>> ownKeyAwaitingApproval();
    Result<void> resetPassword(std::int64_t userId, std::string_view newPassword);
    Result<User> deactivate(std::int64_t userId, std::string_view reason);  // removes the key slot
    Result<User> suspend(std::int64_t userId, std::string_view reason);
    // suspended -> active (a deactivated user is re-added); InvalidArgument for a blank reason, which the
    // audit event "user.reactivated" keeps.
    Result<User> reactivate(std::int64_t userId, std::string_view reason);
    // A program administrator forgets the account's second factor (a lost phone): the user enrols a new one
    // at their next sign-in while the agency requires it. Audited as "second_factor.reset" with the reason.
    Result<User> resetSecondFactor(std::int64_t userId, std::string_view reason);
    // Requests a change of the account's roles (a program administrator; the last one is kept). Nothing
    // changes until a second authorized person approves it (approveRoleChange): an administrator adding a
    // role to himself stays as he was (issue 9 item 6). Recorded as "user.role_change_requested"; returns
    // the account as it stands.
    Result<User> setRoles(std::int64_t userId, const workflow::RoleSet& roles);
    // The latest request per account not yet approved (supervisors and program administrators).
    Result<std::vector<RoleChangeRequest>> pendingRoleChanges();
    // A supervisor or program administrator who neither requested the change nor holds the account applies
    // it: "user.roles_changed" names the request and both persons. PermissionDenied otherwise.
    Result<User> approveRoleChange(std::int64_t requestId);
    // The same for the change waiting for the account named username (the CLI names people, not requests).
    // NotFound when none is waiting; a refusal is audited as the approval it was.
    Result<User> approveRoleChangeOf(std::string_view username);
    // The sign-off itself (workflow::Action::RecordTraining, never one's own). training::recordCompletion
    // first finds the trainee's own passed quiz attempt and passes its audit seq (issue 9 item 3).
    Result<User> recordTraining(std::int64_t userId, TimePoint completedAt,
                                std::optional<std::int64_t> attemptSeq = std::nullopt);

    // Every account as the users table holds it (names, dates); what the core obeys of roles and status is
    // the signed log's: Administration::overview, accounts/SignedAccounts.h. workflow::Action::ListUsers.
    Result<std::vector<User>> list();
    // Active case officers, to choose a new case's assigned officer (workflow::Action::CreateCase, VI.B.3).
    Result<std::vector<User>> caseOfficers();
    Result<User> find(std::int64_t userId);
    Result<User> findByUsername(std::string_view username);
    // Updates last_activity_at of the signed-in user (not audited: it is not a state change).
    Result<void> touchActivity();

private:
    Session& session_;
};

// Reads a user inside or outside a transaction (for the cases and gallery services).
Result<User> loadUser(store::Store& store, std::int64_t userId);

}  // namespace facelead::accounts
