#pragma once
// Roles and account states of SOP 302.02 (VI.C, VI.D). Pure values: accounts stores them, the policy
// rules in workflow decide with them.

#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace facelead::workflow {

enum class Role {
    Investigator,           // runs searches (VI.A)
    CaseOfficer,            // confirms candidates and records follow-up (VI.B.3)
    Supervisor,             // approves access (VI.D.2.a), reviews follow-up (VI.C.1)
    IntelSupervisor,        // requests audits (VI.C.2.a-b)
    ProgramAdministrator,   // runs audits and the annual review (VI.C.2.b-c, VI.C.3.a); decides whether a record past
                            // the rule pack's retention period is kept or purged (VI.B.6; Action::DecideRetention)
    Trainer,                // trains users, trainer mode (VI.C.3.b, VI.D.2.b)
};

enum class UserStatus {
    PendingApproval,  // created, waiting for a supervisor (VI.D.2.a)
    Active,
    Suspended,
    Deactivated,      // by an administrator or for inactivity (VI.C.2 NOTE); the key slot is removed
};

std::string_view roleName(Role role);             // "investigator", "case_officer", ...
std::optional<Role> roleFromName(std::string_view name);
std::string_view roleLabel(Role role);            // "Case officer" for people
std::string_view statusName(UserStatus status);   // "pending_approval", "active", ...
std::string_view statusLabel(UserStatus status);  // "Pending approval" for people
std::optional<UserStatus> statusFromName(std::string_view name);

using RoleSet = std::set<Role>;

}  // namespace facelead::workflow
