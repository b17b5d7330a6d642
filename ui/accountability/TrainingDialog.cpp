#include "ui/accountability/TrainingDialog.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QStyle>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>

#include "core/training/TrainingService.h"
#include "core/workflow/Access.h"
#include "ui/accountability/Common.h"
#include "ui/widgets/ScreenFit.h"
#include "ui/dialogs/ConfirmStep.h"
#include "ui/widgets/SteadyLabel.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/CoreServices.h"

namespace facelead::ui {

using accountability::qs;

TrainingDialog::TrainingDialog(AppContext& context, QWidget* parent)
    : QDialog(parent), context_(context), trainee_(new QComboBox(this)), result_(new QLabel(this)),
      signOff_(new QPushButton(tr("Sign off training for the trainee"), this)) {
    setWindowTitle(tr("Facial recognition user training (SOP 302.02 VI.D.2.b)"));
    setObjectName(QStringLiteral("trainingDialog"));
    resizeToFit(*this, {1000, 700});
    auto* layout = new QVBoxLayout(this);
    auto* tabs = new QTabWidget(this);
    tabs->addTab(buildLessons(), tr("1. Lessons"));
    tabs->addTab(buildQuiz(), tr("2. Quiz"));
    layout->addWidget(tabs);
    accountability::addScreenMarkings(layout, context_, this);
}

QWidget* TrainingDialog::buildLessons() {
    auto* page = new QWidget(this);
    auto* layout = new QHBoxLayout(page);
    auto* list = new QListWidget(page);
    auto* text = new QTextBrowser(page);
    // Each lesson on two lines, its SOP sections over its title, and the list as wide as its widest line:
    // nothing cut at the right, no sideways scroll (trial 10: "Consent and how the i…").
    int widest = 0;
    for (const auto& lesson : training::lessons()) {
        const QString citation = qs(lesson.citation), title = qs(lesson.title);
        list->addItem(citation + QLatin1Char('\n') + title);
        widest = std::max({widest, list->fontMetrics().horizontalAdvance(citation), list->fontMetrics().horizontalAdvance(title)});
    }
    list->setSpacing(3);
    list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    list->setFixedWidth(widest + 2 * list->frameWidth() + 2 * list->spacing() +
                        list->style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 16);
    connect(list, &QListWidget::currentRowChanged, text, [text](int row) {
        if (row < 0) return;
        const auto& lesson = training::lessons()[std::size_t(row)];
        QString html = QStringLiteral("<h2>%1</h2><p><i>SOP 302.02 %2</i></p>")
                           .arg(qs(lesson.title).toHtmlEscaped(), qs(lesson.citation).toHtmlEscaped());
        for (const auto& paragraph : qs(lesson.text).split(QStringLiteral("\n\n")))
            html += QStringLiteral("<p>%1</p>").arg(paragraph.toHtmlEscaped());
        text->setHtml(html);
    });
    list->setCurrentRow(0);
    layout->addWidget(list);
    layout->addWidget(text, 1);
    return page;
}

QWidget* TrainingDialog::buildQuiz() {
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    questionsArea_ = new QScrollArea(page);
    questionsArea_->setWidgetResizable(true);
    showPaper();
    layout->addWidget(questionsArea_, 1);

    auto* bottom = new QHBoxLayout;
    auto* gradeButton = new QPushButton(tr("Grade the quiz"), page);
    gradeButton->setObjectName(QStringLiteral("gradeQuiz"));
    connect(gradeButton, &QPushButton::clicked, this, [this] { grade(); });
    bottom->addWidget(gradeButton);
    bottom->addWidget(new QLabel(tr("Trainee:"), page));
    trainee_->setObjectName(QStringLiteral("trainee"));
    bottom->addWidget(trainee_, 1);
    signOff_->setObjectName(QStringLiteral("signOff"));
    signOff_->setEnabled(false);  // until the trainees are listed
    connect(signOff_, &QPushButton::clicked, this, [this] { signOff(); });
    // What was said about one trainee is never left standing beside another.
    connect(trainee_, &QComboBox::currentIndexChanged, this, [this] { showResult({}, {}); });
    bottom->addWidget(signOff_);
    layout->addLayout(bottom);
    result_->setObjectName(QStringLiteral("quizResult"));
    reserveLines(*result_, 2);  // the Trainee row stays put as results come and go (trial 10)
    layout->addWidget(result_);

    // Only a trainer or program administrator signs training off; others practise.
    trainee_->setEnabled(false);
    trainee_->addItem(tr("(practice only: a trainer signs training off)"));
    if (context_.signedIn() && workflow::mayPerform(context_.user().roles, workflow::Action::RecordTraining))
        context_.store().run(this, [](CoreServices& s) { return training::trainees(s.session()); },
                             [this](const Result<std::vector<accounts::User>>& users) { fillTrainees(users); });
    return page;
}

void TrainingDialog::showPaper() {
    questions_.clear();
    auto* inner = new QWidget(questionsArea_);
    auto* questionsLayout = new QVBoxLayout(inner);
    int index = 0;
    for (const auto& item : paper_.items) {
        const auto& q = training::quizQuestions()[item.question];
        auto* box = new QGroupBox(QStringLiteral("%1. %2  (%3)").arg(index + 1).arg(qs(q.prompt), qs(q.citation)), inner);
        auto* boxLayout = new QVBoxLayout(box);
        auto* group = new QButtonGroup(box);
        int position = 0;
        for (const int choice : item.choiceOrder) {
            auto* radio = new QRadioButton(qs(q.choices[std::size_t(choice)]), box);
            radio->setObjectName(QStringLiteral("q%1c%2").arg(index).arg(position));
            group->addButton(radio, position++);
            boxLayout->addWidget(radio);
        }
        questions_.push_back(group);
        questionsLayout->addWidget(box);
        ++index;
    }
    delete questionsArea_->takeWidget();  // the previous paper, if any
    questionsArea_->setWidget(inner);
}

void TrainingDialog::fillTrainees(const Result<std::vector<accounts::User>>& users) {
    if (!users) return;
    trainee_->clear();
    for (const auto& u : *users)
        trainee_->addItem(qs(u.username + " (" + u.displayName + ")"), QVariant::fromValue<qlonglong>(u.id));
    trainee_->setEnabled(trainee_->count() > 0);
    if (trainee_->count() == 0) trainee_->addItem(tr("(practice only: a trainer signs training off)"));
    signOff_->setEnabled(traineeChoiceAvailable());
    emit traineesListed();
}

void TrainingDialog::chooseAnswer(int item, int position) {
    if (auto* button = questions_.at(std::size_t(item))->button(position)) button->setChecked(true);
}

std::vector<int> TrainingDialog::answers() const {
    std::vector<int> positions;
    for (const auto* group : questions_) positions.push_back(group->checkedId());
    return positions;
}

void TrainingDialog::grade(Answer answer) {
    if (!context_.signedIn()) {
        if (answer) answer(tr("Sign in to take the quiz as yourself."));
        return;
    }
    context_.store().run(this, [paper = paper_, chosen = answers()](CoreServices& s) {
        return training::submitQuiz(s.session(), paper, chosen);
    }, [this, answer](const Result<training::QuizAttempt>& attempt) {
        if (!attempt) {
            showProblem(qs(attempt.error().message));
            if (answer) answer(qs(attempt.error().message));
            return;
        }
        // The score only: which answers were right is not shown, so a failed attempt teaches no answer key.
        const QString text = attempt->passed
                                 ? tr("Passed: %1 of %2 correct (pass mark %3 %). A trainer signs it off.")
                                 : tr("Not passed: %1 of %2 correct (pass mark %3 %). Review the lessons with your "
                                      "trainer and take the quiz again.");
        showResult(text.arg(attempt->correct).arg(attempt->total).arg(attempt->passMarkPercent),
                   attempt->passed ? QStringLiteral("color: #1b5e20;") : QStringLiteral("color: #b00020;"));
        // Trial 14B finding 7: the answers stayed ticked in the same order, and flipping them one by one between
        // grades found the key by elimination. A failed attempt is followed by a fresh, reshuffled, blank paper.
        if (!attempt->passed) {
            paper_ = training::drawQuizPaper();
            showPaper();
        }
        if (answer) answer(std::nullopt);
    });
}

bool TrainingDialog::traineeChoiceAvailable() const { return trainee_->isEnabled(); }

bool TrainingDialog::selectTrainee(const QString& username) {
    for (int i = 0; i < trainee_->count(); ++i)
        if (trainee_->itemText(i).startsWith(username + QStringLiteral(" ("))) {
            trainee_->setCurrentIndex(i);
            return true;
        }
    return false;
}

void TrainingDialog::signOff(Answer answer) {
    if (!context_.signedIn() || !traineeChoiceAvailable()) {
        if (answer) answer(tr("Only a trainer signs training off."));
        return;
    }
    // The core's checks come first (the trainer's own training, the trainee, a passed attempt of their own): a
    // refusal is shown at once and nothing is asked (issue 9 re-trial: "Sign off?" was asked of an untrained
    // trainer). Then the trainer sees what they sign off, read back from the audit log, and confirms.
    const auto traineeId = trainee_->currentData().toLongLong();
    context_.store().run(this, [traineeId](CoreServices& s) { return training::pendingSignOff(s.session(), traineeId); },
                         [this, traineeId, answer](const Result<training::QuizAttempt>& pending) {
        if (!pending) return showSignOff(Result<accounts::User>(pending.error()), answer);
        const QString title = tr("Sign off training");
        if (!confirmStep(this, title, signOffQuestion(*pending), title, AskReason::No)) {
            if (answer) answer(tr("Not signed off."));
            return;
        }
        context_.store().run(this, [traineeId](CoreServices& s) { return training::recordCompletion(s.session(), traineeId); },
                             [this, answer](const Result<accounts::User>& user) { showSignOff(user, answer); });
    });
}

QString TrainingDialog::signOffQuestion(const training::QuizAttempt& attempt) const {
    // The score is one unit for the eye: no line break inside "8 of 8 correct" (seen in a 1600x1000 screenshot).
    return tr("Latest quiz attempt of %1, on %2: %3\u00a0of\u00a0%4\u00a0correct (pass mark %5\u00a0%) — %6.\n\n"
              "Sign off this trainee's training (VI.D.2.b)?")
        .arg(trainee_->currentText(), localTime(attempt.attemptedAt))
        .arg(attempt.correct)
        .arg(attempt.total)
        .arg(attempt.passMarkPercent)
        .arg(attempt.passed ? tr("passed") : tr("NOT passed"));
}

void TrainingDialog::showSignOff(const Result<accounts::User>& user, const Answer& answer) {
    if (!user) {
        showProblem(qs(user.error().message));
    } else {
        showResult(tr("Training of %1 recorded, signed off by %2.").arg(qs(user->displayName), qs(context_.user().displayName)),
                   QStringLiteral("color: #1b5e20;"));
    }
    if (answer) answer(user ? std::nullopt : std::optional(qs(user.error().message)));
}

void TrainingDialog::showResult(const QString& text, const QString& style) {
    showRefusal(*result_, {});  // a refusal shown before no longer waits for an edit to go
    result_->setStyleSheet(style);
    result_->setText(text);
}

void TrainingDialog::showProblem(const QString& refusal) {
    makeErrorLine(*result_);  // the refusals of the core in the error style, as in every dialog
    showRefusal(*result_, refusal);
}

QString TrainingDialog::resultText() const { return result_->text(); }

}  // namespace facelead::ui
