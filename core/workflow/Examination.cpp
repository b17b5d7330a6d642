#include "core/workflow/Examination.h"

#include <algorithm>
#include <utility>

#include "core/workflow/Access.h"
#include "core/workflow/Verification.h"
#include "core/workflow/detail/Names.h"

namespace facelead::workflow {
namespace {

using detail::Named;

constexpr std::array<Named<FacialComponent>, kFacialComponentCount> kComponents{{
    {FacialComponent::OverallShape, "overall_shape", "Overall shape"},
    {FacialComponent::HairAndHairline, "hair_and_hairline", "Hair and hairline"},
    {FacialComponent::Forehead, "forehead", "Forehead"},
    {FacialComponent::Eyebrows, "eyebrows", "Eyebrows"},
    {FacialComponent::Eyes, "eyes", "Eyes"},
    {FacialComponent::Cheeks, "cheeks", "Cheeks"},
    {FacialComponent::Nose, "nose", "Nose"},
    {FacialComponent::Ears, "ears", "Ears"},
    {FacialComponent::MouthAndLips, "mouth_and_lips", "Mouth and lips"},
    {FacialComponent::ChinAndJawline, "chin_and_jawline", "Chin and jawline"},
    {FacialComponent::Neck, "neck", "Neck"},
    {FacialComponent::FacialHair, "facial_hair", "Facial hair"},
    {FacialComponent::MarksScarsTattoos, "marks_scars_tattoos", "Marks, scars and tattoos"},
}};

constexpr std::array kFindings{
    Named<ComponentFinding>{ComponentFinding::Similar, "similar", "Similar"},
    Named<ComponentFinding>{ComponentFinding::Dissimilar, "dissimilar", "Dissimilar"},
    Named<ComponentFinding>{ComponentFinding::NotVisible, "not_visible", "Not visible"},
};

constexpr std::array kConclusions{
    Named<Conclusion>{Conclusion::NoConclusion, "no_conclusion", "No conclusion"},
    Named<Conclusion>{Conclusion::Exclusion, "exclusion", "Exclusion"},
    Named<Conclusion>{Conclusion::LendsNoSupport, "lends_no_support", "Lends no support"},
    Named<Conclusion>{Conclusion::LimitedSupport, "limited_support", "Limited support"},
    Named<Conclusion>{Conclusion::Support, "support", "Support"},
    Named<Conclusion>{Conclusion::StrongSupport, "strong_support", "Strong support"},
};

}  // namespace

const std::array<FacialComponent, kFacialComponentCount>& allFacialComponents() {
    static const auto all = [] {
        std::array<FacialComponent, kFacialComponentCount> components{};
        for (std::size_t i = 0; i < kComponents.size(); ++i) components[i] = kComponents[i].value;
        return components;
    }();
    return all;
}

std::string_view componentName(FacialComponent c) { return detail::nameOf(kComponents, c); }
std::string_view componentLabel(FacialComponent c) { return detail::labelOf(kComponents, c); }
std::optional<FacialComponent> componentFromName(std::string_view name) { return detail::valueNamed(kComponents, name); }
std::string_view findingName(ComponentFinding f) { return detail::nameOf(kFindings, f); }
std::string_view findingLabel(ComponentFinding f) { return detail::labelOf(kFindings, f); }
std::optional<ComponentFinding> findingFromName(std::string_view name) { return detail::valueNamed(kFindings, name); }

const std::vector<Conclusion>& allConclusions() {
    static const std::vector<Conclusion> all = [] {
        std::vector<Conclusion> conclusions;
        for (const auto& row : kConclusions) conclusions.push_back(row.value);
        return conclusions;
    }();
    return all;
}
std::string_view conclusionName(Conclusion c) { return detail::nameOf(kConclusions, c); }
std::string_view conclusionLabel(Conclusion c) { return detail::labelOf(kConclusions, c); }
std::optional<Conclusion> conclusionFromName(std::string_view name) { return detail::valueNamed(kConclusions, name); }

bool supportsLead(Conclusion c) { return c == Conclusion::Support || c == Conclusion::StrongSupport; }

bool conclusionsDisagree(Conclusion a, Conclusion b) {
    return supportsLead(a) != supportsLead(b) || (a == Conclusion::Exclusion) != (b == Conclusion::Exclusion);
}

std::string_view examinationKindName(ExaminationKind kind) {
    return kind == ExaminationKind::Examination ? "examination" : "verification";
}

Result<void> checkMayExamine(ExaminationKind kind, const Actor& examiner, const ExaminationFacts& facts) {
    FACELEAD_TRY(requireRole(examiner.roles, Action::DecideCandidate));
    if (!facts.examinerTrained) {
        return makeError(ErrorCode::TrainingRequired,
                         "Only a trained examiner may examine a candidate: complete the facial recognition training "
                         "first (VI.D.2.b, issue 11).");
    }
    if (kind == ExaminationKind::Verification) {
        if (!facts.firstExaminer) {
            return makeError(ErrorCode::InvalidTransition,
                             "There is no examination to verify yet: record it as an examination instead.");
        }
        FACELEAD_TRY(checkNotTheFirstExaminer(*facts.firstExaminer == examiner.userId));
    } else if (facts.firstExaminer) {
        return makeError(ErrorCode::InvalidTransition,
                         "This candidate has already been examined: record yours as an independent verification.");
    }
    if (facts.alreadyExaminedByMe) {
        return makeError(ErrorCode::InvalidTransition,
                         "You have already recorded your examination of this candidate; examinations are never "
                         "rewritten.");
    }
    if (facts.rankShownToMe) {
        return makeError(ErrorCode::PolicyViolation,
                         "You have seen this person's rank and score, " + std::string(kWaysRankWasShown) +
                             ": the examination must be blind (issue 11, blind examination). Another examiner must "
                             "examine it, from a list of at least two.");
    }
    return {};
}

std::vector<std::string> examinationProblems(const Examination& examination, const PolicySettings& settings) {
    std::vector<std::string> problems;
    std::vector<std::string> unrated;
    std::size_t visible = 0, similar = 0, dissimilar = 0;
    for (FacialComponent c : allFacialComponents()) {
        const ComponentRating& rating = examination[c];
        if (!rating.finding) {
            unrated.emplace_back(componentLabel(c));
            continue;
        }
        if (*rating.finding != ComponentFinding::NotVisible) ++visible;
        if (*rating.finding == ComponentFinding::Similar) ++similar;
        if (*rating.finding == ComponentFinding::Dissimilar) ++dissimilar;
        if (*rating.finding == ComponentFinding::Dissimilar && meaningfulLength(rating.note) == 0)
            problems.push_back("Say what differs in \"" + std::string(componentLabel(c)) +
                               "\" (a dissimilar component needs a note).");
    }
    if (!unrated.empty()) {
        std::string named;
        for (const std::string& label : unrated) named += (named.empty() ? "\"" : ", \"") + label + "\"";
        problems.insert(problems.begin(), "Rate every facial component (similar, dissimilar or not visible): " + named +
                                              (unrated.size() == 1 ? " is" : " are") + " not rated.");
    }
    if (examination.conclusion != Conclusion::NoConclusion)
        if (auto noted = requireNote(examination.note, "the basis of your conclusion", settings); !noted)
            problems.push_back(noted.error().message);
    // How much support a comparison can give is bounded by what could be compared (trial 27 F5: one component of
    // thirteen visible, "strong support"). FISWG leaves the number to the agency; these are FaceLead's floor.
    const std::size_t needed = examination.conclusion == Conclusion::StrongSupport ? kVisibleForStrongSupport
                               : examination.conclusion == Conclusion::Support   ? kVisibleForSupport
                                                                                 : 0;
    if (visible < needed)
        problems.push_back("\"" + std::string(conclusionLabel(examination.conclusion)) + "\" needs at least " +
                           std::to_string(needed) + " of the " + std::to_string(kFacialComponentCount) +
                           " facial components visible and compared; " + std::to_string(visible) +
                           (visible == 1 ? " is" : " are") + ". Conclude with less support, or no conclusion.");
    // What was compared must mostly agree (trial 29 N7: one similar and six dissimilar components, "strong support").
    if (supportsLead(examination.conclusion) && similar <= dissimilar)
        problems.push_back("\"" + std::string(conclusionLabel(examination.conclusion)) +
                           "\" needs more facial components similar than dissimilar; " + std::to_string(similar) +
                           " similar and " + std::to_string(dissimilar) +
                           " dissimilar. Conclude with less support, or no conclusion.");
    return problems;
}

Result<void> checkExamination(ExaminationKind kind, const Examination& examination, const Actor& examiner,
                              const ExaminationFacts& facts, const PolicySettings& settings) {
    FACELEAD_TRY(checkMayExamine(kind, examiner, facts));
    const auto problems = examinationProblems(examination, settings);
    if (problems.empty()) return {};
    std::string all;
    for (const std::string& problem : problems) all += (all.empty() ? "" : " ") + problem;
    return makeError(ErrorCode::PolicyViolation, all);
}

Result<void> checkMayMarkPossibleLead(const MarkingFacts& facts) {
    if (!facts.myConclusion) {
        return makeError(ErrorCode::PolicyViolation,
                         "Record your own blind examination of this candidate before marking it as a possible lead "
                         "(issue 11, blind examination; the face search alone is never a lead, VI.B.1).");
    }
    if (!supportsLead(*facts.myConclusion)) {
        return makeError(ErrorCode::PolicyViolation,
                         "Your examination concluded \"" + std::string(conclusionLabel(*facts.myConclusion)) +
                             "\": only support or strong support allows marking a possible lead (issue 11).");
    }
    if (facts.openDisagreement) {
        return makeError(ErrorCode::PolicyViolation,
                         "The examiners disagree about this candidate: a supervisor must resolve the disagreement "
                         "first (issue 11, independent verification).");
    }
    if (facts.resolution && !supportsLead(*facts.resolution)) {
        return makeError(ErrorCode::PolicyViolation,
                         "A supervisor resolved the examiners' disagreement as \"" +
                             std::string(conclusionLabel(*facts.resolution)) + "\": it cannot be a possible lead.");
    }
    return {};
}

Result<void> checkResolution(const Actor& supervisor, bool openDisagreement, const std::vector<UserId>& examiners,
                             std::string_view note, const PolicySettings& settings) {
    if (!supervisor.roles.count(Role::Supervisor)) {
        return makeError(ErrorCode::PermissionDenied,
                         "Only a supervisor may resolve a disagreement between examiners (issue 11, VI.C.1).");
    }
    if (std::find(examiners.begin(), examiners.end(), supervisor.userId) != examiners.end()) {
        return makeError(ErrorCode::PermissionDenied,
                         "You examined this candidate yourself; another supervisor must resolve the disagreement.");
    }
    if (!openDisagreement) {
        return makeError(ErrorCode::InvalidTransition, "The examinations of this candidate do not disagree, or the "
                                                       "disagreement is already resolved.");
    }
    return requireNote(note, "a note explaining the resolution", settings);
}

Result<void> checkResolutionAllowsClearing(std::optional<Conclusion> resolution) {
    if (!resolution || supportsLead(*resolution)) return {};
    return makeError(ErrorCode::PolicyViolation,
                     "A supervisor resolved the examiners' disagreement as \"" + std::string(conclusionLabel(*resolution)) +
                         "\": the lead is neither followed up nor cleared for action on it. Exclude it while it "
                         "is a possible lead; one already followed up is closed by a follow-up with the outcome "
                         "\"excluded\" and the supervisor's review as not cleared (issue 11, independent "
                         "verification; trial 32: \"Exclude the lead\" could not be followed).");
}

Result<void> checkSupervisorTrained(bool trained, std::string_view what) {
    if (trained) return {};
    return makeError(ErrorCode::TrainingRequired,
                     "Only a trained supervisor may " + std::string(what) +
                         ": complete the facial recognition training first (VI.D.2.b, issue 11).");
}

}  // namespace facelead::workflow
