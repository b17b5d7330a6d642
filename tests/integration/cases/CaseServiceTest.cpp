#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/accounts/AccountService.h"
#include "core/face/QualityJson.h"
#include "core/accounts/SignedAccounts.h"
#include "core/audit/AuditLog.h"
#include "core/cases/CaseRepair.h"
#include "core/cases/detail/Rows.h"
#include "core/cases/detail/SignedRows.h"
#include "core/reports/AnnualReview.h"
#include "core/reports/AuditTrail.h"
#include "core/reports/Statutory.h"
#include "core/reports/CaseReport.h"
#include "core/reports/Disclosure.h"
#include "core/common/Hash.h"
#include "core/imaging/Intake.h"
#include "tests/integration/cases/CaseWorld.h"

using namespace facelead;
using facelead::test::CaseWorld;
using facelead::test::require;

namespace {

// The request is refused with PolicyViolation citing `section`: nothing is written but the refusal itself,
// audited as an attempt (VI.C.2) under the investigator's name.
void requireRefused(CaseWorld& world, const workflow::SearchRequest& request, const std::string& section) {
    const auto auditBefore = world.auditCount();
    const auto requestsBefore = world.rowCount("search_requests");
    auto result = world.service(*world.investigator).submitRequest(request);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::PolicyViolation);
    CHECK_THAT(result.error().message, Catch::Contains(section));
    CHECK(world.auditCount() == auditBefore + 1);
    CHECK(world.lastAuditAction() == "access.refused");
    CHECK(world.rowCount("search_requests") == requestsBefore);
}

}  // namespace

TEST_CASE("VI.C.2: the core refuses a request without a case number") {
    CaseWorld world;
    auto request = world.validRequest();
    request.caseNumber.clear();
    requireRefused(world, request, "case number");
}

TEST_CASE("VI.A: the core refuses a request without an authorized purpose or a justification") {
    CaseWorld world;
    auto noPurpose = world.validRequest();
    noPurpose.purpose.reset();
    requireRefused(world, noPurpose, "VI.A.1-8");
    auto noJustification = world.validRequest();
    noJustification.justification = "because";
    requireRefused(world, noJustification, "justification");
}

TEST_CASE("VI.B.7: the core refuses a request missing one prohibited-use attestation") {
    CaseWorld world;
    auto request = world.validRequest();
    request.attestedNotFor.erase(workflow::ProhibitedUse::HarassmentOrIntimidation);
    requireRefused(world, request, "VI.B.7.c");
}

TEST_CASE("VI.B.4 / VI.A.3 Note: the core refuses a request without its consent record") {
    CaseWorld world;
    auto noConsent = world.validRequest();
    noConsent.consent.reset();
    requireRefused(world, noConsent, "VI.B.4");
    auto withoutConsent = world.validRequest();
    withoutConsent.consent->kind = workflow::ConsentKind::WithoutConsent;
    requireRefused(world, withoutConsent, "VI.A.3 Note");
}

// Trial 10: the wizard let the offence of an existing case be changed, and the core stored the request with the
// other offence beside the case's. It refuses and stores nothing.
TEST_CASE("A request in an existing case names the case's offence, never another") {
    CaseWorld world;
    auto request = world.validRequest();
    request.offence = "Burglary of a dwelling";
    const auto auditBefore = world.auditCount();
    const auto requestsBefore = world.rowCount("search_requests");
    auto refused = world.service(*world.investigator).submitRequest(request);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::InvalidArgument);
    CHECK_THAT(refused.error().message, Catch::Contains("Armed robbery") && Catch::Contains("another case"));
    CHECK(world.auditCount() == auditBefore);
    CHECK(world.rowCount("search_requests") == requestsBefore);
    CHECK(world.service(*world.investigator).submitRequest(world.validRequest()).ok());
}

TEST_CASE("VI.D.2.b: an untrained investigator's request is refused") {
    CaseWorld world;
    auto result = world.service(*world.untrainedInvestigator).submitRequest(world.validRequest());
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::TrainingRequired);
    auto officer = world.service(*world.officer).submitRequest(world.validRequest());
    REQUIRE_FALSE(officer.ok());
    CHECK(officer.error().code == ErrorCode::PermissionDenied);
}

TEST_CASE("A valid request is stored with its attestation and consent record, audited exactly once") {
    CaseWorld world;
    auto request = world.validRequest();
    request.consent->kind = workflow::ConsentKind::WithoutConsent;
    request.consent->reasonUnableToConsent = "Unconscious after a road traffic collision";
    request.consent->submissionPurpose = "Identify the injured man so his family can be told";
    request.purpose = workflow::Purpose::IdentifyUnable;
    const auto before = world.auditCount();
    auto stored = world.service(*world.investigator).submitRequest(request);
    REQUIRE(stored.ok());
    CHECK(world.auditCount() == before + 1);
    CHECK(world.lastAuditAction() == "request.submitted");

    auto read = world.service(*world.supervisor).getRequest(stored->id);
    REQUIRE(read.ok());
    CHECK(read->caseId == world.caseId);
    CHECK(read->requestedBy.id == world.investigator->userId());
    CHECK(read->request.purpose == workflow::Purpose::IdentifyUnable);
    CHECK(read->request.attestedNotFor == request.attestedNotFor);
    CHECK(read->request.offence == "Armed robbery");
    REQUIRE(read->request.consent);
    CHECK(read->request.consent->kind == workflow::ConsentKind::WithoutConsent);
    CHECK(read->request.consent->reasonUnableToConsent == request.consent->reasonUnableToConsent);
    CHECK(read->request.consent->submissionPurpose == request.consent->submissionPurpose);
    CHECK(workflow::validate(read->request, {}).ok());
}

TEST_CASE("Case numbers are unique; a refused case writes no audit event") {
    CaseWorld world;
    auto cases = world.service(*world.investigator);
    const auto before = world.auditCount();
    auto duplicate = cases.createCase({world.caseNumber, "Burglary", world.officer->userId()});
    REQUIRE_FALSE(duplicate.ok());
    CHECK(duplicate.error().code == ErrorCode::AlreadyExists);
    auto notAnOfficer = cases.createCase({"NP-2026-0043", "Burglary", world.supervisor->userId()});
    REQUIRE_FALSE(notAnOfficer.ok());
    CHECK(notAnOfficer.error().code == ErrorCode::InvalidArgument);
    CHECK(world.auditCount() == before);

    auto created = cases.createCase({"NP-2026-0043", "Burglary", world.officer->userId()});
    REQUIRE(created.ok());
    CHECK(world.auditCount() == before + 1);
    CHECK(created->assignedOfficer->id == world.officer->userId());
    auto found = cases.listCases(cases::CaseFilter{"burglary", std::nullopt, std::nullopt});
    REQUIRE(found.ok());
    REQUIRE(found->size() == 1);
    CHECK(found->front().caseNumber == "NP-2026-0043");
}

TEST_CASE("VI.B.2: an original is stored untouched and a derived copy leaves it unchanged") {
    CaseWorld world;
    auto cases = world.service(*world.investigator);
    auto original = cases.storeOriginal(world.caseId, world.png, "CCTV export, camera 3");
    REQUIRE(original.ok());
    CHECK(original->kind == cases::ImageKind::Original);
    CHECK(original->sha256 == sha256Hex(world.png));
    CHECK(original->width == 64);
    CHECK(original->format == "png");

    const imaging::Recipe recipe{{imaging::GammaStep{1.5}, imaging::UpscaleStep{2, imaging::Interpolation::Cubic}}};
    const auto before = world.auditCount();
    auto copy = cases.createDerivedCopy(original->id, recipe);
    REQUIRE(copy.ok());
    CHECK(world.auditCount() == before + 1);
    CHECK(world.lastAuditAction() == "image.derived");
    CHECK(copy->kind == cases::ImageKind::Derived);
    CHECK(copy->parentId == original->id);
    CHECK(copy->width == 128);
    CHECK(copy->createdBy.id == world.investigator->userId());
    REQUIRE(copy->recipeJson);
    CHECK(*copy->recipeJson == imaging::toJson(recipe));
    CHECK(copy->sha256 != original->sha256);

    auto reread = cases.readImage(original->id);
    REQUIRE(reread.ok());
    CHECK(reread->record.sha256 == sha256Hex(world.png));
    auto images = cases.listImages(world.caseId);
    REQUIRE(images.ok());
    CHECK(images->size() == 2);
}

// Issue 9 re-trial: the same file loaded three times as a probe into one case made images 1, 2 and 3. A file is
// stored once per case: the same bytes are that image again (and the same copy of it), told as such.
TEST_CASE("VI.B.2: the same file is stored once per case, and so is the same copy of it") {
    CaseWorld world;
    auto cases = world.service(*world.investigator);
    auto first = cases.storeOriginal(world.caseId, world.png, "CCTV export, camera 3");
    REQUIRE(first.ok());
    CHECK_FALSE(first->alreadyStored);
    const auto before = world.auditCount();
    auto again = cases.storeOriginal(world.caseId, world.png, " CCTV export, camera 3 ");
    REQUIRE(again.ok());
    CHECK(again->alreadyStored);
    CHECK(again->id == first->id);
    CHECK(again->source == "CCTV export, camera 3");  // as first stored
    CHECK(world.auditCount() == before);  // nothing new stored, nothing to audit
    // Trial 43 F9: another source typed for the same file was dropped without a word; the packet named the first.
    auto otherSource = cases.storeOriginal(world.caseId, world.png, "Witness phone photo");
    REQUIRE_FALSE(otherSource.ok());
    CHECK(otherSource.error().code == ErrorCode::InvalidArgument);
    CHECK_THAT(otherSource.error().message,
               Catch::Contains("already image " + std::to_string(first->id)) &&
                   Catch::Contains("\"CCTV export, camera 3\"") && Catch::Contains("\"Witness phone photo\""));
    const imaging::Recipe recipe{{imaging::GreyscaleStep{}}};
    auto copy = cases.createDerivedCopy(first->id, recipe);
    REQUIRE(copy.ok());
    CHECK_FALSE(copy->alreadyStored);
    auto sameCopy = cases.createDerivedCopy(first->id, recipe);
    REQUIRE(sameCopy.ok());
    CHECK(sameCopy->alreadyStored);
    CHECK(sameCopy->id == copy->id);
    CHECK(world.rowCount("images") == 2);
    // Another case holds its own: a file is shared by no two cases.
    auto other = cases.createCase({"NP-2026-0099", "Burglary", world.officer->userId()});
    REQUIRE(other.ok());
    auto inOther = cases.storeOriginal(other->id, world.png, "CCTV export, camera 3");
    REQUIRE(inOther.ok());
    CHECK_FALSE(inOther->alreadyStored);
    CHECK(inOther->id != first->id);
}

