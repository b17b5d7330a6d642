#include <catch2/catch.hpp>

#include "tests/integration/cases/CaseWorld.h"

using namespace facelead;
using facelead::test::CaseWorld;
using facelead::test::require;

namespace {

const workflow::FollowUp kCorroborated = test::corroboratedFollowUp();
const workflow::Review kClear{true, true, "Follow-up checked against the case file."};

}  // namespace

TEST_CASE("VI.B.3 / VI.C.1: candidate to possible lead to follow-up to review to cleared for action") {
    CaseWorld world;
    const auto candidates = world.searchCandidates();
    REQUIRE(!candidates.empty());
    const auto candidate = candidates.front();
    auto investigator = world.service(*world.investigator);
    auto officer = world.service(*world.officer);
    auto supervisor = world.service(*world.supervisor);

    REQUIRE(investigator.recordExamination(candidate, test::supportingExamination()).ok());
    auto before = world.auditCount();
    REQUIRE(investigator.viewCandidate(candidate).ok());
    CHECK(world.lastAuditAction() == "candidate.viewed");
    auto marked = investigator.markPossibleLead(candidate, "Same scar above the left eyebrow.");
    REQUIRE(marked.ok());
    CHECK(marked->status == workflow::LeadStatus::PossibleLead);
    CHECK(world.auditCount() == before + 2);

    auto awaiting = officer.leadsAwaitingMyFollowUp();
    REQUIRE(awaiting.ok());
    REQUIRE(awaiting->size() == 1);
    CHECK(awaiting->front().candidateId == candidate);

    auto followedUp = officer.recordFollowUp(candidate, kCorroborated);
    REQUIRE(followedUp.ok());
    CHECK(followedUp->status == workflow::LeadStatus::FollowUpRecorded);

    auto toReview = supervisor.reviewsAwaitingMe();
    REQUIRE(toReview.ok());
    REQUIRE(toReview->size() == 1);
    CHECK(toReview->front().followUpBy->id == world.officer->userId());

    before = world.auditCount();
    auto cleared = supervisor.review(candidate, world.ofLatest(candidate, kClear));
    REQUIRE(cleared.ok());
    CHECK(cleared->status == workflow::LeadStatus::ClearedForAction);
    CHECK(world.auditCount() == before + 1);
    CHECK(world.lastAuditAction() == "lead.reviewed");

    auto history = supervisor.caseHistory(world.caseId);
    REQUIRE(history.ok());
    CHECK(history->caseRecord.caseNumber == world.caseNumber);
    CHECK(history->requests.size() == 1);
    CHECK(history->images.size() == 1);
    REQUIRE(history->searches.size() == 1);
    CHECK(history->searches[0].candidates.size() == 3);
    REQUIRE(history->leads.size() == 1);
    const auto& lead = history->leads[0];
    CHECK(lead.status == workflow::LeadStatus::ClearedForAction);
    CHECK(lead.markedBy.id == world.investigator->userId());
    REQUIRE(lead.followUps.size() == 1);
    CHECK(lead.followUps[0].recordedBy.id == world.officer->userId());
    CHECK(lead.followUps[0].followUp.corroboratingEvidence == kCorroborated.corroboratingEvidence);
    REQUIRE(lead.followUps[0].followUp.evidence.size() == 1);  // issue 11 item 3, read back
    CHECK(lead.followUps[0].followUp.evidence[0].type == "location_data");
    CHECK(lead.followUps[0].followUp.checklist.answered());
    REQUIRE(lead.reviews.size() == 1);
    CHECK(lead.reviews[0].reviewedBy.id == world.supervisor->userId());
    CHECK(lead.reviews[0].followUpId == lead.followUps[0].id);
    CHECK_FALSE(lead.reviews[0].reviewedAt.empty());
    CHECK(world.lastAuditAction() == "case.viewed");
}

