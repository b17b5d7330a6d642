#include "ui/widgets/SteadyLabel.h"

#include <QLabel>
#include <QTextDocument>
#include <QTextEdit>

#include <algorithm>

namespace facelead::ui {
namespace {

// Bold or styled text is a little taller than the plain font a widget has before it is polished.
int lineHeight(const QWidget& widget) {
    QFont font = widget.font();
    font.setBold(true);
    return QFontMetrics(font).lineSpacing() + 1;
}

}  // namespace

void reserveLines(QLabel& label, int lines) {
    label.setWordWrap(true);
    label.setAlignment(Qt::AlignLeft | Qt::AlignTop);
    const QMargins margins = label.contentsMargins();
    label.setMinimumHeight(lines * lineHeight(label) + 2 * label.margin() + margins.top() + margins.bottom());
}

int fixedLinesHeight(const QTextEdit& box, int lines) {
    // The frame is measured before a style sheet may change it: room for a frame of up to 2 px.
    const int frame = std::max(box.frameWidth(), 2);
    return lines * lineHeight(box) + 2 * int(box.document()->documentMargin()) + 2 * frame;
}

void makeErrorLine(QLabel& label, int lines) {
    label.setStyleSheet(QStringLiteral("color:#b00020; font-weight:bold;"));
    reserveLines(label, lines);
}

}  // namespace facelead::ui
