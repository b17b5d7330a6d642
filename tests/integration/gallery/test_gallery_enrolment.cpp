// Enrolment through the real face engine into a real encrypted store: per-file reporting, subjects
// reused, audit events in the same transaction, cancel, reopen, and a held-out image found at rank 1.

#include <catch2/catch.hpp>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/accounts/Session.h"
#include "core/audit/AuditLog.h"
#include "core/common/Hash.h"
#include "core/face/FaceEngine.h"
#include "core/gallery/Duplicates.h"
#include "core/gallery/Gallery.h"
#include "core/imaging/Intake.h"
#include "tests/support/TestData.h"

namespace fs = std::filesystem;
namespace gallery = facelead::gallery;
using facelead::ErrorCode;
using facelead::test::TempDir;

namespace {

constexpr const char* kAdmin = "gallery.admin";
constexpr const char* kPassword = "a long test passphrase 42";

// Loading the networks is the slow part: once per executable.
const facelead::face::FaceEngine* engine() {
    static std::unique_ptr<facelead::face::FaceEngine> instance = [] {
        auto created = facelead::face::FaceEngine::create({});
        return created ? std::move(*created) : nullptr;
    }();
    return instance.get();
}

facelead::accounts::SecurityPolicy testPolicy() {
    facelead::accounts::SecurityPolicy policy;
    policy.kdf = facelead::store::KdfParams::minimum();
    return policy;
}

struct Fixture {
    TempDir dir;
    fs::path storePath = dir / "gallery.store";
    facelead::accounts::Session session;

    Fixture() : session(create(storePath)) {}
    static facelead::accounts::Session create(const fs::path& path) {
        auto created = facelead::accounts::createStore(path, kAdmin, "Gallery Admin", kPassword,
                                                       std::make_shared<facelead::SystemClock>(), testPolicy());
        INFO((created.ok() ? std::string() : created.error().message));
        REQUIRE(created.ok());
        return std::move(created->session);
    }
    gallery::Actor actor() const { return {session.userId(), session.user().roles}; }
};

std::int64_t countRows(facelead::store::Store& store, const std::string& table) {
    auto query = store.prepare("SELECT count(*) FROM " + table);
    REQUIRE(query.ok());
    REQUIRE(query->step().ok());
    return query->getInt(0);
}

// The first `perIdentity` images of each johns/ identity; the rest are returned as held out.
std::vector<gallery::EnrolItem> johns(const fs::path& faces, std::size_t perIdentity,
                                      std::vector<gallery::EnrolItem>* heldOut = nullptr) {
    auto all = gallery::itemsFromFolder(faces / "johns");
    REQUIRE(all.ok());
    std::map<std::string, std::size_t> seen;
    std::vector<gallery::EnrolItem> chosen;
    for (auto& item : *all) {
        if (seen[item.subject.name]++ < perIdentity) chosen.push_back(item);
        else if (heldOut && seen[item.subject.name] == perIdentity + 1) heldOut->push_back(item);
    }
    return chosen;
}

}  // namespace

