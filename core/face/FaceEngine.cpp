#include "core/face/FaceEngine.h"

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms.h>
#include <dlib/opencv.h>

#include <opencv2/imgproc.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/common/Paths.h"
#include "core/face/ModelFiles.h"
#include "core/face/Quality.h"
#include "core/face/detail/Networks.h"
#include "core/imaging/Intake.h"

namespace facelead::face {
namespace {

using RgbView = dlib::cv_image<dlib::rgb_pixel>;
using Chip = dlib::matrix<dlib::rgb_pixel>;

// Faces per forward pass: enough to amortise the per-call cost, small enough to bound memory.
constexpr std::size_t kForwardBatch = 16;
// Side of the face window of dlib's frontal HOG detector: the smallest face it finds at scale 1.
constexpr double kHogWindowPx = 80;
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

}  // namespace

const char* detectorName(DetectorKind kind) { return kind == DetectorKind::Cnn ? "cnn" : "hog"; }

const char* verdictName(QualityVerdict verdict) {
    switch (verdict) {
    case QualityVerdict::Good: return "good";
    case QualityVerdict::Marginal: return "marginal";
    case QualityVerdict::Poor: return "poor";
    }
    return "unknown";
}

// One worker: its own detector and network copies (dlib networks keep per-call state and are not
// thread-safe). The shape predictor is read-only when used, so all workers share one.
struct Worker {
    dlib::frontal_face_detector hog = dlib::get_frontal_face_detector();
    detail::DetectorNet cnn;
    detail::DescriptorNet resnet;
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

