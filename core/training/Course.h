#pragma once
// The in-app training course of SOP 302.02 (VI.C.3.b, VI.D.2.b): short lessons on the policy's rules and a
// quiz. Passing the quiz, signed off by a trainer, is what records a user's training as complete.
// Pure values: no I/O. Every lesson and question cites the section it teaches.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace facelead::training {

// Bump when lessons or questions change in substance: records keep the version they were passed under.
inline constexpr int kCourseVersion = 1;

struct Lesson {
    std::string_view id;
    std::string_view citation;  // e.g. "VI.A"
    std::string_view title;
    std::string_view text;      // plain paragraphs separated by blank lines
};

struct QuizQuestion {
    std::string_view id;
    std::string_view citation;
    std::string_view prompt;
    std::span<const std::string_view> choices;
    int correctChoice = 0;          // index into choices
    std::string_view explanation;   // shown after grading: why the answer is right
};

std::span<const Lesson> lessons();
std::span<const QuizQuestion> quizQuestions();

// One chosen choice index per question, in quizQuestions() order; -1 = unanswered.
struct QuizAnswers {
    std::vector<int> chosen;
};

struct QuizResult {
    int correct = 0;
    int total = 0;
    int passMarkPercent = 0;
    bool passed = false;
    std::vector<std::string> missedQuestionIds;  // wrong or unanswered, to review with the trainer

    int percent() const { return total == 0 ? 0 : correct * 100 / total; }
};

// The agency setting holding the pass mark (admin::AgencySettings::trainingPassMarkPercent) and its default.
inline constexpr const char* kPassMarkSettingKey = "admin.training_pass_mark_percent";
inline constexpr int kDefaultPassMarkPercent = 80;

// The quiz as shown to one trainee (issue 9 item 3): the questions in a random order and each question's
// choices in a random order, so the position of an answer teaches nothing and no two papers are alike.
struct QuizPaper {
    struct Item {
        std::size_t question = 0;      // index into quizQuestions()
        std::vector<int> choiceOrder;  // shown position -> index into that question's choices
    };
    std::vector<Item> items;
};
QuizPaper drawQuizPaper();  // libsodium's randombytes_uniform: unpredictable, not seeded by time

// The positions the trainee chose, one per item of the paper (-1 = unanswered), as answers in course order.
QuizAnswers answersInCourseOrder(const QuizPaper& paper, const std::vector<int>& chosenPositions);

// Grades against the agency's pass mark (AgencySettings::trainingPassMarkPercent). Answers of the wrong
// count are graded as far as they go; missing ones count as wrong.
QuizResult gradeQuiz(const QuizAnswers& answers, int passMarkPercent);

}  // namespace facelead::training
