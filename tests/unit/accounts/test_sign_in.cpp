// Sign-in (CJIS-style): same answer for a wrong name and a wrong password, lockout after five failures
// that survives restarts and expires, failures carried into the audit log, inactive accounts refused.

#include <catch2/catch.hpp>

#include "core/accounts/AccountService.h"
#include "core/audit/AuditLog.h"
#include "core/common/Hash.h"
#include "tests/support/CliRun.h"
#include "tests/unit/store/StoreTestSupport.h"

using namespace facelead;
using audit::AuditLog;

TEST_CASE("the first administrator is active, approved by the system, and bootstraps accounts", "[accounts]") {
    test::StoreFixture fixture;
    const auto& admin = fixture.session->user();
    CHECK(admin.username == "admin");
    CHECK(admin.displayName == "Ada Admin");
    CHECK(admin.isActive());
    CHECK(admin.hasRole(workflow::Role::ProgramAdministrator));
    CHECK(admin.hasRole(workflow::Role::Supervisor));
    CHECK(admin.approvedAt.has_value());
    CHECK_FALSE(admin.approvedBy.has_value());
    CHECK_FALSE(fixture.recoveryKey.empty());
    auto events = AuditLog::list(fixture.session->store());
    REQUIRE(events->size() == 3);
    CHECK((*events)[0].action == "store.created");
    CHECK((*events)[1].action == "user.created");
    CHECK((*events)[1].detailsJson.find("system at creation") != std::string::npos);
    // The recovery slot's signing key, certified by the first administrator (docs/SECURITY.md).
    CHECK((*events)[2].action == AuditLog::kKeyCertified);
    CHECK((*events)[2].detailsJson.find("(recovery)") != std::string::npos);
}

TEST_CASE("a weak administrator password or a bad name creates nothing", "[accounts]") {
    test::TempDir dir;
    auto clock = std::make_shared<test::FakeClock>();
    auto weak = accounts::createStore(dir / "a.store", "admin", "Ada", "short", clock, test::fastPolicy());
    CHECK(weak.error().code == ErrorCode::PasswordTooWeak);
    auto named = accounts::createStore(dir / "a.store", "ad min", "Ada", test::kAdminPassword, clock,
                                       test::fastPolicy());
    CHECK(named.error().code == ErrorCode::InvalidArgument);
    CHECK_FALSE(std::filesystem::exists(dir / "a.store"));
    CHECK_FALSE(std::filesystem::exists(dir / "a.store.keys"));
}

TEST_CASE("a wrong password and an unknown name get the same answer; both reach the audit log", "[accounts]") {
    test::StoreFixture fixture;
    fixture.session.reset();
    auto wrongPassword = fixture.signIn("admin", "not the password");
    auto unknownName = fixture.signIn("nobody", test::kAdminPassword);
    REQUIRE_FALSE(wrongPassword.ok());
    REQUIRE_FALSE(unknownName.ok());
    CHECK(wrongPassword.error().code == ErrorCode::WrongCredentials);
    CHECK(unknownName.error().code == ErrorCode::WrongCredentials);
    CHECK(wrongPassword.error().message == unknownName.error().message);

    fixture.clock->advance(std::chrono::seconds(5));
    auto session = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(session.ok());
    auto& store = session->store();
    auto failures = AuditLog::list(store, {.action = "signin.failed"});
    REQUIRE(failures->size() == 2);
    CHECK((*failures)[0].username == "admin");
    CHECK((*failures)[0].userId == session->userId());
    CHECK((*failures)[1].username == "unknown name");  // never the name as typed, nor anything derived from it
    CHECK_FALSE((*failures)[1].userId.has_value());
    CHECK(AuditLog::list(store, {.action = "signin.succeeded"})->size() == 1);
    CHECK(session->user().lastActivityAt == fixture.clock->now());
    CHECK(store.pendingEvents()->empty());
    CHECK(AuditLog::verify(store)->intact());
}

