// The gallery in the store: inserting 100 000 faces encrypted vs plain, and opening a 100 000-face
// store and loading the 1:N index. See docs/PERFORMANCE.md "Store and 1:N search".
//
// The plain reference: SQLCipher and SQLite export the same symbols, so plain SQLite cannot be linked
// into the same process. SQLCipher WITHOUT a key behaves as plain SQLite, so the reference is the same
// library, the same schema (store::schema::migrate), the same pragmas (foreign keys, WAL) and the same
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
#include "core/store/Schema.h"
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

void check(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
        std::abort();
    }
}

void exec(sqlite3* db, const char* sql) { check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql); }

// SQLCipher 3 encrypts 1 KiB pages; unkeyed it uses SQLite's default 4 KiB pages. Both plain variants are
// measured so the cost of encryption is not confused with the cost of smaller pages.
enum class RawMode { Plain, PlainSmallPages, Encrypted };

std::string rawFileName(RawMode mode) {
    switch (mode) {
    case RawMode::Plain: return "raw-plain.db";
    case RawMode::PlainSmallPages: return "raw-plain-1k.db";
    case RawMode::Encrypted: return "raw-encrypted.db";
    }
    return "raw.db";
}

// Opens a raw connection as store::Store does: the key (when given) first, then the same pragmas and schema.
sqlite3* openRaw(const fs::path& path, RawMode mode) {
    sqlite3* db = nullptr;
    check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr), db, "open");
    if (mode == RawMode::Encrypted)
        exec(db, "PRAGMA key = \"x'000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'\"");
    if (mode == RawMode::PlainSmallPages) exec(db, "PRAGMA page_size = 1024");
    exec(db, "PRAGMA foreign_keys = ON");
    exec(db, "PRAGMA journal_mode = WAL");
    return db;
}

void createRawStore(const fs::path& path, RawMode mode) {
    fs::remove(path);
    sqlite3* db = openRaw(path, mode);
    if (!facelead::store::schema::migrate(db, 0, facelead::toIsoUtc(std::chrono::system_clock::now())).ok())
        std::abort();
    exec(db, "INSERT INTO users(id, username, display_name, status, created_at) "
             "VALUES (1, 'bench', 'Bench', 'active', '2026-01-01T00:00:00.000Z')");
    sqlite3_close(db);
}

// The same statements Gallery::addFaces runs, minus the audit event and the subject look-up.
void insertRaw(const fs::path& path, RawMode mode) {
    sqlite3* db = openRaw(path, mode);
    sqlite3_stmt* subject = nullptr;
    sqlite3_stmt* face = nullptr;
    check(sqlite3_prepare_v2(db,
                             "INSERT INTO gallery_subjects(name, date_of_birth, source, record_id, created_by, "
                             "created_at) VALUES (?, NULL, 'bench', ?, 1, ?)",
                             -1, &subject, nullptr), db, "prepare");
    check(sqlite3_prepare_v2(db,
                             "INSERT INTO gallery_faces(subject_id, image, image_sha256, descriptor, quality, box, "
                             "source_path, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)",
                             -1, &face, nullptr), db, "prepare");
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
        const std::string sha = facelead::sha256Hex(image);
        const std::string source = "/bench/" + std::to_string(i) + ".jpg";
        sqlite3_bind_int64(face, 1, subjectId);
        sqlite3_bind_blob(face, 2, image.data(), int(image.size()), SQLITE_TRANSIENT);
        sqlite3_bind_text(face, 3, sha.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(face, 4, descriptors().data() + i * 128, 512, SQLITE_TRANSIENT);
        sqlite3_bind_text(face, 5, kQualityJson, -1, SQLITE_STATIC);
        sqlite3_bind_text(face, 6, kBoxJson, -1, SQLITE_STATIC);
        sqlite3_bind_text(face, 7, source.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(face, 8, now.c_str(), -1, SQLITE_TRANSIENT);
        check(sqlite3_step(face), db, "face");
        sqlite3_reset(face);
        if ((i + 1) % kFacesPerTransaction == 0 || i + 1 == kFaces) exec(db, "COMMIT");
    }
    sqlite3_finalize(subject);
    sqlite3_finalize(face);
    sqlite3_close(db);
}

void BM_InsertRaw(benchmark::State& state, RawMode mode) {
    const fs::path path = benchDir() / rawFileName(mode);
    descriptors();
    imageFor(0);
    for (auto _ : state) {
        state.PauseTiming();
        createRawStore(path, mode);
        state.ResumeTiming();
        insertRaw(path, mode);
    }
    state.counters["faces"] = double(kFaces);
    state.counters["MB_on_disk"] = double(fs::file_size(path)) / 1e6;
    state.counters["faces_per_s"] = benchmark::Counter(double(kFaces), benchmark::Counter::kIsRate);
}

facelead::accounts::SecurityPolicy productionPolicy() { return {}; }  // interactive KDF, quick_check on open

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

// Sign in (Argon2id key unwrap, quick_check, migrations check) and load every descriptor into the index.
void BM_OpenAndLoadGallery(benchmark::State& state) {
    double signInSeconds = 0, loadSeconds = 0;
    std::size_t loaded = 0;
    for (auto _ : state) {
        const auto start = Clock::now();
        auto session = facelead::accounts::signIn(realStorePath(), kUser, kPassword,
                                                  std::make_shared<facelead::SystemClock>(), productionPolicy());
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

// The reference for loading: the same SELECT on the plain (unkeyed) raw store of the same size.
void BM_LoadDescriptorsPlainRaw(benchmark::State& state) {
    const fs::path path = benchDir() / rawFileName(RawMode::Plain);
    std::size_t rows = 0;
    for (auto _ : state) {
        sqlite3* db = openRaw(path, RawMode::Plain);
        sqlite3_stmt* select = nullptr;
        check(sqlite3_prepare_v2(db, "SELECT id, subject_id, descriptor FROM gallery_faces ORDER BY id", -1, &select,
                                 nullptr), db, "prepare");
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

BENCHMARK_CAPTURE(BM_InsertRaw, plain, RawMode::Plain)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_InsertRaw, plain_1k_pages, RawMode::PlainSmallPages)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_InsertRaw, encrypted, RawMode::Encrypted)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_InsertGalleryEncrypted)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_LoadDescriptorsPlainRaw)->Iterations(3)->Unit(benchmark::kSecond);
BENCHMARK(BM_OpenAndLoadGallery)->Iterations(3)->Unit(benchmark::kSecond);

}  // namespace

int main(int argc, char** argv) {
    if (sodium_init() < 0) return 1;
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    facelead::bench::RatioReporter reporter({
        {"BM_InsertRaw/encrypted/iterations:1", "BM_InsertRaw/plain/iterations:1",
         "insert 100k faces: SQLCipher keyed / unkeyed (same SQL)"},
        {"BM_InsertRaw/encrypted/iterations:1", "BM_InsertRaw/plain_1k_pages/iterations:1",
         "insert 100k faces: keyed / unkeyed with 1 KiB pages"},
        {"BM_InsertGalleryEncrypted/iterations:1", "BM_InsertRaw/plain/iterations:1",
         "insert 100k faces: Gallery::addFaces / unkeyed raw SQL"},
        {"BM_OpenAndLoadGallery/iterations:3", "BM_LoadDescriptorsPlainRaw/iterations:3",
         "open + load 100k: sign-in + Gallery::load / plain raw load"},
    });
    benchmark::RunSpecifiedBenchmarks(&reporter);
    reporter.printRatios();
    benchmark::Shutdown();
    std::error_code ignored;
    fs::remove_all(benchDir(), ignored);
    return 0;
}
