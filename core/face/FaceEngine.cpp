#include "core/face/FaceEngine.h"

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms.h>
#include <dlib/opencv.h>

#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <thread>

#include "core/common/Paths.h"
#include "core/face/HandMarking.h"
#include "core/face/ModelFiles.h"
#include "core/face/Quality.h"
#include "core/face/detail/HogScan.h"
#include "core/face/detail/MarkedChip.h"
#include "core/face/detail/Networks.h"
#include "core/face/detail/OpenCvDescriptorNet.h"
#include "core/imaging/Intake.h"

namespace facelead::face {
namespace {

using RgbView = dlib::cv_image<dlib::rgb_pixel>;
using Chip = dlib::matrix<dlib::rgb_pixel>;

// Faces per forward pass: enough to amortise the per-call cost, small enough to bound memory.
constexpr std::size_t kForwardBatch = 16;
// Side of the face window of dlib's frontal HOG detector: the smallest face it finds at scale 1.
constexpr double kHogWindowPx = 80;
// Its image pyramid (pyramid_down<6>): each level is 5/6 the size of the one before.
constexpr double kHogPyramidStep = 5.0 / 6.0;
// The face window of dlib's MMOD CNN (dlib's documentation): the smallest face it finds at scale 1.
constexpr double kCnnWindowPx = 40;
// Jittered copies are reproducible: each face starts the same random sequence.
constexpr char kJitterSeed[] = "facelead-jitter";

Box toBox(const dlib::rectangle& r) {
    return {static_cast<int>(r.left()), static_cast<int>(r.top()), static_cast<int>(r.right()) + 1,
            static_cast<int>(r.bottom()) + 1};
}
dlib::rectangle toRect(const Box& box) { return dlib::rectangle(box.left, box.top, box.right - 1, box.bottom - 1); }

// A copy of the image for a detector: scaled by `scale` (bilinear), as a dlib image.
dlib::matrix<dlib::rgb_pixel> scaledCopy(const cv::Mat& rgb, double scale) {
    cv::Mat scaled = rgb;
    if (scale != 1.0)
        cv::resize(rgb, scaled, cv::Size(), scale, scale, scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
    dlib::matrix<dlib::rgb_pixel> out;
    dlib::assign_image(out, RgbView(scaled));
    return out;
}

Box mapBack(const dlib::rectangle& r, double scale, const cv::Size& size) {
    const auto clampTo = [](double v, int hi) { return std::clamp(static_cast<int>(std::lround(v)), 0, hi); };
    return {clampTo(r.left() / scale, size.width), clampTo(r.top() / scale, size.height),
            clampTo((r.right() + 1) / scale, size.width), clampTo((r.bottom() + 1) / scale, size.height)};
}

// The scale of the copy the probe policy scans: 1 up to probeLargestFramePixels, less for a larger picture.
double probeScanScale(const EngineConfig& config, int width, int height) {
    const double pixels = double(width) * double(height);
    return pixels > config.probeLargestFramePixels ? std::sqrt(config.probeLargestFramePixels / pixels) : 1.0;
}

double downscaleFactor(const cv::Mat& rgb, int maxSide) {
    const int longest = std::max(rgb.cols, rgb.rows);
    return (maxSide > 0 && longest > maxSide) ? static_cast<double>(maxSide) / longest : 1.0;
}

std::vector<Face> pickFaces(std::vector<Face> faces, FacePick pick, const cv::Size& size) {
    if (pick == FacePick::All || faces.size() <= 1) return faces;
    const auto area = [](const Face& f) { return static_cast<long long>(f.box.width()) * f.box.height(); };
    const auto offCentre = [&](const Face& f) {
        return std::hypot((f.box.left + f.box.right) / 2.0 - size.width / 2.0,
                          (f.box.top + f.box.bottom) / 2.0 - size.height / 2.0);
    };
    const auto chosen = pick == FacePick::Largest
        ? std::max_element(faces.begin(), faces.end(), [&](const Face& a, const Face& b) { return area(a) < area(b); })
        : std::min_element(faces.begin(), faces.end(),
                           [&](const Face& a, const Face& b) { return offCentre(a) < offCentre(b); });
    return {*chosen};
}

cv::Mat chipToMat(const Chip& chip) {
    return dlib::toMat(const_cast<Chip&>(chip)).clone();
}

// The share of the chip's face proper (detail::kFaceProper) that maps to a point inside the picture, on a 16 x 16
// grid: what dlib's chip extraction did not pad with black.
double faceShareInPicture(const dlib::chip_details& details, const cv::Size& picture) {
    constexpr int kSamples = 16;
    const auto toPicture = dlib::inv(dlib::get_mapping_to_chip(details));
    const double from = detail::kFaceProper.first;
    const double step = double(detail::kFaceProper.last - detail::kFaceProper.first) / kSamples;
    int inside = 0;
    for (int row = 0; row < kSamples; ++row) {
        for (int column = 0; column < kSamples; ++column) {
            const dlib::dpoint at = toPicture(dlib::dpoint(from + (column + 0.5) * step, from + (row + 0.5) * step));
            inside += at.x() >= 0 && at.y() >= 0 && at.x() < picture.width && at.y() < picture.height;
        }
    }
    return double(inside) / (kSamples * kSamples);
}

// The faces of a file that intake found damaged carry the damage in their quality (gradeDamagedFile).
Result<std::vector<Face>> gradedForDamage(Result<std::vector<Face>> faces, const imaging::Image& image) {
    if (faces && image.notes.damage)
        for (Face& face : *faces) gradeDamagedFile(face.quality, *image.notes.damage);
    return faces;
}

// The chip of `details` from the picture, with the share of its face proper inside the picture.
AlignedChip extractChip(const cv::Mat& rgb, const dlib::chip_details& details) {
    Chip chip;
    dlib::extract_image_chip(RgbView(rgb), details, chip);
    return {chipToMat(chip), faceShareInPicture(details, rgb.size())};
}

// Reading order (FaceEngine.h): rows from the top — a face whose top is within a typical (median) face height
// of the row's first face belongs to that row, so a group sitting at slightly different heights is one row —
// and left to right within a row: "face 2" is where a person reading the photo expects it.
void sortInReadingOrder(std::vector<Face>& faces) {
    if (faces.empty()) return;
    std::vector<int> heights;
    for (const Face& f : faces) heights.push_back(f.box.height());
    std::nth_element(heights.begin(), heights.begin() + std::ptrdiff_t(heights.size() / 2), heights.end());
    const int faceHeight = std::max(1, heights[heights.size() / 2]);
    std::stable_sort(faces.begin(), faces.end(), [](const Face& a, const Face& b) { return a.box.top < b.box.top; });
    std::vector<int> row(faces.size(), 0);
    int rowTop = faces.front().box.top;
    for (std::size_t i = 1; i < faces.size(); ++i) {
        const bool newRow = faces[i].box.top - rowTop > faceHeight;
        if (newRow) rowTop = faces[i].box.top;
        row[i] = row[i - 1] + (newRow ? 1 : 0);
    }
    std::vector<std::size_t> order(faces.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return row[a] != row[b] ? row[a] < row[b] : faces[a].box.left < faces[b].box.left;
    });
    std::vector<Face> sorted;
    for (std::size_t i : order) sorted.push_back(std::move(faces[i]));
    faces = std::move(sorted);
}

// A quarter turn of the image (cv::rotate), and the way back for what was found on the turned copy.
// Axis-aligned boxes stay axis-aligned under quarter turns, so a face found on the turned copy maps back exactly.
struct QuarterTurn {
    cv::RotateFlags flags;
    int degrees;  // clockwise, as the copy was turned
};
constexpr QuarterTurn kQuarterTurns[] = {{cv::ROTATE_90_CLOCKWISE, 90},
                                         {cv::ROTATE_90_COUNTERCLOCKWISE, 270},
                                         {cv::ROTATE_180, 180}};

// A point of the turned copy in the original's coordinates (original size w x h, continuous coordinates).
Point turnBack(const Point& p, int degrees, double w, double h) {
    switch (degrees) {
    case 90: return {p.y, h - p.x};
    case 270: return {w - p.y, p.x};
    default: return {w - p.x, h - p.y};
    }
}

void turnBack(Face& face, int degrees, const cv::Size& original) {
    const double w = original.width, h = original.height;
    const Point a = turnBack({double(face.box.left), double(face.box.top)}, degrees, w, h);
    const Point b = turnBack({double(face.box.right), double(face.box.bottom)}, degrees, w, h);
    face.box = {int(std::lround(std::min(a.x, b.x))), int(std::lround(std::min(a.y, b.y))),
                int(std::lround(std::max(a.x, b.x))), int(std::lround(std::max(a.y, b.y)))};
    for (Point& point : face.landmarks) point = turnBack(point, degrees, w, h);
    // Found upright, described upright; but whoever searches must know the picture is sideways or upside down
    // (intake case C02): never a plain "good".
    face.quality.foundTurnedDegrees = degrees;
    face.quality.reasons.push_back(foundTurnedText(degrees) + ": check that this is the person.");
    if (face.quality.verdict == QualityVerdict::Good) face.quality.verdict = QualityVerdict::Marginal;
}

// True when no face was found or every face found has landmarks no upright face has (Quality::landmarkDeviation).
bool onlyImplausible(const std::vector<Face>& faces, double poorDeviation) {
    return std::all_of(faces.begin(), faces.end(),
                       [&](const Face& face) { return face.quality.landmarkDeviation > poorDeviation; });
}

// The faces analyzeAsGiven(rgb) finds; when there are none, or only "faces" whose landmarks no face has (the nose on
// the chin), those found on the quarter-turned copies instead: an old portrait scanned sideways or upside down, with
// no orientation tag to say so (C02). The detectors only find upright faces; costs nothing when a plausible face was
// found. A turn whose faces are implausible too is kept only when nothing at all was found as decoded. Both detection
// policies use it (check 23B: gallery enrolment found nothing in a portrait turned 90 degrees that --probe found).
template <typename AnalyzeAsGiven>
Result<std::vector<Face>> analyzeOrTurned(const cv::Mat& rgb, double poorDeviation, AnalyzeAsGiven&& analyzeAsGiven) {
    auto faces = analyzeAsGiven(rgb);
    if (!faces || !onlyImplausible(*faces, poorDeviation)) return faces;
    std::optional<std::vector<Face>> firstTurned;
    for (const QuarterTurn& turn : kQuarterTurns) {
        cv::Mat turned;
        cv::rotate(rgb, turned, turn.flags);
        auto found = analyzeAsGiven(turned);
        if (!found) return found.error();
        if (found->empty()) continue;
        for (Face& face : *found) turnBack(face, turn.degrees, rgb.size());
        sortInReadingOrder(*found);
        if (!onlyImplausible(*found, poorDeviation)) return found;
        if (!firstTurned) firstTurned = std::move(*found);
    }
    if (faces->empty() && firstTurned) return std::move(*firstTurned);
    return faces;
}

// A detection in full-image coordinates.
struct Detection {
    dlib::rectangle rect;
    double score = 0;
    DetectorKind detector = DetectorKind::Hog;
};
using Detections = std::vector<Detection>;

int smallestWidth(const Detections& found) {
    int smallest = std::numeric_limits<int>::max();
    for (const auto& d : found) smallest = std::min(smallest, static_cast<int>(d.rect.width()));
    return smallest;
}

double overlap(const dlib::rectangle& a, const dlib::rectangle& b) {
    const double shared = a.intersect(b).area();
    return shared / static_cast<double>(a.area() + b.area() - shared);
}

// One face, one detection: the best-scored of overlapping boxes (from overlapping tiles and scales) stays.
constexpr double kMergeOverlap = 0.3;
Detections suppressOverlaps(Detections found, double maxOverlap) {
    std::sort(found.begin(), found.end(), [](const Detection& a, const Detection& b) { return a.score > b.score; });
    Detections kept;
    for (const auto& d : found) {
        const bool seen = std::any_of(kept.begin(), kept.end(), [&](const Detection& k) {
            const auto inside = [](const dlib::rectangle& r, const dlib::rectangle& o) { return o.contains(dlib::center(r)); };
            return overlap(d.rect, k.rect) > maxOverlap || inside(d.rect, k.rect) || inside(k.rect, d.rect);
        });
        if (!seen) kept.push_back(d);
    }
    return kept;
}

// The square region around a box, `factor` times its size, clipped to the image.
cv::Rect around(const dlib::rectangle& box, double factor, const cv::Size& size) {
    const double side = factor * std::max(box.width(), box.height());
    const dlib::dpoint c = dlib::dcenter(box);
    const cv::Rect wanted(static_cast<int>(c.x() - side / 2), static_cast<int>(c.y() - side / 2),
                          static_cast<int>(side), static_cast<int>(side));
    return wanted & cv::Rect(cv::Point(0, 0), size);
}

}  // namespace

const char* detectorName(DetectorKind kind) {
    switch (kind) {
    case DetectorKind::Hog: return "hog";
    case DetectorKind::Cnn: return "cnn";
    case DetectorKind::Hand: return "hand";
    }
    return "unknown";
}

const char* policyName(DetectionPolicy policy) { return policy == DetectionPolicy::Probe ? "probe" : "enrolment"; }

std::string foundTurnedText(int degrees) {
    return "The face was found only after turning the image by " + std::to_string(degrees) +
           " degrees clockwise (the file carries no orientation tag; the original is not altered)";
}

const char* verdictName(QualityVerdict verdict) {
    switch (verdict) {
    case QualityVerdict::Good: return "good";
    case QualityVerdict::Marginal: return "marginal";
    case QualityVerdict::Poor: return "poor";
    }
    return "unknown";
}

// One worker: its own detector and network copies (dlib networks and OpenCV nets keep per-call state and are
// not thread-safe). The shape predictor is read-only when used, so all workers share one.
struct Worker {
    dlib::frontal_face_detector hog = dlib::get_frontal_face_detector();
    // The same detector scanning only the finest level of its pyramid (DetectionPolicy::Enrolment).
    dlib::frontal_face_detector hogFinestLevel = finestLevelOnly(hog);
    detail::DetectorNet cnn;
    cv::dnn::Net resnet;