TEST_CASE("enrolling johns/ stores every face, one subject per identity, audited", "[gallery][enrol]") {
    const auto faces = facelead::test::requireFaces();
    if (!faces || !facelead::test::requireModels()) return;
    REQUIRE(engine() != nullptr);
    Fixture fx;
    std::vector<gallery::EnrolItem> heldOut;
    const auto items = johns(*faces, 2, &heldOut);
    REQUIRE(items.size() == 10);

    gallery::Gallery gallery;
    REQUIRE(gallery.load(fx.session.store()).ok());
    std::size_t lastDone = 0;
    gallery::EnrolOptions options;
    options.chunkSize = 4;
    options.progress = [&](std::size_t done, std::size_t total) {
        CHECK(total == items.size());
        lastDone = std::max(lastDone, done);
    };
    const auto report = gallery.enrol(fx.session.store(), *engine(), fx.actor(), items, options);
    REQUIRE(report.ok());
    CHECK(lastDone == items.size());
    REQUIRE(report->files.size() == items.size());
    for (const auto& file : report->files) {
        INFO(file.file << ": " << file.message);
        CHECK(file.outcome == gallery::EnrolOutcome::Enrolled);
        CHECK(file.facesFound == 1);
    }
    CHECK_FALSE(report->cancelled);

    auto subjects = gallery.listSubjects(fx.session.store());
    REQUIRE(subjects.ok());
    REQUIRE(subjects->size() == 5);  // the two images of each John share one subject
    for (const auto& subject : *subjects) CHECK(subject.faceCount == 2);
    CHECK(std::any_of(subjects->begin(), subjects->end(), [](const auto& s) { return s.fields.name == "John Salley"; }));
    CHECK(gallery.index().size() == 10);

    // The stored image is the original file, unaltered.
    const auto& first = report->files.front();
    auto image = gallery.faceImage(fx.session.store(), *first.faceId);
    REQUIRE(image.ok());
    CHECK(facelead::sha256Hex(*image) == *facelead::sha256FileHex(first.file));

    // One audit event per subject per chunk, and the chain holds.
    facelead::audit::AuditFilter filter;
    filter.action = "gallery.faces_enrolled";
    auto events = facelead::audit::AuditLog::list(fx.session.store(), filter);
    REQUIRE(events.ok());
    CHECK(events->size() >= 5);
    CHECK(events->size() <= 10);
    std::size_t facesInEvents = 0;
    for (const auto& event : *events)
        facesInEvents += nlohmann::json::parse(event.detailsJson).at("faces").size();
    CHECK(facesInEvents == 10);
    auto verified = facelead::audit::AuditLog::verify(fx.session.store());
    REQUIRE(verified.ok());
    CHECK(verified->intact());

    SECTION("a held-out image of each enrolled identity is the top-1 candidate") {
        std::vector<fs::path> files;
        for (const auto& item : heldOut) files.push_back(item.file);
        const auto analysed = engine()->analyzeFiles(files, {});
        std::map<std::int64_t, std::string> nameOf;
        for (const auto& s : *subjects) nameOf[s.id] = s.fields.name;
        for (std::size_t i = 0; i < heldOut.size(); ++i) {
            INFO(heldOut[i].file);
            REQUIRE(analysed[i].faces.ok());
            REQUIRE(analysed[i].faces->size() == 1);
            const auto hits = gallery.index().topN(*analysed[i].faces->front().descriptor, 1);
            REQUIRE(hits.size() == 1);
            CHECK(nameOf[hits[0].subjectId] == heldOut[i].subject.name);
        }
    }

    SECTION("after reopening, the loaded index holds exactly the enrolled faces") {
        const auto probeHits = gallery.index().topN(engine()->analyzeFiles({heldOut[0].file}, {})[0].faces->front().descriptor.value(), 10);
        fx.session = facelead::accounts::Session(nullptr, {}, {});  // closes the store
        auto reopened = facelead::accounts::signIn(fx.storePath, kAdmin, kPassword,
                                                   std::make_shared<facelead::SystemClock>(), testPolicy());
        REQUIRE(reopened.ok());
        gallery::Gallery loaded;
        REQUIRE(loaded.load(reopened->store()).ok());
        REQUIRE(loaded.index().size() == 10);
        std::set<std::pair<std::int64_t, std::int64_t>> enrolled, indexed;
        for (const auto& file : report->files) enrolled.insert({*file.faceId, *file.subjectId});
        // The gallery is smaller than kMaxTopN, so one search lists every indexed face.
        for (const auto& hit : loaded.index().topN(facelead::face::Descriptor{}, gallery::kMaxTopN))
            indexed.insert({hit.faceId, hit.subjectId});
        CHECK(indexed == enrolled);
        // Same descriptors: same ranking and distances as before the reopen.
        const auto reloadedHits = loaded.index().topN(engine()->analyzeFiles({heldOut[0].file}, {})[0].faces->front().descriptor.value(), 10);
        REQUIRE(reloadedHits.size() == probeHits.size());
        for (std::size_t i = 0; i < probeHits.size(); ++i) {
            CHECK(reloadedHits[i].faceId == probeHits[i].faceId);
            CHECK(reloadedHits[i].distance == probeHits[i].distance);
        }
    }
}

