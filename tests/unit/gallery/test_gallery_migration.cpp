// Schema v3 moves gallery images out of gallery_faces (so loading the 1:N index reads no image): a store
// enrolled under schema 2 keeps every image and hash, the index loads, and the hash re-check still works.

#include <catch2/catch.hpp>

#include <cstring>

#include "core/common/Hash.h"
#include "core/gallery/Gallery.h"
#include "core/store/Store.h"
#include "tests/support/TestData.h"

using namespace facelead;

namespace {

store::StoreOptions options(int targetSchemaVersion) {
    store::StoreOptions result;
    result.kdf = store::KdfParams::minimum();
    result.targetSchemaVersion = targetSchemaVersion;
    return result;
}

constexpr const char* kUser = "migration.admin";
constexpr const char* kPassword = "migration password 1";

std::int64_t scalar(store::Store& store, const std::string& sql) {
    auto statement = store.prepare(sql);
    REQUIRE(statement.ok());
    REQUIRE(*statement->step());
    return statement->getInt(0);
}

}  // namespace

TEST_CASE("gallery images enrolled under schema 2 move to gallery_face_images intact", "[gallery][migrations]") {
    test::TempDir dir;
    const auto path = dir / "v2.store";
    const std::vector<std::uint8_t> image{0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5};
    face::Descriptor descriptor{};
    descriptor[0] = 1.0f;
    std::vector<std::uint8_t> descriptorBlob(sizeof descriptor);
    std::memcpy(descriptorBlob.data(), descriptor.data(), sizeof descriptor);
    {
        auto created = store::Store::create(path, kUser, kPassword, nullptr, options(2));
        REQUIRE(created.ok());
        auto& store = *created->store;
        REQUIRE(store.schemaVersion() == 2);
        auto written = store.transact([&](store::Transaction& tx) -> Result<void> {
            FACELEAD_TRY(tx.exec("INSERT INTO users(id, username, display_name, status, created_at) VALUES "
                                 "(1, 'migration.admin', 'Admin', 'active', '2026-11-24T09:00:00.000Z');"
                                 "INSERT INTO gallery_subjects(id, name, created_by, created_at) VALUES "
                                 "(1, 'Old Subject', 1, '2026-11-24T09:00:00.000Z')"));
            auto face = tx.prepare("INSERT INTO gallery_faces(id, subject_id, image, image_sha256, descriptor, "
                                   "created_by, created_at) VALUES (7, 1, ?, ?, ?, 1, '2026-11-24T09:00:00.000Z')");
            if (!face) return face.error();
            return face->bind(1, image).bind(2, sha256Hex(image)).bind(3, descriptorBlob).run();
        });
        REQUIRE(written.ok());
    }

    auto opened = store::Store::open(path, kUser, kPassword, nullptr, options(0));
    REQUIRE(opened.ok());
    auto& store = **opened;
    CHECK(store.schemaVersion() == store::Store::latestSchemaVersion());
    CHECK(scalar(store, "SELECT count(*) FROM gallery_face_images WHERE face_id = 7") == 1);
    CHECK(scalar(store, "SELECT count(*) FROM gallery_faces WHERE image IS NOT NULL OR image_sha256 IS NOT NULL") == 0);

    gallery::Gallery gallery;
    REQUIRE(gallery.load(store).ok());
    CHECK(gallery.index().size() == 1);  // schema v5: a subject enrolled before removals existed is not removed
    CHECK(scalar(store, "SELECT count(*) FROM gallery_subjects WHERE removed_at IS NULL") == 1);
    auto bytes = gallery.faceImage(store, 7);
    REQUIRE(bytes.ok());
    CHECK(*bytes == image);
    auto faces = gallery.listFaces(store);
    REQUIRE(faces.ok());
    REQUIRE(faces->size() == 1);
    CHECK(faces->front().imageSha256 == sha256Hex(image));
    // The subject look-ups of enrolment have their indexes.
    CHECK(scalar(store, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                        "('gallery_subjects_by_record', 'gallery_subjects_by_name')") == 2);
    // ... and SQLite picks them for the look-ups Gallery makes (a scan would cost O(subjects) per subject).
    const auto plan = [&](const std::string& sql) {
        auto statement = store.prepare("EXPLAIN QUERY PLAN " + sql);
        REQUIRE(statement.ok());
        std::string details;
        while (*statement->step()) details += statement->getText(3) + "\n";
        return details;
    };
    CHECK_THAT(plan("SELECT id FROM gallery_subjects WHERE record_id IS NULL AND source = 'a' AND name = 'b' "
                    "AND date_of_birth IS NULL AND removed_at IS NULL ORDER BY id LIMIT 1"),
               Catch::Contains("gallery_subjects_by_name"));
    CHECK_THAT(plan("SELECT id, name FROM gallery_subjects WHERE record_id = 'r' AND source = 'a' "
                    "AND removed_at IS NULL ORDER BY id LIMIT 1"),
               Catch::Contains("gallery_subjects_by_record"));
}
