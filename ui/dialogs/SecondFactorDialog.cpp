#include "ui/dialogs/SecondFactorDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/widgets/SteadyLabel.h"

namespace facelead::ui {

namespace {
constexpr int kQuietZoneModules = 4;  // ISO/IEC 18004
constexpr int kModulePixels = 5;
}  // namespace

QrCodeWidget::QrCodeWidget(accounts::QrMatrix matrix, QWidget* parent) : QWidget(parent), matrix_(std::move(matrix)) {
    setObjectName(QStringLiteral("secondFactorQr"));
    setAccessibleName(tr("QR code to scan with your authenticator app"));
    const int side = (matrix_.size + 2 * kQuietZoneModules) * kModulePixels;
    setMinimumSize(side, side);
}

QSize QrCodeWidget::sizeHint() const { return minimumSize(); }

void QrCodeWidget::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), Qt::white);
    const int modules = matrix_.size + 2 * kQuietZoneModules;
    const int module = std::max(1, std::min(width(), height()) / std::max(1, modules));
    for (int y = 0; y < matrix_.size; ++y)
        for (int x = 0; x < matrix_.size; ++x)
            if (matrix_.at(x, y))
                painter.fillRect((x + kQuietZoneModules) * module, (y + kQuietZoneModules) * module, module, module,
                                 Qt::black);
}

SecondFactorEnrolmentDialog::SecondFactorEnrolmentDialog(const accounts::SecondFactorEnrolment& enrolment,
                                                         const QString& why, AttemptFn<QString> attempt,
                                                         QWidget* parent)
    : QDialog(parent),
      attempt_(std::move(attempt)),
      code_(new QLineEdit(this)),
      codesKept_(new QCheckBox(tr("I have kept the recovery codes somewhere safe (they are not shown again)"), this)),
      error_(new QLabel(this)),
      confirm_(new QPushButton(tr("Confirm and continue"), this)) {  // at sign-in and unlock alike (trial 28 L2)
    setWindowTitle(tr("Second factor — FaceLead"));
    setObjectName(QStringLiteral("secondFactorEnrolmentDialog"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(why + QStringLiteral("<br>") +
                                 tr("Scan the code with your authenticator app (or type the secret), then type "
                                    "the 6-digit code it shows."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* row = new QHBoxLayout;
    row->addWidget(new QrCodeWidget(enrolment.qr, this));
    auto* right = new QVBoxLayout;
    auto* secret = new QLabel(tr("Secret: <b>%1</b>").arg(QString::fromStdString(enrolment.secretText)), this);
    secret->setObjectName(QStringLiteral("secondFactorSecret"));
    secret->setTextInteractionFlags(Qt::TextSelectableByMouse);
    right->addWidget(secret);
    right->addWidget(new QLabel(tr("Recovery codes — each works once instead of a code:"), this));
    QStringList codes;
    for (const auto& code : enrolment.recoveryCodes) codes << QString::fromStdString(code);
    auto* codeList = new QPlainTextEdit(codes.join(QLatin1Char('\n')), this);
    codeList->setObjectName(QStringLiteral("recoveryCodes"));
    codeList->setReadOnly(true);
    codeList->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    right->addWidget(codeList);
    row->addLayout(right);
    layout->addLayout(row);
    layout->addWidget(codesKept_);

    code_->setObjectName(QStringLiteral("enrolmentCode"));
    code_->setAccessibleName(tr("Code from your authenticator app"));
    code_->setPlaceholderText(tr("6-digit code from the app"));
    layout->addWidget(code_);
    error_->setObjectName(QStringLiteral("errorLabel"));
    makeErrorLine(*error_);
    layout->addWidget(error_);
    auto* buttons = new QDialogButtonBox(this);
    confirm_->setObjectName(QStringLiteral("confirmEnrolment"));
    buttons->addButton(confirm_, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    layout->addWidget(buttons);
    connect(confirm_, &QPushButton::clicked, this, &SecondFactorEnrolmentDialog::confirm);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(code_, &QLineEdit::textChanged, this, &SecondFactorEnrolmentDialog::updateButtons);
    connect(codesKept_, &QCheckBox::toggled, this, &SecondFactorEnrolmentDialog::updateButtons);
    confirm_->setDefault(true);
    updateButtons();
    code_->setFocus();
}

void SecondFactorEnrolmentDialog::updateButtons() {
    confirm_->setEnabled(codesKept_->isChecked() && !code_->text().trimmed().isEmpty());
}

void SecondFactorEnrolmentDialog::confirm() {
    if (!confirm_->isEnabled()) return;
    const QString code = code_->text().trimmed();
    code_->clear();
    attemptFrom(this, [this, code](Answer answer) { attempt_(code, std::move(answer)); },
                [this](std::optional<QString> refusal) {
                    if (!refusal) {
                        accept();
                        return;
                    }
                    showRefusal(*error_, *refusal);
                    code_->setFocus();
                });
}

}  // namespace facelead::ui