TEST_CASE("images without a face, with several faces or unreadable are reported, not enrolled", "[gallery][enrol]") {
    const auto faces = facelead::test::requireFaces();
    if (!faces || !facelead::test::requireModels()) return;
    REQUIRE(engine() != nullptr);
    Fixture fx;
    // A plain grey picture: certainly no face.
    const fs::path blank = fx.dir / "blank.png";
    REQUIRE(cv::imwrite(blank.string(), cv::Mat(200, 200, CV_8UC3, cv::Scalar(128, 128, 128))));
    const fs::path broken = fx.dir / "broken.jpg";
    std::ofstream(broken, std::ios::binary) << "\xFF\xD8\xFF not really a jpeg";
    const fs::path csv = fx.dir / "manifest.csv";
    {
        std::ofstream out(csv);
        out << "path,name,date_of_birth,source,record_id\n"
            << (*faces / "bbt/amy/amy1.png").string() << ",Amy Farrah Fowler,1979-12-17,test bookings,B-1\n"
            << (*faces / "bbt/amy/amy2.png").string() << ",Amy Farrah Fowler,1979-12-17,test bookings,B-1\n"
            << (*faces / "bbt/penny/penny1.png").string() << ",\"Penny, no surname\",,test bookings,B-2\n"
            << (*faces / "bbt/group/bbt1.jpg").string() << ",Group Photo,,test bookings,B-3\n"
            << "blank.png,Nobody,,test bookings,B-4\n"
            << "broken.jpg,Broken,,test bookings,B-5\n";
    }
    auto items = gallery::itemsFromCsv(csv, {.allowOutsidePaths = true});  // the shared faces live elsewhere
    REQUIRE(items.ok());
    REQUIRE(items->size() == 6);
    CHECK((*items)[2].subject.name == "Penny, no surname");
    CHECK_FALSE((*items)[2].subject.dateOfBirth.has_value());
    CHECK((*items)[4].file == blank);  // relative to the CSV's folder

    gallery::Gallery gallery;
    const auto report = gallery.enrol(fx.session.store(), *engine(), fx.actor(), *items);
    REQUIRE(report.ok());
    const auto& files = report->files;
    CHECK(files[0].outcome == gallery::EnrolOutcome::Enrolled);
    CHECK(files[1].outcome == gallery::EnrolOutcome::Enrolled);
    CHECK(files[0].subjectId == files[1].subjectId);  // same record id: one subject
    CHECK(files[2].outcome == gallery::EnrolOutcome::Enrolled);
    CHECK(files[3].outcome == gallery::EnrolOutcome::SeveralFaces);
    CHECK(files[3].facesFound > 1);
    CHECK(files[4].outcome == gallery::EnrolOutcome::NoFace);
    CHECK(files[5].outcome == gallery::EnrolOutcome::Damaged);  // undecodable: damaged, not an error (trial 41)
    for (std::size_t i = 3; i < files.size(); ++i) {
        CHECK_FALSE(files[i].message.empty());
        CHECK_FALSE(files[i].faceId.has_value());
    }
    CHECK(countRows(fx.session.store(), "gallery_faces") == 3);
    CHECK(countRows(fx.session.store(), "gallery_subjects") == 2);

    SECTION("with enrolLargestOfSeveral the group photo's largest face is enrolled") {
        gallery::EnrolOptions options;
        options.enrolLargestOfSeveral = true;
        const auto again = gallery.enrol(fx.session.store(), *engine(), fx.actor(), {(*items)[3]}, options);
        REQUIRE(again.ok());
        CHECK(again->files[0].outcome == gallery::EnrolOutcome::Enrolled);
        CHECK(countRows(fx.session.store(), "gallery_faces") == 4);
    }
    SECTION("a record id already used for another name fails that image only") {
        // Images not enrolled yet: an image already in the gallery would be reported as a duplicate first.
        auto conflicting = (*items)[0];
        conflicting.file = *faces / "bbt/amy/amy3.png";
        conflicting.subject.name = "Someone Else";
        auto fresh = (*items)[1];
        fresh.file = *faces / "bbt/amy/amy4.png";
        fresh.subject = {"Amy Again", std::nullopt, "test bookings", std::string("B-9")};
        const auto partly = gallery.enrol(fx.session.store(), *engine(), fx.actor(), {conflicting, fresh});
        REQUIRE(partly.ok());
        CHECK(partly->files[0].outcome == gallery::EnrolOutcome::Failed);
        CHECK(partly->files[0].message.find("B-1") != std::string::npos);
        CHECK(partly->files[1].outcome == gallery::EnrolOutcome::Enrolled);
        CHECK(countRows(fx.session.store(), "gallery_faces") == 4);
        CHECK(gallery.index().size() == 4);

        // Written directly, the same conflict refuses the whole transaction.
        gallery::NewSubjectFaces direct{conflicting.subject, {gallery::NewFace{{1, 2, 3}, {}, {}, {}, "x"}}};
        const auto refused = gallery.addFaces(fx.session.store(), fx.actor(), {direct});
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == ErrorCode::InvalidArgument);
        CHECK(countRows(fx.session.store(), "gallery_faces") == 4);
        CHECK(gallery.index().size() == 4);
    }
    SECTION("a user without the gallery role may not enrol") {
        gallery::Actor investigator{fx.session.userId(), {facelead::workflow::Role::Investigator}};
        const auto refused = gallery.enrol(fx.session.store(), *engine(), investigator, {(*items)[0]});
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == ErrorCode::PermissionDenied);
        CHECK(countRows(fx.session.store(), "gallery_faces") == 3);
    }
    SECTION("a stored image altered behind FaceLead's back is refused on read") {
        // Images live in gallery_face_images since schema v3. The store refuses the edit; an attacker with
        // the key drops the trigger first, and the hash re-check on read still catches it.
        auto refusedEdit = fx.session.store().prepare("UPDATE gallery_face_images SET image = x'00' WHERE face_id = ?");
        REQUIRE(refusedEdit.ok());
        refusedEdit->bind(1, *files[0].faceId);
        CHECK_FALSE(refusedEdit->run().ok());
        REQUIRE(fx.session.store().exec("DROP TRIGGER gallery_face_images_immutable").ok());
        auto tamper = fx.session.store().prepare("UPDATE gallery_face_images SET image = x'00' WHERE face_id = ?");
        REQUIRE(tamper.ok());
        tamper->bind(1, *files[0].faceId);
        REQUIRE(tamper->run().ok());
        {
            const auto image = gallery.faceImage(fx.session.store(), *files[0].faceId, fx.session.userId());
            REQUIRE_FALSE(image.ok());
            CHECK(image.error().code == ErrorCode::IntegrityViolation);
            facelead::audit::AuditFilter filter;
            filter.action = "gallery.integrity_violation";
            auto events = facelead::audit::AuditLog::list(fx.session.store(), filter);
            REQUIRE(events.ok());
            REQUIRE(events->size() == 1);
            CHECK(events->front().objectId == std::to_string(*files[0].faceId));
        }
    }
}

