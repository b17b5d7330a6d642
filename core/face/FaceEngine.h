#pragma once
// FaceEngine: the one facade of core/face. Detection (HOG, MMOD CNN), 5-point alignment, the ResNet
// 128-d descriptor, probe quality and comparison.
//
// Threading contract: a FaceEngine is safe to call from any number of threads at once. It owns a pool
// of workers, each with its own copy of the networks (dlib networks are not thread-safe); calls borrow
// a worker. Batch calls spread their items over all workers. There is no global mutable state.
//
// Coordinates: pixels of the image as decoded (after EXIF orientation), origin top-left,
// boxes [left, top, right, bottom] inclusive-exclusive. Faces are returned in reading order: rows from top to
// bottom (a face whose top lies within a median face height of its row's first face joins that row), left to
// right within a row; "face N" in the CLI and the wizard counts in this order, from 1.
//
// Descriptor network: the ResNet of detail/Networks.h, loaded from dlib's published file and run by OpenCV's
// DNN module (detail/OpenCvDescriptorNet.h: same weights, same results to ~1e-6, less time per face).

#include <array>
#include <atomic>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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

// Points an examiner marked on a face (issue 10 item 4; HandMarking.h checks them and says how they are used),
// in marking order: the eye centres (required), the nose tip, both mouth corners. After checkMarkedPoints, leftEye
// is the eye on the left of the picture when the face is upright (the person's right eye).
struct MarkedPoints {
    Point leftEye, rightEye;
    std::optional<Point> noseTip;
    std::optional<Point> mouthLeft, mouthRight;  // both or neither

    int count() const { return 2 + (noseTip ? 1 : 0) + (mouthLeft ? 1 : 0) + (mouthRight ? 1 : 0); }
};

// Who found the face: a detector, or the examiner who marked it by hand (HandMarking.h).
enum class DetectorKind { Hog, Cnn, Hand };
const char* detectorName(DetectorKind kind);  // "hog" / "cnn" / "hand"


enum class DetectionMode {
    Fast,      // HOG with upsampling; the CNN only when HOG finds nothing (default)
    Accurate,  // MMOD CNN always
};

enum class FacePick { All, Largest, Center };

// Where detection spends its work. Named so that every caller says which one it means.
enum class DetectionPolicy {
    // GALLERY ENROLMENT (Gallery::enrol, `facelead-cli embed|detect` without --probe): booking, ID and portrait
    // photos hold one face that fills much of the frame, so HOG scans coarse to fine and stops at the first
    // scale that finds a face: first a copy on which the smallest detectable face is
    // EngineConfig::enrolmentCoarseFaceFraction of the shorter side (kept only when the faces it finds are at
    // least plausibleFaceFactor x that limit, so a crowd of near-limit faces goes on to the finer scans),
    // then 1x (the dlib example pipeline's scan; on an image too small for the coarse copy, in two parts: its
    // pyramid without the finest level, kept on the same rule against the 1x limit, then that level), then the
    // fine scan of hogSmallestFacePx / hogSmallestFaceFraction (up to 2^hogUpsample); when HOG finds nothing,
    // the CNN on the copy where a face of enrolmentCnnFaceFraction of the shorter side fills its 40 px window
    // (at most 1x): what HOG misses is a large face in odd light or pose. Faces smaller than the scan that
    // found the first face are not looked for: a bystander far smaller than the subject is not enrolled.
    // Measured in docs/PERFORMANCE.md (portraits 250x250 and 480x600, and the large-photo mix).
    Enrolment,
    // PROBE (the search wizard, `facelead-cli search`, `facelead-cli detect --probe`): exhaustive, for every
    // face of probeSmallestFacePx (24) and wider in frames up to 3840x2160 (issue 10). HOG scans the whole
    // image at 1x and overlapping tiles upsampled so that a 24 px face fills its 80 px window, with a lowered
    // threshold; overlapping boxes are merged; a box with a low HOG score is kept only if the MMOD CNN, run on
    // a crop around it, agrees. The tiles and the checks are spread over all workers. EngineConfig::mode
    // does not apply. Measured in docs/PERFORMANCE.md ("Probe detection", tests/benchmarks/face/bench_probe).
    Probe,
};
const char* policyName(DetectionPolicy policy);  // "enrolment" / "probe"

