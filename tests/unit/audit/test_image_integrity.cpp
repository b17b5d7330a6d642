// Originals are hashed when added and re-checked on every read (SOP 302.02 VI.B.2).

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "core/audit/AuditLog.h"
#include "core/audit/ImageIntegrity.h"
#include "core/common/Hash.h"
#include "tests/unit/store/StoreTestSupport.h"

using namespace facelead;

TEST_CASE("a read returns the original only while it matches its hash", "[audit][images]") {
    test::StoreFixture fixture;
    auto& store = fixture.session->store();
    const auto userId = fixture.session->userId();
    const std::vector<std::uint8_t> bytes = {0xff, 0xd8, 0xff, 0xe0, 1, 2, 3};
    auto imageId = store.transact([&](store::Transaction& tx) -> Result<std::int64_t> {
        FACELEAD_TRY(tx.exec("INSERT INTO cases(case_number, created_by, created_at) VALUES ('IMG-1', 1, 'now')"));
        auto insert = tx.prepare(
            "INSERT INTO images(case_id, kind, bytes, sha256, size_bytes, format, width, height, created_by, "
            "created_at) VALUES (1, 'original', ?, ?, ?, 'jpeg', 1, 1, ?, 'now')");
        if (!insert) return insert.error();
        FACELEAD_TRY(insert->bind(1, bytes).bind(2, sha256Hex(bytes)).bind(3, static_cast<std::int64_t>(bytes.size()))
                         .bind(4, userId).run());
        return tx.lastInsertId();
    });
    REQUIRE(imageId.ok());
    CHECK(audit::picturesNotMatchingTheirHash(store)->empty());

    auto read = audit::readImageBytes(store, userId, *imageId);
    REQUIRE(read.ok());
    CHECK(read->bytes == bytes);
    CHECK(read->sha256 == sha256Hex(bytes));
    CHECK(audit::readImageBytes(store, userId, 999).error().code == ErrorCode::NotFound);

    // Someone with the key drops the trigger and swaps the bytes.
    REQUIRE(sqlite3_exec(store.rawConnectionForTests(),
                         "DROP TRIGGER images_content_immutable; UPDATE images SET bytes = x'ffd8ffe0010203ff';",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    // audit verify names it without anyone reading the picture (trial 22A F12).
    auto named = audit::picturesNotMatchingTheirHash(store);
    REQUIRE(named);
    REQUIRE(named->size() == 1);
    CHECK(named->front().find("Image " + std::to_string(*imageId) + " no longer matches") != std::string::npos);
    auto tampered = audit::readImageBytes(store, userId, *imageId);
    REQUIRE_FALSE(tampered.ok());
    CHECK(tampered.error().code == ErrorCode::IntegrityViolation);
    auto events = audit::AuditLog::list(store, {.action = "image.integrity_violation"});
    REQUIRE(events->size() == 1);
    CHECK(events->front().objectId == std::to_string(*imageId));
    CHECK(events->front().detailsJson.find(sha256Hex(bytes)) != std::string::npos);
}
