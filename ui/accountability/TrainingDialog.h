#pragma once
// The in-app training (SOP 302.02 VI.D.2.b, VI.C.3.b): the lessons of the policy and the quiz. The signed-in
// user takes the quiz as themselves (a shuffled paper; every attempt is graded and audited by
// training::submitQuiz, which reveals the score only); a trainer (or program administrator) signs off a
// trainee's own passed attempt (training::recordCompletion).

#include <QDialog>

#include <optional>
#include <vector>

#include "core/accounts/AccountService.h"
#include "core/training/Course.h"
#include "core/training/TrainingService.h"
#include "ui/dialogs/SignInDialogs.h"

class QButtonGroup;
class QComboBox;
class QLabel;
class QPushButton;
class QScrollArea;
class QTextBrowser;
class QListWidget;

namespace facelead::ui {

class AppContext;

class TrainingDialog : public QDialog {
    Q_OBJECT
public:
    explicit TrainingDialog(AppContext& context, QWidget* parent = nullptr);

    // For the quiz page and for tests: choose an answer (item of the paper, shown position).
    void chooseAnswer(int item, int position);
    const training::QuizPaper& paper() const { return paper_; }
    std::vector<int> answers() const;
    // The signed-in user's own attempt, graded and recorded on the store thread; shows the score only.
    // answer gets the refusal (nullopt: graded, passed or not).
    void grade(Answer answer = {});
    bool traineeChoiceAvailable() const;          // the signed-in user may sign training off
    bool selectTrainee(const QString& username);
    // Shows the chosen trainee's latest quiz attempt (score, date, passed or not) for confirmation, then signs
    // off their own passed attempt (on the store thread); answer gets the refusal.
    void signOff(Answer answer = {});
    QString resultText() const;

signals:
    void traineesListed();

private:
    void fillTrainees(const Result<std::vector<accounts::User>>& users);
    QWidget* buildLessons();
    QWidget* buildQuiz();
    void showPaper();  // paper_'s questions, none answered, in questionsArea_
    QString signOffQuestion(const training::QuizAttempt& attempt) const;
    void showSignOff(const Result<accounts::User>& user, const Answer& answer);
    void showResult(const QString& text, const QString& style);  // a score or a sign-off, in `style`
    void showProblem(const QString& refusal);                    // the core's refusal, in the error style

    AppContext& context_;
    QScrollArea* questionsArea_ = nullptr;
    std::vector<QButtonGroup*> questions_;
    QComboBox* trainee_;
    QLabel* result_;
    QPushButton* signOff_;
    training::QuizPaper paper_ = training::drawQuizPaper();
};

}  // namespace facelead::ui
