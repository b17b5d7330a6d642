// The second factor (CJIS 5.6, AAL2; core/accounts/SecondFactor.h): TOTP verified as RFC 6238 says, codes
// never accepted twice, recovery codes used once, wrong codes counted toward the lockout, enrolment before
// the session exists, the secret unreadable with the database key alone. The clock is a FakeClock.

#include <catch2/catch.hpp>

#include <sodium.h>

#include <algorithm>

#include <set>

#include <nlohmann/json.hpp>

#include "core/accounts/AccountService.h"
#include "core/accounts/SecondFactor.h"
#include "core/accounts/SignedLockout.h"
#include "core/common/Hash.h"
#include "core/store/KeyFile.h"
#include "core/audit/AuditLog.h"
#include "tests/support/AuthenticatorApp.h"
#include "tests/unit/store/StoreTestSupport.h"

using namespace facelead;
using accounts::SecondFactorInput;
using audit::AuditLog;
using test::authenticatorCode;

namespace {

TimePoint unixTime(std::int64_t seconds) { return TimePoint(std::chrono::seconds(seconds)); }

std::vector<std::uint8_t> bytesOf(std::string_view text) { return {text.begin(), text.end()}; }

// As admin::saveSettings writes it (this library sits below admin): the row and its signed change, in one
// transaction; a row alone is an edit outside FaceLead that audit verify names (trial 20A F5).
void requireSecondFactor(accounts::Session& session, bool on) {
    auto set = session.store().transact([&](store::Transaction& tx) -> Result<void> {
        const std::string value = on ? "1" : "0";
        FACELEAD_TRY(tx.store().setSetting(tx, accounts::kSecondFactorRequiredSetting, value));
        const nlohmann::json change{{"key", accounts::kSecondFactorRequiredSetting}, {"old", on ? "0" : "1"}, {"new", value}};
        auto logged = AuditLog::append(tx, {session.userId(), "settings.changed", "settings", "",
                                            nlohmann::json{{"changes", nlohmann::json::array({change})}}.dump()});
        if (!logged) return logged.error();
        return {};
    });
    REQUIRE(set.ok());
}

// The administrator turns the rule on, signs out, and enrols at the next sign-in. Returns the enrolment.
accounts::SecondFactorEnrolment enrolAdmin(test::StoreFixture& fixture) {
    requireSecondFactor(*fixture.session, true);
    fixture.session.reset();
    auto refused = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(refused.error().code == ErrorCode::SecondFactorEnrolmentRequired);
    auto enrolment = accounts::newEnrolment("admin");
    REQUIRE(enrolment.ok());
    SecondFactorInput input{authenticatorCode(enrolment->secret, fixture.clock->now()), *enrolment};
    auto session = accounts::signIn(fixture.path, "admin", test::kAdminPassword, fixture.clock, fixture.policy, input);
    REQUIRE(session.ok());
    fixture.clock->advance(std::chrono::seconds(accounts::kTotpStepSeconds));  // the enrolment code is spent
    return *enrolment;
}

Result<accounts::Session> signInWithCode(test::StoreFixture& fixture, const std::string& code) {
    return accounts::signIn(fixture.path, "admin", test::kAdminPassword, fixture.clock, fixture.policy,
                            SecondFactorInput{code, std::nullopt});
}

// Signs admin in with the code the authenticator app shows now.
Result<accounts::Session> signInNow(test::StoreFixture& fixture, const accounts::SecondFactorEnrolment& enrolment) {
    return signInWithCode(fixture, authenticatorCode(enrolment.secret, fixture.clock->now()));
}

// An insider holding the database key runs `sql` on the store (here through admin's own session, closed after).
void editOutsideFaceLead(test::StoreFixture& fixture, const accounts::SecondFactorEnrolment& enrolment,
                         const std::string& sql) {
    auto session = signInNow(fixture, enrolment);
    REQUIRE(session.ok());
    REQUIRE(session->store().exec(sql).ok());
}

}  // namespace