TEST_CASE("VI.B.2: a tampered image is refused on read and the violation is audited") {
    CaseWorld world;
    auto cases = world.service(*world.investigator);
    auto original = cases.storeOriginal(world.caseId, world.png, "CCTV export, camera 3");
    REQUIRE(original.ok());
    // Tamper as an attacker with the key would: around the trigger that protects originals.
    REQUIRE(world.admin->store().exec("DROP TRIGGER images_content_immutable").ok());
    REQUIRE(world.admin->store().exec("UPDATE images SET bytes = zeroblob(100) WHERE id = " +
                                      std::to_string(original->id)).ok());
    auto read = cases.readImage(original->id);
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().code == ErrorCode::IntegrityViolation);
    CHECK(world.lastAuditAction() == "image.integrity_violation");
    auto copy = cases.createDerivedCopy(original->id, imaging::Recipe{{imaging::GreyscaleStep{}}});
    REQUIRE_FALSE(copy.ok());
    CHECK(copy.error().code == ErrorCode::IntegrityViolation);
    auto request = cases.submitRequest(world.validRequest());
    REQUIRE(request.ok());
    auto search = cases.runSearch(request->id, original->id, world.probe(), world.backend());
    REQUIRE_FALSE(search.ok());
    CHECK(search.error().code == ErrorCode::IntegrityViolation);
    CHECK(world.rowCount("searches") == 0);
}

TEST_CASE("Bad image files are refused with typed errors and nothing stored") {
    CaseWorld world;
    auto cases = world.service(*world.investigator);
    const auto before = world.auditCount();
    const std::vector<std::uint8_t> garbage(500, 0x42);
    auto refused = cases.storeOriginal(world.caseId, garbage, "USB stick");
    REQUIRE_FALSE(refused.ok());
    CHECK((refused.error().code == ErrorCode::UnsupportedFormat || refused.error().code == ErrorCode::CorruptImage));
    auto truncated = cases.storeOriginal(world.caseId, std::span(world.png).first(60), "USB stick");
    REQUIRE_FALSE(truncated.ok());
    imaging::IntakeLimits tiny;
    tiny.maxFileBytes = 100;
    auto tooLarge = cases.storeOriginal(world.caseId, world.png, "USB stick", tiny);
    REQUIRE_FALSE(tooLarge.ok());
    CHECK(tooLarge.error().code == ErrorCode::FileTooLarge);
    auto noSource = cases.storeOriginal(world.caseId, world.png, " ");
    REQUIRE_FALSE(noSource.ok());
    CHECK(noSource.error().code == ErrorCode::InvalidArgument);
    CHECK(world.rowCount("images") == 0);
    CHECK(world.auditCount() == before);
}

TEST_CASE("VI.B.1: a poor-quality probe is refused without acknowledgement") {
    CaseWorld world;
    auto cases = world.service(*world.investigator);
    auto image = cases.storeOriginal(world.caseId, world.png, "CCTV export, camera 3");
    auto request = cases.submitRequest(world.validRequest());
    REQUIRE((image.ok() && request.ok()));
    const auto before = world.auditCount();
    auto refused = cases.runSearch(request->id, image->id, world.probe(face::QualityVerdict::Poor), world.backend());
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::PolicyViolation);
    CHECK_THAT(refused.error().message, Catch::Contains("30 pixels"));
    CHECK(world.auditCount() == before + 1);  // the refusal, audited
    CHECK(world.lastAuditAction() == "access.refused");
    CHECK(world.rowCount("searches") == 0);

    cases::SearchOptions acknowledged;
    acknowledged.poorQualityAcknowledged = true;
    auto search = cases.runSearch(request->id, image->id, world.probe(face::QualityVerdict::Poor), world.backend(),
                                  acknowledged);
    REQUIRE(search.ok());
    CHECK(search->poorQualityAcknowledged);
    CHECK(world.auditCount() == before + 2);
}

TEST_CASE("A search stores ranked candidates with distance and score, under the requester only") {
    CaseWorld world;
    auto cases = world.service(*world.investigator);
    auto image = cases.storeOriginal(world.caseId, world.png, "CCTV export, camera 3");
    auto request = cases.submitRequest(world.validRequest());
    REQUIRE((image.ok() && request.ok()));

    cases::SearchOptions tooMany;
    tooMany.candidateLimit = 201;  // beyond the default rule pack's bound (issue 11 item 5: a policy rule)
    CHECK(cases.runSearch(request->id, image->id, world.probe(), world.backend(), tooMany).error().code ==
          ErrorCode::PolicyViolation);
    auto outside = world.probe();
    outside.box.right = 500;
    CHECK(cases.runSearch(request->id, image->id, outside, world.backend()).error().code == ErrorCode::InvalidArgument);

    world.clock->advance(std::chrono::seconds(60));
    const auto before = world.auditCount();
    auto probe = world.probe();
    probe.faceNumber = 2;  // the second of three faces in reading order (a group photo)
    probe.facesInImage = 3;
    auto search = cases.runSearch(request->id, image->id, probe, world.backend());
    REQUIRE(search.ok());
    CHECK(world.auditCount() == before + 1);
    CHECK(world.lastAuditAction() == "search.run");
    // The log says which face was searched, and where (issue 9: a group photo's face 2, not face 1).
    auto logged = audit::AuditLog::list(world.admin->store(), {.action = "search.run"});
    REQUIRE(logged);
    const auto details = nlohmann::json::parse(logged->back().detailsJson);
    CHECK(details.at("face_number") == 2);
    CHECK(details.at("faces_in_image") == 3);
    CHECK(details.at("face_box").dump() == cases::detail::boxToJson(probe.box).dump());
    REQUIRE(search->candidates.size() == 3);
    // Issue 11 item 1: the investigator may examine these candidates, so their ranks and numbers are withheld,
    // and their order (by subject name) says nothing of the rank.
    for (const auto& candidate : search->candidates) {
        CHECK(candidate.rankHidden);
        CHECK(candidate.rank == 0);
        CHECK(candidate.score == 0);
    }
    CHECK(search->candidates[0].subjectName == "Subject 1");
    auto ranked = world.service(*world.supervisor).getSearch(search->id);
    REQUIRE(ranked.ok());
    CHECK_FALSE(ranked->candidates[0].rankHidden);
    CHECK(ranked->candidates[0].rank == 1);
    CHECK(ranked->candidates[0].subjectName == "Subject 2");
    CHECK(ranked->candidates[0].distance <= ranked->candidates[1].distance);
    CHECK(ranked->candidates[0].score == Approx(1.0 / (1.0 + ranked->candidates[0].distance)));
    CHECK(ranked->candidates[0].status == workflow::LeadStatus::Candidate);
    CHECK(search->gallerySize == 3);
    CHECK(search->candidateLimit == 50);

    // Someone else's request and attestation cannot be used.
    auto other = world.service(*world.untrainedInvestigator).runSearch(request->id, image->id, world.probe(),
                                                                       world.backend());
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().code == ErrorCode::TrainingRequired);

    auto investigator = accounts::loadUser(world.admin->store(), world.investigator->userId());
    REQUIRE(investigator.ok());
    CHECK(investigator->lastActivityAt == world.clock->now());  // VI.C.2 NOTE: searching is activity

    auto mine = cases.mySearches();
    REQUIRE(mine.ok());
    REQUIRE(mine->size() == 1);
    CHECK(mine->front().candidateCount == 3);
    CHECK(mine->front().caseNumber == world.caseNumber);
}

TEST_CASE("Issue 10 item 6: a person with several gallery photos takes one rank; the limit counts subjects") {
    CaseWorld world;
    // The statement is finished at once: an open read would pin the admin connection's snapshot.
    const std::int64_t subject2 = [&] {
        auto lookup = world.admin->store().prepare("SELECT id FROM gallery_subjects WHERE name = 'Subject 2'");
        REQUIRE(lookup.ok());
        REQUIRE(lookup->step().value());
        return lookup->getInt(0);
    }();
    // Two more photos of subject 2, nearer to the probe than anyone else's: before, they took ranks 1 to 3.
    auto near = world.probe().descriptor;
    for (float& v : near) v += 0.01f;
    world.addSubjectPhoto(subject2, near);
    for (float& v : near) v += 0.01f;
    world.addSubjectPhoto(subject2, near);

    auto cases = world.service(*world.investigator);
    auto image = cases.storeOriginal(world.caseId, world.png, "CCTV export, camera 3");
    auto request = cases.submitRequest(world.validRequest());
    REQUIRE((image.ok() && request.ok()));
    cases::SearchOptions two;
    two.candidateLimit = 2;
    auto search = cases.runSearch(request->id, image->id, world.probe(), world.backend(), two);
    REQUIRE(search.ok());
    CHECK(world.rowCount("candidates") == 2);  // two subjects, as asked: not two photos

    // Read back as stored (the supervisor sees the ranks): one row per subject, its best photo remembered.
    auto stored = world.service(*world.supervisor).getSearch(search->id);
    REQUIRE(stored.ok());
    REQUIRE(stored->candidates.size() == 2);
    CHECK(stored->candidates[0].subjectId == subject2);
    CHECK(stored->candidates[0].distance == Approx(0).margin(1e-6));  // the photo identical to the probe
    CHECK(stored->candidates[1].subjectId != subject2);
    CHECK(stored->candidates[1].rank == 2);
    CHECK(stored->candidates[1].subjectName == "Subject 1");

    // All three of the subject's photos are offered with the one row, the one that matched among them.
    auto photos = world.service(*world.supervisor).candidatePhotos(stored->candidates[0].id);
    REQUIRE(photos.ok());
    REQUIRE(photos->all.size() == 3);
    CHECK(std::count_if(photos->all.begin(), photos->all.end(), [&](const cases::GalleryPhoto& p) {
              return p.galleryFaceId == stored->candidates[0].galleryFaceId;
          }) == 1);
}

