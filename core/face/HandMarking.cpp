#include "core/face/HandMarking.h"

#include <dlib/image_transforms.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <complex>

#include "core/common/Text.h"
#include "core/face/detail/MarkedChip.h"

namespace facelead::face {
namespace {

// Places on dlib's mean face (the unit square of get_face_chip_details, before padding). The eye centres are the
// middles of the eye corners of the 5-point model (shape_predictor_5_face_landmarks, which aligns detected
// faces); the nose tip and the mouth corners are points 30, 48 and 54 of dlib's 68-point mean face, the same frame.
constexpr Point kMeanLeftEye{0.2273300617250, 0.2213958465045};
constexpr Point kMeanRightEye{0.7528139680048, 0.2212327962846};
constexpr Point kMeanNoseTip{0.490127, 0.515625};
constexpr Point kMeanMouthLeft{0.254149, 0.780233};
constexpr Point kMeanMouthRight{0.726104, 0.780233};
// The 5 points of shape_predictor_5_face_landmarks on the same mean face (dlib's get_face_chip_details).
constexpr Point kMeanFivePoints[] = {{0.8595674595992, 0.2134981538014},
                                            {0.6460604764104, 0.2289674387677},
                                            {0.1205750620789, 0.2137274526848},
                                            {0.3340850613712, 0.2290642403242},
                                            {0.4901123135679, 0.6277975316475}};
// The box dlib's HOG detector draws around a frontal face, on the mean face: centre and side. Measured on the
// detected faces of the shared data (tests/integration/face/HandMarkingTests.cpp checks it stays close).
constexpr Point kMeanBoxCentre{0.49, 0.45};
constexpr double kMeanBoxSide = 1.17;
// A nose tip or mouth corner nearer the eye line than this (in eye distances) is not below the eyes; farther from
// the eyes' middle than kMaxPointDistance it is not on the same face.
constexpr double kMinBelowEyeLine = 0.2;
constexpr double kMaxPointDistance = 3.0;
constexpr double kMinMouthWidth = 0.2;

double distanceBetween(const Point& a, const Point& b) { return std::hypot(a.x - b.x, a.y - b.y); }

// "x,y" with one decimal, as --mark takes it.
std::string coordinates(const Point& p) { return text::decimal(p.x, 1) + "," + text::decimal(p.y, 1); }
// "(x, y)" with one decimal, as the messages and reports say it.
std::string pointText(const Point& p) { return "(" + text::decimal(p.x, 1) + ", " + text::decimal(p.y, 1) + ")"; }

Error refused(const std::string& problem) { return makeError(ErrorCode::InvalidArgument, problem); }

using Complex = std::complex<double>;
Complex complexOf(const Point& p) { return {p.x, p.y}; }
Point pointOf(const Complex& z) { return {z.real(), z.imag()}; }

// A similarity transform of the plane, z -> a z + b in complex numbers: rotation and scale (a), shift (b), never a
// mirror. (dlib::find_similarity_transform may return a mirror image when the points lie on one line, as two eyes
// always do: the chip came out flipped about the eye line.)
struct Similarity {
    Complex a{1, 0}, b{0, 0};
    Point operator()(const Point& p) const { return pointOf(a * complexOf(p) + b); }
};

// The least-squares similarity taking `from` to `to` (at least two distinct points in `from`).
Similarity fitSimilarity(const std::vector<Point>& from, const std::vector<Point>& to) {
    Complex meanFrom, meanTo;
    for (std::size_t i = 0; i < from.size(); ++i) {
        meanFrom += complexOf(from[i]);
        meanTo += complexOf(to[i]);
    }
    meanFrom /= static_cast<double>(from.size());
    meanTo /= static_cast<double>(to.size());
    Complex cross;
    double spread = 0;
    for (std::size_t i = 0; i < from.size(); ++i) {
        const Complex f = complexOf(from[i]) - meanFrom;
        cross += (complexOf(to[i]) - meanTo) * std::conj(f);
        spread += std::norm(f);
    }
    Similarity s;
    s.a = cross / spread;
    s.b = meanTo - s.a * meanFrom;
    return s;
}

// What the alignment fits: each point with its place on the mean face. The eyes count twice, as the four eye
// corners do in dlib's fit of detected faces (a nose point then weighs as it does there).
struct Correspondence {
    std::vector<Point> mean, image;
    void add(const Point& meanPlace, const Point& imagePlace, int weight = 1) {
        for (int i = 0; i < weight; ++i) {
            mean.push_back(meanPlace);
            image.push_back(imagePlace);
        }
    }
};
Correspondence correspondence(const MarkedPoints& points, const std::optional<Point>& engineNoseBase) {
    Correspondence c;
    c.add(kMeanLeftEye, points.leftEye, 2);
    c.add(kMeanRightEye, points.rightEye, 2);
    if (points.noseTip) c.add(kMeanNoseTip, *points.noseTip);
    if (points.mouthLeft) c.add(kMeanMouthLeft, *points.mouthLeft);
    if (points.mouthRight) c.add(kMeanMouthRight, *points.mouthRight);
    if (engineNoseBase) c.add(kMeanFivePoints[4], *engineNoseBase);
    return c;
}

// Signed distance of p from the line through the eyes, in eye distances: positive below it for a face whose
// eyes are given left to right in the picture (image y grows downwards).
double belowEyeLine(const MarkedPoints& points, const Point& p) {
    const double ex = points.rightEye.x - points.leftEye.x, ey = points.rightEye.y - points.leftEye.y;
    const double eyeDistance = std::hypot(ex, ey);
    return (ex * (p.y - points.leftEye.y) - ey * (p.x - points.leftEye.x)) / (eyeDistance * eyeDistance);
}

// The points with their names, in marking order.
std::vector<std::pair<std::string, Point>> namedPoints(const MarkedPoints& points) {
    const auto& names = markedPointNames();
    std::vector<std::pair<std::string, Point>> named = {{names[0], points.leftEye}, {names[1], points.rightEye}};
    if (points.noseTip) named.emplace_back(names[2], *points.noseTip);
    if (points.mouthLeft) named.emplace_back(names[3], *points.mouthLeft);
    if (points.mouthRight) named.emplace_back(names[4], *points.mouthRight);
    return named;
}

std::optional<double> parseNumber(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const std::size_t end = text.find(separator, start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

}  // namespace

const std::vector<std::string>& markedPointNames() {
    static const std::vector<std::string> names = {"left eye", "right eye", "nose tip", "left mouth corner",
                                                   "right mouth corner"};
    return names;
}

std::vector<Point> markedPointList(const MarkedPoints& points) {
    std::vector<Point> list;
    for (const auto& named : namedPoints(points)) list.push_back(named.second);
    return list;
}

std::string describeMarkedPoints(const MarkedPoints& points) {
    std::string text;
    for (const auto& [name, p] : namedPoints(points)) text.append(text.empty() ? "" : ", ").append(name + " " + pointText(p));
    return text + " (left and right as seen in the picture)";
}

Result<MarkedPoints> markedPointsFrom(const std::vector<Point>& points) {
    if (points.size() != 2 && points.size() != 3 && points.size() != 5) {
        return refused("Mark the centres of both eyes, then optionally the nose tip, then optionally both mouth "
                       "corners (2, 3 or 5 points; " + std::to_string(points.size()) + " were given).");
    }
    MarkedPoints marked{points[0], points[1], std::nullopt, std::nullopt, std::nullopt};
    if (points.size() >= 3) marked.noseTip = points[2];
    if (points.size() == 5) {
        marked.mouthLeft = points[3];
        marked.mouthRight = points[4];
    }
    return marked;
}

Result<MarkedPoints> parseMarkedPoints(std::string_view text) {
    std::vector<Point> points;
    for (const std::string_view part : split(text, ';')) {
        const auto xy = split(part, ',');
        const auto x = xy.size() == 2 ? parseNumber(xy[0]) : std::nullopt;
        const auto y = xy.size() == 2 ? parseNumber(xy[1]) : std::nullopt;
        if (!x || !y) {
            return refused(std::string("'").append(part).append("'") + " is not a point: write each point as x,y in pixels of the image, "
                           "points separated by ';' (\"x1,y1;x2,y2[;nx,ny[;mlx,mly;mrx,mry]]\").");
        }
        points.push_back({*x, *y});
    }
    return markedPointsFrom(points);
}

std::string formatMarkedPoints(const MarkedPoints& points) {
    std::string text;
    for (const Point& p : markedPointList(points))
        text.append(text.empty() ? "" : ";").append(coordinates(p));
    return text;
}

Result<MarkedPoints> checkMarkedPoints(const MarkedPoints& points, int width, int height) {
    if (points.mouthLeft.has_value() != points.mouthRight.has_value())
        return refused("Mark both corners of the mouth, or neither.");
    for (const auto& [name, p] : namedPoints(points)) {
        if (!(p.x >= 0 && p.y >= 0 && p.x <= width && p.y <= height)) {
            return refused("The " + name + " " + pointText(p) + " lies outside the image (" + std::to_string(width) +
                           " x " + std::to_string(height) + " pixels): mark it again on the face.");
        }
    }
    const double eyeDistance = distanceBetween(points.leftEye, points.rightEye);
    if (eyeDistance < kMinMarkedEyeDistancePx) {
        return refused("The eye centres are " + text::decimal(eyeDistance, 1) + " pixels apart: mark the centre of each "
                       "eye (at least " + text::decimal(kMinMarkedEyeDistancePx, 1) + " pixels apart; zoom in on a small face).");
    }
    MarkedPoints checked = points;
    const Point& firstBelow = points.noseTip ? *points.noseTip : points.mouthLeft ? *points.mouthLeft : points.leftEye;
    if (points.count() == 2) {
        // Without a point below the eyes, up is the top of the picture.
        if (checked.leftEye.x > checked.rightEye.x) std::swap(checked.leftEye, checked.rightEye);
        return checked;
    }
    // The nose and the mouth are below the eyes: their side of the eye line says which eye is which.
    if (belowEyeLine(checked, firstBelow) < 0) std::swap(checked.leftEye, checked.rightEye);
    const Point middle{(checked.leftEye.x + checked.rightEye.x) / 2, (checked.leftEye.y + checked.rightEye.y) / 2};
    const auto named = namedPoints(checked);
    for (auto below = named.begin() + 2; below != named.end(); ++below) {
        const auto& [name, p] = *below;
        if (belowEyeLine(checked, p) < kMinBelowEyeLine)
            return refused("The " + name + " " + pointText(p) + " is not below the eyes: mark it again.");
        if (distanceBetween(p, middle) > kMaxPointDistance * eyeDistance)
            return refused("The " + name + " " + pointText(p) + " is too far from the eyes to be on the same face: "
                           "mark it again.");
    }
    if (checked.mouthLeft) {
        const double ex = checked.rightEye.x - checked.leftEye.x, ey = checked.rightEye.y - checked.leftEye.y;
        const auto along = [&](const Point& p) { return (ex * p.x + ey * p.y) / eyeDistance; };
        if (std::abs(along(*checked.mouthLeft) - along(*checked.mouthRight)) < kMinMouthWidth * eyeDistance)
            return refused("The two mouth corners are on top of each other: mark the left and the right corner.");
        // Left and right as on the face, like the eyes.
        if (along(*checked.mouthLeft) > along(*checked.mouthRight)) std::swap(checked.mouthLeft, checked.mouthRight);
    }
    return checked;
}

MarkedAlignment alignmentFromMarks(const MarkedPoints& checked, const std::optional<Point>& engineNoseBase) {
    const auto c = correspondence(checked, engineNoseBase);
    const Similarity toImage = fitSimilarity(c.mean, c.image);
    MarkedAlignment alignment;
    for (const Point& p : kMeanFivePoints) alignment.landmarks.push_back(toImage(p));
    // The square around the face, turned with it: its upright bounding box is the face box.
    double left = 1e18, top = 1e18, right = -1e18, bottom = -1e18;
    for (const double dx : {-0.5, 0.5}) {
        for (const double dy : {-0.5, 0.5}) {
            const Point corner = toImage({kMeanBoxCentre.x + dx * kMeanBoxSide, kMeanBoxCentre.y + dy * kMeanBoxSide});
            left = std::min(left, corner.x);
            right = std::max(right, corner.x);
            top = std::min(top, corner.y);
            bottom = std::max(bottom, corner.y);
        }
    }
    alignment.box = {static_cast<int>(std::lround(left)), static_cast<int>(std::lround(top)),
                     static_cast<int>(std::lround(right)), static_cast<int>(std::lround(bottom))};
    return alignment;
}

std::optional<Point> plausibleEngineNoseBase(const MarkedPoints& checked, const std::vector<Point>& engineLandmarks) {
    if (checked.count() != 2 || engineLandmarks.size() != 5) return std::nullopt;
    const double eyeDistance = distanceBetween(checked.leftEye, checked.rightEye);
    const Point left{(engineLandmarks[2].x + engineLandmarks[3].x) / 2, (engineLandmarks[2].y + engineLandmarks[3].y) / 2};
    const Point right{(engineLandmarks[0].x + engineLandmarks[1].x) / 2, (engineLandmarks[0].y + engineLandmarks[1].y) / 2};
    const double disagreement = std::max(distanceBetween(left, checked.leftEye), distanceBetween(right, checked.rightEye));
    if (disagreement > kEngineEyeAgreement * eyeDistance) return std::nullopt;
    return engineLandmarks[4];
}

namespace detail {

// dlib's get_face_chip_details with the marked points: the mean face, padded, fills the chip.
dlib::chip_details markedChipDetails(const MarkedPoints& checked, const std::optional<Point>& engineNoseBase,
                                     unsigned long size, double padding) {
    auto c = correspondence(checked, engineNoseBase);
    for (Point& p : c.mean) {
        p = {(padding + p.x) / (2 * padding + 1) * static_cast<double>(size),
             (padding + p.y) / (2 * padding + 1) * static_cast<double>(size)};
    }
    const Similarity toImage = fitSimilarity(c.mean, c.image);
    // As dlib's chip_details(chip_points, img_points, dims) builds it: the chip's centre, scale and angle in the image.
    const double half = static_cast<double>(size) / 2;
    const Point centre = toImage({half, half});
    const double scale = std::abs(toImage.a);
    return dlib::chip_details(dlib::centered_drect(dlib::dpoint(centre.x, centre.y), size * scale, size * scale),
                              dlib::chip_dims(size, size), std::arg(toImage.a));
}

}  // namespace detail
}  // namespace facelead::face