TEST_CASE("TOTP verification follows the RFC 6238 test vectors (SHA-1)", "[accounts][second-factor]") {
    const auto secret = bytesOf("12345678901234567890");  // RFC 6238 appendix B
    const struct {
        std::int64_t time;
        const char* code;
        std::int64_t step;
    } vectors[] = {{59, "94287082", 1},           {1111111109, "07081804", 37037036},
                   {1111111111, "14050471", 37037037}, {1234567890, "89005924", 41152263},
                   {2000000000, "69279037", 66666666}};  // the last vector (year 2603) is beyond a
                                                          // system_clock time point (int64 nanoseconds)
    for (const auto& vector : vectors) {
        INFO(vector.time);
        CHECK(accounts::totp::matchingStep(secret, vector.code, unixTime(vector.time)) == vector.step);
        // The 6-digit code an app shows is the same value's last six digits.
        CHECK(accounts::totp::matchingStep(secret, std::string(vector.code).substr(2), unixTime(vector.time)) ==
              vector.step);
    }
    // One step either side is accepted (clock drift), two are not.
    CHECK(accounts::totp::matchingStep(secret, "94287082", unixTime(59 + 30)) == 1);
    CHECK_FALSE(accounts::totp::matchingStep(secret, "94287082", unixTime(59 + 90)));
    CHECK_FALSE(accounts::totp::matchingStep(secret, "94287083", unixTime(59)));
    CHECK_FALSE(accounts::totp::matchingStep(secret, "9428708a", unixTime(59)));
    CHECK_FALSE(accounts::totp::matchingStep(secret, "", unixTime(59)));
}

TEST_CASE("enrolment material: base32 secret, otpauth URI, QR matrix, ten distinct recovery codes",
          "[accounts][second-factor]") {
    CHECK(accounts::totp::base32(bytesOf("12345678901234567890")) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    CHECK(accounts::totp::base32(bytesOf("f")) == "MY");  // RFC 4648 test vector, unpadded
    auto enrolment = accounts::newEnrolment("d.jones");
    REQUIRE(enrolment.ok());
    CHECK(enrolment->secret.size() == 20);
    CHECK(enrolment->uri.rfind("otpauth://totp/FaceLead:d.jones?secret=" + accounts::totp::base32(enrolment->secret), 0) == 0);
    CHECK(enrolment->uri.find("issuer=FaceLead") != std::string::npos);
    CHECK(enrolment->uri.find("digits=6") != std::string::npos);
    const auto& qr = enrolment->qr;
    REQUIRE(qr.size >= 21);
    CHECK((qr.size - 17) % 4 == 0);  // a QR version's size
    CHECK(qr.dark.size() == static_cast<std::size_t>(qr.size * qr.size));
    CHECK(qr.at(0, 0));  // the finder pattern's corners
    CHECK(qr.at(qr.size - 1, 0));
    CHECK_FALSE(qr.at(1, 1));
    const std::set<std::string> distinct(enrolment->recoveryCodes.begin(), enrolment->recoveryCodes.end());
    CHECK(distinct.size() == 10);
    CHECK(enrolment->recoveryCodes[0].size() == 19);  // xxxx-xxxx-xxxx-xxxx
    auto other = accounts::newEnrolment("d.jones");
    CHECK(other->secret != enrolment->secret);
}

TEST_CASE("when the agency requires it, a user without a factor enrols before getting a session",
          "[accounts][second-factor]") {
    test::StoreFixture fixture;
    requireSecondFactor(*fixture.session, true);
    fixture.session.reset();
    auto refused = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::SecondFactorEnrolmentRequired);

    auto enrolment = accounts::newEnrolment("admin");
    REQUIRE(enrolment.ok());
    SecondFactorInput wrong{"000000", *enrolment};
    if (authenticatorCode(enrolment->secret, fixture.clock->now()) == "000000") wrong.code = "111111";
    CHECK(accounts::signIn(fixture.path, "admin", test::kAdminPassword, fixture.clock, fixture.policy, wrong)
              .error().code == ErrorCode::WrongSecondFactor);

    SecondFactorInput right{authenticatorCode(enrolment->secret, fixture.clock->now()), *enrolment};
    auto session = accounts::signIn(fixture.path, "admin", test::kAdminPassword, fixture.clock, fixture.policy, right);
    REQUIRE(session.ok());
    auto& store = session->store();
    CHECK(AuditLog::list(store, {.action = "second_factor.enrolled"})->size() == 1);
    CHECK(AuditLog::list(store, {.action = "signin.succeeded"})->size() == 1);  // the refused attempts got none
    auto failed = AuditLog::list(store, {.action = "signin.failed"});
    REQUIRE(failed->size() == 1);
    CHECK((*failed)[0].detailsJson.find("second factor") != std::string::npos);
    CHECK(AuditLog::verify(store)->intact());
}

