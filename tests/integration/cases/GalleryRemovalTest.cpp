// Issue 9, item 9: a wrongly enrolled gallery subject is removed with a reason, by someone who may manage the
// gallery, audited in the same transaction. From then on it is no candidate (search, listings, a freshly loaded
// index, the duplicates check, enrolment's subject look-up), while a past search's candidate list still opens
// and still names it as it was shown.

#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/audit/AuditLog.h"
#include "core/common/Text.h"
#include "core/gallery/Duplicates.h"
#include "core/gallery/GalleryService.h"
#include "core/reports/AuditTrail.h"
#include "core/reports/Disclosure.h"
#include "tests/integration/cases/CaseWorld.h"

using namespace facelead;
using facelead::test::CaseWorld;

namespace {

constexpr const char* kReason = "Enrolled under the wrong name: booking 4411 is another person.";

// A search by the investigator over `index` (the world's probe is nearest to "Subject 2"), as run.
Result<cases::SearchRecord> trySearch(CaseWorld& world, const gallery::GalleryIndex& index) {
    auto service = world.service(*world.investigator);
    auto image = service.storeOriginal(world.caseId, world.png, "CCTV export, camera 3");
    REQUIRE(image);
    auto request = service.submitRequest(world.validRequest());
    REQUIRE(request);
    return service.runSearch(request->id, image->id, world.probe(),
                             {index, [](double distance) { return 1.0 / (1.0 + distance); }});
}

// The same search, which must run.
cases::SearchRecord searchOver(CaseWorld& world, const gallery::GalleryIndex& index) {
    auto search = trySearch(world, index);
    REQUIRE(search);
    // Read back by a supervisor, who sees the ranks (the investigator's own read is blind: issue 11 item 1).
    auto ranked = world.service(*world.supervisor).getSearch(search->id);
    REQUIRE(ranked);
    return *ranked;
}

bool names(const cases::SearchRecord& search, std::int64_t subjectId) {
    return std::any_of(search.candidates.begin(), search.candidates.end(),
                       [&](const auto& candidate) { return candidate.subjectId == subjectId; });
}

std::int64_t subjectNamed(CaseWorld& world, const std::string& name) {
    gallery::Gallery gallery;
    auto subjects = gallery.listSubjects(world.admin->store());
    REQUIRE(subjects);
    for (const auto& subject : *subjects)
        if (subject.fields.name == name) return subject.id;
    FAIL("no gallery subject named " << name);
    return 0;
}

std::vector<audit::AuditEntry> auditEntries(CaseWorld& world, const std::string& action) {
    auto entries = audit::AuditLog::list(world.admin->store(), {.action = action});
    REQUIRE(entries);
    return *entries;
}

}  // namespace

