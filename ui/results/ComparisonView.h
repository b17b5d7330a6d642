#pragma once
// Side-by-side comparison of the ORIGINAL probe with a candidate's gallery photo (SOP 302.02 VI.B.2:
// never the enhanced copy here): synchronized zoom and pan (the two faces are put in register by their
// eyes, or their boxes), an optional landmark overlay, and a blend of the candidate over the probe by
// opacity or flicker. The lead-only banner is part of the view.

#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QTransform>
#include <QWidget>

#include <optional>
#include <vector>

class QCheckBox;
class QLabel;
class QSlider;
class QTimer;

namespace facelead::ui {

class ImageView;

struct FaceGeometry {
    QRectF box;
    std::vector<QPointF> landmarks;  // the 5 points of FaceEngine, may be empty
};

class ComparisonView : public QWidget {
    Q_OBJECT
public:
    explicit ComparisonView(QWidget* parent = nullptr);

    void setProbe(const QImage& image, const std::optional<FaceGeometry>& face, const QString& caption);
    void setCandidate(const QImage& image, const std::optional<FaceGeometry>& face, const QString& caption);
    void clearCandidate(const QString& message);

    ImageView* probeView() const { return probe_; }
    QString probeCaption() const;
    ImageView* candidateView() const { return candidate_; }
    QCheckBox* syncBox() const { return sync_; }
    QSlider* blendSlider() const { return blend_; }
    // Candidate pixels -> probe pixels (identity until both faces are known).
    QTransform candidateToProbe() const { return candidateToProbe_; }

private:
    void updateRegistration();
    void followProbe(double zoom, QPointF center);
    void followCandidate(double zoom, QPointF center);
    void updateBlend();

    ImageView* probe_;
    ImageView* candidate_;
    QLabel* probeCaption_;
    QLabel* candidateCaption_;
    QCheckBox* sync_;
    QCheckBox* landmarks_;
    QSlider* blend_;
    QCheckBox* flicker_;
    QTimer* flickerTimer_;
    bool flickerShown_ = false;
    QImage probeImage_, candidateImage_;
    std::optional<FaceGeometry> probeFace_, candidateFace_;
    QTransform candidateToProbe_;
    double scale_ = 1;  // probe pixels per candidate pixel
    bool following_ = false;
};

}  // namespace facelead::ui