namespace {

// Another decodable PNG than the world's (other bytes, other SHA-256).
std::vector<std::uint8_t> anotherPng() {
    cv::Mat pixels(40, 56, CV_8UC3);
    cv::randu(pixels, 0, 255);
    auto png = imaging::encodePng(pixels);
    REQUIRE(png.ok());
    return *png;
}

}  // namespace

TEST_CASE("Issue 10 item 6: several probes of one person: every original stored with its hash, one list, each "
          "person at the probe nearest to them") {
    CaseWorld world;
    const auto second = anotherPng();
    cases::SearchSubmission submission;
    submission.request = world.validRequest();
    submission.originalBytes = world.png;
    submission.probe = world.probe();  // subject 2's photo exactly
    auto further = world.probe();
    for (float& v : further.descriptor) v += 0.1f;  // subject 3's photo exactly (descriptorNear(0.3, 0.5))
    submission.furtherProbes.push_back({second, "Doorbell camera, 12 Elm St", further});
    const auto imagesBefore = world.rowCount("images");

    SECTION("a further probe without its own source is refused, nothing stored (VI.B.2, trial 40 F6)") {
        // The request is for an image the agency did not capture: the first probe's source is not the second's.
        submission.furtherProbes.front().imageSource = "  ";
        auto refused = world.service(*world.investigator).submitSearch(submission, world.backend());
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == ErrorCode::InvalidArgument);
        CHECK_THAT(refused.error().message, Catch::Contains("Probe 2") && Catch::Contains("own source"));
        CHECK(world.rowCount("images") == imagesBefore);
        CHECK(world.rowCount("searches") == 0);
    }
    SECTION("the same picture as two probes is refused, nothing stored (trial 43 F9: searched and counted twice)") {
        submission.furtherProbes.push_back({second, "Doorbell camera, 12 Elm St", further});
        auto refused = world.service(*world.investigator).submitSearch(submission, world.backend());
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == ErrorCode::InvalidArgument);
        CHECK_THAT(refused.error().message, Catch::Contains("Probe 3 is the same picture as probe 2"));
        CHECK(world.rowCount("images") == imagesBefore);
        CHECK(world.rowCount("searches") == 0);
    }
    SECTION("more probes than a search takes are refused, nothing stored") {
        for (std::size_t i = 1; i < cases::kMaxProbes; ++i) submission.furtherProbes.push_back(submission.furtherProbes.front());
        auto refused = world.service(*world.investigator).submitSearch(submission, world.backend());
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == ErrorCode::InvalidArgument);
        CHECK(world.rowCount("images") == imagesBefore);
        CHECK(world.rowCount("searches") == 0);
    }
    SECTION("stored, searched together and read back") {
        auto search = world.service(*world.investigator).submitSearch(submission, world.backend());
        INFO((search ? std::string() : search.error().message));
        REQUIRE(search.ok());
        CHECK(world.rowCount("images") == imagesBefore + 2);
        REQUIRE(search->furtherProbes.size() == 1);
        CHECK(search->furtherProbes[0].position == 1);
        CHECK(search->furtherProbes[0].faceBox.right == further.box.right);
        // Each probe original is kept untouched with its SHA-256 (VI.B.2) and read back hash-checked.
        auto firstImage = world.service(*world.investigator).readImage(search->imageId);
        auto secondImage = world.service(*world.investigator).readImage(search->furtherProbes[0].imageId);
        REQUIRE((firstImage.ok() && secondImage.ok()));
        CHECK(firstImage->record.sha256 == sha256Hex(world.png));
        CHECK(secondImage->record.sha256 == sha256Hex(second));
        CHECK(secondImage->record.source == "Doorbell camera, 12 Elm St");

        // One list: subject 2 (probe 1) and subject 3 (probe 2) both at distance 0, then subject 1.
        auto ranked = world.service(*world.supervisor).getSearch(search->id);
        REQUIRE(ranked.ok());
        REQUIRE(ranked->candidates.size() == 3);
        CHECK(ranked->candidates[0].subjectName == "Subject 2");
        CHECK(ranked->candidates[0].probe == 0);
        CHECK(ranked->candidates[1].subjectName == "Subject 3");
        CHECK(ranked->candidates[1].probe == 1);
        CHECK(ranked->candidates[1].distance == Approx(0).margin(1e-5));
        CHECK(ranked->furtherProbes.size() == 1);

        // The search's audit event names every probe.
        auto logged = audit::AuditLog::list(world.admin->store(), {.action = "search.run"});
        REQUIRE(logged);
        const auto details = nlohmann::json::parse(logged->back().detailsJson);
        REQUIRE(details.at("further_probes").size() == 1);
        CHECK(details.at("further_probes")[0].at("image_id") == search->furtherProbes[0].imageId);

        // An insider points probe 2 at the first probe's photo: the packet would show another photo.
        REQUIRE(world.admin->store()
                    .transact([&](store::Transaction& tx) {
                        return tx.exec("UPDATE search_probes SET image_id = " + std::to_string(search->imageId));
                    })
                    .ok());
        auto read = world.service(*world.supervisor).getSearch(search->id);
        REQUIRE_FALSE(read.ok());
        CHECK_THAT(read.error().message, Catch::Contains("further probes of search") &&
                                             Catch::Contains("edited outside FaceLead"));
    }
}

TEST_CASE("The case report says each probe's quality and its hand marking under that probe (trial 73 F4, F5)") {
    CaseWorld world;
    cases::SearchSubmission submission;
    submission.request = world.validRequest();
    submission.originalBytes = world.png;
    submission.probe = world.probe(face::QualityVerdict::Marginal);  // probe 1: marked by hand
    submission.probe.quality.reasons = {"The image file is damaged: premature end of data"};
    submission.probe.marked = *face::parseMarkedPoints("15,15;35,16;25,25");
    auto detected = world.probe();  // probe 2: detected, good
    for (float& v : detected.descriptor) v += 0.1f;
    const auto second = anotherPng();  // the submission refers to the bytes
    submission.furtherProbes.push_back({second, "Doorbell camera, 12 Elm St", detected, std::nullopt, "doorbell.png"});
    auto search = world.service(*world.investigator).submitSearch(submission, world.backend());
    INFO((search ? std::string() : search.error().message));
    REQUIRE(search.ok());
    REQUIRE(search->handMarking.has_value());

    auto service = world.service(*world.supervisor);
    auto report = reports::generateCaseReport(*world.supervisor, service, world.caseId, "Test agency");
    REQUIRE(report.ok());
    const std::string text = facelead::test::documentText(*report);
    INFO(text);
    const auto at = [&](const std::string& what) { return text.find(what); };
    CHECK(at("Probe 1 quality: marginal: The image file is damaged: premature end of data") != std::string::npos);
    CHECK(at(std::string("Probe 2 quality: good. ") + face::kGoodVerdictLimit) != std::string::npos);
    // Said once, not "face found by: Face marked by hand" (trial 74 F5).
    const auto marking = at("Probe 1: " + cases::handMarkingText(*search->handMarking));
    REQUIRE(marking != std::string::npos);
    CHECK(marking < at("Probe 2 of the same person"));  // under probe 1, before probe 2 is named
    CHECK(at("Probe 2: Face marked by hand") == std::string::npos);
}

TEST_CASE("Issue 10 item 4 for every probe: a further probe marked by hand is stored with its points, signed, read "
          "back with who marked it, and every report says so per probe") {
    CaseWorld world;
    cases::SearchSubmission submission;
    submission.request = world.validRequest();
    submission.originalBytes = world.png;
    submission.probe = world.probe();  // probe 1: detected
    auto marked = world.probe(face::QualityVerdict::Marginal);
    for (float& v : marked.descriptor) v += 0.1f;
    marked.marked = *face::parseMarkedPoints("15,15;35,16;25,25");  // on anotherPng's 56 x 40 pixels
    const auto second = anotherPng();
    submission.furtherProbes.push_back({second, "Doorbell camera, 12 Elm St", marked, std::nullopt, "doorbell.png"});

    auto search = world.service(*world.investigator).submitSearch(submission, world.backend());
    INFO((search ? std::string() : search.error().message));
    REQUIRE(search.ok());
    REQUIRE(search->furtherProbes.size() == 1);
    CHECK_FALSE(search->handMarking.has_value());  // probe 1 was detected
    auto read = world.service(*world.supervisor).getSearch(search->id);
    REQUIRE(read.ok());
    const auto& probe2 = read->furtherProbes.front();
    REQUIRE(probe2.handMarking.has_value());
    CHECK(probe2.handMarking->points == "15.0,15.0;35.0,16.0;25.0,25.0");
    CHECK(probe2.handMarking->markedBy.id == world.investigator->userId());
    CHECK(probe2.handMarking->markedAt == read->runAt);
    CHECK(probe2.faceBox.right == marked.box.right);

    // The signed search.run entry records it for that probe, with no face number among the detected ones.
    auto logged = audit::AuditLog::list(world.admin->store(), {.action = "search.run"});
    REQUIRE(logged);
    const auto details = nlohmann::json::parse(logged->back().detailsJson);
    const auto& audited = details.at("further_probes").at(0);
    CHECK(audited.at("face_marked_by_hand") == probe2.handMarking->points);
    CHECK(audited.at("face_number").is_null());
    CHECK(details.at("face_marked_by_hand").is_null());

    // The case report and the disclosure packet say it for probe 2, and only for it.
    auto service = world.service(*world.supervisor);
    auto report = reports::generateCaseReport(*world.supervisor, service, world.caseId, "Test agency");
    REQUIRE(report.ok());
    const std::string statement = cases::handMarkingText(*probe2.handMarking);
    CHECK_THAT(facelead::test::documentText(*report), Catch::Contains("Probe 2: " + statement));
    auto packet = reports::generateDisclosure(*world.supervisor, service, world.caseId);
    REQUIRE(packet.ok());
    const auto json = nlohmann::json::parse(packet->json);
    const auto& disclosed = json.at("searches").at(0);
    CHECK(disclosed.at("probe").at("face_marked_by_hand").is_null());
    const auto& further = disclosed.at("further_probes").at(0);
    CHECK(further.at("face_marked_by_hand").at("points") == probe2.handMarking->points);
    CHECK(further.at("face_marked_by_hand").at("marked_by").at("id") == world.investigator->userId());
    CHECK(further.at("face_number").is_null());
    CHECK_THAT(json.at("system").at("face_selection").get<std::string>(),
               Catch::Contains("In each probe image") && Catch::Contains("marks the face by hand"));
    CHECK_THAT(facelead::test::documentText(packet->document), Catch::Contains("Probe 2: Face found by: " + statement));

    // The probe file comes back from the store as stored, for a new search from a copy.
    auto file = world.service(*world.investigator).readProbeFile(probe2.imageId);
    REQUIRE(file.ok());
    CHECK(sha256Hex(file->originalBytes) == file->original.sha256);
    CHECK(file->original.id == probe2.imageId);
    CHECK_FALSE(file->videoFrame.has_value());

    // An insider moves the marked eyes: the case file no longer opens (the signed entry holds the points).
    REQUIRE(world.admin->store()
                .transact([&](store::Transaction& tx) {
                    return tx.exec("UPDATE search_probes SET face_box = replace(face_box, '15.0,15.0', '16.0,15.0')");
                })
                .ok());
    auto edited = world.service(*world.supervisor).getSearch(search->id);
    REQUIRE_FALSE(edited.ok());
    CHECK_THAT(edited.error().message, Catch::Contains("further probes of search"));
}

