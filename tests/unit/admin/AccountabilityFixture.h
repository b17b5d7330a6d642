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
#include "tests/support/OwnKey.h"
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
// What the administrator sets when creating an account; the user replaces it at first sign-in (issue 9).
inline const char* kInitialPassword = "initial password 4 you";

struct AccountabilityFixture {
    TempDir dir;
    std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(utc(2026, 3, 2));
    accounts::SecurityPolicy policy = [] {
        accounts::SecurityPolicy p;
        p.kdf = store::KdfParams::minimum();
        return p;
    }();
    std::filesystem::path storePath = dir / "live.store";
    std::unique_ptr<accounts::Session> admin;   // "admin": program administrator + supervisor
    std::unique_ptr<accounts::Session> deputy;  // "deputy": a second supervisor, who approves what admin creates

    AccountabilityFixture() {
        auto created = accounts::createStore(storePath, "admin", "Ada Admin", kPassword, clock, policy);
        if (!created) FAIL(created.error().message);
        admin = std::make_unique<accounts::Session>(std::move(created->session));
        // Two persons give access (the approver never created the account): the founding administrator
        // approves the deputy while alone, the deputy approves every account admin creates afterwards.
        const auto first = addUser("deputy", {workflow::Role::Supervisor});
        REQUIRE(accounts::AccountService(*admin).approve(first.id));
        auto signedIn = chooseOwnPassword("deputy", *admin);  // the founder, alone: the founding exception
        deputy = std::make_unique<accounts::Session>(std::move(signedIn));
    }

    // Created by the administrator with kInitialPassword; pending approval until approved.
    accounts::User addUser(const std::string& username, workflow::RoleSet roles) {
        accounts::AccountService service(*admin);
        auto user = service.addUser({username, username + " Name", std::move(roles)}, kInitialPassword);
        if (!user) FAIL(user.error().message);
        return *user;
    }

    // Created by the administrator, approved by the deputy and, when trained, signed off (as administrator).
    accounts::User addActiveUser(const std::string& username, workflow::RoleSet roles, bool trained = true) {
        const auto user = addUser(username, std::move(roles));
        accounts::AccountService service(*admin);
        REQUIRE(accounts::AccountService(*deputy).approve(user.id));
        if (trained) REQUIRE(service.recordTraining(user.id, clock->now()));
        chooseOwnPassword(username, *deputy);
        auto reloaded = service.find(user.id);
        REQUIRE(reloaded);
        return *reloaded;
    }

    // The user's first sign-in: the password the administrator set is replaced by kPassword, and `approver`
    // approves the key it made (trial 63 F2). Returns the user's session.
    accounts::Session chooseOwnPassword(const std::string& username, accounts::Session& approver) {
        auto first = accounts::signIn(storePath, username, kInitialPassword, clock, policy);
        REQUIRE(first);
        REQUIRE(first->mustChangePassword());
        REQUIRE(accounts::AccountService(*first).changePassword(kInitialPassword, kPassword));
        REQUIRE(test::approveOwnKey(approver, *first));
        return std::move(*first);
    }

    Result<accounts::Session> signIn(const std::string& username) {
        return accounts::signIn(storePath, username, kPassword, clock, policy);
    }

    store::Store& store() { return admin->store(); }
};

}  // namespace facelead::test
