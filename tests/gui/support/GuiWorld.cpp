#include "tests/gui/support/GuiWorld.h"

#include <QApplication>
#include <QAbstractButton>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QThread>
#include <QTimer>

#include <catch2/catch.hpp>

#include "core/accounts/AccountService.h"
#include "core/accounts/Session.h"
#include "core/gallery/Gallery.h"
#include "ui/workstation/CoreServices.h"
#include "tests/support/OwnKey.h"

namespace facelead::test {

namespace {

accounts::SecurityPolicy fastPolicy() {
    accounts::SecurityPolicy policy;
    policy.kdf = store::KdfParams::minimum();  // keeps the suite fast; the product uses interactive()
    return policy;
}

template <typename T>
T must(Result<T> result, const char* what) {
    if (!result) FAIL(std::string(what) + ": " + result.error().message);
    return std::move(result.value());
}

void must(Result<void> result, const char* what) {
    if (!result) FAIL(std::string(what) + ": " + result.error().message);
}

}  // namespace

QApplication& guiApp() {
    static int argc = 1;
    static char name[] = "facelead-gui-test";
    static char* argv[] = {name, nullptr};
    // Deliberately never destroyed: a QApplication destroyed among the static destructors, after Qt's own
    // globals are gone, crashes on the xcb platform. The process is exiting anyway.
    static QApplication* app = new QApplication(argc, argv);
    return *app;
}

bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < timeoutMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(5);
    }
    QCoreApplication::processEvents();
    return done();
}

std::optional<QString> awaitAnswer(const std::function<void(ui::Answer)>& start) {
    std::optional<std::optional<QString>> answered;
    start([&answered](std::optional<QString> refusal) { answered.emplace(std::move(refusal)); });
    if (!waitUntil([&] { return answered.has_value(); })) throw std::runtime_error("no answer came");
    return *answered;
}

std::unique_ptr<QTimer> answerModals(std::function<void(QWidget& modal)> answer, int intervalMs) {
    auto timer = std::make_unique<QTimer>();
    QObject::connect(timer.get(), &QTimer::timeout, timer.get(), [answer = std::move(answer)] {
        if (QWidget* modal = QApplication::activeModalWidget()) answer(*modal);
    });
    timer->start(intervalMs);
    return timer;
}

std::vector<QRect> aimedGeometry(QWidget& window) {
    std::vector<QRect> rects{QRect(window.pos(), window.size())};
    for (QWidget* aimed : window.findChildren<QWidget*>())
        if (aimed->isVisible() && (qobject_cast<QLineEdit*>(aimed) || qobject_cast<QPlainTextEdit*>(aimed) ||
                                   qobject_cast<QComboBox*>(aimed) || qobject_cast<QAbstractButton*>(aimed)))
            rects.push_back(QRect(aimed->mapTo(&window, QPoint(0, 0)), aimed->size()));
    return rects;
}

bool answerConfirmation(QWidget& modal, bool goAhead, QString* question) {
    auto* box = qobject_cast<QMessageBox*>(&modal);
    if (!box) return false;
    if (question) *question = box->text();
    for (QAbstractButton* button : box->buttons())
        if (box->buttonRole(button) == (goAhead ? QMessageBox::AcceptRole : QMessageBox::RejectRole)) {
            button->click();
            return true;
        }
    return false;
}

GuiWorld* GuiWorld::get() {
    guiApp();
    static std::unique_ptr<GuiWorld> world;
    static bool tried = false;
    if (!tried) {
        tried = true;
        std::unique_ptr<GuiWorld> candidate(new GuiWorld);
        if (candidate->build()) world = std::move(candidate);
    }
    return world.get();
}

