// The second factor through the real facelead-cli (issue 8 item 4, CJIS 5.6): once a program administrator
// turns the agency setting on, a password alone no longer signs in; an account without a factor is shown its
// enrolment (otpauth URI, recovery codes); --otp CODE or a code on standard input signs in; a code is never
// accepted twice; a recovery code works once; an administrator resets a lost factor.

#include <catch2/catch.hpp>


#include <memory>
#include <string>

#include "core/accounts/SecondFactor.h"
#include "core/admin/Administration.h"
#include "core/audit/AuditLog.h"
#include "tests/support/AuthenticatorApp.h"
#include "tests/support/CliRun.h"

using namespace facelead;
using facelead::test::authenticatorCode;
using facelead::test::cli;

namespace {

const std::string kPassword = "first long secret 4 admin";

// The clock of the enrolment: a minute in the past, so that its code's time step is older than the codes
// the CLI is given right after (a step is never accepted twice).
class MinuteAgo final : public Clock {
public:
    TimePoint now() const override { return std::chrono::system_clock::now() - std::chrono::minutes(1); }
};

accounts::SecurityPolicy fastPolicy() {
    accounts::SecurityPolicy policy;
    policy.kdf = store::KdfParams::minimum();
    return policy;
}

}  // namespace

TEST_CASE("facelead-cli: the agency's second factor at sign-in, --otp, recovery codes, reset",
          "[cli][second-factor]") {
    facelead::test::TempDir dir;
    const auto store = dir / "agency.store";
    auto as = [&](std::vector<std::string> words) {
        words.insert(words.end(), {"--store", store.string(), "--user", "chief"});
        return words;
    };
    {
        auto created = accounts::createStore(store, "chief", "Chief Clerk", kPassword,
                                             std::make_shared<SystemClock>(), fastPolicy());
        REQUIRE(created.ok());
        auto settings = admin::loadSettings(created->session.store());
        REQUIRE(settings.ok());
        settings->secondFactorRequired = true;
        auto saved = admin::saveSettings(created->session, *settings);  // program administrator, audited
        REQUIRE(saved.ok());
        REQUIRE(saved->size() == 1);
        CHECK(saved->front().key == accounts::kSecondFactorRequiredSetting);
    }

    // A password alone: the CLI shows the enrolment, then wants the confirming code (none given here).
    auto enrolmentShown = cli(dir, as({"user", "list"}), kPassword + "\n");
    INFO(enrolmentShown.err);
    CHECK(enrolmentShown.exitCode == 1);
    CHECK(enrolmentShown.err.find("otpauth://totp/FaceLead:chief?secret=") != std::string::npos);
    CHECK(enrolmentShown.err.find("Recovery codes") != std::string::npos);
    CHECK(enrolmentShown.out.empty());

    // Enrolled (as the CLI would with the code typed): through the core, with the app's code.
    auto enrolment = accounts::newEnrolment("chief");
    REQUIRE(enrolment.ok());
    auto clock = std::make_shared<MinuteAgo>();
    auto enrolled = accounts::signIn(store, "chief", kPassword, clock, fastPolicy(),
                                     {authenticatorCode(enrolment->secret, clock->now()), *enrolment});
    REQUIRE(enrolled.ok());
    enrolled = makeError(ErrorCode::Cancelled, "closed");

    auto noCode = cli(dir, as({"user", "list"}), kPassword + "\n");
    CHECK(noCode.exitCode == 1);
    CHECK(noCode.err.find("no code given") != std::string::npos);
    CHECK(noCode.out.empty());

    const std::string code = authenticatorCode(enrolment->secret, std::chrono::system_clock::now());
    auto withOtp = cli(dir, as({"user", "list", "--otp", code}), kPassword + "\n");
    INFO(withOtp.err);
    CHECK(withOtp.exitCode == 0);
    CHECK(withOtp.out.find("chief") != std::string::npos);

    auto replay = cli(dir, as({"user", "list", "--otp", code}), kPassword + "\n");
    CHECK(replay.exitCode == 1);
    CHECK(replay.err.find("wrong_second_factor") != std::string::npos);

    // A recovery code typed on standard input, once.
    auto recovery = cli(dir, as({"user", "list"}), kPassword + "\n" + enrolment->recoveryCodes[0] + "\n");
    INFO(recovery.err);
    CHECK(recovery.exitCode == 0);
    CHECK(cli(dir, as({"user", "list"}), kPassword + "\n" + enrolment->recoveryCodes[0] + "\n").exitCode == 1);

    auto reset = cli(dir, as({"user", "reset-second-factor", "chief", "--reason", "lost phone", "--otp",
                              enrolment->recoveryCodes[1]}),
                     kPassword + "\n");
    INFO(reset.err);
    CHECK(reset.exitCode == 0);
    auto again = cli(dir, as({"user", "list"}), kPassword + "\n");
    CHECK(again.err.find("otpauth://") != std::string::npos);  // enrols anew

    // Everything is in the audit log: the failures with their reason, the enrolment, the codes, the reset.
    auto enrolment2 = accounts::newEnrolment("chief");
    auto session = accounts::signIn(store, "chief", kPassword, clock, fastPolicy(),
                                    {authenticatorCode(enrolment2->secret, clock->now()), *enrolment2});
    REQUIRE(session.ok());
    auto& opened = session->store();
    using audit::AuditLog;
    CHECK(AuditLog::list(opened, {.action = "settings.changed"})->size() == 1);
    CHECK(AuditLog::list(opened, {.action = "second_factor.enrolled"})->size() == 2);
    CHECK(AuditLog::list(opened, {.action = "second_factor.recovery_code_used"})->size() == 2);
    CHECK(AuditLog::list(opened, {.action = "second_factor.reset"})->size() == 1);
    auto failed = AuditLog::list(opened, {.action = "signin.failed"});
    REQUIRE(failed->size() == 2);  // the replay and the spent recovery code
    for (const auto& entry : *failed) CHECK(entry.detailsJson.find("second factor") != std::string::npos);
    CHECK(AuditLog::verify(opened)->intact());
}

