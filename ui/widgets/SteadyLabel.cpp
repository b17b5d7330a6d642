#include "ui/widgets/SteadyLabel.h"

#include <QLabel>

namespace facelead::ui {

void reserveLines(QLabel& label, int lines) {
    label.setWordWrap(true);
    label.setAlignment(Qt::AlignLeft | Qt::AlignTop);
    // Bold or styled text is a little taller than the plain font the label has before it is polished.
    QFont font = label.font();
    font.setBold(true);
    const int lineHeight = QFontMetrics(font).lineSpacing() + 1;
    const QMargins margins = label.contentsMargins();
    label.setMinimumHeight(lines * lineHeight + 2 * label.margin() + margins.top() + margins.bottom());
}

}  // namespace facelead::ui