enum class QualityVerdict { Good, Marginal, Poor };
const char* verdictName(QualityVerdict verdict);  // "good" / "marginal" / "poor"
// How every screen, report and export names Quality::foundTurnedDegrees (not 0): "The face was found only after
// turning the image by 180 degrees clockwise (...)".
std::string foundTurnedText(int degrees);

struct Quality {
    int faceWidthPx = 0;
    double interOcularPx = 0;
    // How much of the face's edge detail survives a further blur, 0..1 (1 sharp, about 0.5 and below visibly blurred):
    // the re-blur measure of Crete-Roffet et al. (2007) on the face proper of the aligned chip. A ratio, so it does not
    // rise with contrast as a Laplacian variance does (docs/CALIBRATION.md, "Sharpness").
    double sharpness = 0;
    double brightness = 0;   // mean luminance 0..255 on the chip
    double contrast = 0;     // luminance standard deviation on the chip
    double yawDegrees = 0;   // estimated from the 5 landmarks; 0 = frontal; NaN = not measured (JSON null)
    // In-plane tilt of the eye line, clockwise, in the picture the face was described on (after foundTurnedDegrees);
    // 0 = level, 180 = upside down.
    double rollDegrees = 0;
    double blockiness = 1;   // JPEG 8x8 block edges on the face: 1 = none, more = visible blocks (Quality.h)
    // Share of the face proper (the aligned chip without its padding) that lies inside the picture, 0..1: a face cut
    // by the picture's edge is described partly from black padding.
    double faceInPicture = 1;
    // How far the 5 landmarks lie from the mean face shape, in standard deviations of the shape measured on clean
    // photos (Quality.h); a face "found" with the nose on the chin lies far off. NaN = not measured (marked by hand).
    double landmarkDeviation = 0;
    // Detail left in the eyes: the lesser of the two eye regions' mean step between neighbouring grey levels on the
    // aligned chip, over the face proper's (Quality.h). Open, uncovered eyes are among the most detailed parts of a
    // face (median 1.5 on clean photos, 0.92 at their 5th percentile); a hand, a band or dark glasses over an eye
    // leave a flat patch (0 to 0.6). ISO/IEC 29794-5's "occlusion" for the eyes, where the descriptor leans most.
    double eyeDetail = 1;
    // Eyes OpenCV's eye detector found where the alignment puts them, 0..2 (countEyesSeen, Quality.h): fingers, a
    // hand or dark glasses over the eyes hide both even where they leave detail (a glint, the gaps between fingers);
    // ISO/IEC 29794-5's "eyes visible". NaN = not measured (gallery enrolment, EyeCheck). None seen: poor from
    // QualityThresholds::eyesSeenFromPx between the eyes, marginal below.
    double eyesSeen = std::numeric_limits<double>::quiet_NaN();
    // Texture of the irises: the grey levels' spread in the flattest dark patch at each eye centre of the aligned chip,
    // the lesser eye's, over the face proper's mean step (measureIrisTexture, Quality.h). A living iris and pupil keep
    // noise, a rim, texture or a catch-light (median 0.63 on clean photos); a dark dot painted over the iris is flat, 0
    // (trial 42 F4). Part of ISO/IEC 29794-5's "eyes visible": an eye the detector still finds whose iris is not the
    // camera's. Marginal below QualityThresholds::goodIrisTexture, from irisTextureFromPx between the eyes. NaN = not
    // measured; infinity (JSON null) = no dark patch at the eye centres.
    double irisTexture = std::numeric_limits<double>::quiet_NaN();
    // Effective number of grey levels of the face in the picture: 2 to the entropy (bits) of the grey histogram of its
    // box. A 1-bit (bilevel) scan or fax has 2, a posterised picture few; a face in low light keeps dozens, so this
    // tells lost tonal depth from low contrast. NaN = not measured (no picture).
    double greyLevels = std::numeric_limits<double>::quiet_NaN();
    // Sensor noise of the face in the picture, as a standard deviation in grey levels (Immerkaer's estimate, Quality.h):
    // a night camera's gain or a phone's digital zoom; NaN = not measured (no picture).
    double noise = std::numeric_limits<double>::quiet_NaN();
    // Intake case C02 (issue 10 item 2): nothing was found as decoded and the file carries no orientation tag, so the
    // face was found on a copy turned clockwise by this many degrees (90, 180, 270); 0 = found as decoded. Like the
    // EXIF orientation applied at decoding, the turn is done in memory: box and landmarks are in the decoded image's
    // pixels, the stored original is never altered (VI.B.2), and the turn is recorded with the search (quality JSON).
    int foundTurnedDegrees = 0;
    QualityVerdict verdict = QualityVerdict::Good;
    std::vector<std::string> reasons;  // why not good, in words a detective understands
};

