#pragma once
// A personal account (SOP 302.02 VI.D.2: personal accounts, supervisor approval, completed training).

#include <cstdint>
#include <optional>
#include <string>

#include "core/common/Clock.h"
#include "core/workflow/Roles.h"

namespace facelead::accounts {

struct User {
    std::int64_t id = 0;
    std::string username;
    std::string displayName;
    workflow::RoleSet roles;
    workflow::UserStatus status = workflow::UserStatus::PendingApproval;
    TimePoint createdAt;
    std::optional<std::int64_t> createdBy;            // nullopt: the system, at store creation
    std::optional<std::int64_t> approvedBy;           // nullopt with approvedAt set: the system, at creation
    std::optional<TimePoint> approvedAt;
    std::optional<TimePoint> trainingCompletedAt;     // VI.D.2.b
    std::optional<std::int64_t> trainingSignedOffBy;
    std::optional<TimePoint> lastActivityAt;          // for inactivity deactivation (VI.C.2 NOTE)
    std::optional<TimePoint> deactivatedAt;

    bool hasRole(workflow::Role role) const { return roles.count(role) > 0; }
    bool isActive() const { return status == workflow::UserStatus::Active; }
};

// roles column: role names joined by ',' in a stable order, e.g. "program_administrator,supervisor".
std::string rolesToText(const workflow::RoleSet& roles);
// Unknown names are ignored (a newer build may add roles).
workflow::RoleSet rolesFromText(const std::string& text);

}  // namespace facelead::accounts
