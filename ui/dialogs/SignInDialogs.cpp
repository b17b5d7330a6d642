#include "ui/dialogs/SignInDialogs.h"

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/widgets/PolicyBanner.h"
#include "ui/widgets/SteadyLabel.h"

namespace facelead::ui {

namespace {

QLineEdit* makeField(const QString& accessibleName, QWidget* parent, bool secret = false) {
    auto* field = new QLineEdit(parent);
    field->setAccessibleName(accessibleName);
    if (secret) field->setEchoMode(QLineEdit::Password);
    return field;
}

// Optional: only asked for when the agency requires a second factor; the core says so when it is missing.
QLineEdit* makeSecondFactorField(const QString& objectName, QWidget* parent) {
    // Shown as typed: a code is short-lived and works once (a recovery code is typed from paper).
    auto* field = makeField(QObject::tr("Code from your authenticator app"), parent);
    field->setObjectName(objectName);
    field->setPlaceholderText(QObject::tr("6 digits, or a recovery code — only if your agency requires it"));
    return field;
}

QLabel* makeErrorLabel(QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setObjectName(QStringLiteral("errorLabel"));
    label->setAccessibleName(QObject::tr("Error message"));
    makeErrorLine(*label, 3);  // the fields above never move when a refusal appears (trial 10)
    return label;
}

void showErrorOn(QLabel* label, const QString& message) { showRefusal(*label, message); }

QWidget* storePathRow(QLineEdit* field, QWidget* parent, bool forSave) {
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(field, 1);
    auto* browse = new QPushButton(QObject::tr("Browse…"), row);
    browse->setAccessibleName(QObject::tr("Choose the case store file"));
    layout->addWidget(browse);
    QObject::connect(browse, &QPushButton::clicked, row, [field, parent, forSave] {
        const QString caption = QObject::tr("Case store");
        const QString filter = QObject::tr("FaceLead store (*.store);;All files (*)");
        const QString chosen = forSave ? QFileDialog::getSaveFileName(parent, caption, field->text(), filter)
                                       : QFileDialog::getOpenFileName(parent, caption, field->text(), filter);
        if (!chosen.isEmpty()) field->setText(chosen);
    });
    return row;
}

}  // namespace

void attemptFrom(QDialog* dialog, const std::function<void(Answer)>& attempt,
                 std::function<void(std::optional<QString>)> onAnswer) {
    dialog->setEnabled(false);
    dialog->setCursor(Qt::BusyCursor);
    QPointer<QDialog> alive(dialog);
    attempt([alive, onAnswer = std::move(onAnswer)](std::optional<QString> refusal) {
        if (!alive) return;
        alive->setEnabled(true);
        alive->unsetCursor();
        onAnswer(std::move(refusal));
    });
}

// ---------------------------------------------------------------------------------------------- sign in

SignInDialog::SignInDialog(const QString& storePath, const QString& lastUsername, bool offerTrainerMode,
                           AttemptFn<SignInRequest> attempt, QWidget* parent)
    : QDialog(parent),
      attempt_(std::move(attempt)),
      storePath_(makeField(tr("Case store file"), this)),
      username_(makeField(tr("User name"), this)),
      password_(makeField(tr("Password"), this, true)),
      secondFactorCode_(makeSecondFactorField(QStringLiteral("secondFactorCode"), this)),
      error_(makeErrorLabel(this)),
      signInButton_(new QPushButton(tr("Sign in"), this)),
      createButton_(new QPushButton(tr("Create a new store…"), this)) {
    setWindowTitle(tr("Sign in — FaceLead"));
    setObjectName(QStringLiteral("signInDialog"));
    storePath_->setText(storePath);
    username_->setText(lastUsername);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new PolicyBanner(PolicyBanner::Kind::Intelligence, this));
    auto* intro = new QLabel(tr("Personal accounts only: never share your user name or password "
                                "(SOP 302.02 VI.D.2.c). Every sign-in is recorded in the audit log."), this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto* form = new QFormLayout;
    form->addRow(tr("Case &store:"), storePathRow(storePath_, this, false));
    form->addRow(tr("&User name:"), username_);
    form->addRow(tr("&Password:"), password_);
    form->addRow(tr("C&ode:"), secondFactorCode_);
    layout->addLayout(form);
    layout->addWidget(error_);
    auto* buttons = new QDialogButtonBox(this);
    buttons->addButton(signInButton_, QDialogButtonBox::AcceptRole);
    buttons->addButton(createButton_, QDialogButtonBox::ActionRole);
    if (offerTrainerMode) {
        auto* trainerButton = new QPushButton(tr("Trainer mode…"), this);
        trainerButton->setObjectName(QStringLiteral("trainerModeButton"));
        trainerButton->setAccessibleName(tr("Open a separate training store (trainer mode)"));
        buttons->addButton(trainerButton, QDialogButtonBox::ActionRole);
        connect(trainerButton, &QPushButton::clicked, this, [this] {
            trainerModeRequested_ = true;
            done(QDialog::Rejected);
        });
    }
    buttons->addButton(QDialogButtonBox::Cancel);
    layout->addWidget(buttons);
    signInButton_->setDefault(true);
    signInButton_->setAccessibleName(tr("Sign in"));
    createButton_->setAccessibleName(tr("Create a new case store"));

    connect(signInButton_, &QPushButton::clicked, this, &SignInDialog::trySignIn);
    connect(createButton_, &QPushButton::clicked, this, [this] {
        createRequested_ = true;
        done(QDialog::Rejected);
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit* field : {storePath_, username_, password_})
        connect(field, &QLineEdit::textChanged, this, &SignInDialog::updateButtons);
    updateButtons();
    (lastUsername.isEmpty() ? username_ : password_)->setFocus();
    resize(560, sizeHint().height());
}

SignInRequest SignInDialog::request() const {
    return {storePath_->text().trimmed(), username_->text().trimmed(), password_->text(),
            secondFactorCode_->text().trimmed()};
}

void SignInDialog::showError(const QString& message) { showErrorOn(error_, message); }

void SignInDialog::updateButtons() {
    const SignInRequest r = request();
    signInButton_->setEnabled(!r.storePath.isEmpty() && !r.username.isEmpty() && !r.password.isEmpty());
}

void SignInDialog::trySignIn() {
    if (!signInButton_->isEnabled()) return;
    const SignInRequest r = request();
    attemptFrom(this, [this, r](Answer answer) { attempt_(r, std::move(answer)); },
                [this](std::optional<QString> refusal) {
                    password_->clear();
                    secondFactorCode_->clear();  // a code works once
                    if (refusal) {
                        showError(*refusal);
                        password_->setFocus();
                        return;
                    }
                    accept();
                });
}

// --------------------------------------------------------------------------------------- create store

CreateStoreDialog::CreateStoreDialog(const QString& storePath, AttemptFn<CreateStoreRequest> attempt,
                                     QWidget* parent)
    : QDialog(parent),
      attempt_(std::move(attempt)),
      storePath_(makeField(tr("New case store file"), this)),
      username_(makeField(tr("Administrator user name"), this)),
      displayName_(makeField(tr("Administrator full name"), this)),
      password_(makeField(tr("Administrator password"), this, true)),
      confirm_(makeField(tr("Repeat the password"), this, true)),
      error_(makeErrorLabel(this)),
      createButton_(new QPushButton(tr("Create store"), this)) {
    setWindowTitle(tr("Create the case store — FaceLead"));
    storePath_->setText(storePath);
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("<b>No case store was found.</b> Create the encrypted store and its first "
                                "<b>program administrator</b> account. The administrator then adds the other "
                                "users, who need a supervisor's approval and completed training before they "
                                "can search (SOP 302.02 VI.D.2)."), this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto* form = new QFormLayout;
    form->addRow(tr("Case &store:"), storePathRow(storePath_, this, true));
    form->addRow(tr("&User name:"), username_);
    form->addRow(tr("&Full name:"), displayName_);
    form->addRow(tr("&Password:"), password_);
    form->addRow(tr("&Repeat password:"), confirm_);
    layout->addLayout(form);
    layout->addWidget(error_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(createButton_, QDialogButtonBox::AcceptRole);
    layout->addWidget(buttons);
    connect(createButton_, &QPushButton::clicked, this, &CreateStoreDialog::tryCreate);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit* field : {storePath_, username_, displayName_, password_, confirm_})
        connect(field, &QLineEdit::textChanged, this, &CreateStoreDialog::updateButtons);
    updateButtons();
    resize(560, sizeHint().height());
}

CreateStoreRequest CreateStoreDialog::request() const {
    return {storePath_->text().trimmed(), username_->text().trimmed(), displayName_->text().trimmed(),
            password_->text()};
}

void CreateStoreDialog::updateButtons() {
    const CreateStoreRequest r = request();
    createButton_->setEnabled(!r.storePath.isEmpty() && !r.username.isEmpty() && !r.displayName.isEmpty() &&
                              !r.password.isEmpty() && !confirm_->text().isEmpty());
}

void CreateStoreDialog::tryCreate() {
    if (password_->text() != confirm_->text()) {
        showErrorOn(error_, tr("The two passwords differ. Type the same password twice."));
        return;
    }
    const CreateStoreRequest r = request();
    attemptFrom(this, [this, r](Answer answer) { attempt_(r, std::move(answer)); },
                [this](std::optional<QString> refusal) {
                    if (refusal) showErrorOn(error_, *refusal);
                    else accept();
                });
}

// ------------------------------------------------------------------------------------ change password

ChangePasswordDialog::ChangePasswordDialog(const QString& title, const QString& explanation,
                                           AttemptFn<PasswordChange> attempt, QWidget* parent)
    : QDialog(parent),
      attempt_(std::move(attempt)),
      current_(makeField(tr("Current password"), this, true)),
      fresh_(makeField(tr("New password"), this, true)),
      repeat_(makeField(tr("Repeat the new password"), this, true)),
      error_(makeErrorLabel(this)),
      changeButton_(new QPushButton(tr("Change password"), this)) {
    setWindowTitle(title);
    setObjectName(QStringLiteral("changePasswordDialog"));
    current_->setObjectName(QStringLiteral("currentPassword"));
    fresh_->setObjectName(QStringLiteral("newPassword"));
    repeat_->setObjectName(QStringLiteral("repeatPassword"));
    auto* layout = new QVBoxLayout(this);
    auto* text = new QLabel(explanation, this);
    text->setWordWrap(true);
    layout->addWidget(text);
    auto* form = new QFormLayout;
    form->addRow(tr("&Current password:"), current_);
    form->addRow(tr("&New password:"), fresh_);
    form->addRow(tr("&Repeat new password:"), repeat_);
    layout->addLayout(form);
    layout->addWidget(error_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(changeButton_, QDialogButtonBox::AcceptRole);
    changeButton_->setDefault(true);
    layout->addWidget(buttons);
    connect(changeButton_, &QPushButton::clicked, this, &ChangePasswordDialog::tryChange);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setTabOrder(current_, fresh_);  // current first, then the new one twice
    setTabOrder(fresh_, repeat_);
    current_->setFocus();
    resize(480, sizeHint().height());
}

void ChangePasswordDialog::tryChange() {
    if (fresh_->text() != repeat_->text()) {
        showErrorOn(error_, tr("The two new passwords differ. Type the same new password twice."));
        repeat_->clear();
        repeat_->setFocus();
        return;
    }
    const PasswordChange change{current_->text(), fresh_->text()};
    attemptFrom(this, [this, change](Answer answer) { attempt_(change, std::move(answer)); },
                [this](std::optional<QString> refusal) {
                    if (refusal) showErrorOn(error_, *refusal);
                    else accept();
                });
}

// --------------------------------------------------------------------------------------- recovery key

RecoveryKeyDialog::RecoveryKeyDialog(const QString& recoveryKey, QWidget* parent)
    : QDialog(parent), writtenDown_(new QCheckBox(tr("I &have written the recovery key down and will keep it "
                                                     "in a safe place"), this)) {
    setWindowTitle(tr("Recovery key — write this down"));
    auto* layout = new QVBoxLayout(this);
    auto* warning = new QLabel(tr("<h3 style='color:#b00020'>Write this recovery key down now.</h3>"
                                  "<p>It is shown <b>only this once</b> and is never stored in clear. It is the "
                                  "only way into the store if every administrator password is lost. Whoever "
                                  "holds it can open the store: keep it sealed, like a safe combination.</p>"),
                               this);
    warning->setWordWrap(true);
    layout->addWidget(warning);
    auto* key = new QLineEdit(recoveryKey, this);
    key->setReadOnly(true);
    key->setObjectName(QStringLiteral("recoveryKey"));
    key->setAccessibleName(tr("Recovery key"));
    QFont mono(QStringLiteral("monospace"));
    mono.setPointSize(mono.pointSize() + 3);
    key->setFont(mono);
    key->setMinimumWidth(key->fontMetrics().horizontalAdvance(recoveryKey) + 24);
    layout->addWidget(key);
    writtenDown_->setAccessibleName(tr("I have written the recovery key down"));
    layout->addWidget(writtenDown_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok, this);
    QPushButton* ok = buttons->button(QDialogButtonBox::Ok);
    ok->setEnabled(false);
    layout->addWidget(buttons);
    connect(writtenDown_, &QCheckBox::toggled, ok, &QPushButton::setEnabled);
    setTabOrder(key, writtenDown_);  // read the key, confirm, then OK
    setTabOrder(writtenDown_, ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
}

void RecoveryKeyDialog::reject() {
    // The key is shown once: closing before it is written down would lose it for good.
    if (writtenDown_->isChecked()) QDialog::accept();
}

// ------------------------------------------------------------------------------------------------ lock

LockDialog::LockDialog(const QString& who, AttemptFn<UnlockRequest> verify, QWidget* parent)
    : QDialog(parent),
      verify_(std::move(verify)),
      password_(makeField(tr("Password"), this, true)),
      secondFactorCode_(makeSecondFactorField(QStringLiteral("unlockCode"), this)),
      error_(makeErrorLabel(this)) {
    setWindowTitle(tr("FaceLead is locked"));
    setObjectName(QStringLiteral("lockDialog"));
    auto* layout = new QVBoxLayout(this);
    auto* text = new QLabel(tr("The workstation was locked. Signed in as <b>%1</b>.<br>Type your password "
                               "to continue, and the code from your authenticator app when your agency requires one.")
                                .arg(who.toHtmlEscaped()),
                            this);
    text->setWordWrap(true);
    layout->addWidget(text);
    layout->addWidget(password_);
    layout->addWidget(secondFactorCode_);
    layout->addWidget(error_);
    auto* buttons = new QDialogButtonBox(this);
    QPushButton* unlock = buttons->addButton(tr("Unlock"), QDialogButtonBox::AcceptRole);
    QPushButton* signOut = buttons->addButton(tr("Sign out"), QDialogButtonBox::DestructiveRole);
    unlock->setDefault(true);
    layout->addWidget(buttons);
    connect(unlock, &QPushButton::clicked, this, &LockDialog::tryUnlock);
    connect(signOut, &QPushButton::clicked, this, [this] {
        signOutRequested_ = true;
        QDialog::reject();
    });
    password_->setFocus();
    resize(420, sizeHint().height());
}

void LockDialog::reject() {}

void LockDialog::tryUnlock() {
    const UnlockRequest request{password_->text(), secondFactorCode_->text().trimmed()};
    password_->clear();
    secondFactorCode_->clear();
    attemptFrom(this, [this, request](Answer answer) { verify_(request, std::move(answer)); },
                [this](std::optional<QString> refusal) {
                    if (refusal) showErrorOn(error_, *refusal);
                    else accept();
                });
}

}  // namespace facelead::ui
