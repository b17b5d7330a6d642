#include <catch2/catch.hpp>

#include "core/workflow/Examination.h"
#include "core/workflow/Verification.h"
#include "tests/support/LeadFixtures.h"

using namespace facelead;
using namespace facelead::workflow;

namespace {

const PolicySettings kSettings;
const Actor kExaminer{1, {Role::Investigator}};
const Actor kSecond{2, {Role::CaseOfficer}};
const Actor kSupervisor{4, {Role::Supervisor}};

ExaminationFacts trainedFacts() {
    ExaminationFacts facts;
    facts.examinerTrained = true;
    return facts;
}

}  // namespace

TEST_CASE("Issue 11: the FISWG components and the conclusion scale are complete and named both ways") {
    CHECK(allFacialComponents().size() == 13);
    for (FacialComponent c : allFacialComponents()) CHECK(componentFromName(componentName(c)) == c);
    for (Conclusion c : allConclusions()) CHECK(conclusionFromName(conclusionName(c)) == c);
    CHECK(Examination{}.conclusion == Conclusion::NoConclusion);  // the default
    CHECK(supportsLead(Conclusion::StrongSupport));
    CHECK_FALSE(supportsLead(Conclusion::LimitedSupport));
    CHECK(conclusionsDisagree(Conclusion::Support, Conclusion::Exclusion));
    CHECK(conclusionsDisagree(Conclusion::Support, Conclusion::LimitedSupport));
    CHECK_FALSE(conclusionsDisagree(Conclusion::Support, Conclusion::StrongSupport));
}

TEST_CASE("Issue 11: a complete examination by a trained examiner is accepted") {
    CHECK(checkExamination(ExaminationKind::Examination, test::supportingExamination(), kExaminer, trainedFacts(),
                           kSettings)
              .ok());
}

TEST_CASE("Issue 11: an unrated component, an unexplained difference or an unfounded conclusion is refused") {
    auto unrated = test::supportingExamination();
    unrated[FacialComponent::Ears].finding.reset();
    auto result = checkExamination(ExaminationKind::Examination, unrated, kExaminer, trainedFacts(), kSettings);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().message.find("Ears") != std::string::npos);

    auto unexplained = test::supportingExamination();
    unexplained[FacialComponent::Nose] = {ComponentFinding::Dissimilar, ""};
    CHECK(checkExamination(ExaminationKind::Examination, unexplained, kExaminer, trainedFacts(), kSettings)
              .error()
              .code == ErrorCode::PolicyViolation);

    auto noBasis = test::supportingExamination();
    noBasis.note = "ok";
    CHECK_FALSE(checkExamination(ExaminationKind::Examination, noBasis, kExaminer, trainedFacts(), kSettings).ok());

    auto nothingSimilar = test::examinationConcluding(Conclusion::Support, ComponentFinding::NotVisible);
    nothingSimilar[FacialComponent::MarksScarsTattoos].finding = ComponentFinding::NotVisible;
    CHECK_FALSE(
        checkExamination(ExaminationKind::Examination, nothingSimilar, kExaminer, trainedFacts(), kSettings).ok());
}

TEST_CASE("Issue 11 (trial 27 F5): the support a comparison gives is bounded by how much of the face was compared") {
    // One component of thirteen visible (the marks), the rest not visible.
    auto oneVisible = test::examinationConcluding(Conclusion::StrongSupport, ComponentFinding::NotVisible);
    auto refused = checkExamination(ExaminationKind::Examination, oneVisible, kExaminer, trainedFacts(), kSettings);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::PolicyViolation);
    CHECK(refused.error().message.find("needs at least 7 of the 13") != std::string::npos);
    oneVisible.conclusion = Conclusion::Support;
    CHECK_FALSE(checkExamination(ExaminationKind::Examination, oneVisible, kExaminer, trainedFacts(), kSettings).ok());
    oneVisible.conclusion = Conclusion::LimitedSupport;
    CHECK(checkExamination(ExaminationKind::Examination, oneVisible, kExaminer, trainedFacts(), kSettings).ok());

    auto threeVisible = test::examinationConcluding(Conclusion::Support, ComponentFinding::NotVisible);
    threeVisible[FacialComponent::Nose].finding = ComponentFinding::Similar;
    threeVisible[FacialComponent::Eyes].finding = ComponentFinding::Similar;
    CHECK(checkExamination(ExaminationKind::Examination, threeVisible, kExaminer, trainedFacts(), kSettings).ok());

    // Trial 29 N7: seven compared, one similar and six dissimilar, was "strong support".
    auto mostlyDissimilar = test::examinationConcluding(Conclusion::StrongSupport, ComponentFinding::NotVisible);
    for (FacialComponent c : {FacialComponent::Eyes, FacialComponent::OverallShape, FacialComponent::Forehead,
                              FacialComponent::Cheeks, FacialComponent::Eyebrows, FacialComponent::Ears})
        mostlyDissimilar[c] = {ComponentFinding::Dissimilar, "Differs from the probe."};
    auto dissimilar = checkExamination(ExaminationKind::Examination, mostlyDissimilar, kExaminer, trainedFacts(), kSettings);
    REQUIRE_FALSE(dissimilar.ok());
    CHECK(dissimilar.error().message.find("more facial components similar than dissimilar") != std::string::npos);
    mostlyDissimilar.conclusion = Conclusion::Support;
    CHECK_FALSE(checkExamination(ExaminationKind::Examination, mostlyDissimilar, kExaminer, trainedFacts(), kSettings).ok());
    mostlyDissimilar.conclusion = Conclusion::Exclusion;
    CHECK(checkExamination(ExaminationKind::Examination, mostlyDissimilar, kExaminer, trainedFacts(), kSettings).ok());
}

