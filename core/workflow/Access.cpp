#include "core/workflow/Access.h"

#include <optional>
#include <vector>

namespace facelead::workflow {
namespace {

struct Permission {
    Action action;
    std::string_view label;
    std::vector<Role> roles;
    std::string_view citation = {};  // the section of SOP 302.02 the rule comes from
};

const std::vector<Permission>& permissions() {
    static const std::vector<Permission> table{
        {Action::RunSearch, "run a facial recognition search", {Role::Investigator}, "VI.A"},
        {Action::DecideCandidate, "examine, verify, mark or exclude a candidate", {Role::Investigator, Role::CaseOfficer}, "VI.B.3"},
        {Action::RecordFollowUp, "record the follow-up of a lead", {Role::CaseOfficer}, "VI.B.3"},
        {Action::ReviewFollowUp, "review the follow-up of a lead", {Role::Supervisor}, "VI.C.1"},
        {Action::CreateCase, "create a case", {Role::Investigator, Role::CaseOfficer, Role::Supervisor}},
        {Action::ViewCase, "view a case",
         {Role::Investigator, Role::CaseOfficer, Role::Supervisor, Role::IntelSupervisor,
          Role::ProgramAdministrator}},
        {Action::EnhanceImage, "make an enhanced copy of an image", {Role::Investigator, Role::CaseOfficer}, "VI.B.2"},
        {Action::ApproveUser, "approve a user's access", {Role::Supervisor}, "VI.D.2.a"},
        {Action::ApproveRoleChange, "approve a change of roles", {Role::Supervisor, Role::ProgramAdministrator},
         "VI.D.2.a"},
        {Action::ManageUsers, "manage user accounts and the agency settings (rule pack included)",
         {Role::ProgramAdministrator}, "VI.C.3.a"},
        {Action::RecordTraining, "record completed training", {Role::Trainer, Role::ProgramAdministrator}, "VI.D.2.b"},
        {Action::RequestAudit, "request an audit", {Role::IntelSupervisor}, "VI.C.2.a"},
        {Action::RunAudit, "run an audit", {Role::ProgramAdministrator}, "VI.C.2.b-c"},
        {Action::ProduceReport, "produce the agency's annual reports (annual review, statutory report, retention review)",
         {Role::ProgramAdministrator}, "VI.C.2.c, VI.B.6"},
        {Action::ManageGallery, "manage the gallery", {Role::ProgramAdministrator}},
        {Action::AddImage, "add an image to a case", {Role::Investigator, Role::CaseOfficer}, "VI.B.2"},
        {Action::ViewGallery, "view the gallery", {Role::ProgramAdministrator}},
        {Action::ListUsers, "list the user accounts",
         {Role::ProgramAdministrator, Role::Supervisor, Role::IntelSupervisor, Role::Trainer}},
        {Action::ViewStatistics, "view usage statistics", {Role::IntelSupervisor, Role::ProgramAdministrator}, "VI.C.2"},
        {Action::CheckStore, "check the store's integrity", {Role::ProgramAdministrator}},
        {Action::DiscloseCase, "disclose a case (discovery packet)",
         {Role::CaseOfficer, Role::Supervisor, Role::ProgramAdministrator}, "VI.B.6"},
        {Action::ApproveSearch, "approve a search before it runs", {Role::Supervisor}, "rule pack"},
        {Action::DecideRetention, "decide whether an expired record is kept or purged", {Role::ProgramAdministrator},
         "VI.B.6"},
    };
    return table;
}

const Permission& permission(Action action) {
    for (const auto& p : permissions()) if (p.action == action) return p;
    return permissions().front();  // unreachable: every Action is in the table (tested)
}

}  // namespace

const std::vector<Action>& allActions() {
    static const std::vector<Action> actions = [] {
        std::vector<Action> all;
        for (const auto& p : permissions()) all.push_back(p.action);
        return all;
    }();
    return actions;
}

std::string_view actionLabel(Action action) { return permission(action).label; }
const std::vector<Role>& rolesFor(Action action) { return permission(action).roles; }
std::string_view actionCitation(Action action) { return permission(action).citation; }

bool mayPerform(const RoleSet& roles, Action action) {
    for (Role role : permission(action).roles) if (roles.count(role)) return true;
    return false;
}

Result<void> requireRole(const RoleSet& roles, Action action) {
    if (mayPerform(roles, action)) return {};
    const Permission& p = permission(action);
    std::string who;
    for (Role role : p.roles) who += (who.empty() ? "" : " or ") + std::string(roleLabel(role));
    const std::string source = p.citation.empty() ? "" : " (SOP 302.02 " + std::string(p.citation) + ")";
    return makeError(ErrorCode::PermissionDenied,
                     "You may not " + std::string(p.label) + ": this needs the role " + who + source + ".");
}

std::string approvalSummary(const RoleSet& roles) {
    if (roles.empty()) return "Roles granted: none. Once approved, the account may sign in but do nothing else.";
    std::string granted;
    for (Role role : roles) granted += (granted.empty() ? "" : ", ") + std::string(roleLabel(role));
    std::string allowed;
    for (const Permission& p : permissions())
        if (p.action != Action::RunSearch && mayPerform(roles, p.action))
            allowed += (allowed.empty() ? "" : ", ") + std::string(p.label);
    const Permission& search = permission(Action::RunSearch);
    const std::string searching =
        mayPerform(roles, Action::RunSearch)
            ? "; it may " + std::string(search.label) + " once its training is signed off (VI.D.2.b)."
            : "; it runs no facial recognition search (that needs the role " + std::string(roleLabel(search.roles.front())) + ").";
    return "Roles granted: " + granted + ". Once approved, the account may sign in" +
           (allowed.empty() ? "" : " and " + allowed) + searching;
}

Result<void> checkMayDisclose(const RoleSet& roles, bool assignedCaseOfficer) {
    FACELEAD_TRY(requireRole(roles, Action::DiscloseCase));
    if (roles.count(Role::Supervisor) || roles.count(Role::ProgramAdministrator) || assignedCaseOfficer) return {};
    return makeError(ErrorCode::PermissionDenied,
                     "Only the case's assigned case officer, a supervisor or a program administrator may disclose "
                     "this case (SOP 302.02 VI.B.3, VI.B.6).");
}

namespace {

// Why the search gate is closed, in checkCanSearch's order; each reason is worded once below.
enum class GateBlock { NotApproved, NotActive, NotInvestigator, NotTrained, TrainingExpired };

std::optional<GateBlock> gateBlock(const UserAccess& user, TimePoint now, const PolicySettings& settings) {
    if (!user.supervisorApproved || user.status == UserStatus::PendingApproval) return GateBlock::NotApproved;
    if (user.status != UserStatus::Active) return GateBlock::NotActive;
    if (!user.roles.count(Role::Investigator)) return GateBlock::NotInvestigator;
    if (!user.trainingCompletedAt) return GateBlock::NotTrained;
    if (settings.trainingValidity && now > *user.trainingCompletedAt + *settings.trainingValidity)
        return GateBlock::TrainingExpired;
    return std::nullopt;
}

// A suspension is undone by a reactivation; a deactivation is final (its key slot is gone: trial 12). Worded
// here for checkCanSearch; searchGateReason says the same in its own (static) sentences.
std::string whatRestoresAccess(const UserAccess& user) {
    return user.status == UserStatus::Suspended ? "ask a program administrator to reactivate it"
                                                : "only a new account restores access";
}

}  // namespace

Result<void> checkCanSearch(const UserAccess& user, TimePoint now, const PolicySettings& settings) {
    const auto block = gateBlock(user, now, settings);
    if (!block) return {};
    switch (*block) {
    case GateBlock::NotApproved:
        return makeError(ErrorCode::AccountNotActive,
                         "Your access has not been approved by a supervisor yet (VI.D.2.a). Ask your supervisor.");
    case GateBlock::NotActive:
        return makeError(ErrorCode::AccountNotActive,
                         "Your account is " + std::string(statusName(user.status)) + "; " + whatRestoresAccess(user) +
                             " (VI.C.2 NOTE).");
    case GateBlock::NotInvestigator:
        return makeError(ErrorCode::PermissionDenied,
                         "Only users with the Investigator role may run a facial recognition search (VI.A).");
    case GateBlock::NotTrained:
        return makeError(ErrorCode::TrainingRequired,
                         "Complete the facial recognition user training before your first search "
                         "(VI.D.2.b, VI.C.3.b). Ask a trainer to record it.");
    case GateBlock::TrainingExpired:
        return makeError(ErrorCode::TrainingRequired,
                         "Your facial recognition training, completed " + toIsoUtc(*user.trainingCompletedAt) +
                             ", has expired under the agency's training validity period. Complete the training "
                             "again (VI.D.2.b, VI.C.3.b).");
    }
    return {};
}

std::optional<SearchGateReason> searchGateReason(const UserAccess& user, TimePoint now,
                                                 const PolicySettings& settings) {
    const auto block = gateBlock(user, now, settings);
    if (!block) return std::nullopt;
    switch (*block) {
    case GateBlock::NotApproved:
        return SearchGateReason{"not approved", "access not yet approved by a supervisor (VI.D.2.a)"};
    case GateBlock::NotActive:
        if (user.status == UserStatus::Suspended)
            return SearchGateReason{"not active",
                                    "the account is suspended; a program administrator may reactivate it (VI.C.2 NOTE)"};
        return SearchGateReason{"not active",
                                "the account is deactivated; only a new account restores access (VI.C.2 NOTE)"};
    case GateBlock::NotInvestigator:
        return SearchGateReason{"not an investigator",
                                "no Investigator role: only investigators run facial recognition searches (VI.A)"};
    case GateBlock::NotTrained:
        return SearchGateReason{"training",
                                "the facial recognition user training is not signed off yet (VI.D.2.b, VI.C.3.b)"};
    case GateBlock::TrainingExpired:
        return SearchGateReason{"training expired",
                                "the training has expired under the agency's training validity period "
                                "(VI.D.2.b, VI.C.3.b)"};
    }
    return std::nullopt;
}

}  // namespace facelead::workflow
