// Every gate of issue 5 on a real store: untrained, unapproved, suspended, deactivated, inactive, expired
// training, seat limit, self-approval (SOP 302.02 VI.D.2.a-b, VI.C.2 NOTE, VI.C.3.b).

#include <catch2/catch.hpp>

#include <algorithm>

#include "core/admin/Administration.h"
#include "core/audit/AuditLog.h"
#include "core/store/KeyFile.h"
#include "tests/unit/admin/AccountabilityFixture.h"

using namespace facelead;
using workflow::Role;

namespace {

void setSettings(test::AccountabilityFixture& fx, const std::function<void(admin::AgencySettings&)>& change) {
    auto settings = admin::loadSettings(fx.store());
    REQUIRE(settings);
    change(*settings);
    REQUIRE(admin::saveSettings(*fx.admin, *settings));
}

ErrorCode gateCode(test::AccountabilityFixture& fx, std::int64_t userId) {
    auto gate = admin::checkCanSearch(fx.store(), userId);
    return gate ? ErrorCode::Internal : gate.error().code;  // Internal stands for "allowed" here
}

}  // namespace

TEST_CASE("An approved, active, trained investigator may search", "[admin][gate]") {
    test::AccountabilityFixture fx;
    const auto ivan = fx.addActiveUser("ivan", {Role::Investigator});
    CHECK(admin::checkCanSearch(fx.store(), ivan.id));
}

TEST_CASE("The search gate refuses each missing condition with its own code", "[admin][gate]") {
    test::AccountabilityFixture fx;
    admin::Administration administration(*fx.admin);

    SECTION("untrained") {
        const auto u = fx.addActiveUser("untrained", {Role::Investigator}, false);
        CHECK(gateCode(fx, u.id) == ErrorCode::TrainingRequired);
    }
    SECTION("not approved") {
        const auto u = fx.addUser("pending", {Role::Investigator});
        CHECK(gateCode(fx, u.id) == ErrorCode::AccountNotActive);
    }
    SECTION("suspended") {
        const auto u = fx.addActiveUser("suspended", {Role::Investigator});
        REQUIRE(administration.suspend(u.id, "internal inquiry"));
        CHECK(gateCode(fx, u.id) == ErrorCode::AccountNotActive);
    }
    SECTION("deactivated") {
        const auto u = fx.addActiveUser("gone", {Role::Investigator});
        REQUIRE(administration.deactivate(u.id, "left the unit"));
        CHECK(gateCode(fx, u.id) == ErrorCode::AccountNotActive);
        CHECK_FALSE(fx.signIn("gone"));  // the key slot is gone
    }
    SECTION("training expired under the agency's validity period") {
        setSettings(fx, [](admin::AgencySettings& s) { s.trainingValidityDays = 30; });
        const auto u = fx.addActiveUser("lapsed", {Role::Investigator});
        fx.clock->advanceDays(20);
        CHECK(gateCode(fx, u.id) == ErrorCode::Internal);
        fx.clock->advanceDays(11);
        CHECK(gateCode(fx, u.id) == ErrorCode::TrainingRequired);
    }
    SECTION("idle beyond the inactivity period, even before the sweep ran") {
        const auto u = fx.addActiveUser("idle", {Role::Investigator});
        fx.clock->advanceDays(91);
        CHECK(gateCode(fx, u.id) == ErrorCode::AccountNotActive);
    }
    SECTION("no investigator role") {
        const auto u = fx.addActiveUser("officer", {Role::CaseOfficer});
        CHECK(gateCode(fx, u.id) == ErrorCode::PermissionDenied);
    }
}

TEST_CASE("Nobody approves their own account", "[admin][gate]") {
    test::AccountabilityFixture fx;
    const auto sup = fx.addActiveUser("sup", {Role::Supervisor});
    auto supSession = fx.signIn("sup");
    REQUIRE(supSession);
    admin::Administration bySupervisor(*supSession);
    auto self = bySupervisor.approve(sup.id);
    REQUIRE_FALSE(self);
    CHECK(self.error().code == ErrorCode::PermissionDenied);

    const auto pending = fx.addUser("newbie", {Role::Investigator});
    auto approved = bySupervisor.approve(pending.id);
    REQUIRE(approved);
    CHECK(approved->status == workflow::UserStatus::Active);
    CHECK(approved->approvedBy == sup.id);
}

