// The agency's second factor in the workstation (issue 8 item 4, CJIS 5.6): the enrolment dialog paints the
// core's QR matrix, shows the secret and the recovery codes once, and signs in only with a confirmed code;
// the sign-in and unlock dialogs carry the code to the core and show its refusal.

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTimer>

#include <catch2/catch.hpp>


#include "core/accounts/SecondFactor.h"
#include "core/admin/Administration.h"
#include "tests/gui/support/GuiWorld.h"
#include "tests/support/AuthenticatorApp.h"
#include "ui/dialogs/SecondFactorDialog.h"
#include "ui/dialogs/SignInDialogs.h"

namespace facelead::test {
namespace {

constexpr const char* kPassword = "long password of the administrator 1";

// Answered later, from the event loop, as the store thread does.
template <typename Fn>
void answerLater(Fn fn, const ui::Answer& answer) {
    QTimer::singleShot(0, [fn, answer] {
        auto result = fn();
        answer(result ? std::nullopt : std::optional(QString::fromStdString(result.error().message)));
    });
}

}  // namespace

TEST_CASE("Second factor: refused without one, enrolled with the QR dialog, then signed in with the code",
          "[gui][signin][second-factor]") {
    guiApp();
    TempDir dir;
    const auto path = dir / "mfa.store";
    accounts::SecurityPolicy policy;
    policy.kdf = store::KdfParams::minimum();
    auto clock = std::make_shared<SystemClock>();
    {
        auto created = accounts::createStore(path, "ada", "Ada Admin", kPassword, clock, policy);
        REQUIRE(created.ok());
        auto settings = admin::loadSettings(created->session.store());
        settings->secondFactorRequired = true;
        REQUIRE(admin::saveSettings(created->session, *settings).ok());
    }
    auto signIn = [&](const accounts::SecondFactorInput& factor) {
        return admin::signIn(path, "ada", kPassword, clock, policy, factor);
    };

    std::optional<accounts::SecondFactorInput> given;
    ui::SignInDialog dialog(QString::fromStdString(path.string()), QStringLiteral("ada"), false,
                            [&](const ui::SignInRequest& r, const ui::Answer& answer) {
                                given = accounts::SecondFactorInput{r.secondFactorCode.toStdString(), std::nullopt};
                                answerLater([&, factor = *given] { return signIn(factor); }, answer);
                            });
    QLineEdit* password = nullptr;
    for (QLineEdit* field : dialog.findChildren<QLineEdit*>())
        if (field->echoMode() == QLineEdit::Password) password = field;
    auto* code = dialog.findChild<QLineEdit*>(QStringLiteral("secondFactorCode"));
    REQUIRE(password);
    REQUIRE(code);
    password->setText(QString::fromLatin1(kPassword));
    QPushButton* signInButton = nullptr;
    for (QPushButton* button : dialog.findChildren<QPushButton*>())
        if (button->text() == QStringLiteral("Sign in")) signInButton = button;
    REQUIRE(signInButton);
    signInButton->click();
    REQUIRE(waitUntil([&] { return dialog.isEnabled(); }));
    auto* error = dialog.findChild<QLabel*>(QStringLiteral("errorLabel"));
    CHECK_THAT(error->text().toStdString(), Catch::Contains("second factor"));
    CHECK(dialog.result() != QDialog::Accepted);

    // Enrolment: the QR code is the core's matrix, the secret and the ten codes are shown.
    auto enrolment = accounts::newEnrolment("ada");
    REQUIRE(enrolment.ok());
    ui::SecondFactorEnrolmentDialog enrol(*enrolment, error->text(), [&](const QString& typed, ui::Answer answer) {
        answerLater([&, typed] { return signIn({typed.toStdString(), *enrolment}); }, answer);
    });
    auto* qr = enrol.findChild<ui::QrCodeWidget*>(QStringLiteral("secondFactorQr"));
    REQUIRE(qr);
    CHECK(qr->matrix().size == enrolment->qr.size);
    CHECK(qr->grab().toImage().pixelColor(qr->width() / 2, 2) == QColor(Qt::white));  // the quiet zone
    CHECK_THAT(enrol.findChild<QLabel*>(QStringLiteral("secondFactorSecret"))->text().toStdString(),
               Catch::Contains(enrolment->secretText));
    const auto codes = enrol.findChild<QPlainTextEdit*>(QStringLiteral("recoveryCodes"))->toPlainText();
    for (const auto& recovery : enrolment->recoveryCodes) CHECK(codes.contains(QString::fromStdString(recovery)));
    auto* confirm = enrol.findChild<QPushButton*>(QStringLiteral("confirmEnrolment"));
    auto* enrolCode = enrol.findChild<QLineEdit*>(QStringLiteral("enrolmentCode"));
    enrolCode->setText(QStringLiteral("000000"));
    CHECK_FALSE(confirm->isEnabled());  // the recovery codes must be kept first
    enrol.findChild<QCheckBox*>()->setChecked(true);
    REQUIRE(confirm->isEnabled());
    if (authenticatorCode(enrolment->secret) == "000000") enrolCode->setText(QStringLiteral("111111"));
    confirm->click();
    REQUIRE(waitUntil([&] { return enrol.isEnabled(); }));
    CHECK(enrol.result() != QDialog::Accepted);  // a wrong code: refused, the dialog stays
    CHECK_FALSE(enrol.findChild<QLabel*>(QStringLiteral("errorLabel"))->isHidden());
    enrolCode->setText(QString::fromStdString(authenticatorCode(enrolment->secret)));
    confirm->click();
    REQUIRE(waitUntil([&] { return enrol.isEnabled(); }));
    CHECK(enrol.result() == QDialog::Accepted);

    // The next sign-in carries the code typed in the sign-in dialog (a recovery code here: the app's code
    // of this time step was just used).
    password->setText(QString::fromLatin1(kPassword));
    code->setText(QString::fromStdString(enrolment->recoveryCodes[0]));
    signInButton->click();
    REQUIRE(waitUntil([&] { return dialog.isEnabled(); }));
    REQUIRE(given);
    CHECK(given->code == enrolment->recoveryCodes[0]);
    CHECK(dialog.result() == QDialog::Accepted);
    CHECK(code->text().isEmpty());  // a code never stays in the field
}

TEST_CASE("The unlock dialog hands the code to the core with the password", "[gui][lock][second-factor]") {
    guiApp();
    std::optional<ui::UnlockRequest> asked;
    ui::LockDialog dialog(QStringLiteral("Ada"), [&](const ui::UnlockRequest& request, const ui::Answer& answer) {
        asked = request;
        answer(QStringLiteral("Wrong code"));
    });
    auto* code = dialog.findChild<QLineEdit*>(QStringLiteral("unlockCode"));
    REQUIRE(code);
    for (QLineEdit* field : dialog.findChildren<QLineEdit*>())
        if (field->echoMode() == QLineEdit::Password) field->setText(QStringLiteral("pw"));
    code->setText(QStringLiteral(" 123456 "));
    for (QPushButton* button : dialog.findChildren<QPushButton*>())
        if (button->text() == QStringLiteral("Unlock")) button->click();
    REQUIRE(asked);
    CHECK(asked->password == QStringLiteral("pw"));
    CHECK(asked->secondFactorCode == QStringLiteral("123456"));
    CHECK(code->text().isEmpty());
    CHECK(dialog.result() != QDialog::Accepted);
}

}  // namespace facelead::test
