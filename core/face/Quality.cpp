#include "core/face/Quality.h"

#include "core/face/detail/ChipGeometry.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

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

// The mean 5-point shape and its spread on clean photos, in units of the eye distance (or of the box width for the eye
// distance itself): measured by tests/benchmarks/face/calibrate_quality on the 668 photos of identities.csv with a face (docs/CALIBRATION.md,
// "Landmark plausibility"). A shape component: its mean and standard deviation.
struct ShapeComponent {
    double mean, deviation;
};
constexpr ShapeComponent kNoseDrop{0.719, 0.083};        // nose base below the eye line
constexpr ShapeComponent kEyeWidth{0.392, 0.024};        // one eye's corner-to-corner span
constexpr ShapeComponent kEyesPerBoxWidth{0.434, 0.036};  // eye distance / detector box width
// JPEG codes the picture in 8x8 blocks (ISO/IEC 10918-1): heavy compression shows as steps on that grid.
constexpr int kJpegBlock = 8;
// Below this many pixels a side the block grid is not measured (too few block edges to count).
constexpr int kSmallestBlockRegion = 4 * kJpegBlock;

// The part of the face's box that lies inside the picture.
cv::Rect boxInPicture(const cv::Mat& picture, const Box& box) {
    return cv::Rect(box.left, box.top, box.width(), box.height()) & cv::Rect(0, 0, picture.cols, picture.rows);
}

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

double estimateRollDegrees(const std::vector<Point>& landmarks) {
    if (landmarks.size() != kLandmarkCount) return 0;
    // Points 2,3 are the eye on the left of an upright face's picture, points 0,1 the one on the right.
    const Point left = midpoint(landmarks[2], landmarks[3]);
    const Point right = midpoint(landmarks[0], landmarks[1]);
    return std::atan2(right.y - left.y, right.x - left.x) * 180.0 / std::numbers::pi;
}

std::optional<LandmarkShape> measureLandmarkShape(const Box& box, const std::vector<Point>& landmarks) {
    if (landmarks.size() != kLandmarkCount || box.width() <= 0) return std::nullopt;
    const Point left = midpoint(landmarks[2], landmarks[3]);
    const Point right = midpoint(landmarks[0], landmarks[1]);
    const double eyes = distanceBetween(left, right);
    if (eyes <= 0) return std::nullopt;
    // "Down" is square to the eye line, towards the mouth of an upright face, whatever the roll.
    const double downX = -(right.y - left.y) / eyes, downY = (right.x - left.x) / eyes;
    const Point middle = midpoint(left, right);
    LandmarkShape shape;
    shape.noseDrop = ((landmarks[4].x - middle.x) * downX + (landmarks[4].y - middle.y) * downY) / eyes;
    shape.eyeWidths = {distanceBetween(landmarks[0], landmarks[1]) / eyes, distanceBetween(landmarks[2], landmarks[3]) / eyes};
    shape.eyesPerBoxWidth = eyes / box.width();
    return shape;
}

double landmarkDeviation(const Box& box, const std::vector<Point>& landmarks) {
    const auto shape = measureLandmarkShape(box, landmarks);
    if (!shape) return std::numeric_limits<double>::infinity();
    const auto z = [](double value, const ShapeComponent& c) { return std::abs(value - c.mean) / c.deviation; };
    return std::max({z(shape->noseDrop, kNoseDrop), z(shape->eyeWidths[0], kEyeWidth), z(shape->eyeWidths[1], kEyeWidth),
                     z(shape->eyesPerBoxWidth, kEyesPerBoxWidth)});
}

