// The encrypted store: SQLCipher really encrypts, damaged files give clear errors and stay untouched,
// transactions commit or roll back as a whole, originals are immutable.

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "core/audit/AuditLog.h"
#include "core/common/Hash.h"
#include "core/store/Store.h"
#include "tests/support/CliRun.h"
#include "tests/unit/store/StoreTestSupport.h"

using namespace facelead;

namespace {

Result<std::int64_t> countRows(store::Store& store, const std::string& table) {
    auto statement = store.prepare("SELECT count(*) FROM " + table);
    if (!statement) return statement.error();
    auto row = statement->step();
    if (!row) return row.error();
    return statement->getInt(0);
}

Result<std::int64_t> addCase(store::Transaction& tx, const std::string& number, std::int64_t userId) {
    auto insert = tx.prepare("INSERT INTO cases(case_number, offence, created_by, created_at) VALUES (?, ?, ?, ?)");
    if (!insert) return insert.error();
    FACELEAD_TRY(insert->bind(1, number).bind(2, "robbery").bind(3, userId).bind(4, toIsoUtc(tx.now())).run());
    return tx.lastInsertId();
}

Result<std::int64_t> addOriginal(store::Transaction& tx, std::int64_t caseId, std::int64_t userId,
                                 const std::vector<std::uint8_t>& bytes) {
    auto insert = tx.prepare(
        "INSERT INTO images(case_id, kind, bytes, sha256, size_bytes, format, width, height, created_by, created_at) "
        "VALUES (?, 'original', ?, ?, ?, 'jpeg', 1, 1, ?, ?)");
    if (!insert) return insert.error();
    FACELEAD_TRY(insert->bind(1, caseId).bind(2, bytes).bind(3, sha256Hex(bytes))
                     .bind(4, static_cast<std::int64_t>(bytes.size())).bind(5, userId).bind(6, toIsoUtc(tx.now()))
                     .run());
    return tx.lastInsertId();
}

}  // namespace