TEST_CASE("VI.B.3: follow-up by a case officer not assigned to the case is refused, only the refusal written") {
    CaseWorld world;
    const auto candidate = world.searchCandidates().front();
    world.examineAndMark(*world.investigator, candidate);
    const auto before = world.auditCount();
    auto refused = world.service(*world.otherOfficer).recordFollowUp(candidate, kCorroborated);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::PermissionDenied);
    CHECK(world.auditCount() == before + 1);  // the refusal itself (who, what, why)
    CHECK(world.lastAuditAction() == "access.refused");
    CHECK(world.rowCount("follow_ups") == 0);
    auto investigatorTries = world.service(*world.investigator).recordFollowUp(candidate, kCorroborated);
    REQUIRE_FALSE(investigatorTries.ok());
    CHECK(investigatorTries.error().code == ErrorCode::PermissionDenied);
}

TEST_CASE("VI.C.1: review without a follow-up is refused") {
    CaseWorld world;
    const auto candidate = world.searchCandidates().front();
    auto supervisor = world.service(*world.supervisor);
    CHECK(supervisor.review(candidate, world.ofLatest(candidate, kClear)).error().code == ErrorCode::InvalidTransition);
    world.examineAndMark(*world.investigator, candidate);
    const auto before = world.auditCount();
    auto refused = supervisor.review(candidate, world.ofLatest(candidate, kClear));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::InvalidTransition);
    CHECK(world.auditCount() == before);
    CHECK(world.rowCount("reviews") == 0);
}

// Trial 14B finding 1: the supervisor's review dialog stayed open while the case officer recorded newer
// follow-ups; "Record review" then cleared the lead on a follow-up she never saw. The review names the follow-up
// it reviews, and the core refuses it (audited) once a newer one exists.
TEST_CASE("VI.C.1: a review of a follow-up that is no longer the latest is refused and audited") {
    CaseWorld world;
    const auto candidate = world.searchCandidates().front();
    world.examineAndMark(*world.investigator, candidate);
    auto officer = world.service(*world.officer);
    auto supervisor = world.service(*world.supervisor);
    REQUIRE(officer.recordFollowUp(candidate, kCorroborated).ok());
    const auto shown = world.ofLatest(candidate, kClear);  // the dialog opens on this follow-up
    REQUIRE(officer.recordFollowUp(candidate, kCorroborated).ok());

    const auto before = world.auditCount();
    CHECK_FALSE(supervisor.checkReview(candidate, shown).ok());
    auto refused = supervisor.review(candidate, shown);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message.find("newer follow-up") != std::string::npos);
    CHECK(refused.error().message.find("reopen the review") != std::string::npos);
    CHECK(world.rowCount("reviews") == 0);
    CHECK(world.auditCount() == before + 2);
    CHECK(world.lastAuditAction() == "access.refused");
    CHECK(supervisor.review(candidate, world.ofLatest(candidate, kClear)).ok());
}

// Trial 14B finding 3: the core stored outcome "corroborated" with "whereabouts: in county jail".
TEST_CASE("Issue 11: a corroborated follow-up with a discrepancy is refused, audited, and not stored") {
    CaseWorld world;
    const auto candidate = world.searchCandidates().front();
    world.examineAndMark(*world.investigator, candidate);
    auto jailed = kCorroborated;
    jailed.checklist[workflow::ChecklistItem::Whereabouts] = {workflow::ChecklistAnswer::Inconsistent,
                                                              "He was in county jail that night."};
    const auto before = world.auditCount();
    auto refused = world.service(*world.officer).recordFollowUp(candidate, jailed);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::PolicyViolation);
    CHECK(refused.error().message.find("discrepancy") != std::string::npos);
    CHECK(world.rowCount("follow_ups") == 0);
    CHECK(world.auditCount() == before + 1);
    CHECK(world.lastAuditAction() == "access.refused");
}