TEST_CASE("the agency's rule as a program administrator signed it: a '0' written into the settings table switches "
          "nothing off (trial 28 N1)", "[accounts][second-factor][insider]") {
    test::StoreFixture fixture;
    enrolAdmin(fixture);
    auto session = signInWithCode(fixture, "");
    REQUIRE_FALSE(session.ok());
    CHECK(session.error().code == ErrorCode::SecondFactorRequired);
    // The insider's edit, with the database key: the row alone.
    auto insider = store::Store::open(fixture.path, "admin", test::kAdminPassword, fixture.clock,
                                      fixture.policy.storeOptions());
    REQUIRE(insider.ok());
    REQUIRE((*insider)->exec("UPDATE settings SET value = '0' WHERE key = 'admin.second_factor_required'").ok());
    insider->reset();
    CHECK(signInWithCode(fixture, "").error().code == ErrorCode::SecondFactorRequired);
}

TEST_CASE("sign-in needs the code; a code is never accepted twice (replay)", "[accounts][second-factor]") {
    test::StoreFixture fixture;
    const auto enrolment = enrolAdmin(fixture);
    CHECK(signInWithCode(fixture, "").error().code == ErrorCode::SecondFactorRequired);
    const std::string code = authenticatorCode(enrolment.secret, fixture.clock->now());
    CHECK(signInWithCode(fixture, code).ok());
    auto replay = signInWithCode(fixture, code);
    REQUIRE_FALSE(replay.ok());
    CHECK(replay.error().code == ErrorCode::WrongSecondFactor);
    // Within the window the previous step's code is refused too: it is older than the step just used.
    fixture.clock->advance(std::chrono::seconds(accounts::kTotpStepSeconds));
    CHECK(signInWithCode(fixture, code).error().code == ErrorCode::WrongSecondFactor);
    auto next = signInNow(fixture, enrolment);
    REQUIRE(next.ok());
    auto failures = AuditLog::list(next->store(), {.action = "signin.failed"});
    REQUIRE(failures->size() == 2);
    CHECK((*failures)[0].detailsJson.find("replay") != std::string::npos);
}

