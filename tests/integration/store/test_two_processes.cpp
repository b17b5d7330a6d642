// Two processes on one store: a writer waits for the other's transaction (busy timeout), then gets
// StoreBusy; concurrent writers never corrupt the store or break the audit chain; a session kept open reads
// on while facelead-cli processes sign in, write and rotate the key.

#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <cstdio>
#include <thread>

#include "core/accounts/Session.h"
#include "core/audit/AuditLog.h"
#include "tests/support/CliRun.h"
#include "tests/unit/store/StoreTestSupport.h"

using namespace facelead;
using audit::AuditLog;

namespace {

Result<void> appendEvent(store::Store& store, std::int64_t userId, const std::string& action) {
    return store.transact([&](store::Transaction& tx) -> Result<void> {
        FACELEAD_TRY(AuditLog::append(tx, {userId, action, "test", ""}));
        return {};
    });
}

// The administrator resets "deputy"'s password with the real facelead-cli: each reset rotates the database key.
test::CliRun resetDeputy(const test::StoreFixture& fixture, const std::string& password) {
    return test::cli(fixture.dir, {"user", "passwd", "deputy", "--store", fixture.path.string(), "--user", "admin"},
                     std::string(test::kAdminPassword) + "\n" + password + "\n" + password + "\n");
}

int waitForExit(pid_t child) {
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

}  // namespace

TEST_CASE("a second process waits for a write, then gets StoreBusy; nothing is lost", "[store][processes]") {
    test::StoreFixture fixture;
    fixture.session.reset();  // no connection crosses the fork
    int toChild[2];
    int toParent[2];
    REQUIRE(pipe(toChild) == 0);
    REQUIRE(pipe(toParent) == 0);

    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // Child: hold a write transaction until the parent says so.
        auto session = fixture.signIn("admin", test::kAdminPassword);
        char signal = 0;
        auto held = session ? session->store().transact([&](store::Transaction& tx) -> Result<void> {
            FACELEAD_TRY(AuditLog::append(tx, {session->userId(), "child.write", "test", ""}));
            const char ready = 'r';
            if (write(toParent[1], &ready, 1) != 1) return makeError(ErrorCode::IoError, "pipe");
            if (read(toChild[0], &signal, 1) != 1) return makeError(ErrorCode::IoError, "pipe");
            return {};
        })
                            : Result<void>(session.error());
        _exit(held.ok() ? 0 : 1);
    }

    char ready = 0;
    REQUIRE(read(toParent[0], &ready, 1) == 1);
    auto session = fixture.signIn("admin", test::kAdminPassword);
    // Signing in writes its audit event, so with the child's transaction open it must report busy.
    REQUIRE_FALSE(session.ok());
    CHECK(session.error().code == ErrorCode::StoreBusy);

    const char go = 'g';
    REQUIRE(write(toChild[1], &go, 1) == 1);
    CHECK(waitForExit(child) == 0);

    auto after = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(after.ok());
    REQUIRE(appendEvent(after->store(), after->userId(), "parent.write").ok());
    CHECK(AuditLog::list(after->store(), {.action = "child.write"})->size() == 1);
    CHECK(AuditLog::list(after->store(), {.action = "parent.write"})->size() == 1);
    auto report = AuditLog::verify(after->store());
    REQUIRE(report.ok());
    CHECK(report->intact());
    for (int fd : {toChild[0], toChild[1], toParent[0], toParent[1]}) close(fd);
}

