#pragma once
// A real encrypted store with a manual clock and a program administrator, for the accountability tests
// (admin, reports, training). Users are made through the accounts service like an agency would.

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "core/accounts/AccountService.h"
#include "core/accounts/Session.h"
#include "core/common/Clock.h"
#include "tests/support/TestData.h"

namespace facelead::test {

class ManualClock final : public Clock {
public:
    explicit ManualClock(TimePoint start) : now_(start) {}
    TimePoint now() const override { return now_; }
    void advance(std::chrono::hours by) { now_ += by; }
    void advanceDays(int days) { now_ += std::chrono::days(days); }

private:
    TimePoint now_;
};

inline TimePoint utc(int y, unsigned m, unsigned d, int hour = 12) {
    return std::chrono::sys_days{std::chrono::year{y} / m / d} + std::chrono::hours(hour);
}

inline const char* kPassword = "correct horse battery staple";

struct AccountabilityFixture {
    TempDir dir;
    std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(utc(2026, 3, 2));
    accounts::SecurityPolicy policy = [] {
        accounts::SecurityPolicy p;
        p.kdf = store::KdfParams::minimum();
        return p;
    }();
    std::filesystem::path storePath = dir / "live.store";
    std::unique_ptr<accounts::Session> admin;  // "admin": program administrator + supervisor

    AccountabilityFixture() {
        auto created = accounts::createStore(storePath, "admin", "Ada Admin", kPassword, clock, policy);
        if (!created) FAIL(created.error().message);
        admin = std::make_unique<accounts::Session>(std::move(created->session));
    }

    // Created by the administrator; pending approval until approved.
    accounts::User addUser(const std::string& username, workflow::RoleSet roles) {
        accounts::AccountService service(*admin);
        auto user = service.addUser({username, username + " Name", std::move(roles)}, kPassword);
        if (!user) FAIL(user.error().message);
        return *user;
    }

    // Created, approved by the administrator (a supervisor) and, when trained, signed off (as administrator).
    accounts::User addActiveUser(const std::string& username, workflow::RoleSet roles, bool trained = true) {
        const auto user = addUser(username, std::move(roles));
        accounts::AccountService service(*admin);
        REQUIRE(service.approve(user.id));
        if (trained) REQUIRE(service.recordTraining(user.id, clock->now()));
        auto reloaded = service.find(user.id);
        REQUIRE(reloaded);
        return *reloaded;
    }

    Result<accounts::Session> signIn(const std::string& username) {
        return accounts::signIn(storePath, username, kPassword, clock, policy);
    }

    store::Store& store() { return admin->store(); }
};

}  // namespace facelead::test
