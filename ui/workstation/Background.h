#pragma once
// The ONE way the UI runs work in the background and comes back to the UI thread, always tied to a
// receiver's lifetime (a closed window never receives a stale answer; cf. Qt Creator's onResultReady):
//   * store work: AppContext::store().run(guard, job, reply) — in order, on the store thread
//     (ui/workstation/StoreOwner.h);
//   * long store work with a progress dialog and Cancel: runWithProgress() below;
//   * pure computation that never touches the store (decode, detection, previews): computeThen() below.
// No nested event loops: every helper returns at once and answers later.

#include <QObject>
#include <QPointer>
#include <QProgressBar>
#include <QProgressDialog>
#include <QString>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <memory>
#include <string_view>

#include "core/common/Result.h"
#include "core/reports/Progress.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/StoreOwner.h"

namespace facelead::ui {

// compute() on the thread pool, then reply(result) on guard's thread while guard lives.
template <typename Compute, typename Reply>
void computeThen(QObject* guard, Compute&& compute, Reply&& reply) {
    QtConcurrent::run(std::forward<Compute>(compute)).then(guard, std::forward<Reply>(reply));
}

// A window-modal progress dialog with Cancel for one long job (shown after 300 ms). report() and
// cancelled() may be called from any thread; finish() on the UI thread closes the dialog.
class JobProgress {
public:
    JobProgress(QWidget* parent, const QString& title);
    // Shows done/total and what is being done; returns false once the user pressed Cancel.
    bool report(int done, int total, std::string_view what) const;
    bool cancelled() const { return *cancelled_; }
    // The flag the core's long jobs poll (gallery::EnrolOptions::cancel, the search's cancel).
    const std::atomic<bool>* cancelFlag() const { return cancelled_.get(); }
    reports::ProgressFn progressFn() const;
    void finish();

private:
    QPointer<QProgressDialog> dialog_;
    // Progress goes to the bar, never through QProgressDialog::setValue: on a modal dialog that is showing,
    // setValue() runs a nested event loop (processEvents), inside which the job's answer could arrive and
    // delete the dialog under setValue's feet (a crash seen under load).
    QPointer<QProgressBar> bar_;
    std::shared_ptr<std::atomic<bool>> cancelled_ = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<std::atomic<bool>> over_ = std::make_shared<std::atomic<bool>>(false);  // finish() was called
};

// job(CoreServices&, const JobProgress&) -> Result<T> on the store thread behind a progress dialog;
// reply(Result<T>) on the UI thread while `parent` lives. A cancelled job answers ErrorCode::Cancelled.
template <typename Job, typename Reply>
void runWithProgress(QWidget* parent, AppContext& context, const QString& title, Job&& job, Reply&& reply) {
    auto progress = std::make_shared<JobProgress>(parent, title);
    context.store().run(
        parent, [progress, job = std::forward<Job>(job)](CoreServices& services) mutable { return job(services, *progress); },
        [progress, reply = std::forward<Reply>(reply)](auto result) mutable {
            progress->finish();
            reply(std::move(result));
        });
}

}  // namespace facelead::ui