TEST_CASE("Licence seats are enforced on approval and reactivation, and freed by deactivation", "[admin][seats]") {
    test::AccountabilityFixture fx;
    setSettings(fx, [](admin::AgencySettings& s) { s.licenceSeats = 3; });
    admin::Administration administration(*fx.admin);
    admin::Administration byDeputy(*fx.deputy);  // two persons: the deputy approves what admin creates
    const auto first = fx.addActiveUser("first", {Role::Investigator});  // admin + deputy + first = 3 seats
    auto usage = admin::seatUsage(*fx.admin);
    REQUIRE(usage);
    CHECK(usage->used == 3);
    CHECK(usage->free() == 0);

    const auto second = fx.addUser("second", {Role::Investigator});
    auto refused = byDeputy.approve(second.id);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::SeatLimitReached);
    CHECK(accounts::loadUser(fx.store(), second.id)->status == workflow::UserStatus::PendingApproval);

    REQUIRE(administration.suspend(first.id, "on leave"));
    REQUIRE(byDeputy.approve(second.id));  // the suspended account's seat went to "second"
    auto reactivated = administration.reactivate(first.id, "back from leave");
    REQUIRE_FALSE(reactivated);
    CHECK(reactivated.error().code == ErrorCode::SeatLimitReached);

    REQUIRE(administration.deactivate(second.id, "transferred"));
    CHECK(administration.reactivate(first.id, "back from leave"));
}

// Issue 9: "Approve access..." was offered for a deactivated account, and with every seat taken the answer was
// about the seats. Approval is for an account waiting for it; any other is refused for its status, unchanged.
TEST_CASE("Only an account pending approval is approved; the refusal names its status, not the seats",
          "[admin][gate][seats]") {
    test::AccountabilityFixture fx;
    admin::Administration administration(*fx.admin);
    admin::Administration byDeputy(*fx.deputy);
    const auto active = fx.addActiveUser("active", {Role::Investigator});
    const auto suspended = fx.addActiveUser("suspended", {Role::Investigator});
    const auto deactivated = fx.addActiveUser("deactivated", {Role::Investigator});
    REQUIRE(administration.suspend(suspended.id, "on leave"));
    REQUIRE(administration.deactivate(deactivated.id, "left the agency"));
    setSettings(fx, [](admin::AgencySettings& s) { s.licenceSeats = 3; });  // admin, deputy, active (a suspended account holds none)
    REQUIRE(admin::seatUsage(*fx.admin)->free() == 0);

    for (const auto& user : {active, suspended, deactivated}) {
        INFO(user.username);
        const auto before = accounts::loadUser(fx.store(), user.id)->status;
        auto refused = byDeputy.approve(user.id);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::InvalidTransition);
        CHECK_THAT(refused.error().message, Catch::Contains("waiting for approval"));
        CHECK_THAT(refused.error().message, Catch::Contains(std::string(workflow::statusLabel(before))));
        CHECK(accounts::loadUser(fx.store(), user.id)->status == before);
    }
}

// Trial 10: an account suspended in the users table only dropped out of the seat count and the case
// officers; one deactivated but made active there came back. Seats and choices follow the signed log.
TEST_CASE("seats and case officers follow the signed log, not a users table edited outside FaceLead",
          "[admin][seats][insider]") {
    test::AccountabilityFixture fx;
    const auto officer = fx.addActiveUser("officer", {Role::CaseOfficer});
    const auto gone = fx.addActiveUser("gone", {Role::CaseOfficer});
    REQUIRE(admin::Administration(*fx.admin).deactivate(gone.id, "left the agency"));
    const int used = admin::seatUsage(*fx.admin)->used;
    REQUIRE(fx.store().exec("UPDATE users SET status = 'suspended' WHERE username = 'officer'"));
    REQUIRE(fx.store().exec("UPDATE users SET status = 'active' WHERE username = 'gone'"));
    CHECK(admin::seatUsage(*fx.admin)->used == used);
    auto officers = accounts::AccountService(*fx.admin).caseOfficers();
    REQUIRE(officers);
    REQUIRE(officers->size() == 1);
    CHECK(officers->front().id == officer.id);
}

// Issue 8 (trial): with every seat taken, an investigator asking to approve an account was told about the
// seats, and no refusal was recorded. Who may approve is asked first.
TEST_CASE("approving without the role is refused for the role, and audited, even with every seat taken",
          "[admin][seats][authority]") {
    test::AccountabilityFixture fx;
    setSettings(fx, [](admin::AgencySettings& s) { s.licenceSeats = 3; });
    const auto investigator = fx.addActiveUser("first", {Role::Investigator});  // the third seat
    const auto pending = fx.addUser("second", {Role::Investigator});
    auto session = fx.signIn(investigator.username);
    REQUIRE(session);
    auto refused = admin::Administration(*session).approve(pending.id);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::PermissionDenied);
    CHECK_THAT(refused.error().message, Catch::Contains("Supervisor"));
    auto recorded = audit::AuditLog::list(fx.store(), {.userId = investigator.id, .action = "access.refused"});
    REQUIRE(recorded);
    REQUIRE(recorded->size() == 1);
    CHECK_THAT(recorded->front().detailsJson, Catch::Contains("user.approve"));
}

