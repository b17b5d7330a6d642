#pragma once
// Who may do what under SOP 302.02: the gate before a search (VI.D.2.a-b, VI.C.3.b) and a role matrix
// for the other actions. Pure rules: accounts supplies the facts, the caller supplies the time.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Clock.h"
#include "core/common/Result.h"
#include "core/workflow/Roles.h"
#include "core/workflow/SearchRequest.h"

namespace facelead::workflow {

// The facts about a user the gates need.
struct UserAccess {
    UserStatus status = UserStatus::PendingApproval;
    bool supervisorApproved = false;                // VI.D.2.a
    RoleSet roles;
    std::optional<TimePoint> trainingCompletedAt;   // VI.D.2.b; absent = not trained
};

// AccountNotActive (not approved / not active), TrainingRequired (never trained or expired), or
// PermissionDenied (no investigator role). Each message says what to do.
Result<void> checkCanSearch(const UserAccess& user, TimePoint now, const PolicySettings& settings);

// The same gate said about someone else, for a list of accounts (the administration screen): a few words
// for a table cell ("training") and one sentence in the third person for its tool tip. nullopt when the
// gate is open. Same order and rules as checkCanSearch.
struct SearchGateReason {
    std::string_view shortLabel;   // "not approved", "not active", "not an investigator", "training", ...
    std::string_view explanation;  // "access not yet approved by a supervisor (VI.D.2.a)"
};
std::optional<SearchGateReason> searchGateReason(const UserAccess& user, TimePoint now, const PolicySettings& settings);

enum class Action {
    RunSearch,          // VI.A (plus checkCanSearch)
    DecideCandidate,    // possible lead / exclude (VI.B.3)
    RecordFollowUp,     // VI.B.3 (also: only the assigned case officer)
    ReviewFollowUp,     // VI.C.1
    CreateCase,
    ViewCase,
    EnhanceImage,       // VI.B.2 (copies only)
    ApproveUser,        // VI.D.2.a
    ApproveRoleChange,  // VI.D.2.a: a second person changes access (never the requester nor the person changed)
    ManageUsers,        // create, deactivate (VI.C.2 NOTE); the agency settings and rule pack
    RecordTraining,     // VI.D.2.b, VI.C.3.b
    RequestAudit,       // VI.C.2.a
    RunAudit,           // VI.C.2.b-c
    // The agency's annual reports: the annual review (VI.C.2.c), the rule pack's statutory report and the retention
    // review (VI.B.6). Its own action so a refusal names the report, not "an audit" (trial 19B LOW-4).
    ProduceReport,
    ManageGallery,      // enrol (VI.A.1: the agency's own lawful gallery)
    AddImage,           // store an original in a case (VI.B.2)
    ViewGallery,        // list the gallery's subjects and faces (searches show their own candidates)
    ListUsers,          // see the accounts: to manage, approve, train or name them in an audit request
    ViewStatistics,     // usage statistics and reports of use (VI.C.2)
    CheckStore,         // the full integrity check of the store
    DiscloseCase,       // the disclosure packet for discovery (issue 11 item 4; see checkMayDisclose)
    ApproveSearch,      // a second approver, before a search the rule pack holds (issue 11 item 5)
    DecideRetention,    // keep or purge a record past the rule pack's retention period (VI.B.6; issue 11 item 5)
};

// Every action, in table order (for tests and for the role x command matrix).
const std::vector<Action>& allActions();

std::string_view actionLabel(Action action);  // "run a search"
// Who may, and the section of SOP 302.02 the rule comes from ("" when none): the role table as people read it
// (the workstation's Help > "Who may do what").
const std::vector<Role>& rolesFor(Action action);
std::string_view actionCitation(Action action);
bool mayPerform(const RoleSet& roles, Action action);
// PermissionDenied naming the action and the roles that may do it.
Result<void> requireRole(const RoleSet& roles, Action action);

// What approving an account that holds `roles` gives (VI.D.2.a), for the person who approves it: the roles
// granted, then what the role table lets them do, a search only once trained (VI.D.2.b); an account without
// the Investigator role is told it runs no search (issue 9 re-trial: an intelligence supervisor's approval
// said "search once trained"). One paragraph, e.g. "Roles granted: Trainer. Once approved, the account may
// sign in and list the user accounts, record completed training; it runs no facial recognition search (that
// needs the role Investigator)."
std::string approvalSummary(const RoleSet& roles);

// Who may hand a case's disclosure packet to the prosecutor for discovery: the case's assigned case officer
// (who answers for its leads, VI.B.3), a supervisor (VI.C.1) or a program administrator (VI.C.2), never an
// investigator alone nor another case's officer. The packet is criminal intelligence (VI.B.6): releasing it
// is a decision someone answers for, so it is audited. PermissionDenied saying who may.
Result<void> checkMayDisclose(const RoleSet& roles, bool assignedCaseOfficer);

}  // namespace facelead::workflow