    std::vector<std::pair<dlib::rectangle, double>> detectHog(Worker& worker, const cv::Mat& rgb) const;
    std::vector<std::pair<dlib::rectangle, double>> detectCnn(Worker& worker, const cv::Mat& rgb,
                                                              bool allowUpsampling) const;
    std::vector<Descriptor> describe(Worker& worker, const std::vector<Chip>& chips) const;
    Result<std::vector<Face>> analyze(Worker& worker, const imaging::Image& image, const AnalyzeOptions& options) const;
};

// Boxes in full-image coordinates (as dlib rectangles) with their detector confidence.
std::vector<std::pair<dlib::rectangle, double>> FaceEngine::Impl::detectHog(Worker& worker, const cv::Mat& rgb) const {
    const double smallestFace = std::max(config.hogSmallestFacePx,
                                         config.hogSmallestFaceFraction * std::max(rgb.cols, rgb.rows));
    const double scale = std::min(kHogWindowPx / smallestFace, std::pow(2.0, std::max(config.hogUpsample, 0)));
    const auto scanned = scaledCopy(rgb, scale);
    std::vector<dlib::rect_detection> found;
    worker.hog(scanned, found);
    std::vector<std::pair<dlib::rectangle, double>> boxes;
    for (const auto& d : found) boxes.emplace_back(toRect(mapBack(d.rect, scale, rgb.size())), d.detection_confidence);
    return boxes;
}

std::vector<std::pair<dlib::rectangle, double>> FaceEngine::Impl::detectCnn(Worker& worker, const cv::Mat& rgb,
                                                                          bool allowUpsampling) const {
    double scale = downscaleFactor(rgb, config.cnnMaxSide);
    if (allowUpsampling && std::max(rgb.cols, rgb.rows) < config.cnnUpsampleBelow) scale = 2.0;
    const auto scanned = scaledCopy(rgb, scale);
    std::vector<std::pair<dlib::rectangle, double>> boxes;
    for (const auto& d : worker.cnn(scanned))
        boxes.emplace_back(toRect(mapBack(d.rect, scale, rgb.size())), d.detection_confidence);
    return boxes;
}

std::vector<Descriptor> FaceEngine::Impl::describe(Worker& worker, const std::vector<Chip>& chips) const {
    // Every face contributes 1 + flip + jitter inputs; their descriptors are averaged.
    const std::size_t perFace = 1 + (config.flipAverage ? 1 : 0) + static_cast<std::size_t>(std::max(config.jitter, 0));
    std::vector<Chip> inputs;
    inputs.reserve(chips.size() * perFace);
    for (const auto& chip : chips) {
        inputs.push_back(chip);
        if (config.flipAverage) inputs.push_back(dlib::fliplr(chip));
        dlib::rand random(kJitterSeed);
        for (int i = 0; i < config.jitter; ++i) inputs.push_back(dlib::jitter_image(chip, random));
    }
    const auto outputs = worker.resnet(inputs, kForwardBatch);
    std::vector<Descriptor> descriptors(chips.size());
    for (std::size_t face = 0; face < chips.size(); ++face) {
        dlib::matrix<float, 0, 1> sum = outputs[face * perFace];
        for (std::size_t k = 1; k < perFace; ++k) sum += outputs[face * perFace + k];
        sum /= static_cast<float>(perFace);
        std::copy(sum.begin(), sum.end(), descriptors[face].begin());
    }
    return descriptors;
}

Result<std::vector<Face>> FaceEngine::Impl::analyze(Worker& worker, const imaging::Image& image,
                                                    const AnalyzeOptions& options) const {
    if (image.rgb.empty() || image.rgb.type() != CV_8UC3 || !image.rgb.isContinuous())
        return makeError(ErrorCode::InvalidArgument, "The image is empty or not in the decoded RGB form.");
    return guard(ErrorCode::EngineFailure, "The face engine failed on this image", [&]() -> Result<std::vector<Face>> {
        DetectorKind kind = config.mode == DetectionMode::Accurate ? DetectorKind::Cnn : DetectorKind::Hog;
        auto boxes = kind == DetectorKind::Hog ? detectHog(worker, image.rgb) : detectCnn(worker, image.rgb, true);
        if (boxes.empty() && kind == DetectorKind::Hog) {
            kind = DetectorKind::Cnn;
            boxes = detectCnn(worker, image.rgb, false);
        }
        std::vector<Face> faces;
        for (const auto& [rect, score] : boxes) {
            if (rect.is_empty()) continue;
            Face face;
            face.box = toBox(rect);
            face.score = score;
            face.detector = kind;
            faces.push_back(face);
        }
        faces = pickFaces(std::move(faces), options.pick, image.rgb.size());

        const RgbView view(image.rgb);
        std::vector<Chip> chips(faces.size());
        for (std::size_t i = 0; i < faces.size(); ++i) {
            const auto shape = landmarks(view, toRect(faces[i].box));
            for (unsigned long p = 0; p < shape.num_parts(); ++p)
                faces[i].landmarks.push_back({static_cast<double>(shape.part(p).x()), static_cast<double>(shape.part(p).y())});
            dlib::extract_image_chip(view, dlib::get_face_chip_details(shape, detail::kChipSize, detail::kChipPadding),
                                     chips[i]);
            faces[i].quality = assessQuality(faces[i].box, faces[i].landmarks, chipToMat(chips[i]), config.quality);
        }
        if (options.computeDescriptors && !chips.empty()) {
            const auto descriptors = describe(worker, chips);
            for (std::size_t i = 0; i < faces.size(); ++i) faces[i].descriptor = descriptors[i];
        }
        return faces;
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
void keepBlasOnCallingThread() {
    static std::once_flag once;
    std::call_once(once, [] {
        using SetThreads = void (*)(int);
        if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(1);
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
        auto first = std::make_unique<Worker>();
        dlib::deserialize((dir / kModelFiles[0].fileName).string()) >> first->resnet;
        dlib::deserialize((dir / kModelFiles[2].fileName).string()) >> first->cnn;
        impl->workers.push_back(std::move(first));
        // Copies rather than re-reading the files: the same weights, without parsing 30 MB again.
        while (static_cast<int>(impl->workers.size()) < workers)
            impl->workers.push_back(std::make_unique<Worker>(*impl->workers.front()));
        return {};
    });
    if (!loaded) return loaded.error();
    for (auto& worker : impl->workers) impl->idle.push_back(worker.get());
    return std::unique_ptr<FaceEngine>(new FaceEngine(std::move(impl)));
}

Result<std::vector<Face>> FaceEngine::analyze(const imaging::Image& image, const AnalyzeOptions& options) const {
    const Impl::Lease worker(*impl_);
    return impl_->analyze(*worker, image, options);
}

std::vector<BatchItem> FaceEngine::analyzeFiles(const std::vector<std::filesystem::path>& files,
                                                const AnalyzeOptions& options, const ProgressFn& progress,
                                                const std::atomic<bool>* cancel) const {
    std::vector<BatchItem> items(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) items[i].file = files[i];
    std::atomic<std::size_t> next{0}, done{0};
    const auto run = [&] {
        const Impl::Lease worker(*impl_);
        for (std::size_t i = next++; i < items.size(); i = next++) {
            if (cancel && cancel->load()) {
                items[i].faces = makeError(ErrorCode::Cancelled, "Stopped before this file was processed.");
            } else if (auto image = imaging::decodeFile(items[i].file)) {
                items[i].intake = image->notes;
                items[i].faces = impl_->analyze(*worker, *image, options);
            } else {
                items[i].faces = image.error();
            }
            if (progress) progress(++done, items.size());
        }
    };
    const std::size_t threads = std::min(impl_->workers.size(), std::max<std::size_t>(files.size(), 1));
    std::vector<std::jthread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(run);
    run();
    return items;
}

Result<std::vector<Descriptor>> FaceEngine::describeChips(const std::vector<cv::Mat>& chipsRgb) const {
    std::vector<Chip> chips(chipsRgb.size());
    for (std::size_t i = 0; i < chipsRgb.size(); ++i) {
        const cv::Mat& chip = chipsRgb[i];
        if (chip.type() != CV_8UC3 || chip.rows != static_cast<int>(detail::kChipSize) ||
            chip.cols != static_cast<int>(detail::kChipSize))
            return makeError(ErrorCode::InvalidArgument, "A face chip must be a 150x150 RGB image.");
        const cv::Mat continuous = chip.isContinuous() ? chip : chip.clone();
        dlib::assign_image(chips[i], RgbView(continuous));
    }
    return guard(ErrorCode::EngineFailure, "The face engine failed", [&]() -> Result<std::vector<Descriptor>> {
        const Impl::Lease worker(*impl_);
        return impl_->describe(*worker, chips);
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

}  // namespace facelead::face
