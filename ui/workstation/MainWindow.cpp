#include "ui/workstation/MainWindow.h"

#include <sodium.h>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QStatusBar>
#include <QTabWidget>
#include <QTextBrowser>
#include <QKeyEvent>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <filesystem>
#include <memory>
#include <optional>

#include "core/accounts/AccountService.h"
#include "core/accounts/Authority.h"
#include "core/accounts/Session.h"
#include "core/accounts/WarningAdvice.h"
#include "core/admin/Administration.h"
#include "ui/dialogs/SecondFactorDialog.h"
#include "ui/dialogs/SignInDialogs.h"
#include "ui/results/ResultsWindow.h"
#include "ui/widgets/PolicyBanner.h"
#include "ui/widgets/ScreenFit.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/CoreServices.h"
#include "ui/workstation/Pages.h"
#include "ui/workstation/ReloadWhenActivated.h"
#include "ui/workstation/WorkstationPage.h"

namespace facelead::ui {

namespace {
const auto kGeometryKey = QStringLiteral("mainWindow/geometry");
const auto kStateKey = QStringLiteral("mainWindow/state");
const auto kLastUserKey = QStringLiteral("signIn/lastUser");

QString rolesText(const workflow::RoleSet& roles) {
    QStringList names;
    for (workflow::Role role : roles) names << QString::fromUtf8(workflow::roleLabel(role).data(), qsizetype(workflow::roleLabel(role).size()));
    return names.join(QStringLiteral(", "));
}

QString fromStd(const std::string& text) { return QString::fromStdString(text); }
QString fromView(std::string_view text) { return QString::fromUtf8(text.data(), qsizetype(text.size())); }

}  // namespace

QString rolePermissionsHtml() {
    QString rows;
    for (workflow::Action action : workflow::allActions()) {
        QStringList roles;
        for (workflow::Role role : workflow::rolesFor(action)) roles << fromView(workflow::roleLabel(role));
        const std::string_view citation = workflow::actionCitation(action);
        rows += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td></tr>")
                    .arg(fromView(workflow::actionLabel(action)).toHtmlEscaped(), roles.join(QStringLiteral(", ")),
                         citation.empty() ? QString() : fromView(citation).toHtmlEscaped());
    }
    return MainWindow::tr("<p>What each role may do, as the core checks it for the workstation and facelead-cli "
                          "alike; every refusal is in the audit log.</p>"
                          "<table cellpadding=\"3\"><tr><th align=\"left\">Action</th><th align=\"left\">Roles</th>"
                          "<th align=\"left\">SOP 302.02</th></tr>%1</table>")
        .arg(rows);
}

MainWindow::MainWindow(AppContext& context, QWidget* parent)
    : QMainWindow(parent), context_(context), tabs_(new QTabWidget(this)), idleTimer_(new QTimer(this)) {
    setWindowTitle(tr("FaceLead — Facial Recognition Investigative Workstation"));
    setObjectName(QStringLiteral("mainWindow"));

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(new PolicyBanner(PolicyBanner::Kind::Intelligence, central));
    trainingBanner_ = new PolicyBanner(PolicyBanner::Kind::Training, central);
    trainingBanner_->setVisible(context_.trainingMode());
    layout->addWidget(trainingBanner_);
    tabs_->setAccessibleName(tr("Workstation sections"));
    tabs_->setDocumentMode(true);
    layout->addWidget(tabs_, 1);
    setCentralWidget(central);

    createActions();
    createMenus();
    pages_ = makePages(context_, *this);
    casesPage(pages_)->followActions(*newCaseAction_, *newSearchAction_);
    for (WorkstationPage* page : pages_) tabs_->addTab(page, page->title());

    userLabel_ = new QLabel(this);
    userLabel_->setAccessibleName(tr("Signed-in user"));
    engineLabel_ = new QLabel(this);
    engineLabel_->setObjectName(QStringLiteral("engineStatus"));
    engineLabel_->setAccessibleName(tr("Face engine status"));
    engineLabel_->setWordWrap(false);
    statusBar()->addWidget(userLabel_);
    statusBar()->addPermanentWidget(engineLabel_);

    connect(&context_, &AppContext::sessionChanged, this, &MainWindow::updateSessionState);
    connect(&context_, &AppContext::engineChanged, this, &MainWindow::updateEngineState);
    connect(&context_, &AppContext::trainingModeChanged, trainingBanner_, &QWidget::setVisible);
    connect(&context_, &AppContext::storeChanged, this, &MainWindow::refreshPages);
    // Issue 9: the work lists stayed stale after another program changed the store.
    new ReloadWhenActivated(context_, *this, [this] { if (context_.signedIn()) refreshPages(); });

    idleTimer_->setSingleShot(true);
    connect(idleTimer_, &QTimer::timeout, this, &MainWindow::lock);
    // A deactivated officer must not keep working in a window left open (VI.C.2 NOTE, issue 8 item 3):
    // every job would be refused anyway, but the case material on screen would stay until the next click.
    admissionTimer_ = new QTimer(this);
    admissionTimer_->setInterval(std::chrono::seconds(30));
    connect(admissionTimer_, &QTimer::timeout, this, &MainWindow::checkStillAdmitted);
    admissionTimer_->start();
    qApp->installEventFilter(this);

    const QByteArray geometry = context_.qsettings().value(kGeometryKey).toByteArray();
    if (geometry.isEmpty() || !restoreGeometry(geometry)) resizeToFit(*this, {1280, 820});
    restoreState(context_.qsettings().value(kStateKey).toByteArray());

    updateSessionState();
    updateEngineState();
}

MainWindow::~MainWindow() { qApp->removeEventFilter(this); }

void MainWindow::createActions() {
    auto make = [this](const QString& text, const QKeySequence& shortcut, auto slot) {
        auto* action = new QAction(text, this);
        if (!shortcut.isEmpty()) action->setShortcut(shortcut);
        action->setToolTip(text.section(QLatin1Char('&'), 0).remove(QLatin1Char('&')));
        connect(action, &QAction::triggered, this, slot);
        return action;
    };
    newSearchAction_ = make(tr("New &search…"), QKeySequence::New, [this] { newSearch(); });
    newCaseAction_ = make(tr("New &case…"), QKeySequence(tr("Ctrl+Shift+N")), [this] { casesPage(pages_)->newCase(); });
    openCaseAction_ = make(tr("&Find case…"), QKeySequence::Find, [this] {
        tabs_->setCurrentWidget(casesPage(pages_));
        casesPage(pages_)->focusFilter();
    });
    refreshAction_ = make(tr("&Refresh"), QKeySequence::Refresh, [this] { refreshPages(); });
    enrolFolderAction_ = make(tr("Enrol from &folder…"), {}, [this] { galleryPage(pages_)->enrolFromFolder(); });
    enrolCsvAction_ = make(tr("Enrol from C&SV list…"), {}, [this] { galleryPage(pages_)->enrolFromCsv(); });
    lockAction_ = make(tr("&Lock"), QKeySequence(tr("Ctrl+L")), [this] { lock(); });
    signInAction_ = make(tr("Sign &in…"), {}, [this] { signIn(); });
    signOutAction_ = make(tr("Sign &out"), QKeySequence(tr("Ctrl+Shift+Q")), [this] { signOut(); });
    changePasswordAction_ = make(tr("Change my &password…"), {}, [this] { changeOwnPassword(); });
    quitAction_ = make(tr("&Quit"), QKeySequence::Quit, [this] { close(); });
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(signInAction_);
    file->addAction(lockAction_);
    file->addAction(changePasswordAction_);
    file->addAction(signOutAction_);
    file->addSeparator();
    file->addAction(quitAction_);

    QMenu* cases = menuBar()->addMenu(tr("&Cases"));
    cases->addAction(newSearchAction_);
    cases->addAction(newCaseAction_);
    cases->addAction(openCaseAction_);
    cases->addSeparator();
    cases->addAction(refreshAction_);

    QMenu* gallery = menuBar()->addMenu(tr("&Gallery"));
    gallery->addAction(enrolFolderAction_);
    gallery->addAction(enrolCsvAction_);

    // Filled by ui/accountability (admin screens, audit viewer, statistics, reports, training mode).
    administrationMenu_ = menuBar()->addMenu(tr("&Administration"));
    administrationMenu_->setObjectName(QStringLiteral("administrationMenu"));
    reportsMenu_ = menuBar()->addMenu(tr("&Reports"));
    reportsMenu_->setObjectName(QStringLiteral("reportsMenu"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Policy rules (SOP 302.02)…"), this, [this] { showPolicySummary(); });
    help->addAction(tr("&Who may do what…"), this, [this] { showRoleTable(); });
    help->addAction(tr("&About FaceLead…"), this, [this] { showAbout(); });

    toolBar_ = addToolBar(tr("Main"));
    toolBar_->setObjectName(QStringLiteral("mainToolBar"));
    toolBar_->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolBar_->addAction(newSearchAction_);
    toolBar_->addAction(newCaseAction_);
    toolBar_->addAction(refreshAction_);
    toolBar_->addSeparator();
    toolBar_->addAction(lockAction_);
    toolBar_->addAction(signOutAction_);
}

QString MainWindow::engineStatusText() const { return engineLabel_->text(); }
QString MainWindow::signedInText() const { return userLabel_->text(); }

void MainWindow::updateEngineState() {
    engineLabel_->setText(context_.engineStatusText());
    engineLabel_->setStyleSheet(context_.engineReady() ? QStringLiteral("color:#1b5e20;")
                                                       : QStringLiteral("color:#b00020; font-weight:bold;"));
    engineLabel_->setToolTip(context_.engineStatusText());
    const bool ready = context_.signedIn() && context_.engineReady();
    // The request (case, purpose, justification, attestations) does not need the engine: a detective starts
    // it while the models load; the face page says when detection is not ready yet.
    enrolFolderAction_->setEnabled(ready && may(workflow::Action::ManageGallery));
    enrolCsvAction_->setEnabled(ready && may(workflow::Action::ManageGallery));
}

void MainWindow::updateSessionState() {
    const bool in = context_.signedIn();
    if (in) {
        const accounts::User& user = context_.user();
        userLabel_->setText(tr("Signed in: %1 (%2) — %3")
                                .arg(fromStd(user.displayName), fromStd(user.username), rolesText(user.roles)));
    } else {
        userLabel_->setText(tr("Not signed in"));
    }
    for (QAction* action : {refreshAction_, lockAction_, signOutAction_, changePasswordAction_})
        action->setEnabled(in);
    signInAction_->setEnabled(!in);
    tabs_->setEnabled(in);
    // Each role sees the sections it may use (a trainer: none of the case material).
    for (int tab = 0; tab < int(pages_.size()); ++tab)
        tabs_->setTabVisible(tab, !in || may(pages_[std::size_t(tab)]->requiredAction()));
    newSearchAction_->setEnabled(false);  // until the core's search gate has answered (refreshPages)
    newCaseAction_->setEnabled(in && may(workflow::Action::CreateCase));
    newCaseAction_->setToolTip(!in || newCaseAction_->isEnabled()
                                   ? tr("New case")
                                   : tr("New case is not available: your roles do not include one that opens cases."));
    openCaseAction_->setEnabled(in && may(workflow::Action::ViewCase));
    updateEngineState();
    refreshPages();
    restartIdleTimer();
}

void MainWindow::refreshPages() {
    if (context_.signedIn() && context_.passwordChangeDue()) return;  // each read would only be refused
    for (WorkstationPage* page : pages_)
        if (context_.signedIn() ? may(page->requiredAction()) : true) page->refresh();  // signed out: each empties itself
    updateSearchGate();  // a sign-off or an approval may have opened it, a suspension closed it
}

void MainWindow::updateSearchGate() {
    if (!context_.signedIn()) return;
    context_.store().run(this, [](CoreServices& s) { return s.cases().searchGate(); }, [this](const auto& gate) {
        if (!context_.signedIn()) return;
        const QString why = gate ? QString() : fromStd(gate.error().message);
        newSearchAction_->setEnabled(gate.ok());
        newSearchAction_->setToolTip(gate ? tr("New search") : tr("New search is not available: %1").arg(why));
        newSearchAction_->setStatusTip(why);
    });
}

bool MainWindow::may(workflow::Action action) const {
    return context_.signedIn() && workflow::mayPerform(context_.user().roles, action);
}

bool MainWindow::signIn() {
    const std::shared_ptr<const Clock> clock = context_.clock();
    while (true) {
        const QString storePath = QString::fromStdString(context_.storePath().string());
        if (!std::filesystem::exists(context_.storePath())) {
            // First run: offer to create the embedded default store (key derivation on the store thread).
            CreateStoreDialog create(storePath, [this, clock](const CreateStoreRequest& r, Answer answer) {
                context_.openSession(
                    this,
                    [r, clock, policy = context_.securityPolicy()]() -> Result<accounts::Session> {
                        auto created = accounts::createStore(r.storePath.toStdString(), r.username.toStdString(),
                                                             r.displayName.toStdString(), r.password.toStdString(),
                                                             clock, policy);
                        if (!created) return created.error();
                        // The key is read back from the store to be shown (offerUnconfirmedRecoveryKey).
                        sodium_memzero(created->recoveryKey.data(), created->recoveryKey.size());
                        return std::move(created->session);
                    },
                    [this, r, answer](std::optional<QString> refusal) {
                        if (!refusal) rememberStore(r.storePath, r.username);
                        answer(refusal);
                        if (!refusal) offerUnconfirmedRecoveryKey();
                    });
            }, this);
            if (create.exec() == QDialog::Accepted) return true;
        }
        SignInDialog dialog(storePath, context_.qsettings().value(kLastUserKey).toString(),
                            static_cast<bool>(trainerModeEntry_),
                            [this, clock](const SignInRequest& r, Answer answer) {
                                // Written on the store thread, read in the reply (queued after it).
                                auto enrolmentNeeded = std::make_shared<bool>(false);
                                context_.openSession(
                                    this,
                                    [r, clock, policy = context_.securityPolicy(), enrolmentNeeded] {
                                        auto session = admin::signIn(
                                            r.storePath.toStdString(), r.username.toStdString(),
                                            r.password.toStdString(), clock, policy,
                                            {r.secondFactorCode.toStdString(), std::nullopt});
                                        *enrolmentNeeded =
                                            !session && session.error().code == ErrorCode::SecondFactorEnrolmentRequired;
                                        return session;
                                    },
                                    [this, r, answer, enrolmentNeeded](std::optional<QString> refusal) {
                                        if (refusal && *enrolmentNeeded) enrolSecondFactor(r, *refusal, answer);
                                        else answerSignIn(r, refusal, answer);
                                    });
                            },
                            this);
        if (dialog.exec() == QDialog::Accepted) return true;
        if (dialog.trainerModeRequested()) {
            if (trainerModeEntry_(this)) return true;
            continue;
        }
        if (!dialog.createRequested()) return false;
        // "Create a new store…": point at a path that does not exist yet and loop to the creation dialog.
        context_.settings().storePath = QString::fromStdString(
            (context_.storePath().parent_path() / "facelead-new.store").string());
    }
}

void MainWindow::answerSignIn(const SignInRequest& request, std::optional<QString> refusal, const Answer& answer) {
    if (!refusal) rememberStore(request.storePath, request.username);
    answer(refusal);
    if (refusal) return;
    showSessionWarnings();
    offerUnconfirmedRecoveryKey();
    chooseOwnPasswordIfDue();
}

// Issue 9 item 7: the recovery key counts as kept only once its creator confirms writing it down; until then
// (the workstation was closed or killed while it was shown) it is offered again at each of their sign-ins,
// read back from the store, where it waits sealed to the creator's own key.
void MainWindow::offerUnconfirmedRecoveryKey() {
    context_.store().run(
        this, [](CoreServices& s) { return accounts::unconfirmedRecoveryKey(s.session()); },
        [this](Result<std::optional<std::string>> key) {
            if (!key || !*key) return;
            RecoveryKeyDialog dialog(fromStd(**key), this);
            sodium_memzero(key->value().data(), key->value().size());
            if (dialog.exec() != QDialog::Accepted) return;
            context_.store().run(this, [](CoreServices& s) { return accounts::confirmRecoveryKey(s.session()); },
                                 [this](const Result<void>& confirmed) {
                                     if (!confirmed)
                                         QMessageBox::warning(this, tr("Recovery key"), fromStd(confirmed.error().message));
                                 });
        });
}

void MainWindow::enrolSecondFactor(const SignInRequest& request, const QString& why, const Answer& answer) {
    auto enrolment = accounts::newEnrolment(request.username.toStdString());
    if (!enrolment) {
        answer(fromStd(enrolment.error().message));
        return;
    }
    SecondFactorEnrolmentDialog dialog(
        *enrolment, why,
        [this, request, enrolment = *enrolment](const QString& code, Answer confirm) {
            context_.openSession(
                this,
                [request, enrolment, code = code.toStdString(), clock = context_.clock(),
                 policy = context_.securityPolicy()] {
                    return admin::signIn(request.storePath.toStdString(), request.username.toStdString(),
                                         request.password.toStdString(), clock, policy, {code, enrolment});
                },
                std::move(confirm));
        },
        this);
    if (dialog.exec() == QDialog::Accepted)
        answerSignIn(request, std::nullopt, answer);
    else
        answer(tr("Signing in needs the second factor the agency requires: enrol your authenticator app."));
}

// The unlock's own enrolment: the same dialog as at sign-in, each code checked by a sign-in that opens no new session.
void MainWindow::enrolSecondFactorAtUnlock(const std::string& username, const QString& password, const QString& why,
                                           const Answer& answer) {
    auto enrolment = accounts::newEnrolment(username);
    if (!enrolment) return answer(fromStd(enrolment.error().message));
    SecondFactorEnrolmentDialog dialog(
        *enrolment, why,
        [this, username, password, enrolment = *enrolment](const QString& code, Answer confirm) {
            context_.store().runUnsigned(
                this,
                [storePath = context_.storePath(), username, password = password.toStdString(), code = code.toStdString(),
                 enrolment, clock = context_.clock(), policy = context_.securityPolicy()]() -> Result<void> {
                    auto check = accounts::signIn(storePath, username, password, clock, policy, {code, enrolment});
                    if (!check) return check.error();
                    return {};
                },
                [confirm](const Result<void>& enrolled) {
                    confirm(enrolled ? std::nullopt : std::optional(fromStd(enrolled.error().message)));
                });
        },
        this);
    if (dialog.exec() == QDialog::Accepted) return answer(std::nullopt);
    answer(tr("Unlocking needs the second factor the agency requires: enrol your authenticator app."));
}

void MainWindow::rememberStore(const QString& storePath, const QString& username) {
    context_.settings().storePath = storePath;
    context_.saveSettings();
    context_.qsettings().setValue(kLastUserKey, username);
}

// Issue 9 item 6: an administrator set this password (new account, reset); its owner chooses their own
// before anything else (the core refuses everything else with PasswordChangeRequired until then).
void MainWindow::chooseOwnPasswordIfDue() {
    context_.store().run(
        this, [](CoreServices& s) -> Result<bool> { return s.session().mustChangePassword(); },
        [this](const Result<bool>& due) {
            if (!due || !*due) return;
            if (replacePassword(tr("Choose your own password"),
                                tr("An administrator set your password. Type it, then choose your own (the "
                                   "agency's password rules apply):")))
                return;
            // Trial 14B finding 12: the message said "sign in again" and left the window signed in, its actions
            // offered. Nothing else is allowed, so the session ends here.
            QMessageBox::warning(this, tr("Choose your own password"),
                                 tr("The password was not changed. Until you choose your own, nothing else is "
                                    "allowed: you are signed out. Sign in again to choose it."));
            signOut();
        });
}

// What the core found at sign-in and already recorded in the audit log (the chain disagrees with its anchor
// outside the store: a rollback, truncation or a lost -wal; the anchor could not be written). The person
// signing in is told at once, not only whoever next runs "audit verify" (docs/SECURITY.md).
void MainWindow::showSessionWarnings() {
    context_.store().run(
        this,
        [](CoreServices& s) -> Result<std::vector<std::string>> {
            std::vector<std::string> warnings = s.session().warnings();
            if (const auto& anchor = s.store().anchorWarning()) warnings.push_back(*anchor);
            return warnings;
        },
        [this](const Result<std::vector<std::string>>& warnings) {
            if (warnings) showWarnings(*warnings);
        });
}

void MainWindow::showWarnings(const std::vector<std::string>& warnings) {
    if (warnings.empty()) return;
    QStringList lines;
    for (const std::string& warning : warnings) lines << fromStd(warning);
    lines << fromStd(accounts::adviceOnWarnings(context_.user(), warnings));
    auto* box = new QMessageBox(QMessageBox::Warning, tr("The audit log needs attention"),
                                lines.join(QStringLiteral("\n\n")), QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("sessionWarnings"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::changeOwnPassword() {
    if (context_.signedIn())
        replacePassword(tr("Change my password"),
                        tr("Type your current password, then the new one twice (the agency's password rules apply)."));
}

bool MainWindow::replacePassword(const QString& title, const QString& explanation) {
    // The core checks the current password and the agency's rules, and audits the change; after a password
    // someone else set, it answers with the fingerprint of the new key a supervisor approves (trial 63 F2).
    auto fingerprint = std::make_shared<std::optional<std::string>>();
    ChangePasswordDialog dialog(title, explanation, [this, fingerprint](const PasswordChange& change, Answer answer) {
        context_.store().run(
            this,
            [current = change.current.toStdString(), fresh = change.fresh.toStdString()](CoreServices& s)
                -> Result<std::optional<std::string>> {
                accounts::AccountService accounts(s.session());
                FACELEAD_TRY(accounts.changePassword(current, fresh));
                return accounts.ownKeyAwaitingApproval();
            },
            [answer, fingerprint](const Result<std::optional<std::string>>& changed) {
                if (changed) *fingerprint = *changed;
                answer(changed ? std::nullopt : std::optional(fromStd(changed.error().message)));
            });
    }, this);
    if (dialog.exec() != QDialog::Accepted) return false;
    if (*fingerprint) {  // still nothing to read: the pages stay empty until the sign-out (trial 64 F7)
        showKeyFingerprint(title, fromStd(**fingerprint));
        return true;
    }
    context_.passwordChosen();
    refreshPages();  // what they showed before ("choose your own password first") is out of date
    QMessageBox::information(this, title, tr("Your password was changed."));
    return true;
}

// Nothing else is allowed until a supervisor approves the new key (the core refuses it, and every sign-in says
// so with the same fingerprint): the session ends here rather than offer pages that would only be refused.
void MainWindow::showKeyFingerprint(const QString& title, const QString& fingerprint) {
    QMessageBox box(QMessageBox::Information, title,
                    tr("Your password was changed.\n\nBefore you work, a supervisor who did not set your password "
                       "approves your new key. Show them, in person, its fingerprint:\n\n%1\n\nWhoever knew the "
                       "password you were given could otherwise have chosen \"your\" password before you (SOP 302.02 "
                       "VI.D.2.a). You are signed out now; sign in again once it is approved.").arg(fingerprint),
                    QMessageBox::Ok, this);
    box.setObjectName(QStringLiteral("keyFingerprint"));
    box.setTextInteractionFlags(Qt::TextSelectableByMouse);
    box.exec();
    signOut();
}

void MainWindow::lock() {
    if (!context_.signedIn() || locked_) return;
    locked_ = true;
    const accounts::User user = context_.user();
    // Nothing of the case material shows behind the prompt: the main window's content, the session's
    // other windows (case, results) hidden, and open modal dialogs (the wizard: case, offence, probe)
    // covered — hiding a modal dialog would end its exec() and lose the user's work.
    centralWidget()->setVisible(false);
    setCommandsEnabled(false);  // trial L1: the menus and the toolbar looked usable behind the prompt
    QList<QPointer<QWidget>> hiddenWindows;
    QList<QPointer<QWidget>> covers;
    for (QWidget* window : QApplication::topLevelWidgets()) {
        if (window == this || !window->isVisible()) continue;
        if (window->isModal()) {
            auto* cover = new QLabel(tr("FaceLead is locked."), window);
            cover->setObjectName(QStringLiteral("lockCover"));
            cover->setAlignment(Qt::AlignCenter);
            cover->setAutoFillBackground(true);
            cover->setGeometry(window->rect().adjusted(0, 0, 4000, 4000));  // also covers a later resize
            cover->raise();
            cover->show();
            covers << cover;
        } else {
            hiddenWindows << window;
            window->hide();
        }
    }
    recordSessionEvent(accounts::SessionEvent::Locked);
    const std::filesystem::path storePath = context_.storePath();
    // Transient for the topmost modal dialog (the wizard), so that no window manager stacks that dialog over
    // the prompt: the prompt is the one thing a locked workstation shows.
    QWidget* above = QApplication::activeModalWidget() ? QApplication::activeModalWidget() : this;
    auto unlockWarnings = std::make_shared<std::vector<std::string>>();
    LockDialog dialog(fromStd(user.displayName), [this, user, storePath, unlockWarnings](const UnlockRequest& request,
                                                                                       Answer answer) {
        // Key derivation on the store thread, after the jobs already queued there. The unlock is a sign-in:
        // the agency's second factor applies to it too.
        context_.store().runUnsigned(
            this,
            [storePath, user, password = request.password.toStdString(),
             code = request.secondFactorCode.toStdString(), clock = context_.clock(),
             policy = context_.securityPolicy()]() -> Result<std::vector<std::string>> {
                auto check = accounts::signIn(storePath, user.username, password, clock, policy, {code, std::nullopt});
                if (!check) return check.error();
                return check->warnings();
            },
            [this, answer, user, request, unlockWarnings](const Result<std::vector<std::string>>& unlocked) {
                // Trial 26 F10: what the unlock's sign-in found (an anchor mismatch) was recorded, never shown.
                if (unlocked) *unlockWarnings = *unlocked;
                // Trial 26 F3: the agency turned the second factor on while this session was open; the lock offered
                // no enrolment, only Sign out, and the session's unsaved work was lost.
                if (!unlocked && unlocked.error().code == ErrorCode::SecondFactorEnrolmentRequired)
                    return enrolSecondFactorAtUnlock(user.username, request.password, fromStd(unlocked.error().message),
                                                     answer);
                answer(unlocked ? std::nullopt : std::optional(fromStd(unlocked.error().message)));
            });
    }, above);
    dialog.setWindowFlag(Qt::WindowStaysOnTopHint);
    dialog.exec();
    locked_ = false;
    centralWidget()->setVisible(true);
    setCommandsEnabled(true);
    for (const QPointer<QWidget>& cover : covers) delete cover.data();
    if (dialog.signOutRequested()) {
        signOut();  // the hidden windows stay hidden: they belong to the session that ended
    } else {
        recordSessionEvent(accounts::SessionEvent::Unlocked);
        for (const QPointer<QWidget>& hidden : hiddenWindows)
            if (hidden) hidden->show();
        showWarnings(*unlockWarnings);
    }
    restartIdleTimer();
}

void MainWindow::setCommandsEnabled(bool enabled) {
    menuBar()->setEnabled(enabled);
    toolBar_->setEnabled(enabled);
}

void MainWindow::recordSessionEvent(accounts::SessionEvent event) {
    // Queued before anything the user does next; a failure to record is the store's to report on the next job.
    context_.store().run(&context_, [event](CoreServices& s) { return accounts::recordSessionEvent(s.session(), event); },
                         [](const Result<void>&) {});
}

void MainWindow::signOut() {
    closeSessionWindows();
    if (context_.signedIn()) recordSessionEvent(accounts::SessionEvent::SignedOut);  // before the store closes
    context_.signOut();
    signIn();
}

void MainWindow::checkStillAdmitted() {
    if (!context_.signedIn() || locked_) return;  // a locked window is admitted again only by a new sign-in
    context_.store().run(
        this, [](CoreServices& s) { return accounts::currentUser(s.session(), false); },
        [this](const Result<accounts::User>& user) {
            if (!user && user.error().code == ErrorCode::AccountNotActive && context_.signedIn())
                endRevokedSession(fromStd(user.error().message));
        });
}

void MainWindow::endRevokedSession(const QString& why) {
    closeSessionWindows();
    // On record who was signed out and why; the core keeps it in the key file when the store no longer admits
    // the account to write (deactivated), for the next sign-in to carry into the audit log.
    context_.store().run(&context_, [why = why.toStdString()](CoreServices& s) {
        return accounts::recordSessionEvent(s.session(), accounts::SessionEvent::ForcedSignOut, why);
    }, [](const Result<void>&) {});
    context_.signOut();
    auto* message = new QMessageBox(QMessageBox::Warning, tr("Signed out"),
                                    tr("You were signed out: %1").arg(why), QMessageBox::Ok, this);
    message->setObjectName(QStringLiteral("sessionEndedMessage"));
    message->setAttribute(Qt::WA_DeleteOnClose);
    message->open();  // not exec(): nothing waits on it
}

void MainWindow::closeSessionWindows() {
    // Every other window (results, case, an open dialog) shows the signed-out user's case material and acts
    // in their name: none of it may outlive the session, hidden or not (VI.C.2 accountability).
    // Menus and tool tips are popups, not windows; the session's windows delete themselves on close.
    for (QWidget* window : QApplication::topLevelWidgets()) {
        if (window == this) continue;
        if (window->windowType() != Qt::Window && window->windowType() != Qt::Dialog) continue;
        if (auto* dialog = qobject_cast<QDialog*>(window); dialog && dialog->isModal())
            dialog->done(QDialog::Rejected);  // ends its exec() without asking (the session is over)
        else
            window->close();
    }
}

void MainWindow::setAdmissionCheckInterval(std::chrono::milliseconds interval) {
    admissionTimer_->setInterval(interval);
}

void MainWindow::setIdleLockInterval(std::optional<std::chrono::milliseconds> interval) {
    idleLockInterval_ = interval;
    if (!locked_) restartIdleTimer();
}

void MainWindow::restartIdleTimer() {
    const std::chrono::milliseconds interval =
        idleLockInterval_.value_or(std::chrono::minutes(context_.settings().idleLockMinutes));
    if (!context_.signedIn() || interval <= std::chrono::milliseconds::zero()) {
        idleTimer_->stop();
        return;
    }
    idleTimer_->start(interval);
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    // Ctrl+L locks from every window of the session, also over the modal wizard, which blocks the main
    // window's own shortcut (the case material must be hideable at once, whatever is open).
    const auto* target = qobject_cast<QWidget*>(watched);
    if (event->type() == QEvent::KeyPress && target && target->window() != this &&
        static_cast<QKeyEvent*>(event)->keyCombination() == QKeyCombination(Qt::ControlModifier, Qt::Key_L) &&
        context_.signedIn() && !locked_) {
        QTimer::singleShot(0, this, &MainWindow::lock);
        return true;
    }
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
        if (!locked_ && idleTimer_->isActive()) restartIdleTimer();
        break;
    default:
        break;
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    context_.qsettings().setValue(kGeometryKey, saveGeometry());
    context_.qsettings().setValue(kStateKey, saveState());
    if (context_.signedIn()) recordSessionEvent(accounts::SessionEvent::SignedOut);
    context_.signOut();
    event->accept();
}

void MainWindow::newSearch(const QString& caseNumber) { casesPage(pages_)->startSearch(caseNumber); }

void MainWindow::openCase(std::int64_t caseId) { casesPage(pages_)->openCase(caseId); }

QString MainWindow::selectedCaseNumber() const { return casesPage(pages_)->selectedCaseNumber(); }

void MainWindow::openResults(std::int64_t searchId) {
    auto* results = new ResultsWindow(context_, searchId, this);
    connect(results, &ResultsWindow::changed, this, &MainWindow::refreshPages);
    results->show();
}

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("About FaceLead"),
                       tr("<h3>FaceLead %1</h3><p>Facial recognition investigative workstation under SOP 302.02.</p>"
                          "<p>%2</p><p>%3</p>")
                           .arg(QApplication::applicationVersion(), leadOnlyNotice(), intelligenceMarking()));
}

// The table is taller than a 1366x768 screen (trial 19B): it scrolls in a window that fits, its button in view.
// Opened, not exec()'d: no nested event loop.
void MainWindow::showRoleTable() {
    auto* dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("roleTableDialog"));
    dialog->setWindowTitle(tr("Who may do what — the role table"));
    auto* table = new QTextBrowser(dialog);
    table->setHtml(rolePermissionsHtml());
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok, dialog);
    connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(table);
    layout->addWidget(buttons);
    resizeToFit(*dialog, QSize(900, 820));
    dialog->open();
}

void MainWindow::showPolicySummary() {
    QMessageBox::information(
        this, tr("Policy rules — SOP 302.02"),
        tr("<ul><li>A search needs a case number, ONE authorized purpose (VI.A.1–8), a justification and an "
           "attestation against each prohibited use (VI.B.7.a–e).</li>"
           "<li>Consent is documented (VI.B.4; VI.A.3 Note for photos taken without consent).</li>"
           "<li>Originals are never altered; enhancements are saved as separate copies with their steps, "
           "date, time and user (VI.B.2).</li>"
           "<li>Results are investigative leads only (VI.B.1). The assigned case officer follows up (VI.B.3) "
           "and a supervisor reviews that follow-up (VI.C.1) before a lead is cleared for action.</li>"
           "<li>Every action is logged for audit (VI.C.2).</li></ul>"));
}

}  // namespace facelead::ui
