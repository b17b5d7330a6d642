// Face engine benchmarks (Google Benchmark): decode, detect (HOG, CNN) by image size, align, embed per
// face (single and batched). Before timing, the engine and a REFERENCE pipeline written the plain way (dlib's
// example: HOG at 1x, upsampled only when nothing is found -> 5 points -> chip -> ResNet, one face at a time,
// one thread) embed the same labelled images and print rank-1 / verification, so a speed-up that costs
// accuracy shows.
//
// --enrolment: gallery enrolment of three sets in the same run, the reference against the engine with 1 and
// 2 workers: portraits of 250x250 and 480x600 made at run time from the shared faces (the booking/ID sizes),
// and the mix of large photos. Prints images/s per core (CPU time), the ratios, whether both found the same
// faces, in how many images each found a face, and the peak RSS of each pipeline (each measured in a child
// process of this program).
//
//   facelead_bench_face [--benchmark_filter=...]      (FACELEAD_FACES_DIR, FACELEAD_MODELS_DIR honoured)
//   facelead_bench_face --benchmark_filter=DescribeJitter   (descriptor cost of EngineConfig::jitter)
//   facelead_bench_face --enrolment                   (the enrolment table of docs/PERFORMANCE.md)

#include <benchmark/benchmark.h>

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms.h>
#include <dlib/opencv.h>

#include <opencv2/imgproc.hpp>

#include <opencv2/imgcodecs.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <thread>

#include "core/common/Paths.h"
#include "core/face/FaceEngine.h"
#include "core/face/detail/HogScan.h"
#include "core/face/detail/Networks.h"
#include "core/imaging/Intake.h"
#include "tests/integration/face/FaceEvaluation.h"
#include "tests/benchmarks/face/BenchClocks.h"

using facelead::bench::processCpuSeconds;
using facelead::bench::wallSeconds;

namespace {

using facelead::face::FaceEngine;
namespace detail = facelead::face::detail;
using Chip = dlib::matrix<dlib::rgb_pixel>;

std::filesystem::path facesDir() {
    const char* env = std::getenv("FACELEAD_FACES_DIR");
    return (env && *env) ? env : FACELEAD_DEFAULT_FACES_DIR;
}

// ---------------------------------------------------------------- the reference pipeline
// Deliberately plain, as dlib's examples: no pool, no batching; HOG at 1x, and on a 2x upsampled copy only
// when nothing was found (AlwaysUpsampled: the 2x scan every time, the reference of the earlier figures).
enum class ReferenceScan { OneXFirst, AlwaysUpsampled };

class ReferencePipeline {
public:
    explicit ReferencePipeline(const std::filesystem::path& models) {
        dlib::deserialize((models / "shape_predictor_5_face_landmarks.dat").string()) >> landmarks_;
        dlib::deserialize((models / "dlib_face_recognition_resnet_model_v1.dat").string()) >> net_;
    }

    struct Found {
        facelead::face::Box box;
        facelead::face::Descriptor descriptor;
    };

    std::vector<Found> enrol(const std::filesystem::path& file, ReferenceScan scan = ReferenceScan::OneXFirst) {
        std::vector<Found> faces;
        auto decoded = facelead::imaging::decodeFile(file);
        if (!decoded) return faces;
        dlib::matrix<dlib::rgb_pixel> image;
        dlib::assign_image(image, dlib::cv_image<dlib::rgb_pixel>(decoded->rgb));
        for (const auto& box : detect(image, scan)) {
            const auto shape = landmarks_(image, box);
            Chip chip;
            dlib::extract_image_chip(image, dlib::get_face_chip_details(shape, 150, 0.25), chip);
            const dlib::matrix<float, 0, 1> d = net_(chip);
            Found found{{static_cast<int>(box.left()), static_cast<int>(box.top()), static_cast<int>(box.right()) + 1,
                         static_cast<int>(box.bottom()) + 1}, {}};
            std::copy(d.begin(), d.end(), found.descriptor.begin());
            faces.push_back(found);
        }
        return faces;
    }

private:
    std::vector<dlib::rectangle> detect(const dlib::matrix<dlib::rgb_pixel>& image, ReferenceScan scan) {
        if (scan == ReferenceScan::OneXFirst) {
            auto found = hog_(image);
            if (!found.empty()) return found;
        }
        dlib::matrix<dlib::rgb_pixel> upsampled = image;
        dlib::pyramid_up(upsampled);
        std::vector<dlib::rectangle> found;
        for (const auto& box : hog_(upsampled))
            found.emplace_back(box.left() / 2, box.top() / 2, box.right() / 2, box.bottom() / 2);
        return found;
    }

