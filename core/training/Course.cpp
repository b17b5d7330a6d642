#include "core/training/Course.h"

#include <sodium.h>

#include <cstdint>
#include <utility>

#include <array>

namespace facelead::training {
namespace {

constexpr std::array kLessons{
    Lesson{"authorized_purposes", "VI.A", "Authorized purposes",
           "A search is allowed only for one of the eight purposes of SOP 302.02 VI.A: reasonable suspicion that an "
           "identifiable person committed, is involved in or is planning a criminal offense (VI.A.1); an active "
           "criminal investigation or an imminent threat to health or public safety (VI.A.2); identifying a person "
           "unable to identify themselves (VI.A.3); tips and leads on authorized investigations (VI.A.4); licence and "
           "identity-card fraud (VI.A.5); potential witnesses or victims (VI.A.6); critical incidents (VI.A.7); a "
           "person reasonably believed to conceal their identity (VI.A.8).\n\n"
           "FaceLead asks for the case number, exactly one purpose and a justification in your own words before "
           "every search. The justification must explain why this purpose applies to this image."},
    Lesson{"prohibited_uses", "VI.B.7", "Prohibited uses",
           "Facial recognition is for official law-enforcement purposes only. It is never used for personal queries "
           "or to pass information to unauthorized people (VI.B.7.a); for anything unlawful (VI.B.7.b); to harass "
           "or intimidate anyone (VI.B.7.c); for any other use that violates law or agency policy (VI.B.7.d); or to "
           "watch people because of their religion, politics or other protected activity, race, ethnicity, gender "
           "or sexual orientation (VI.B.7.e).\n\n"
           "You attest to each of these five points separately before every search. The attestation is recorded "
           "with your name in the audit log."},
    Lesson{"consent", "VI.B.4, VI.A.3 Note", "Consent and how the image was obtained",
           "A person may consent to having their image captured during a consensual encounter (VI.B.4). Nobody may "
           "be detained without legal justification just to take a photograph (VI.B.5).\n\n"
           "When a photograph of a person was taken without consent, you must record why the person could not "
           "consent and the purpose of the submission (VI.A.3 Note). When the image was not captured by the agency "
           "from the person (for example a still from crime-scene video), you record its source."},
    Lesson{"originals", "VI.B.2", "Originals are never altered",
           "The original image is kept exactly as received; FaceLead stores its SHA-256 fingerprint and checks it "
           "every time the image is read. Any enhancement (crop, rotation, brightness, sharpening) is made on a "
           "copy, saved as a separate image and documented with each step, its parameters, the date, the time and "
           "who made it (VI.B.2)."},
    Lesson{"leads_only", "VI.B.1, V", "Results are investigative leads only",
           "A candidate list is advisory. A result is an investigative lead only: it is not a positive "
           "identification and does not establish probable cause (VI.B.1, definition of Identification in V). "
           "Never write 'match' or 'identified' about a candidate. Any connection between a candidate and the "
           "investigation must be established by further investigative methods."},
    Lesson{"follow_up_review", "VI.B.3, VI.C.1", "Confirmation, follow-up and supervisor review",
           "The assigned case officer evaluates every possible lead (VI.B.3) and records the follow-up done to "
           "corroborate it. A supervisor reviewing the case confirms that follow-up was done before any action "
           "is taken (VI.C.1). Only then is a lead shown as cleared for action."},
    Lesson{"accountability", "VI.C.2, VI.B.6, VI.D.2", "Accountability, records and your account",
           "Every action in FaceLead is written to a tamper-evident audit log that the program administrator audits "
           "on request of the Intel Supervisor (VI.C.2.a-b) and reviews every year (VI.C.2.c). Accounts that are "
           "inactive are removed and their licence reissued (VI.C.2 NOTE).\n\n"
           "Everything FaceLead produces is criminal intelligence or active criminal investigative information and "
           "is released only in accordance with public-records law (VI.B.6, VI.C.2.d). Your account is personal: "
           "never share your password (VI.D.2.c)."},
};

// The wrong choices are as long and as detailed as the right one: the longest answer is not the right one (trial 82
// F7: always picking the longest scored 8 of 8). A test grades the longest and the shortest choices.
constexpr std::array<std::string_view, 4> kQ1{
    "Curiosity about a neighbour seen on a doorbell camera at night, while off duty",
    "Identifying an unconscious person who carries no identification",
    "Listing everyone who attended a lawful political rally in the city park",
    "Checking a photograph of a stranger a friend sent you",
};
constexpr std::array<std::string_view, 3> kQ2{
    "Yes, when the similarity score is above the agency's threshold and a supervisor agrees to it",
    "No, a result is an investigative lead only and must be corroborated by further investigation",
    "Yes, the top candidate is a positive identification once the case officer has looked at the photos",
};
constexpr std::array<std::string_view, 3> kQ3{
    "Edit the original so the search works better, noting the change in the case file afterwards",
    "Enhance a copy, saved separately with the steps, date, time and user recorded",
    "Replace the original with the enhanced version once the case is closed",
};
constexpr std::array<std::string_view, 3> kQ4{
    "Nothing further: a photograph taken in a public place needs no record of how it was obtained",
    "Why the person could not consent and the purpose of the submission",
    "Only the date and the place the photograph was taken",
};
constexpr std::array<std::string_view, 3> kQ5{
    "Yes, if the person looks suspicious and refuses to tell you who they are when you ask them",
    "No, nobody may be detained without legal justification only to capture an image",
    "Yes, for at most ten minutes",
};
constexpr std::array<std::string_view, 3> kQ6{
    "The investigator who ran the search, as soon as the candidate list has been printed",
    "The supervisor, after confirming the case officer did the follow-up",
    "Nobody: the candidate list is enough",
};
constexpr std::array<std::string_view, 3> kQ7{
    "Yes, if they are also a trained and approved user of the same unit",
    "No, accounts and passwords are personal and never shared",
    "Yes, during a critical incident, when time matters more than whose account it is",
};
constexpr std::array<std::string_view, 3> kQ8{
    "Public information that can be posted freely",
    "Criminal intelligence or investigative information, released only under public-records law",
    "Private notes of the investigator, kept with the case file and shared with anyone who asks for them",
};

constexpr std::array kQuestions{
    QuizQuestion{"purpose_allowed", "VI.A.3, VI.B.7", "Which of these is an authorized purpose for a search?", kQ1, 1,
                 "VI.A.3 allows searches to identify a person unable to identify themselves. The other choices are "
                 "personal use (VI.B.7.a) or surveillance of protected activity (VI.B.7.e)."},
    QuizQuestion{"lead_only", "VI.B.1", "A candidate at the top of the list: is that enough for an arrest?", kQ2, 1,
                 "Results are advisory leads only and never establish probable cause on their own (VI.B.1)."},
    QuizQuestion{"enhance_copy", "VI.B.2", "The probe image is dark. What may you do?", kQ3, 1,
                 "Originals are never altered; enhancements are made on a documented copy (VI.B.2)."},
    QuizQuestion{"no_consent", "VI.A.3 Note", "A photograph was taken without the person's consent. What must you record?",
                 kQ4, 1, "The VI.A.3 Note requires the reason consent could not be given and the purpose of submission."},
    QuizQuestion{"no_detention", "VI.B.5", "May you stop a person only to take their photograph for a search?", kQ5, 1,
                 "VI.B.5 forbids detaining anyone without legal justification only to capture an image."},
    QuizQuestion{"review", "VI.B.3, VI.C.1", "Who clears a lead for action?", kQ6, 1,
                 "The case officer confirms and follows up (VI.B.3); a supervisor confirms the follow-up (VI.C.1)."},
    QuizQuestion{"personal_account", "VI.D.2.c", "May a colleague use your account?", kQ7, 1,
                 "Usernames and passwords are personal and confidential (VI.D.2.c)."},
    QuizQuestion{"records", "VI.B.6", "How is information from a search treated?", kQ8, 1,
                 "It is criminal intelligence or investigative information under public-records law (VI.B.6)."},
};

}  // namespace

std::span<const Lesson> lessons() { return kLessons; }
std::span<const QuizQuestion> quizQuestions() { return kQuestions; }

namespace {

// Fisher-Yates with an unbiased uniform draw.
template <typename T>
void shuffle(std::vector<T>& items) {
    for (std::size_t i = items.size(); i > 1; --i)
        std::swap(items[i - 1], items[randombytes_uniform(static_cast<std::uint32_t>(i))]);
}

}  // namespace

QuizPaper drawQuizPaper() {
    QuizPaper paper;
    for (std::size_t q = 0; q < kQuestions.size(); ++q) {
        QuizPaper::Item item{q, {}};
        for (int c = 0; c < static_cast<int>(kQuestions[q].choices.size()); ++c) item.choiceOrder.push_back(c);
        shuffle(item.choiceOrder);
        paper.items.push_back(std::move(item));
    }
    shuffle(paper.items);
    return paper;
}

QuizAnswers answersInCourseOrder(const QuizPaper& paper, const std::vector<int>& chosenPositions) {
    QuizAnswers answers;
    answers.chosen.assign(kQuestions.size(), -1);
    for (std::size_t i = 0; i < paper.items.size() && i < chosenPositions.size(); ++i) {
        const auto& item = paper.items[i];
        const int position = chosenPositions[i];
        if (item.question < kQuestions.size() && position >= 0 &&
            static_cast<std::size_t>(position) < item.choiceOrder.size())
            answers.chosen[item.question] = item.choiceOrder[static_cast<std::size_t>(position)];
    }
    return answers;
}

QuizResult gradeQuiz(const QuizAnswers& answers, int passMarkPercent) {
    QuizResult result;
    result.total = static_cast<int>(kQuestions.size());
    result.passMarkPercent = passMarkPercent;
    for (std::size_t i = 0; i < kQuestions.size(); ++i) {
        const bool answered = i < answers.chosen.size();
        if (answered && answers.chosen[i] == kQuestions[i].correctChoice)
            ++result.correct;
        else
            result.missedQuestionIds.emplace_back(kQuestions[i].id);
    }
    // Integer comparison: 7 of 8 is 87.5 %, which must pass an 85 % mark.
    result.passed = result.correct * 100 >= passMarkPercent * result.total;
    return result;
}

}  // namespace facelead::training