TEST_CASE("each recovery code works once, and its use is audited", "[accounts][second-factor]") {
    test::StoreFixture fixture;
    const auto enrolment = enrolAdmin(fixture);
    std::string typed = enrolment.recoveryCodes[3];
    std::transform(typed.begin(), typed.end(), typed.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
    auto first = signInWithCode(fixture, typed);  // case and dashes do not matter
    REQUIRE(first.ok());
    auto used = AuditLog::list(first->store(), {.action = "second_factor.recovery_code_used"});
    REQUIRE(used->size() == 1);
    CHECK((*used)[0].detailsJson.find("\"remaining\":9") != std::string::npos);
    CHECK(signInWithCode(fixture, enrolment.recoveryCodes[3]).error().code == ErrorCode::WrongSecondFactor);
    CHECK(signInWithCode(fixture, "AAAA-BBBB-CCCC-DDDD").error().code == ErrorCode::WrongSecondFactor);
    CHECK(signInWithCode(fixture, enrolment.recoveryCodes[4]).ok());
}

TEST_CASE("wrong codes count toward the lockout, even with the right password", "[accounts][second-factor][lockout]") {
    test::StoreFixture fixture;
    const auto enrolment = enrolAdmin(fixture);
    std::string wrong = "123456";
    if (wrong == authenticatorCode(enrolment.secret, fixture.clock->now())) wrong = "654321";
    // A success in between starts the count afresh.
    for (int attempt = 0; attempt < 4; ++attempt)
        CHECK(signInWithCode(fixture, wrong).error().code == ErrorCode::WrongSecondFactor);
    REQUIRE(signInNow(fixture, enrolment).ok());
    for (int attempt = 0; attempt < 4; ++attempt)
        CHECK(signInWithCode(fixture, wrong).error().code == ErrorCode::WrongSecondFactor);
    CHECK(signInWithCode(fixture, wrong).error().code == ErrorCode::AccountLocked);
    fixture.clock->advance(std::chrono::seconds(accounts::kTotpStepSeconds));
    // Locked: the right password and the right code are refused until the lockout ends.
    CHECK(signInNow(fixture, enrolment).error().code ==
          ErrorCode::AccountLocked);
    fixture.clock->advance(std::chrono::minutes(16));
    auto after = signInNow(fixture, enrolment);
    REQUIRE(after.ok());
    auto locked = AuditLog::list(after->store(), {.action = "account.locked"});
    REQUIRE(locked->size() == 1);
    CHECK((*locked)[0].detailsJson.find("second factor") != std::string::npos);
}

TEST_CASE("the agency's setting off: no code asked, the enrolled factor kept", "[accounts][second-factor]") {
    test::StoreFixture fixture;
    const auto enrolment = enrolAdmin(fixture);
    auto session = signInNow(fixture, enrolment);
    REQUIRE(session.ok());
    requireSecondFactor(*session, false);
    session = makeError(ErrorCode::Cancelled, "closed");
    CHECK(fixture.signIn("admin", test::kAdminPassword).ok());
}

TEST_CASE("the TOTP secret is sealed to the user's own key: the database key alone does not read it",
          "[accounts][second-factor][insider]") {
    test::StoreFixture fixture;
    const auto enrolment = enrolAdmin(fixture);
    auto session = signInNow(fixture, enrolment);
    REQUIRE(session.ok());
    // An insider with the database key reads the row: only a sealed blob, never the secret.
    auto row = session->store().prepare("SELECT second_factor_secret FROM users WHERE username = 'admin'");
    REQUIRE(row.ok());
    REQUIRE(*row->step());
    const auto sealed = row->getBlob(0);
    CHECK(sealed.size() > enrolment.secret.size());
    CHECK(std::search(sealed.begin(), sealed.end(), enrolment.secret.begin(), enrolment.secret.end()) == sealed.end());
    auto hashes = session->store().prepare("SELECT code_hash FROM second_factor_recovery_codes");
    REQUIRE(hashes.ok());
    while (*hashes->step())
        for (const auto& code : enrolment.recoveryCodes) CHECK(hashes->getText(0).find(code) == std::string::npos);
}

TEST_CASE("a program administrator resets a lost factor (audited); the user enrols again", "[accounts][second-factor]") {
    test::StoreFixture fixture;
    accounts::AccountService founder(*fixture.session);
    auto officer = founder.addUser({"officer", "Olly Officer", {workflow::Role::Investigator}}, "initial password of the new account");
    REQUIRE(officer.ok());
    accounts::AccountService deputy(fixture.approver());
    REQUIRE(deputy.approve(officer->id).ok());
    // Nobody but a program administrator resets a second factor; the refusal is audited.
    CHECK(deputy.resetSecondFactor(officer->id, "lost phone").error().code == ErrorCode::PermissionDenied);

    const auto enrolment = enrolAdmin(fixture);
    auto admin = signInNow(fixture, enrolment);
    REQUIRE(admin.ok());
    fixture.clock->advance(std::chrono::seconds(accounts::kTotpStepSeconds));
    auto reset = accounts::AccountService(*admin).resetSecondFactor(admin->userId(), "lost phone");
    REQUIRE(reset.ok());
    auto events = AuditLog::list(admin->store(), {.action = "second_factor.reset"});
    REQUIRE(events->size() == 1);
    CHECK(events->front().detailsJson.find("lost phone") != std::string::npos);
    admin = makeError(ErrorCode::Cancelled, "closed");
    CHECK(signInNow(fixture, enrolment).error().code ==
          ErrorCode::SecondFactorEnrolmentRequired);
}

TEST_CASE("trial 60 F3: a code used already is refused as such, and never counts toward the lockout",
          "[accounts][second-factor][lockout]") {
    test::StoreFixture fixture;
    const auto enrolment = enrolAdmin(fixture);
    const std::string code = authenticatorCode(enrolment.secret, fixture.clock->now());
    REQUIRE(signInWithCode(fixture, code).ok());
    // The owner's own next commands within the same 30 seconds: told to wait, never locked out.
    for (int attempt = 0; attempt < 6; ++attempt) {
        auto again = signInWithCode(fixture, code);
        REQUIRE_FALSE(again.ok());
        CHECK(again.error().code == ErrorCode::WrongSecondFactor);
        CHECK(again.error().message.find("used already") != std::string::npos);
    }
    fixture.clock->advance(std::chrono::seconds(accounts::kTotpStepSeconds));
    auto next = signInNow(fixture, enrolment);
    REQUIRE(next.ok());
    CHECK(AuditLog::list(next->store(), {.action = "account.locked"})->empty());
    CHECK(AuditLog::list(next->store(), {.action = "signin.failed"})->size() == 6);  // each one on record
}

TEST_CASE("trial 60 F2: each sign-in records how the second factor was met, and the step it took stays taken when "
          "the table's copy is set back", "[accounts][second-factor][insider]") {
    test::StoreFixture fixture;
    const auto enrolment = enrolAdmin(fixture);
    const std::string code = authenticatorCode(enrolment.secret, fixture.clock->now());
    auto session = signInWithCode(fixture, code);
    REQUIRE(session.ok());
    auto signIns = AuditLog::list(session->store(), {.action = "signin.succeeded"});
    const auto details = nlohmann::json::parse(signIns->back().detailsJson);
    CHECK(details.at("second_factor") == "totp");
    CHECK(details.at("totp_step").get<std::int64_t>() > 0);
    // An insider with the database key sets the newest accepted step back, to replay a code he captured.
    REQUIRE(session->store().exec("UPDATE users SET second_factor_last_step = 0 WHERE username = 'admin'").ok());
    session = makeError(ErrorCode::Cancelled, "closed");
    auto replay = signInWithCode(fixture, code);
    REQUIRE_FALSE(replay.ok());
    CHECK(replay.error().code == ErrorCode::WrongSecondFactor);
}

TEST_CASE("trial 60 F2: a secret removed or spoilt outside FaceLead refuses the sign-in: the password alone enrols "
          "no new factor", "[accounts][second-factor][insider]") {
    const char* edit = GENERATE("UPDATE users SET second_factor_secret = NULL WHERE username = 'admin'",
                                "UPDATE users SET second_factor_secret = x'00112233445566778899' WHERE username = 'admin'");
    INFO(edit);
    test::StoreFixture fixture;
    const auto enrolment = enrolAdmin(fixture);
    auto session = signInNow(fixture, enrolment);
    REQUIRE(session.ok());
    REQUIRE(session->store().exec(edit).ok());
    const auto named = accounts::secondFactorsRemoved(session->store());
    REQUIRE(named.ok());
    const bool removed = std::string(edit).find("NULL") != std::string::npos;
    // A removed secret is named by audit verify; a spoilt one (sealed to its owner) by the owner's sign-in only.
    REQUIRE(named->size() == (removed ? 1u : 0u));
    if (removed) CHECK(named->front().find("The account admin has no second factor") != std::string::npos);
    session = makeError(ErrorCode::Cancelled, "closed");
    fixture.clock->advance(std::chrono::seconds(accounts::kTotpStepSeconds));

    // Whoever holds the password is offered no enrolment, with or without one of his own ready.
    CHECK(signInWithCode(fixture, "").error().code == ErrorCode::IntegrityViolation);
    auto own = accounts::newEnrolment("admin");
    REQUIRE(own.ok());
    auto enrolled = accounts::signIn(fixture.path, "admin", test::kAdminPassword, fixture.clock, fixture.policy,
                                     SecondFactorInput{authenticatorCode(own->secret, fixture.clock->now()), *own});
    REQUIRE_FALSE(enrolled.ok());
    CHECK(enrolled.error().code == ErrorCode::IntegrityViolation);
    CHECK(enrolled.error().message.find("program administrator to reset") != std::string::npos);
}

TEST_CASE("trial 60 F5: a lockout the signed log recorded holds when the key file's lockout is cleared",
          "[accounts][lockout][insider]") {
    test::StoreFixture fixture;
    fixture.session.reset();
    for (int attempt = 0; attempt < fixture.policy.maxFailedSignIns; ++attempt)
        CHECK_FALSE(fixture.signIn("admin", "not the password at all").ok());
    CHECK(fixture.signIn("admin", test::kAdminPassword).error().code == ErrorCode::AccountLocked);
    // The insider clears the counter and the lock's end in the key file (they are outside the slot's checksum).
    REQUIRE(store::updateKeyFile(store::keyFilePath(fixture.path), [](store::KeyFile& file) {
                store::KeySlot* slot = file.findSlot("admin");
                slot->failedAttempts = 0;
                slot->lockedUntil.reset();
            }).ok());
    // The sign-in carries the queued lock into the log, and the lock holds as recorded.
    auto cleared = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE_FALSE(cleared.ok());
    CHECK(cleared.error().code == ErrorCode::AccountLocked);
    CHECK(cleared.error().message.find("signed audit log") != std::string::npos);
    fixture.clock->advance(std::chrono::minutes(16));
    auto after = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(after.ok());
    CHECK(AuditLog::list(after->store(), {.action = "signin.refused_locked"})->size() >= 2);
    auto inside = accounts::signInsWhileLocked(after->store());
    REQUIRE(inside.ok());
    CHECK(inside->empty());  // the lock was kept: nobody signed in inside it

    // A sign-in inside a recorded lock (a FaceLead from before this check, or a row written outside it) is named.
    auto written = after->store().transact([&](store::Transaction& tx) -> Result<void> {
        const std::string until = toIsoUtc(fixture.clock->now() + std::chrono::minutes(15));
        FACELEAD_TRY(AuditLog::append(tx, {after->userId(), "account.locked", "user", std::to_string(after->userId()),
                                           nlohmann::json{{"until", until}}.dump()}));
        fixture.clock->advance(std::chrono::seconds(1));
        FACELEAD_TRY(AuditLog::append(tx, {after->userId(), "signin.succeeded", "user", std::to_string(after->userId())}));
        return {};
    });
    REQUIRE(written.ok());
    inside = accounts::signInsWhileLocked(after->store());
    REQUIRE(inside.ok());
    REQUIRE(inside->size() == 1);
    CHECK(inside->front().find("inside the lockout") != std::string::npos);
}

TEST_CASE("trial 60 F2's kind: a recovery code planted in the table by an insider opens nothing",
          "[accounts][second-factor][insider]") {
    test::StoreFixture fixture;
    const auto enrolment = enrolAdmin(fixture);
    // The insider knows how a code was hashed (the published format) and holds the database key.
    const std::string planted = "AAAA-BBBB-CCCC-DDDD";
    const std::string message = "facelead recovery code:admin:AAAABBBBCCCCDDDD";
    std::uint8_t digest[crypto_generichash_BYTES];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       nullptr, 0);
    editOutsideFaceLead(fixture, enrolment,
                        "INSERT INTO second_factor_recovery_codes(user_id, code_hash) SELECT id, '" + toHex(digest) +
                            "' FROM users WHERE username = 'admin'");
    CHECK(signInWithCode(fixture, planted).error().code == ErrorCode::WrongSecondFactor);
    CHECK(signInWithCode(fixture, enrolment.recoveryCodes[0]).ok());  // the owner's own codes still work
}

