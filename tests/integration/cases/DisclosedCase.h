#pragma once
// A case worth disclosing, for the disclosure tests (issue 11 item 4): three searches by the investigator and
// a lead taken through follow-up and review.

#include <vector>

#include "tests/integration/cases/CaseWorld.h"
#include "tests/support/LeadFixtures.h"

namespace facelead::test {

inline const workflow::FollowUp kCorroborated = corroboratedFollowUp();

// Three searches by the investigator: on an enhanced copy (rank 1 followed up and cleared, rank 2 excluded),
// on the original (other people, nobody marked), and against an empty gallery (nobody found).
struct DisclosedCase {
    cases::ImageRecord original, copy;
    std::vector<cases::SearchRecord> searches;
};

inline DisclosedCase buildCase(CaseWorld& world) {
    auto investigator = world.service(*world.investigator);
    DisclosedCase made;
    made.original = investigator.storeOriginal(world.caseId, world.png, "CCTV export, camera 3").value();
    made.copy = investigator.createDerivedCopy(made.original.id, imaging::Recipe{{imaging::GammaStep{1.2}}}).value();
    const auto request = investigator.submitRequest(world.validRequest()).value();
    made.searches.push_back(investigator.runSearch(request.id, made.copy.id, world.probe(), world.backend()).value());
    made.searches.push_back(investigator.runSearch(request.id, made.original.id, world.probe(), world.backend()).value());
    const gallery::GalleryIndex empty;
    made.searches.push_back(investigator
                                .runSearch(request.id, made.original.id, world.probe(),
                                           cases::SearchBackend{empty, [](double) { return 0.0; }})
                                .value());
    const auto& first = made.searches.front().candidates;
    REQUIRE(first.size() == 3);
    world.examineAndMark(*world.investigator, first[0].id);  // the blind examination first (issue 11 item 1)
    REQUIRE(investigator.exclude(first[1].id, "Different ear shape and no scar.").ok());
    REQUIRE(world.service(*world.officer).recordFollowUp(first[0].id, kCorroborated).ok());
    REQUIRE(world.service(*world.supervisor).review(first[0].id, world.ofLatest(first[0].id, {true, true, "Follow-up checked against the file."})).ok());
    return made;
}

// buildCase, and the rest of what a packet's later pages hold (issue 11 MEDIUM-6): the cleared lead independently
// verified by a second examiner; on the second search, a lead followed up with long texts and a discrepancy found
// (whereabouts), which the supervisor reviewed as not cleared.
inline DisclosedCase buildWorkedCase(CaseWorld& world) {
    DisclosedCase made = buildCase(world);
    const auto& first = made.searches[0].candidates;
    REQUIRE(world.verifyBlind(*world.otherOfficer, first[0].id, supportingExamination()).ok());
    const auto other = made.searches[1].candidates[0].id;
    world.examineAndMark(*world.investigator, other);
    workflow::FollowUp jailed = corroboratedFollowUp();
    jailed.stepsTaken = "Checked the county jail's booking system, the probation office's records and the employer's "
                        "time sheets for the week of the theft; spoke with the probation officer by telephone.";
    jailed.corroboratingEvidence.clear();
    jailed.outcome = workflow::FollowUpOutcome::Excluded;
    jailed.evidence = {{"documents", "County jail booking record 24-1187: in custody from 3 to 19 March, exhibit 7.", true}};
    jailed.checklist[workflow::ChecklistItem::Whereabouts] = {workflow::ChecklistAnswer::Inconsistent,
                                                              "He was in the county jail on the day of the theft."};
    jailed.checklist[workflow::ChecklistItem::Height] = {workflow::ChecklistAnswer::CouldNotCheck,
                                                         "The probe shows him seated."};
    REQUIRE(world.service(*world.officer).recordFollowUp(other, jailed).ok());
    REQUIRE(world.service(*world.supervisor)
                .review(other, world.ofLatest(other, {true, false, "Excluded: in custody at the time of the theft."}))
                .ok());
    return made;
}

}  // namespace facelead::test
