#pragma once
// FaceEngine: the one facade of core/face. Detection (HOG, MMOD CNN), 5-point alignment, the ResNet
// 128-d descriptor, probe quality and comparison.
//
// Threading contract: a FaceEngine is safe to call from any number of threads at once. It owns a pool
// of workers, each with its own copy of the networks (dlib networks are not thread-safe); calls borrow
// a worker. Batch calls spread their items over all workers. There is no global mutable state.
//
// Coordinates: pixels of the image as decoded (after EXIF orientation), origin top-left,
// boxes [left, top, right, bottom] inclusive-exclusive.

#include <array>
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/Result.h"
#include "core/imaging/Image.h"

namespace facelead::face {

using Descriptor = std::array<float, 128>;

struct Box {
    int left = 0, top = 0, right = 0, bottom = 0;
    int width() const { return right - left; }
    int height() const { return bottom - top; }
};

struct Point {
    double x = 0, y = 0;
};

enum class DetectorKind { Hog, Cnn };
const char* detectorName(DetectorKind kind);  // "hog" / "cnn"

enum class DetectionMode {
    Fast,      // HOG with upsampling; the CNN only when HOG finds nothing (default)
    Accurate,  // MMOD CNN always
};

enum class FacePick { All, Largest, Center };

enum class QualityVerdict { Good, Marginal, Poor };
const char* verdictName(QualityVerdict verdict);  // "good" / "marginal" / "poor"

struct Quality {
    int faceWidthPx = 0;
    double interOcularPx = 0;
    double sharpness = 0;    // variance of the Laplacian on the aligned chip
    double brightness = 0;   // mean luminance 0..255 on the chip
    double contrast = 0;     // luminance standard deviation on the chip
    double yawDegrees = 0;   // estimated from the 5 landmarks; 0 = frontal
    QualityVerdict verdict = QualityVerdict::Good;
    std::vector<std::string> reasons;  // why not good, in words a detective understands
};

struct Face {
    Box box;
    std::vector<Point> landmarks;  // the 5 points of shape_predictor_5_face_landmarks
    double score = 0;              // detector confidence
    DetectorKind detector = DetectorKind::Hog;
    Quality quality;
    std::optional<Descriptor> descriptor;  // absent when only detection was asked for
};

// Limits of the quality verdict (core/face/Quality.h). Below "poor…" a measurement makes the probe poor,
// below "good…" marginal; brightness and yaw are graded from both sides as named.
struct QualityThresholds {
    double poorFaceWidthPx = 40, goodFaceWidthPx = 80;
    double poorInterOcularPx = 16, goodInterOcularPx = 32;
    double poorSharpness = 20, goodSharpness = 60;       // variance of the Laplacian on the 150x150 chip
    double poorContrast = 15, goodContrast = 30;         // luminance standard deviation
    double poorMinBrightness = 40, goodMinBrightness = 70;
    double poorMaxBrightness = 225, goodMaxBrightness = 200;
    double goodYawDegrees = 25, poorYawDegrees = 45;
};

// Decision thresholds are calibrated configuration (docs/CALIBRATION.md), not magic numbers.
struct Calibration {
    // Below this Euclidean distance two faces are reported as similar. Calibrated on identities.csv (all pairs)
    // and deepface/master.csv: docs/CALIBRATION.md gives the data, the sweep and how to repeat it.
    double sameSubjectDistance = 0.56;
};

struct EngineConfig {
    std::filesystem::path modelsDir;  // empty: defaultModelsDir()
    DetectionMode mode = DetectionMode::Fast;
    int hogUpsample = 1;              // pyramid upsamplings for small faces (at most 2^hogUpsample)
    // HOG scans a resized copy chosen so that its smallest detectable face (80 px, dlib's window) covers the
    // larger of hogSmallestFacePx and hogSmallestFaceFraction x the longest side of the original. Small
    // images are thus upsampled (up to 2^hogUpsample), large photos scanned on a reduced copy; boxes are
    // mapped back and landmarks and chips use the full image. hogSmallestFaceFraction = 0 restores the plain
    // "always upsample" behaviour. Measured in docs/PERFORMANCE.md.
    double hogSmallestFacePx = 40;
    double hogSmallestFaceFraction = 0.05;
    // The CNN scans a copy no larger than this, and a 2x upsampled copy of images whose longest side is
    // below cnnUpsampleBelow (its smallest face is about 40 pixels, like HOG's with one upsampling).
    // As the fallback of fast mode the CNN scans at most at 1x: HOG (upsampled) already missed any face there,
    // so the faces left are the large ones in odd light or pose, and 1x costs a quarter of 2x.
    int cnnMaxSide = 1280;
    int cnnUpsampleBelow = 1000;
    // Descriptor averaging. Both off by default because measured without a gain worth the cost at the
    // calibrated threshold (docs/CALIBRATION.md, flip under "Method and result", "Jitter averaging"): jitter 5
    // costs 5.8x per face and lifts the best balanced accuracy only from 0.9966 to 0.9973, at threshold 0.54.
    int jitter = 0;                   // extra jittered copies (dlib::jitter_image) averaged into the descriptor
    bool flipAverage = false;         // average with the mirrored chip's descriptor
    int threads = 0;                  // workers; 0 = all cores
    Calibration calibration;
    QualityThresholds quality;
};

struct AnalyzeOptions {
    FacePick pick = FacePick::All;
    bool computeDescriptors = true;
};

// Progress for batch work: called with (done, total) from worker threads.
using ProgressFn = std::function<void(std::size_t done, std::size_t total)>;

struct BatchItem {
    std::filesystem::path file;
    Result<std::vector<Face>> faces = makeError(ErrorCode::Internal, "not processed");
    imaging::IntakeNotes intake;  // what intake noticed about the file (damage, animation frames)
};

class FaceEngine {
public:
    // Loads and verifies the three model files (present, complete, SHA-256 as published). A missing or
    // damaged file gives ModelMissing / ModelCorrupt naming the file, the expected hash and how to get it.
    static Result<std::unique_ptr<FaceEngine>> create(const EngineConfig& config);
    // Checks the model files without loading the networks (for the status bar and `--check`).
    static Result<void> verifyModels(const std::filesystem::path& modelsDir);