TEST_CASE("cancelling midway keeps completed chunks and leaves the store consistent", "[gallery][enrol]") {
    const auto faces = facelead::test::requireFaces();
    if (!faces || !facelead::test::requireModels()) return;
    REQUIRE(engine() != nullptr);
    Fixture fx;
    const auto items = johns(*faces, 3);
    REQUIRE(items.size() == 15);

    std::atomic<bool> cancel{false};
    gallery::EnrolOptions options;
    options.chunkSize = 3;
    options.cancel = &cancel;
    // Cancel once the first chunk has been analysed: later chunks must not start.
    options.progress = [&](std::size_t done, std::size_t) {
        if (done >= 3) cancel = true;
    };
    gallery::Gallery gallery;
    const auto report = gallery.enrol(fx.session.store(), *engine(), fx.actor(), items, options);
    REQUIRE(report.ok());
    CHECK(report->cancelled);
    const std::size_t enrolled = report->count(gallery::EnrolOutcome::Enrolled);
    CHECK(enrolled >= 1);
    CHECK(enrolled < items.size());
    CHECK(report->count(gallery::EnrolOutcome::Cancelled) == items.size() - enrolled);
    for (const auto& file : report->files)
        CHECK(file.faceId.has_value() == (file.outcome == gallery::EnrolOutcome::Enrolled));

    // Store, index and audit agree on exactly the enrolled faces.
    CHECK(countRows(fx.session.store(), "gallery_faces") == std::int64_t(enrolled));
    CHECK(gallery.index().size() == enrolled);
    gallery::Gallery reloaded;
    REQUIRE(reloaded.load(fx.session.store()).ok());
    CHECK(reloaded.index().size() == enrolled);
    auto verified = facelead::audit::AuditLog::verify(fx.session.store());
    REQUIRE(verified.ok());
    CHECK(verified->intact());
}

// ---- The field cases of issue 10 at enrolment (../shared/data/intake-cases), one test per kind.

namespace {

std::map<std::string, const gallery::EnrolFileResult*> byFileName(const gallery::EnrolReport& report) {
    std::map<std::string, const gallery::EnrolFileResult*> files;
    for (const auto& file : report.files) files[file.file.filename().string()] = &file;
    return files;
}

std::size_t auditCount(facelead::store::Store& store, const std::string& action) {
    facelead::audit::AuditFilter filter;
    filter.action = action;
    auto events = facelead::audit::AuditLog::list(store, filter);
    REQUIRE(events.ok());
    return events->size();
}

}  // namespace

