#pragma once
// Shared set-up for the GUI tests: the QApplication (offscreen platform, set by facelead_test), one face
// engine per executable, and a temporary case store with a small gallery and these accounts:
//   admin  program administrator + supervisor (created with the store)
//   ivan   investigator + case officer + supervisor, trained (runs searches, follows up; VI.C.1 self-review)
//   sue    supervisor, trained (reviews ivan's follow-ups)
// The gallery holds four photos each of the bbt identities (photo 1 of each is kept out as a probe).

#include <QObject>
#include <QRect>
#include <QString>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <vector>
#include <string>

#include "core/face/FaceEngine.h"
#include "tests/support/TestData.h"
#include "ui/dialogs/SignInDialogs.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/CoreServices.h"

class QApplication;
class QTimer;
class QWidget;

namespace facelead::test {

// The application object, created on first use.
QApplication& guiApp();

class GuiWorld {
public:
    // nullptr (test skipped, or failed under CI) when the face images or models are missing.
    static GuiWorld* get();

    const std::filesystem::path& faces() const { return faces_; }
    std::filesystem::path storePath() const { return dir_ / "gui.store"; }
    const TempDir& dir() const { return dir_; }
    std::shared_ptr<const face::FaceEngine> engine() const { return engine_; }

    // A fresh context (own settings file) signed in as the user, with the shared engine.
    std::unique_ptr<ui::AppContext> signIn(const std::string& username, const std::string& password = kPassword);
    // The user's first sign-in: their own password (kPassword) for the one an administrator set, and sue approves
    // the key it made (trial 63 F2). changeOwnPassword leaves the key waiting for that approval.
    Result<accounts::Session> chooseOwnPassword(const std::string& username, const std::string& initial);
    Result<accounts::Session> changeOwnPassword(const std::string& username, const std::string& initial);
    // A core session of the user, as facelead-cli opens one (no window).
    Result<accounts::Session> coreSignIn(const std::string& username, const std::string& password) const;

    static constexpr const char* kPassword = "correct-horse-battery-9";

private:
    GuiWorld() = default;
    bool build();

    TempDir dir_;
    std::filesystem::path faces_;
    std::shared_ptr<const face::FaceEngine> engine_;
    int contexts_ = 0;
};

// Waits (processing events) until done() or the timeout; returns done().
bool waitUntil(const std::function<bool()>& done, int timeoutMs = 60000);

// Runs job(CoreServices&) on the context's store thread and waits (processing events) for its result.
// For tests only: the workstation itself never waits on the store.
template <typename Job>
auto storeCall(ui::AppContext& context, Job job) {
    using R = std::invoke_result_t<Job&, ui::CoreServices&>;
    std::optional<R> out;
    QObject guard;
    context.store().run(&guard, std::move(job), [&out](R result) { out.emplace(std::move(result)); });
    if (!waitUntil([&] { return out.has_value(); })) throw std::runtime_error("store job timed out");
    return std::move(*out);
}

// Starts an asynchronous attempt (start(answer)) and waits for its answer: the refusal or nullopt.
std::optional<QString> awaitAnswer(const std::function<void(ui::Answer)>& start);

// Answers the dialogs that the code under test opens with exec() (or shows window-modal): while the
// returned timer lives, QApplication::activeModalWidget() is offered to `answer` every intervalMs, from the
// event loop the dialog runs (so only while the GUI thread keeps turning). `answer` records what it sees
// for the test to CHECK afterwards; it must not throw (no REQUIRE inside it).
std::unique_ptr<QTimer> answerModals(std::function<void(QWidget& modal)> answer, int intervalMs = 10);

// Where everything a user aims at in `window` is: the window itself, then each visible field, combo box and
// button (in the window's coordinates). A message appearing must leave it unchanged (issue 9, trial 10).
std::vector<QRect> aimedGeometry(QWidget& window);

// Answers a confirmation asked by ui::confirmStep without a reason (a QMessageBox): records its question
// in *question, then goes ahead (the button that names the step) or cancels. False when modal is not one.
bool answerConfirmation(QWidget& modal, bool goAhead, QString* question = nullptr);

}  // namespace facelead::test