    ~FaceEngine();
    FaceEngine(const FaceEngine&) = delete;
    FaceEngine& operator=(const FaceEngine&) = delete;

    const EngineConfig& config() const;

    Result<std::vector<Face>> analyze(const imaging::Image& image, const AnalyzeOptions& options = {}) const;
    // Decodes and analyses many files over all workers. A bad file fails its own item only.
    // Setting *cancel to true stops early; unprocessed items then hold ErrorCode::Cancelled.
    std::vector<BatchItem> analyzeFiles(const std::vector<std::filesystem::path>& files,
                                        const AnalyzeOptions& options, const ProgressFn& progress = {},
                                        const std::atomic<bool>* cancel = nullptr) const;

    // Descriptors of chips already aligned as the network expects (150x150 RGB, from alignedChip() or an
    // aligned data set), in one batched forward pass per worker. Applies the flip/jitter configuration.
    Result<std::vector<Descriptor>> describeChips(const std::vector<cv::Mat>& chipsRgb) const;
    // The aligned 150x150 RGB chip of a face found in image (for display and for describeChips).
    Result<cv::Mat> alignedChip(const imaging::Image& image, const Face& face) const;

    // Euclidean distance between descriptors (the model was trained for this metric).
    static double distance(const Descriptor& a, const Descriptor& b);
    // A 0..1 score for display: 1 at distance 0, 0.5 at the calibrated threshold, falling towards 0.
    double similarity(double distance) const;

private:
    struct Impl;
    explicit FaceEngine(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace facelead::face
