#include "ui/widgets/ImageView.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace facelead::ui {

namespace {
constexpr double kMinZoom = 0.02;
constexpr double kMaxZoom = 32.0;
constexpr double kWheelStep = 1.25;
}  // namespace

ImageView::ImageView(QWidget* parent) : QWidget(parent) {
    setMinimumSize(200, 200);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(false);
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, QColor(40, 40, 40));
    setPalette(pal);
}

void ImageView::setImage(const QImage& image) {
    image_ = image;
    frame_ = {};
    boxes_.clear();
    landmarks_.clear();
    selected_ = -1;
    fitToWindow();
}

void ImageView::clear() { setImage({}); stamp_.clear(); blend_ = {}; }

void ImageView::setStamp(const QString& stamp) { stamp_ = stamp; update(); }

void ImageView::setBoxes(const std::vector<QRect>& boxes) { boxes_ = boxes; selected_ = -1; update(); }

void ImageView::setSelectedBox(int index) { selected_ = index; update(); }

void ImageView::setLandmarks(const std::vector<QPointF>& points) { landmarks_ = points; update(); }

void ImageView::setLandmarksVisible(bool visible) { landmarksVisible_ = visible; update(); }

void ImageView::setPointPicking(bool on) {
    pointPicking_ = on;
    setCursor(on ? Qt::CrossCursor : Qt::ArrowCursor);
}

void ImageView::setBlendImage(const QImage& image) { blend_ = image; update(); }

void ImageView::setBlendOpacity(double opacity) { blendOpacity_ = std::clamp(opacity, 0.0, 1.0); update(); }

void ImageView::fitToWindow() {
    fitted_ = true;
    const QRectF area = frame_.isEmpty() ? QRectF(0, 0, image_.width(), image_.height()) : frame_;
    if (image_.isNull() || width() <= 0 || height() <= 0 || area.isEmpty()) {
        zoom_ = 1.0;
        center_ = {};
    } else {
        zoom_ = std::clamp(std::min(width() / area.width(), height() / area.height()), kMinZoom, kMaxZoom);
        center_ = area.center();
    }
    update();
}

void ImageView::frame(const QRectF& area) {
    frame_ = area;
    fitToWindow();
    emit viewChanged(zoom_, center_);
}

void ImageView::setViewState(double zoom, QPointF center) {
    fitted_ = false;
    zoom_ = std::clamp(zoom, kMinZoom, kMaxZoom);
    center_ = center;
    update();
}

void ImageView::changeView(double zoom, QPointF center) {
    setViewState(zoom, center);
    emit viewChanged(zoom_, center_);
}

QPointF ImageView::toScreen(QPointF p) const {
    return (p - center_) * zoom_ + QPointF(width() / 2.0, height() / 2.0);
}

QPointF ImageView::toImage(QPointF s) const {
    return (s - QPointF(width() / 2.0, height() / 2.0)) / zoom_ + center_;
}

