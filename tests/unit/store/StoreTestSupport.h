#pragma once
// Shared by the store, audit, accounts and store-integration tests: a fake clock, a cheap security policy
// (Argon2id at libsodium's minimum so the suite stays fast) and a freshly created store.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "core/accounts/AccountService.h"
#include "core/accounts/Session.h"
#include "core/common/Clock.h"
#include "tests/support/OwnKey.h"
#include "tests/support/TestData.h"

namespace facelead::test {

class FakeClock final : public Clock {
public:
    FakeClock() { fromIsoUtc("2026-11-24T09:00:00.000Z", now_); }
    TimePoint now() const override { return now_; }
    void advance(std::chrono::milliseconds by) { now_ += by; }

private:
    TimePoint now_;
};

inline accounts::SecurityPolicy fastPolicy() {
    accounts::SecurityPolicy policy;
    policy.kdf = store::KdfParams::minimum();
    policy.busyTimeout = std::chrono::milliseconds(200);
    return policy;
}

inline const char* kAdminPassword = "correct horse battery";

// A new store in a temporary folder, signed in as the first administrator "admin".
struct StoreFixture {
    TempDir dir;
    std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
    accounts::SecurityPolicy policy = fastPolicy();
    std::filesystem::path path = dir / "case.store";
    std::string recoveryKey;
    std::unique_ptr<accounts::Session> session;

    StoreFixture() {
        auto created = accounts::createStore(path, "admin", "Ada Admin", kAdminPassword, clock, policy);
        REQUIRE(created.ok());
        recoveryKey = created->recoveryKey;
        session = std::make_unique<accounts::Session>(std::move(created->session));
    }

    Result<accounts::Session> signIn(const std::string& name, const std::string& password) {
        return accounts::signIn(path, name, password, clock, policy);
    }

    // A second supervisor, "deputy", who approves the accounts admin creates (two persons give access):
    // made on first use and approved by the founding administrator while it is the only active account.
    accounts::Session& approver() {
        if (deputy) return *deputy;
        accounts::AccountService founder(*session);
        const std::string initial = "initial password of the second supervisor";
        auto created = founder.addUser({"deputy", "Dee Deputy", {workflow::Role::Supervisor}}, initial);
        REQUIRE(created.ok());
        REQUIRE(founder.approve(created->id).ok());
        auto signedIn = signIn("deputy", initial);
        REQUIRE(signedIn.ok());
        REQUIRE(accounts::AccountService(*signedIn).changePassword(initial, kAdminPassword).ok());
        REQUIRE(approveOwnKey(*session, *signedIn).ok());  // the founder, alone: the founding exception
        deputy = std::make_unique<accounts::Session>(std::move(*signedIn));
        return *deputy;
    }

private:
    std::unique_ptr<accounts::Session> deputy;
};

inline std::vector<char> fileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void writeBytes(const std::filesystem::path& file, const std::vector<char>& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline bool contains(const std::vector<char>& haystack, const std::string& needle) {
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

}  // namespace facelead::test