TEST_CASE("VI.C.1: a supervisor reviewing their own follow-up is refused") {
    CaseWorld world;
    auto cases = world.service(*world.investigator);
    auto ownCase = cases.createCase({"NP-2026-0050", "Fraud", world.supervisingOfficer->userId()});
    REQUIRE(ownCase.ok());
    auto image = cases.storeOriginal(ownCase->id, world.png, "Bank CCTV");
    auto request = world.validRequest();
    request.caseNumber = "NP-2026-0050";
    request.offence = "Fraud";  // the case's offence
    auto stored = cases.submitRequest(request);
    REQUIRE((image.ok() && stored.ok()));
    auto search = cases.runSearch(stored->id, image->id, world.probe(), world.backend());
    REQUIRE(search.ok());
    const auto candidate = search->candidates.front().id;
    world.examineAndMark(*world.investigator, candidate);
    auto sam = world.service(*world.supervisingOfficer);
    REQUIRE(sam.recordFollowUp(candidate, kCorroborated).ok());

    auto queue = sam.reviewsAwaitingMe();
    REQUIRE(queue.ok());
    CHECK(queue->empty());  // not offered
    const auto before = world.auditCount();
    auto refused = sam.review(candidate, world.ofLatest(candidate, kClear));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::PermissionDenied);
    CHECK(world.auditCount() == before + 1);
    CHECK(world.lastAuditAction() == "access.refused");
    CHECK(world.service(*world.supervisor).review(candidate, world.ofLatest(candidate, kClear)).ok());
}

// Trial 23C H5: one person holding investigator and supervisor examined, marked and cleared the same lead.
TEST_CASE("VI.C.1: a supervisor who examined and marked the candidate does not review its follow-up") {
    CaseWorld world;
    const auto candidate = world.searchCandidates().front();
    world.examineAndMark(*world.supervisingOfficer, candidate);  // a case officer and supervisor
    REQUIRE(world.service(*world.officer).recordFollowUp(candidate, kCorroborated).ok());
    auto sam = world.service(*world.supervisingOfficer);
    auto queue = sam.reviewsAwaitingMe();
    REQUIRE(queue.ok());
    CHECK(queue->empty());  // not offered
    auto refused = sam.review(candidate, world.ofLatest(candidate, kClear));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::PermissionDenied);
    CHECK_THAT(refused.error().message, Catch::Contains("You examined, marked or settled the examiners' disagreement on this candidate"));
    CHECK(world.lastAuditAction() == "access.refused");
    CHECK(world.service(*world.supervisor).review(candidate, world.ofLatest(candidate, kClear)).ok());
}

TEST_CASE("VI.C.1: an inconclusive follow-up cannot be cleared; it can be returned for more follow-up") {
    CaseWorld world;
    const auto candidate = world.searchCandidates().front();
    world.examineAndMark(*world.investigator, candidate);
    auto inconclusive = kCorroborated;
    inconclusive.outcome = workflow::FollowUpOutcome::Inconclusive;
    REQUIRE(world.service(*world.officer).recordFollowUp(candidate, inconclusive).ok());
    auto supervisor = world.service(*world.supervisor);
    CHECK(supervisor.review(candidate, world.ofLatest(candidate, kClear)).error().code == ErrorCode::InvalidTransition);
    auto returned = supervisor.review(candidate, world.ofLatest(candidate, {false, false, "Get the clerk's statement."}));
    REQUIRE(returned.ok());
    CHECK(returned->status == workflow::LeadStatus::ReturnedForFollowUp);
    auto again = world.service(*world.officer).leadsAwaitingMyFollowUp();
    REQUIRE(again.ok());
    CHECK(again->size() == 1);
}

// Trial 19B MEDIUM-5: the evidence item of an earlier follow-up cleared a later follow-up that had none. The item and
// the answered checklist belong to the follow-up under review.
TEST_CASE("Issue 11: clearing needs evidence attached to the follow-up under review, not to an earlier one") {
    CaseWorld world;
    const auto candidate = world.searchCandidates().front();
    world.examineAndMark(*world.investigator, candidate);
    auto officer = world.service(*world.officer);
    auto supervisor = world.service(*world.supervisor);
    auto first = kCorroborated;
    first.outcome = workflow::FollowUpOutcome::Inconclusive;
    REQUIRE(officer.recordFollowUp(candidate, first).ok());  // its evidence item is stored with it
    REQUIRE(supervisor.review(candidate, world.ofLatest(candidate, {false, false, "Get the clerk's statement."})).ok());
    auto second = kCorroborated;
    second.evidence.clear();
    REQUIRE(officer.recordFollowUp(candidate, second).ok());

    const auto auditBefore = world.auditCount();
    auto refused = supervisor.review(candidate, world.ofLatest(candidate, kClear));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::PolicyViolation);
    CHECK_THAT(refused.error().message, Catch::Contains("attached to the follow-up under review"));
    CHECK(world.auditCount() == auditBefore + 1);
    CHECK(world.lastAuditAction() == "access.refused");
    CHECK(world.service(*world.officer).getLead(candidate)->status == workflow::LeadStatus::FollowUpRecorded);

    // The same follow-up again, now holding its own evidence item: cleared.
    REQUIRE(supervisor.review(candidate, world.ofLatest(candidate, {false, false, "Attach the evidence."})).ok());
    REQUIRE(officer.recordFollowUp(candidate, kCorroborated).ok());
    CHECK(supervisor.review(candidate, world.ofLatest(candidate, kClear)).ok());
}

