#pragma once
// Issue 9: an open window (a case, a search's results, the work lists) stayed as it was after another program
// (facelead-cli, another workstation) changed the store, and nothing told the user. When the window is
// activated again, the store's last change (audit::AuditLog::lastChange) is read on the store thread; when it
// moved since the window last looked, reload() runs. The window never waits on the store, and a window
// activated again with nothing changed reads nothing (opening a case is audited as a view).

#include <QObject>

#include <cstdint>
#include <functional>
#include <optional>

class QWidget;

namespace facelead::ui {

class AppContext;

class ReloadWhenActivated : public QObject {
public:
    // Watches `window` (and is owned by it). Make it before the window's first read of the store: the store
    // thread runs jobs in order, so a change made between the two is reloaded rather than missed.
    ReloadWhenActivated(AppContext& context, QWidget& window, std::function<void()> reload);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // Reads the last change; reloads when `reloadIfMoved` and it moved since it was last read.
    void readLastChange(bool reloadIfMoved);

    AppContext& context_;
    std::function<void()> reload_;
    std::optional<std::int64_t> seen_;  // the last change as of the window's last read
    bool reading_ = false;              // one read at a time: activations in a burst ask once
};

}  // namespace facelead::ui
