#pragma once
// "Mark the face by hand…" on the face page and in each further probe's face choice (issue 10 item 4, for every
// probe): the examiner clicks the eye centres on the image at
// any zoom (then, if they like, the nose tip and both mouth corners), sees the points, undoes the last one, and
// uses them. The face is made by the core (face::FaceEngine::analyzeMarked, off the UI thread); a refusal is shown
// word for word and the points stay for correction. Drag still pans and the wheel zooms while marking.

#include <QFutureWatcher>
#include <QWidget>

#include <memory>
#include <vector>

#include "core/common/Result.h"
#include "core/face/FaceEngine.h"

class QLabel;
class QPushButton;

namespace facelead::ui {

class ImageView;

class HandMarkingPanel : public QWidget {
    Q_OBJECT
public:
    HandMarkingPanel(ImageView& view, QWidget* parent = nullptr);

    // Starts marking on `image` (the pixels shown in the view, which must outlive the marking) with `engine`.
    // image: the pixels (shared, read only) and their intake notes, so a face marked on a damaged file says so.
    void start(const imaging::Image& image, const face::FaceEngine& engine);
    void stop();
    bool marking() const { return marking_; }
    bool working() const { return working_; }

    // What a click on the view does while marking (also the test's way in): adds the next point, image pixels.
    void addPoint(QPointF imagePoint);
    void undo();
    // Makes the face from the points (2, 3 or 5) in the background; emits faceMarked or shows the refusal.
    void use();

    QString prompt() const;
    QString error() const;
    int pointCount() const { return int(points_.size()); }
    QPushButton* useButton() const { return use_; }

signals:
    void faceMarked(const face::Face& face);
    void stopped();

private:
    void refresh();

    ImageView& view_;
    QLabel* prompt_;
    QLabel* error_;
    QPushButton* undo_;
    QPushButton* use_;
    QPushButton* cancel_;
    std::vector<face::Point> points_;
    imaging::Image image_;
    const face::FaceEngine* engine_ = nullptr;
    bool marking_ = false;
    bool working_ = false;
    QFutureWatcher<std::shared_ptr<Result<face::Face>>> maker_;
};

}  // namespace facelead::ui