TEST_CASE("the store runs on SQLCipher at the latest schema", "[store]") {
    test::StoreFixture fixture;
    auto& store = fixture.session->store();
    CHECK_FALSE(store.cipherVersion().empty());
    CHECK(store.schemaVersion() == store::Store::latestSchemaVersion());
    auto journal = store.prepare("PRAGMA journal_mode");
    REQUIRE(journal.ok());
    REQUIRE(*journal->step());
    CHECK(journal->getText(0) == "wal");
    auto foreignKeys = store.prepare("PRAGMA foreign_keys");
    REQUIRE(foreignKeys.ok());
    REQUIRE(*foreignKeys->step());
    CHECK(foreignKeys->getInt(0) == 1);
    // Only the owner may read the store, its WAL and its key file.
    for (const auto& file : {fixture.path, std::filesystem::path(fixture.path.string() + "-wal"), store.keyFile()}) {
        INFO(file);
        REQUIRE(std::filesystem::exists(file));
        CHECK((std::filesystem::status(file).permissions() &
               (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) == std::filesystem::perms::none);
    }
}

TEST_CASE("the store file holds no readable subject name or case number", "[store][encryption]") {
    const std::string caseNumber = "CASE-2026-7788";
    const std::string subjectName = "Bartholomew Quintessa";
    test::StoreFixture fixture;
    auto& store = fixture.session->store();
    const auto adminId = fixture.session->userId();
    auto written = store.transact([&](store::Transaction& tx) -> Result<void> {
        FACELEAD_TRY(addCase(tx, caseNumber, adminId));
        auto subject = tx.prepare("INSERT INTO gallery_subjects(name, created_by, created_at) VALUES (?, ?, ?)");
        if (!subject) return subject.error();
        return subject->bind(1, subjectName).bind(2, adminId).bind(3, toIsoUtc(tx.now())).run();
    });
    REQUIRE(written.ok());
    // Before closing, part of the data may still be in the WAL: it must be encrypted too.
    const std::filesystem::path wal = fixture.path.string() + "-wal";
    if (std::filesystem::exists(wal)) {
        const auto walBytes = test::fileBytes(wal);
        CHECK_FALSE(test::contains(walBytes, caseNumber));
        CHECK_FALSE(test::contains(walBytes, subjectName));
    }
    fixture.session.reset();  // closes and checkpoints into the main file
    const auto bytes = test::fileBytes(fixture.path);
    REQUIRE(bytes.size() > 4096);
    CHECK_FALSE(test::contains(bytes, caseNumber));
    CHECK_FALSE(test::contains(bytes, subjectName));
    CHECK_FALSE(test::contains(bytes, "SQLite format 3"));
    CHECK_FALSE(test::contains(test::fileBytes(store::keyFilePath(fixture.path)), caseNumber));

    auto again = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(again.ok());
    auto found = again->store().prepare("SELECT count(*) FROM cases WHERE case_number = ?");
    REQUIRE(found.ok());
    found->bind(1, caseNumber);
    REQUIRE(*found->step());
    CHECK(found->getInt(0) == 1);
}

TEST_CASE("a failed transaction leaves nothing behind; a nested failure rolls back the outer one", "[store]") {
    test::StoreFixture fixture;
    auto& store = fixture.session->store();
    const auto adminId = fixture.session->userId();

    auto failed = store.transact([&](store::Transaction& tx) -> Result<void> {
        FACELEAD_TRY(addCase(tx, "ROLLED-BACK-1", adminId));
        return makeError(ErrorCode::PolicyViolation, "refused after the insert");
    });
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().code == ErrorCode::PolicyViolation);
    CHECK(*countRows(store, "cases") == 0);
    CHECK_FALSE(store.inTransaction());

    auto outer = store.transact([&](store::Transaction& tx) -> Result<void> {
        FACELEAD_TRY(addCase(tx, "OUTER-1", adminId));
        auto inner = store.transact([&](store::Transaction&) -> Result<void> {
            return makeError(ErrorCode::InvalidArgument, "inner refused");
        });
        CHECK_FALSE(inner.ok());
        return {};  // the outer ignores the inner failure: the store still rolls back
    });
    REQUIRE_FALSE(outer.ok());
    CHECK(outer.error().code == ErrorCode::InvalidArgument);
    CHECK(*countRows(store, "cases") == 0);

    auto thrown = store.transact([&](store::Transaction& tx) -> Result<void> {
        FACELEAD_TRY(addCase(tx, "THROWN-1", adminId));
        throw std::runtime_error("boom");
    });
    REQUIRE_FALSE(thrown.ok());
    CHECK(*countRows(store, "cases") == 0);

    auto committed = store.transact([&](store::Transaction& tx) { return addCase(tx, "KEPT-1", adminId); });
    REQUIRE(committed.ok());
    CHECK(*countRows(store, "cases") == 1);
}

TEST_CASE("constraint failures come back as typed errors", "[store]") {
    test::StoreFixture fixture;
    auto& store = fixture.session->store();
    const auto adminId = fixture.session->userId();
    REQUIRE(store.transact([&](store::Transaction& tx) { return addCase(tx, "DUP-1", adminId); }).ok());
    auto duplicate = store.transact([&](store::Transaction& tx) { return addCase(tx, "DUP-1", adminId); });
    CHECK(duplicate.error().code == ErrorCode::AlreadyExists);
    auto orphan = store.transact([&](store::Transaction& tx) { return addCase(tx, "ORPHAN-1", 9999); });
    CHECK(orphan.error().code == ErrorCode::InvalidArgument);
}

TEST_CASE("originals cannot be altered or deleted", "[store][images]") {
    test::StoreFixture fixture;
    auto& store = fixture.session->store();
    const auto adminId = fixture.session->userId();
    auto imageId = store.transact([&](store::Transaction& tx) -> Result<std::int64_t> {
        auto caseId = addCase(tx, "IMG-1", adminId);
        if (!caseId) return caseId.error();
        return addOriginal(tx, *caseId, adminId, {1, 2, 3, 4});
    });
    REQUIRE(imageId.ok());

    auto update = store.transact([&](store::Transaction& tx) -> Result<void> {
        auto statement = tx.prepare("UPDATE images SET bytes = x'00' WHERE id = ?");
        if (!statement) return statement.error();
        return statement->bind(1, *imageId).run();
    });
    CHECK(update.error().code == ErrorCode::IntegrityViolation);
    auto rehash = store.transact([&](store::Transaction& tx) -> Result<void> {
        return tx.exec("UPDATE images SET sha256 = 'x'");
    });
    CHECK(rehash.error().code == ErrorCode::IntegrityViolation);
    auto remove = store.transact([&](store::Transaction& tx) -> Result<void> {
        return tx.exec("DELETE FROM images");
    });
    CHECK(remove.error().code == ErrorCode::IntegrityViolation);
    CHECK(*countRows(store, "images") == 1);
}

