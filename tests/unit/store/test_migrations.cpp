// Schema migrations from a saved older store (tests/fixtures/store): the fixture was written at schema 1
// by the [.generate-fixture] case below (run it by name to regenerate). Fixture password for "fixture-admin":
// "fixture password 1" (Argon2id at libsodium's minimum cost).

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "core/audit/AuditLog.h"
#include "core/store/Store.h"
#include "tests/unit/store/StoreTestSupport.h"

using namespace facelead;

namespace {

const std::filesystem::path kFixtures = FACELEAD_STORE_FIXTURES_DIR;
constexpr const char* kFixturePassword = "fixture password 1";

store::StoreOptions fixtureOptions() {
    store::StoreOptions options;
    options.kdf = store::KdfParams::minimum();
    return options;
}

std::filesystem::path copyFixture(const test::TempDir& dir) {
    const auto path = dir / "old.store";
    std::filesystem::copy_file(kFixtures / "v1-fixture.db", path);
    std::filesystem::copy_file(kFixtures / "v1-fixture.keyfile", store::keyFilePath(path));
    return path;
}

}  // namespace

TEST_CASE("a schema-1 store is migrated to the latest schema with its data and audit chain intact",
          "[store][migrations]") {
    test::TempDir dir;
    const auto path = copyFixture(dir);
    auto clock = std::make_shared<test::FakeClock>();

    auto opened = store::Store::open(path, "fixture-admin", kFixturePassword, clock, fixtureOptions());
    REQUIRE(opened.ok());
    auto& store = **opened;
    CHECK(store.schemaVersion() == store::Store::latestSchemaVersion());
    CHECK(store.schemaVersion() > 1);
    // Its key file predates the recorded page size: SQLCipher 3's 1 KiB pages.
    CHECK(store.cipherPageSize() == store::KeyFile::kLegacyCipherPageSize);
    CHECK(store.checkIntegrity().ok());

    auto cases = store.prepare("SELECT case_number FROM cases");
    REQUIRE(cases.ok());
    REQUIRE(*cases->step());
    CHECK(cases->getText(0) == "FIXTURE-2026-001");

    auto versions = store.prepare("SELECT group_concat(version) FROM schema_version ORDER BY version");
    REQUIRE(versions.ok());
    REQUIRE(*versions->step());
    std::string every = "1";  // every migration once, in order, up to the latest
    for (int version = 2; version <= store::Store::latestSchemaVersion(); ++version) {
        every += ',';  // appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "," + std::string
        every += std::to_string(version);
    }
    CHECK(versions->getText(0) == every);

    // v7 (issue 11): the agency's evidence types are seeded, a line-up marked as an identification procedure.
    auto types = store.prepare("SELECT count(*), sum(identification_procedure) FROM evidence_types");
    REQUIRE(types.ok());
    REQUIRE(*types->step());
    CHECK(types->getInt(0) == 6);
    CHECK(types->getInt(1) == 1);

    // v8 (issue 10 item 4): a search carries the points of a hand-marked face, NULL for the searches before it.
    auto marked = store.prepare("SELECT count(*) FROM searches WHERE marked_points IS NOT NULL OR marked_by IS NOT NULL "
                                "OR marked_at IS NOT NULL");
    REQUIRE(marked.ok());
    REQUIRE(*marked->step());
    CHECK(marked->getInt(0) == 0);

    auto indexes = store.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'images_by_case'");
    REQUIRE(indexes.ok());
    REQUIRE(*indexes->step());
    CHECK(indexes->getInt(0) == 1);

    // Every append looks up its signer's latest key certification by action (AuditLog.cpp): through the index on
    // action, so it reads the few certifications, not the whole log (writing N entries would cost O(N^2)).
    auto plan = store.prepare("EXPLAIN QUERY PLAN SELECT seq, details FROM audit_log WHERE action = 'key.certified' "
                              "ORDER BY seq DESC");
    REQUIRE(plan.ok());
    std::string steps;
    while (*plan->step()) steps += plan->getText(3) + "\n";
    INFO(steps);
    CHECK(steps.find("USING INDEX audit_log_by_action") != std::string::npos);

    auto report = audit::AuditLog::verify(store);
    REQUIRE(report.ok());
    CHECK(report->intact());
    CHECK(report->entriesChecked == 2);
    CHECK(report->unsignedEntries == 2);  // written before signatures: checked by hash only
    // The slot from before signatures got a key pair at this open.
    CHECK(store.signingKeyEnrolledAtOpen());
    CHECK_FALSE(store.signerPublicKey().empty());
}

