#include "ui/widgets/WrappedCheckBox.h"

#include <QCheckBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>

namespace facelead::ui {

WrappedCheckBox::WrappedCheckBox(const QString& text, QWidget* parent)
    : QWidget(parent), box_(new QCheckBox(this)), label_(new QLabel(text, this)) {
    label_->setWordWrap(true);
    label_->setBuddy(box_);
    label_->installEventFilter(this);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(box_, 0, Qt::AlignTop);
    layout->addWidget(label_, 1);
}

bool WrappedCheckBox::eventFilter(QObject* watched, QEvent* event) {
    if (watched == label_ && event->type() == QEvent::MouseButtonRelease && box_->isEnabled() &&
        static_cast<QMouseEvent*>(event)->button() == Qt::LeftButton) {
        box_->toggle();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

}  // namespace facelead::ui