    dlib::frontal_face_detector hog_ = dlib::get_frontal_face_detector();
    dlib::shape_predictor landmarks_;
    detail::DescriptorNet net_;
};

// ---------------------------------------------------------------- shared state, loaded once
struct Fixture {
    std::filesystem::path models = facelead::defaultModelsDir();
    std::filesystem::path faces = facesDir();
    std::unique_ptr<FaceEngine> fast, accurate;  // all cores / 1 worker
    std::unique_ptr<ReferencePipeline> reference;
    facelead::imaging::Image portrait;  // obama-1080p, one face
    dlib::shape_predictor landmarks;
    detail::DescriptorNet net;
    std::vector<Chip> chips;
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

std::unique_ptr<FaceEngine> makeEngine(facelead::face::DetectionMode mode, int threads, int jitter = 0) {
    facelead::face::EngineConfig config;
    config.modelsDir = fixture().models;
    config.mode = mode;
    config.threads = threads;
    config.jitter = jitter;
    auto engine = FaceEngine::create(config);
    if (!engine) {
        std::fprintf(stderr, "%s\n", engine.error().message.c_str());
        std::exit(1);
    }
    return std::move(*engine);
}

// A realistic enrolment batch: the deepface portraits (400-1250 px), the face_recognition examples
// (240p to 1080p and a 970x2204 photo), group scenes, and small crops (ORL, Yale, bbt).
std::vector<std::filesystem::path> enrolmentSet(const std::filesystem::path& faces) {
    std::vector<std::filesystem::path> files;
    for (int i = 1; i <= 30; ++i) files.push_back(faces / "deepface" / ("img" + std::to_string(i) + ".jpg"));
    for (const char* name : {"obama-240p.jpg", "obama-480p.jpg", "obama-720p.jpg", "obama-1080p.jpg", "biden.jpg",
                             "two_people.jpg", "obama2.jpg", "lin-manuel-miranda.png"})
        files.push_back(faces / "face_recognition" / "examples" / name);
    for (const char* name : {"2008_002470.jpg", "2008_002506.jpg", "2009_004587.jpg", "bald_guys.jpg"})
        files.push_back(faces / "scenes" / name);
    for (int s = 1; s <= 6; ++s) files.push_back(faces / "orl" / ("s" + std::to_string(s)) / "1.pgm");
    for (const char* name : {"subject02.happy", "subject03.glasses", "subject04.normal"}) files.push_back(faces / "yale" / name);
    for (const char* name : {"amy/amy1.png", "raj/raj1.png", "penny/penny1.png"}) files.push_back(faces / "bbt" / name);
    std::vector<std::filesystem::path> present;
    for (const auto& f : files)
        if (std::filesystem::exists(f)) present.push_back(f);
    return present;
}

facelead::imaging::Image scaledPortrait(int width) {
    const auto& source = fixture().portrait;
    facelead::imaging::Image image = source;
    const double scale = static_cast<double>(width) / source.width();
    cv::resize(source.rgb, image.rgb, cv::Size(), scale, scale, cv::INTER_AREA);
    return image;
}

// ---------------------------------------------------------------- benchmarks
void BM_VerifyModels(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(FaceEngine::verifyModels(fixture().models).ok());
}
BENCHMARK(BM_VerifyModels)->Unit(benchmark::kMillisecond);

void BM_Decode(benchmark::State& state, const std::string& relative) {
    const auto file = fixture().faces / relative;
    for (auto _ : state) benchmark::DoNotOptimize(facelead::imaging::decodeFile(file).ok());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_Decode, jpeg_1080p, std::string("face_recognition/examples/obama-1080p.jpg"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Decode, png_rgba_626x1200, std::string("face_recognition/tests/test_images/32bit.png"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Decode, gif_320x243, std::string("yale/subject01.happy"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Decode, webp, std::string("deepface/img47.jpg"))->Unit(benchmark::kMillisecond);

// Detection (+ landmarks and quality, no descriptor) on the same portrait at several widths.
void BM_Detect(benchmark::State& state, bool cnn) {
    const auto image = scaledPortrait(static_cast<int>(state.range(0)));
    const auto& engine = cnn ? *fixture().accurate : *fixture().fast;
    for (auto _ : state) benchmark::DoNotOptimize(engine.analyze(image, {facelead::face::FacePick::All, false}).ok());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_Detect, hog, false)->Arg(320)->Arg(640)->Arg(1280)->Arg(1920)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Detect, cnn, true)->Arg(320)->Arg(640)->Arg(1280)->Iterations(1)->Unit(benchmark::kMillisecond);

// 5-point landmarks and the aligned chip for one face.
void BM_Align(benchmark::State& state) {
    auto& f = fixture();
    const auto faces = f.fast->analyze(f.portrait, {facelead::face::FacePick::Largest, false});
    const auto& box = faces->front().box;
    const dlib::cv_image<dlib::rgb_pixel> view(f.portrait.rgb);
    const dlib::rectangle rect(box.left, box.top, box.right - 1, box.bottom - 1);
    for (auto _ : state) {
        const auto shape = f.landmarks(view, rect);
        Chip chip;
        dlib::extract_image_chip(view, dlib::get_face_chip_details(shape, 150, 0.25), chip);
        benchmark::DoNotOptimize(chip(0, 0));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Align)->Unit(benchmark::kMicrosecond);

// Descriptor network, one thread: faces per second at batch sizes 1, 4, 16.
void BM_Embed(benchmark::State& state) {
    auto& f = fixture();
    const std::vector<Chip> batch(f.chips.begin(), f.chips.begin() + state.range(0));
    for (auto _ : state) benchmark::DoNotOptimize(f.net(batch, batch.size()).size());
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Embed)->Arg(1)->Arg(4)->Arg(16)->Unit(benchmark::kMillisecond);

// The engine's descriptor with EngineConfig::jitter = N (1 + N forward passes per face, averaged), one worker,
// 16 aligned chips per call: the cost side of the jitter decision in docs/CALIBRATION.md. Jitter 0 is the
// reference the ratio is printed against.
void BM_DescribeJitter(benchmark::State& state) {
    auto& f = fixture();
    const auto engine = makeEngine(facelead::face::DetectionMode::Fast, 1, static_cast<int>(state.range(0)));
    std::vector<cv::Mat> chips;
    for (auto& chip : f.chips) chips.push_back(dlib::toMat(chip));
    for (auto _ : state) benchmark::DoNotOptimize(engine->describeChips(chips).ok());
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(chips.size()));
}
BENCHMARK(BM_DescribeJitter)->ArgName("jitter")->Arg(0)->Arg(5)->Arg(10)->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------- enrolment: portraits and the mix
// A portrait of width x height cut from a photo with one face: the face box spans 45 % of the width, centred
// horizontally, its centre at 45 % of the height (like LFW's 250x250 crops and passport/booking photos),
// saved as JPEG quality 90 so that decoding is part of the measured pipeline.
bool writePortrait(const cv::Mat& rgb, const facelead::face::Box& face, cv::Size size, const std::filesystem::path& file) {
    const double scale = 0.45 * size.width / face.width();
    const double cx = (face.left + face.right) / 2.0, cy = (face.top + face.bottom) / 2.0;
    const cv::Mat transform = (cv::Mat_<double>(2, 3) << scale, 0, size.width / 2.0 - scale * cx,
                               0, scale, 0.45 * size.height - scale * cy);
    cv::Mat portrait, bgr;
    cv::warpAffine(rgb, portrait, transform, size, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    cv::cvtColor(portrait, bgr, cv::COLOR_RGB2BGR);
    return cv::imwrite(file.string(), bgr, {cv::IMWRITE_JPEG_QUALITY, 90});
}

struct PortraitSets {
    std::filesystem::path folder;
    std::vector<std::filesystem::path> small, large;  // 250x250, 480x600
    ~PortraitSets() {
        std::error_code ec;
        if (!folder.empty()) std::filesystem::remove_all(folder, ec);
    }
};

// Sources: the labelled photos and the deepface portraits in which the reference finds exactly one face at
// least kMinSourceFace wide (smaller faces would be blown up into blur), in file order, at most kPortraits.
void makePortraits(PortraitSets& sets, ReferencePipeline& reference, const std::filesystem::path& faces) {
    constexpr int kMinSourceFace = 90;
    constexpr std::size_t kPortraits = 120;
    sets.folder = std::filesystem::temp_directory_path() / ("facelead-portraits-" + std::to_string(::getpid()));
    std::filesystem::create_directories(sets.folder);
    std::vector<std::filesystem::path> sources;
    for (const auto& labelled : facelead::test::readIdentities(faces)) sources.push_back(labelled.file);
    for (int i = 1; i <= 64; ++i) sources.push_back(faces / "deepface" / ("img" + std::to_string(i) + ".jpg"));
    for (const auto& source : sources) {
        if (sets.small.size() >= kPortraits) break;
        if (!std::filesystem::exists(source)) continue;
        const auto found = reference.enrol(source);
        if (found.size() != 1 || found.front().box.width() < kMinSourceFace) continue;
        const auto image = facelead::imaging::decodeFile(source);
        const auto name = std::to_string(sets.small.size()) + ".jpg";
        const auto small = sets.folder / ("250x250-" + name), large = sets.folder / ("480x600-" + name);
        if (writePortrait(image->rgb, found.front().box, {250, 250}, small) &&
            writePortrait(image->rgb, found.front().box, {480, 600}, large)) {
            sets.small.push_back(small);
            sets.large.push_back(large);
        }
    }
}

struct Timing {
    double wall = 0, cpu = 0;
    std::vector<std::vector<facelead::face::Box>> boxes;  // per file
};

Timing timeReference(ReferencePipeline& reference, const std::vector<std::filesystem::path>& files, ReferenceScan scan) {
    Timing t;
    const double wall = wallSeconds(), cpu = processCpuSeconds();
    for (const auto& file : files) {
        auto& boxes = t.boxes.emplace_back();
        for (const auto& found : reference.enrol(file, scan)) boxes.push_back(found.box);
    }
    t.wall = wallSeconds() - wall;
    t.cpu = processCpuSeconds() - cpu;
    return t;
}

Timing timeEngine(const FaceEngine& engine, const std::vector<std::filesystem::path>& files) {
    Timing t;
    const double wall = wallSeconds(), cpu = processCpuSeconds();
    const auto items = engine.analyzeFiles(files, {facelead::face::FacePick::All, true});
    t.wall = wallSeconds() - wall;
    t.cpu = processCpuSeconds() - cpu;
    for (const auto& item : items) {
        auto& boxes = t.boxes.emplace_back();
        if (item.faces)
            for (const auto& face : *item.faces) boxes.push_back(face.box);
    }
    return t;
}

// Files in which both found the same faces (same count, each matched one-to-one with IoU >= 0.5).
std::size_t sameFaces(const Timing& a, const Timing& b) {
    std::size_t same = 0;
    for (std::size_t i = 0; i < a.boxes.size(); ++i) {
        const auto matched = facelead::test::matchDetections(a.boxes[i], b.boxes[i], 0.5);
        same += (a.boxes[i].size() == b.boxes[i].size() && matched.found == matched.total) ? 1 : 0;
    }
    return same;
}

// Files in which a pipeline found at least one face: "same faces" alone would not tell which one found more.
std::size_t withFaces(const Timing& t) {
    return static_cast<std::size_t>(std::count_if(t.boxes.begin(), t.boxes.end(), [](const auto& b) { return !b.empty(); }));
}

// Per core, the reference and the 1-worker engine take turns image by image for kAlternatingRounds rounds:
// other agents' builds share this machine's two virtual cores, and what a CPU second achieves moves with their
// load (shared caches and memory bandwidth, the host's scheduling); a whole set with one pipeline and then
// with the other gave per-core rates 20 % apart from run to run (2026-12-02: the reference at 32-40 images
// per CPU second on the same 250x250 set). Taking turns lets the load fall on both alike.
constexpr int kAlternatingRounds = 3;

struct Turns {
    Timing reference, engine;
};

Turns timeTakingTurns(ReferencePipeline& reference, const FaceEngine& engine, const std::vector<std::filesystem::path>& files,
                      ReferenceScan scan) {
    Turns t;
    for (int round = 0; round < kAlternatingRounds; ++round) {
        for (const auto& file : files) {
            double wall = wallSeconds(), cpu = processCpuSeconds();
            const auto found = reference.enrol(file, scan);
            t.reference.wall += wallSeconds() - wall;
            t.reference.cpu += processCpuSeconds() - cpu;
            wall = wallSeconds(), cpu = processCpuSeconds();
            const auto items = engine.analyzeFiles({file}, {facelead::face::FacePick::All, true});
            t.engine.wall += wallSeconds() - wall;
            t.engine.cpu += processCpuSeconds() - cpu;
            if (round > 0) continue;
            auto& referenceBoxes = t.reference.boxes.emplace_back();
            for (const auto& face : found) referenceBoxes.push_back(face.box);
            auto& engineBoxes = t.engine.boxes.emplace_back();
            if (items.front().faces)
                for (const auto& face : *items.front().faces) engineBoxes.push_back(face.box);
        }
    }
    for (Timing* timing : {&t.reference, &t.engine}) {
        timing->wall /= kAlternatingRounds;
        timing->cpu /= kAlternatingRounds;
    }
    return t;
}

void printEnrolmentRow(const char* set, const std::vector<std::filesystem::path>& files, ReferencePipeline& reference,
                       const FaceEngine& one, const FaceEngine& two, ReferenceScan scan = ReferenceScan::OneXFirst) {
    const auto n = static_cast<double>(files.size());
    const auto [ref, e1] = timeTakingTurns(reference, one, files, scan);
    const Timing e2 = timeEngine(two, files);
    std::printf("%-22s %4zu images | reference %6.2f img/s per core (wall %5.1f s) | engine 1 worker %6.2f img/s per "
                "core (wall %5.1f s): %.2fx | 2 workers wall %5.1f s: %.2fx the reference's wall rate | same faces "
                "%zu/%zu | a face found in %zu (reference) / %zu (engine)\n",
                set, files.size(), n / ref.cpu, ref.wall, n / e1.cpu, e1.wall, ref.cpu / e1.cpu, e2.wall, ref.wall / e2.wall,
                sameFaces(ref, e1), files.size(), withFaces(ref), withFaces(e1));
    std::fflush(stdout);
}

double peakRssMiB() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;  // kilobytes on Linux
}

// ---------------------------------------------------------------- accuracy of both pipelines
void printAccuracy() {
    auto& f = fixture();
    const auto labelled = facelead::test::readIdentities(f.faces, 3);
    std::vector<std::filesystem::path> files;
    for (const auto& l : labelled) files.push_back(l.file);
    const auto engineDescriptors = facelead::test::embedLargest(*f.fast, files);
    std::vector<facelead::test::Embedded> engineSet, referenceSet;
    for (std::size_t i = 0; i < labelled.size(); ++i) {
        engineSet.push_back({labelled[i].identity, engineDescriptors[i]});
        // The reference keeps the largest face as well.
        std::optional<facelead::face::Descriptor> largest;
        const auto all = f.reference->enrol(labelled[i].file);
        const auto area = [](const ReferencePipeline::Found& a) { return a.box.width() * a.box.height(); };
        const auto biggest = std::max_element(all.begin(), all.end(), [&](const auto& a, const auto& b) { return area(a) < area(b); });
        if (biggest != all.end()) largest = biggest->descriptor;
        referenceSet.push_back({labelled[i].identity, largest});
    }
    const double threshold = f.fast->config().calibration.sameSubjectDistance;
    for (const auto& [name, set] : {std::pair{"engine", &engineSet}, std::pair{"reference", &referenceSet}}) {
        std::size_t missing = 0;
        for (const auto& e : *set) missing += e.descriptor ? 0 : 1;
        const auto v = facelead::test::verifyAllPairs(*set, threshold);
        std::printf("accuracy %-9s identities.csv (%zu images, 3 per identity): no face %zu, rank-1 %.4f, "
                    "verification TAR %.4f TRR %.4f at %.2f\n",
                    name, set->size(), missing, facelead::test::rankOneRate(*set), v.trueAcceptRate(),
                    v.trueRejectRate(), threshold);
    }
}

// Console output plus the cost of jitter against the plain descriptor once both have run.
class JitterReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const auto& run : runs) {
            const auto items = run.counters.find("items_per_second");
            if (items != run.counters.end()) rates_[run.benchmark_name()] = items->second.value;
        }
    }
    void Finalize() override {
        ConsoleReporter::Finalize();
        const auto plain = rates_.find("BM_DescribeJitter/jitter:0");
        if (plain == rates_.end()) return;
        for (const int jitter : {5, 10}) {
            const auto jittered = rates_.find("BM_DescribeJitter/jitter:" + std::to_string(jitter));
            if (jittered == rates_.end()) continue;
            std::printf("descriptor jitter %d: %.1f ms per face against %.1f ms without jitter (%.2fx the cost)\n", jitter,
                        1000 / jittered->second, 1000 / plain->second, plain->second / jittered->second);
        }
    }

private:
    std::map<std::string, double> rates_;
};

// --peak-rss=reference|engine1|engine2 (run as a child by --enrolment): enrols the mix with one pipeline
// only and prints its peak resident memory.
int printPeakRss(const std::string& pipeline) {
    auto& f = fixture();
    const auto files = enrolmentSet(f.faces);
    if (pipeline == "reference") {
        ReferencePipeline reference(f.models);
        for (const auto& file : files) benchmark::DoNotOptimize(reference.enrol(file).size());
    } else {
        const auto engine = makeEngine(facelead::face::DetectionMode::Fast, pipeline == "engine2" ? 2 : 1);
        benchmark::DoNotOptimize(engine->analyzeFiles(files, {}).size());
    }
    std::printf("%.1f\n", peakRssMiB());
    return 0;
}

// --profile=reference|engine: enrols the 250x250 portraits five times with one pipeline only, to be run under
// `perf record` (docs/PERFORMANCE.md): the other pipeline's dlib code would otherwise mix into the profile.
int profilePortraits(const std::string& pipeline) {
    auto& f = fixture();
    ReferencePipeline reference(f.models);
    PortraitSets portraits;
    makePortraits(portraits, reference, f.faces);
    const auto engine = makeEngine(facelead::face::DetectionMode::Fast, 1);
    const double cpu = processCpuSeconds();
    constexpr int kRounds = 5;
    for (int round = 0; round < kRounds; ++round) {
        if (pipeline == "reference") timeReference(reference, portraits.small, ReferenceScan::OneXFirst);
        else timeEngine(*engine, portraits.small);
    }
    std::printf("%s: %.2f img/s per core on %zu portraits 250x250\n", pipeline.c_str(),
                kRounds * portraits.small.size() / (processCpuSeconds() - cpu), portraits.small.size());
    return 0;
}

double childPeakRss(const char* self, const std::string& pipeline) {
    const std::string command = std::string("'") + self + "' --peak-rss=" + pipeline;
    FILE* child = ::popen(command.c_str(), "r");
    double mib = 0;
    if (child == nullptr || std::fscanf(child, "%lf", &mib) != 1) mib = -1;
    if (child != nullptr) ::pclose(child);
    return mib;
}

int runEnrolmentTable(const char* self) {
    auto& f = fixture();
    ReferencePipeline reference(f.models);
    PortraitSets portraits;
    makePortraits(portraits, reference, f.faces);
    const auto one = makeEngine(facelead::face::DetectionMode::Fast, 1);
    const auto two = makeEngine(facelead::face::DetectionMode::Fast, 2);
    std::printf("gallery enrolment, reference = dlib example pipeline (HOG 1x, 2x only when nothing found), 1 thread;"
                " per core = images per CPU second, the two taking turns image by image (%d rounds); engine HOG scan: "
                "%s build; %u hardware threads\n", kAlternatingRounds,
                detail::hogScanBuild() == detail::HogBuild::Avx2 ? "AVX2" : "generic", std::thread::hardware_concurrency());
    printEnrolmentRow("portraits 250x250", portraits.small, reference, *one, *two);
    printEnrolmentRow("portraits 480x600", portraits.large, reference, *one, *two);
    const auto mix = enrolmentSet(f.faces);
    printEnrolmentRow("mix (large photos)", mix, reference, *one, *two);
    printEnrolmentRow("mix vs always-2x ref", mix, reference, *one, *two, ReferenceScan::AlwaysUpsampled);
    std::printf("peak RSS enrolling the mix: reference %.0f MiB, engine 1 worker %.0f MiB, engine 2 workers %.0f MiB\n",
                childPeakRss(self, "reference"), childPeakRss(self, "engine1"), childPeakRss(self, "engine2"));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    auto& f = fixture();
    if (!std::filesystem::exists(f.faces / "identities.csv")) {
        std::fprintf(stderr, "face images not found at %s (set FACELEAD_FACES_DIR)\n", f.faces.string().c_str());
        return 1;
    }
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "--peak-rss=", 11) == 0) return printPeakRss(argv[i] + 11);
        if (std::strcmp(argv[i], "--enrolment") == 0) return runEnrolmentTable(argv[0]);
        if (std::strncmp(argv[i], "--profile=", 10) == 0) return profilePortraits(argv[i] + 10);
    }
    f.fast = makeEngine(facelead::face::DetectionMode::Fast, 0);
    f.accurate = makeEngine(facelead::face::DetectionMode::Accurate, 1);
    f.reference = std::make_unique<ReferencePipeline>(f.models);
    dlib::deserialize((f.models / "shape_predictor_5_face_landmarks.dat").string()) >> f.landmarks;
    dlib::deserialize((f.models / "dlib_face_recognition_resnet_model_v1.dat").string()) >> f.net;
    f.portrait = *facelead::imaging::decodeFile(f.faces / "face_recognition" / "examples" / "obama-1080p.jpg");
    {
        const auto labelled = facelead::test::readIdentities(f.faces, 1);
        for (std::size_t i = 0; f.chips.size() < 16 && i < labelled.size(); ++i) {
            auto image = facelead::imaging::decodeFile(labelled[i].file);
            const auto faces = f.fast->analyze(*image, {facelead::face::FacePick::Largest, false});
            if (faces && !faces->empty()) {
                const auto chip = f.fast->alignedChip(*image, faces->front());
                Chip c;
                dlib::assign_image(c, dlib::cv_image<dlib::rgb_pixel>(*chip));
                f.chips.push_back(c);
            }
        }
    }
    std::printf("workers: %u hardware threads\n", std::thread::hardware_concurrency());
    printAccuracy();
    JitterReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}
