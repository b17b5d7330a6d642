#include "ui/workstation/ReloadWhenActivated.h"

#include <QEvent>
#include <QWidget>

#include "core/audit/AuditLog.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/CoreServices.h"

namespace facelead::ui {

ReloadWhenActivated::ReloadWhenActivated(AppContext& context, QWidget& window, std::function<void()> reload)
    : QObject(&window), context_(context), reload_(std::move(reload)) {
    window.installEventFilter(this);
    readLastChange(false);
}

bool ReloadWhenActivated::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::WindowActivate && !reading_) readLastChange(true);
    return QObject::eventFilter(watched, event);
}

void ReloadWhenActivated::readLastChange(bool reloadIfMoved) {
    reading_ = true;
    context_.store().run(this, [](CoreServices& s) { return audit::AuditLog::lastChange(s.store()); },
                         [this, reloadIfMoved](const Result<std::int64_t>& last) {
                             reading_ = false;
                             if (!last) return;  // signed out, or the store unreadable: the window says so itself
                             const bool moved = seen_ != *last;
                             seen_ = *last;
                             if (moved && reloadIfMoved) reload_();
                         });
}

}  // namespace facelead::ui