TEST_CASE("Issue 11: a seen-score examination is refused") {
    auto facts = trainedFacts();
    facts.rankShownToMe = true;
    auto result = checkExamination(ExaminationKind::Examination, test::supportingExamination(), kExaminer, facts, kSettings);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::PolicyViolation);
    CHECK(result.error().message.find("blind") != std::string::npos);
}

TEST_CASE("Issue 11: untrained examiners and other roles may not examine") {
    auto untrained = checkExamination(ExaminationKind::Examination, test::supportingExamination(), kExaminer,
                                      ExaminationFacts{}, kSettings);
    CHECK(untrained.error().code == ErrorCode::TrainingRequired);
    CHECK(checkExamination(ExaminationKind::Examination, test::supportingExamination(), kSupervisor, trainedFacts(),
                           kSettings)
              .error()
              .code == ErrorCode::PermissionDenied);
}

TEST_CASE("Issue 11: verification needs an examination and a second examiner") {
    auto none = checkExamination(ExaminationKind::Verification, test::supportingExamination(), kSecond, trainedFacts(),
                                 kSettings);
    CHECK(none.error().code == ErrorCode::InvalidTransition);

    auto facts = trainedFacts();
    facts.firstExaminer = kExaminer.userId;
    auto self = checkExamination(ExaminationKind::Verification, test::supportingExamination(), kExaminer, facts, kSettings);
    REQUIRE_FALSE(self.ok());
    CHECK(self.error().code == ErrorCode::PermissionDenied);
    CHECK(self.error().message.find("second examiner") != std::string::npos);
    CHECK(checkExamination(ExaminationKind::Verification, test::supportingExamination(), kSecond, facts, kSettings).ok());
    // A second "first" examination is refused: it must be recorded as a verification.
    CHECK(checkExamination(ExaminationKind::Examination, test::supportingExamination(), kSecond, facts, kSettings)
              .error()
              .code == ErrorCode::InvalidTransition);
}

TEST_CASE("Issue 11: marking a possible lead needs the marker's supporting examination and no open disagreement") {
    auto none = checkMayMarkPossibleLead({});
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().code == ErrorCode::PolicyViolation);
    CHECK(none.error().message.find("blind examination") != std::string::npos);
    CHECK_FALSE(checkMayMarkPossibleLead({Conclusion::LimitedSupport, false, std::nullopt}).ok());
    CHECK(checkMayMarkPossibleLead({Conclusion::Support, false, std::nullopt}).ok());
    CHECK_FALSE(checkMayMarkPossibleLead({Conclusion::Support, true, std::nullopt}).ok());
    CHECK_FALSE(checkMayMarkPossibleLead({Conclusion::Support, false, Conclusion::Exclusion}).ok());
    CHECK(checkMayMarkPossibleLead({Conclusion::Support, false, Conclusion::StrongSupport}).ok());
}

TEST_CASE("Issue 11: only a supervisor who did not examine resolves a disagreement, with a note") {
    const std::vector<UserId> examiners{kExaminer.userId, kSecond.userId};
    CHECK(checkResolution(kSupervisor, true, examiners, "Compared both; the ear differs.", kSettings).ok());
    CHECK(checkResolution(kSecond, true, examiners, "Compared both; the ear differs.", kSettings).error().code ==
          ErrorCode::PermissionDenied);
    CHECK(checkResolution(kSupervisor, false, examiners, "Compared both; the ear differs.", kSettings).error().code ==
          ErrorCode::InvalidTransition);
    CHECK_FALSE(checkResolution(kSupervisor, true, examiners, "ok", kSettings).ok());
}

TEST_CASE("Issue 11 (trial 23C H4): the verifier works no part of the case, has not read it since, and received the faces") {
    const VerifierFacts independent{false, false, false, false, true};
    CHECK(checkVerifierMayRecord(independent).ok());
    auto with = [&](auto change) {
        VerifierFacts facts = independent;
        change(facts);
        return checkVerifierMayRecord(facts);
    };
    auto works = with([](VerifierFacts& f) { f.worksCase = true; });
    CHECK(works.error().code == ErrorCode::PermissionDenied);
    CHECK(works.error().message.find("work this case") != std::string::npos);
    auto followedUp = with([](VerifierFacts& f) { f.workedTheLead = true; });
    CHECK(followedUp.error().code == ErrorCode::PermissionDenied);
    CHECK(followedUp.error().message.find("follow-up") != std::string::npos);
    auto read = with([](VerifierFacts& f) { f.readCaseSinceExamination = true; });
    CHECK(read.error().code == ErrorCode::PermissionDenied);
    CHECK(read.error().message.find("blind") != std::string::npos);
    auto auditor = with([](VerifierFacts& f) { f.readsTheAuditLog = true; });  // trial 25B H3
    CHECK(auditor.error().code == ErrorCode::PermissionDenied);
    CHECK(auditor.error().message.find("audit log") != std::string::npos);
    auto unseen = with([](VerifierFacts& f) { f.receivedThePair = false; });
    CHECK(unseen.error().code == ErrorCode::PolicyViolation);
    // Before the faces are given, only independence is asked.
    CHECK(checkIndependentVerifier({false, false, false, false, false}).ok());
}

TEST_CASE("Issue 11 (trial 32): a resolution against the lead says how a followed-up lead is closed") {
    CHECK(checkResolutionAllowsClearing(std::nullopt).ok());
    CHECK(checkResolutionAllowsClearing(Conclusion::Support).ok());
    auto refused = checkResolutionAllowsClearing(Conclusion::Exclusion);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::PolicyViolation);
    CHECK(refused.error().message.find("the outcome \"excluded\" and the supervisor's review as not cleared") !=
          std::string::npos);
}
