#pragma once
// Enrolment of the second factor (CJIS 5.6; core/accounts/SecondFactor.h) at the first sign-in after the
// agency turned it on: the QR code painted from the core's module matrix, the secret as text to type by
// hand, the ten recovery codes shown this once, and a field for the first code from the app. Confirming
// hands the code to the core through `attempt` (the sign-in, with the enrolment, on the store thread);
// nothing is stored until the core accepted it.

#include <QDialog>
#include <QWidget>

#include "core/accounts/SecondFactor.h"
#include "ui/dialogs/SignInDialogs.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace facelead::ui {

// Paints a QR matrix, black on white, with the four-module quiet zone scanners need.
class QrCodeWidget : public QWidget {
    Q_OBJECT
public:
    explicit QrCodeWidget(accounts::QrMatrix matrix, QWidget* parent = nullptr);
    QSize sizeHint() const override;
    const accounts::QrMatrix& matrix() const { return matrix_; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    accounts::QrMatrix matrix_;
};

class SecondFactorEnrolmentDialog : public QDialog {
    Q_OBJECT
public:
    // why: the core's message (why enrolment is needed now). attempt(code, answer): the confirming sign-in.
    SecondFactorEnrolmentDialog(const accounts::SecondFactorEnrolment& enrolment, const QString& why,
                                AttemptFn<QString> attempt, QWidget* parent = nullptr);

private:
    void confirm();
    void updateButtons();

    AttemptFn<QString> attempt_;
    QLineEdit* code_;
    QCheckBox* codesKept_;
    QLabel* error_;
    QPushButton* confirm_;
};

}  // namespace facelead::ui