TEST_CASE("settings are stored and replaced", "[store]") {
    test::StoreFixture fixture;
    auto& store = fixture.session->store();
    CHECK_FALSE(store.setting("agency").value().has_value());
    REQUIRE(store.transact([&](store::Transaction& tx) { return store.setSetting(tx, "agency", "North Port"); }).ok());
    REQUIRE(store.transact([&](store::Transaction& tx) { return store.setSetting(tx, "agency", "NPPD"); }).ok());
    CHECK(store.setting("agency").value() == std::optional<std::string>("NPPD"));
}

TEST_CASE("a truncated or corrupted store file gives a clear error and is left untouched", "[store][damage]") {
    test::StoreFixture fixture;
    const auto adminId = fixture.session->userId();
    REQUIRE(fixture.session->store().transact([&](store::Transaction& tx) -> Result<void> {
        for (int i = 0; i < 200; ++i) FACELEAD_TRY(addCase(tx, "BULK-" + std::to_string(i), adminId));
        return {};
    }).ok());
    fixture.session.reset();
    const auto original = test::fileBytes(fixture.path);
    REQUIRE(original.size() > 3 * 4096);

    SECTION("truncated") {
        // Cut in half, or only the last page (which no read at open would touch).
        const std::size_t cut = GENERATE(std::size_t{0}, std::size_t{1024});
        fixture.policy.integrityCheckOnOpen = GENERATE(true, false);  // found with and without quick_check
        const std::size_t keep = cut == 0 ? original.size() / 2 : original.size() - cut;
        const std::vector<char> truncated(original.begin(), original.begin() + static_cast<long>(keep));
        test::writeBytes(fixture.path, truncated);
        auto opened = fixture.signIn("admin", test::kAdminPassword);
        REQUIRE_FALSE(opened.ok());
        CHECK(opened.error().code == ErrorCode::StoreCorrupt);
        CHECK(opened.error().message.find("damaged") != std::string::npos);
        CHECK(test::fileBytes(fixture.path) == truncated);
    }
    SECTION("a page overwritten") {
        // Found by the cheap check of every open (or the sign-in's first reads), and by the full check.
        fixture.policy.integrityCheckOnOpen = GENERATE(true, false);
        auto damaged = original;
        std::fill(damaged.begin() + 4096 + 100, damaged.begin() + 4096 + 400, '\x5a');
        test::writeBytes(fixture.path, damaged);
        auto opened = fixture.signIn("admin", test::kAdminPassword);
        REQUIRE_FALSE(opened.ok());
        CHECK(opened.error().code == ErrorCode::StoreCorrupt);
        CHECK(test::fileBytes(fixture.path) == damaged);
    }
    SECTION("the first page overwritten") {
        auto damaged = original;
        std::fill(damaged.begin(), damaged.begin() + 64, '\x00');
        test::writeBytes(fixture.path, damaged);
        auto opened = fixture.signIn("admin", test::kAdminPassword);
        REQUIRE_FALSE(opened.ok());
        CHECK(opened.error().code == ErrorCode::StoreCorrupt);
        CHECK(test::fileBytes(fixture.path) == damaged);
    }
    SECTION("an empty file") {
        test::writeBytes(fixture.path, {});
        auto opened = fixture.signIn("admin", test::kAdminPassword);
        REQUIRE_FALSE(opened.ok());
        CHECK(opened.error().code == ErrorCode::StoreCorrupt);
        CHECK(test::fileBytes(fixture.path).empty());
    }
}

