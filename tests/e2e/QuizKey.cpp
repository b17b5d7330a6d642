// facelead-e2e-quiz-key: the answer key of the training quiz, from the core's course (what a trainee who
// knows the course knows): one line per question, "prompt<TAB>right choice". The end-to-end script reads
// the shuffled paper from the screen and picks these choices, wherever the paper shows them.

#include <iostream>

#include "core/training/Course.h"

int main() {
    for (const auto& question : facelead::training::quizQuestions())
        std::cout << question.prompt << '\t' << question.choices[std::size_t(question.correctChoice)] << '\n';
    return 0;
}
