// training quiz / training record: the training office's part of SOP 302.02 VI.D.2.b from the command line.
// The trainee takes the quiz signed in as themselves; the trainer signs off that trainee's own passed
// attempt. Both are checked and audited by the core (training::submitQuiz, training::recordCompletion).

#include <charconv>
#include <iostream>
#include <optional>
#include <string>

#include "app/cli/Args.h"
#include "app/cli/CliCommon.h"
#include "app/cli/Commands.h"
#include "core/accounts/AccountService.h"
#include "core/training/TrainingService.h"

namespace facelead::cli {
namespace {

constexpr const char* kTrainingHelp =
    "usage: facelead-cli training quiz [--store PATH] --user YOU\n"
    "       facelead-cli training record TRAINEE --trainer NAME [--store PATH]\n"
    "  quiz: the questions, in a shuffled order; answer each with the number of a choice (one per line).\n"
    "        Every attempt is recorded; only the score is shown.\n"
    "  record: NAME (a trainer or program administrator) signs off TRAINEE's own latest passed quiz\n"
    "          (SOP 302.02 VI.D.2.b). Passwords are read from the terminal or standard input.\n";

int usage(const std::string& problem) {
    if (!problem.empty()) std::cerr << "facelead-cli: " << problem << '\n';
    std::cerr << kTrainingHelp;
    return 2;
}

// The position (0-based) of the choice typed as its number 1..choices; asks again after anything else (issue 9
// re-trial: a slip of the keyboard left a question unanswered). nullopt when the input ends.
std::optional<int> readChoice(std::size_t choices) {
    while (true) {
        std::cout << "Your answer: " << std::flush;
        std::string line;
        if (!std::getline(std::cin, line)) return std::nullopt;
        int number = 0;
        const auto [end, problem] = std::from_chars(line.data(), line.data() + line.size(), number);
        if (problem == std::errc() && end == line.data() + line.size() && number >= 1 && std::size_t(number) <= choices)
            return number - 1;
        std::cout << "Answer with the number of a choice, 1 to " << choices << ".\n";
    }
}

int takeQuiz(const Args& args) {
    auto session = signIn(args);
    if (!session) return 1;
    const auto paper = training::drawQuizPaper();
    std::vector<int> chosen;
    int number = 0;
    for (const auto& item : paper.items) {
        const auto& question = training::quizQuestions()[item.question];
        std::cout << '\n' << ++number << ". " << question.prompt << "  (" << question.citation << ")\n";
        for (std::size_t position = 0; position < item.choiceOrder.size(); ++position)
            std::cout << "   " << position + 1 << ") " << question.choices[std::size_t(item.choiceOrder[position])] << '\n';
        const auto answer = readChoice(item.choiceOrder.size());
        if (!answer) break;  // input ended: the core refuses the paper, naming how many are unanswered
        chosen.push_back(*answer);
    }
    auto attempt = training::submitQuiz(*session, paper, chosen);
    if (!attempt) return fail(attempt.error());
    std::cout << '\n'
              << (attempt->passed ? "Passed: " : "Not passed: ") << attempt->correct << " of " << attempt->total
              << " correct (pass mark " << attempt->passMarkPercent << " %). "
              << (attempt->passed ? "A trainer signs it off: facelead-cli training record.\n"
                                  : "Review the lessons with your trainer and take the quiz again.\n");
    return attempt->passed ? 0 : 1;
}

int recordTraining(const Args& args) {
    if (args.positionals().size() != 2) return usage("training record needs the TRAINEE's user name");
    const auto trainer = args.option("trainer");
    if (!trainer) return usage("--trainer NAME is required: the trainer signs in to sign off");
    auto session = signIn(args, "trainer");
    if (!session) return 1;
    auto trainee = accounts::AccountService(*session).findByUsername(args.positionals()[1]);
    if (!trainee) return fail(trainee.error());
    auto recorded = training::recordCompletion(*session, trainee->id);
    if (!recorded) return fail(recorded.error());
    std::cerr << "Training of " << recorded->username << " recorded, signed off by " << *trainer << ".\n";
    return 0;
}

}  // namespace

int runTraining(const Words& words) {
    const Args args(words, {});
    if (args.flag("help")) {
        std::cout << kTrainingHelp;
        return 0;
    }
    if (!args.problem().empty()) return usage(args.problem());
    const std::string verb = args.positionals().empty() ? "" : args.positionals()[0];
    if (verb == "quiz") return takeQuiz(args);
    if (verb == "record") return recordTraining(args);
    return usage(verb.empty() ? "" : "unknown training command '" + verb + "'");
}

}  // namespace facelead::cli