TEST_CASE("Inactive users are deactivated by the system, audited, and their seat freed", "[admin][inactivity]") {
    test::AccountabilityFixture fx;
    setSettings(fx, [](admin::AgencySettings& s) { s.licenceSeats = 4; });
    const auto idle = fx.addActiveUser("idle", {Role::Investigator});
    const auto busy = fx.addActiveUser("busy", {Role::Investigator});
    REQUIRE(fx.signIn("idle"));
    fx.clock->advanceDays(60);
    REQUIRE(fx.signIn("busy"));
    REQUIRE(fx.signIn("admin"));
    REQUIRE(fx.signIn("deputy"));
    fx.clock->advanceDays(31);  // idle: 91 days since sign-in; busy and admin: 31

    auto sweep = admin::deactivateInactiveUsers(fx.store());
    REQUIRE(sweep);
    REQUIRE(sweep->deactivatedUsernames == std::vector<std::string>{"idle"});
    CHECK(accounts::loadUser(fx.store(), idle.id)->status == workflow::UserStatus::Deactivated);
    CHECK(accounts::loadUser(fx.store(), busy.id)->status == workflow::UserStatus::Active);
    CHECK(admin::seatUsage(*fx.admin)->used == 3);
    CHECK_FALSE(fx.signIn("idle"));

    audit::AuditFilter filter;
    filter.action = "user.deactivated_inactive";
    auto entries = audit::AuditLog::list(fx.store(), filter);
    REQUIRE(entries);
    REQUIRE(entries->size() == 1);
    CHECK(entries->front().objectId == std::to_string(idle.id));
    CHECK_FALSE(entries->front().userId);  // the system acted
    CHECK(audit::AuditLog::verify(fx.store())->intact());

    SECTION("a second sweep changes nothing") {
        auto again = admin::deactivateInactiveUsers(fx.store());
        REQUIRE(again);
        CHECK(again->deactivatedUsernames.empty());
    }
}

TEST_CASE("A last-activity date back-dated in the users table deactivates nobody (trial 20A F4)",
          "[admin][inactivity][insider]") {
    test::AccountabilityFixture fx;
    const auto busy = fx.addActiveUser("busy", {Role::Investigator});
    REQUIRE(fx.signIn("busy"));
    fx.clock->advanceDays(5);
    // What an insider with the database key wrote, so that the administrator's next sweep removes a colleague.
    REQUIRE(fx.store().exec("UPDATE users SET last_activity_at = '2020-01-02T10:00:00.000Z' WHERE username = 'busy'").ok());
    auto sweep = admin::deactivateInactiveUsers(fx.store());
    REQUIRE(sweep);
    CHECK(sweep->deactivatedUsernames.empty());
    CHECK(accounts::loadUser(fx.store(), busy.id)->status == workflow::UserStatus::Active);
}

TEST_CASE("An idle account is deactivated at its first sign-in after the period", "[admin][inactivity]") {
    test::AccountabilityFixture fx;
    const auto idle = fx.addActiveUser("sleeper", {Role::Investigator});
    REQUIRE(fx.signIn("sleeper"));
    fx.clock->advanceDays(100);
    auto session = fx.signIn("sleeper");  // sign-in itself records activity ...
    REQUIRE(session);
    auto sweep = admin::deactivateInactiveUsers(session->store(), idle.id);  // ... so the sweep looks before it
    REQUIRE(sweep);
    CHECK(sweep->signedInUserDeactivated);
    CHECK(accounts::loadUser(session->store(), idle.id)->status == workflow::UserStatus::Deactivated);
}