TEST_CASE("trial 61 F6: a step set forward in the users table locks nobody out: the signed step is the truth",
          "[accounts][second-factor][insider]") {
    test::StoreFixture fixture;
    const auto enrolment = enrolAdmin(fixture);
    editOutsideFaceLead(fixture, enrolment, "UPDATE users SET second_factor_last_step = 9999999999 WHERE username = 'admin'");
    fixture.clock->advance(std::chrono::seconds(accounts::kTotpStepSeconds));
    CHECK(signInNow(fixture, enrolment).ok());
}

TEST_CASE("trial 61 F1: the owner's password change gives a new key pair and carries the second factor over to it",
          "[accounts][second-factor][password_change]") {
    test::StoreFixture fixture;
    const auto enrolment = enrolAdmin(fixture);
    const std::string newPassword = "a new horse for the battery";
    std::string keyBefore;
    {
        auto session = signInNow(fixture, enrolment);
        REQUIRE(session.ok());
        keyBefore = session->store().signerPublicKey();
        REQUIRE(accounts::AccountService(*session).changePassword(test::kAdminPassword, newPassword).ok());
        CHECK(session->store().signerPublicKey() != keyBefore);
        // Signed with the new key: the session goes on writing after the change.
        auto carried = AuditLog::list(session->store(), {.action = "second_factor.carried_over"});
        REQUIRE(carried.ok());
        REQUIRE(carried->size() == 1);
        CHECK(carried->front().signerKey == session->store().signerPublicKey());
        auto certified = AuditLog::list(session->store(), {.action = AuditLog::kKeyCertified});
        REQUIRE(certified.ok());
        CHECK(certified->back().signerKey == keyBefore);  // the old key certified the new one
    }
    fixture.clock->advance(std::chrono::seconds(accounts::kTotpStepSeconds));
    const auto signIn = [&](const std::string& code) {
        return accounts::signIn(fixture.path, "admin", newPassword, fixture.clock, fixture.policy,
                                SecondFactorInput{code, std::nullopt});
    };
    // The authenticator app and the recovery codes of before still work: nothing to enrol again.
    auto withCode = signIn(authenticatorCode(enrolment.secret, fixture.clock->now()));
    REQUIRE(withCode.ok());
    CHECK(withCode->store().signerPublicKey() != keyBefore);
    withCode = makeError(ErrorCode::Cancelled, "closed");
    CHECK(signIn(enrolment.recoveryCodes[1]).ok());
    // The enrolment still stands for trial 60 F2: the secret removed afterwards refuses the sign-in.
    {
        auto session = signIn(enrolment.recoveryCodes[2]);
        REQUIRE(session.ok());
        REQUIRE(session->store().exec("UPDATE users SET second_factor_secret = NULL WHERE username = 'admin'").ok());
        const auto named = accounts::secondFactorsRemoved(session->store());
        REQUIRE(named.ok());
        CHECK(named->size() == 1u);
    }
    CHECK(signIn("").error().code == ErrorCode::IntegrityViolation);
}

