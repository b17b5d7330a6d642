// Agency settings (issue 5): defaults, storage round trip, validation, and audited changes with old and
// new values.

#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/admin/Administration.h"
#include "core/admin/AgencySettings.h"
#include "core/audit/AuditLog.h"
#include "tests/unit/admin/AccountabilityFixture.h"

using namespace facelead;
using facelead::admin::AgencySettings;

TEST_CASE("Agency settings default to the policy's values and survive the key/value round trip", "[admin][settings]") {
    const AgencySettings defaults;
    CHECK(defaults.inactivityDays == 90);  // issue 5: default 90 days (VI.C.2 NOTE)
    AgencySettings changed;
    changed.inactivityDays = 120;
    changed.licenceSeats = 3;
    changed.passwordRequireMixed = false;
    changed.agencyName = "Test, \"Quoted\" Agency";
    auto back = admin::fromMap(admin::toMap(changed));
    REQUIRE(back);
    CHECK(*back == changed);
    REQUIRE(admin::fromMap({}));
    CHECK(*admin::fromMap({}) == defaults);
}

// Trial 21A N3: a value written into the table outside FaceLead made every command that read the settings fail
// with "... must be between ...", the administrator's settings screen too, so nobody could put it right.
TEST_CASE("Settings as stored: a value FaceLead would not save keeps its default, and saving replaces it",
          "[admin][settings][insider]") {
    AgencySettings washington;
    washington.policyPack = "washington-rcw-43-386";
    washington = admin::fitToPack(washington, *workflow::findPack(washington.policyPack));
    washington.inactivityDays = 60;
    CHECK(admin::fromStored(admin::toMap(washington)) == washington);  // what FaceLead saved loads as saved

    auto edited = admin::toMap(washington);
    edited["admin.password_min_length"] = "2";
    edited["admin.licence_seats"] = "many";
    const auto stored = admin::fromStored(edited);
    CHECK(stored.passwordMinLength == AgencySettings{}.passwordMinLength);
    CHECK(stored.licenceSeats == AgencySettings{}.licenceSeats);
    CHECK(stored.policyPack == washington.policyPack);
    CHECK(stored.inactivityDays == 60);
    CHECK(admin::fromStored({{"admin.policy_pack", "no-such-pack"}}) == AgencySettings{});

    const auto changes = admin::diff(edited, stored);
    CHECK(std::ranges::any_of(changes, [](const admin::SettingChange& change) {
        return change.key == "admin.password_min_length" && change.oldValue == "2";
    }));
    CHECK(admin::diff(admin::toMap(washington), washington).empty());
}

TEST_CASE("Malformed or out-of-range settings are refused with the setting named", "[admin][settings]") {
    auto notNumber = admin::fromMap({{"admin.inactivity_days", "ninety"}});
    REQUIRE_FALSE(notNumber);
    CHECK(notNumber.error().code == ErrorCode::InvalidArgument);
    CHECK_THAT(notNumber.error().message, Catch::Contains("inactivity"));

    AgencySettings tooFewSeats;
    tooFewSeats.licenceSeats = 0;
    REQUIRE_FALSE(admin::validate(tooFewSeats));
    CHECK_THAT(admin::validate(tooFewSeats).error().message, Catch::Contains("seats"));

    AgencySettings noName;
    noName.agencyName.clear();
    CHECK_FALSE(admin::validate(noName));
}

TEST_CASE("Changing settings is audited with old and new values; only an administrator may", "[admin][settings]") {
    test::AccountabilityFixture fx;
    AgencySettings wanted;
    wanted.inactivityDays = 60;
    wanted.licenceSeats = 4;
    auto changes = admin::saveSettings(*fx.admin, wanted);
    REQUIRE(changes);
    REQUIRE(changes->size() == 2);

    auto loaded = admin::loadSettings(fx.store());
    REQUIRE(loaded);
    CHECK(*loaded == wanted);

    audit::AuditFilter filter;
    filter.action = "settings.changed";
    auto entries = audit::AuditLog::list(fx.store(), filter);
    REQUIRE(entries);
    REQUIRE(entries->size() == 1);
    const auto details = nlohmann::json::parse(entries->front().detailsJson);
    bool sawInactivity = false;
    for (const auto& change : details["changes"])
        if (change["key"] == "admin.inactivity_days") {
            CHECK(change["old"] == "90");
            CHECK(change["new"] == "60");
            sawInactivity = true;
        }
    CHECK(sawInactivity);

    SECTION("saving the same values writes and audits nothing") {
        auto again = admin::saveSettings(*fx.admin, wanted);
        REQUIRE(again);
        CHECK(again->empty());
        CHECK(audit::AuditLog::list(fx.store(), filter)->size() == 1);
    }
    SECTION("an investigator may not change settings") {
        fx.addActiveUser("ivan", {workflow::Role::Investigator});
        auto ivan = fx.signIn("ivan");
        REQUIRE(ivan);
        AgencySettings other = wanted;
        other.licenceSeats = 50;
        auto refused = admin::saveSettings(*ivan, other);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::PermissionDenied);
        CHECK(admin::loadSettings(ivan->store())->licenceSeats == 4);
    }
}

