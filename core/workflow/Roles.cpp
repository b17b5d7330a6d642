#include "core/workflow/Roles.h"

#include <array>
#include <utility>

namespace facelead::workflow {
namespace {

struct RoleText {
    Role role;
    std::string_view name;
    std::string_view label;
};

constexpr std::array kRoles{
    RoleText{Role::Investigator, "investigator", "Investigator"},
    RoleText{Role::CaseOfficer, "case_officer", "Case officer"},
    RoleText{Role::Supervisor, "supervisor", "Supervisor"},
    RoleText{Role::IntelSupervisor, "intel_supervisor", "Intel supervisor"},
    RoleText{Role::ProgramAdministrator, "program_administrator", "Program administrator"},
    RoleText{Role::Trainer, "trainer", "Trainer"},
};

constexpr std::array kStatuses{
    std::pair{UserStatus::PendingApproval, std::string_view("pending_approval")},
    std::pair{UserStatus::Active, std::string_view("active")},
    std::pair{UserStatus::Suspended, std::string_view("suspended")},
    std::pair{UserStatus::Deactivated, std::string_view("deactivated")},
};

}  // namespace

std::string_view roleName(Role role) {
    for (const auto& r : kRoles) if (r.role == role) return r.name;
    return "unknown";
}

std::string_view roleLabel(Role role) {
    for (const auto& r : kRoles) if (r.role == role) return r.label;
    return "Unknown";
}

std::optional<Role> roleFromName(std::string_view name) {
    for (const auto& r : kRoles) if (r.name == name) return r.role;
    return std::nullopt;
}

std::string_view statusName(UserStatus status) {
    for (const auto& [s, name] : kStatuses) if (s == status) return name;
    return "unknown";
}

std::optional<UserStatus> statusFromName(std::string_view name) {
    for (const auto& [s, n] : kStatuses) if (n == name) return s;
    return std::nullopt;
}

}  // namespace facelead::workflow
