// Key slots and the key file: wrapping, binding to the user name, atomic save, damage detection.

#include <catch2/catch.hpp>

#include "core/store/KeyFile.h"
#include "tests/support/CliRun.h"
#include "tests/unit/store/StoreTestSupport.h"

using namespace facelead;
using facelead::store::KdfParams;

namespace {

Result<store::KeySlot> wrap(const store::SecureBytes& key, std::string_view username,
                            std::string_view password) {
    return store::wrapSlot(key, store::generateSigningKey(), username, password, KdfParams::minimum());
}

}  // namespace

TEST_CASE("a key slot opens with its password only", "[store][keys]") {
    const auto key = store::generateDatabaseKey();
    auto slot = wrap(key, "alice", "the right password");
    REQUIRE(slot.ok());

    auto opened = store::unwrapDatabaseKey(*slot, "the right password");
    REQUIRE(opened.ok());
    CHECK(std::equal(opened->bytes().begin(), opened->bytes().end(), key.bytes().begin(), key.bytes().end()));

    auto wrong = store::unwrapDatabaseKey(*slot, "the wrong password");
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == ErrorCode::WrongCredentials);
}

TEST_CASE("a key slot copied under another user name does not open", "[store][keys]") {
    const auto key = store::generateDatabaseKey();
    auto slot = wrap(key, "alice", "the right password");
    REQUIRE(slot.ok());
    slot->username = "mallory";
    CHECK(store::unwrapDatabaseKey(*slot, "the right password").error().code == ErrorCode::WrongCredentials);
}

TEST_CASE("the key file round-trips and carries lockouts and pending events", "[store][keys]") {
    test::TempDir dir;
    const auto key = store::generateDatabaseKey();
    store::KeyFile file;
    file.recoverySlot = *wrap(key, "", "recovery");
    auto slot = *wrap(key, "alice", "password of alice");
    slot.failedAttempts = 3;
    slot.lockedUntil = test::FakeClock().now();
    file.userSlots.push_back(slot);
    file.pendingEvents.push_back({test::FakeClock().now(), "alice", "signin.failed", R"({"n":1})"});
    file.deactivatedUsernames.push_back("bob");
    const auto path = dir / "x.store.keys";
    REQUIRE(store::saveKeyFile(path, file).ok());

    auto loaded = store::loadKeyFile(path);
    REQUIRE(loaded.ok());
    REQUIRE(loaded->findSlot("alice") != nullptr);
    CHECK(loaded->findSlot("alice")->failedAttempts == 3);
    CHECK(loaded->findSlot("alice")->lockedUntil == slot.lockedUntil);
    REQUIRE(loaded->pendingEvents.size() == 1);
    CHECK(loaded->pendingEvents[0].detailsJson == R"({"n":1})");
    CHECK(loaded->deactivatedUsernames == std::vector<std::string>{"bob"});
    CHECK(store::unwrapDatabaseKey(*loaded->findSlot("alice"), "password of alice").ok());
    CHECK(loaded->cipherPageSize == file.cipherPageSize);
    CHECK_FALSE(std::filesystem::exists(path.string() + ".tmp"));
    CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::others_read) ==
          std::filesystem::perms::none);
}

TEST_CASE("a missing or damaged key file is named as such", "[store][keys]") {
    test::TempDir dir;
    CHECK(store::loadKeyFile(dir / "none.keys").error().code == ErrorCode::KeyFileMissing);

    test::writeBytes(dir / "garbage.keys", {'{', 'n', 'o', 't'});
    CHECK(store::loadKeyFile(dir / "garbage.keys").error().code == ErrorCode::KeyFileCorrupt);

    // Version 2 must say its page size (only version-1 files predate it).
    const std::string noPageSize = R"({"format":"facelead-keyfile","version":2,"slots":[]})";
    test::writeBytes(dir / "nopage.keys", {noPageSize.begin(), noPageSize.end()});
    CHECK(store::loadKeyFile(dir / "nopage.keys").error().code == ErrorCode::KeyFileCorrupt);

    const std::string otherJson = R"({"format":"facelead-keyfile","version":99,"slots":[]})";
    test::writeBytes(dir / "future.keys", {otherJson.begin(), otherJson.end()});
    CHECK(store::loadKeyFile(dir / "future.keys").error().code == ErrorCode::KeyFileCorrupt);
}

TEST_CASE("recovery keys are long, grouped and forgiving when typed back", "[store][keys]") {
    const std::string key = store::generateRecoveryKey();
    CHECK(key.size() == 52 + 12);  // 256 bits in 52 base32 letters, 13 groups
    CHECK(key != store::generateRecoveryKey());
    std::string typed;
    for (const char c : key)
        if (c != '-') typed += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(store::normaliseRecoveryKey(" " + typed + " ") == key);
}