TEST_CASE("The second-factor requirement is a program administrator's audited setting", "[admin][settings][second-factor]") {
    test::AccountabilityFixture fx;
    CHECK_FALSE(AgencySettings{}.secondFactorRequired);  // optional: off until the agency turns it on
    CHECK_FALSE(admin::fromMap({{"admin.second_factor_required", "yes"}}));
    AgencySettings wanted;
    wanted.secondFactorRequired = true;
    // A supervisor (the deputy) is not a program administrator: refused, and the refusal audited.
    CHECK(admin::saveSettings(*fx.deputy, wanted).error().code == ErrorCode::PermissionDenied);
    CHECK_FALSE(admin::loadSettings(fx.store())->secondFactorRequired);
    auto changes = admin::saveSettings(*fx.admin, wanted);
    REQUIRE(changes);
    REQUIRE(changes->size() == 1);
    CHECK(changes->front().key == "admin.second_factor_required");
    CHECK(changes->front().newValue == "1");
    CHECK(admin::loadSettings(fx.store())->secondFactorRequired);
    auto audited = audit::AuditLog::list(fx.store(), {.action = "settings.changed"});
    REQUIRE(audited->size() == 1);
    CHECK(audited->front().detailsJson.find("admin.second_factor_required") != std::string::npos);
    // Now a password alone no longer signs in (accounts/SecondFactor.h; the flows are tested in unit_accounts).
    auto deputy = fx.signIn("deputy");
    REQUIRE_FALSE(deputy);
    CHECK(deputy.error().code == ErrorCode::SecondFactorEnrolmentRequired);
}

TEST_CASE("Agency settings feed the search gate's policy and the sign-in policy", "[admin][settings]") {
    AgencySettings settings;
    settings.trainingValidityDays = 365;
    settings.defaultCandidateListSize = 25;
    settings.passwordMinLength = 14;
    settings.lockoutMaxAttempts = 3;
    const auto policy = admin::policySettings(settings);
    REQUIRE(policy.trainingValidity);
    CHECK(policy.trainingValidity->count() == 365);
    CHECK(policy.defaultCandidateLimit == 25);
    settings.trainingValidityDays = 0;
    CHECK_FALSE(admin::policySettings(settings).trainingValidity);
    const auto security = admin::securityPolicy(settings);
    CHECK(security.minPasswordLength == 14);
    CHECK(security.maxFailedSignIns == 3);
}

// Issue 8 item 1: the agency's rules apply whoever the caller is. The lockout count reaches the key file, so
// a caller with its own defaults (the CLI, a script) is locked out after the agency's count; the password
// rules (length, mixed characters) are applied by the core to every session signed in under them.
TEST_CASE("The agency's lockout count and password rules apply to every caller", "[admin][settings]") {
    test::AccountabilityFixture fx;
    fx.addActiveUser("ivan", {workflow::Role::Investigator});
    AgencySettings strict;
    strict.lockoutMaxAttempts = 2;
    strict.passwordMinLength = 16;
    strict.passwordRequireMixed = true;
    REQUIRE(admin::saveSettings(*fx.admin, strict));

    accounts::SecurityPolicy callerDefaults = fx.policy;  // 5 attempts: the caller does not know the rule
    REQUIRE(callerDefaults.maxFailedSignIns == 5);
    CHECK(accounts::signIn(fx.storePath, "ivan", "wrong password", fx.clock, callerDefaults).error().code ==
          ErrorCode::WrongCredentials);
    CHECK(accounts::signIn(fx.storePath, "ivan", "wrong password", fx.clock, callerDefaults).error().code ==
          ErrorCode::AccountLocked);  // the agency's second failure locks
    CHECK(accounts::signIn(fx.storePath, "ivan", test::kPassword, fx.clock, callerDefaults).error().code ==
          ErrorCode::AccountLocked);

    auto admin = admin::signIn(fx.storePath, "admin", test::kPassword, fx.clock, callerDefaults);
    REQUIRE(admin);
    CHECK(admin->policy().maxFailedSignIns == 2);
    CHECK(admin->policy().requireMixedCharacters);
    accounts::AccountService accounts(*admin);
    CHECK(accounts.addUser({"nina", "Nina", {workflow::Role::Investigator}}, "onlylettersandmore").error().code ==
          ErrorCode::PasswordTooWeak);  // 18 letters, no digit or symbol
    CHECK(accounts.addUser({"nina", "Nina", {workflow::Role::Investigator}}, "short 1").error().code ==
          ErrorCode::PasswordTooWeak);
    CHECK(accounts.addUser({"nina", "Nina", {workflow::Role::Investigator}}, "long enough, and mixed 7").ok());
}
