#pragma once
// Examinations and follow-ups that meet every rule of issue 11, for the tests of the lead workflow (unit,
// integration, gui and the e2e fixture share them, so a new rule is met in one place).

#include "core/workflow/Examination.h"
#include "core/workflow/Leads.h"

namespace facelead::test {

// Every FISWG component rated `finding`, the marks similar, with a conclusion and its basis.
inline workflow::Examination examinationConcluding(workflow::Conclusion conclusion,
                                                   workflow::ComponentFinding finding = workflow::ComponentFinding::Similar) {
    workflow::Examination examination;
    for (workflow::FacialComponent c : workflow::allFacialComponents()) {
        examination[c].finding = finding;
        if (finding == workflow::ComponentFinding::Dissimilar) examination[c].note = "Differs from the probe.";
    }
    examination[workflow::FacialComponent::MarksScarsTattoos] = {workflow::ComponentFinding::Similar,
                                                                 "Same scar above the left eyebrow."};
    examination.conclusion = conclusion;
    examination.note = "Scar, nose bridge and hairline agree in the original probe.";
    return examination;
}

inline workflow::Examination supportingExamination() {
    return examinationConcluding(workflow::Conclusion::Support);
}

inline workflow::DiscrepancyChecklist answeredChecklist() {
    workflow::DiscrepancyChecklist checklist;
    for (workflow::ChecklistItem item : workflow::allChecklistItems())
        checklist[item] = {workflow::ChecklistAnswer::Consistent, "Checked against the booking record."};
    return checklist;
}

// A corroborated follow-up with one attested independent evidence item and an answered checklist.
inline workflow::FollowUp corroboratedFollowUp() {
    return workflow::FollowUp{"Interviewed the store clerk; checked the booking photograph.",
                              "The clerk's receipt log and his phone place him at the store.",
                              workflow::FollowUpOutcome::Corroborated,
                              {{"location_data", "Phone location records for the hour of the theft, exhibit 4.", true}},
                              answeredChecklist()};
}

}  // namespace facelead::test
