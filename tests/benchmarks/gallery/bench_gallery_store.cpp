// The gallery in the store: inserting 100 000 faces encrypted vs plain, and opening a 100 000-face
// store and loading the 1:N index. See docs/PERFORMANCE.md "Store and 1:N search".
//
// The plain reference: SQLCipher and SQLite export the same symbols, so plain SQLite cannot be linked
// into the same process. SQLCipher WITHOUT a key behaves as plain SQLite, so the reference is the same
// library, the same schema (store::schema::migrate), the same pragmas (cache size, foreign keys, WAL) and the same
// INSERT statements, with and without `PRAGMA key`. FaceLead's real path (Gallery::addFaces: subject
// look-ups, one audit event per subject, through store::Store) is measured as well.

#include <benchmark/benchmark.h>
#include <sodium.h>
#include <sqlite3.h>

#include <unistd.h>

#include <chrono>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <random>

#include "core/accounts/Session.h"
#include "core/common/Clock.h"
#include "core/common/Hash.h"
#include "core/gallery/Gallery.h"
#include "core/reports/AuditTrail.h"
#include "core/store/Schema.h"
#include "core/store/Store.h"
#include "tests/benchmarks/gallery/BenchSupport.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kFaces = 100'000;
constexpr std::size_t kFacesPerSubject = 10;
constexpr std::size_t kFacesPerTransaction = 1'000;  // as an enrolment writes chunk by chunk
// A face image the size of a 150x150 JPEG chip (johns/ averages about 8 KB); random, so incompressible.
constexpr std::size_t kImageBytes = 8 * 1024;
constexpr const char* kQualityJson =
    R"({"brightness":121.5,"contrast":48.2,"face_width_px":108,"inter_ocular_px":56.0,"reasons":[],)"
    R"("sharpness":2484.2,"verdict":"good","yaw_degrees":1.5})";
constexpr const char* kBoxJson = R"({"bottom":129,"left":21,"right":129,"top":21})";
constexpr const char* kUser = "bench.admin";
constexpr const char* kPassword = "benchmark passphrase 2026";

fs::path benchDir() {
    static const fs::path dir = [] {
        fs::path d = fs::temp_directory_path() / ("facelead-bench-" + std::to_string(::getpid()));
        fs::create_directories(d);
        return d;
    }();
    return dir;
}

const std::vector<float>& descriptors() {
    static const std::vector<float> rows = facelead::bench::unitDescriptors(kFaces, 3);
    return rows;
}

// Random bytes made once (outside the timings), each face's copy stamped with its number so every image
// and its SHA-256 differ.
std::vector<std::uint8_t> imageFor(std::size_t face) {
    static const std::vector<std::uint8_t> noise = [] {
        std::vector<std::uint8_t> bytes(kImageBytes);
        randombytes_buf(bytes.data(), bytes.size());
        return bytes;
    }();
    std::vector<std::uint8_t> bytes = noise;
    std::memcpy(bytes.data(), &face, sizeof face);
    return bytes;
}

// The reference hashes each photo with libsodium, as FaceLead itself did when the figure before issue 8 was
// measured (docs/PERFORMANCE.md): the yardstick stays the same code, so the ratio of ratios compares FaceLead
// then and now. FaceLead now hashes with libcrypto (core/common/Hash.cpp); BM_InsertRaw/encrypted shows the
// encrypted store alone with the same hash as the reference.
std::string referenceSha256Hex(const std::vector<std::uint8_t>& bytes) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, bytes.data(), bytes.size());
    return facelead::toHex(std::span(digest, sizeof digest));
}

void check(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
        std::abort();
    }
}

void exec(sqlite3* db, const char* sql) { check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql); }

// The raw variants. Unkeyed SQLCipher uses SQLite's default 4 KiB pages; new stores use 4 KiB cipher pages
// too (recorded in the key file), stores created before that 1 KiB pages (SQLCipher 3's default), measured
// as well. Every variant has the schema's layout (v3: images in gallery_face_images) and the same pragmas.
struct RawLayout {
    const char* file;
    bool encrypted;
    int cipherPageSize;  // when encrypted
};
constexpr RawLayout kPlain{"raw-plain.db", false, 0};
constexpr RawLayout kEncrypted{"raw-encrypted.db", true, 4096};
constexpr RawLayout kEncrypted1k{"raw-encrypted-1k.db", true, 1024};