TEST_CASE("five failures lock the account for fifteen minutes, across restarts", "[accounts][lockout]") {
    test::StoreFixture fixture;
    fixture.session.reset();
    for (int attempt = 1; attempt <= 4; ++attempt)
        CHECK(fixture.signIn("admin", "wrong " + std::to_string(attempt)).error().code == ErrorCode::WrongCredentials);
    CHECK(fixture.signIn("admin", "wrong 5").error().code == ErrorCode::AccountLocked);
    // Locked: even the right password is refused (every call re-reads the key file, as a restart would).
    fixture.clock->advance(std::chrono::minutes(14));
    auto refused = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::AccountLocked);
    CHECK(refused.error().message.find("locked") != std::string::npos);

    fixture.clock->advance(std::chrono::minutes(1) + std::chrono::seconds(1));
    auto session = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(session.ok());
    auto& store = session->store();
    CHECK(AuditLog::list(store, {.action = "signin.failed"})->size() == 5);
    CHECK(AuditLog::list(store, {.action = "account.locked"})->size() == 1);
    CHECK(AuditLog::list(store, {.action = "signin.refused_locked"})->size() == 1);
}

TEST_CASE("a success resets the failure count; an expired lockout starts counting afresh", "[accounts][lockout]") {
    test::StoreFixture fixture;
    fixture.session.reset();
    for (int attempt = 0; attempt < 4; ++attempt) (void)fixture.signIn("admin", "wrong");
    REQUIRE(fixture.signIn("admin", test::kAdminPassword).ok());
    for (int attempt = 0; attempt < 4; ++attempt)
        CHECK(fixture.signIn("admin", "wrong").error().code == ErrorCode::WrongCredentials);
    CHECK(fixture.signIn("admin", "wrong").error().code == ErrorCode::AccountLocked);
    fixture.clock->advance(std::chrono::minutes(16));
    CHECK(fixture.signIn("admin", "wrong").error().code == ErrorCode::WrongCredentials);
}

TEST_CASE("the lockout threshold and duration are configuration", "[accounts][lockout]") {
    test::StoreFixture fixture;
    fixture.session.reset();
    fixture.policy.maxFailedSignIns = 2;
    fixture.policy.lockoutDuration = std::chrono::minutes(1);
    CHECK(fixture.signIn("admin", "wrong").error().code == ErrorCode::WrongCredentials);
    CHECK(fixture.signIn("admin", "wrong").error().code == ErrorCode::AccountLocked);
    fixture.clock->advance(std::chrono::seconds(61));
    CHECK(fixture.signIn("admin", test::kAdminPassword).ok());
}

TEST_CASE("the recovery key sets a new password for a locked-out administrator", "[accounts][recovery]") {
    test::StoreFixture fixture;
    fixture.session.reset();
    for (int attempt = 0; attempt < 5; ++attempt) (void)fixture.signIn("admin", "forgotten");
    REQUIRE(fixture.signIn("admin", test::kAdminPassword).error().code == ErrorCode::AccountLocked);

    auto wrongKey = accounts::recoverWithRecoveryKey(fixture.path, "aaaa-bbbb", "admin", "a brand new password",
                                                     fixture.clock, fixture.policy);
    CHECK(wrongKey.error().code == ErrorCode::WrongCredentials);

    auto recovered = accounts::recoverWithRecoveryKey(fixture.path, fixture.recoveryKey, "admin",
                                                      "a brand new password", fixture.clock, fixture.policy);
    REQUIRE(recovered.ok());
    CHECK(AuditLog::list(recovered->store(), {.action = "account.recovered"})->size() == 1);
    recovered = makeError(ErrorCode::Cancelled, "closed");
    auto signedIn = fixture.signIn("admin", "a brand new password");
    REQUIRE(signedIn.ok());
    auto report = AuditLog::verify(signedIn->store());  // the recovery slot certified the new key
    REQUIRE(report.ok());
    INFO(report->describe());
    CHECK(report->intact());
    CHECK(fixture.signIn("admin", test::kAdminPassword).error().code == ErrorCode::WrongCredentials);
}

