#pragma once
// A check box whose text wraps (issue 9: the poor-quality acknowledgement on the wizard's face page was one
// line as wide as its text, widening the side column beside the image and the wizard past a 1366x768 screen).
// A QCheckBox never wraps its own text: the box carries none, and a word-wrapping label beside it does, ticking
// the box when clicked as the box's own text would.

#include <QWidget>

class QCheckBox;
class QLabel;

namespace facelead::ui {

class WrappedCheckBox : public QWidget {
public:
    explicit WrappedCheckBox(const QString& text, QWidget* parent = nullptr);
    QCheckBox* box() const { return box_; }
    QLabel* label() const { return label_; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QCheckBox* box_;
    QLabel* label_;
};

}  // namespace facelead::ui
