#include "ui/workstation/Background.h"

#include <QCoreApplication>

namespace facelead::ui {

JobProgress::JobProgress(QWidget* parent, const QString& title)
    : dialog_(new QProgressDialog(title, QObject::tr("Cancel"), 0, 0, parent)) {
    dialog_->setWindowTitle(title);
    dialog_->setWindowModality(Qt::WindowModal);
    dialog_->setAutoReset(false);
    dialog_->setAutoClose(false);
    dialog_->setMinimumDuration(300);
    QObject::connect(dialog_, &QProgressDialog::canceled, dialog_, [flag = cancelled_] { *flag = true; });
    dialog_->setValue(0);  // starts the minimum-duration timer
}

bool JobProgress::report(int done, int total, std::string_view what) const {
    const QString label = QString::fromUtf8(what.data(), qsizetype(what.size()));
    QPointer<QProgressDialog> dialog = dialog_;
    QMetaObject::invokeMethod(qApp, [dialog, done, total, label, flag = cancelled_] {
        // Not after Cancel: a late setValue() would show the cancelled dialog again until the job stops.
        if (!dialog || *flag) return;
        dialog->setMaximum(total);
        dialog->setValue(done);
        if (!label.isEmpty()) dialog->setLabelText(label);
    }, Qt::QueuedConnection);
    return !*cancelled_;
}

reports::ProgressFn JobProgress::progressFn() const {
    return [this](int done, int total, std::string_view what) { return report(done, total, what); };
}

void JobProgress::finish() {
    if (dialog_) dialog_->deleteLater();
}

}  // namespace facelead::ui