// Issue 8 item 5: a password typed into the user-name field never reaches a file in clear. A name that
// belongs to no account is recorded as "unknown name", in the key file's pending events and then in the
// audit log: no digest of it either, which would let an insider test guesses offline without Argon2id.
TEST_CASE("user names that look like passwords never reach a file", "[accounts][secrets]") {
    test::StoreFixture fixture;
    fixture.session.reset();
    const std::string typedPassword = "Summer2026Secret";  // a plausible user name, and a password
    REQUIRE_FALSE(fixture.signIn(typedPassword, "anything").ok());
    REQUIRE_FALSE(fixture.signIn(typedPassword, "anything else").ok());
    const auto keyFile = fixture.path.string() + ".keys";
    CHECK_FALSE(test::contains(test::fileBytes(keyFile), typedPassword));
    CHECK_FALSE(test::contains(test::fileBytes(keyFile), sha256Hex(typedPassword).substr(0, 6)));

    auto session = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(session.ok());
    auto failures = AuditLog::list(session->store(), {.action = "signin.failed"});
    REQUIRE(failures->size() == 2);
    CHECK((*failures)[0].username == (*failures)[1].username);
    // Nothing derived from the text typed (a digest would be an offline filter for guessing the password).
    CHECK((*failures)[0].username == "unknown name");
    const auto everything = AuditLog::list(session->store());
    REQUIRE(everything.ok());
    for (const auto& entry : *everything) {
        CHECK(entry.username.find(typedPassword) == std::string::npos);
        CHECK(entry.detailsJson.find(typedPassword) == std::string::npos);
    }
    CHECK_FALSE(test::contains(test::fileBytes(keyFile), typedPassword));  // cleared pending events too
}

// Issue 8 item 5: a damaged slot reads as damage, not as a wrong password, and never locks anyone out.
TEST_CASE("damaged key slot: 'damaged key file', not counted toward lockout",
          "[accounts][damaged_key_slot]") {
    test::StoreFixture fixture;
    fixture.session.reset();
    const auto keys = fixture.path.string() + ".keys";
    std::string text = test::readText(keys);
    const auto slots = text.find("\"slots\"");
    const auto at = text.find("\"opslimit\": ", slots);
    text.replace(at, text.find(',', at) - at, "\"opslimit\": 4000000000");  // would hang Argon2id for hours
    test::writeBytes(keys, {text.begin(), text.end()});
    for (int attempt = 0; attempt < 6; ++attempt) {
        auto refused = fixture.signIn("admin", test::kAdminPassword);
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == ErrorCode::KeyFileCorrupt);
        CHECK(refused.error().message.find("damaged") != std::string::npos);
        CHECK(refused.error().message.find("not a wrong password") != std::string::npos);
    }
    auto file = store::loadKeyFile(keys);
    REQUIRE(file.ok());
    CHECK(file->findSlot("admin")->failedAttempts == 0);
    CHECK_FALSE(file->findSlot("admin")->lockedUntil.has_value());
}

TEST_CASE("an unconfirmed recovery key is offered again to its creator only, until confirmed", "[accounts][recovery]") {
    // Issue 9 item 7: a workstation killed while the key was shown must not lose it for good.
    test::StoreFixture fixture;
    auto shown = accounts::unconfirmedRecoveryKey(*fixture.session);
    REQUIRE(shown);
    REQUIRE(shown->has_value());
    CHECK(**shown == fixture.recoveryKey);
    fixture.session.reset();  // killed before "I have written it down"

    auto again = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(again);
    auto offered = accounts::unconfirmedRecoveryKey(*again);
    REQUIRE(offered);
    CHECK(offered->value_or("") == fixture.recoveryKey);  // the same key: it still opens the store
    // A password change gives the creator a new key pair: the key is sealed again to it (trial 61 F1).
    REQUIRE(accounts::AccountService(*again).changePassword(test::kAdminPassword, "a new horse for the battery"));
    offered = accounts::unconfirmedRecoveryKey(*again);
    REQUIRE(offered);
    CHECK(offered->value_or("") == fixture.recoveryKey);
    REQUIRE(accounts::AccountService(*again).changePassword("a new horse for the battery", test::kAdminPassword));
    fixture.session = std::make_unique<accounts::Session>(std::move(*again));
    auto& other = fixture.approver();  // another account: never sees the creator's key
    auto notTheirs = accounts::unconfirmedRecoveryKey(other);
    REQUIRE(notTheirs);
    CHECK_FALSE(notTheirs->has_value());

    REQUIRE(accounts::confirmRecoveryKey(*fixture.session));
    auto afterConfirm = accounts::unconfirmedRecoveryKey(*fixture.session);
    REQUIRE(afterConfirm);
    CHECK_FALSE(afterConfirm->has_value());
    auto confirmed = audit::AuditLog::list(fixture.session->store(), {.action = "store.recovery_key_confirmed"});
    REQUIRE(confirmed);
    CHECK(confirmed->size() == 1);
    // Still the working recovery key after all this.
    fixture.session.reset();
    CHECK(accounts::recoverWithRecoveryKey(fixture.path, fixture.recoveryKey, "admin", "a brand new password 2",
                                           fixture.clock, fixture.policy));
}
