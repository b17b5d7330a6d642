#pragma once
// The in-app training (SOP 302.02 VI.D.2.b, VI.C.3.b): the lessons of the policy and the quiz. Anyone may
// study and practise; a trainer (or program administrator) chooses the trainee and, when the quiz is passed
// at the agency's pass mark, signs the training off (training::recordCompletion, audited).

#include <QDialog>

#include <optional>
#include <vector>

#include "core/accounts/AccountService.h"
#include "core/training/Course.h"
#include "ui/dialogs/SignInDialogs.h"

class QButtonGroup;
class QComboBox;
class QLabel;
class QPushButton;
class QTextBrowser;
class QListWidget;

namespace facelead::ui {

class AppContext;

class TrainingDialog : public QDialog {
    Q_OBJECT
public:
    explicit TrainingDialog(AppContext& context, QWidget* parent = nullptr);

    // For the quiz page and for tests: choose an answer (question and choice indices).
    void chooseAnswer(int question, int choice);
    training::QuizAnswers answers() const;
    training::QuizResult grade();                 // grades and shows the result
    bool traineeChoiceAvailable() const;          // the signed-in user may sign training off
    bool selectTrainee(const QString& username);
    // Records the last passed result for the chosen trainee (on the store thread); answer gets the refusal.
    void signOff(Answer answer = {});
    QString resultText() const;

signals:
    void traineesListed();

private:
    void fillTrainees(const Result<std::vector<accounts::User>>& users);
    QWidget* buildLessons();
    QWidget* buildQuiz();

    AppContext& context_;
    std::vector<QButtonGroup*> questions_;
    QComboBox* trainee_;
    QLabel* result_;
    QPushButton* signOff_;
    std::optional<training::QuizResult> lastResult_;
};

}  // namespace facelead::ui
