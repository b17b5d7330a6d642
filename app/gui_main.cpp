// facelead: the investigator's workstation.

#include <QApplication>

#include "app/Bootstrap.h"
#include "ui/MainWindow.h"

int main(int argc, char** argv) {
    facelead::hardenProcess();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("FaceLead"));
    QApplication::setApplicationName(QStringLiteral("FaceLead"));
    facelead::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
