// facelead: the investigator's workstation.

#include <QApplication>
#include <QCommandLineParser>
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

    QCommandLineParser options;
    options.setApplicationDescription(QStringLiteral("FaceLead investigator workstation (SOP 302.02)"));
    options.addHelpOption();
    options.addVersionOption();
    const QCommandLineOption modelsOption(QStringLiteral("models"),
                                          QStringLiteral("Folder with the three dlib model files."),
                                          QStringLiteral("DIR"));
    const QCommandLineOption storeOption(QStringLiteral("store"), QStringLiteral("The case store to open."),
                                         QStringLiteral("PATH"));
    options.addOption(modelsOption);
    options.addOption(storeOption);
    options.process(app);

    facelead::ui::AppContext context;
    if (options.isSet(modelsOption)) context.settings().modelsDir = options.value(modelsOption);
    if (options.isSet(storeOption)) context.settings().storePath = options.value(storeOption);
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
