#include "core/face/Quality.h"

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <limits>
#include <numbers>
#include <sstream>

namespace facelead::face {
namespace {

// shape_predictor_5_face_landmarks: points 0,1 and 2,3 are the corners of the two eyes, 4 the nose base.
constexpr std::size_t kLandmarkCount = 5;
// Depth of the nose base in front of the eye line, as a fraction of the eye distance (adult average):
// turns a sideways shift of the nose into an angle.
constexpr double kNoseDepthPerEyeDistance = 0.5;

Point midpoint(const Point& a, const Point& b) { return {(a.x + b.x) / 2, (a.y + b.y) / 2}; }
double distanceBetween(const Point& a, const Point& b) { return std::hypot(a.x - b.x, a.y - b.y); }

std::string formatNumber(double value) {
    std::ostringstream out;
    out.precision(3);
    out << value;
    return out.str();
}

class Grader {
public:
    void poorIf(bool condition, const std::string& reason) { mark(condition, QualityVerdict::Poor, reason); }
    void marginalIf(bool condition, const std::string& reason) { mark(condition, QualityVerdict::Marginal, reason); }
    void apply(Quality& quality) const {
        quality.verdict = verdict_;
        quality.reasons = reasons_;
    }

private:
    void mark(bool condition, QualityVerdict level, const std::string& reason) {
        if (!condition) return;
        reasons_.push_back(reason);
        if (level == QualityVerdict::Poor || verdict_ == QualityVerdict::Good) verdict_ = level;
    }
    QualityVerdict verdict_ = QualityVerdict::Good;
    std::vector<std::string> reasons_;
};

// One measurement against its poor and good limits. lowerIsWorse: the limits are minimums, else maximums.
struct Limit {
    double poor, good;
    bool lowerIsWorse;
};

void grade(Grader& grader, double value, const Limit& limit, const std::string& what, const std::string& advice) {
    const auto worse = [&](double bound) { return limit.lowerIsWorse ? value < bound : value > bound; };
    const std::string side = limit.lowerIsWorse ? "below" : "above";
    const std::string comparison = ", " + side + " the " + formatNumber(limit.good) + " wanted: " + advice;
    if (worse(limit.poor)) grader.poorIf(true, what + " is " + formatNumber(value) + ", far" + comparison.substr(1));
    else grader.marginalIf(worse(limit.good), what + " is " + formatNumber(value) + comparison);
}

}  // namespace

double estimateYawDegrees(const std::vector<Point>& landmarks) {
    if (landmarks.size() != kLandmarkCount) return 0;
    const Point eyeA = midpoint(landmarks[0], landmarks[1]);
    const Point eyeB = midpoint(landmarks[2], landmarks[3]);
    const double eyeDistance = distanceBetween(eyeA, eyeB);
    if (eyeDistance <= 0) return 0;
    // Offset of the nose from the middle of the eyes, measured along the eye line.
    const Point middle = midpoint(eyeA, eyeB);
    const double axisX = (eyeB.x - eyeA.x) / eyeDistance, axisY = (eyeB.y - eyeA.y) / eyeDistance;
    const double shift = (landmarks[4].x - middle.x) * axisX + (landmarks[4].y - middle.y) * axisY;
    return std::atan(shift / eyeDistance / kNoseDepthPerEyeDistance) * 180.0 / std::numbers::pi;
}

namespace {

// The measures of the chip and their grades; size, eye distance and yaw are set by the caller.
void measureChip(Quality& quality, const cv::Mat& chipRgb) {
    cv::Mat grey;
    cv::cvtColor(chipRgb, grey, cv::COLOR_RGB2GRAY);
    cv::Scalar mean, deviation;
    cv::meanStdDev(grey, mean, deviation);
    quality.brightness = mean[0];
    quality.contrast = deviation[0];
    cv::Mat laplacian;
    cv::Laplacian(grey, laplacian, CV_64F);
    cv::meanStdDev(laplacian, mean, deviation);
    quality.sharpness = deviation[0] * deviation[0];
}

void gradeMeasures(Grader& grader, const Quality& quality, const QualityThresholds& thresholds, bool yawMeasured) {
    const auto& t = thresholds;
    grade(grader, quality.faceWidthPx, {t.poorFaceWidthPx, t.goodFaceWidthPx, true}, "Face width (pixels)",
          "use a closer or higher-resolution image");
    grade(grader, quality.interOcularPx, {t.poorInterOcularPx, t.goodInterOcularPx, true},
          "Distance between the eyes (pixels)", "use a closer or higher-resolution image");
    grade(grader, quality.sharpness, {t.poorSharpness, t.goodSharpness, true}, "Sharpness",
          "the face is blurred; results are unreliable");
    grade(grader, quality.contrast, {t.poorContrast, t.goodContrast, true}, "Contrast",
          "the face is washed out or in shadow");
    grade(grader, quality.brightness, {t.poorMinBrightness, t.goodMinBrightness, true}, "Brightness",
          "the face is too dark");
    grade(grader, quality.brightness, {t.poorMaxBrightness, t.goodMaxBrightness, false}, "Brightness",
          "the face is over-exposed");
    if (!yawMeasured) return;
    const double yaw = std::abs(quality.yawDegrees);
    grader.poorIf(yaw > thresholds.poorYawDegrees,
                  "The head is turned about " + formatNumber(yaw) + " degrees; a frontal view is needed");
    grader.marginalIf(yaw > thresholds.goodYawDegrees && yaw <= thresholds.poorYawDegrees,
                      "The head is turned about " + formatNumber(yaw) + " degrees; a more frontal view is better");
}

}  // namespace

Quality assessQuality(const Box& box, const std::vector<Point>& landmarks, const cv::Mat& chipRgb,
                      const QualityThresholds& thresholds) {
    Quality quality;
    quality.faceWidthPx = box.width();
    if (landmarks.size() == kLandmarkCount)
        quality.interOcularPx = distanceBetween(midpoint(landmarks[0], landmarks[1]), midpoint(landmarks[2], landmarks[3]));
    quality.yawDegrees = estimateYawDegrees(landmarks);
    measureChip(quality, chipRgb);
    Grader grader;
    gradeMeasures(grader, quality, thresholds, true);
    grader.apply(quality);
    return quality;
}

Quality assessMarkedQuality(const Box& box, const MarkedPoints& checked, const cv::Mat& chipRgb,
                            const QualityThresholds& thresholds) {
    Quality quality;
    quality.faceWidthPx = box.width();
    quality.interOcularPx = distanceBetween(checked.leftEye, checked.rightEye);
    // The nose tip stands further in front of the eyes than the nose base the estimate assumes: the turn is
    // overstated a little, which errs on the side of a worse verdict.
    quality.yawDegrees = std::numeric_limits<double>::quiet_NaN();
    if (checked.noseTip) {
        quality.yawDegrees = estimateYawDegrees({checked.leftEye, checked.leftEye, checked.rightEye, checked.rightEye,
                                                 *checked.noseTip});
    }
    measureChip(quality, chipRgb);
    Grader grader;
    gradeMeasures(grader, quality, thresholds, checked.noseTip.has_value());
    grader.marginalIf(true, "The face was marked by hand: the engine did not place its landmarks, so the alignment "
                            "rests on where the points were clicked; candidates are weaker leads");
    grader.marginalIf(!checked.noseTip, "The head turn was not measured: only the eyes were marked (mark the nose "
                                        "tip to measure it)");
    grader.apply(quality);
    return quality;
}

}  // namespace facelead::face