TEST_CASE("Issue 10 item 4: a face marked by hand is stored with its points, who marked it and when") {
    CaseWorld world;
    auto cases = world.service(*world.investigator);
    auto image = cases.storeOriginal(world.caseId, world.png, "CCTV export, camera 3");  // 64 x 48
    auto request = cases.submitRequest(world.validRequest());
    REQUIRE((image.ok() && request.ok()));
    auto probe = world.probe(face::QualityVerdict::Marginal);

    // Nonsense points are refused by the core whatever the entry point, and nothing is stored.
    const auto before = world.auditCount();
    for (const char* nonsense : {"20,20;80,20", "20,20;25,22", "20,20;20,20"}) {
        CAPTURE(nonsense);
        probe.marked = *face::parseMarkedPoints(nonsense);
        auto refused = cases.runSearch(request->id, image->id, probe, world.backend());
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == ErrorCode::InvalidArgument);
    }
    CHECK(world.rowCount("searches") == 0);

    probe.marked = *face::parseMarkedPoints("20,20;40,21;30,30");
    world.clock->advance(std::chrono::seconds(30));
    auto search = cases.runSearch(request->id, image->id, probe, world.backend());
    REQUIRE(search.ok());
    REQUIRE(search->handMarking.has_value());
    CHECK(search->handMarking->points == "20.0,20.0;40.0,21.0;30.0,30.0");
    CHECK(search->handMarking->markedBy.id == world.investigator->userId());
    CHECK(search->handMarking->markedAt == search->runAt);
    const auto statement = cases::handMarkingText(*search->handMarking);
    CHECK_THAT(statement, Catch::StartsWith("Face marked by hand by " + search->runBy.displayName + ", " + search->runAt));
    CHECK_THAT(statement, Catch::Contains("left eye (20.0, 20.0), right eye (40.0, 21.0), nose tip (30.0, 30.0)"));
    // The audit event says it too, and gives the marked face no number among the detected ones.
    auto logged = audit::AuditLog::list(world.admin->store(), {.action = "search.run"});
    REQUIRE(logged);
    const auto details = nlohmann::json::parse(logged->back().detailsJson);
    CHECK(details.at("face_marked_by_hand") == "20.0,20.0;40.0,21.0;30.0,30.0");
    CHECK(details.at("face_number").is_null());
    CHECK(world.auditCount() > before);

    // Read back later, by someone else: the same record.
    auto again = world.service(*world.supervisor).getSearch(search->id);
    REQUIRE(again.ok());
    REQUIRE(again->handMarking.has_value());
    CHECK(again->handMarking->markedBy.displayName == search->runBy.displayName);
    // A detected face has no hand marking.
    probe.marked.reset();
    auto detected = cases.runSearch(request->id, image->id, probe, world.backend());
    REQUIRE(detected.ok());
    CHECK_FALSE(detected->handMarking.has_value());
}