TEST_CASE("a slot carries the account's signing key, and a sealed rotated key only its owner opens",
          "[store][keys]") {
    const auto key = store::generateDatabaseKey();
    const auto signingKey = store::generateSigningKey();
    auto slot = store::wrapSlot(key, signingKey, "alice", "password of alice", KdfParams::minimum());
    REQUIRE(slot.ok());
    CHECK(slot->publicKey == store::publicKeyOf(signingKey));
    const auto rotated = store::generateDatabaseKey();
    slot->sealedKey = store::sealDatabaseKey(rotated, slot->publicKey);
    auto opened = store::unwrapSlot(*slot, "password of alice");
    REQUIRE(opened.ok());
    CHECK(std::equal(opened->signingKey.bytes().begin(), opened->signingKey.bytes().end(),
                     signingKey.bytes().begin(), signingKey.bytes().end()));
    CHECK(std::equal(opened->rotatedKey.bytes().begin(), opened->rotatedKey.bytes().end(),
                     rotated.bytes().begin(), rotated.bytes().end()));
    // Sealed to someone else: not opened.
    slot->sealedKey = store::sealDatabaseKey(rotated, store::publicKeyOf(store::generateSigningKey()));
    CHECK(store::unwrapSlot(*slot, "password of alice")->rotatedKey.empty());
}

// Issue 8 item 5: a damaged slot is "damaged key file", never "wrong password"; key-file parameters are
// bounded.
TEST_CASE("damaged key slot: named as damage, the other slots still load",
          "[store][keys][damaged_key_slot]") {
    test::TempDir dir;
    const auto key = store::generateDatabaseKey();
    store::KeyFile file;
    file.recoverySlot = *wrap(key, "", "recovery");
    file.userSlots.push_back(*wrap(key, "alice", "password of alice"));
    file.userSlots.push_back(*wrap(key, "bob", "password of bob"));
    const auto path = dir / "x.store.keys";
    REQUIRE(store::saveKeyFile(path, file).ok());
    std::string text = test::readText(path);

    SECTION("a flipped byte in the wrapped key") {
        const auto at = text.find("\"wrapped_key\": \"") + 16;
        text[at] = text[at] == '0' ? '1' : '0';
    }
    SECTION("an absurd opslimit (would hang sign-in)") {
        const auto at = text.find("\"opslimit\": ");
        text.replace(at, text.find(',', at) - at, "\"opslimit\": 4000000000");
    }
    SECTION("an absurd memlimit") {
        const auto at = text.find("\"memlimit\": ");
        text.replace(at, text.find(',', at) - at, "\"memlimit\": 1099511627776");
    }
    test::writeBytes(path, {text.begin(), text.end()});
    auto loaded = store::loadKeyFile(path);
    REQUIRE(loaded.ok());
    REQUIRE(loaded->findSlot("bob") != nullptr);
    CHECK(loaded->findSlot("bob")->damaged == false);
    CHECK(store::unwrapSlot(*loaded->findSlot("bob"), "password of bob").ok());
    // The first slot in the file is alice's, the one damaged above (the recovery slot comes first: its own
    // damage is tested by the same rule).
    const store::KeySlot* damaged =
        loaded->recoverySlot.damaged ? &loaded->recoverySlot : loaded->findSlot("alice");
    REQUIRE(damaged->damaged);
    auto refused = store::unwrapSlot(*damaged, "anything");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::KeyFileCorrupt);
    CHECK(refused.error().message.find("damaged") != std::string::npos);

    // Written back (each sign-in queues its event in the key file), the damage stays damage: a checksum made anew
    // over it turned the right password into a "wrong" one, counted toward lockout (trial 82 F1).
    REQUIRE(store::saveKeyFile(path, *loaded).ok());
    auto again = store::loadKeyFile(path);
    REQUIRE(again.ok());
    CHECK((again->recoverySlot.damaged ? &again->recoverySlot : again->findSlot("alice"))->damaged);
    CHECK_FALSE(again->findSlot("bob")->damaged);
}

TEST_CASE("key-file KDF parameters are bounded", "[store][keys][kdf_bounds]") {
    CHECK(KdfParams::interactive().isReasonable());
    CHECK(KdfParams::minimum().isReasonable());
    CHECK_FALSE(KdfParams{4000000000ull, KdfParams::minimum().memLimitBytes}.isReasonable());
    CHECK_FALSE(KdfParams{KdfParams::minimum().opsLimit, 1ull << 40}.isReasonable());
    CHECK_FALSE(KdfParams{0, 0}.isReasonable());
}