TEST_CASE("two processes appending at once keep one unbroken chain", "[store][processes]") {
    test::StoreFixture fixture;
    fixture.session.reset();
    fixture.policy.busyTimeout = std::chrono::milliseconds(10000);
    constexpr int kEventsPerProcess = 25;

    std::vector<pid_t> children;
    for (int process = 0; process < 2; ++process) {
        const pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            auto session = fixture.signIn("admin", test::kAdminPassword);
            if (!session) _exit(2);
            for (int i = 0; i < kEventsPerProcess; ++i)
                if (!appendEvent(session->store(), session->userId(), "process.event")) _exit(1);
            _exit(0);
        }
        children.push_back(child);
    }
    for (const pid_t child : children) CHECK(waitForExit(child) == 0);

    auto session = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(session.ok());
    CHECK(AuditLog::list(session->store(), {.action = "process.event"})->size() == 2 * kEventsPerProcess);
    auto report = AuditLog::verify(session->store());
    REQUIRE(report.ok());
    CHECK(report->intact());
    auto check = session->store().prepare("PRAGMA integrity_check");
    REQUIRE(check.ok());
    REQUIRE(*check->step());
    CHECK(check->getText(0) == "ok");
}

// Issue 9 item 1: a workstation kept open (one long-lived session, as the GUI's store owner) while facelead-cli
// processes signed in and wrote - and an administrator's password reset rotated the database key - answered
// "the store file is damaged ... restore the store from its backup" while a fresh process found it intact.
// The open session must read and write on throughout, and never call an intact store damaged.
TEST_CASE("a session kept open reads and writes on while other processes sign in, write and rotate the key",
          "[store][processes][issue9]") {
    test::StoreFixture fixture;
    fixture.approver();  // "deputy", whose password the administrator resets (each reset rotates the key)
    fixture.policy.busyTimeout = std::chrono::milliseconds(20000);  // a reset holds the write lock for Argon2id
    auto open = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(open.ok());
    const std::string store = fixture.path.string();

    std::atomic<bool> othersDone{false};
    std::vector<std::string> othersFailed;
    std::thread others([&] {
        for (int round = 0; round < 4; ++round) {
            for (int signIn = 0; signIn < 2; ++signIn) {  // each sign-in writes its audit entries
                auto verified = test::cli(fixture.dir, {"user", "list", "--store", store, "--user", "admin"},
                                          std::string(test::kAdminPassword) + "\n");
                if (verified.exitCode != 0) othersFailed.push_back(std::to_string(verified.exitCode) + verified.out + verified.err);
            }
            auto reset = resetDeputy(fixture, "reset secret number " + std::to_string(round) + " of the second supervisor");
            if (reset.exitCode != 0) othersFailed.push_back(std::to_string(reset.exitCode) + reset.out + reset.err);
        }
        othersDone = true;
    });

    int operations = 0;
    std::vector<std::string> failures;
    auto note = [&](const Result<void>& done) {
        ++operations;
        if (!done) failures.push_back(std::string(errorCodeName(done.error().code)) + ": " + done.error().message);
    };
    while (!othersDone) {
        note(appendEvent(open->store(), open->userId(), "open.session.write"));
        auto read = AuditLog::list(open->store(), {.action = "signin.succeeded"});
        note(read ? Result<void>() : Result<void>(read.error()));
    }
    others.join();
    INFO(othersFailed.size() << " other processes failed; first: " << (othersFailed.empty() ? "" : othersFailed[0]));
    CHECK(othersFailed.empty());
    INFO(failures.size() << " of " << operations << " operations failed; first: "
                         << (failures.empty() ? "" : failures[0]));
    CHECK(failures.empty());
    CHECK(operations > 10);
    // The open session still reads, and a fresh one finds what it wrote, in one unbroken chain.
    REQUIRE(AuditLog::list(open->store(), {.action = "open.session.write"}).ok());
    auto fresh = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(fresh.ok());
    CHECK(AuditLog::list(fresh->store(), {.action = "open.session.write"})->size() ==
          static_cast<std::size_t>(operations / 2));
    auto report = AuditLog::verify(fresh->store());
    REQUIRE(report.ok());
    CHECK(report->intact());
}

