#pragma once
// StoreOwner: the ONE owner of the open store for the UI. The signed-in Session and its services
// (CoreServices) live on a worker thread of their own; every store job is posted here, runs there in the
// order it was posted, and answers on the UI thread. The UI thread never takes a lock for the store and
// never waits on it (the UI never waits on the store).
//
//   context.store().run(this, [id](CoreServices& s) { return s.cases().getSearch(id); },
//                       [this](Result<cases::SearchRecord> search) { show(search); });
//
// Threading contract:
//   * job(CoreServices&) runs on the store thread; it may use the services freely but must not touch
//     widgets. It returns a Result<T>. When nobody is signed in the job is not run and the reply gets a
//     PermissionDenied error ("You are signed out.").
//   * reply(Result<T>) runs on the UI thread, only while `guard` is alive (like Qt Creator's
//     onResultReady(future, guard, f)): a window closed meanwhile never receives a stale answer. The job
//     itself still runs, so a change the user asked for is stored even when its window has gone.
//   * run() and open()/close() may be called from the UI thread only.
//   * The destructor lets queued jobs finish, closes the store on its thread, then joins it (at exit).

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "core/common/Result.h"

class QThread;

namespace facelead::ui {

class CoreServices;

class StoreOwner : public QObject {
    Q_OBJECT
public:
    explicit StoreOwner(QObject* parent = nullptr);
    ~StoreOwner() override;
    StoreOwner(const StoreOwner&) = delete;
    StoreOwner& operator=(const StoreOwner&) = delete;

    template <typename Job, typename Reply>
    void run(const QObject* guard, Job&& job, Reply&& reply) {
        using R = std::invoke_result_t<std::decay_t<Job>&, CoreServices&>;
        auto task = std::make_shared<Task<std::decay_t<Job>, std::decay_t<Reply>, R>>(std::forward<Job>(job),
                                                                                     std::forward<Reply>(reply));
        post(guard, [task](CoreServices* services) {
            if (services) task->result.emplace(task->job(*services));
            else task->result.emplace(signedOut());
        }, [task] { task->reply(std::move(*task->result)); });
    }

    // Runs work() on the store thread WITHOUT the services (sign-in, store creation: key derivation and
    // the opening of the store happen there too), then reply(result) on the UI thread while guard lives.
    template <typename Work, typename Reply>
    void runUnsigned(const QObject* guard, Work&& work, Reply&& reply) {
        using R = std::invoke_result_t<std::decay_t<Work>&>;
        auto task = std::make_shared<Task<std::decay_t<Work>, std::decay_t<Reply>, R>>(std::forward<Work>(work),
                                                                                      std::forward<Reply>(reply));
        post(guard, [task](CoreServices*) { task->result.emplace(task->job()); },
             [task] { task->reply(std::move(*task->result)); });
    }

    // Installs the services opened by a sign-in job (called ON the store thread, from inside a job).
    void adoptOnStoreThread(std::unique_ptr<CoreServices> services);
    // Closes the store after the jobs already posted (sign-out).
    void close();

private:
    template <typename Job, typename Reply, typename R>
    struct Task {
        Task(Job j, Reply r) : job(std::move(j)), reply(std::move(r)) {}
        Job job;
        Reply reply;
        std::optional<R> result;
    };

    static Error signedOut();
    void post(const QObject* guard, std::function<void(CoreServices*)> work, std::function<void()> deliver);

    QThread* thread_;
    QObject* worker_;                         // lives on thread_; queued calls to it run in posting order
    std::unique_ptr<CoreServices> services_;  // touched on thread_ only
};

}  // namespace facelead::ui
