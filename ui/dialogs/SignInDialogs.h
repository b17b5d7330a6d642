#pragma once
// Sign-in, first-run store creation, the one-time recovery-key display and the idle-lock prompt.
// Each dialog collects ONE value object; the caller hands it to the core (accounts::signIn /
// createStore) through the `attempt` callback, and the dialog shows the core's message when it refuses.

#include <QDialog>
#include <QPointer>
#include <QString>

#include <functional>
#include <optional>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace facelead::ui {

// The core's answer to one attempt: its refusal message, or nullopt when it accepted the request.
using Answer = std::function<void(std::optional<QString> refusal)>;
// Hands the request to the core in the background (the store thread) and calls answer on the UI thread.
template <typename Request>
using AttemptFn = std::function<void(const Request&, Answer answer)>;

// Runs attempt(request) for `dialog`, which stays disabled (busy cursor) until the answer comes; then
// onAnswer(refusal) if the dialog still exists. No event loop of its own: the caller's loop turns.
void attemptFrom(QDialog* dialog, const std::function<void(Answer)>& attempt,
                 std::function<void(std::optional<QString>)> onAnswer);

struct SignInRequest {
    QString storePath;
    QString username;
    QString password;
    QString secondFactorCode;  // empty unless the agency requires a second factor (accounts/SecondFactor.h)
};

class SignInDialog : public QDialog {
    Q_OBJECT
public:
    // offerTrainerMode adds "Trainer mode…" (a separate training store, never the live one).
    SignInDialog(const QString& storePath, const QString& lastUsername, bool offerTrainerMode,
                 AttemptFn<SignInRequest> attempt, QWidget* parent = nullptr);
    SignInRequest request() const;
    // The user asked to create a new store at storePath instead (first run).
    bool createRequested() const { return createRequested_; }
    // The user chose trainer mode instead of the live store.
    bool trainerModeRequested() const { return trainerModeRequested_; }
    void showError(const QString& message);

private:
    void trySignIn();
    void updateButtons();

    AttemptFn<SignInRequest> attempt_;
    QLineEdit* storePath_;
    QLineEdit* username_;
    QLineEdit* password_;
    QLineEdit* secondFactorCode_;
    QLabel* error_;
    QPushButton* signInButton_;
    QPushButton* createButton_;
    bool createRequested_ = false;
    bool trainerModeRequested_ = false;
};

struct CreateStoreRequest {
    QString storePath;
    QString username;
    QString displayName;
    QString password;
};

// First run: creates the embedded store and its first program administrator.
class CreateStoreDialog : public QDialog {
    Q_OBJECT
public:
    CreateStoreDialog(const QString& storePath, AttemptFn<CreateStoreRequest> attempt, QWidget* parent = nullptr);
    CreateStoreRequest request() const;

private:
    void tryCreate();
    void updateButtons();

    AttemptFn<CreateStoreRequest> attempt_;
    QLineEdit* storePath_;
    QLineEdit* username_;
    QLineEdit* displayName_;
    QLineEdit* password_;
    QLineEdit* confirm_;
    QLabel* error_;
    QPushButton* createButton_;
};

struct PasswordChange {
    QString current;
    QString fresh;
};

// Changing one's own password: the current password first, then the new one twice (they must match). The
// core checks the current one and the agency's rules; its refusal is shown here and nothing typed is lost.
class ChangePasswordDialog : public QDialog {
    Q_OBJECT
public:
    ChangePasswordDialog(const QString& title, const QString& explanation, AttemptFn<PasswordChange> attempt,
                         QWidget* parent = nullptr);

private:
    void tryChange();

    AttemptFn<PasswordChange> attempt_;
    QLineEdit* current_;
    QLineEdit* fresh_;
    QLineEdit* repeat_;
    QLabel* error_;
    QPushButton* changeButton_;
};

// Shows the recovery key ONCE. Closing needs the "I have written it down" box ticked.
class RecoveryKeyDialog : public QDialog {
    Q_OBJECT
public:
    RecoveryKeyDialog(const QString& recoveryKey, QWidget* parent = nullptr);

protected:
    void reject() override;  // Esc and the close button do nothing until the box is ticked

private:
    QCheckBox* writtenDown_;
};

struct UnlockRequest {
    QString password;
    QString secondFactorCode;  // when the agency requires a second factor
};

// The idle lock: the signed-in user types their password again (and the code, when the agency requires a
// second factor), or signs out.
class LockDialog : public QDialog {
    Q_OBJECT
public:
    LockDialog(const QString& who, AttemptFn<UnlockRequest> verify, QWidget* parent = nullptr);
    bool signOutRequested() const { return signOutRequested_; }

protected:
    void reject() override;  // Esc does not unlock

private:
    void tryUnlock();

    AttemptFn<UnlockRequest> verify_;
    QLineEdit* password_;
    QLineEdit* secondFactorCode_;
    QLabel* error_;
    bool signOutRequested_ = false;
};

}  // namespace facelead::ui
