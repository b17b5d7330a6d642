#pragma once

#include <QMainWindow>

namespace facelead::ui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};

}  // namespace facelead::ui
