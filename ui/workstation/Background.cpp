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
    QMetaObject::invokeMethod(qApp, [dialog, done, total, label, cancelled = cancelled_, over = over_] {
        // Not after Cancel or the end: a late setValue() would show the dialog again (QProgressDialog shows
        // itself on setValue), over the job's answer.
        if (!dialog || *cancelled || *over) return;
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
    *over_ = true;
    // Deleted now, not later: the reply may open a message box whose own event loop would keep a
    // deleteLater()'d dialog alive, and its minimum-duration timer would show it, modal, over the answer.
    delete dialog_.data();
}

}  // namespace facelead::ui
