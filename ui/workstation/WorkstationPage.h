#pragma once
// A tab of the main window. Pages re-read the store when refresh() is called (sign-in, F5, after a
// change elsewhere), in the background, and stay empty while nobody is signed in.

#include <QWidget>

#include "core/workflow/Access.h"

namespace facelead::ui {

class AppContext;
class MainWindow;

class WorkstationPage : public QWidget {
    Q_OBJECT
public:
    WorkstationPage(AppContext& context, MainWindow& window, QWidget* parent = nullptr)
        : QWidget(parent), context_(context), window_(window) {}
    virtual QString title() const = 0;
    // What the page is for; its tab is shown only to a role the core's table allows it (workflow/Access.h).
    // The core refuses the same action again whatever the UI shows.
    virtual workflow::Action requiredAction() const = 0;
    // Asks the store thread for the page's rows; the page fills itself when they come (then refreshed()).
    virtual void refresh() = 0;

signals:
    void refreshed();

protected:
    AppContext& context_;
    MainWindow& window_;
};

}  // namespace facelead::ui
