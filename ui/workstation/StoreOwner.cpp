#include "ui/workstation/StoreOwner.h"

#include <QThread>

#include "ui/workstation/CoreServices.h"

namespace facelead::ui {

StoreOwner::StoreOwner(QObject* parent) : QObject(parent), thread_(new QThread(this)), worker_(new QObject) {
    thread_->setObjectName(QStringLiteral("FaceLead store"));
    worker_->moveToThread(thread_);
    connect(thread_, &QThread::finished, worker_, &QObject::deleteLater);
    thread_->start();
}

StoreOwner::~StoreOwner() {
    // The last job: after every job already posted, close the store and end the thread's loop there.
    QMetaObject::invokeMethod(worker_, [this] {
        services_.reset();
        thread_->quit();
    }, Qt::QueuedConnection);
    thread_->wait();
}

Error StoreOwner::signedOut() { return makeError(ErrorCode::PermissionDenied, "You are signed out. Sign in again."); }

void StoreOwner::post(const QObject* guard, std::function<void(CoreServices*)> work, std::function<void()> deliver) {
    // The guard is watched on the UI thread only: the worker hands the answer to this object (UI thread),
    // which calls deliver() if the guard still exists then.
    QPointer<QObject> watched(const_cast<QObject*>(guard));
    QMetaObject::invokeMethod(worker_, [this, work = std::move(work), deliver = std::move(deliver), watched] {
        work(services_.get());
        QMetaObject::invokeMethod(this, [deliver, watched] {
            if (watched) deliver();
        }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

void StoreOwner::adoptOnStoreThread(std::unique_ptr<CoreServices> services) {
    Q_ASSERT(QThread::currentThread() == thread_);
    services_ = std::move(services);
}

void StoreOwner::close() {
    QMetaObject::invokeMethod(worker_, [this] { services_.reset(); }, Qt::QueuedConnection);
}

}  // namespace facelead::ui