TEST_CASE("a removed gallery subject is no candidate again; past searches still open", "[gallery][remove]") {
    CaseWorld world;
    gallery::Gallery gallery;
    REQUIRE(gallery.load(world.programAdministrator->store()));
    REQUIRE(gallery.index().size() == 3);
    const std::int64_t wrong = subjectNamed(world, "Subject 2");
    const auto before = searchOver(world, gallery.index());
    REQUIRE(before.candidates.front().subjectId == wrong);  // the probe's own subject, at rank 1

    gallery::GalleryService service(*world.programAdministrator, gallery);
    const auto removed = service.removeSubject(wrong, "  " + std::string(kReason) + "\n");
    REQUIRE(removed);
    CHECK(removed->name == "Subject 2");
    CHECK(removed->faceCount == 1);
    CHECK(removed->reason == kReason);  // trimmed

    // At once: the in-memory index no longer offers it, so the same probe no longer finds it.
    CHECK(gallery.index().size() == 2);
    const auto after = searchOver(world, gallery.index());
    CHECK_FALSE(names(after, wrong));
    CHECK(after.candidates.size() == 2);

    // Nor does an index loaded afresh, nor the listings.
    gallery::Gallery fresh;
    REQUIRE(fresh.load(world.admin->store()));
    CHECK(fresh.index().size() == 2);
    auto subjects = service.listSubjects();
    REQUIRE(subjects);
    CHECK(subjects->size() == 2);
    CHECK(std::none_of(subjects->begin(), subjects->end(), [&](const auto& s) { return s.id == wrong; }));
    auto faces = service.listFaces();
    REQUIRE(faces);
    CHECK(faces->size() == 2);
    auto facesOfRemoved = service.listFaces(wrong);
    REQUIRE(facesOfRemoved);
    CHECK(facesOfRemoved->empty());

    // The search run before the removal still opens, naming the subject as it was shown then.
    auto reopened = world.service(*world.supervisor).getSearch(before.id);
    REQUIRE(reopened);
    REQUIRE(reopened->candidates.size() == before.candidates.size());
    CHECK(reopened->candidates.front().subjectId == wrong);
    CHECK(reopened->candidates.front().subjectName == "Subject 2");

    // Who, what, how many faces and why: one audit event, and the signed chain still verifies.
    const auto events = auditEntries(world, "gallery.subject_removed");
    REQUIRE(events.size() == 1);
    CHECK(events.front().userId == world.programAdministrator->userId());
    CHECK(events.front().objectType == "gallery_subject");
    CHECK(events.front().objectId == std::to_string(wrong));
    const auto details = nlohmann::json::parse(events.front().detailsJson);
    CHECK(details.at("name") == "Subject 2");
    CHECK(details.at("faces") == 1);
    CHECK(details.at("reason") == kReason);
    auto verified = audit::AuditLog::verify(world.admin->store());
    REQUIRE(verified);
    CHECK(verified->intact());

    // The row is kept, marked with who, when and why.
    auto row = world.admin->store().prepare(
        "SELECT removed_by, removed_reason, removed_at FROM gallery_subjects WHERE id = ?");
    REQUIRE(row);
    row->bind(1, wrong);
    REQUIRE(row->step().value());
    CHECK(row->getInt(0) == world.programAdministrator->userId());
    CHECK(row->getText(1) == kReason);
    CHECK(row->getText(2) == events.front().at);

    // What a past candidate list shows in place of the photo: when, by whom, why (issue 9).
    auto removals = gallery.removals(world.admin->store());
    REQUIRE(removals);
    REQUIRE(removals->size() == 1);
    const auto& removal = removals->at(wrong);
    CHECK(removal.removedAt == events.front().at);
    CHECK(removal.removedBy == world.programAdministrator->user().displayName);
    CHECK(removal.reason == kReason);

    // Removing it again, or a subject that does not exist, is a clear error that changes nothing.
    const auto auditBefore = world.auditCount();
    const auto again = service.removeSubject(wrong, kReason);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == ErrorCode::InvalidTransition);
    CHECK(again.error().message.find("already removed") != std::string::npos);
    const auto unknown = service.removeSubject(9999, kReason);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == ErrorCode::NotFound);
    CHECK(world.auditCount() == auditBefore);
}

TEST_CASE("a removal needs a reason that is real text", "[gallery][remove]") {
    CaseWorld world;
    gallery::Gallery gallery;
    REQUIRE(gallery.load(world.programAdministrator->store()));
    gallery::GalleryService service(*world.programAdministrator, gallery);
    const std::int64_t subject = subjectNamed(world, "Subject 1");
    const auto auditBefore = world.auditCount();
    for (const std::string& reason : {std::string(), std::string(" \t\n "), std::string("bad\x1b[31m"),
                                     std::string("\xff\xfe"), std::string(text::kMaxFreeTextChars + 1, 'x')}) {
        INFO("reason: " << text::escapedText(reason.substr(0, 20)));
        const auto refused = service.removeSubject(subject, reason);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::InvalidArgument);
    }
    CHECK(world.auditCount() == auditBefore);
    CHECK(gallery.index().size() == 3);
    auto subjects = gallery.listSubjects(world.admin->store());
    REQUIRE(subjects);
    CHECK(subjects->size() == 3);
}

