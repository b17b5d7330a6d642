#include "ui/MainWindow.h"

#include <QStatusBar>

namespace facelead::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("FaceLead"));
    statusBar()->showMessage(tr("Ready"));
}

}  // namespace facelead::ui
