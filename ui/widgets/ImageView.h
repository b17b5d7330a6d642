#pragma once
// A zoomable, pannable image view with the overlays the workstation needs: numbered face boxes, landmark
// points, a blend image (opacity or flicker) and the "ENHANCED COPY" stamp. Two views can be locked
// together (comparison) through viewChanged()/setViewState().
//
// Coordinates: overlays are given in image pixels, origin top-left (as FaceEngine reports them).

#include <QImage>
#include <QPointF>
#include <QRect>
#include <QString>
#include <QWidget>

#include <vector>

namespace facelead::ui {

class ImageView : public QWidget {
    Q_OBJECT
public:
    explicit ImageView(QWidget* parent = nullptr);

    void setImage(const QImage& image);
    const QImage& image() const { return image_; }
    void clear();

    // "ENHANCED COPY" on every view of a derived image (SOP 302.02 VI.B.2); empty for none.
    void setStamp(const QString& stamp);
    QString stamp() const { return stamp_; }

    void setBoxes(const std::vector<QRect>& boxes);  // drawn numbered 1..n
    void setSelectedBox(int index);                 // -1: none
    int selectedBox() const { return selected_; }
    void setLandmarks(const std::vector<QPointF>& points);
    const std::vector<QPointF>& landmarks() const { return landmarks_; }
    bool landmarksVisible() const { return landmarksVisible_; }
    void setLandmarksVisible(bool visible);
    // Point picking (hand marking): a click (not a drag) emits pointPicked instead of boxClicked; a crosshair cursor.
    void setPointPicking(bool on);

    // A second image drawn over this one, scaled to the same size (comparison blend), 0..1.
    void setBlendImage(const QImage& image);
    void setBlendOpacity(double opacity);

    // Zoom 1.0 = one image pixel per screen pixel; the centre is in image pixels.
    double zoom() const { return zoom_; }
    QPointF center() const { return center_; }
    void setViewState(double zoom, QPointF center);  // does not emit viewChanged
    void fitToWindow();
    // Fits this part of the image (image pixels) to the view, and keeps it fitted on resize until the
    // user zooms or pans.
    void frame(const QRectF& area);

    QSize sizeHint() const override { return {420, 420}; }

signals:
    void viewChanged(double zoom, QPointF center);
    void boxClicked(int index);
    void pointPicked(QPointF imagePoint);

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    QPointF toScreen(QPointF imagePoint) const;
    QPointF toImage(QPointF screenPoint) const;
    void changeView(double zoom, QPointF center);

    QImage image_;
    QImage blend_;
    double blendOpacity_ = 0;
    QString stamp_;
    std::vector<QRect> boxes_;
    int selected_ = -1;
    std::vector<QPointF> landmarks_;
    bool landmarksVisible_ = false;
    bool pointPicking_ = false;
    double zoom_ = 1.0;
    QPointF center_;
    bool fitted_ = true;  // follow the widget size until the user zooms or pans
    QRectF frame_;        // the part fitted; empty: the whole image
    QPointF dragStart_;
    QPointF dragCenter_;
    bool dragging_ = false;
    bool dragMoved_ = false;
};

}  // namespace facelead::ui