TEST_CASE("VI.B.6: a case or search request row rewritten outside FaceLead opens nothing and is named by audit "
          "verify (trial 13A)", "[need_to_know][insider]") {
    CaseWorld world;
    const auto candidates = world.searchCandidates();
    REQUIRE_FALSE(candidates.empty());
    world.examineAndMark(*world.investigator, candidates.front());
    const auto rewrite = [&world](const std::string& sql, std::int64_t userId) {
        auto statement = world.admin->store().prepare(sql);
        REQUIRE(statement.ok());
        REQUIRE(statement->bind(1, userId).bind(2, world.caseId).run().ok());
    };
    const auto tamper = [&world](const std::string& sql) {  // the case's one search: its only lead
        REQUIRE(world.admin->store().transact([&](store::Transaction& tx) { return tx.exec(sql); }).ok());
    };
    SECTION("an insider makes himself the case officer") {
        rewrite("UPDATE cases SET assigned_officer_id = ?1 WHERE id = ?2", world.otherOfficer->userId());
        const auto read = world.service(*world.otherOfficer).getCase(world.caseId);
        REQUIRE_FALSE(read.ok());
        CHECK(read.error().code == ErrorCode::AuditChainBroken);
        CHECK_THAT(read.error().message, Catch::Contains("another assigned case officer than the signed audit log"));
        CHECK(world.lastAuditAction() == "access.refused");
        // Nor follows the lead up as its case officer; nobody acts on the case until it is looked at.
        CHECK(world.service(*world.otherOfficer).recordFollowUp(candidates.front(), test::corroboratedFollowUp())
                  .error()
                  .code == ErrorCode::AuditChainBroken);
        CHECK(world.service(*world.supervisor).getCase(world.caseId).error().code == ErrorCode::AuditChainBroken);
        auto verify = audit::AuditLog::verify(world.admin->store());
        REQUIRE(verify.ok());
        CHECK_FALSE(verify->intact());
        REQUIRE(verify->caseProblems.size() == 1);
        CHECK_THAT(verify->caseProblems.front(), Catch::Contains(world.caseNumber) && Catch::Contains("assigned"));
    }
    SECTION("an insider rewrites his own examination's conclusion to mark a lead (trial 14A)") {
        auto investigator = world.service(*world.investigator);
        REQUIRE(candidates.size() > 1);
        REQUIRE(investigator.recordExamination(candidates[1], test::examinationConcluding(workflow::Conclusion::LendsNoSupport))
                    .ok());
        REQUIRE(world.admin->store()
                    .transact([&](store::Transaction& tx) {
                        return tx.exec("DROP TRIGGER examinations_immutable; UPDATE examinations SET conclusion = "
                                       "'strong_support' WHERE candidate_id = " + std::to_string(candidates[1]) +
                                       "; CREATE TRIGGER examinations_immutable BEFORE UPDATE ON examinations BEGIN "
                                       "SELECT RAISE(ABORT, 'examinations are never rewritten'); END;");
                    })
                    .ok());
        const auto marked = investigator.markPossibleLead(candidates[1], "Same scar above the left eyebrow.");
        REQUIRE_FALSE(marked.ok());
        CHECK(marked.error().code == ErrorCode::AuditChainBroken);
        CHECK_THAT(marked.error().message, Catch::Contains("Examination") && Catch::Contains("edited outside FaceLead"));
    }
    SECTION("an insider rewrites a search request's purpose and justification (trial 14A)") {
        auto statement = world.admin->store().prepare(
            "UPDATE search_requests SET purpose_code = 'critical_incident', justification = 'Imminent threat' WHERE "
            "case_id = ?");
        REQUIRE(statement.ok());
        REQUIRE(statement->bind(1, world.caseId).run().ok());
        const auto read = world.service(*world.supervisor).caseHistory(world.caseId);
        REQUIRE_FALSE(read.ok());
        CHECK(read.error().code == ErrorCode::AuditChainBroken);
        CHECK_THAT(read.error().message, Catch::Contains("Search request"));
        auto verify = reports::AuditTrail(*world.programAdministrator).verify();
        REQUIRE(verify.ok());
        CHECK_FALSE(verify->intact());
        REQUIRE(verify->caseProblems.size() == 1);
        CHECK_THAT(verify->caseProblems.front(), Catch::Contains(world.caseNumber) && Catch::Contains("Search request"));
    }
    SECTION("an insider rewrites a lead's decision and note, and verify names it (trial 15A)") {
        tamper("UPDATE leads SET status = 'excluded', note = 'Excluded: alibi confirmed'");
        const auto lead = world.service(*world.officer).getLead(candidates.front());
        REQUIRE_FALSE(lead.ok());
        CHECK(lead.error().code == ErrorCode::AuditChainBroken);
        CHECK_THAT(lead.error().message, Catch::Contains("The lead of candidate " + std::to_string(candidates.front())));
        CHECK(world.service(*world.supervisor).caseHistory(world.caseId).error().code == ErrorCode::AuditChainBroken);
        auto verify = reports::AuditTrail(*world.programAdministrator).verify();
        REQUIRE(verify.ok());
        CHECK_FALSE(verify->intact());
        REQUIRE(verify->caseProblems.size() == 1);
        CHECK_THAT(verify->caseProblems.front(), Catch::Contains(world.caseNumber) && Catch::Contains("The lead"));
    }
    SECTION("an insider deletes a marked lead to keep it out of the disclosure") {
        tamper("DELETE FROM leads");
        const auto read = world.service(*world.supervisor).caseHistory(world.caseId);
        REQUIRE_FALSE(read.ok());
        CHECK_THAT(read.error().message, Catch::Contains("The lead of candidate") && Catch::Contains("edited outside"));
    }
    SECTION("an insider swaps two colleagues' display names to put one's name on the other's work (trial 19A G4)") {
        tamper("UPDATE users SET display_name = CASE username WHEN 'ivan' THEN 'olga Display' ELSE 'ivan Display' END "
               "WHERE username IN ('ivan', 'olga')");
        const auto read = world.service(*world.supervisor).caseHistory(world.caseId);
        REQUIRE_FALSE(read.ok());
        CHECK(read.error().code == ErrorCode::AuditChainBroken);
        CHECK_THAT(read.error().message, Catch::Contains("The account ivan is shown as \"olga Display\"") &&
                                             Catch::Contains("created it as \"ivan Display\""));
        CHECK(world.service(*world.officer).getLead(candidates.front()).error().code == ErrorCode::AuditChainBroken);
        auto verify = reports::AuditTrail(*world.programAdministrator).verify();
        REQUIRE(verify.ok());
        CHECK_FALSE(verify->intact());
        CHECK(verify->caseProblems.empty());  // named once, as the account's, not once per case
        CHECK(std::ranges::count_if(verify->accountProblems, [](const std::string& problem) {
                  return problem.find("shown as") != std::string::npos;
              }) == 2);
        // Every list of accounts carries the signed name meanwhile.
        const auto listed = accounts::signedAccounts(world.admin->store());
        REQUIRE(listed.ok());
        CHECK(std::ranges::find(*listed, "ivan Display", &accounts::User::displayName)->username == "ivan");
        // A program administrator puts the table back, and the case reads again with the right names.
        REQUIRE(accounts::restoreUsersTable(*world.programAdministrator, "Display names swapped outside FaceLead.").ok());
        const auto again = world.service(*world.supervisor).caseHistory(world.caseId);
        REQUIRE(again.ok());
        CHECK(reports::AuditTrail(*world.programAdministrator).verify()->intact());
    }
    SECTION("an insider deletes his own search request, search and candidate list (trial 20A F3)") {
        REQUIRE(world.admin->store()
                    .exec("PRAGMA foreign_keys = OFF; DELETE FROM candidates; DELETE FROM searches; "
                          "DELETE FROM search_requests; PRAGMA foreign_keys = ON")
                    .ok());
        const auto read = world.service(*world.supervisor).caseHistory(world.caseId);
        REQUIRE_FALSE(read.ok());
        CHECK(read.error().code == ErrorCode::AuditChainBroken);
        CHECK_THAT(read.error().message, Catch::Contains("Search request") && Catch::Contains("deleted outside FaceLead"));
        auto verify = reports::AuditTrail(*world.programAdministrator).verify();
        REQUIRE(verify.ok());
        CHECK_FALSE(verify->intact());
        REQUIRE(verify->caseProblems.size() == 1);
        CHECK_THAT(verify->caseProblems.front(), Catch::Contains(world.caseNumber) && Catch::Contains("deleted"));
        // Nor is the annual review counted from what is left (trial 20A F6).
        const auto review = reports::computeAnnualReview(*world.programAdministrator, 2026);
        REQUIRE_FALSE(review.ok());
        CHECK(review.error().code == ErrorCode::AuditChainBroken);
        const auto statutory = reports::computeStatutoryCounts(*world.programAdministrator, 2026);  // trial 21A N2
        REQUIRE_FALSE(statutory.ok());
        CHECK(statutory.error().code == ErrorCode::AuditChainBroken);
    }
    SECTION("an insider rolls a lead back, or rewrites its follow-up or review") {
        auto officer = world.service(*world.officer);
        const auto followedUp = officer.recordFollowUp(candidates.front(), test::corroboratedFollowUp());
        REQUIRE(followedUp.ok());
        REQUIRE(world.service(*world.officer).getLead(candidates.front()).ok());  // as FaceLead wrote them: read
        const auto tampered = [&](const std::string& sql, const std::string& named) {
            tamper(sql);
            const auto read = world.service(*world.supervisor).getLead(candidates.front());
            REQUIRE_FALSE(read.ok());
            CHECK_THAT(read.error().message, Catch::Contains(named) && Catch::Contains("edited outside FaceLead"));
        };
        SECTION("the lead back to the marked state") {
            tampered("UPDATE leads SET status = 'possible_lead', updated_at = marked_at", "The lead of candidate");
        }
        SECTION("the follow-up's steps") {
            tampered("UPDATE follow_ups SET steps = 'Nothing was checked.'", "Follow-up");
        }
        SECTION("an evidence item of the follow-up") {
            tampered("UPDATE follow_up_evidence SET description = 'A confession.'", "Follow-up");
        }
        SECTION("the evidence types' line-up flag switched off, to count an attested line-up (trial 44 F4)") {
            tamper("UPDATE evidence_types SET identification_procedure = 0 WHERE code = 'witness_identification'");
            auto lineUp = test::corroboratedFollowUp();
            lineUp.evidence = {{"witness_identification", "Witness 1 initialled exhibit 7, administered blind.", true}};
            const auto refused = world.service(*world.officer).recordFollowUp(candidates.front(), lineUp);
            REQUIRE_FALSE(refused.ok());
            CHECK(refused.error().code == ErrorCode::IntegrityViolation);
            CHECK_THAT(refused.error().message, Catch::Contains("evidence types") && Catch::Contains("edited outside FaceLead"));
            const workflow::Review clear{true, true, "Follow-up checked against the case file."};
            CHECK_FALSE(world.service(*world.supervisor).review(candidates.front(), world.ofLatest(candidates.front(), clear)));
        }
        SECTION("an evidence item's attestation that it stands apart from the search (issue 11), withdrawn or added") {
            tampered("UPDATE follow_up_evidence SET independent_of_search = 0", "Follow-up");
        }
        SECTION("the supervisor's review") {
            const workflow::Review clear{true, true, "Follow-up checked against the case file."};
            const auto reviewed =
                world.service(*world.supervisor).review(candidates.front(), world.ofLatest(candidates.front(), clear));
            REQUIRE(reviewed.ok());
            tampered("UPDATE reviews SET note = 'Cleared without reading.'", "Review");
        }
    }
    SECTION("an insider edits the follow-ups of two leads and a lead: audit verify names all three (trial 44 F3, 45 F5)") {
        REQUIRE(candidates.size() > 1);
        world.examineAndMark(*world.investigator, candidates[1]);
        for (const std::int64_t candidate : {candidates[0], candidates[1]})
            REQUIRE(world.service(*world.officer).recordFollowUp(candidate, test::corroboratedFollowUp()));
        tamper("UPDATE follow_up_evidence SET independent_of_search = 0");
        tamper("UPDATE leads SET note = 'Seen at the scene.' WHERE candidate_id = " + std::to_string(candidates[1]));
        auto verify = reports::AuditTrail(*world.programAdministrator).verify();
        REQUIRE(verify.ok());
        REQUIRE(verify->caseProblems.size() == 1);  // one line per case, naming each edited row (trial 45 F5)
        for (const std::int64_t candidate : {candidates[0], candidates[1]})
            CHECK_THAT(verify->caseProblems.front(), Catch::Contains("of candidate " + std::to_string(candidate) +
                                                                     " no longer matches"));
        CHECK_THAT(verify->caseProblems.front(), Catch::Contains("The lead of candidate " + std::to_string(candidates[1])));
        CHECK_THAT(verify->caseProblems.front(), Catch::Contains("Nobody reads or acts on this case"));
    }
    SECTION("an insider appends a copy of his own decision, signed with his key, to take a lead back, or deletes "
            "its follow-up (trial 16A)") {
        REQUIRE(world.service(*world.officer).recordFollowUp(candidates.front(), test::corroboratedFollowUp()));
        SECTION("the copy appended and the lead row put back as the copy left it") {
            auto marked = audit::AuditLog::list(world.admin->store(), {.action = "lead.marked_possible",
                                                                      .objectType = "candidate",
                                                                      .objectId = std::to_string(candidates.front())});
            REQUIRE((marked && marked->size() == 1));
            REQUIRE(world.investigator->store().transact([&](store::Transaction& tx) -> Result<void> {
                auto copy = audit::AuditLog::append(tx, {world.investigator->userId(), "lead.marked_possible",
                                                         "candidate", std::to_string(candidates.front()),
                                                         marked->front().detailsJson});
                if (!copy) return copy.error();
                return {};
            }));
            tamper("UPDATE leads SET status = 'possible_lead', updated_at = marked_at");
        }
        SECTION("the follow-up deleted") {
            tamper("DELETE FROM follow_up_evidence; DELETE FROM follow_ups");
            // Named as the follow-up the log recorded, not only as an edited lead (trial 48 F2: an alibi deleted).
            auto verify = reports::AuditTrail(*world.programAdministrator).verify();
            REQUIRE(verify.ok());
            REQUIRE(verify->caseProblems.size() == 1);
            CHECK_THAT(verify->caseProblems.front(),
                       Catch::Contains("Follow-up") && Catch::Contains("of candidate " + std::to_string(candidates.front())) &&
                           Catch::Contains("was deleted outside FaceLead"));
        }
        const auto read = world.service(*world.supervisor).getLead(candidates.front());
        REQUIRE_FALSE(read.ok());
        CHECK_THAT(read.error().message, Catch::Contains("The lead of candidate") && Catch::Contains("edited outside"));
    }
    SECTION("an insider rewrites the case's offence, which every report and disclosure carries (trial 16A)") {
        tamper("UPDATE cases SET offence = 'Shoplifting of a candy bar'");
        const auto read = world.service(*world.supervisor).caseHistory(world.caseId);
        REQUIRE_FALSE(read.ok());
        CHECK_THAT(read.error().message, Catch::Contains("another case number or offence"));
        auto verify = audit::AuditLog::verify(world.admin->store());
        REQUIRE(verify.ok());
        REQUIRE(verify->caseProblems.size() == 1);
        CHECK_THAT(verify->caseProblems.front(), Catch::Contains("Shoplifting of a candy bar"));

        // Trial 23A F8: then a program administrator puts the row back from the signed log; nobody else may.
        const auto refused = cases::restoreCaseRows(*world.supervisor, "Offence rewritten, seen in audit verify.");
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == ErrorCode::PermissionDenied);
        CHECK(world.lastAuditAction() == "access.refused");
        CHECK(cases::restoreCaseRows(*world.programAdministrator, " ").error().code == ErrorCode::InvalidArgument);
        const auto restored = cases::restoreCaseRows(*world.programAdministrator, "Offence rewritten, seen in audit verify.");
        REQUIRE(restored.ok());
        REQUIRE(restored->size() == 1);
        CHECK_THAT(restored->front().wasEdited, Catch::Contains("Shoplifting of a candy bar"));
        CHECK(world.lastAuditAction() == "case.row_restored");
        const auto again = world.service(*world.supervisor).caseHistory(world.caseId);
        REQUIRE(again.ok());
        auto after = audit::AuditLog::verify(world.admin->store());
        REQUIRE(after.ok());
        CHECK(after->intact());
        CHECK(cases::restoreCaseRows(*world.programAdministrator, "Again.").error().code == ErrorCode::InvalidArgument);
    }
    SECTION("an insider writes a status into the case, which FaceLead never changes (trial 23A F1, F10)") {
        for (const std::string status : {"closed - expunged by court order 2026-11-30",
                                         "open\xC3\x28\xFF\x1B[2J"}) {  // invalid UTF-8 and an escape
            CAPTURE(status);
            auto update = world.admin->store().prepare("UPDATE cases SET status = ?");
            REQUIRE(update);
            REQUIRE(update->bind(1, status).run());
            const auto read = world.service(*world.supervisor).caseHistory(world.caseId);
            REQUIRE_FALSE(read.ok());
            CHECK_THAT(read.error().message, Catch::Contains("which FaceLead never writes") &&
                                                 Catch::Contains("edited outside FaceLead"));
            auto verify = audit::AuditLog::verify(world.admin->store());
            REQUIRE(verify.ok());
            REQUIRE(verify->caseProblems.size() == 1);
            CHECK_THAT(verify->caseProblems.front(), Catch::Contains("which FaceLead never writes"));
        }
    }
    SECTION("an insider swaps a probe's bytes and its hash column together (trial 16A)") {
        tamper("DROP TRIGGER images_content_immutable; UPDATE images SET bytes = x'00', sha256 = '" +
               std::string(64, 'a') + "' WHERE id = (SELECT min(id) FROM images)");
        const auto read = world.service(*world.supervisor).caseHistory(world.caseId);
        REQUIRE_FALSE(read.ok());
        CHECK_THAT(read.error().message, Catch::Contains("Image ") && Catch::Contains("edited outside FaceLead"));
    }
    SECTION("an insider rewrites a probe's source and capture metadata, which the packet discloses (trial 22A F6)") {
        tamper("UPDATE images SET source = 'DMV licence photo (consented)', capture_metadata = '{}' WHERE id = "
               "(SELECT min(id) FROM images)");
        const auto read = world.service(*world.supervisor).caseHistory(world.caseId);
        REQUIRE_FALSE(read.ok());
        CHECK_THAT(read.error().message, Catch::Contains("Image ") && Catch::Contains("edited outside FaceLead"));
    }
    SECTION("an insider points the lead's candidate at another person's gallery face (trial 16A)") {
        REQUIRE(candidates.size() > 1);
        tamper("UPDATE candidates SET gallery_face_id = (SELECT gallery_face_id FROM candidates WHERE id = " +
               std::to_string(candidates[1]) + ") WHERE id = " + std::to_string(candidates.front()));
        const auto read = world.service(*world.supervisor).getLead(candidates.front());
        REQUIRE_FALSE(read.ok());
        CHECK_THAT(read.error().message, Catch::Contains("Search ") && Catch::Contains("edited outside FaceLead"));
    }
    SECTION("an insider renames the lead's gallery subject, rewrites its face or moves it to another subject "
            "(trial 16A F2)") {
        const std::string face = "(SELECT gallery_face_id FROM candidates WHERE id = " +
                                 std::to_string(candidates.front()) + ")";
        SECTION("another name on the subject") {
            tamper("UPDATE gallery_subjects SET name = 'Somebody Else' WHERE id = (SELECT subject_id FROM "
                   "gallery_faces WHERE id = " + face + ")");
        }
        SECTION("another descriptor on the face") {
            tamper("UPDATE gallery_faces SET descriptor = zeroblob(512) WHERE id = " + face);
        }
        SECTION("the face moved to another subject") {
            tamper("UPDATE gallery_faces SET subject_id = (SELECT min(s.id) FROM gallery_subjects s WHERE s.id <> "
                   "gallery_faces.subject_id) WHERE id = " + face);
        }
        const auto read = world.service(*world.supervisor).getLead(candidates.front());
        REQUIRE_FALSE(read.ok());
        CHECK(read.error().code == ErrorCode::AuditChainBroken);
        CHECK_THAT(read.error().message, Catch::Contains("Gallery face") && Catch::Contains("outside FaceLead"));
        auto verify = reports::AuditTrail(*world.programAdministrator).verify();
        REQUIRE(verify.ok());
        CHECK_FALSE(verify->intact());
        REQUIRE(verify->caseProblems.size() == 1);
        CHECK_THAT(verify->caseProblems.front(), Catch::Contains(world.caseNumber) && Catch::Contains("Gallery face"));
        REQUIRE(verify->galleryProblems.size() == 1);
    }
    SECTION("an insider rewrites the descriptor of a face no search has named yet: verify names it") {
        const auto subject = world.addGalleryFace("Not yet a candidate", {});
        REQUIRE(reports::AuditTrail(*world.programAdministrator).verify()->intact());
        tamper("UPDATE gallery_faces SET descriptor = randomblob(512) WHERE subject_id = " + std::to_string(subject));
        auto verify = reports::AuditTrail(*world.programAdministrator).verify();
        REQUIRE(verify.ok());
        CHECK(verify->caseProblems.empty());
        REQUIRE(verify->galleryProblems.size() == 1);
        CHECK_THAT(verify->galleryProblems.front(), Catch::Contains("Not yet a candidate") && Catch::Contains("descriptor"));
        CHECK(world.service(*world.supervisor).getLead(candidates.front()).ok());  // no case names it
    }
    SECTION("an enrolment entry changed (as a re-hash breaks it): its face is not vouched for, not called edited "
            "(trial 83 F2)") {
        const auto subject = world.addGalleryFace("Entry changed", {});
        tamper("DROP TRIGGER audit_log_append_only_update; UPDATE audit_log SET details = replace(details, "
               "'Entry changed', 'Entry  changed') WHERE action = 'gallery.faces_enrolled' AND object_id = '" +
               std::to_string(subject) + "'");
        auto verify = reports::AuditTrail(*world.programAdministrator).verify();
        REQUIRE(verify.ok());
        REQUIRE(verify->galleryProblems.size() == 1);
        CHECK_THAT(verify->galleryProblems.front(),
                   Catch::Contains("can no longer be vouched for") && !Catch::Contains("edited outside FaceLead"));
    }
    SECTION("an insider rewrites an examination as his own and signs a copy of its entry with his key") {
        const auto examined = audit::AuditLog::list(world.admin->store(), {.action = "candidate.examined",
                                                                          .objectType = "candidate",
                                                                          .objectId = std::to_string(candidates.front())});
        REQUIRE((examined && examined->size() == 1));
        tamper("DROP TRIGGER examinations_immutable; UPDATE examinations SET examiner_id = " +
               std::to_string(world.otherOfficer->userId()) + ", note = 'Examined by me.' WHERE candidate_id = " +
               std::to_string(candidates.front()) + "; CREATE TRIGGER examinations_immutable BEFORE UPDATE ON "
               "examinations BEGIN SELECT RAISE(ABORT, 'examinations are never rewritten'); END;");
        auto details = nlohmann::json::parse(examined->front().detailsJson);
        details[cases::detail::kRowDigest] = *cases::detail::rowDigest(
            world.admin->store(), cases::detail::kExaminationRow, details.value("examination_id", std::int64_t(0)));
        REQUIRE(world.otherOfficer->store().transact([&](store::Transaction& tx) -> Result<void> {
            auto copy = audit::AuditLog::append(tx, {world.otherOfficer->userId(), "candidate.examined", "candidate",
                                                     std::to_string(candidates.front()), details.dump()});
            if (!copy) return copy.error();
            return {};
        }));
        const auto read = world.service(*world.supervisor).getLead(candidates.front());
        REQUIRE_FALSE(read.ok());
        CHECK_THAT(read.error().message, Catch::Contains("Examination") && Catch::Contains("edited outside FaceLead"));
    }
    SECTION("an insider assigns the case to himself and signs a copy of its creation entry with his key") {
        auto created = audit::AuditLog::list(world.admin->store(), {.action = audit::AuditLog::kCaseCreated,
                                                                   .objectType = "case",
                                                                   .objectId = std::to_string(world.caseId)});
        REQUIRE((created && created->size() == 1));
        auto details = nlohmann::json::parse(created->front().detailsJson);
        details["assigned_officer_id"] = world.otherOfficer->userId();
        REQUIRE(world.otherOfficer->store().transact([&](store::Transaction& tx) -> Result<void> {
            auto copy = audit::AuditLog::append(tx, {world.otherOfficer->userId(), audit::AuditLog::kCaseCreated,
                                                     "case", std::to_string(world.caseId), details.dump()});
            if (!copy) return copy.error();
            return {};
        }));
        rewrite("UPDATE cases SET assigned_officer_id = ?1, created_by = ?1 WHERE id = ?2", world.otherOfficer->userId());
        CHECK(world.service(*world.otherOfficer).getCase(world.caseId).error().code == ErrorCode::AuditChainBroken);
        auto verify = reports::AuditTrail(*world.programAdministrator).verify();
        REQUIRE(verify.ok());
        REQUIRE(verify->caseProblems.size() == 1);
        CHECK_THAT(verify->caseProblems.front(), Catch::Contains(world.caseNumber) && Catch::Contains("creator"));
    }
    SECTION("an insider deletes an examination the signed log recorded (trial 17A N1)") {
        tamper("DROP TRIGGER examinations_never_deleted; DELETE FROM examinations WHERE candidate_id = " +
               std::to_string(candidates.front()));
        const auto read = world.service(*world.supervisor).getLead(candidates.front());
        REQUIRE_FALSE(read.ok());
        CHECK_THAT(read.error().message, Catch::Contains("Examination") && Catch::Contains("deleted outside FaceLead"));
        auto verify = reports::AuditTrail(*world.programAdministrator).verify();
        REQUIRE(verify.ok());
        REQUIRE(verify->caseProblems.size() == 1);
        CHECK_THAT(verify->caseProblems.front(), Catch::Contains("deleted outside FaceLead"));
    }
    // An examination recorded as FaceLead would, without its gates: the row and its entry, signed with the
    // examiner's own key.
    const auto forgeExamination = [](accounts::Session& examiner, std::int64_t candidate) {
        REQUIRE(examiner.store().transact([&](store::Transaction& tx) -> Result<void> {
            FACELEAD_TRY(tx.exec("INSERT INTO examinations(candidate_id, examiner_id, kind, components, conclusion, "
                                 "note, recorded_at) VALUES (" + std::to_string(candidate) + ", " +
                                 std::to_string(examiner.userId()) +
                                 ", 'examination', '{}', 'strong_support', 'Same scar.', '2026-12-02T06:01:00Z')"));
            const std::int64_t examinationId = tx.lastInsertId();
            auto digest = cases::detail::rowDigest(tx.store(), cases::detail::kExaminationRow, examinationId);
            if (!digest) return digest.error();
            const nlohmann::json details{{"examination_id", examinationId}, {"conclusion", "strong_support"},
                                         {cases::detail::kRowDigest, *digest}};
            auto examined = audit::AuditLog::append(tx, {examiner.userId(), "candidate.examined", "candidate",
                                                         std::to_string(candidate), details.dump()});
            if (!examined) return examined.error();
            return {};
        }));
    };
    SECTION("an insider marks a possible lead past the gate with his own key (trial 17A N3, N5)") {
        REQUIRE(candidates.size() > 1);
        const std::int64_t candidate = candidates[1];
        auto investigator = world.service(*world.investigator);
        // Marks the candidate as FaceLead would, without its gate: the lead row and its entry, signed with the
        // investigator's own key.
        const auto forgeMark = [&] {
            REQUIRE(world.investigator->store().transact([&](store::Transaction& tx) -> Result<void> {
                FACELEAD_TRY(tx.exec("INSERT INTO leads(status, note, marked_by, marked_at, updated_at, candidate_id) "
                                     "VALUES ('possible_lead', 'Same scar.', " +
                                     std::to_string(world.investigator->userId()) +
                                     ", '2026-12-02T06:00:00Z', '2026-12-02T06:00:00Z', " + std::to_string(candidate) +
                                     ")"));
                const std::int64_t leadId = tx.lastInsertId();
                auto digest = cases::detail::rowDigest(tx.store(), cases::detail::kLeadRow, leadId);
                if (!digest) return digest.error();
                const nlohmann::json details{{"case_id", world.caseId}, {"note", "Same scar."},
                                             {"from", "candidate"}, {"to", "possible_lead"}, {"lead_id", leadId},
                                             {cases::detail::kLeadRowDigest, *digest}};
                auto mark = audit::AuditLog::append(tx, {world.investigator->userId(), "lead.marked_possible",
                                                         "candidate", std::to_string(candidate), details.dump()});
                if (!mark) return mark.error();
                return {};
            }));
        };
        std::string why;
        SECTION("while the examiners disagree, right after FaceLead refused the mark") {
            REQUIRE(investigator.recordExamination(candidate, test::supportingExamination()).ok());
            REQUIRE(world
                        .verifyBlind(*world.otherOfficer, candidate, test::examinationConcluding(
                                                           workflow::Conclusion::Exclusion,
                                                           workflow::ComponentFinding::Dissimilar))
                        .ok());
            REQUIRE_FALSE(investigator.markPossibleLead(candidate, "Same scar.").ok());
            forgeMark();
            why = "disagree";
        }
        SECTION("before any examination, with a supporting one signed after the mark") {
            forgeMark();
            CHECK(investigator.recordExamination(candidate, test::supportingExamination()).error().code ==
                  ErrorCode::AuditChainBroken);  // FaceLead records nothing on such a file
            forgeExamination(*world.investigator, candidate);
            why = "Record your own blind examination";
        }
        const auto followUp = world.service(*world.officer).recordFollowUp(candidate, test::corroboratedFollowUp());
        REQUIRE_FALSE(followUp.ok());
        CHECK(followUp.error().code == ErrorCode::AuditChainBroken);
        CHECK_THAT(followUp.error().message, Catch::Contains("was not permitted when it was marked") &&
                                                 Catch::Contains(why));
        auto verify = reports::AuditTrail(*world.programAdministrator).verify();
        REQUIRE(verify.ok());
        CHECK_FALSE(verify->intact());
        REQUIRE(verify->caseProblems.size() == 1);
        CHECK_THAT(verify->caseProblems.front(), Catch::Contains("not permitted when it was marked"));
    }
    SECTION("an examination signed with one's own key after seeing the rank and score is not blind") {
        REQUIRE(candidates.size() > 1);
        REQUIRE(world.service(*world.supervisor).viewCandidate(candidates[1])->rankHidden == false);
        forgeExamination(*world.supervisor, candidates[1]);
        const auto read = world.service(*world.officer).getLead(candidates.front());
        REQUIRE_FALSE(read.ok());
        CHECK_THAT(read.error().message, Catch::Contains("rank and score were shown") &&
                                             Catch::Contains("not blind"));
    }
    SECTION("an insider slips in a supervisor's resolution of the examiners' disagreement, or deletes one") {
        REQUIRE(candidates.size() > 1);
        const std::int64_t candidate = candidates[1];
        auto investigator = world.service(*world.investigator);
        REQUIRE(investigator.recordExamination(candidate, test::supportingExamination()).ok());
        REQUIRE(world
                    .verifyBlind(*world.otherOfficer, candidate, test::examinationConcluding(workflow::Conclusion::Exclusion,
                                                                               workflow::ComponentFinding::Dissimilar))
                    .ok());
        std::string what;
        SECTION("slipped in") {
            tamper("INSERT INTO examination_resolutions(candidate_id, conclusion, note, resolved_by, resolved_at) "
                   "VALUES (" + std::to_string(candidate) + ", 'support', 'Settled.', " +
                   std::to_string(world.supervisor->userId()) + ", '2026-12-02T06:00:00Z')");
            what = "edited outside FaceLead";
        }
        // A row and its entry, as FaceLead writes a supervisor's resolution, signed in `session`'s key.
        const auto forgeResolution = [&](accounts::Session& session, std::int64_t resolverId,
                                         std::optional<std::string> inName = std::nullopt) {
            REQUIRE(session.store().transact([&](store::Transaction& tx) -> Result<void> {
                FACELEAD_TRY(tx.exec("INSERT INTO examination_resolutions(candidate_id, conclusion, note, resolved_by, "
                                     "resolved_at) VALUES (" + std::to_string(candidate) + ", 'support', 'Settled.', " +
                                     std::to_string(resolverId) + ", '2026-12-02T06:00:00Z')"));
                const std::int64_t resolutionId = tx.lastInsertId();
                auto digest = cases::detail::rowDigest(tx.store(), cases::detail::kResolutionRow, resolutionId);
                if (!digest) return digest.error();
                const nlohmann::json details{{"resolution_id", resolutionId}, {"conclusion", "support"},
                                             {"note", "Settled."}, {cases::detail::kRowDigest, *digest}};
                auto entry = audit::AuditLog::append(tx, {resolverId, "examination.disagreement_resolved", "candidate",
                                                          std::to_string(candidate), details.dump(), inName});
                if (!entry) return entry.error();
                return {};
            }));
        };
        SECTION("in a supervisor's name, signed with the investigator's own key (trial 18A F2)") {
            forgeResolution(*world.investigator, world.supervisor->userId());
            what = "edited outside FaceLead";
        }
        SECTION("with the supervisor's user id, in the investigator's own name and key (trial 19A G1)") {
            forgeResolution(*world.investigator, world.supervisor->userId(), world.investigator->user().username);
            what = "edited outside FaceLead";
            auto verify = reports::AuditTrail(*world.programAdministrator).verify();
            REQUIRE(verify.ok());
            CHECK_FALSE(verify->intact());
            REQUIRE_FALSE(verify->entryProblems.empty());
            CHECK_THAT(verify->entryProblems.back(), Catch::Contains("which the log gave to another account"));
        }
        SECTION("by the disputing examiner himself, with his own key (trial 18A F3)") {
            forgeResolution(*world.investigator, world.investigator->userId());
            what = "who was not a supervisor";
            auto verify = reports::AuditTrail(*world.programAdministrator).verify();
            REQUIRE(verify.ok());
            REQUIRE(verify->caseProblems.size() == 1);
            CHECK_THAT(verify->caseProblems.front(), Catch::Contains("resolution of the examiners' disagreement"));
        }
        SECTION("deleted") {
            REQUIRE(world.service(*world.supervisor)
                        .resolveDisagreement(candidate, workflow::Conclusion::Exclusion, "The ears differ plainly.")
                        .ok());
            tamper("DELETE FROM examination_resolutions");
            what = "deleted outside FaceLead";
        }
        const auto marked = investigator.markPossibleLead(candidate, "Same scar.");
        REQUIRE_FALSE(marked.ok());
        CHECK(marked.error().code == ErrorCode::AuditChainBroken);
        CHECK_THAT(marked.error().message, Catch::Contains("esolution") && Catch::Contains(what));
    }
    SECTION("an insider deletes the whole case, or a gallery subject with its faces (trial 17A N4)") {
        SECTION("the case") {
            REQUIRE(world.admin->store().exec("PRAGMA foreign_keys = OFF; DELETE FROM cases; PRAGMA foreign_keys = ON").ok());
            auto verify = reports::AuditTrail(*world.programAdministrator).verify();
            REQUIRE(verify.ok());
            CHECK_FALSE(verify->intact());
            REQUIRE_FALSE(verify->caseProblems.empty());
            CHECK_THAT(verify->caseProblems.back(), Catch::Contains(world.caseNumber) && Catch::Contains("gone"));
        }
        SECTION("a subject no search named") {
            const auto subject = world.addGalleryFace("Deleted later", {});
            tamper("DELETE FROM gallery_face_images WHERE face_id IN (SELECT id FROM gallery_faces WHERE subject_id = " +
                   std::to_string(subject) + "); DELETE FROM gallery_faces WHERE subject_id = " +
                   std::to_string(subject) + "; DELETE FROM gallery_subjects WHERE id = " + std::to_string(subject));
            auto verify = reports::AuditTrail(*world.programAdministrator).verify();
            REQUIRE(verify.ok());
            REQUIRE(verify->galleryProblems.size() == 1);
            CHECK_THAT(verify->galleryProblems.front(), Catch::Contains("Deleted later") && Catch::Contains("gone"));
        }
    }
    SECTION("an examination of a candidate whose gallery face was edited is not recorded (trial 17A N7)") {
        tamper("UPDATE gallery_subjects SET name = 'Somebody Else'");
        REQUIRE(candidates.size() > 1);
        const auto examined = world.service(*world.investigator)
                                  .recordExamination(candidates[1], test::examinationConcluding(workflow::Conclusion::Support));
        REQUIRE_FALSE(examined.ok());
        CHECK(examined.error().code == ErrorCode::AuditChainBroken);
        CHECK(world.lastAuditAction() == "access.refused");
    }
    SECTION("an insider makes himself the requester of its search") {
        rewrite("UPDATE search_requests SET requested_by = ?1 WHERE case_id = ?2",
                world.untrainedInvestigator->userId());
        const auto read = world.service(*world.untrainedInvestigator).caseHistory(world.caseId);
        REQUIRE_FALSE(read.ok());
        CHECK(read.error().code == ErrorCode::AuditChainBroken);
        CHECK_THAT(read.error().message, Catch::Contains("Search request") && Catch::Contains("edited outside FaceLead"));
    }
}