struct Face {
    Box box;
    // The 5 points of shape_predictor_5_face_landmarks; for a face marked by hand, the 5 points the marked ones imply.
    std::vector<Point> landmarks;
    double score = 0;              // detector confidence
    DetectorKind detector = DetectorKind::Hog;
    Quality quality;
    std::optional<Descriptor> descriptor;  // absent when only detection was asked for
    std::optional<MarkedPoints> marked;  // detector Hand: the points as checked (HandMarking.h)
};

// Limits of the quality verdict (core/face/Quality.h). Below "poor…" a measurement makes the probe poor,
// below "good…" marginal; brightness and yaw are graded from both sides as named. Where each limit comes from:
// docs/CALIBRATION.md, "Calibration of the quality verdict" (tests/benchmarks/face/calibrate_quality): a limit is
// where the 90th percentile of the distance to the same photo's clean descriptor passes a quarter (good) and half
// (poor) of the match threshold, except where that document's "Limits" table says otherwise and why (roll, landmark
// deviation; contrast, over-exposure and yaw are still set by eye there).
struct QualityThresholds {
    double poorFaceWidthPx = 37, goodFaceWidthPx = 65;
    double poorInterOcularPx = 16, goodInterOcularPx = 28;
    double poorSharpness = 0.30, goodSharpness = 0.42;   // re-blur measure on the face proper, 0..1
    double poorContrast = 15, goodContrast = 30;         // luminance standard deviation
    double poorMinBrightness = 27, goodMinBrightness = 65;
    double poorMaxBrightness = 225, goodMaxBrightness = 200;
    double goodYawDegrees = 25, poorYawDegrees = 45;
    double goodRollDegrees = 20, poorRollDegrees = 90;   // |roll| from the eye line
    double goodBlockiness = 1.42, poorBlockiness = 1.96; // JPEG block edges over the steps inside (median; 1 = none)
    double goodLandmarkDeviation = 5, poorLandmarkDeviation = 7;  // standard deviations from the mean 5-point shape
    double poorFaceInPicture = 0.91, goodFaceInPicture = 0.99;   // share of the face proper inside the picture
    double poorEyeDetail = 0.65, goodEyeDetail = 0.9;            // the lesser eye's detail over the face proper's
    double poorGreyLevels = 6.6, goodGreyLevels = 22;            // effective grey levels of the face box
    double goodNoise = 5, poorNoise = 9.2;                       // noise sigma of the face box, grey levels
    // No eye seen makes a face poor from this eye distance (pixels in the picture), marginal below it, where the eye
    // detector misses the eyes of some clean faces too (7 % of those under 40 px against 3.6 % above).
    double eyesSeenFromPx = 40;
    // Flat irises (a dark dot painted over one or both) make a face marginal below this texture, from this eye
    // distance (pixels in the picture): a smaller face is enlarged to the chip, smooth everywhere, and marginal for its
    // size already (goodInterOcularPx). docs/CALIBRATION.md, "Irises painted over".
    double goodIrisTexture = 0.05, irisTextureFromPx = 28;
};