// Trial 27 F4: a workstation session said "the store file is damaged ... restore the store from its backup" on every
// refresh after its own user had signed in with the CLI beside it, once the key had been rotated: that sign-in
// re-wrapped the new key under the password and dropped the sealed copy the open session follows rotations by.
TEST_CASE("a session kept open follows a key rotation after its own user signed in elsewhere",
          "[store][processes][rotation]") {
    test::StoreFixture fixture;
    fixture.approver();
    fixture.policy.busyTimeout = std::chrono::milliseconds(20000);
    auto open = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(open.ok());
    REQUIRE(appendEvent(open->store(), open->userId(), "open.session.write").ok());
    const std::string store = fixture.path.string();
    const auto reset = resetDeputy(fixture, "reset secret of the second supervisor");
    INFO(reset.out << reset.err);
    REQUIRE(reset.exitCode == 0);  // rotates the database key
    const auto sameUser = test::cli(fixture.dir, {"user", "list", "--store", store, "--user", "admin"},
                                    std::string(test::kAdminPassword) + "\n");
    REQUIRE(sameUser.exitCode == 0);  // the same account, signed in elsewhere, adopts the new key

    auto written = appendEvent(open->store(), open->userId(), "open.session.write");
    INFO((written ? std::string() : written.error().message));
    CHECK(written.ok());
    auto read = AuditLog::list(open->store(), {.action = "open.session.write"});
    REQUIRE(read.ok());
    CHECK(read->size() == 2);
}

// Trial 41 F2: the workstation and facelead-cli on one store at once ended once with audit entries lost, the chain
// no longer matching its anchors and the store "damaged" (invalid page number). The earlier tests here write a few
// small entries, so the WAL never reached SQLite's checkpoint size while a key rotation was under way. Here every
// writer appends large entries (checkpoints run, also during and after a rekey), one session is kept open as the
// workstation's store owner keeps it, a second process writes as a CLI would, and an administrator's resets rotate
// the key. Afterwards every entry written is there, once, in one unbroken chain, and the store checks intact.
TEST_CASE("large writes from a session kept open and another process survive checkpoints and key rotations",
          "[store][processes][rotation][checkpoint]") {
    test::StoreFixture fixture;
    fixture.approver();
    fixture.session.reset();  // no connection crosses the fork
    fixture.policy.busyTimeout = std::chrono::milliseconds(20000);
    constexpr int kChildEntries = 60;
    // ~48 KiB of details per entry: a checkpoint (1000 pages of 4 KiB) every ~80 entries across the writers.
    const std::string bulky = R"({"filler":")" + std::string(48 * 1024, 'x') + R"("})";
    auto appendBulky = [&](store::Store& store, std::int64_t userId, const std::string& action) {
        return store.transact([&](store::Transaction& tx) -> Result<void> {
            FACELEAD_TRY(AuditLog::append(tx, {userId, action, "test", "", bulky}));
            return {};
        });
    };

    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        auto session = fixture.signIn("admin", test::kAdminPassword);
        if (!session) {
            std::fprintf(stderr, "child sign-in: %s\n", session.error().message.c_str());
            _exit(2);
        }
        for (int i = 0; i < kChildEntries; ++i)
            if (auto done = appendBulky(session->store(), session->userId(), "other.process.write"); !done) {
                std::fprintf(stderr, "child write %d: %s\n", i, done.error().message.c_str());
                _exit(1);
            }
        _exit(0);
    }

    auto open = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(open.ok());
    std::atomic<bool> resetsDone{false};
    std::vector<std::string> resetsFailed;
    std::thread resets([&] {
        for (int round = 0; round < 3; ++round) {
            auto reset = resetDeputy(fixture, "bulky round " + std::to_string(round) + " secret of the second supervisor");
            if (reset.exitCode != 0) resetsFailed.push_back(reset.out + reset.err);
        }
        resetsDone = true;
    });

    int written = 0;
    std::vector<std::string> failures;
    while (!resetsDone || written < 40) {
        auto done = appendBulky(open->store(), open->userId(), "open.session.write");
        if (done) ++written;
        else failures.push_back(std::string(errorCodeName(done.error().code)) + ": " + done.error().message);
        auto read = AuditLog::list(open->store(), {.action = "other.process.write"});
        if (!read) failures.push_back(read.error().message);
    }
    resets.join();
    CHECK(waitForExit(child) == 0);
    INFO("first reset failure: " << (resetsFailed.empty() ? "" : resetsFailed[0]));
    CHECK(resetsFailed.empty());
    INFO(failures.size() << " failures in the open session; first: " << (failures.empty() ? "" : failures[0]));
    CHECK(failures.empty());

    auto fresh = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(fresh.ok());
    CHECK(AuditLog::list(fresh->store(), {.action = "open.session.write"})->size() == static_cast<std::size_t>(written));
    CHECK(AuditLog::list(fresh->store(), {.action = "other.process.write"})->size() == kChildEntries);
    auto report = AuditLog::verify(fresh->store());
    REQUIRE(report.ok());
    CHECK(report->intact());
    auto check = fresh->store().prepare("PRAGMA integrity_check");
    REQUIRE(check.ok());
    REQUIRE(*check->step());
    CHECK(check->getText(0) == "ok");
    // The session kept open, too, still reads the whole chain.
    CHECK(AuditLog::list(open->store(), {.action = "other.process.write"})->size() == kChildEntries);
}

