#include "tests/integration/cases/CaseWorld.h"

#include "core/cases/VerificationQueue.h"

#include <catch2/catch.hpp>

#include <cstring>

#include <opencv2/core.hpp>

#include "core/accounts/AccountService.h"
#include "core/imaging/Intake.h"
#include "tests/support/OwnKey.h"

namespace facelead::test {

// Every piece of text of a report document, one per line, to search what it says.
std::string documentText(const reports::ReportDocument& document) {
    std::string text;
    for (const auto& section : document.sections) {
        for (const auto& block : section.blocks) {
            if (const auto* fields = std::get_if<reports::Fields>(&block)) {
                for (const auto& [label, value] : fields->items) text += label + ": " + value + "\n";
            } else if (const auto* table = std::get_if<reports::Table>(&block)) {
                for (const auto& row : table->rows)
                    for (const auto& cell : row) text += cell + "\n";
            } else if (const auto* paragraph = std::get_if<reports::Paragraph>(&block)) {
                text += paragraph->text + "\n";
            }
        }
    }
    return text;
}
namespace {

accounts::SecurityPolicy fastPolicy() {
    accounts::SecurityPolicy policy;
    policy.kdf = store::KdfParams::minimum();
    policy.integrityCheckOnOpen = false;
    return policy;
}

face::Descriptor descriptorNear(float base, float offset) {
    face::Descriptor d{};
    for (std::size_t i = 0; i < d.size(); ++i) d[i] = base + offset * static_cast<float>(i % 7) / 100.0f;
    return d;
}

}  // namespace

CaseWorld::CaseWorld(bool withSyntheticGallery) {
    auto created = require(accounts::createStore(storePath(), "admin", "Ada Admin", kPassword, clock, fastPolicy()));
    admin = std::make_unique<accounts::Session>(std::move(created.session));
    accounts::AccountService accounts(*admin);
    // Two persons give access: the founding administrator approves the first supervisor while alone;
    // that supervisor approves everyone else the administrator creates.
    std::unique_ptr<accounts::Session> approver;
    auto addUser = [&](const std::string& name, workflow::RoleSet roles, bool trained) {
        auto user = require(accounts.addUser({name, name + " Display", roles}, kInitialPassword));
        require(accounts::AccountService(approver ? *approver : *admin).approve(user.id));
        if (trained) require(accounts.recordTraining(user.id, clock->now()));
        auto session = require(accounts::signIn(storePath(), name, kInitialPassword, clock, fastPolicy()));
        require(accounts::AccountService(session).changePassword(kInitialPassword, kPassword));
        require(test::approveOwnKey(approver ? *approver : *admin, session));
        return std::make_unique<accounts::Session>(std::move(session));
    };
    using workflow::Role;
    supervisor = addUser("sue", {Role::Supervisor}, true);
    approver = std::make_unique<accounts::Session>(
        require(accounts::signIn(storePath(), "sue", kPassword, clock, fastPolicy())));
    investigator = addUser("ivan", {Role::Investigator}, true);
    untrainedInvestigator = addUser("uma", {Role::Investigator}, false);
    officer = addUser("olga", {Role::CaseOfficer}, true);
    otherOfficer = addUser("otto", {Role::CaseOfficer}, true);
    supervisingOfficer = addUser("sam", {Role::Supervisor, Role::CaseOfficer}, true);
    intelSupervisor = addUser("iris", {Role::IntelSupervisor}, true);
    programAdministrator = addUser("pam", {Role::ProgramAdministrator}, true);
    trainer = addUser("tess", {Role::Trainer}, true);

    caseId = require(service(*investigator).createCase({caseNumber, "Armed robbery", officer->userId()})).id;

    cv::Mat pixels(48, 64, CV_8UC3);
    cv::randu(pixels, 0, 255);
    png = require(imaging::encodePng(pixels));

    // Three gallery subjects, written directly: the gallery service is not what these tests are about.
    if (withSyntheticGallery) {
        for (int subject = 1; subject <= 3; ++subject)
            addGalleryFace("Subject " + std::to_string(subject), descriptorNear(0.1f * static_cast<float>(subject), 0.5f));
    }
}

std::int64_t CaseWorld::addGalleryFace(const std::string& subjectName, const face::Descriptor& descriptor) {
    return enrolFace(subjectName, descriptor).subjectId;
}

std::int64_t CaseWorld::addSubjectPhoto(std::int64_t subjectId, const face::Descriptor& descriptor,
                                       std::vector<std::uint8_t> image) {
    auto name = admin->store().prepare("SELECT name FROM gallery_subjects WHERE id = ?");
    REQUIRE(name);
    name->bind(1, subjectId);
    REQUIRE(require(name->step()));
    const gallery::AddedFaces added = enrolFace(name->getText(0), descriptor, std::move(image));
    REQUIRE(added.subjectId == subjectId);
    return added.faceIds.front();
}

// Through the gallery's own write, so each face has the signed enrolment entry the case file holds it to
// (gallery/EnrolledFaces.h); the face engine is not what these tests are about.
gallery::AddedFaces CaseWorld::enrolFace(const std::string& subjectName, const face::Descriptor& descriptor,
                                         std::vector<std::uint8_t> image) {
    const gallery::Actor administrator{admin->userId(), {workflow::Role::ProgramAdministrator}};
    if (image.empty()) image = png;  // a picture a verifier can be given (cases::VerificationQueue::open)
    gallery::NewFace face{std::move(image), descriptor, {}, {}, "synthetic/" + subjectName + ".png"};
    const auto added =
        require(gallery::Gallery().addFaces(admin->store(), administrator, {{{subjectName, {}, "", {}}, {face}}}));
    gallery.add(added.front().faceIds.front(), added.front().subjectId, descriptor);
    return added.front();
}

Result<cases::ExaminationRecord> CaseWorld::verifyBlind(accounts::Session& session, std::int64_t candidateId,
                                                        const workflow::Examination& examination) {
    FACELEAD_TRY(cases::VerificationQueue(session, workflow::PolicySettings{}).open(candidateId));
    return service(session).recordVerification(candidateId, examination);
}

cases::CaseService CaseWorld::service(accounts::Session& session) const {
    return cases::CaseService(session, workflow::PolicySettings{});
}

workflow::SearchRequest CaseWorld::validRequest() const {
    workflow::SearchRequest request;
    request.caseNumber = caseNumber;
    request.offence = "Armed robbery";
    request.purpose = workflow::Purpose::SuspectedOffence;
    request.justification = "The person in the CCTV still robbed the store at 12 Main St on 2026-11-20.";
    for (const auto& use : workflow::prohibitedUses()) request.attestedNotFor.insert(use.use);
    workflow::ConsentRecord consent;
    consent.kind = workflow::ConsentKind::NotAgencyCapture;
    request.consent = consent;
    request.imageSource = "CCTV export, 12 Main St, camera 3";
    return request;
}

cases::ProbeFace CaseWorld::probe(face::QualityVerdict verdict) const {
    cases::ProbeFace face;
    face.box = {10, 8, 40, 38};
    face.descriptor = descriptorNear(0.2f, 0.5f);  // nearest to subject 2
    face.quality.verdict = verdict;
    if (verdict == face::QualityVerdict::Poor) face.quality.reasons = {"the face is only 30 pixels wide"};
    return face;
}

cases::SearchBackend CaseWorld::backend() const {
    return cases::SearchBackend{gallery, [](double distance) { return 1.0 / (1.0 + distance); }};
}

std::vector<std::int64_t> CaseWorld::searchCandidates() { return searchCandidatesIn(caseId, caseNumber); }

std::vector<std::int64_t> CaseWorld::searchCandidatesIn(std::int64_t inCase, const std::string& number) {
    auto cases = service(*investigator);
    const auto image = require(cases.storeOriginal(inCase, png, "CCTV export, camera 3"));
    auto ask = validRequest();
    ask.caseNumber = number;
    const auto request = require(cases.submitRequest(ask));
    const auto search = require(cases.runSearch(request.id, image.id, probe(), backend()));
    // By rank, straight from the store: the investigator's own read is blind (issue 11 item 1).
    auto statement = require(admin->store().prepare("SELECT id FROM candidates WHERE search_id = ? ORDER BY rank"));
    statement.bind(1, search.id);
    std::vector<std::int64_t> ids;
    while (require(statement.step())) ids.push_back(statement.getInt(0));
    return ids;
}

cases::CandidateRecord CaseWorld::examineAndMark(accounts::Session& session, std::int64_t candidateId) {
    auto cases = service(session);
    require(cases.recordExamination(candidateId, supportingExamination()));
    return require(cases.markPossibleLead(candidateId, "Same scar above the left eyebrow."));
}

workflow::Review CaseWorld::ofLatest(std::int64_t candidateId, workflow::Review review) {
    auto statement = require(admin->store().prepare(
        "SELECT coalesce(max(f.id), 0) FROM follow_ups f JOIN leads l ON l.id = f.lead_id WHERE l.candidate_id = ?"));
    statement.bind(1, candidateId);
    REQUIRE(require(statement.step()));
    review.followUpId = statement.getInt(0);
    return review;
}

std::int64_t CaseWorld::auditCount() { return rowCount("audit_log"); }

std::string CaseWorld::lastAuditAction() {
    auto statement = require(admin->store().prepare("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1"));
    REQUIRE(require(statement.step()));
    return statement.getText(0);
}

std::int64_t CaseWorld::rowCount(const std::string& table) {
    auto statement = require(admin->store().prepare("SELECT count(*) FROM " + table));
    REQUIRE(require(statement.step()));
    return statement.getInt(0);
}

}  // namespace facelead::test
