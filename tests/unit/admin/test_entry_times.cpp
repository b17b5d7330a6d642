// An audit entry's time is the writing process's clock, which the desktop user can set (trial 22A F1, F2: an
// LD_PRELOAD clock shift dated an insider's search a year back, out of every annual review). `audit verify`, on the
// real clock, names an entry dated before the one before it; a queued event is never dated before it either.

#include <catch2/catch.hpp>

#include <algorithm>

#include "core/audit/AuditLog.h"
#include "tests/unit/admin/AccountabilityFixture.h"

using namespace facelead;

namespace {

bool named(const audit::VerifyReport& report, const std::string& text) {
    return std::ranges::any_of(report.entryProblems,
                               [&](const std::string& problem) { return problem.find(text) != std::string::npos; });
}

}  // namespace

TEST_CASE("audit verify names entries written under a clock set back", "[audit][insider]") {
    test::AccountabilityFixture fx;
    fx.addActiveUser("mal", {workflow::Role::Investigator});
    // mal's process clock, shifted a year back: his sign-in is dated before everything before it.
    auto backwards = std::make_shared<test::ManualClock>(fx.clock->now() - std::chrono::days(347));
    REQUIRE(accounts::signIn(fx.storePath, "mal", test::kPassword, backwards, fx.policy));

    auto onTestClock = audit::AuditLog::verify(fx.store());  // a test's clock has no relation to real time
    REQUIRE(onTestClock);
    CHECK_FALSE(named(*onTestClock, "before the entry before it"));

    auto auditor = accounts::signIn(fx.storePath, "admin", test::kPassword, std::make_shared<SystemClock>(), fx.policy);
    REQUIRE(auditor);
    auto verified = audit::AuditLog::verify(auditor->store());
    REQUIRE(verified);
    CHECK_FALSE(verified->intact());
    CHECK(named(*verified, "(signin.succeeded): it is dated 2025-"));
    CHECK(named(*verified, "written under a clock set wrong"));
}
