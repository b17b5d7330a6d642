#pragma once
// Answering a drawn quiz paper, as a trainee who knows the course would (or would not).

#include <vector>

#include "core/training/Course.h"

namespace facelead::test {

// The shown position of each item's correct choice (wrong = the position next to it).
inline std::vector<int> quizPositions(const training::QuizPaper& paper, bool correct = true) {
    std::vector<int> positions;
    for (const auto& item : paper.items) {
        const int right = training::quizQuestions()[item.question].correctChoice;
        int position = 0;
        while (item.choiceOrder[static_cast<std::size_t>(position)] != right) ++position;
        if (!correct) position = (position + 1) % static_cast<int>(item.choiceOrder.size());
        positions.push_back(position);
    }
    return positions;
}

}  // namespace facelead::test