bool GuiWorld::build() {
    auto faces = requireFaces();
    auto models = requireModels();
    if (!faces || !models) return false;
    faces_ = *faces;
    face::EngineConfig config;
    config.modelsDir = *models;
    config.threads = 2;
    engine_ = must(face::FaceEngine::create(config), "face engine");

    auto clock = std::make_shared<SystemClock>();
    auto created = must(accounts::createStore(storePath(), "admin", "Ada Admin", kPassword, clock, fastPolicy()),
                        "create store");
    accounts::Session admin = std::move(created.session);
    // The founder "wrote the recovery key down" (else the main window offers it again at admin's sign-in).
    must(accounts::confirmRecoveryKey(admin), "confirm the recovery key");
    accounts::AccountService accounts(admin);
    using workflow::Role;
    // The administrator sets an initial password; each user chooses their own at first sign-in (issue 9).
    const std::string initial = "initial password 4 you";
    auto ivan = must(accounts.addUser({"ivan", "Ivan Investigator", {Role::Investigator, Role::CaseOfficer, Role::Supervisor}},
                                      initial), "add ivan");
    auto sue = must(accounts.addUser({"sue", "Sue Supervisor", {Role::Supervisor}}, initial), "add sue");
    const auto firstSignIn = [&](const std::string& name) { return must(changeOwnPassword(name, initial), "own password"); };
    // Two persons give access: the founding administrator approves ivan (while alone), ivan approves sue.
    must(accounts.approve(ivan.id), "approve ivan");
    auto ivanSession = firstSignIn("ivan");
    must(facelead::test::approveOwnKey(admin, ivanSession), "approve ivan's own key");
    must(accounts::AccountService(ivanSession).approve(sue.id), "approve sue");
    auto sueSession = firstSignIn("sue");
    must(facelead::test::approveOwnKey(ivanSession, sueSession), "approve sue's own key");
    for (std::int64_t id : {ivan.id, sue.id}) must(accounts.recordTraining(id, clock->now()), "training");
    // The gallery: photos 2-5 of each bbt identity.
    std::vector<gallery::EnrolItem> items;
    for (const char* name : {"amy", "bernadette", "howard", "leonard", "penny", "raj", "sheldon", "stuart"}) {
        for (int n = 2; n <= 5; ++n)
            items.push_back({faces_ / "bbt" / name / (std::string(name) + std::to_string(n) + ".png"),
                             {name, std::nullopt, "test booking photos", std::nullopt}});
    }
    gallery::Gallery gallery;
    must(gallery.load(admin.store()), "gallery load");
    auto report = must(gallery.enrol(admin.store(), *engine_, {admin.userId(), admin.user().roles}, items), "enrol");
    REQUIRE(report.count(gallery::EnrolOutcome::Enrolled) >= 16);
    return true;
}

Result<accounts::Session> GuiWorld::coreSignIn(const std::string& username, const std::string& password) const {
    return accounts::signIn(storePath(), username, password, std::make_shared<SystemClock>(), fastPolicy());
}

Result<accounts::Session> GuiWorld::changeOwnPassword(const std::string& username, const std::string& initial) {
    auto session = coreSignIn(username, initial);
    if (!session) return session.error();
    FACELEAD_TRY(accounts::AccountService(*session).changePassword(initial, kPassword));
    return session;
}

Result<accounts::Session> GuiWorld::chooseOwnPassword(const std::string& username, const std::string& initial) {
    auto session = changeOwnPassword(username, initial);
    if (!session) return session.error();
    auto sue = coreSignIn("sue", kPassword);
    if (!sue) return sue.error();
    FACELEAD_TRY(approveOwnKey(*sue, *session));
    return session;
}

std::unique_ptr<ui::AppContext> GuiWorld::signIn(const std::string& username, const std::string& password) {
    auto context = std::make_unique<ui::AppContext>(
        QString::fromStdString((dir_ / ("settings-" + std::to_string(++contexts_) + ".ini")).string()));
    context->securityPolicy() = fastPolicy();
    context->settings().storePath = QString::fromStdString(storePath().string());
    context->setEngine(engine_);
    const auto refusal = awaitAnswer([&](ui::Answer answer) {
        context->openSession(context.get(), [path = storePath(), username, password, clock = context->clock(),
                                             policy = context->securityPolicy()] {
            return accounts::signIn(path, username, password, clock, policy);
        }, std::move(answer));
    });
    if (refusal) throw std::runtime_error("sign in: " + refusal->toStdString());
    return context;
}

}  // namespace facelead::test