// Trial 51 F3: under SOP 302.02 the independent verification may come after the clearing; an exclusion recorded then
// left the lead "Cleared for action" beside two of three examiners excluding the person, and beside a supervisor's
// resolution as exclusion. The dissent takes the lead back to review, audited, and it is not cleared again on it.
TEST_CASE("Issue 11 (trial 51 F3): a dissenting verification after the clearing takes the lead back to review") {
    CaseWorld world;
    const auto candidate = world.searchCandidates().front();
    world.examineAndMark(*world.investigator, candidate);
    REQUIRE(world.service(*world.officer).recordFollowUp(candidate, kCorroborated));
    auto supervisor = world.service(*world.supervisor);
    REQUIRE(supervisor.review(candidate, world.ofLatest(candidate, kClear)));
    REQUIRE(supervisor.getLead(candidate)->status == workflow::LeadStatus::ClearedForAction);

    REQUIRE(world.verifyBlind(*world.otherOfficer, candidate,
                              test::examinationConcluding(workflow::Conclusion::Exclusion,
                                                          workflow::ComponentFinding::Dissimilar)));
    CHECK(world.lastAuditAction() == "lead.reopened");
    const auto reopened = require(supervisor.getLead(candidate));
    CHECK(reopened.status == workflow::LeadStatus::FollowUpRecorded);
    CHECK(reopened.reopenedAt.size() == 1);  // every screen and print says the clearing no longer stands (trial 52 F3)
    auto whileOpen = supervisor.review(candidate, world.ofLatest(candidate, kClear));
    REQUIRE_FALSE(whileOpen);
    CHECK_THAT(whileOpen.error().message, Catch::Contains("examiners of this candidate disagree"));

    // Another supervisor resolves it (who resolves does not review the lead).
    REQUIRE(world.service(*world.supervisingOfficer)
                .resolveDisagreement(candidate, workflow::Conclusion::Exclusion, "The ear shapes differ clearly."));
    auto againstTheLead = supervisor.review(candidate, world.ofLatest(candidate, kClear));
    REQUIRE_FALSE(againstTheLead);
    CHECK_THAT(againstTheLead.error().message, Catch::Contains("neither followed up nor cleared"));
    REQUIRE(supervisor.review(candidate, world.ofLatest(candidate, {true, false, "Resolved as an exclusion."})));
    CHECK(supervisor.getLead(candidate)->status == workflow::LeadStatus::ReviewedNotCleared);
    // The lead's history, replayed from the signed log, holds: the reopening is a step the workflow takes.
    CHECK(require(cases::editedCaseRecords(*world.admin)).empty());
}

TEST_CASE("An excluded candidate stays excluded; roles without the right are refused") {
    CaseWorld world;
    const auto candidates = world.searchCandidates();
    auto investigator = world.service(*world.investigator);
    auto excluded = investigator.exclude(candidates[1], "Different ear shape and no tattoo.");
    REQUIRE(excluded.ok());
    CHECK(excluded->status == workflow::LeadStatus::Excluded);
    CHECK(investigator.markPossibleLead(candidates[1], "Looked again, maybe him.").error().code ==
          ErrorCode::InvalidTransition);
    CHECK(world.service(*world.supervisor).markPossibleLead(candidates[2], "Supervisor thinks so.").error().code ==
          ErrorCode::PermissionDenied);
    CHECK(world.service(*world.investigator).reviewsAwaitingMe().error().code == ErrorCode::PermissionDenied);
}