TEST_CASE("Enrolling the field-case folder: damaged, unsupported and animated files are reported, the rest enrolled",
          "[gallery][enrol][intake]") {
    const auto cases = facelead::test::requireIntakeCases();
    if (!cases || !facelead::test::requireModels()) return;
    REQUIRE(engine() != nullptr);
    Fixture fx;
    auto items = gallery::itemsFromFolder(*cases / "gallery_folder");
    REQUIRE(items.ok());
    gallery::Gallery gallery;
    gallery::EnrolOptions options;
    options.chunkSize = 4;
    const auto report = gallery.enrol(fx.session.store(), *engine(), fx.actor(), *items, options);
    REQUIRE(report.ok());
    auto files = byFileName(*report);
    CHECK(files.at("01_original.jpg")->outcome == gallery::EnrolOutcome::Enrolled);
    CHECK(files.at("01_original.jpg")->message.empty());  // trial 41 F5: it said "Not processed: … cancelled"
    CHECK(files.at("02_iphone_sideways_exif6.jpg")->outcome == gallery::EnrolOutcome::Enrolled);
    CHECK(files.at("04_cmyk.jpg")->outcome == gallery::EnrolOutcome::Enrolled);
    CHECK(files.at("05_palette.png")->outcome == gallery::EnrolOutcome::Enrolled);
    // The animation is enrolled from its first frame, and the report says so.
    CHECK(files.at("08_animated.webp")->outcome == gallery::EnrolOutcome::Enrolled);
    CHECK_THAT(files.at("08_animated.webp")->message, Catch::Contains("3 frames, frame 1 used"));
    // Upside down without an orientation tag: enrolled from a turned copy, and the report says so (trial 40 F15).
    CHECK(files.at("11_upside_down.jpg")->outcome == gallery::EnrolOutcome::Enrolled);
    CHECK_THAT(files.at("11_upside_down.jpg")->message, Catch::Contains("turning the image by 180 degrees"));
    // Damaged, unsupported, too large, mislabelled: each reported with its reason, none enrolled.
    CHECK(files.at("06_truncated.jpg")->outcome == gallery::EnrolOutcome::Damaged);  // counted as damaged (trial 41)
    CHECK_THAT(files.at("07_phone.heic")->message, Catch::Contains("HEIC") && Catch::Contains("JPEG"));
    CHECK(files.at("09_lottapixel.jpg")->outcome == gallery::EnrolOutcome::Failed);
    CHECK(files.at("10_html_named.jpg")->outcome == gallery::EnrolOutcome::Failed);
    // Each report line names its file once; the message does not say the name again (trial 10:
    // "06_truncated.jpg: 06_truncated.jpg: The jpeg file is incomplete").
    for (const auto& [name, file] : files) {
        INFO(name << ": " << file->message);
        CHECK(file->message.rfind(name + ":", 0) == std::string::npos);
    }
    CHECK_THAT(files.at("06_truncated.jpg")->message, Catch::Contains("incomplete"));
    const std::size_t enrolled = report->count(gallery::EnrolOutcome::Enrolled);
    CHECK(countRows(fx.session.store(), "gallery_faces") == std::int64_t(enrolled));

    SECTION("the same folder again: every enrolled image is reported as a duplicate, nothing is added (C16)") {
        const auto again = gallery.enrol(fx.session.store(), *engine(), fx.actor(), *items, options);
        REQUIRE(again.ok());
        CHECK(again->count(gallery::EnrolOutcome::Enrolled) == 0);
        CHECK(again->count(gallery::EnrolOutcome::Duplicate) == enrolled);
        for (const auto& file : again->files)
            if (file.outcome == gallery::EnrolOutcome::Duplicate) {
                CHECK_FALSE(file.identityConflict);
                CHECK(file.duplicateOfFace.has_value());
            }
        CHECK(countRows(fx.session.store(), "gallery_faces") == std::int64_t(enrolled));
    }
    SECTION("the same folder from another source: the same people seen twice, duplicates but no conflict") {
        auto otherSource = *items;
        for (auto& item : otherSource) item.subject.source = "another source";
        const auto again = gallery.enrol(fx.session.store(), *engine(), fx.actor(), otherSource, options);
        REQUIRE(again.ok());
        CHECK(again->count(gallery::EnrolOutcome::Duplicate) == enrolled);
        for (const auto& file : again->files) CHECK_FALSE(file.identityConflict);
        CHECK(auditCount(fx.session.store(), "gallery.identity_conflict") == 0);
    }
    SECTION("the same photo re-saved (other bytes) under another name is an identity conflict too (trial 42 F10)") {
        // One pixel changed and saved as PNG; re-encoded as JPEG at quality 85; and, new to the gallery, one photo
        // under two names in the same enrolment. The descriptor is (nearly) the same, the SHA-256 is not.
        const fs::path folder = fx.dir / "resaved";
        cv::Mat salley = cv::imread((*cases / "gallery_folder" / "John Salley" / "salley 1.jpg").string());
        REQUIRE_FALSE(salley.empty());
        fs::create_directories(folder / "Ann Poe");
        fs::create_directories(folder / "Jim Roe");
        salley.at<cv::Vec3b>(0, 0) = cv::Vec3b(1, 2, 3);
        REQUIRE(cv::imwrite((folder / "Ann Poe" / "ap.png").string(), salley));
        REQUIRE(cv::imwrite((folder / "Jim Roe" / "jr.jpg").string(), salley, {cv::IMWRITE_JPEG_QUALITY, 85}));
        // Mirrored and made grey: an edited copy, beyond the same-picture distance (trial 43 F1): enrolled, named for review.
        fs::create_directories(folder / "Pat Doe");
        cv::Mat edited;
        cv::flip(salley, edited, 1);
        cv::cvtColor(edited, edited, cv::COLOR_BGR2GRAY);
        REQUIRE(cv::imwrite((folder / "Pat Doe" / "pd.png").string(), edited));
        const auto faces = facelead::test::requireFaces();
        REQUIRE(faces.has_value());
        cv::Mat amy = cv::imread((*faces / "bbt" / "amy" / "amy1.png").string());
        REQUIRE_FALSE(amy.empty());
        fs::create_directories(folder / "Kim Loe");
        fs::create_directories(folder / "Lee Moe");
        REQUIRE(cv::imwrite((folder / "Kim Loe" / "kl.png").string(), amy));
        REQUIRE(cv::imwrite((folder / "Lee Moe" / "lm.jpg").string(), amy, {cv::IMWRITE_JPEG_QUALITY, 85}));
        auto resaved = gallery::itemsFromFolder(folder);
        REQUIRE(resaved.ok());
        const auto conflict = gallery.enrol(fx.session.store(), *engine(), fx.actor(), *resaved, options);
        REQUIRE(conflict.ok());
        auto results = byFileName(*conflict);
        for (const char* name : {"ap.png", "jr.jpg"}) {
            INFO(name << ": " << results.at(name)->message);
            CHECK(results.at(name)->outcome == gallery::EnrolOutcome::Duplicate);
            CHECK(results.at(name)->identityConflict);
            CHECK(results.at(name)->duplicateOfFace == files.at("salley 1.jpg")->faceId);
            CHECK_THAT(results.at(name)->message, Catch::Contains("IDENTITY CONFLICT") && Catch::Contains("John Salley"));
        }
        INFO(results.at("pd.png")->message);
        CHECK(results.at("pd.png")->outcome == gallery::EnrolOutcome::Enrolled);
        CHECK_THAT(results.at("pd.png")->message, Catch::Contains("For review (SOP VI.A.5)") && Catch::Contains("John Salley"));
        // The first of the two new copies goes in; the second is the conflict, against it.
        CHECK(results.at("kl.png")->outcome == gallery::EnrolOutcome::Enrolled);
        CHECK(results.at("lm.jpg")->identityConflict);
        CHECK_THAT(results.at("lm.jpg")->message, Catch::Contains("Kim Loe"));
        // Trial 43 F2: a conflict within one enrolment named "face 0"; it names the face written meanwhile.
        REQUIRE(results.at("kl.png")->faceId.has_value());
        CHECK(results.at("lm.jpg")->duplicateOfFace == results.at("kl.png")->faceId);
        const auto review = gallery::findDuplicates(fx.session);
        REQUIRE(review.ok());
        CHECK(std::any_of(review->enrolmentConflicts.begin(), review->enrolmentConflicts.end(), [&](const auto& c) {
            return c.offeredName == "Lee Moe" && c.enrolled.faceId == *results.at("kl.png")->faceId &&
                   c.enrolled.subjectName == "Kim Loe";
        }));
        CHECK(auditCount(fx.session.store(), "gallery.identity_conflict") == 3);
        CHECK(countRows(fx.session.store(), "gallery_faces") == std::int64_t(enrolled) + 2);
    }
    SECTION("the same photo under another name is an identity conflict, reported and audited (C16, VI.A.5)") {
        auto manifest = gallery::itemsFromCsv(*cases / "csv" / "manifest_duplicate_image_other_name.csv");
        REQUIRE(manifest.ok());
        REQUIRE(manifest->size() == 2);
        CHECK((*manifest)[0].problem.has_value());  // "../ref_obama.jpg" leaves the list's folder
        manifest = gallery::itemsFromCsv(*cases / "csv" / "manifest_duplicate_image_other_name.csv",
                                         {.allowOutsidePaths = true});
        REQUIRE(manifest.ok());
        const auto conflict = gallery.enrol(fx.session.store(), *engine(), fx.actor(), *manifest);
        REQUIRE(conflict.ok());
        for (const auto& file : conflict->files) {
            CHECK(file.outcome == gallery::EnrolOutcome::Duplicate);
            CHECK(file.identityConflict);
            CHECK_THAT(file.message, Catch::Contains("IDENTITY CONFLICT") && Catch::Contains("Barack Obama"));
        }
        CHECK(auditCount(fx.session.store(), "gallery.identity_conflict") == 2);
        CHECK(countRows(fx.session.store(), "gallery_faces") == std::int64_t(enrolled));
        // Trial 40 F15: never enrolled, the conflicts were in no duplicates report. The review lists them.
        const auto duplicates = gallery::findDuplicates(fx.session);
        REQUIRE(duplicates.ok());
        REQUIRE(duplicates->enrolmentConflicts.size() == 2);
        for (std::size_t i = 0; i < 2; ++i) {
            const auto& listed = duplicates->enrolmentConflicts[i];
            CHECK(listed.enrolled.subjectName == "Barack Obama");
            CHECK(listed.enrolled.subjectId > 0);
            CHECK(listed.offeredName == (*manifest)[i].subject.name);
            CHECK(listed.offeredName != "Barack Obama");
            CHECK(listed.enrolledBy == kAdmin);
            CHECK_FALSE(listed.at.empty());
        }
    }
}