TEST_CASE("VI.B.6: a search on an edited gallery is not run, so no false name reaches the investigator (trial 17A "
          "N7)", "[insider]") {
    CaseWorld world;
    auto cases = world.service(*world.investigator);
    const auto image = cases.storeOriginal(world.caseId, world.png, "CCTV export, camera 3");
    REQUIRE(image.ok());
    const auto request = cases.submitRequest(world.validRequest());
    REQUIRE(request.ok());
    REQUIRE(world.admin->store()
                .transact([](store::Transaction& tx) { return tx.exec("UPDATE gallery_subjects SET name = 'Somebody Else'"); })
                .ok());
    const auto search = cases.runSearch(request->id, image->id, world.probe(), world.backend());
    REQUIRE_FALSE(search.ok());
    CHECK(search.error().code == ErrorCode::AuditChainBroken);
    CHECK_THAT(search.error().message, Catch::Contains("Gallery face") && Catch::Contains("not run"));
    CHECK(world.lastAuditAction() == "access.refused");
    auto searches = world.admin->store().prepare("SELECT count(*) FROM searches");
    REQUIRE(searches.ok());
    REQUIRE(*searches->step());
    CHECK(searches->getInt(0) == 0);
}

TEST_CASE("VI.B.6: a case file is read by those who work the case and those who oversee, nobody else (trial 12)",
          "[need_to_know]") {
    CaseWorld world;
    const auto candidates = world.searchCandidates();  // the investigator now works the case
    REQUIRE_FALSE(candidates.empty());
    world.examineAndMark(*world.investigator, candidates.front());
    for (auto* reader : {world.investigator.get(), world.officer.get(), world.supervisor.get(),
                         world.intelSupervisor.get(), world.programAdministrator.get()}) {
        INFO(reader->user().username);
        CHECK(world.service(*reader).caseHistory(world.caseId).ok());
        CHECK(world.service(*reader).getCase(world.caseId).ok());
        CHECK(world.service(*reader).getLead(candidates.front()).ok());
        const auto listed = world.service(*reader).listCases({});
        REQUIRE(listed.ok());
        CHECK(std::any_of(listed->begin(), listed->end(), [&](const auto& c) { return c.id == world.caseId; }));
    }
    // An investigator (here untrained) and a case officer who do not work the case read nothing of it.
    for (auto* outsider : {world.untrainedInvestigator.get(), world.otherOfficer.get()}) {
        INFO(outsider->user().username);
        const auto before = world.auditCount();
        const auto history = world.service(*outsider).caseHistory(world.caseId);
        REQUIRE_FALSE(history.ok());
        CHECK(history.error().code == ErrorCode::PermissionDenied);
        CHECK_THAT(history.error().message, Catch::Contains(world.caseNumber) && Catch::Contains("VI.B.6"));
        CHECK(world.auditCount() == before + 1);  // the attempt is on record
        CHECK(world.lastAuditAction() == "access.refused");
        CHECK(world.service(*outsider).getCase(world.caseId).error().code == ErrorCode::PermissionDenied);
        // Nor its lead's notes, follow-ups and reviews, reached by the candidate's id (trial 12A: `lead show`).
        CHECK(world.service(*outsider).getLead(candidates.front()).error().code == ErrorCode::PermissionDenied);
        const auto listed = world.service(*outsider).listCases({});
        REQUIRE(listed.ok());
        CHECK(std::none_of(listed->begin(), listed->end(), [&](const auto& c) { return c.id == world.caseId; }));
    }
}