// Opens a raw connection as store::Store does: the key (when given) and page size first, then the same
// pragmas (cache size as StoreOptions' default, foreign keys, WAL) and schema.
sqlite3* openRaw(const RawLayout& layout) {
    const fs::path path = benchDir() / layout.file;
    sqlite3* db = nullptr;
    check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr), db, "open");
    if (layout.encrypted) {
        exec(db, "PRAGMA key = \"x'000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'\"");
        exec(db, ("PRAGMA cipher_page_size = " + std::to_string(layout.cipherPageSize)).c_str());
    }
    exec(db, ("PRAGMA cache_size = -" + std::to_string(facelead::store::StoreOptions{}.cacheKiB)).c_str());
    exec(db, "PRAGMA foreign_keys = ON");
    exec(db, "PRAGMA journal_mode = WAL");
    return db;
}

void createRawStore(const RawLayout& layout) {
    fs::remove(benchDir() / layout.file);
    sqlite3* db = openRaw(layout);
    if (!facelead::store::schema::migrate(db, 0, facelead::toIsoUtc(std::chrono::system_clock::now())).ok())
        std::abort();
    exec(db, "INSERT INTO users(id, username, display_name, status, created_at) "
             "VALUES (1, 'bench', 'Bench', 'active', '2026-01-01T00:00:00.000Z')");
    sqlite3_close(db);
}

sqlite3_stmt* prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* statement = nullptr;
    check(sqlite3_prepare_v2(db, sql, -1, &statement, nullptr), db, sql);
    return statement;
}