TEST_CASE("A name that is not UTF-8 is enrolled and recorded escaped, never as another name; a damaged image is "
          "reported as damaged; the chunk goes on (C08, C06, trial 9)",
          "[gallery][enrol][intake]") {
    const auto cases = facelead::test::requireIntakeCases();
    if (!cases || !facelead::test::requireModels()) return;
    REQUIRE(engine() != nullptr);
    Fixture fx;
    const fs::path folder = fx.dir / "people";
    fs::create_directories(folder / "Jose");
    fs::copy_file(*cases / "ref_obama.jpg", folder / "Jose" / std::string("caf\xE9.jpg"));
    fs::copy_file(*cases / "ref_biden.jpg", folder / std::string("Caf\xE9 Latin1.jpg"));   // the byte 0xE9
    fs::copy_file(*cases / "gallery_folder" / "John Salley" / "salley 1.jpg",
                  folder / std::string("Caf\\xe9 Latin2.jpg"));                          // backslash, x, e, 9
    fs::copy_file(*cases / "c06_truncated_plus_eoi.jpg", folder / "Cut_Short.jpg");
    auto items = gallery::itemsFromFolder(folder);
    REQUIRE(items.ok());
    gallery::Gallery gallery;
    const auto report = gallery.enrol(fx.session.store(), *engine(), fx.actor(), *items);
    REQUIRE(report.ok());
    REQUIRE(report->files.size() == 4);
    CHECK(report->count(gallery::EnrolOutcome::Enrolled) == 3);
    const auto files = byFileName(*report);
    CHECK(files.at("Cut_Short.jpg")->outcome == gallery::EnrolOutcome::Damaged);
    CHECK_THAT(files.at("Cut_Short.jpg")->message, Catch::StartsWith("Damaged image"));
    // The escaped names are said, to be checked (trial 82 F6); a UTF-8 name is not.
    CHECK_THAT(files.at(std::string("Caf\xE9 Latin1.jpg"))->message, Catch::Contains("is not UTF-8 text"));
    CHECK(files.at("Caf\\xe9 Latin2.jpg")->message.empty());

    // Three subjects: the Latin-1 name and the literal backslash name stay two people.
    const auto subjects = gallery.listSubjects(fx.session.store());
    REQUIRE(subjects.ok());
    std::set<std::string> names;
    for (const auto& subject : *subjects) names.insert(subject.fields.name);
    CHECK(names == std::set<std::string>{"Jose", "Caf\\xe9 Latin", "Caf\\\\xe9 Latin"});
    std::vector<std::pair<std::string, bool>> recorded;  // source_path, source_path_escaped
    auto enrolled = facelead::audit::AuditLog::list(fx.session.store(), {.action = "gallery.faces_enrolled"});
    REQUIRE(enrolled.ok());
    for (const auto& entry : *enrolled) {
        const auto details = nlohmann::json::parse(entry.detailsJson);
        for (const auto& face : details["faces"])
            recorded.emplace_back(face["source_path"], face.value("source_path_escaped", false));
    }
    REQUIRE(recorded.size() == 3);
    const auto endsWith = [&](const std::string& tail) {
        return std::find_if(recorded.begin(), recorded.end(), [&](const auto& r) {
            return r.first.size() >= tail.size() && r.first.compare(r.first.size() - tail.size(), tail.size(), tail) == 0;
        });
    };
    REQUIRE(endsWith("Jose/caf\\xe9.jpg") != recorded.end());
    CHECK(endsWith("Jose/caf\\xe9.jpg")->second);
    REQUIRE(endsWith("/Caf\\\\xe9 Latin2.jpg") != recorded.end());  // the literal backslash, escaped
    CHECK(endsWith("/Caf\\\\xe9 Latin2.jpg")->second);
    const auto faces = gallery.listFaces(fx.session.store());
    REQUIRE(faces.ok());
    CHECK(std::any_of(faces->begin(), faces->end(), [](const auto& face) {
        return face.sourcePath.find("Jose/caf\\xe9.jpg") != std::string::npos;
    }));
    CHECK(auditCount(fx.session.store(), "gallery.faces_enrolled") == 3);
}

