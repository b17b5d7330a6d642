#pragma once
// Long accountability jobs (statistics over a big store, the annual review, a case report and its PDF) run
// on a worker thread behind a modal progress dialog, holding AppContext::storeMutex() for the whole job as
// AppContext.h requires (the Store is not thread-safe; the modal dialog keeps other store calls away).
// The job reports progress through reports::ProgressFn; Cancel makes it return ErrorCode::Cancelled.

#include <QEventLoop>
#include <QFutureWatcher>
#include <QPointer>
#include <QProgressDialog>
#include <QString>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <memory>

#include "core/common/Result.h"
#include "core/reports/Progress.h"
#include "ui/workstation/AppContext.h"

namespace facelead::ui {

template <typename T, typename Job>
Result<T> runWithProgress(QWidget* parent, AppContext& context, const QString& title, Job&& job) {
    QProgressDialog dialog(title, QObject::tr("Cancel"), 0, 0, parent);
    dialog.setWindowModality(Qt::WindowModal);
    dialog.setMinimumDuration(300);
    auto cancelled = std::make_shared<std::atomic<bool>>(false);
    QObject::connect(&dialog, &QProgressDialog::canceled, &dialog, [cancelled] { *cancelled = true; });
    QPointer<QProgressDialog> guardDialog(&dialog);
    reports::ProgressFn progress = [cancelled, guardDialog](int done, int total, std::string_view what) {
        const QString label = QString::fromUtf8(what.data(), static_cast<qsizetype>(what.size()));
        QMetaObject::invokeMethod(guardDialog.data(), [guardDialog, done, total, label] {
            if (!guardDialog) return;
            guardDialog->setMaximum(total);
            guardDialog->setValue(done);
            guardDialog->setLabelText(label);
        }, Qt::QueuedConnection);
        return !*cancelled;
    };
    QFutureWatcher<Result<T>> watcher;
    QEventLoop loop;
    QObject::connect(&watcher, &QFutureWatcher<Result<T>>::finished, &loop, &QEventLoop::quit);
    watcher.setFuture(QtConcurrent::run([&context, progress, job = std::forward<Job>(job)]() mutable -> Result<T> {
        StoreLock lock(context.storeMutex());
        return job(progress);
    }));
    loop.exec();
    dialog.reset();
    return watcher.result();
}

}  // namespace facelead::ui