    static dlib::frontal_face_detector finestLevelOnly(const dlib::frontal_face_detector& detector) {
        dlib::frontal_face_detector::image_scanner_type scanner;  // not copyable: copy its configuration
        scanner.copy_configuration(detector.get_scanner());
        scanner.set_max_pyramid_levels(1);
        std::vector<dlib::frontal_face_detector::feature_vector_type> weights;
        for (unsigned long i = 0; i < detector.num_detectors(); ++i) weights.push_back(detector.get_w(i));
        return {scanner, detector.get_overlap_tester(), weights};
    }
};

struct FaceEngine::Impl {
    EngineConfig config;
    dlib::shape_predictor landmarks;
    std::vector<std::unique_ptr<Worker>> workers;

    std::mutex poolMutex;
    std::condition_variable poolChanged;
    std::vector<Worker*> idle;

    // Borrowing a worker blocks until one is free; the lease gives it back.
    class Lease {
    public:
        explicit Lease(Impl& impl) : impl_(impl) {
            std::unique_lock lock(impl_.poolMutex);
            impl_.poolChanged.wait(lock, [&] { return !impl_.idle.empty(); });
            worker_ = impl_.idle.back();
            impl_.idle.pop_back();
        }
        ~Lease() {
            {
                std::lock_guard lock(impl_.poolMutex);
                impl_.idle.push_back(worker_);
            }
            impl_.poolChanged.notify_one();
        }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Worker& operator*() const { return *worker_; }

