// This executable is deliberately linked so the plain libsqlite3 wins over SQLCipher (see CMakeLists.txt):
// the store must notice and refuse to run unencrypted.

#include <catch2/catch.hpp>

#include "core/accounts/Session.h"
#include "tests/unit/store/StoreTestSupport.h"

using namespace facelead;

TEST_CASE("on plain SQLite the store refuses to run (NotEncrypted) and leaves no file", "[store][encryption]") {
    test::TempDir dir;
    auto created = accounts::createStore(dir / "plain.store", "admin", "Ada", test::kAdminPassword,
                                         std::make_shared<test::FakeClock>(), test::fastPolicy());
    REQUIRE_FALSE(created.ok());
    CHECK(created.error().code == ErrorCode::NotEncrypted);
    CHECK_FALSE(std::filesystem::exists(dir / "plain.store"));
    CHECK_FALSE(std::filesystem::exists(dir / "plain.store.keys"));
}