void ImageView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    if (image_.isNull()) {
        painter.setPen(Qt::lightGray);
        painter.drawText(rect(), Qt::AlignCenter, tr("No image"));
        return;
    }
    painter.setRenderHint(QPainter::SmoothPixmapTransform, zoom_ < 4.0);
    const QRectF target(toScreen({0, 0}), toScreen(QPointF(image_.width(), image_.height())));
    painter.drawImage(target, image_);
    if (!blend_.isNull() && blendOpacity_ > 0) {
        painter.setOpacity(blendOpacity_);
        painter.drawImage(target, blend_);
        painter.setOpacity(1.0);
    }
    painter.setRenderHint(QPainter::Antialiasing);
    QFont numberFont = font();
    numberFont.setBold(true);
    numberFont.setPointSizeF(numberFont.pointSizeF() * 1.3);
    painter.setFont(numberFont);
    for (std::size_t i = 0; i < boxes_.size(); ++i) {
        const bool chosen = int(i) == selected_;
        const QRectF box(toScreen(boxes_[i].topLeft()), toScreen(boxes_[i].bottomRight() + QPoint(1, 1)));
        painter.setPen(QPen(chosen ? QColor(0, 220, 90) : QColor(255, 200, 0), chosen ? 4 : 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(box);
        const QString number = QString::number(i + 1);
        const QRectF tag(box.topLeft() - QPointF(0, 24), QSizeF(28, 24));
        painter.fillRect(tag, chosen ? QColor(0, 160, 70) : QColor(200, 150, 0));
        painter.setPen(Qt::black);
        painter.drawText(tag, Qt::AlignCenter, number);
    }
    if (landmarksVisible_) {
        painter.setPen(QPen(QColor(0, 200, 255), 2));
        painter.setBrush(QColor(0, 200, 255));
        for (std::size_t i = 0; i < landmarks_.size(); ++i) {
            const QPointF p = toScreen(landmarks_[i]);
            painter.drawEllipse(p, 3, 3);
            // Marked by hand: each point numbered in the order it was clicked, so the wrong one is found.
            if (pointPicking_) painter.drawText(p + QPointF(6, -6), QString::number(i + 1));
        }
    }
    if (!stamp_.isEmpty()) {
        QFont stampFont = font();
        stampFont.setBold(true);
        stampFont.setPixelSize(std::max(12, std::min(width(), height()) / 16));
        // Shrink until the whole stamp fits the width: it must always be read in full.
        while (stampFont.pixelSize() > 10 && QFontMetrics(stampFont).horizontalAdvance(stamp_) > width() - 16)
            stampFont.setPixelSize(stampFont.pixelSize() - 1);
        painter.setFont(stampFont);
        const QRect band(0, 0, width(), stampFont.pixelSize() * 2);
        painter.fillRect(band, QColor(180, 0, 0, 200));
        painter.setPen(Qt::white);
        painter.drawText(band, Qt::AlignCenter, stamp_);
    }
}

void ImageView::wheelEvent(QWheelEvent* event) {
    if (image_.isNull()) return;
    const double factor = event->angleDelta().y() > 0 ? kWheelStep : 1.0 / kWheelStep;
    // Zoom around the cursor: the image point under it stays put.
    const QPointF anchor = toImage(event->position());
    const double zoom = std::clamp(zoom_ * factor, kMinZoom, kMaxZoom);
    const QPointF center = anchor - (event->position() - QPointF(width() / 2.0, height() / 2.0)) / zoom;
    changeView(zoom, center);
}

void ImageView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    dragging_ = true;
    dragMoved_ = false;
    dragStart_ = event->position();
    dragCenter_ = center_;
}

void ImageView::mouseMoveEvent(QMouseEvent* event) {
    if (!dragging_) return;
    const QPointF delta = event->position() - dragStart_;
    if (delta.manhattanLength() > 3) dragMoved_ = true;
    if (dragMoved_) changeView(zoom_, dragCenter_ - delta / zoom_);
}

void ImageView::mouseReleaseEvent(QMouseEvent* event) {
    if (!dragging_) return;
    dragging_ = false;
    if (dragMoved_) return;
    const QPointF p = toImage(event->position());
    if (pointPicking_) {
        emit pointPicked(p);
        return;
    }
    for (std::size_t i = 0; i < boxes_.size(); ++i) {
        if (QRectF(boxes_[i]).contains(p)) {
            emit boxClicked(int(i));
            return;
        }
    }
}

void ImageView::resizeEvent(QResizeEvent*) {
    if (!fitted_) return;
    fitToWindow();
    emit viewChanged(zoom_, center_);  // a locked partner follows
}

void ImageView::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
    case Qt::Key_Plus: case Qt::Key_Equal: changeView(zoom_ * kWheelStep, center_); break;
    case Qt::Key_Minus: changeView(zoom_ / kWheelStep, center_); break;
    case Qt::Key_0: frame({}); break;
    default: QWidget::keyPressEvent(event);
    }
}

}  // namespace facelead::ui