// Trial 42 F2, F9: an administrator's resets back to back (each rotates the key) while a workstation session is kept
// open and another account signs in and out: the workstation said "the store file is damaged ... restore from backup"
// and stayed so after the resets had ended; a CLI command was told the same. Afterwards every program reads and
// writes on, and nobody is told the store is damaged.
TEST_CASE("resets back to back while a session is kept open and others sign in: nobody is told the store is damaged",
          "[store][processes][rotation]") {
    test::StoreFixture fixture;
    fixture.approver();
    fixture.policy.busyTimeout = std::chrono::milliseconds(20000);
    auto open = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(open.ok());
    // A store of some size (as one with a gallery is): each rekey rewrites every page, so the time between a
    // rotation's seal and its rekey is long enough for the others to meet it.
    const std::string bulky = R"({"filler":")" + std::string(64 * 1024, 'x') + R"("})";
    REQUIRE(open->store().transact([&](store::Transaction& tx) -> Result<void> {
        for (int i = 0; i < 150; ++i) FACELEAD_TRY(AuditLog::append(tx, {open->userId(), "bulk", "test", "", bulky}));
        return {};
    }).ok());
    const std::string store = fixture.path.string();
    std::atomic<bool> resetsDone{false};
    std::vector<std::string> othersFailed;
    std::mutex othersMutex;
    auto noteOther = [&](const test::CliRun& run) {
        if (run.exitCode == 0) return;
        std::lock_guard lock(othersMutex);
        othersFailed.push_back(run.out + run.err);
    };
    std::thread resets([&] {
        for (int round = 0; round < 8; ++round)
            noteOther(resetDeputy(fixture, "back to back " + std::to_string(round) + " secret of the second supervisor"));
        resetsDone = true;
    });
    std::thread signIns([&] {
        while (!resetsDone) noteOther(test::cli(fixture.dir, {"user", "list", "--store", store, "--user", "admin"},
                                                std::string(test::kAdminPassword) + "\n"));
    });
    std::vector<std::string> failures;
    while (!resetsDone) {
        auto done = appendEvent(open->store(), open->userId(), "open.session.write");
        if (!done && done.error().code == ErrorCode::StoreCorrupt) failures.push_back(done.error().message);
        auto read = AuditLog::list(open->store(), {.action = "signin.succeeded"});
        if (!read && read.error().code == ErrorCode::StoreCorrupt) failures.push_back(read.error().message);
    }
    resets.join();
    signIns.join();
    INFO("others failed: " << othersFailed.size() << "; first: " << (othersFailed.empty() ? "" : othersFailed[0]));
    CHECK(othersFailed.empty());
    INFO("the open session was told the store is damaged " << failures.size() << " times; first: "
                                                           << (failures.empty() ? "" : failures[0]));
    CHECK(failures.empty());
    // After the resets the session kept open reads and writes on.
    const auto after = appendEvent(open->store(), open->userId(), "open.session.after");
    INFO((after ? std::string() : after.error().message));
    CHECK(after.ok());
    auto fresh = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(fresh.ok());
    auto report = AuditLog::verify(fresh->store());
    REQUIRE(report.ok());
    INFO(report->describe());
    CHECK(report->intact());
}