// Decision thresholds are calibrated configuration (docs/CALIBRATION.md), not magic numbers.
struct Calibration {
    // Below this Euclidean distance two faces are reported as similar. Calibrated on identities.csv (all pairs)
    // and deepface/master.csv: docs/CALIBRATION.md gives the data, the sweep and how to repeat it.
    double sameSubjectDistance = 0.56;
};
// Where sameSubjectDistance comes from, as a disclosure states it (issue 11 item 4).
inline constexpr std::string_view kCalibrationSource =
    "docs/CALIBRATION.md: the threshold of best balanced accuracy (0.9966) over all pairs of 683 labelled images "
    "of 73 identities, checked on the deepface pairs (0.9967); false-accept rate 0.39 % there";

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
    // DetectionPolicy::Enrolment's coarse scan (see there): its smallest face as a fraction of the shorter
    // side, and how far above that limit the smallest face found must be for the scan to be the last.
    double enrolmentCoarseFaceFraction = 0.25;
    double plausibleFaceFactor = 1.4;
    // DetectionPolicy::Enrolment's CNN fallback (see there): the smallest face it looks for, as a fraction of
    // the shorter side (a portrait's face spans about 45 % of its width).
    double enrolmentCnnFaceFraction = 0.32;
    // DetectionPolicy::Probe (see there): the smallest face looked for, the tile side (pixels of the image;
    // tiles overlap by 120 px), the HOG threshold offset of the tile scans (dlib's default is 0), the HOG
    // score below which the CNN must confirm a box, and the face width the CNN sees in that check.
    // Chosen on the CCTV benchmark (bench_probe, docs/PERFORMANCE.md).
    double probeSmallestFacePx = 24;
    int probeTilePx = 400;
    double probeHogThresholdOffset = -0.3;
    double probeConfirmScore = 0.5;
    double probeConfirmFacePx = 64;
    // The largest picture the probe policy scans at full size: a 3840 x 2160 frame. A larger one (a 99-megapixel
    // photo) is scanned on a copy reduced to this many pixels, so its time and memory stay those of a 4K frame and
    // the smallest face looked for grows with it (probeSmallestFaceIn).
    double probeLargestFramePixels = 3840.0 * 2160.0;
    // In accurate mode the CNN scans a copy no larger than this, and a 2x upsampled copy of images whose
    // longest side is below cnnUpsampleBelow (its smallest face is about 40 pixels, like HOG's with one
    // upsampling). As the fallback of the enrolment policy it scans a reduced copy (DetectionPolicy::Enrolment).
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

// The smallest face, in pixels of the picture, that DetectionPolicy::Probe looks for in a width x height picture:
// probeSmallestFacePx up to probeLargestFramePixels, proportionally more in a larger one. Screens and the CLI say it
// when it is more than probeSmallestFacePx (crop the picture to look for smaller faces).
double probeSmallestFaceIn(const EngineConfig& config, int width, int height);

// Progress for batch work: called with (done, total) from worker threads.
using ProgressFn = std::function<void(std::size_t done, std::size_t total)>;

struct AnalyzeOptions {
    FacePick pick = FacePick::All;
    bool computeDescriptors = true;
    DetectionPolicy policy = DetectionPolicy::Enrolment;
};


struct BatchItem {
    std::filesystem::path file;
    // An error's message is about the file without repeating its name (the report prints `file` beside it).
    Result<std::vector<Face>> faces = makeError(ErrorCode::Internal, "not processed");
    imaging::IntakeNotes intake;  // what intake noticed about the file (damage, animation frames)
    cv::Size pixels;               // the decoded picture's size; empty when it could not be decoded
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

    // Detects and analyses the faces of one image with options.policy. Progress reports (done, total) steps of
    // the detection (tiles for the probe policy) from worker threads; setting *cancel to true stops between
    // steps with ErrorCode::Cancelled. The probe policy uses all workers for the one image.
    Result<std::vector<Face>> analyze(const imaging::Image& image, const AnalyzeOptions& options = {},
                                      const ProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr) const;
    // A face the examiner marked by hand (issue 10 item 4, HandMarking.h): the points are checked
    // (checkMarkedPoints: InvalidArgument saying which point to mark again), the face is aligned from them alone and
    // described; its quality measures what the points and the chip allow and is never better than marginal (the
    // engine placed no landmark; with the eyes alone the head turn is not measured). Detector Hand, score 0.
    Result<Face> analyzeMarked(const imaging::Image& image, const MarkedPoints& points) const;
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