TEST_CASE("the full integrity check is an explicit operation that finds damage the open does not read",
          "[store][damage]") {
    test::StoreFixture fixture;
    const auto adminId = fixture.session->userId();
    // A large original spills over many pages that nothing reads at sign-in.
    std::vector<std::uint8_t> bytes(256 * 1024);
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 7919 % 251);
    REQUIRE(fixture.session->store().transact([&](store::Transaction& tx) -> Result<std::int64_t> {
        auto caseId = addCase(tx, "BIG-1", adminId);
        if (!caseId) return caseId.error();
        return addOriginal(tx, *caseId, adminId, bytes);
    }).ok());
    CHECK(fixture.session->store().checkIntegrity().ok());
    fixture.session.reset();
    auto damaged = test::fileBytes(fixture.path);
    const std::size_t middle = damaged.size() / 2;
    std::fill(damaged.begin() + long(middle), damaged.begin() + long(middle) + 300, '\x5a');
    test::writeBytes(fixture.path, damaged);

    fixture.policy.integrityCheckOnOpen = false;
    {
        auto opened = fixture.signIn("admin", test::kAdminPassword);
        REQUIRE(opened.ok());  // the cheap check on open does not read the image's pages
        auto check = opened->store().checkIntegrity();
        REQUIRE_FALSE(check.ok());
        CHECK(check.error().code == ErrorCode::StoreCorrupt);
        CHECK(check.error().message.find("damaged") != std::string::npos);
        auto image = opened->store().prepare("SELECT bytes FROM images");  // and reading it fails, typed
        REQUIRE(image.ok());
        auto row = image->step();
        REQUIRE_FALSE(row.ok());
        CHECK(row.error().code == ErrorCode::StoreCorrupt);
    }

    fixture.policy.integrityCheckOnOpen = true;
    auto refused = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::StoreCorrupt);
}

// Issue 9 item 1: an open session whose own connection could no longer read the store (here: its codec given
// another key, as a connection left behind by a change elsewhere) called an intact store damaged on every read
// until the program was restarted. Only a fresh connection's check may call it damaged.
TEST_CASE("the integrity check names a write-once trigger dropped outside FaceLead, and one put back is whole again "
          "(trial 45 F12)", "[store][insider]") {
    test::StoreFixture fixture;
    store::Store& store = fixture.session->store();
    CHECK(store.checkIntegrity().ok());
    const auto trigger = [&](const std::string& name) {  // its CREATE text, as the store holds it
        auto statement = store.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?");
        REQUIRE(statement.ok());
        statement->bind(1, name);
        REQUIRE(statement->step().value());
        return statement->getText(0);
    };
    const std::string kept = trigger("images_content_immutable");
    REQUIRE(store.exec("DROP TRIGGER images_content_immutable").ok());
    auto check = store.checkIntegrity();
    REQUIRE_FALSE(check.ok());
    CHECK(check.error().code == ErrorCode::IntegrityViolation);
    CHECK_THAT(check.error().message, Catch::Contains("trigger images_content_immutable is missing") &&
                                          Catch::Contains("changed outside FaceLead"));
    REQUIRE(store.exec(kept).ok());
    CHECK(store.checkIntegrity().ok());
}

TEST_CASE("a page only this connection cannot read is not called damaged; a fresh connection takes over",
          "[store][damage][issue9]") {
    test::StoreFixture fixture;
    auto& store = fixture.session->store();
    const auto adminId = fixture.session->userId();
    REQUIRE(store.transact([&](store::Transaction& tx) { return addCase(tx, "VIEW-1", adminId); }).ok());
    // This connection now decrypts with a wrong key; another session's write makes it drop its page cache.
    const char* wrongKey = "PRAGMA key = \"x'0000000000000000000000000000000000000000000000000000000000000000'\"";
    REQUIRE(sqlite3_exec(store.rawConnectionForTests(), wrongKey, nullptr, nullptr, nullptr) == SQLITE_OK);
    auto other = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(other.ok());

    {
        auto read = store.prepare("SELECT case_number FROM cases");  // a read runs again on the fresh connection
        REQUIRE(read.ok());
        auto row = read->step();
        INFO((row ? std::string() : row.error().message));
        REQUIRE(row.ok());
        REQUIRE(*row);
        CHECK(read->getText(0) == "VIEW-1");
    }
    CHECK(store.transact([&](store::Transaction& tx) { return addCase(tx, "VIEW-2", adminId); }).ok());

    // Gone wrong in the middle of a change: it is rolled back and runs once more on the fresh connection.
    int runs = 0;
    auto added = store.transact([&](store::Transaction& tx) {
        if (++runs == 1) {
            REQUIRE(sqlite3_exec(store.rawConnectionForTests(), wrongKey, nullptr, nullptr, nullptr) == SQLITE_OK);
            sqlite3_db_release_memory(store.rawConnectionForTests());  // the pages must be read again
        }
        return addCase(tx, "VIEW-3", adminId);
    });
    INFO((added ? std::string() : added.error().message));
    CHECK(added.ok());
    CHECK(runs == 2);
    auto count = store.prepare("SELECT count(*) FROM cases");
    REQUIRE(count.ok());
    REQUIRE(*count->step());
    CHECK(count->getInt(0) == 3);  // VIEW-3 once
}