// The same statements Gallery::addFaces runs, minus the audit event and the subject look-up.
void insertRaw(const RawLayout& layout) {
    sqlite3* db = openRaw(layout);
    sqlite3_stmt* subject = prepare(db,
                                    "INSERT INTO gallery_subjects(name, date_of_birth, source, record_id, created_by, "
                                    "created_at) VALUES (?, NULL, 'bench', ?, 1, ?)");
    sqlite3_stmt* face = prepare(db,
                                 "INSERT INTO gallery_faces(subject_id, descriptor, quality, box, source_path, "
                                 "created_by, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)");
    sqlite3_stmt* faceImage =
        prepare(db, "INSERT INTO gallery_face_images(face_id, image_sha256, image) VALUES (?, ?, ?)");
    const std::string now = facelead::toIsoUtc(std::chrono::system_clock::now());
    std::int64_t subjectId = 0;
    for (std::size_t i = 0; i < kFaces; ++i) {
        if (i % kFacesPerTransaction == 0) exec(db, "BEGIN IMMEDIATE");
        if (i % kFacesPerSubject == 0) {
            const std::string name = "Subject " + std::to_string(i / kFacesPerSubject);
            sqlite3_bind_text(subject, 1, name.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(subject, 2, name.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(subject, 3, now.c_str(), -1, SQLITE_TRANSIENT);
            check(sqlite3_step(subject), db, "subject");
            sqlite3_reset(subject);
            subjectId = sqlite3_last_insert_rowid(db);
        }
        const auto image = imageFor(i);
        const std::string sha = referenceSha256Hex(image);
        const std::string source = "/bench/" + std::to_string(i) + ".jpg";
        sqlite3_bind_int64(face, 1, subjectId);
        sqlite3_bind_blob(face, 2, descriptors().data() + i * 128, 512, SQLITE_TRANSIENT);
        sqlite3_bind_text(face, 3, kQualityJson, -1, SQLITE_STATIC);
        sqlite3_bind_text(face, 4, kBoxJson, -1, SQLITE_STATIC);
        sqlite3_bind_text(face, 5, source.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(face, 6, now.c_str(), -1, SQLITE_TRANSIENT);
        check(sqlite3_step(face), db, "face");
        sqlite3_reset(face);
        sqlite3_bind_int64(faceImage, 1, sqlite3_last_insert_rowid(db));
        sqlite3_bind_text(faceImage, 2, sha.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(faceImage, 3, image.data(), int(image.size()), SQLITE_TRANSIENT);
        check(sqlite3_step(faceImage), db, "image");
        sqlite3_reset(faceImage);
        if ((i + 1) % kFacesPerTransaction == 0 || i + 1 == kFaces) exec(db, "COMMIT");
    }
    sqlite3_finalize(subject);
    sqlite3_finalize(face);
    sqlite3_finalize(faceImage);
    sqlite3_close(db);
}

void BM_InsertRaw(benchmark::State& state, RawLayout layout) {
    descriptors();
    imageFor(0);
    for (auto _ : state) {
        state.PauseTiming();
        createRawStore(layout);
        state.ResumeTiming();
        insertRaw(layout);
    }
    state.counters["faces"] = double(kFaces);
    state.counters["MB_on_disk"] = double(fs::file_size(benchDir() / layout.file)) / 1e6;
    state.counters["faces_per_s"] = benchmark::Counter(double(kFaces), benchmark::Counter::kIsRate);
}

// Opening a raw store (key, pragmas) and reading every descriptor into a GalleryIndex, as Gallery::load.
void BM_LoadRaw(benchmark::State& state, RawLayout layout) {
    std::size_t rows = 0;
    for (auto _ : state) {
        sqlite3* db = openRaw(layout);
        sqlite3_stmt* select = prepare(db, "SELECT id, subject_id, descriptor FROM gallery_faces ORDER BY id");
        facelead::gallery::GalleryIndex index;
        index.reserve(kFaces);
        facelead::face::Descriptor descriptor;
        while (sqlite3_step(select) == SQLITE_ROW) {
            std::memcpy(descriptor.data(), sqlite3_column_blob(select, 2), sizeof descriptor);
            index.add(sqlite3_column_int64(select, 0), sqlite3_column_int64(select, 1), descriptor);
        }
        sqlite3_finalize(select);
        sqlite3_close(db);
        rows = index.size();
    }
    state.counters["faces"] = double(rows);
}

facelead::accounts::SecurityPolicy productionPolicy() { return {}; }  // interactive KDF

fs::path realStorePath() { return benchDir() / "gallery.store"; }

// FaceLead's own path: accounts::createStore, Gallery::addFaces (look-ups, audit events) chunk by chunk.
void BM_InsertGalleryEncrypted(benchmark::State& state) {
    descriptors();
    imageFor(0);
    for (auto _ : state) {
        state.PauseTiming();
        fs::remove(realStorePath());
        fs::remove(facelead::store::keyFilePath(realStorePath()));
        fs::remove(realStorePath().string() + "-wal");
        fs::remove(realStorePath().string() + "-shm");
        auto created = facelead::accounts::createStore(realStorePath(), kUser, "Bench Admin", kPassword,
                                                       std::make_shared<facelead::SystemClock>(), productionPolicy());
        if (!created) state.SkipWithError(created.error().message.c_str());
        auto& session = created->session;
        const facelead::gallery::Actor actor{session.userId(), session.user().roles};
        facelead::gallery::Gallery gallery;
        state.ResumeTiming();
        for (std::size_t first = 0; first < kFaces; first += kFacesPerTransaction) {
            std::vector<facelead::gallery::NewSubjectFaces> batch;
            for (std::size_t i = first; i < first + kFacesPerTransaction; ++i) {
                if (i % kFacesPerSubject == 0) {
                    const std::string name = "Subject " + std::to_string(i / kFacesPerSubject);
                    batch.push_back({{name, std::nullopt, "bench", name}, {}});
                }
                batch.back().faces.push_back({imageFor(i), facelead::bench::descriptorAt(descriptors(), i), {},
                                              {21, 21, 129, 129}, "/bench/" + std::to_string(i) + ".jpg"});
            }
            if (auto added = gallery.addFaces(session.store(), actor, batch); !added) {
                state.SkipWithError(added.error().message.c_str());
                break;
            }
        }
    }
    state.counters["faces"] = double(kFaces);
    state.counters["MB_on_disk"] = double(fs::file_size(realStorePath())) / 1e6;
    state.counters["faces_per_s"] = benchmark::Counter(double(kFaces), benchmark::Counter::kIsRate);
}

// Sign in (Argon2id key unwrap, the cheap check or the full quick_check, migrations check) and load every
// descriptor into the index.
void BM_OpenAndLoadGallery(benchmark::State& state, bool quickCheckOnOpen) {
    auto policy = productionPolicy();
    policy.integrityCheckOnOpen = quickCheckOnOpen;
    double signInSeconds = 0, loadSeconds = 0;
    std::size_t loaded = 0;
    for (auto _ : state) {
        const auto start = Clock::now();
        auto session = facelead::accounts::signIn(realStorePath(), kUser, kPassword,
                                                  std::make_shared<facelead::SystemClock>(), policy);
        if (!session) {
            state.SkipWithError(session.error().message.c_str());
            break;
        }
        const auto signedIn = Clock::now();
        facelead::gallery::Gallery gallery;
        if (auto ok = gallery.load(session->store()); !ok) state.SkipWithError(ok.error().message.c_str());
        const auto done = Clock::now();
        loaded = gallery.index().size();
        signInSeconds += std::chrono::duration<double>(signedIn - start).count();
        loadSeconds += std::chrono::duration<double>(done - signedIn).count();
    }
    state.counters["faces"] = double(loaded);
    state.counters["signin_s"] = signInSeconds / double(state.iterations());
    state.counters["load_s"] = loadSeconds / double(state.iterations());
}

// `audit verify` over the 100 000-face store: every entry's signature and chain link, every gallery face against its
// enrolment entry's digest, the anchored heads (reports::AuditTrail::verify, as the CLI and the viewer call it).
void BM_AuditVerify(benchmark::State& state) {
    auto session = facelead::accounts::signIn(realStorePath(), kUser, kPassword,
                                              std::make_shared<facelead::SystemClock>(), productionPolicy());
    if (!session) {
        state.SkipWithError(session.error().message.c_str());
        return;
    }
    std::size_t entries = 0;
    for (auto _ : state) {
        auto report = facelead::reports::AuditTrail(*session).verify();
        if (!report) {
            state.SkipWithError(report.error().message.c_str());
            break;
        }
        if (!report->intact()) state.SkipWithError(report->describe().c_str());
        entries = report->entriesChecked;
    }
    state.counters["entries"] = double(entries);
}

BENCHMARK_CAPTURE(BM_InsertRaw, plain, kPlain)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_InsertRaw, encrypted, kEncrypted)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_InsertRaw, encrypted_1k_pages, kEncrypted1k)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_InsertGalleryEncrypted)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_LoadRaw, plain, kPlain)->Iterations(3)->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_LoadRaw, encrypted, kEncrypted)->Iterations(3)->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_LoadRaw, encrypted_1k_pages, kEncrypted1k)->Iterations(3)->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_OpenAndLoadGallery, cheap_check_on_open, false)->Iterations(3)->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_OpenAndLoadGallery, quick_check_on_open, true)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_AuditVerify)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace

int main(int argc, char** argv) {
    if (sodium_init() < 0) return 1;
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    const auto pair = [](std::string measured, std::string reference, std::string label) {
        return facelead::bench::RatioReporter::Pair{std::move(measured), std::move(reference), std::move(label)};
    };
    facelead::bench::RatioReporter reporter({
        pair("BM_InsertRaw/encrypted/iterations:1", "BM_InsertRaw/plain/iterations:1",
             "insert 100k: keyed (4 KiB pages) / unkeyed, same SQL (the target)"),
        pair("BM_InsertRaw/encrypted_1k_pages/iterations:1", "BM_InsertRaw/plain/iterations:1",
             "insert 100k: keyed 1 KiB pages (older stores) / unkeyed"),
        pair("BM_InsertGalleryEncrypted/iterations:1", "BM_InsertRaw/plain/iterations:1",
             "insert 100k: Gallery::addFaces / unkeyed raw SQL"),
        pair("BM_LoadRaw/encrypted/iterations:3", "BM_LoadRaw/plain/iterations:3", "load 100k: keyed / unkeyed"),
        pair("BM_LoadRaw/encrypted_1k_pages/iterations:3", "BM_LoadRaw/plain/iterations:3",
             "load 100k: keyed 1 KiB pages / unkeyed"),
        pair("BM_OpenAndLoadGallery/cheap_check_on_open/iterations:3", "BM_LoadRaw/plain/iterations:3",
             "sign-in + Gallery::load / unkeyed raw load"),
        pair("BM_OpenAndLoadGallery/quick_check_on_open/iterations:1", "BM_LoadRaw/plain/iterations:3",
             "sign-in with full quick_check + load / unkeyed raw load"),
    });
    benchmark::RunSpecifiedBenchmarks(&reporter);
    reporter.printRatios();
    benchmark::Shutdown();
    std::error_code ignored;
    fs::remove_all(benchDir(), ignored);
    return 0;
}