    private:
        Impl& impl_;
        Worker* worker_ = nullptr;
    };

    // Runs job(worker, i) for i in [0, count) on up to all workers (the calling thread is one of them).
    // Stops handing out jobs once *cancel is set; returns false then.
    bool forEachOnWorkers(std::size_t count, const std::function<void(Worker&, std::size_t)>& job,
                          const std::atomic<bool>* cancel = nullptr);

    double fineHogScale(const cv::Size& size) const;
    Detections detectHogAt(Worker& worker, const cv::Mat& rgb, double scale, double adjustThreshold = 0) const;
    Detections detectHogAt(dlib::frontal_face_detector& hog, const cv::Mat& rgb, double scale, double adjustThreshold = 0) const;
    Detections detectEnrolment(Worker& worker, const cv::Mat& rgb) const;
    double enrolmentCnnScale(const cv::Size& size) const;
    Detections detectCnn(Worker& worker, const cv::Mat& rgb) const;
    Detections detectCnnRegion(Worker& worker, const cv::Mat& rgb, double scale) const;
    Detections detectCnnAt(Worker& worker, const cv::Mat& rgb, const cv::Rect& region, double scale) const;
    Result<Detections> detectProbe(const cv::Mat& rgb, const ProgressFn& progress, const std::atomic<bool>* cancel);
    Result<Detections> detectProbeBounded(const cv::Mat& rgb, const ProgressFn& progress, const std::atomic<bool>* cancel);
    std::vector<Descriptor> describe(Worker& worker, const std::vector<cv::Mat>& chips) const;
    std::vector<Face> describeFaces(Worker& worker, const cv::Mat& rgb, const Detections& found,
                                    const AnalyzeOptions& options) const;
    Result<std::vector<Face>> analyze(Worker& worker, const imaging::Image& image, const AnalyzeOptions& options) const;
};

// The scale of the fine HOG scan: its smallest detectable face (dlib's 80 px window) covers the larger of
// hogSmallestFacePx and hogSmallestFaceFraction x the longest side, upsampling at most 2^hogUpsample.
double FaceEngine::Impl::fineHogScale(const cv::Size& size) const {
    const double smallestFace = std::max(config.hogSmallestFacePx,
                                         config.hogSmallestFaceFraction * std::max(size.width, size.height));
    return std::min(kHogWindowPx / smallestFace, std::pow(2.0, std::max(config.hogUpsample, 0)));
}

// Boxes in full-image coordinates (as dlib rectangles) with their detector confidence.
Detections FaceEngine::Impl::detectHogAt(Worker& worker, const cv::Mat& rgb, double scale, double adjustThreshold) const {
    return detectHogAt(worker.hog, rgb, scale, adjustThreshold);
}

Detections FaceEngine::Impl::detectHogAt(dlib::frontal_face_detector& hog, const cv::Mat& rgb, double scale,
                                         double adjustThreshold) const {
    const auto scanned = scaledCopy(rgb, scale);
    std::vector<dlib::rect_detection> found;
    detail::hogScan(hog, scanned, found, adjustThreshold);
    Detections boxes;
    for (const auto& d : found)
        boxes.push_back({toRect(mapBack(d.rect, scale, rgb.size())), d.detection_confidence, DetectorKind::Hog});
    return boxes;
}

// DetectionPolicy::Enrolment's HOG scans, coarse to fine (FaceEngine.h). A coarse scan is kept when the smallest
// face it found is plausibleFaceFactor x `limit` (the smallest face the scan after it would find).
Detections FaceEngine::Impl::detectEnrolment(Worker& worker, const cv::Mat& rgb) const {
    const double fine = fineHogScale(rgb.size());
    const double plain = std::min(1.0, fine);
    const double coarse = std::min(plain, kHogWindowPx / (config.enrolmentCoarseFaceFraction * std::min(rgb.cols, rgb.rows)));
    const auto plausible = [&](const Detections& found, double limit) {
        return !found.empty() && smallestWidth(found) >= config.plausibleFaceFactor * limit;
    };
    Detections found;
    // A scan within 10 % of the next one's scale finds the same faces: skip it.
    if (coarse < 0.9 * plain) {
        found = detectHogAt(worker, rgb, coarse);
        if (plausible(found, kHogWindowPx / coarse)) return found;
        found = detectHogAt(worker, rgb, plain);
    } else {
        // Too small for a coarse scan (a 250x250 portrait): the 1x scan in two parts. First its pyramid without the
        // finest level (faces from 96 px; 70 % of the work), kept on the same rule against the 1x limit, so that a
        // face only the finest level finds (80-96 px) is below 86 % of the smallest face found; otherwise the
        // finest level alone completes the 1x scan.
        found = detectHogAt(worker, rgb, plain * kHogPyramidStep);
        if (plausible(found, kHogWindowPx / plain)) return found;
        const auto finest = detectHogAt(worker.hogFinestLevel, rgb, plain);
        found.insert(found.end(), finest.begin(), finest.end());
        found = suppressOverlaps(std::move(found), kMergeOverlap);
    }
    if (found.empty() && fine > 1.1 * plain) found = detectHogAt(worker, rgb, fine);
    return found;
}

// The enrolment policy's CNN fallback: HOG found no face down to 40 px, so what is left to find is a large face
// in odd light or pose. The CNN scans the copy on which a face of enrolmentCnnFaceFraction of the shorter side
// fills its window, never above 1x or cnnMaxSide: a 250x250 portrait is scanned at 125x125, a 480x600 one at
// 125x156 (the CNN's cost grows with the pixels: that one image used to cost as much as a dozen others).
double FaceEngine::Impl::enrolmentCnnScale(const cv::Size& size) const {
    const double smallestFace = config.enrolmentCnnFaceFraction * std::min(size.width, size.height);
    const double longest = std::max(size.width, size.height);
    return std::min({1.0, config.cnnMaxSide / longest, kCnnWindowPx / smallestFace});
}

// Accurate mode: the CNN on the whole image, upsampled when small.
Detections FaceEngine::Impl::detectCnn(Worker& worker, const cv::Mat& rgb) const {
    double scale = downscaleFactor(rgb, config.cnnMaxSide);
    if (std::max(rgb.cols, rgb.rows) < config.cnnUpsampleBelow) scale = 2.0;
    return detectCnnRegion(worker, rgb, scale);
}

Detections FaceEngine::Impl::detectCnnRegion(Worker& worker, const cv::Mat& rgb, double scale) const {
    const auto scanned = scaledCopy(rgb, scale);
    Detections boxes;
    for (const auto& d : worker.cnn(scanned))
        boxes.push_back({toRect(mapBack(d.rect, scale, rgb.size())), d.detection_confidence, DetectorKind::Cnn});
    return boxes;
}

// The CNN on one region of the image scaled by `scale`; boxes in full-image coordinates.
Detections FaceEngine::Impl::detectCnnAt(Worker& worker, const cv::Mat& rgb, const cv::Rect& region, double scale) const {
    Detections boxes = detectCnnRegion(worker, rgb(region).clone(), scale);
    for (auto& d : boxes) d.rect = dlib::translate_rect(d.rect, region.x, region.y);
    return boxes;
}

// DetectionPolicy::Probe (FaceEngine.h). Step 1, in parallel over the workers: HOG on the whole image at
// most at 1x (faces from 80 px up), and on overlapping tiles upsampled so that the smallest face found is
// probeSmallestFacePx, with the threshold lowered by probeHogThresholdOffset. Step 2: overlapping boxes
// merged. Step 3: a box whose HOG score is below probeConfirmScore is kept only if the CNN, run on a crop
// around it scaled so that the face is probeConfirmFacePx wide, finds a face there too (lowering the HOG
// threshold finds the small faces; the CNN removes what the lower threshold lets in).
Result<Detections> FaceEngine::Impl::detectProbe(const cv::Mat& rgb, const ProgressFn& progress,
                                                 const std::atomic<bool>* cancel) {
    const double fine = kHogWindowPx / config.probeSmallestFacePx;
    // Tiles overlap by the largest face the fine scan is there for (the whole-image scan finds larger ones).
    const int overlapPx = static_cast<int>(std::ceil(1.5 * kHogWindowPx));
    const int step = std::max(config.probeTilePx, overlapPx);
    std::vector<std::pair<cv::Rect, double>> scans{{cv::Rect(cv::Point(0, 0), rgb.size()), std::min(1.0, fine)}};
    for (int top = 0; top < rgb.rows; top += step) {
        for (int left = 0; left < rgb.cols; left += step) {
            const cv::Rect tile = cv::Rect(left, top, step + overlapPx, step + overlapPx) & cv::Rect(cv::Point(0, 0), rgb.size());
            scans.emplace_back(tile, fine);
            if (left + step + overlapPx >= rgb.cols) break;
        }
        if (top + step + overlapPx >= rgb.rows) break;
    }
    std::mutex foundMutex;
    Detections found;
    std::atomic<std::size_t> done{0};
    const std::size_t steps = scans.size() + 1;
    const bool completed = forEachOnWorkers(scans.size(), [&](Worker& worker, std::size_t i) {
        const auto& [region, scale] = scans[i];
        Detections boxes = detectHogAt(worker, rgb(region).clone(), scale, i == 0 ? 0.0 : config.probeHogThresholdOffset);
        for (auto& d : boxes) d.rect = dlib::translate_rect(d.rect, region.x, region.y);
        {
            const std::lock_guard lock(foundMutex);
            found.insert(found.end(), boxes.begin(), boxes.end());
        }
        if (progress) progress(++done, steps);
    }, cancel);
    if (!completed) return makeError(ErrorCode::Cancelled, "Face detection was cancelled.");

    auto candidates = suppressOverlaps(std::move(found), kMergeOverlap);
    std::vector<char> confirmed(candidates.size(), 1);
    std::vector<std::size_t> doubtful;
    for (std::size_t i = 0; i < candidates.size(); ++i)
        if (candidates[i].score < config.probeConfirmScore) doubtful.push_back(i);
    const bool checked = forEachOnWorkers(doubtful.size(), [&](Worker& worker, std::size_t k) {
        const auto& candidate = candidates[doubtful[k]];
        const double scale = config.probeConfirmFacePx / std::max<double>(candidate.rect.width(), 1);
        const auto crop = around(candidate.rect, 2.5, rgb.size());
        const auto cnn = detectCnnAt(worker, rgb, crop, scale);
        confirmed[doubtful[k]] = std::any_of(cnn.begin(), cnn.end(), [&](const Detection& d) {
            return overlap(d.rect, candidate.rect) > 0.3;
        });
    }, cancel);
    if (!checked) return makeError(ErrorCode::Cancelled, "Face detection was cancelled.");
    Detections faces;
    for (std::size_t i = 0; i < candidates.size(); ++i)
        if (confirmed[i]) faces.push_back(candidates[i]);
    if (progress) progress(steps, steps);
    return faces;
}

// The probe policy on a picture larger than probeLargestFramePixels scans a reduced copy (INTER_AREA, as a camera of
// that resolution would see it); the boxes come back in the picture's pixels, where landmarks and chips are taken.
Result<Detections> FaceEngine::Impl::detectProbeBounded(const cv::Mat& rgb, const ProgressFn& progress,
                                                        const std::atomic<bool>* cancel) {
    const double scale = probeScanScale(config, rgb.cols, rgb.rows);
    if (scale >= 1) return detectProbe(rgb, progress, cancel);
    cv::Mat reduced;
    cv::resize(rgb, reduced, cv::Size(), scale, scale, cv::INTER_AREA);
    auto found = detectProbe(reduced, progress, cancel);
    if (!found) return found;
    for (auto& d : *found) d.rect = toRect(mapBack(d.rect, scale, rgb.size()));
    return found;
}

std::vector<Descriptor> FaceEngine::Impl::describe(Worker& worker, const std::vector<cv::Mat>& chips) const {
    // Every face contributes 1 + flip + jitter inputs; their descriptors are averaged.
    const std::size_t perFace = 1 + (config.flipAverage ? 1 : 0) + static_cast<std::size_t>(std::max(config.jitter, 0));
    std::vector<cv::Mat> inputs;
    inputs.reserve(chips.size() * perFace);
    for (const auto& chip : chips) {
        inputs.push_back(chip);
        if (config.flipAverage) {
            cv::Mat mirrored;
            cv::flip(chip, mirrored, 1);
            inputs.push_back(mirrored);
        }
        dlib::rand random(kJitterSeed);
        Chip dlibChip;
        if (config.jitter > 0) dlib::assign_image(dlibChip, RgbView(chip));
        for (int i = 0; i < config.jitter; ++i) inputs.push_back(chipToMat(dlib::jitter_image(dlibChip, random)));
    }
    cv::Mat outputs(0, 128, CV_32F);
    for (std::size_t first = 0; first < inputs.size(); first += kForwardBatch) {
        const std::vector<cv::Mat> batch(inputs.begin() + static_cast<std::ptrdiff_t>(first),
                                         inputs.begin() + static_cast<std::ptrdiff_t>(std::min(inputs.size(), first + kForwardBatch)));
        worker.resnet.setInput(detail::descriptorInput(batch));
        outputs.push_back(worker.resnet.forward().reshape(1, static_cast<int>(batch.size())));
    }
    std::vector<Descriptor> descriptors(chips.size());
    for (std::size_t face = 0; face < chips.size(); ++face) {
        cv::Mat sum = outputs.row(static_cast<int>(face * perFace)).clone();
        for (std::size_t k = 1; k < perFace; ++k) sum += outputs.row(static_cast<int>(face * perFace + k));
        sum /= static_cast<float>(perFace);
        std::copy(sum.begin<float>(), sum.end<float>(), descriptors[face].begin());
    }
    return descriptors;
}

bool FaceEngine::Impl::forEachOnWorkers(std::size_t count, const std::function<void(Worker&, std::size_t)>& job,
                                        const std::atomic<bool>* cancel) {
    std::atomic<std::size_t> next{0};
    const auto run = [&] {
        const Lease worker(*this);
        for (std::size_t i = next++; i < count; i = next++) {
            if (cancel && cancel->load()) return;
            job(*worker, i);
        }
    };
    const std::size_t threads = std::min(workers.size(), std::max<std::size_t>(count, 1));
    {
        std::vector<std::jthread> pool;
        for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(run);
        run();
    }
    return !(cancel && cancel->load());
}

// Landmarks, aligned chip, quality and (when asked) descriptor of each detection, in reading order.
std::vector<Face> FaceEngine::Impl::describeFaces(Worker& worker, const cv::Mat& rgb, const Detections& found,
                                                  const AnalyzeOptions& options) const {
    std::vector<Face> faces;
    for (const auto& d : found) {
        if (d.rect.is_empty()) continue;
        Face face;
        face.box = toBox(d.rect);
        face.score = d.score;
        face.detector = d.detector;
        faces.push_back(face);
    }
    faces = pickFaces(std::move(faces), options.pick, rgb.size());
    sortInReadingOrder(faces);

    const RgbView view(rgb);
    std::vector<cv::Mat> chips(faces.size());
    for (std::size_t i = 0; i < faces.size(); ++i) {
        const auto shape = landmarks(view, toRect(faces[i].box));
        for (unsigned long p = 0; p < shape.num_parts(); ++p)
            faces[i].landmarks.push_back({static_cast<double>(shape.part(p).x()), static_cast<double>(shape.part(p).y())});
        const AlignedChip chip = extractChip(rgb, dlib::get_face_chip_details(shape, detail::kChipSize, detail::kChipPadding));
        chips[i] = chip.rgb;
        faces[i].quality = assessQuality(faces[i].box, faces[i].landmarks, chip, config.quality, rgb,
                                         options.policy == DetectionPolicy::Probe ? EyeCheck::Look : EyeCheck::Skip);
    }
    if (options.computeDescriptors && !chips.empty()) {
        const auto descriptors = describe(worker, chips);
        for (std::size_t i = 0; i < faces.size(); ++i) faces[i].descriptor = descriptors[i];
    }
    return faces;
}

// DetectionPolicy::Enrolment (the probe policy is in FaceEngine::analyze: it needs all workers).
Result<std::vector<Face>> FaceEngine::Impl::analyze(Worker& worker, const imaging::Image& image,
                                                    const AnalyzeOptions& options) const {
    return guard(ErrorCode::EngineFailure, "The face engine failed on this image", [&]() -> Result<std::vector<Face>> {
        Detections found = config.mode == DetectionMode::Accurate ? detectCnn(worker, image.rgb)
                                                                  : detectEnrolment(worker, image.rgb);
        if (found.empty() && config.mode == DetectionMode::Fast)
            found = detectCnnRegion(worker, image.rgb, enrolmentCnnScale(image.rgb.size()));
        return describeFaces(worker, image.rgb, found, options);
    });
}

FaceEngine::FaceEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FaceEngine::~FaceEngine() = default;

const EngineConfig& FaceEngine::config() const { return impl_->config; }

Result<void> FaceEngine::verifyModels(const std::filesystem::path& modelsDir) {
    for (const auto& model : kModelFiles) FACELEAD_TRY(verifyModelFile(modelsDir, model));
    return {};
}

namespace {

// dlib's forward pass runs on the system BLAS (libblas.so.3). When Debian points that at OpenBLAS (about 2.7x
// faster here, docs/PERFORMANCE.md), OpenBLAS would start threads of its own inside every worker's call while
// the engine's pool already owns the cores: keep it to the calling thread. The pthread build used this way is
// safe to call from all workers at once (the serial build is not: it gave run-to-run differences).
// OpenCV's DNN module (the descriptor network) would likewise start its own threads: the same rule, for
// the whole process (cv::setNumThreads is global; the engine's workers are where the parallelism is).
void keepBlasOnCallingThread() {
    static std::once_flag once;
    std::call_once(once, [] {
        using SetThreads = void (*)(int);
        if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(1);
        cv::setNumThreads(1);
    });
}

}  // namespace

Result<std::unique_ptr<FaceEngine>> FaceEngine::create(const EngineConfig& config) {
    keepBlasOnCallingThread();
    auto impl = std::make_unique<Impl>();
    impl->config = config;
    if (impl->config.modelsDir.empty()) impl->config.modelsDir = defaultModelsDir();
    const auto& dir = impl->config.modelsDir;
    FACELEAD_TRY(verifyModels(dir));

    const int workers = config.threads > 0 ? config.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    auto loaded = guard(ErrorCode::ModelCorrupt, "A model file could not be loaded", [&]() -> Result<void> {
        dlib::deserialize((dir / kModelFiles[1].fileName).string()) >> impl->landmarks;
        // The dlib ResNet is only read to build each worker's OpenCV copy, then freed (22 MB of weights).
        auto trained = std::make_unique<detail::DescriptorNet>();
        dlib::deserialize((dir / kModelFiles[0].fileName).string()) >> *trained;
        detail::DetectorNet cnn;
        dlib::deserialize((dir / kModelFiles[2].fileName).string()) >> cnn;
        while (static_cast<int>(impl->workers.size()) < workers) {
            auto worker = std::make_unique<Worker>();
            worker->cnn = cnn;
            worker->resnet = detail::toOpenCvNet(*trained);
            impl->workers.push_back(std::move(worker));
        }
        return {};
    });
    if (!loaded) return loaded.error();
    for (auto& worker : impl->workers) impl->idle.push_back(worker.get());
    return std::unique_ptr<FaceEngine>(new FaceEngine(std::move(impl)));
}

Result<std::vector<Face>> FaceEngine::analyze(const imaging::Image& image, const AnalyzeOptions& options,
                                              const ProgressFn& progress, const std::atomic<bool>* cancel) const {
    if (image.rgb.empty() || image.rgb.type() != CV_8UC3 || !image.rgb.isContinuous())
        return makeError(ErrorCode::InvalidArgument, "The image is empty or not in the decoded RGB form.");
    bool first = true;  // progress is reported for the picture as decoded; the turned copies are quick retries
    const auto analyzeAsGiven = [&](const cv::Mat& rgb) -> Result<std::vector<Face>> {
        const ProgressFn report = first ? progress : ProgressFn{};
        first = false;
        if (options.policy == DetectionPolicy::Enrolment) {
            if (cancel && cancel->load()) return makeError(ErrorCode::Cancelled, "Face detection was cancelled.");
            imaging::Image copy = image;
            copy.rgb = rgb;
            auto faces = [&] {
                const Impl::Lease worker(*impl_);
                return impl_->analyze(*worker, copy, options);
            }();
            if (report) report(1, 1);
            return faces;
        }
        return guard(ErrorCode::EngineFailure, "The face engine failed on this image", [&]() -> Result<std::vector<Face>> {
            auto found = impl_->detectProbeBounded(rgb, report, cancel);
            if (!found) return found.error();
            const Impl::Lease worker(*impl_);
            // The probe scan looks for small faces on enlarged copies; a face that fills a small picture (a 92 x 112
            // crop) was missed by it where the gallery's scan, at the picture's own scale, finds it (trial 42 F8).
            if (found->empty()) *found = impl_->detectEnrolment(*worker, rgb);
            return impl_->describeFaces(*worker, rgb, *found, options);
        });
    };
    return gradedForDamage(analyzeOrTurned(image.rgb, impl_->config.quality.poorLandmarkDeviation, analyzeAsGiven), image);
}

Result<Face> FaceEngine::analyzeMarked(const imaging::Image& image, const MarkedPoints& points) const {
    if (image.rgb.empty() || image.rgb.type() != CV_8UC3)
        return makeError(ErrorCode::InvalidArgument, "The image is empty or not in the decoded RGB form.");
    auto checked = checkMarkedPoints(points, image.rgb.cols, image.rgb.rows);
    if (!checked) return checked.error();
    return guard(ErrorCode::EngineFailure, "The face engine failed on the marked face", [&]() -> Result<Face> {
        const RgbView view(image.rgb);
        const auto implied = alignmentFromMarks(*checked);
        const auto shape = impl_->landmarks(view, toRect(implied.box));
        std::vector<Point> engineLandmarks;
        for (unsigned long p = 0; p < shape.num_parts(); ++p)
            engineLandmarks.push_back({static_cast<double>(shape.part(p).x()), static_cast<double>(shape.part(p).y())});
        const auto engineNose = plausibleEngineNoseBase(*checked, engineLandmarks);
        const auto alignment = alignmentFromMarks(*checked, engineNose);
        Face face;
        face.detector = DetectorKind::Hand;
        face.marked = *checked;
        face.landmarks = alignment.landmarks;
        // A face at the edge of the picture: the box keeps to the image, as a detector's does.
        face.box = {std::max(alignment.box.left, 0), std::max(alignment.box.top, 0),
                    std::min(alignment.box.right, image.rgb.cols), std::min(alignment.box.bottom, image.rgb.rows)};
        const AlignedChip chip =
            extractChip(image.rgb, detail::markedChipDetails(*checked, engineNose, detail::kChipSize, detail::kChipPadding));
        face.quality = assessMarkedQuality(face.box, *checked, chip, impl_->config.quality, image.rgb);
        if (image.notes.damage) gradeDamagedFile(face.quality, *image.notes.damage);
        const Impl::Lease worker(*impl_);
        face.descriptor = impl_->describe(*worker, {chip.rgb}).front();
        return face;
    });
}

std::vector<BatchItem> FaceEngine::analyzeFiles(const std::vector<std::filesystem::path>& files,
                                                const AnalyzeOptions& options, const ProgressFn& progress,
                                                const std::atomic<bool>* cancel) const {
    std::vector<BatchItem> items(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        items[i].file = files[i];
        items[i].faces = makeError(ErrorCode::Cancelled, "Stopped before this file was processed.");
    }
    std::atomic<std::size_t> done{0};
    const auto analyzeOne = [&](std::size_t i, const auto& analyzeImage) {
        // Read and decoded without decodeFile's "NAME: " prefix: the item names its file, and every report
        // prints it beside the message (trial 10 saw the name twice).
        auto bytes = imaging::readImageFile(items[i].file);
        auto image = bytes ? imaging::decodeBytes(*bytes) : Result<imaging::Image>(bytes.error());
        if (image) {
            items[i].intake = image->notes;
            items[i].pixels = image->rgb.size();
            items[i].faces = analyzeImage(*image);
        } else {
            items[i].faces = image.error();
        }
        if (progress) progress(++done, items.size());
    };
    if (options.policy == DetectionPolicy::Probe) {
        // One file at a time: the probe policy spreads each image over all workers itself.
        for (std::size_t i = 0; i < items.size() && !(cancel && cancel->load()); ++i)
            analyzeOne(i, [&](const imaging::Image& image) { return analyze(image, options, {}, cancel); });
        return items;
    }
    impl_->forEachOnWorkers(items.size(), [&](Worker& worker, std::size_t i) {
        analyzeOne(i, [&](const imaging::Image& image) {
            return gradedForDamage(
                analyzeOrTurned(image.rgb, impl_->config.quality.poorLandmarkDeviation, [&](const cv::Mat& rgb) {
                    imaging::Image copy = image;  // shares the pixels; only the picture analysed differs
                    copy.rgb = rgb;
                    return impl_->analyze(worker, copy, options);
                }),
                image);
        });
    }, cancel);
    return items;
}

Result<std::vector<Descriptor>> FaceEngine::describeChips(const std::vector<cv::Mat>& chipsRgb) const {
    for (const cv::Mat& chip : chipsRgb) {
        if (chip.type() != CV_8UC3 || chip.rows != static_cast<int>(detail::kChipSize) ||
            chip.cols != static_cast<int>(detail::kChipSize))
            return makeError(ErrorCode::InvalidArgument, "A face chip must be a 150x150 RGB image.");
    }
    return guard(ErrorCode::EngineFailure, "The face engine failed", [&]() -> Result<std::vector<Descriptor>> {
        const Impl::Lease worker(*impl_);
        return impl_->describe(*worker, chipsRgb);
    });
}

Result<cv::Mat> FaceEngine::alignedChip(const imaging::Image& image, const Face& face) const {
    if (face.landmarks.size() != 5) return makeError(ErrorCode::InvalidArgument, "The face has no 5-point landmarks.");
    return guard(ErrorCode::EngineFailure, "The face chip could not be made", [&]() -> Result<cv::Mat> {
        std::vector<dlib::point> parts;
        for (const auto& p : face.landmarks) parts.emplace_back(std::lround(p.x), std::lround(p.y));
        const dlib::full_object_detection shape(toRect(face.box), parts);
        Chip chip;
        dlib::extract_image_chip(RgbView(image.rgb), dlib::get_face_chip_details(shape, detail::kChipSize, detail::kChipPadding), chip);
        return chipToMat(chip);
    });
}

double FaceEngine::distance(const Descriptor& a, const Descriptor& b) {
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += (static_cast<double>(a[i]) - b[i]) * (static_cast<double>(a[i]) - b[i]);
    return std::sqrt(sum);
}

double FaceEngine::similarity(double distance) const {
    // A logistic curve through 0.5 at the threshold; the slope is set so distance 0 maps close to 1.
    const double threshold = impl_->config.calibration.sameSubjectDistance;
    const double steepness = 10.0 / threshold;
    return 1.0 / (1.0 + std::exp(steepness * (distance - threshold)));
}

double probeSmallestFaceIn(const EngineConfig& config, int width, int height) {
    return config.probeSmallestFacePx / probeScanScale(config, width, height);
}

}  // namespace facelead::face