TEST_CASE("new stores use 4 KiB cipher pages recorded in the key file", "[store][keys]") {
    test::StoreFixture fixture;
    CHECK(fixture.session->store().cipherPageSize() == 4096);
    auto keys = store::loadKeyFile(fixture.session->store().keyFile());
    REQUIRE(keys.ok());
    CHECK(keys->cipherPageSize == 4096);
    fixture.session.reset();
    auto again = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(again.ok());
    CHECK(again->store().cipherPageSize() == 4096);
    CHECK(again->store().checkIntegrity().ok());
}

// Trial 23A F2: the key file's page size edited by hand read as a damaged store, with the advice to restore the store.
TEST_CASE("a key file whose page size was edited is named, not the store", "[store][damage][insider]") {
    test::StoreFixture fixture;
    fixture.session.reset();
    const auto keys = store::keyFilePath(fixture.path);
    const auto before = test::fileBytes(fixture.path);
    const std::string original = test::readText(keys);
    std::string edited = original;
    const auto at = edited.find("\"cipher_page_size\": 4096");
    REQUIRE(at != std::string::npos);
    edited.replace(at, std::string("\"cipher_page_size\": 4096").size(), "\"cipher_page_size\": 1024");
    test::writeBytes(keys, {edited.begin(), edited.end()});
    auto opened = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().code == ErrorCode::KeyFileCorrupt);
    CHECK_THAT(opened.error().message, Catch::Contains("the key file was edited outside FaceLead") &&
                                           Catch::Contains("opens with 4096") &&
                                           !Catch::Contains("restore the store from"));
    CHECK(test::fileBytes(fixture.path) == before);
    test::writeBytes(keys, {original.begin(), original.end()});  // put back, it opens as before
    CHECK(fixture.signIn("admin", test::kAdminPassword).ok());
}

TEST_CASE("a missing store, a missing or damaged key file are named", "[store][damage]") {
    test::StoreFixture fixture;
    fixture.session.reset();
    const auto keys = store::keyFilePath(fixture.path);
    const auto storeBytes = test::fileBytes(fixture.path);

    CHECK(accounts::signIn(fixture.dir / "nowhere.store", "admin", test::kAdminPassword, fixture.clock,
                           fixture.policy).error().code == ErrorCode::StoreNotFound);

    std::filesystem::rename(keys, fixture.dir / "aside.keys");
    CHECK(fixture.signIn("admin", test::kAdminPassword).error().code == ErrorCode::KeyFileMissing);

    auto keyBytes = test::fileBytes(fixture.dir / "aside.keys");
    keyBytes.resize(keyBytes.size() / 2);
    test::writeBytes(keys, keyBytes);
    CHECK(fixture.signIn("admin", test::kAdminPassword).error().code == ErrorCode::KeyFileCorrupt);
    CHECK(test::fileBytes(fixture.path) == storeBytes);
}

TEST_CASE("a key file of another store does not open this one", "[store][damage]") {
    test::StoreFixture first;
    test::StoreFixture second;
    first.session.reset();
    second.session.reset();
    const auto before = test::fileBytes(first.path);
    std::filesystem::copy_file(store::keyFilePath(second.path), store::keyFilePath(first.path),
                               std::filesystem::copy_options::overwrite_existing);
    auto opened = first.signIn("admin", test::kAdminPassword);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().code == ErrorCode::StoreCorrupt);
    CHECK(test::fileBytes(first.path) == before);
}

TEST_CASE("creating a store never overwrites one", "[store]") {
    test::StoreFixture fixture;
    auto again = accounts::createStore(fixture.path, "admin2", "Other", test::kAdminPassword, fixture.clock,
                                       fixture.policy);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == ErrorCode::AlreadyExists);
}