// Trial 42 F1, F9: the account's own sign-in racing an administrator's reset of it. The sign-in re-wrapped its slot from
// what it had read, undoing the reset (the slot's key no longer the certified one: "the key file was changed outside
// FaceLead"), signed an entry with the replaced key (`audit verify`: BROKEN) or was told the store is damaged. Each
// sign-in now either succeeds or is told that the password was reset; the chain stays intact.
TEST_CASE("an account's sign-in racing a reset of it: signed in, or told of the reset; never damage, never a broken "
          "chain", "[store][processes][rotation]") {
    test::StoreFixture fixture;
    fixture.approver();
    fixture.policy.busyTimeout = std::chrono::milliseconds(20000);
    const std::string store = fixture.path.string();
    std::vector<std::string> unexpected;
    for (int round = 0; round < 6; ++round) {
        const std::string password = "racing reset number " + std::to_string(round) + " of the second supervisor";
        REQUIRE(resetDeputy(fixture, password).exitCode == 0);
        test::CliRun signIn, second;
        std::thread signingIn([&] {
            signIn = test::cli(fixture.dir, {"user", "list", "--store", store, "--user", "deputy"}, password + "\n");
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(10 * (round % 3)));
        second = resetDeputy(fixture, "and again " + password);
        signingIn.join();
        if (second.exitCode != 0) unexpected.push_back("reset: " + second.err);
        // A sign-in that reads the slot only after the second reset has replaced it holds a password that is no longer
        // the account's: "wrong password" is then the true answer (seen once in 6 rounds on a loaded machine).
        const bool told = signIn.err.find("reset the password") != std::string::npos ||
                          signIn.err.find("was reset") != std::string::npos ||
                          signIn.err.find("was changed while") != std::string::npos ||
                          // the reset committed between the sign-in's check of its key and its own entry
                          signIn.err.find("(its password was changed or reset)") != std::string::npos ||
                          signIn.err.find("choose your own password") != std::string::npos ||
                          signIn.err.find("[wrong_credentials]") != std::string::npos;
        if (signIn.exitCode != 0 && !told) unexpected.push_back("sign-in: " + signIn.err);
    }
    INFO(unexpected.size() << " unexpected answers; first: " << (unexpected.empty() ? "" : unexpected[0]));
    CHECK(unexpected.empty());
    auto admin = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(admin.ok());
    auto report = AuditLog::verify(admin->store());
    REQUIRE(report.ok());
    INFO(report->describe());
    CHECK(report->intact());
    CHECK(AuditLog::list(admin->store(), {.action = "signin.refused_uncertified_key"})->empty());
}

// Trial 43 F11: a workstation kept signed in while its store's files were changed under it wrote its audit entries
// where no one reads them (they were in the anchor, not the store) and read a frozen gallery. A session whose store
// file or WAL is no longer the one its connection has open refuses to go on, and says why.
TEST_CASE("a session whose store files were replaced under it refuses to write, rather than writing where no one "
          "reads", "[store][processes]") {
    test::StoreFixture fixture;
    auto open = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(open.ok());
    REQUIRE(appendEvent(open->store(), open->userId(), "before.replace").ok());
    const std::filesystem::path store = fixture.path;
    SECTION("the store file replaced by a copy of itself (a backup put back)") {
        std::filesystem::copy_file(store, store.string() + ".copy");
        std::filesystem::rename(store.string() + ".copy", store);
    }
    SECTION("its WAL removed (as a program that took the store for closed does)") {
        std::filesystem::remove(store.string() + "-wal");
    }
    auto refused = appendEvent(open->store(), open->userId(), "after.replace");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::IntegrityViolation);
    CHECK_THAT(refused.error().message, Catch::Contains("were replaced or deleted while you were signed in"));
    CHECK_FALSE(AuditLog::list(open->store(), {.action = "after.replace"}).ok());  // nothing read through it either
}
