#include "ui/workstation/Background.h"

#include <QCoreApplication>
#include <QTimer>

#include <limits>

namespace facelead::ui {

JobProgress::JobProgress(QWidget* parent, const QString& title)
    : dialog_(new QProgressDialog(title, QObject::tr("Cancel"), 0, 0, parent)) {
    dialog_->setWindowTitle(title);
    dialog_->setWindowModality(Qt::WindowModal);
    dialog_->setAutoReset(false);
    dialog_->setAutoClose(false);
    bar_ = new QProgressBar(dialog_);
    bar_->setRange(0, 0);  // busy until the first report
    dialog_->setBar(bar_);
    QObject::connect(dialog_, &QProgressDialog::canceled, dialog_, [flag = cancelled_] { *flag = true; });
    // Shown after 300 ms unless the job is over or cancelled by then (short jobs never flash a dialog).
    // QProgressDialog's own minimum duration is left unused: it is driven by setValue (see bar_).
    dialog_->setMinimumDuration(std::numeric_limits<int>::max());
    QTimer::singleShot(300, dialog_, [dialog = dialog_.data(), cancelled = cancelled_, over = over_] {
        if (!*cancelled && !*over) dialog->show();
    });
}

bool JobProgress::report(int done, int total, std::string_view what) const {
    const QString label = QString::fromUtf8(what.data(), qsizetype(what.size()));
    QPointer<QProgressDialog> dialog = dialog_;
    QPointer<QProgressBar> bar = bar_;
    QMetaObject::invokeMethod(qApp, [dialog, bar, done, total, label, cancelled = cancelled_, over = over_] {
        if (!dialog || !bar || *cancelled || *over) return;  // nothing after Cancel or the end
        bar->setRange(0, total);
        bar->setValue(done);
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
