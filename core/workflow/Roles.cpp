#include "core/workflow/Roles.h"

#include <array>

#include "core/workflow/detail/Names.h"

namespace facelead::workflow {
namespace {

using detail::Named;

constexpr std::array kRoles{
    Named<Role>{Role::Investigator, "investigator", "Investigator"},
    Named<Role>{Role::CaseOfficer, "case_officer", "Case officer"},
    Named<Role>{Role::Supervisor, "supervisor", "Supervisor"},
    Named<Role>{Role::IntelSupervisor, "intel_supervisor", "Intel supervisor"},
    Named<Role>{Role::ProgramAdministrator, "program_administrator", "Program administrator"},
    Named<Role>{Role::Trainer, "trainer", "Trainer"},
};

constexpr std::array kStatuses{
    Named<UserStatus>{UserStatus::PendingApproval, "pending_approval", "Pending approval"},
    Named<UserStatus>{UserStatus::Active, "active", "Active"},
    Named<UserStatus>{UserStatus::Suspended, "suspended", "Suspended"},
    Named<UserStatus>{UserStatus::Deactivated, "deactivated", "Deactivated"},
};

}  // namespace

std::string_view roleName(Role role) { return detail::nameOf(kRoles, role); }
std::string_view roleLabel(Role role) { return detail::labelOf(kRoles, role); }
std::optional<Role> roleFromName(std::string_view name) { return detail::valueNamed(kRoles, name); }
std::string_view statusName(UserStatus status) { return detail::nameOf(kStatuses, status); }
std::string_view statusLabel(UserStatus status) { return detail::labelOf(kStatuses, status); }
std::optional<UserStatus> statusFromName(std::string_view name) { return detail::valueNamed(kStatuses, name); }

}  // namespace facelead::workflow
