// facelead: the investigator's workstation.

#include <QApplication>
#include <QIcon>
#include <QTimer>

#include "app/Bootstrap.h"
#include "ui/accountability/AccountabilityActions.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/MainWindow.h"

int main(int argc, char** argv) {
    if (!facelead::hardenProcess()) return 1;  // no cryptography, no store: refuse to start
    QApplication app(argc, argv);
    Q_INIT_RESOURCE(facelead);
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/facelead/icons/facelead.png")));
    QApplication::setOrganizationName(QStringLiteral("FaceLead"));
    QApplication::setApplicationName(QStringLiteral("FaceLead"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    facelead::ui::AppContext context;
    context.loadEngineAsync();  // models are checked now; the networks load in the background
    facelead::ui::MainWindow window(context);
    // The accountability screens (administration, audit, statistics, reports, training mode).
    facelead::ui::installAccountabilityActions(window, context);
    window.show();
    // Sign in once the window is on screen; giving up closes the workstation.
    QTimer::singleShot(0, &window, [&window] {
        if (!window.signIn()) window.close();
    });
    return QApplication::exec();
}