// Trial 82 F13: the administrator who set (or reset) the password signed in with it and enrolled the factor, which
// showed him its secret and recovery codes; the owner's password change then carried his enrolment over.
TEST_CASE("trial 63 F2, trial 82 F13: a newcomer chooses her password first, enrols the second factor with it after "
          "the approval of her key, and signs in with both; audit verify stays intact",
          "[accounts][second-factor][key_approval]") {
    test::StoreFixture fixture;
    accounts::Session& deputy = fixture.approver();
    accounts::AccountService founder(*fixture.session);
    const std::string initial = "initial password of the newcomer";
    const std::string own = "own password of the newcomer";
    auto officer = founder.addUser({"nia", "Nia Newcomer", {workflow::Role::Investigator}}, initial);
    REQUIRE(officer.ok());
    REQUIRE(accounts::AccountService(deputy).approve(officer->id).ok());
    requireSecondFactor(*fixture.session, true);
    auto enrolment = accounts::newEnrolment("nia");
    REQUIRE(enrolment.ok());
    const auto signInNia = [&](const std::string& password, std::optional<accounts::SecondFactorEnrolment> enrolling) {
        return accounts::signIn(fixture.path, "nia", password, fixture.clock, fixture.policy,
                                SecondFactorInput{authenticatorCode(enrolment->secret, fixture.clock->now()), enrolling});
    };
    // With the password the founder chose, nothing is enrolled, even when offered: the session may only change it.
    auto first = signInNia(initial, *enrolment);
    REQUIRE(first.ok());
    CHECK(first->mustChangePassword());
    CHECK(AuditLog::list(first->store(), {.action = "second_factor.enrolled"})->empty());
    CHECK(AuditLog::list(first->store(), {.action = "signin.succeeded"})->back().detailsJson.find(
              "after_own_password") != std::string::npos);
    REQUIRE(accounts::AccountService(*first).changePassword(initial, own).ok());
    REQUIRE(test::approveOwnKey(deputy, *first).ok());
    fixture.clock->advance(std::chrono::seconds(accounts::kTotpStepSeconds));
    CHECK(signInNia(own, std::nullopt).error().code == ErrorCode::SecondFactorEnrolmentRequired);
    REQUIRE(signInNia(own, *enrolment).ok());  // enrolled with her own password
    fixture.clock->advance(std::chrono::seconds(accounts::kTotpStepSeconds));
    CHECK(signInNia(own, std::nullopt).ok());
    CHECK(AuditLog::verify(fixture.session->store())->intact());
}