TEST_CASE("no search runs while a sign-in's finding that the audit log does not match its anchor is unanswered "
          "(trial 25A R1-R3)", "[cases][search][anchor]") {
    CaseWorld world;
    // What a sign-in records when entries were cut from the log (accounts::Session; AuditLog::checkAnchoredHeads).
    require(world.admin->store().transact([&](store::Transaction& tx) -> Result<void> {
        auto appended = audit::AuditLog::append(
            tx, {std::nullopt, "audit.anchor_mismatch", "audit_log", "",
                 nlohmann::json{{"problem", "Audit entries are missing or were changed just before entry 7."}}.dump()});
        if (!appended) return appended.error();
        return {};
    }));
    auto investigator = world.service(*world.investigator);
    const auto image = require(investigator.storeOriginal(world.caseId, world.png, "CCTV export, camera 3"));
    auto refused = investigator.submitRequest(world.validRequest());  // the search gate, before anything is stored
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::AuditChainBroken);
    CHECK(refused.error().message.find("just before entry 7") != std::string::npos);
    CHECK(refused.error().message.find("acknowledge-anchors") != std::string::npos);
    // The program administrator looks and answers for it; searches run again.
    require(reports::AuditTrail(*world.programAdministrator).acknowledgeAnchors("Checked with IT: test entry."));
    const auto request = require(investigator.submitRequest(world.validRequest()));
    CHECK(investigator.runSearch(request.id, image.id, world.probe(), world.backend()).ok());
}