TEST_CASE("gallery duplicates: one face under several identities and one image under several names (VI.A.5)",
          "[gallery][duplicates]") {
    const auto cases = facelead::test::requireIntakeCases();
    if (!cases || !facelead::test::requireModels()) return;
    REQUIRE(engine() != nullptr);
    Fixture fx;
    gallery::Gallery gallery;
    const fs::path obama = *cases / "gallery_folder" / "Barack_Obama";
    const std::vector<gallery::EnrolItem> items{
        {obama / "01_original.jpg", {"Barack Obama", std::nullopt, "bookings", std::nullopt}, std::nullopt},
        {obama / "02_iphone_sideways_exif6.jpg", {"Barry Alias", std::nullopt, "licences", std::nullopt}, std::nullopt},
        {*cases / "ref_biden.jpg", {"Joe Biden", std::nullopt, "bookings", std::nullopt}, std::nullopt}};
    const auto report = gallery.enrol(fx.session.store(), *engine(), fx.actor(), items);
    REQUIRE(report.ok());
    REQUIRE(report->count(gallery::EnrolOutcome::Enrolled) == 2);
    // The same photo with other bytes (turned by its EXIF tag) under another name: refused at enrolment (trial 42 F10).
    CHECK(report->files[1].identityConflict);
    CHECK(report->files[1].nearCopyDistance.has_value());
    // As an older store may hold them (enrolled before that check, or written straight): that photo under
    // "Barry Alias", and the same bytes as Joe Biden's under a third name.
    const auto analysed = engine()->analyzeFiles({items[1].file}, facelead::face::AnalyzeOptions{});
    REQUIRE(analysed.size() == 1);
    REQUIRE(analysed[0].faces.ok());
    REQUIRE(analysed[0].faces->size() == 1);
    REQUIRE(analysed[0].faces->front().descriptor.has_value());
    const auto sideways = facelead::imaging::readImageFile(items[1].file);
    const auto bytes = facelead::imaging::readImageFile(*cases / "ref_biden.jpg");
    REQUIRE(sideways.ok());
    REQUIRE(bytes.ok());
    gallery::NewSubjectFaces alias{items[1].subject,
                                   {gallery::NewFace{*sideways, *analysed[0].faces->front().descriptor, {}, {}, "alias.jpg"}}};
    gallery::NewSubjectFaces copy{{"Joseph Robinette", std::nullopt, "licences", std::nullopt},
                                  {gallery::NewFace{*bytes, {}, {}, {}, "copy.jpg"}}};
    REQUIRE(gallery.addFaces(fx.session.store(), fx.actor(), {alias, copy}).ok());

    const auto duplicates = gallery::findDuplicates(fx.session);
    REQUIRE(duplicates.ok());
    CHECK(duplicates->facesCompared == 4);
    REQUIRE_FALSE(duplicates->similarFaces.empty());
    const auto& nearest = duplicates->similarFaces.front();
    CHECK(nearest.a.subjectId != nearest.b.subjectId);
    CHECK(std::set<std::string>{nearest.a.subjectName, nearest.b.subjectName} ==
          std::set<std::string>{"Barack Obama", "Barry Alias"});
    CHECK(nearest.distance < 0.56f);
    for (const auto& pair : duplicates->similarFaces) CHECK(pair.a.subjectId != pair.b.subjectId);
    REQUIRE(duplicates->sameImages.size() == 1);
    CHECK(duplicates->sameImages.front().faces.size() == 2);
    REQUIRE(duplicates->enrolmentConflicts.size() == 1);  // the refused near copy, with its distance
    CHECK(duplicates->enrolmentConflicts.front().offeredName == "Barry Alias");
    CHECK(duplicates->enrolmentConflicts.front().descriptorDistance.value_or(1.0) <= gallery::kSamePictureDistance);
    CHECK(auditCount(fx.session.store(), "gallery.duplicates_checked") == 1);

    SECTION("the facade checks the caller's role itself, and the refusal is on record") {
        // A demotion as the core records it: the users table and the signed grant the core acts on.
        auto demoted = fx.session.store().transact([&](facelead::store::Transaction& tx) -> facelead::Result<void> {
            auto demote = tx.prepare("UPDATE users SET roles = 'investigator' WHERE id = ?");
            if (!demote) return demote.error();
            FACELEAD_TRY(demote->bind(1, fx.session.userId()).run());
            FACELEAD_TRY(facelead::audit::AuditLog::append(
                tx, {fx.session.userId(), "user.roles_changed", "user", std::to_string(fx.session.userId()),
                     R"({"username":")" + std::string(kAdmin) + R"(","to":"investigator"})"}));
            return {};
        });
        REQUIRE(demoted.ok());
        const auto refused = gallery::findDuplicates(fx.session);
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == ErrorCode::PermissionDenied);
        CHECK(auditCount(fx.session.store(), "access.refused") >= 1);
    }
}