namespace {

// Mean step across the lines of one direction (rows of `grey` are the lines), at each position along them.
std::vector<double> stepsAlong(const cv::Mat& grey) {
    cv::Mat steps;
    cv::absdiff(grey.colRange(1, grey.cols), grey.colRange(0, grey.cols - 1), steps);
    cv::Mat mean;
    cv::reduce(steps, mean, 0, cv::REDUCE_AVG, CV_64F);
    return {mean.begin<double>(), mean.end<double>()};
}

double median(std::vector<double> values) {
    if (values.empty()) return 1;
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

// Block by block, the step on the 8-pixel grid against the mean step inside the block; the median over the blocks, at
// the grid phase where it is largest (the region need not start on the grid, and a turned copy moves it).
// step[i] lies between columns first+i and first+i+1.
double gridRatio(const std::vector<double>& steps, int first) {
    double best = 1;
    for (int phase = 0; phase < kJpegBlock; ++phase) {
        std::vector<double> ratios;
        for (std::size_t edge = 0; edge + kJpegBlock <= steps.size(); ++edge) {
            if ((first + static_cast<int>(edge) + 1) % kJpegBlock != phase) continue;
            double inside = 0;
            for (std::size_t i = edge + 1; i < edge + kJpegBlock; ++i) inside += steps[i];
            inside /= kJpegBlock - 1;
            if (inside > 0) ratios.push_back(steps[edge] / inside);
        }
        best = std::max(best, median(std::move(ratios)));
    }
    return best;
}

}  // namespace

double measureBlockiness(const cv::Mat& imageRgb, const Box& box) {
    const cv::Rect region = boxInPicture(imageRgb, box);
    if (region.width < kSmallestBlockRegion || region.height < kSmallestBlockRegion) return 1;
    cv::Mat grey;
    cv::cvtColor(imageRgb(region), grey, cv::COLOR_RGB2GRAY);
    const double across = gridRatio(stepsAlong(grey), region.x);
    const double down = gridRatio(stepsAlong(grey.t()), region.y);
    return (across + down) / 2;
}

namespace {

// The measures of the chip and their grades; size, eye distance and yaw are set by the caller.
void measureChip(Quality& quality, const AlignedChip& chip, EyeCheck eyes) {
    quality.eyeDetail = measureEyeDetail(chip.rgb);
    if (eyes == EyeCheck::Look) quality.eyesSeen = countEyesSeen(chip.rgb);
    quality.irisTexture = measureIrisTexture(chip.rgb);
    cv::Mat grey;
    cv::cvtColor(chip.rgb, grey, cv::COLOR_RGB2GRAY);
    cv::Scalar mean, deviation;
    cv::meanStdDev(grey, mean, deviation);
    quality.brightness = mean[0];
    quality.contrast = deviation[0];
    quality.sharpness = measureSharpness(chip.rgb);
    quality.faceInPicture = chip.faceInPicture;
}

// The measures of the face's box in the picture (none without a picture).
void measurePicture(Quality& quality, const cv::Mat& imageRgb, const Box& box) {
    if (imageRgb.empty()) return;
    quality.blockiness = measureBlockiness(imageRgb, box);
    quality.greyLevels = measureGreyLevels(imageRgb, box);
    quality.noise = measureNoise(imageRgb, box);
}

// Sum of the steps between neighbours along x (or y) over the face proper, and of what a 9-pixel blur along the same
// direction takes away from them; `positions`, how many steps were summed.
struct ReblurSums {
    double steps = 0, removed = 0, positions = 0;
};
ReblurSums reblurSums(const cv::Mat& grey, bool alongY) {
    constexpr int kReblur = 9;  // the paper's low-pass filter: a 9-pixel box along the direction measured
    cv::Mat blurred;
    cv::blur(grey, blurred, alongY ? cv::Size(1, kReblur) : cv::Size(kReblur, 1));
    const auto steps = [alongY](const cv::Mat& image) {
        cv::Mat out;
        if (alongY) cv::absdiff(image.rowRange(1, image.rows), image.rowRange(0, image.rows - 1), out);
        else cv::absdiff(image.colRange(1, image.cols), image.colRange(0, image.cols - 1), out);
        return out;
    };
    const cv::Mat original = steps(grey), reblurred = steps(blurred);
    const int from = detail::kFaceProper.first, to = detail::kFaceProper.last - 1;
    const cv::Rect faceProper(from, from, to - from, to - from);
    cv::Mat removed;
    cv::subtract(original(faceProper), reblurred(faceProper), removed);
    removed = cv::max(removed, 0.0);
    return {cv::sum(original(faceProper))[0], cv::sum(removed)[0], double(faceProper.area())};
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
    grade(grader, quality.blockiness, {t.poorBlockiness, t.goodBlockiness, false}, "JPEG blockiness",
          "the picture is heavily compressed; use the original file or a less compressed copy");
    grade(grader, quality.faceInPicture, {t.poorFaceInPicture, t.goodFaceInPicture, true},
          "The share of the face inside the picture", "the face runs off the edge of the picture; use a frame or "
          "photo that shows the whole face");
    grade(grader, quality.eyeDetail, {t.poorEyeDetail, t.goodEyeDetail, true}, "Detail in the eyes (against the face)",
          "an eye is covered (a hand, a band, dark glasses) or in deep shadow; the comparison leans on the eyes, so "
          "use a picture with both eyes in view");
    if (quality.eyesSeen == 0 && quality.interOcularPx >= t.eyesSeenFromPx) {
        // Not "they are covered": the eye detector also misses about 1 in 140 clean photos, squints and broad smiles
        // among them (trial 42 F7), so the sentence names what to look at, not a finding.
        grader.poorIf(true, "No eye was found where the face's eyes should be: look at them. Covered (fingers, a hand, "
                            "dark or mirrored glasses), closed or in deep shadow, the comparison has too little to go on: "
                            "use a picture with the eyes open and in view. Plainly open and in view (a squint, a broad "
                            "smile, clear glasses), this reason does not apply");
    } else if (quality.eyesSeen == 0) {
        grader.marginalIf(true, "No eye was found where the face's eyes should be: on a face this small that may be its "
                                "size, or the eyes are covered or closed; look at the eyes before relying on the result");
    }
    if (quality.interOcularPx >= t.irisTextureFromPx && quality.irisTexture < t.goodIrisTexture) {
        // Not "they are painted": a very dark iris in soft light can be flat too, so the sentence names what to look at.
        grader.marginalIf(true, "The irises look painted over or flat (iris texture " + formatNumber(quality.irisTexture) +
                                ", below the " + formatNumber(t.goodIrisTexture) + " wanted): look at the eyes. A dark "
                                "dot or a retouch over the irises moves the comparison: use an unretouched picture. "
                                "Irises plainly real in the picture, this reason does not apply");
    }
    if (!std::isnan(quality.noise)) {
        grade(grader, quality.noise, {t.poorNoise, t.goodNoise, false}, "Noise on the face (grey levels)",
              "the picture is grainy (a night camera's gain, digital zoom); use a cleaner frame or the original export");
    }
    if (!std::isnan(quality.greyLevels)) {
        grade(grader, quality.greyLevels, {t.poorGreyLevels, t.goodGreyLevels, true}, "Grey levels of the face",
              "the picture has lost its tones (a 1-bit scan, a fax, a posterised or photocopied print); ask for the "
              "original photo or a greyscale scan");
    }
    grade(grader, std::abs(quality.rollDegrees), {t.poorRollDegrees, t.goodRollDegrees, false},
          "The head's tilt (degrees)", "the face is tilted in the picture");
    if (!std::isnan(quality.landmarkDeviation)) {
        grade(grader, quality.landmarkDeviation, {t.poorLandmarkDeviation, t.goodLandmarkDeviation, false},
              "The landmarks' distance from a face's shape (standard deviations)",
              "the eyes and nose were not found where a face has them; check the face, or mark it by hand");
    }
    if (!yawMeasured) return;
    const double yaw = std::abs(quality.yawDegrees);
    grader.poorIf(yaw > thresholds.poorYawDegrees,
                  "The head is turned about " + formatNumber(yaw) + " degrees; a frontal view is needed");
    grader.marginalIf(yaw > thresholds.goodYawDegrees && yaw <= thresholds.poorYawDegrees,
                      "The head is turned about " + formatNumber(yaw) + " degrees; a more frontal view is better");
}

}  // namespace

void gradeDamagedFile(Quality& quality, const std::string& damage) {
    quality.reasons.push_back("The image file is damaged: " + damage +
                              "; the face may lie in a part that was not decoded: ask for the original file");
    if (quality.verdict == QualityVerdict::Good) quality.verdict = QualityVerdict::Marginal;
}

double measureSharpness(const cv::Mat& chipRgb) {
    // A face blurred until almost nothing is left has steps of one grey level only (8-bit rounding), which any blur
    // removes: read as "sharp", it would be the worst error. Below a mean step of one grey level the share is taken
    // of that floor, so a face without detail is not sharp.
    constexpr double kDetailFloor = 1.0;
    cv::Mat grey;
    cv::cvtColor(chipRgb, grey, cv::COLOR_RGB2GRAY);
    grey.convertTo(grey, CV_32F);
    double sharpness = 1;
    for (const bool alongY : {false, true}) {
        const ReblurSums sums = reblurSums(grey, alongY);
        sharpness = std::min(sharpness, sums.removed / std::max(sums.steps, kDetailFloor * sums.positions));
    }
    return sharpness;
}

namespace {

// Mean absolute step between neighbours, across and down, inside `region` of a grey image (CV_32F).
double meanStep(const cv::Mat& grey, const cv::Rect& region) {
    const cv::Mat inside = grey(region);
    cv::Mat across, down;
    cv::absdiff(inside.colRange(1, inside.cols), inside.colRange(0, inside.cols - 1), across);
    cv::absdiff(inside.rowRange(1, inside.rows), inside.rowRange(0, inside.rows - 1), down);
    return (cv::mean(across)[0] + cv::mean(down)[0]) / 2;
}

// What the eye measures read off an aligned chip: its grey levels (CV_32F), the distance between the eye centres the
// alignment puts (pixels), and the face proper's mean step, taken as at least one grey level (a face blurred to
// nothing must not make every eye look detailed).
struct ChipEyes {
    cv::Mat grey;
    double eyes = 0;
    double faceStep = 0;
};

ChipEyes chipEyes(const cv::Mat& chipRgb) {
    constexpr double kDetailFloor = 1.0;  // grey levels, as measureSharpness's
    ChipEyes chip;
    cv::cvtColor(chipRgb, chip.grey, cv::COLOR_RGB2GRAY);
    chip.grey.convertTo(chip.grey, CV_32F);
    const auto& [left, right] = detail::kChipEyeCentres;
    chip.eyes = right.x - left.x;
    const int from = detail::kFaceProper.first, to = detail::kFaceProper.last;
    chip.faceStep = std::max(meanStep(chip.grey, cv::Rect(from, from, to - from, to - from)), kDetailFloor);
    return chip;
}

// A width x height pixel window of the chip centred on an eye centre.
cv::Rect eyeWindow(const detail::ChipPoint& eye, double width, double height) {
    return {cv::Point(static_cast<int>(std::lround(eye.x - width / 2)), static_cast<int>(std::lround(eye.y - height / 2))),
            cv::Size(static_cast<int>(std::lround(width)), static_cast<int>(std::lround(height)))};
}

}  // namespace

double measureEyeDetail(const cv::Mat& chipRgb) {
    // The window takes in the eye from corner to corner (0.39 eye distances) with its lids, and stays inside a lens
    // of glasses (about 0.8 x 0.6 eye distances), so the frame's edges do not count as an eye's detail.
    constexpr double kWindowWidth = 0.5, kWindowHeight = 0.3;  // in eye distances
    const auto [grey, eyes, face] = chipEyes(chipRgb);
    double lesser = std::numeric_limits<double>::infinity();
    for (const auto& eye : detail::kChipEyeCentres) {
        lesser = std::min(lesser, meanStep(grey, eyeWindow(eye, kWindowWidth * eyes, kWindowHeight * eyes)) / face);
    }
    return lesser;
}

int countEyesSeen(const cv::Mat& chipRgb) {
    // Calibrated in docs/CALIBRATION.md ("Eyes seen"): each eye's window (0.9 x 0.7 eye distances, lids and brow)
    // enlarged 3 times, as the cascade was trained on eyes of 20 px and more, and its histogram equalised against
    // shadow; an eye is seen when a detection 0.3 to 0.9 eye distances wide centres within a quarter of an eye
    // distance of where the eye should be.
    constexpr double kWindowWidth = 0.9, kWindowHeight = 0.7, kEnlarge = 3, kNearEye = 0.25;
    thread_local cv::CascadeClassifier detector = [] {
        cv::CascadeClassifier loaded;
        if (!loaded.load(FACELEAD_EYE_CASCADE))
            throw std::runtime_error("OpenCV's eye detector " FACELEAD_EYE_CASCADE " could not be read: install "
                                     "Debian's opencv-data package");
        return loaded;
    }();
    cv::Mat grey;
    cv::cvtColor(chipRgb, grey, cv::COLOR_RGB2GRAY);
    const auto& [left, right] = detail::kChipEyeCentres;
    const double eyes = right.x - left.x;
    const cv::Rect chip(0, 0, grey.cols, grey.rows);
    int seen = 0;
    for (const auto& eye : detail::kChipEyeCentres) {
        const cv::Rect window = cv::Rect(cv::Point(static_cast<int>(std::lround(eye.x - kWindowWidth * eyes / 2)),
                                                   static_cast<int>(std::lround(eye.y - kWindowHeight * eyes / 2))),
                                         cv::Size(static_cast<int>(std::lround(kWindowWidth * eyes)),
                                                  static_cast<int>(std::lround(kWindowHeight * eyes)))) & chip;
        cv::Mat enlarged;
        cv::resize(grey(window), enlarged, cv::Size(), kEnlarge, kEnlarge, cv::INTER_CUBIC);
        cv::equalizeHist(enlarged, enlarged);
        std::vector<cv::Rect> found;
        const int smallest = static_cast<int>(0.3 * eyes * kEnlarge), largest = static_cast<int>(0.9 * eyes * kEnlarge);
        detector.detectMultiScale(enlarged, found, 1.05, 3, 0, cv::Size(smallest, smallest), cv::Size(largest, largest));
        const cv::Point2d expected((eye.x - window.x) * kEnlarge, (eye.y - window.y) * kEnlarge);
        seen += std::ranges::any_of(found, [&](const cv::Rect& r) {
            return cv::norm(cv::Point2d(r.x + r.width / 2.0, r.y + r.height / 2.0) - expected) < kNearEye * eyes * kEnlarge;
        });
    }
    return seen;
}

double measureIrisTexture(const cv::Mat& chipRgb) {
    // Sizes in eye distances (52 px on the chip): a real iris is about 0.19 wide (11.7 mm of a 63 mm eye distance),
    // the dot of trial 42 F4 0.15. Even on a face 30 px between the eyes, enlarged to the chip, the dot's flat core
    // holds a patch 0.06 eye distances (3 px) square; patches are tried within 0.06 eye distances of where the
    // alignment puts the eye centre, as it places the landmarks to a pixel or two. Only patches darker than the eye's
    // window (measureEyeDetail's) count: the iris and pupil, not the sclera or the skin of the lids, which can be flat.
    // The flattest of them: on a living eye even the pupil holds the camera's noise, its rim, the iris's texture or
    // a catch-light; a painted dot is one grey level throughout.
    constexpr double kPatch = 0.06, kSearch = 0.06;            // in eye distances
    constexpr double kWindowWidth = 0.5, kWindowHeight = 0.3;  // measureEyeDetail's window, in eye distances
    const auto [grey, eyes, face] = chipEyes(chipRgb);
    const int side = static_cast<int>(std::lround(kPatch * eyes)), reach = static_cast<int>(std::lround(kSearch * eyes));
    double lesser = std::numeric_limits<double>::infinity();
    for (const auto& eye : detail::kChipEyeCentres) {
        const double eyeMean = cv::mean(grey(eyeWindow(eye, kWindowWidth * eyes, kWindowHeight * eyes)))[0];
        double flattest = std::numeric_limits<double>::infinity();
        for (int dy = -reach; dy <= reach; ++dy)
            for (int dx = -reach; dx <= reach; ++dx) {
                cv::Rect patch = eyeWindow(eye, side, side);
                patch.x += dx;
                patch.y += dy;
                cv::Scalar mean, deviation;
                cv::meanStdDev(grey(patch), mean, deviation);
                if (mean[0] < eyeMean) flattest = std::min(flattest, deviation[0]);
            }
        // No patch darker than its surroundings at the eye centre: nothing iris-like to be flat there.
        if (std::isfinite(flattest)) lesser = std::min(lesser, flattest / face);
    }
    return lesser;
}

double measureGreyLevels(const cv::Mat& imageRgb, const Box& box) {
    const cv::Rect region = boxInPicture(imageRgb, box);
    if (region.empty()) return std::numeric_limits<double>::quiet_NaN();
    cv::Mat grey, histogram;
    cv::cvtColor(imageRgb(region), grey, cv::COLOR_RGB2GRAY);
    const int bins = 256;
    const float range[] = {0, 256};
    const float* ranges[] = {range};
    cv::calcHist(&grey, 1, nullptr, cv::Mat(), histogram, 1, &bins, ranges);
    double entropyBits = 0;
    const double total = double(region.area());
    for (int level = 0; level < bins; ++level) {
        const double share = histogram.at<float>(level) / total;
        if (share > 0) entropyBits -= share * std::log2(share);
    }
    return std::exp2(entropyBits);
}

double measureNoise(const cv::Mat& imageRgb, const Box& box) {
    const cv::Rect region = boxInPicture(imageRgb, box);
    if (region.width < 3 || region.height < 3) return std::numeric_limits<double>::quiet_NaN();
    cv::Mat grey, response;
    cv::cvtColor(imageRgb(region), grey, cv::COLOR_RGB2GRAY);
    grey.convertTo(grey, CV_32F);
    const cv::Mat mask = (cv::Mat_<float>(3, 3) << 1, -2, 1, -2, 4, -2, 1, -2, 1);
    cv::filter2D(grey, response, CV_32F, mask, cv::Point(-1, -1), 0, cv::BORDER_REPLICATE);
    const cv::Mat inner = cv::abs(response(cv::Rect(1, 1, region.width - 2, region.height - 2)));
    return std::sqrt(std::numbers::pi / 2) / 6 * cv::mean(inner)[0];
}

Quality assessQuality(const Box& box, const std::vector<Point>& landmarks, const AlignedChip& chip,
                      const QualityThresholds& thresholds, const cv::Mat& imageRgb, EyeCheck eyes) {
    Quality quality;
    quality.faceWidthPx = box.width();
    if (landmarks.size() == kLandmarkCount)
        quality.interOcularPx = distanceBetween(midpoint(landmarks[0], landmarks[1]), midpoint(landmarks[2], landmarks[3]));
    quality.yawDegrees = estimateYawDegrees(landmarks);
    quality.rollDegrees = estimateRollDegrees(landmarks);
    quality.landmarkDeviation = landmarkDeviation(box, landmarks);
    measurePicture(quality, imageRgb, box);
    measureChip(quality, chip, eyes);
    Grader grader;
    gradeMeasures(grader, quality, thresholds, true);
    grader.apply(quality);
    return quality;
}

Quality assessMarkedQuality(const Box& box, const MarkedPoints& checked, const AlignedChip& chip,
                            const QualityThresholds& thresholds, const cv::Mat& imageRgb) {
    Quality quality;
    quality.faceWidthPx = box.width();
    quality.interOcularPx = distanceBetween(checked.leftEye, checked.rightEye);
    quality.rollDegrees = estimateRollDegrees({checked.rightEye, checked.rightEye, checked.leftEye, checked.leftEye, {}});
    // The examiner placed the points: there is no engine shape to hold against a face's.
    quality.landmarkDeviation = std::numeric_limits<double>::quiet_NaN();
    measurePicture(quality, imageRgb, box);
    // The nose tip stands further in front of the eyes than the nose base the estimate assumes: the turn is
    // overstated a little, which errs on the side of a worse verdict.
    quality.yawDegrees = std::numeric_limits<double>::quiet_NaN();
    if (checked.noseTip) {
        quality.yawDegrees = estimateYawDegrees({checked.leftEye, checked.leftEye, checked.rightEye, checked.rightEye,
                                                 *checked.noseTip});
    }
    measureChip(quality, chip, EyeCheck::Look);
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