TEST_CASE("only a role that may manage the gallery removes a subject; refusals are audited", "[gallery][remove]") {
    CaseWorld world;
    const std::int64_t subject = subjectNamed(world, "Subject 3");
    for (accounts::Session* session : {world.investigator.get(), world.supervisor.get(), world.officer.get()}) {
        gallery::Gallery gallery;
        REQUIRE(gallery.load(session->store()));
        const auto refused = gallery::GalleryService(*session, gallery).removeSubject(subject, kReason);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::PermissionDenied);
        CHECK(gallery.index().size() == 3);
        const auto refusals = audit::AuditLog::list(world.admin->store(),
                                                    {.userId = session->userId(), .action = "access.refused"});
        REQUIRE(refusals);
        REQUIRE(refusals->size() == 1);
        CHECK(nlohmann::json::parse(refusals->front().detailsJson).at("action") == "gallery.remove_subject");
    }
    CHECK(auditEntries(world, "gallery.subject_removed").empty());
    // The core's own check too, for callers holding a Gallery and an actor (the workstation's enrolment path).
    gallery::Gallery gallery;
    const auto refused = gallery.removeSubject(world.admin->store(),
                                               {world.investigator->userId(), {workflow::Role::Investigator}},
                                               subject, kReason);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::PermissionDenied);
}

TEST_CASE("the removal and its audit event are one transaction", "[gallery][remove]") {
    CaseWorld world;
    gallery::Gallery gallery;
    auto& store = world.programAdministrator->store();
    REQUIRE(gallery.load(store));
    const std::int64_t subject = subjectNamed(world, "Subject 1");
    // An audit log that cannot be written (on this connection only) must take the removal down with it.
    REQUIRE(store.exec("CREATE TEMP TRIGGER audit_refused BEFORE INSERT ON audit_log "
                       "BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END;"));
    const auto failed = gallery.removeSubject(store, {world.programAdministrator->userId(),
                                                      {workflow::Role::ProgramAdministrator}},
                                              subject, kReason);
    REQUIRE_FALSE(failed);
    REQUIRE(store.exec("DROP TRIGGER temp.audit_refused"));
    CHECK(gallery.index().size() == 3);
    auto subjects = gallery.listSubjects(store);
    REQUIRE(subjects);
    CHECK(subjects->size() == 3);
}

TEST_CASE("after a removal the same record id and the same photo may be enrolled under the right identity",
          "[gallery][remove]") {
    CaseWorld world(false);
    gallery::Gallery gallery;
    auto& session = *world.programAdministrator;
    const gallery::Actor actor{session.userId(), session.user().roles};
    const std::vector<std::uint8_t> photo{1, 2, 3, 4, 5};
    const auto enrol = [&](const std::string& name, const std::string& recordId) {
        gallery::NewFace face{photo, {}, {}, {}, "booking/4411.jpg"};
        face.descriptor.fill(0.25f);
        const gallery::SubjectFields subject{name, std::nullopt, "booking records", recordId};
        auto added = gallery.addFaces(session.store(), actor, {gallery::NewSubjectFaces{subject, {face}}});
        REQUIRE(added);
        return added->front();
    };
    const auto wrong = enrol("John Smyth", "4411");
    // The same photo under another identity is an identity conflict for the duplicates check (SOP VI.A.5).
    const auto other = enrol("Jon Smith", "4412");
    auto duplicates = gallery::findDuplicates(session);
    REQUIRE(duplicates);
    CHECK(duplicates->sameImages.size() == 1);
    CHECK(duplicates->similarFaces.size() == 1);

    REQUIRE(gallery::GalleryService(session, gallery).removeSubject(wrong.subjectId, kReason));
    duplicates = gallery::findDuplicates(session);
    REQUIRE(duplicates);
    CHECK(duplicates->sameImages.empty());
    CHECK(duplicates->similarFaces.empty());
    CHECK(duplicates->facesCompared == 1);

    // Record 4411 under the right name makes a new subject instead of reviving (or conflicting with) the removed one.
    const auto right = enrol("John Smith", "4411");
    CHECK(right.subjectCreated);
    CHECK(right.subjectId != wrong.subjectId);
    CHECK(right.subjectId != other.subjectId);
    CHECK(gallery.index().size() == 2);
}