TEST_CASE("VI.C.2 NOTE: signing in under the agency's rules refuses an account idle past the period",
          "[admin][inactivity]") {
    test::AccountabilityFixture fx;
    const auto idle = fx.addActiveUser("sleeper", {Role::Investigator});
    REQUIRE(admin::signIn(fx.storePath, "sleeper", test::kPassword, fx.clock, fx.policy));
    fx.clock->advanceDays(100);
    const auto refused = admin::signIn(fx.storePath, "sleeper", test::kPassword, fx.clock,
                                       fx.policy);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::AccountNotActive);
    CHECK_THAT(refused.error().message, Catch::Contains("VI.C.2"));
    CHECK_FALSE(fx.signIn("sleeper"));  // deactivated for good: the key slot is gone
    auto admin = fx.signIn("admin");
    REQUIRE(admin);
    CHECK(accounts::loadUser(admin->store(), idle.id)->status == workflow::UserStatus::Deactivated);
    // Its own session signed the deactivation, and nothing after it: the key rotation that follows every
    // deactivation is made by the next sign-in under the agency's rules (CI: verify found the rotation signed by
    // the deactivated account).
    auto byAdmin = admin::signIn(fx.storePath, "admin", test::kPassword, fx.clock, fx.policy);
    REQUIRE(byAdmin);
    auto deactivation = audit::AuditLog::list(byAdmin->store(), {.action = "user.deactivated_inactive"});
    REQUIRE(deactivation);
    REQUIRE(deactivation->size() >= 1);
    CHECK(deactivation->front().signer == "sleeper");
    auto rotations = audit::AuditLog::list(byAdmin->store(), {.action = "store.key_rotated"});
    REQUIRE(rotations);
    REQUIRE_FALSE(rotations->empty());
    CHECK(rotations->back().seq > deactivation->front().seq);
    CHECK(rotations->back().signer == "admin");
    auto report = audit::AuditLog::verify(byAdmin->store());
    REQUIRE(report);
    INFO(report->describe());
    CHECK(report->intact());
}

TEST_CASE("A deactivation whose key rotation was never made (the process ended between the two) is rotated at the "
          "next sign-in, once", "[admin][revocation]") {
    test::AccountabilityFixture fx;
    const auto leaver = fx.addActiveUser("leaver", {Role::Investigator});
    auto admin = fx.signIn("admin");
    REQUIRE(admin);
    // The deactivation's own transaction alone, as AccountService::deactivate commits it before rotating.
    REQUIRE(admin->store().transact([&](store::Transaction& tx) -> Result<void> {
        FACELEAD_TRY(tx.prepare("UPDATE users SET status = 'deactivated' WHERE username = 'leaver'")->run());
        FACELEAD_TRY(audit::AuditLog::append(tx, {admin->userId(), "user.deactivated", "user", std::to_string(leaver.id),
                                                  nlohmann::json{{"username", "leaver"}, {"reason", "left"}}.dump()}));
        return tx.store().removeKeySlot("leaver");
    }).ok());
    const auto rotationsBefore = audit::AuditLog::list(admin->store(), {.action = "store.key_rotated"})->size();
    auto next = admin::signIn(fx.storePath, "admin", test::kPassword, fx.clock, fx.policy);
    REQUIRE(next);
    auto rotations = audit::AuditLog::list(next->store(), {.action = "store.key_rotated"});
    REQUIRE(rotations);
    REQUIRE(rotations->size() == rotationsBefore + 1);
    CHECK(rotations->back().detailsJson.find("made at the next sign-in") != std::string::npos);
    auto again = admin::signIn(fx.storePath, "admin", test::kPassword, fx.clock, fx.policy);
    REQUIRE(again);
    CHECK(audit::AuditLog::list(again->store(), {.action = "store.key_rotated"})->size() == rotations->size());
}

TEST_CASE("The last active program administrator is never deactivated for inactivity", "[admin][inactivity]") {
    test::AccountabilityFixture fx;
    fx.clock->advanceDays(200);
    auto sweep = admin::deactivateInactiveUsers(fx.store());
    REQUIRE(sweep);
    CHECK(sweep->deactivatedUsernames == std::vector<std::string>{"deputy"});  // a supervisor only
    CHECK(sweep->keptLastAdministrator == "admin");
}

TEST_CASE("The administration overview shows training status and the gate's answer", "[admin]") {
    test::AccountabilityFixture fx;
    fx.addActiveUser("trained", {Role::Investigator});
    fx.addActiveUser("fresh", {Role::Investigator}, false);
    admin::Administration administration(*fx.admin);
    auto rows = administration.overview();
    REQUIRE(rows);
    REQUIRE(rows->size() == 4);  // admin, deputy, trained, fresh
    for (const auto& row : *rows) {
        if (row.user.username == "trained") {
            CHECK(row.training == training::TrainingStatus::Current);
            CHECK(row.maySearch);
        }
        if (row.user.username == "fresh") {
            CHECK(row.training == training::TrainingStatus::NotTrained);
            CHECK_FALSE(row.maySearch);
            CHECK_THAT(row.gateMessage, Catch::Contains("training"));
        }
    }
}