namespace {

// Opens the fixture (migrating it to the latest schema), runs `sql` on it as someone holding the database key
// would, and opens it again.
Result<std::unique_ptr<store::Store>> reopenedAfter(const std::filesystem::path& path, const char* sql) {
    {
        auto opened = store::Store::open(path, "fixture-admin", kFixturePassword, nullptr, fixtureOptions());
        REQUIRE(opened.ok());
        REQUIRE(sqlite3_exec((*opened)->rawConnectionForTests(), sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    return store::Store::open(path, "fixture-admin", kFixturePassword, nullptr, fixtureOptions());
}

}  // namespace

TEST_CASE("a store written by a newer FaceLead is refused, not damaged", "[store][migrations]") {
    test::TempDir dir;
    const auto path = copyFixture(dir);
    // A newer FaceLead changes the tables as well as the version.
    auto reopened = reopenedAfter(path, "CREATE TABLE video_probes (id INTEGER PRIMARY KEY); "
                                        "INSERT INTO schema_version(version, applied_at) VALUES (99, 'future')");
    REQUIRE_FALSE(reopened.ok());
    CHECK(reopened.error().code == ErrorCode::MigrationFailed);
    CHECK_THAT(reopened.error().message, Catch::Contains("newer FaceLead (schema 99)"));
}

// Trial 22A F11: one row written into schema_version locked every account out with "written by a newer FaceLead".
TEST_CASE("a schema version written by hand is named as edited outside FaceLead, not as a newer version",
          "[store][migrations][insider]") {
    test::TempDir dir;
    const auto path = copyFixture(dir);
    auto reopened = reopenedAfter(path, "INSERT INTO schema_version(version, applied_at) VALUES (99, 'future')");
    REQUIRE_FALSE(reopened.ok());
    CHECK(reopened.error().code == ErrorCode::IntegrityViolation);
    CHECK_THAT(reopened.error().message, Catch::Contains("edited outside FaceLead"));
    CHECK_THAT(reopened.error().message, !Catch::Contains("Update FaceLead"));
}

// Trial 23A F3: rows deleted from schema_version failed every sign-in with "table ... already exists".
TEST_CASE("schema version rows deleted by hand are named as edited outside FaceLead", "[store][migrations][insider]") {
    test::TempDir dir;
    const auto path = copyFixture(dir);
    const char* deletion = GENERATE("DELETE FROM schema_version WHERE version = (SELECT max(version) FROM schema_version)",
                                    "DELETE FROM schema_version WHERE version >= 4");
    CAPTURE(deletion);
    auto reopened = reopenedAfter(path, deletion);
    REQUIRE_FALSE(reopened.ok());
    CHECK(reopened.error().code == ErrorCode::IntegrityViolation);
    CHECK_THAT(reopened.error().message, Catch::Contains("edited outside FaceLead"));
}

// Writes tests/fixtures/store/v1-fixture.{db,keyfile}. Hidden: run `unit_store "[.generate-fixture]"`.
TEST_CASE("generate the schema-1 fixture", "[.generate-fixture]") {
    test::TempDir dir;
    const auto path = dir / "v1.store";
    auto clock = std::make_shared<test::FakeClock>();
    auto options = fixtureOptions();
    options.targetSchemaVersion = 1;
    auto created = store::Store::create(path, "fixture-admin", kFixturePassword, clock, options);
    REQUIRE(created.ok());
    auto& store = *created->store;
    REQUIRE(store.schemaVersion() == 1);
    auto filled = store.transact([&](store::Transaction& tx) -> Result<void> {
        FACELEAD_TRY(tx.exec("INSERT INTO users(username, display_name, roles, status, created_at, approved_at) "
                             "VALUES ('fixture-admin', 'Fixture Admin', 'program_administrator,supervisor', 'active', "
                             "'2026-11-24T09:00:00.000Z', '2026-11-24T09:00:00.000Z')"));
        FACELEAD_TRY(audit::AuditLog::append(tx, {std::nullopt, "store.created", "store", ""}));
        FACELEAD_TRY(tx.exec("INSERT INTO cases(case_number, offence, created_by, created_at) "
                             "VALUES ('FIXTURE-2026-001', 'burglary', 1, '2026-11-24T09:00:00.000Z')"));
        FACELEAD_TRY(audit::AuditLog::append(tx, {1, "case.created", "case", "1"}));
        return {};
    });
    REQUIRE(filled.ok());
    REQUIRE(store.exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
    created->store.reset();
    std::filesystem::copy_file(path, kFixtures / "v1-fixture.db", std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(store::keyFilePath(path), kFixtures / "v1-fixture.keyfile",
                               std::filesystem::copy_options::overwrite_existing);
}
