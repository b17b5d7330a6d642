#include "ui/widgets/SteadyLabel.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTextDocument>
#include <QTextEdit>

#include <algorithm>
#include <functional>

namespace facelead::ui {
namespace {

// Bold or styled text is a little taller than the plain font a widget has before it is polished.
int lineHeight(const QWidget& widget) {
    QFont font = widget.font();
    font.setBold(true);
    return QFontMetrics(font).lineSpacing() + 1;
}

constexpr const char* kRefusalWatch = "refusalWatch";

// Calls `changed` (in `context`) whenever the user changes an input inside `scope`.
void onUserEdit(QWidget& scope, QObject* context, const std::function<void()>& changed) {
    for (auto* edit : scope.findChildren<QLineEdit*>()) QObject::connect(edit, &QLineEdit::textEdited, context, changed);
    for (auto* edit : scope.findChildren<QPlainTextEdit*>())
        if (!edit->isReadOnly()) QObject::connect(edit, &QPlainTextEdit::textChanged, context, changed);
    for (auto* edit : scope.findChildren<QTextEdit*>())
        if (!edit->isReadOnly()) QObject::connect(edit, &QTextEdit::textChanged, context, changed);
    for (auto* combo : scope.findChildren<QComboBox*>()) QObject::connect(combo, &QComboBox::activated, context, changed);
    for (auto* button : scope.findChildren<QAbstractButton*>())
        if (button->isCheckable()) QObject::connect(button, &QAbstractButton::clicked, context, changed);
    for (auto* spin : scope.findChildren<QSpinBox*>()) QObject::connect(spin, &QSpinBox::valueChanged, context, changed);
    for (auto* spin : scope.findChildren<QDoubleSpinBox*>())
        QObject::connect(spin, &QDoubleSpinBox::valueChanged, context, changed);
    for (auto* edit : scope.findChildren<QDateTimeEdit*>())
        QObject::connect(edit, &QDateTimeEdit::dateTimeChanged, context, changed);
    for (auto* slider : scope.findChildren<QAbstractSlider*>())
        QObject::connect(slider, &QAbstractSlider::actionTriggered, context, changed);
    for (auto* view : scope.findChildren<QAbstractItemView*>())
        QObject::connect(view, &QAbstractItemView::clicked, context, changed);
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

namespace facelead::ui {

void showRefusal(QLabel& line, const QString& refusal) {
    // One watch per line: a new refusal replaces the last one's (deleting it disconnects it).
    delete line.findChild<QObject*>(QLatin1String(kRefusalWatch), Qt::FindDirectChildrenOnly);
    line.setText(refusal);
    if (refusal.isEmpty()) return;
    auto* watch = new QObject(&line);
    watch->setObjectName(QLatin1String(kRefusalWatch));
    onUserEdit(*line.window(), watch, [&line, watch] {
        line.clear();
        watch->deleteLater();
    });
}

}  // namespace facelead::ui
