// Key slots and the key file: wrapping, binding to the user name, atomic save, damage detection.

#include <catch2/catch.hpp>

#include "core/store/KeyFile.h"
#include "tests/unit/store/StoreTestSupport.h"

using namespace facelead;
using facelead::store::KdfParams;

TEST_CASE("a key slot opens with its password only", "[store][keys]") {
    const auto key = store::generateDatabaseKey();
    auto slot = store::wrapDatabaseKey(key, "alice", "the right password", KdfParams::minimum());
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
    auto slot = store::wrapDatabaseKey(key, "alice", "the right password", KdfParams::minimum());
    REQUIRE(slot.ok());
    slot->username = "mallory";
    CHECK(store::unwrapDatabaseKey(*slot, "the right password").error().code == ErrorCode::WrongCredentials);
}

TEST_CASE("the key file round-trips and carries lockouts and pending events", "[store][keys]") {
    test::TempDir dir;
    const auto key = store::generateDatabaseKey();
    store::KeyFile file;
    file.recoverySlot = *store::wrapDatabaseKey(key, "", "recovery", KdfParams::minimum());
    auto slot = *store::wrapDatabaseKey(key, "alice", "password of alice", KdfParams::minimum());
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