TEST_CASE("The administration overview shows the roles the signed log grants, and flags a table edited outside "
          "FaceLead", "[admin][grants]") {
    test::AccountabilityFixture fx;
    fx.addActiveUser("trained", {Role::Investigator});
    fx.addActiveUser("fresh", {Role::CaseOfficer});
    // An insider with the database key gives "fresh" the investigator role in the users table only.
    REQUIRE(fx.store().exec("UPDATE users SET roles = 'investigator,case_officer' WHERE username = 'fresh'"));
    admin::Administration administration(*fx.admin);
    auto rows = administration.overview();
    REQUIRE(rows);
    for (const auto& row : *rows) {
        INFO(row.user.username);
        if (row.user.username == "trained") {
            CHECK(row.grantsMismatch.empty());
            CHECK(row.tableRoles == workflow::RoleSet{Role::Investigator});
        }
        if (row.user.username == "fresh") {
            CHECK(row.user.roles == workflow::RoleSet{Role::CaseOfficer});  // what the core obeys
            CHECK(row.tableRoles == workflow::RoleSet{Role::Investigator, Role::CaseOfficer});
            CHECK_THAT(row.grantsMismatch, Catch::Contains("signed audit log grants case_officer"));
            CHECK_FALSE(row.maySearch);  // the table's investigator role opens no gate
        }
    }
}

TEST_CASE("Password reset writes a new key slot under the agency's password policy", "[admin]") {
    test::AccountabilityFixture fx;
    const auto u = fx.addActiveUser("forgetful", {Role::Investigator});
    admin::Administration administration(*fx.admin);
    auto weak = administration.resetPassword(u.id, "short");
    REQUIRE_FALSE(weak);
    CHECK(weak.error().code == ErrorCode::PasswordTooWeak);
    REQUIRE(administration.resetPassword(u.id, "a brand new long passphrase"));
    CHECK_FALSE(fx.signIn("forgetful"));
    CHECK(accounts::signIn(fx.storePath, "forgetful", "a brand new long passphrase", fx.clock, fx.policy));
}

// Trial 61 F3: an insider with the database key wrote "100" into the licence-seats row, and an approval took a
// sixth seat of five. The seats are what a program administrator last signed.
TEST_CASE("Licence seats as signed: a seats row edited in the table frees no seat", "[admin][seats][insider]") {
    test::AccountabilityFixture fx;
    setSettings(fx, [](admin::AgencySettings& s) { s.licenceSeats = 3; });
    admin::Administration byDeputy(*fx.deputy);
    fx.addActiveUser("third", {Role::Investigator});  // admin + deputy + third = 3 seats
    const auto pending = fx.addUser("fourth", {Role::Investigator});
    REQUIRE(fx.store().exec("UPDATE settings SET value = '100' WHERE key = 'admin.licence_seats'").ok());
    CHECK(admin::seatUsage(*fx.admin)->seats == 3);
    auto refused = byDeputy.approve(pending.id);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::SeatLimitReached);
}

// Trial 61 F2: the lockout rule a failed sign-in reads lives in the key file (the store cannot be opened yet), where
// an insider wrote 100 attempts; seven wrong passwords in a row then locked nobody, unseen.
TEST_CASE("A lockout rule edited in the key file is put back to the signed setting at the next sign-in, recorded and "
          "told", "[admin][lockout][insider]") {
    test::AccountabilityFixture fx;
    setSettings(fx, [](admin::AgencySettings& s) { s.lockoutMaxAttempts = 4; });
    REQUIRE(store::updateKeyFile(store::keyFilePath(fx.storePath), [](store::KeyFile& file) {
                file.lockoutMaxAttempts = 100;
            }).ok());
    auto session = admin::signIn(fx.storePath, "deputy", test::kPassword, fx.clock, fx.policy);
    REQUIRE(session);
    const auto& warnings = session->warnings();
    CHECK(std::any_of(warnings.begin(), warnings.end(),
                      [](const std::string& w) { return w.find("lockout rule was changed outside FaceLead") != std::string::npos; }));
    CHECK(store::loadKeyFile(store::keyFilePath(fx.storePath))->lockoutMaxAttempts == 4);
    CHECK(audit::AuditLog::list(session->store(), {.action = "store.lockout_rule_restored"})->size() == 1);
    // Put back once: the next sign-in finds nothing to say.
    auto again = admin::signIn(fx.storePath, "deputy", test::kPassword, fx.clock, fx.policy);
    REQUIRE(again);
    CHECK(audit::AuditLog::list(again->store(), {.action = "store.lockout_rule_restored"})->size() == 1);
}