// Trial 22A F5: an insider holding the database key took a subject out of every search with one UPDATE of
// gallery_subjects in the program administrator's name (the lists and the disclosure packet's "gallery as it
// stood" followed it, audit verify said intact), or put a removed subject back among the candidates by NULLing
// it. A subject's removal counts only as a program administrator's signed gallery.subject_removed has it.
TEST_CASE("insider: a gallery subject's removal edited in the table refuses searches, listings and the packet; "
          "verify names it", "[gallery][remove][insider]") {
    CaseWorld world;
    gallery::Gallery gallery;
    REQUIRE(gallery.load(world.programAdministrator->store()));
    const std::int64_t subject = subjectNamed(world, "Subject 2");
    gallery::GalleryService service(*world.programAdministrator, gallery);
    const auto refusedEverywhere = [&](const std::string& problem) {
        auto search = trySearch(world, gallery.index());
        REQUIRE_FALSE(search);
        CHECK(search.error().code == ErrorCode::AuditChainBroken);
        CHECK_THAT(search.error().message, Catch::Contains(problem) && Catch::Contains("The search was not run."));
        CHECK(world.lastAuditAction() == "access.refused");
        auto listed = service.listSubjects();
        REQUIRE_FALSE(listed);
        CHECK_THAT(listed.error().message, Catch::Contains(problem) && Catch::Contains("The gallery is not listed."));
        CHECK(world.lastAuditAction() == "access.refused");
        CHECK_FALSE(service.listFaces());
        auto cases = world.service(*world.supervisor);
        auto packet = reports::generateDisclosure(*world.supervisor, cases, world.caseId);
        REQUIRE_FALSE(packet);
        CHECK_THAT(packet.error().message, Catch::Contains(problem));
        CHECK(world.lastAuditAction() == "access.refused");
        auto verified = reports::AuditTrail(*world.programAdministrator).verify();
        REQUIRE(verified);
        CHECK_FALSE(verified->intact());
        CHECK_THAT(verified->describe(), Catch::Contains(problem));
    };

    SECTION("a removal written into the table, in the program administrator's name") {
        REQUIRE(world.admin->store().exec(
            "UPDATE gallery_subjects SET removed_at = '2026-01-05T10:00:00Z', removed_by = " +
            std::to_string(world.programAdministrator->userId()) + ", removed_reason = 'Duplicate record.' WHERE id = " +
            std::to_string(subject)));
        refusedEverywhere("Gallery subject " + std::to_string(subject) + " (\"Subject 2\") is marked removed in the "
                          "store, but the signed audit log records no removal by a program administrator: it was "
                          "edited outside FaceLead.");
    }
    SECTION("a signed removal undone in the table, or its reason rewritten") {
        REQUIRE(service.removeSubject(subject, kReason));
        auto verified = reports::AuditTrail(*world.programAdministrator).verify();
        REQUIRE(verified);
        CHECK(verified->intact());
        REQUIRE(searchOver(world, gallery.index()).candidates.size() == 2);
        const auto seq = std::to_string(auditEntries(world, "gallery.subject_removed").front().seq);
        SECTION("undone") {
            REQUIRE(world.admin->store().exec("UPDATE gallery_subjects SET removed_at = NULL, removed_by = NULL, "
                                              "removed_reason = NULL WHERE id = " + std::to_string(subject)));
            refusedEverywhere("Gallery subject " + std::to_string(subject) + " (\"Subject 2\") was removed by a "
                              "program administrator (audit entry " + seq + "), but the store offers it to searches "
                              "again: it was edited outside FaceLead.");
        }
        SECTION("reason rewritten") {
            REQUIRE(world.admin->store().exec("UPDATE gallery_subjects SET removed_reason = 'Deceased.' WHERE id = " +
                                              std::to_string(subject)));
            refusedEverywhere("Gallery subject " + std::to_string(subject) + " (\"Subject 2\")'s removal was edited "
                              "outside FaceLead: who removed it, when or why no longer matches the signed entry (audit "
                              "entry " + seq + ").");
        }
    }
}
