#pragma once
// Blind, structured examination of a candidate (issue 11 items 1-2): the FISWG morphological comparison of
// the probe (the original) with a candidate, component by component, and a conclusion on a stated scale.
//
// Sources:
// - Components: FISWG, "Facial Image Comparison Feature List for Morphological Analysis" (v2.0, 2018), its
//   thirteen top-level facial components, in its order.
// - Conclusion scale: the ordinal "levels of support" of FISWG, "Facial Comparison Overview and Methodology
//   Guidelines" (2019) and ASTM E3149-18, with "no conclusion" as the default and "exclusion" for a
//   difference that eliminates the candidate. "Identification" is deliberately not on the scale: a face search
//   gives investigative leads only (SOP 302.02 VI.B.1).
//
// Rules (pure; CaseService loads the facts and stores the outcome):
// - Blind: rank, distance and score are withheld from an examiner until they have recorded their own
//   examination of that candidate. An examiner who was nevertheless shown them (an audited view with the
//   rank, e.g. before they held an examining role) may not examine that candidate: another examiner must.
// - "Mark possible lead" needs the marker's own recorded examination with a supporting conclusion
//   (support or strong support), and no open disagreement between examiners.
// - Independent verification: a second trained examiner, never the first, who cannot read the first
//   examination before recording theirs. Examinations that disagree (supportsLead or exclusion differ) go to a
//   supervisor, whose resolution settles them.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Result.h"
#include "core/workflow/Leads.h"
#include "core/workflow/Roles.h"
#include "core/workflow/SearchRequest.h"

namespace facelead::workflow {

enum class FacialComponent {
    OverallShape, HairAndHairline, Forehead, Eyebrows, Eyes, Cheeks, Nose, Ears, MouthAndLips, ChinAndJawline,
    Neck, FacialHair, MarksScarsTattoos,
};
inline constexpr std::size_t kFacialComponentCount = 13;
// The fewest components visible (rated similar or dissimilar) for a conclusion of support / strong support.
inline constexpr std::size_t kVisibleForSupport = 3;
inline constexpr std::size_t kVisibleForStrongSupport = 7;
const std::array<FacialComponent, kFacialComponentCount>& allFacialComponents();  // FISWG order
std::string_view componentName(FacialComponent component);   // "hair_and_hairline"
std::string_view componentLabel(FacialComponent component);  // "Hair and hairline"
std::optional<FacialComponent> componentFromName(std::string_view name);

enum class ComponentFinding { Similar, Dissimilar, NotVisible };
std::string_view findingName(ComponentFinding finding);  // "similar", "dissimilar", "not_visible"
std::string_view findingLabel(ComponentFinding finding);
std::optional<ComponentFinding> findingFromName(std::string_view name);

// Weakest to strongest; NoConclusion is the default.
enum class Conclusion { NoConclusion, Exclusion, LendsNoSupport, LimitedSupport, Support, StrongSupport };
const std::vector<Conclusion>& allConclusions();
std::string_view conclusionName(Conclusion conclusion);   // "no_conclusion", "strong_support", ...
std::string_view conclusionLabel(Conclusion conclusion);  // "Strong support"
std::optional<Conclusion> conclusionFromName(std::string_view name);
// Support and strong support: enough to mark a possible lead.
bool supportsLead(Conclusion conclusion);
// Two conclusions disagree when one supports a lead and the other does not, or one excludes and the other not.
bool conclusionsDisagree(Conclusion a, Conclusion b);

struct ComponentRating {
    std::optional<ComponentFinding> finding;  // absent = not rated yet (refused)
    std::string note;
};

struct Examination {
    std::array<ComponentRating, kFacialComponentCount> components{};  // indexed in allFacialComponents() order
    Conclusion conclusion = Conclusion::NoConclusion;
    std::string note;  // the basis of the conclusion

    ComponentRating& operator[](FacialComponent c) { return components[static_cast<std::size_t>(c)]; }
    const ComponentRating& operator[](FacialComponent c) const { return components[static_cast<std::size_t>(c)]; }
};

enum class ExaminationKind { Examination, Verification };
std::string_view examinationKindName(ExaminationKind kind);  // "examination", "verification"

// What the gate needs to know about the candidate and the examiner.
// How an examiner can have been shown a candidate's rank and score (cases::rankShownTo), as refusals name them.
inline constexpr std::string_view kWaysRankWasShown =
    "for this candidate, another probe of this case, the same probe or another picture of the same unknown person in "
    "another search at any time, or any search since this one ran, or its candidate list holds it alone, which tells "
    "its rank";

struct ExaminationFacts {
    bool examinerTrained = false;        // training recorded and not expired (VI.D.2.b)
    bool alreadyExaminedByMe = false;
    bool rankShownToMe = false;          // an audited view showed me its rank/score, or the same subject's for the
                                         // same probe bytes in another search (cases::rankShownTo)
    std::optional<UserId> firstExaminer; // who recorded the (first) examination, if any
};

// PermissionDenied (role, training, verifying one's own examination), InvalidTransition (examined twice,
// verification without an examination, examination when one exists), PolicyViolation (seen score, an
// unrated component, a dissimilar component or a conclusion without a note, support without any similar
// component).
Result<void> checkExamination(ExaminationKind kind, const Examination& examination, const Actor& examiner,
                              const ExaminationFacts& facts, const PolicySettings& settings);
// Everything the examination itself lacks, each as a sentence, all at once (trial 48 F3: the form taught its rules one
// press of Record at a time); empty when none. checkExamination refuses with them, after checkMayExamine.
std::vector<std::string> examinationProblems(const Examination& examination, const PolicySettings& settings);
// The part of checkExamination that does not depend on the examination itself: asked before its form is filled.
Result<void> checkMayExamine(ExaminationKind kind, const Actor& examiner, const ExaminationFacts& facts);

// What marking a possible lead needs to know about the marker's examination and the candidate's verification.
struct MarkingFacts {
    std::optional<Conclusion> myConclusion;  // the marker's own recorded examination or verification
    bool openDisagreement = false;           // examinations disagree and no supervisor has resolved it
    std::optional<Conclusion> resolution;    // a supervisor's resolution, when there was a disagreement
};
// PolicyViolation naming the rule when the marker has no supporting examination or a disagreement is open.
Result<void> checkMayMarkPossibleLead(const MarkingFacts& facts);

// Supervisors resolve a disagreement between examiners with their own conclusion and a note.
// PermissionDenied (not a supervisor, or one of the two examiners), InvalidTransition (nothing to resolve).
Result<void> checkResolution(const Actor& supervisor, bool openDisagreement, const std::vector<UserId>& examiners,
                             std::string_view note, const PolicySettings& settings);
// PolicyViolation when a supervisor resolved the examiners' disagreement against the lead (anything short of
// support): the lead is not cleared for action on it (trial 27 F22: an exclusion resolved, then cleared anyway).
Result<void> checkResolutionAllowsClearing(std::optional<Conclusion> resolution);

// A supervisor's judgement that settles a candidate or lets a search run counts only when they are trained
// (VI.D.2.b), as an examiner's does (trial 27 F13: the untrained founding administrator, a supervisor too,
// overrode a trained examiner's exclusion and approved a search). TrainingRequired naming `what`.
Result<void> checkSupervisorTrained(bool trained, std::string_view what);

}  // namespace facelead::workflow