TEST_CASE("trial 66 F3: a second factor and a longer password turned on in entries an older copy put back lost "
          "stay on, and are said to, until a program administrator saves the settings again",
          "[cli][second-factor][rollback]") {
    namespace fs = std::filesystem;
    facelead::test::TempDir dir;
    const auto store = dir / "agency.store";
    const auto older = dir / "older.store";
    const auto putInPlace = [](const fs::path& from, const fs::path& to) {
        for (const char* suffix : {"", ".keys"})
            fs::copy_file(from.string() + suffix, to.string() + suffix, fs::copy_options::overwrite_existing);
        for (const char* suffix : {"-wal", "-shm"}) fs::remove(to.string() + suffix);
    };
    REQUIRE(accounts::createStore(store, "chief", "Chief Clerk", kPassword, std::make_shared<SystemClock>(),
                                  fastPolicy())
                .ok());
    putInPlace(store, older);  // the backup, taken before the agency tightened its settings
    {
        auto session = accounts::signIn(store, "chief", kPassword, std::make_shared<SystemClock>(), fastPolicy());
        REQUIRE(session.ok());
        auto settings = admin::signedSettings(*session);
        REQUIRE(settings.ok());
        settings->secondFactorRequired = true;
        settings->passwordMinLength = 20;
        settings->agencyName = "Dade County PD";
        REQUIRE(admin::saveSettings(*session, *settings).ok());
    }
    putInPlace(older, store);

    // The core holds the lost change: a password alone does not sign in, through the core or the CLI.
    auto passwordOnly = accounts::signIn(store, "chief", kPassword, std::make_shared<SystemClock>(), fastPolicy());
    REQUIRE_FALSE(passwordOnly.ok());
    CHECK(passwordOnly.error().code == ErrorCode::SecondFactorEnrolmentRequired);
    CHECK(cli(dir, {"user", "list", "--store", store.string(), "--user", "chief"}, kPassword + "\n")
              .err.find("otpauth://") != std::string::npos);

    auto enrolment = accounts::newEnrolment("chief");
    REQUIRE(enrolment.ok());
    auto clock = std::make_shared<MinuteAgo>();
    auto session = accounts::signIn(store, "chief", kPassword, clock, fastPolicy(),
                                    {authenticatorCode(enrolment->secret, clock->now()), *enrolment});
    REQUIRE(session.ok());
    const auto& warnings = session->warnings();
    CHECK(std::any_of(warnings.begin(), warnings.end(), [](const std::string& warning) {
        // Every setting held, not only the first (trial 70 F5).
        return warning.starts_with("Agency settings were changed in audit entries this store no longer holds") &&
               warning.find("the stricter of the two") != std::string::npos &&
               warning.find(accounts::kSecondFactorRequiredSetting) != std::string::npos &&
               warning.find("admin.password_min_length") != std::string::npos;
    }));
    // Each held to the stricter value; one with no stricter side (the agency's name) keeps the store's.
    auto held = admin::signedSettings(*session);
    REQUIRE(held.ok());
    CHECK(held->secondFactorRequired);
    CHECK(held->passwordMinLength == 20);
    CHECK(held->agencyName != "Dade County PD");
    // Saved again as the form shows them: signed, and the store agrees with its log once more.
    REQUIRE(admin::saveSettings(*session, *held).ok());
    REQUIRE(session->refreshUser().ok());
    auto differences = session->ledger().compareSettings(session->store());
    REQUIRE(differences.ok());
    CHECK(differences->empty());
    CHECK_FALSE(session->ledger().settingsHeldByAnchor());
}
