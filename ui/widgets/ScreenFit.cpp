#include "ui/widgets/ScreenFit.h"

#include <QGuiApplication>
#include <QScreen>
#include <QScrollArea>
#include <QVBoxLayout>
#include <QWidget>

namespace facelead::ui {

void resizeToFit(QWidget& window, QSize wanted) {
    QScreen* screen = window.screen() ? window.screen() : QGuiApplication::primaryScreen();
    if (screen) {
        // Leave room for the window frame and title bar a window manager adds.
        const QSize room = screen->availableGeometry().size() - QSize(16, 48);
        wanted = wanted.boundedTo(room);
    }
    window.resize(wanted);
}

QVBoxLayout* scrollingContent(QWidget& page) {
    auto* outer = new QVBoxLayout(&page);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea(&page);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    auto* content = new QWidget(scroll);
    scroll->setWidget(content);
    outer->addWidget(scroll, 1);
    return new QVBoxLayout(content);
}

}  // namespace facelead::ui
