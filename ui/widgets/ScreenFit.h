#pragma once
// Every window fits the screen it opens on, down to a 1366x768 laptop (issue 9 item 8): windows ask for
// the size they would like and get at most the screen's available area; pages whose content is taller
// than that scroll instead of pushing their buttons off-screen.

#include <QSize>

class QVBoxLayout;
class QWidget;

namespace facelead::ui {

// Resizes the window to `wanted`, bounded by the available geometry of its screen (or the primary one).
void resizeToFit(QWidget& window, QSize wanted);

// Makes `page` a vertical layout holding a frameless scroll area; returns the layout of the scrolled
// content, where the page puts its widgets. Whatever is added to page->layout() itself (banners) stays
// outside the scroll area, always visible.
QVBoxLayout* scrollingContent(QWidget& page);

}  // namespace facelead::ui