TEST_CASE("Issue 8 (trial 26 F1): a session signed in before an insider cut the log searches nothing over it",
          "[insider][anchor]") {
    CaseWorld world;
    world.searchCandidates();  // its entries are anchored outside the store
    auto investigator = world.service(*world.investigator);
    REQUIRE(investigator.searchGate());
    // The insider, with the database key every session holds: the append-only trigger dropped, the tail cut.
    REQUIRE(world.admin->store().exec("DROP TRIGGER audit_log_append_only_delete").ok());
    REQUIRE(world.admin->store().exec("DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)").ok());

    auto gate = investigator.searchGate();  // the investigator's window stayed open: no sign-in since
    REQUIRE_FALSE(gate);
    CHECK(gate.error().code == ErrorCode::AuditChainBroken);
    CHECK(gate.error().message.find("anchor") != std::string::npos);
    CHECK(world.lastAuditAction() == "audit.anchor_mismatch");
    auto recorded = require(world.admin->store().prepare(
        "SELECT count(*) FROM audit_log WHERE action = 'audit.anchor_mismatch'"));
    REQUIRE(require(recorded.step()));
    CHECK(recorded.getInt(0) == 1);  // on record, for the program administrator to answer
}

TEST_CASE("Issue 8 (trial 26 F2, trial 28): a case whose creation entry is gone is not simply called edited: the entry "
          "may have been broken by a re-hash", "[insider][wording]") {
    CaseWorld world;
    REQUIRE(world.admin->store().exec("DROP TRIGGER audit_log_append_only_delete").ok());
    REQUIRE(world.admin->store().exec("DELETE FROM audit_log WHERE action = 'case.created'").ok());
    auto read = world.service(*world.supervisor).caseHistory(world.caseId);
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().code == ErrorCode::AuditChainBroken);
    CHECK_THAT(read.error().message, Catch::Contains("No intact entry of the signed audit log created case " +
                                                     world.caseNumber) &&
                                         Catch::Contains("broken when the chain was re-hashed"));
}

namespace {

// What an insider with the database key does after deleting entry `seq`: every later entry linked again and
// re-hashed (not re-signed: only his own he could sign), the append-only triggers dropped.
void deleteAndRehash(store::Store& store, std::int64_t seq) {
    REQUIRE(store.exec("DROP TRIGGER IF EXISTS audit_log_append_only_delete").ok());
    REQUIRE(store.exec("DROP TRIGGER IF EXISTS audit_log_append_only_update").ok());
    REQUIRE(store.exec("DELETE FROM audit_log WHERE seq = " + std::to_string(seq)).ok());
    std::string previous = require(audit::AuditLog::list(store, {.afterSeq = seq - 2, .limit = 1})).front().hash;
    for (audit::AuditEntry entry : require(audit::AuditLog::list(store, {.afterSeq = seq}))) {
        entry.prevHash = previous;
        entry.hash = audit::AuditLog::computeHash(entry);
        auto update = require(store.prepare("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?"));
        REQUIRE(update.bind(1, entry.prevHash).bind(2, entry.hash).bind(3, entry.seq).run().ok());
        previous = entry.hash;
    }
}

}  // namespace

TEST_CASE("Issue 8 (trial 30 N5): the program administrator's acknowledgement after a re-hash vouches for no broken "
          "entry: a case.created rewritten to make the insider its officer stays refused", "[insider][anchor]") {
    CaseWorld world;
    // The investigator stores an image, a colleague opens a case; the investigator deletes his image's entry,
    // rewrites the colleague's case.created (and the row) to name himself case officer, and re-hashes the chain.
    auto investigator = world.service(*world.investigator);
    require(investigator.storeOriginal(world.caseId, world.png, "CCTV export, camera 3"));
    const auto ownEntry = require(audit::AuditLog::list(world.admin->store(), {.action = "image.stored"})).back().seq;
    auto colleague = world.service(*world.supervisingOfficer);
    const auto taken = require(colleague.createCase({"NP-2026-0301", "Burglary", world.supervisingOfficer->userId()}));
    const auto me = std::to_string(world.investigator->userId());
    REQUIRE(world.admin->store().exec("DROP TRIGGER audit_log_append_only_update").ok());
    REQUIRE(world.admin->store()
                .exec("UPDATE audit_log SET details = replace(details, '\"assigned_officer_id\":" +
                      std::to_string(world.supervisingOfficer->userId()) + "', '\"assigned_officer_id\":" + me +
                      "') WHERE action = 'case.created' AND object_id = '" + std::to_string(taken.id) + "'")
                .ok());
    REQUIRE(world.admin->store().exec("UPDATE cases SET assigned_officer_id = " + me +
                                      " WHERE id = " + std::to_string(taken.id)).ok());
    deleteAndRehash(world.admin->store(), ownEntry);

    // Every search stops until a program administrator answers for the anchors; she does.
    REQUIRE(reports::AuditTrail(*world.programAdministrator).acknowledgeAnchors("Looked at verify, ticket 31.").ok());
    // Trial 30 N5: a re-affirmation of every broken entry handed the insider his colleague's case.
    auto read = investigator.caseHistory(taken.id);
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().code == ErrorCode::AuditChainBroken);
    CHECK_FALSE(require(audit::AuditLog::verify(world.admin->store())).intact());
}
