#include <catch2/catch.hpp>

#include "core/workflow/Access.h"

using namespace facelead;
using namespace facelead::workflow;
using namespace std::chrono_literals;

namespace {

const TimePoint kNow = TimePoint{} + 24h * 20000;

UserAccess trainedInvestigator() {
    return UserAccess{UserStatus::Active, true, {Role::Investigator}, kNow - 24h * 30};
}

}  // namespace

TEST_CASE("VI.D.2: an approved, active, trained investigator may search") {
    CHECK(checkCanSearch(trainedInvestigator(), kNow, {}).ok());
}

TEST_CASE("VI.D.2.a: a user without supervisor approval may not search") {
    auto user = trainedInvestigator();
    user.supervisorApproved = false;
    CHECK(checkCanSearch(user, kNow, {}).error().code == ErrorCode::AccountNotActive);
    user = trainedInvestigator();
    user.status = UserStatus::PendingApproval;
    CHECK(checkCanSearch(user, kNow, {}).error().code == ErrorCode::AccountNotActive);
}

TEST_CASE("VI.C.2 NOTE: a suspended or deactivated user may not search") {
    for (auto status : {UserStatus::Suspended, UserStatus::Deactivated}) {
        auto user = trainedInvestigator();
        user.status = status;
        auto result = checkCanSearch(user, kNow, {});
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().code == ErrorCode::AccountNotActive);
    }
}

TEST_CASE("VI.C.2 NOTE: only a suspension is offered a reactivation; a deactivation is final (trial 12)") {
    auto user = trainedInvestigator();
    user.status = UserStatus::Suspended;
    CHECK_THAT(std::string(searchGateReason(user, kNow, {})->explanation), Catch::Contains("may reactivate it"));
    user.status = UserStatus::Deactivated;
    const auto reason = searchGateReason(user, kNow, {});
    CHECK_THAT(std::string(reason->explanation), Catch::Contains("deactivated") && Catch::Contains("only a new account"));
    CHECK_THAT(std::string(reason->explanation), !Catch::Contains("reactivate"));
    CHECK_THAT(checkCanSearch(user, kNow, {}).error().message, !Catch::Contains("reactivate"));
}

TEST_CASE("VI.A: only the investigator role runs searches") {
    auto user = trainedInvestigator();
    user.roles = {Role::Supervisor, Role::CaseOfficer};
    CHECK(checkCanSearch(user, kNow, {}).error().code == ErrorCode::PermissionDenied);
}

TEST_CASE("VI.D.2.b / VI.C.3.b: training must be complete, and not expired when the agency sets a validity") {
    auto user = trainedInvestigator();
    user.trainingCompletedAt.reset();
    CHECK(checkCanSearch(user, kNow, {}).error().code == ErrorCode::TrainingRequired);

    PolicySettings settings;
    settings.trainingValidity = std::chrono::days(365);
    user.trainingCompletedAt = kNow - 24h * 366;
    auto expired = checkCanSearch(user, kNow, settings);
    REQUIRE_FALSE(expired.ok());
    CHECK(expired.error().code == ErrorCode::TrainingRequired);
    CHECK(expired.error().message.find("expired") != std::string::npos);
    user.trainingCompletedAt = kNow - 24h * 364;
    CHECK(checkCanSearch(user, kNow, settings).ok());
    settings.trainingValidity.reset();
    user.trainingCompletedAt = kNow - 24h * 3000;
    CHECK(checkCanSearch(user, kNow, settings).ok());
}

TEST_CASE("Role matrix: each action names who may do it") {
    CHECK(mayPerform({Role::Supervisor}, Action::ReviewFollowUp));
    CHECK_FALSE(mayPerform({Role::Investigator}, Action::ReviewFollowUp));
    CHECK(mayPerform({Role::CaseOfficer}, Action::RecordFollowUp));
    CHECK(mayPerform({Role::Supervisor}, Action::ApproveUser));
    CHECK_FALSE(mayPerform({}, Action::ViewCase));
    auto denied = requireRole({Role::Trainer}, Action::RunSearch);
    REQUIRE_FALSE(denied.ok());
    CHECK(denied.error().code == ErrorCode::PermissionDenied);
    CHECK(denied.error().message.find("Investigator") != std::string::npos);
    for (auto action : {Action::RunSearch, Action::DecideCandidate, Action::RecordFollowUp, Action::ReviewFollowUp,
                        Action::CreateCase, Action::ViewCase, Action::EnhanceImage, Action::ApproveUser,
                        Action::ManageUsers, Action::RecordTraining, Action::RequestAudit, Action::RunAudit, Action::ProduceReport,
                        Action::ManageGallery, Action::AddImage}) {
        CHECK_FALSE(actionLabel(action).empty());
        CHECK(mayPerform({Role::Investigator, Role::CaseOfficer, Role::Supervisor, Role::IntelSupervisor,
                          Role::ProgramAdministrator, Role::Trainer},
                         action));
    }
}

TEST_CASE("The gate said about someone else: a few words and a third-person sentence, in checkCanSearch's order") {
    CHECK_FALSE(searchGateReason(trainedInvestigator(), kNow, {}));
    auto user = trainedInvestigator();
    user.trainingCompletedAt.reset();
    auto reason = searchGateReason(user, kNow, {});
    REQUIRE(reason);
    CHECK(reason->shortLabel == "training");
    CHECK(reason->explanation.find("VI.D.2.b") != std::string_view::npos);
    user.supervisorApproved = false;  // the first closed gate is the one named, as checkCanSearch refuses it
    reason = searchGateReason(user, kNow, {});
    REQUIRE(reason);
    CHECK(reason->shortLabel == "not approved");
    CHECK(checkCanSearch(user, kNow, {}).error().code == ErrorCode::AccountNotActive);
    CHECK(reason->explanation.find("Your") == std::string_view::npos);
}

// Issue 9 re-trial: approving an intelligence supervisor said "the account can then ... search once trained".
// What an approval gives is the role table's answer for the account's roles.
TEST_CASE("The approval summary names the roles and what they allow, a search only for an investigator",
          "[workflow][access]") {
    const std::string intel = workflow::approvalSummary({Role::IntelSupervisor});
    CHECK_THAT(intel, Catch::StartsWith("Roles granted: Intel supervisor. Once approved, the account may sign in and "));
    CHECK_THAT(intel, Catch::Contains("request an audit"));
    CHECK_THAT(intel, Catch::Contains("it runs no facial recognition search (that needs the role Investigator)"));
    CHECK_THAT(intel, !Catch::Contains("once its training"));
    const std::string investigator = workflow::approvalSummary({Role::Investigator, Role::CaseOfficer});
    CHECK_THAT(investigator, Catch::StartsWith("Roles granted: Investigator, Case officer."));
    CHECK_THAT(investigator, Catch::EndsWith("it may run a facial recognition search once its training is signed off (VI.D.2.b)."));
    CHECK_THAT(investigator, !Catch::Contains("request an audit"));
    CHECK(workflow::approvalSummary({}) == "Roles granted: none. Once approved, the account may sign in but do nothing else.");
}
