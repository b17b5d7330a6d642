// Face engine benchmarks (Google Benchmark): decode, detect (HOG, CNN) by image size, align, embed per
// face (single and batched), and the whole enrolment pipeline in images per second, against a REFERENCE
// pipeline written the plain way in the same run (dlib's dnn_face_recognition_ex: HOG -> 5 points ->
// chip -> network, one face at a time, one thread). Before timing, both pipelines embed the same labelled
// images and print rank-1 / verification, so a speed-up that costs accuracy shows.
//
//   facelead_bench_face [--benchmark_filter=...]      (FACELEAD_FACES_DIR, FACELEAD_MODELS_DIR honoured)
//   facelead_bench_face --benchmark_filter=DescribeJitter   (descriptor cost of EngineConfig::jitter)

#include <benchmark/benchmark.h>

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms.h>
#include <dlib/opencv.h>

#include <opencv2/imgproc.hpp>

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>

#include "core/common/Paths.h"
#include "core/face/FaceEngine.h"
#include "core/face/detail/Networks.h"
#include "core/imaging/Intake.h"
#include "tests/integration/face/FaceEvaluation.h"

namespace {

using facelead::face::FaceEngine;
namespace detail = facelead::face::detail;
using Chip = dlib::matrix<dlib::rgb_pixel>;

std::filesystem::path facesDir() {
    const char* env = std::getenv("FACELEAD_FACES_DIR");
    return (env && *env) ? env : FACELEAD_DEFAULT_FACES_DIR;
}

// ---------------------------------------------------------------- the reference pipeline
// Deliberately plain: no pool, no batching, no downscaling; the upsampling matches the engine's default so
// both find the same small faces.
class ReferencePipeline {
public:
    explicit ReferencePipeline(const std::filesystem::path& models) {
        dlib::deserialize((models / "shape_predictor_5_face_landmarks.dat").string()) >> landmarks_;
        dlib::deserialize((models / "dlib_face_recognition_resnet_model_v1.dat").string()) >> net_;
    }

    std::vector<facelead::face::Descriptor> enrol(const std::filesystem::path& file) {
        std::vector<facelead::face::Descriptor> descriptors;
        auto decoded = facelead::imaging::decodeFile(file);
        if (!decoded) return descriptors;
        dlib::matrix<dlib::rgb_pixel> image;
        dlib::assign_image(image, dlib::cv_image<dlib::rgb_pixel>(decoded->rgb));
        dlib::matrix<dlib::rgb_pixel> upsampled = image;
        dlib::pyramid_up(upsampled);
        for (const auto& box : hog_(upsampled)) {
            const dlib::rectangle original(box.left() / 2, box.top() / 2, box.right() / 2, box.bottom() / 2);
            const auto shape = landmarks_(image, original);
            Chip chip;
            dlib::extract_image_chip(image, dlib::get_face_chip_details(shape, 150, 0.25), chip);
            const dlib::matrix<float, 0, 1> d = net_(chip);
            facelead::face::Descriptor out{};
            std::copy(d.begin(), d.end(), out.begin());
            descriptors.push_back(out);
        }
        return descriptors;
    }

private:
    dlib::frontal_face_detector hog_ = dlib::get_frontal_face_detector();
    dlib::shape_predictor landmarks_;
    detail::DescriptorNet net_;
};

// ---------------------------------------------------------------- shared state, loaded once
struct Fixture {
    std::filesystem::path models = facelead::defaultModelsDir();
    std::filesystem::path faces = facesDir();
    std::unique_ptr<FaceEngine> fast, accurate;
    std::unique_ptr<ReferencePipeline> reference;
    std::vector<std::filesystem::path> enrolmentSet;
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

// CPU seconds of the whole process (all threads): on a shared machine the wall-clock ratio depends on what
// else runs, the CPU cost per image does not.
double processCpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

template <typename EnrolAll>
void measureEnrolment(benchmark::State& state, EnrolAll enrolAll) {
    const auto images = static_cast<std::int64_t>(fixture().enrolmentSet.size());
    const double cpuBefore = processCpuSeconds();
    for (auto _ : state) enrolAll();
    state.SetItemsProcessed(state.iterations() * images);
    state.counters["cpu_s_per_image"] = (processCpuSeconds() - cpuBefore) / static_cast<double>(state.iterations() * images);
}

void BM_EnrolReference(benchmark::State& state) {
    auto& f = fixture();
    measureEnrolment(state, [&] {
        for (const auto& file : f.enrolmentSet) benchmark::DoNotOptimize(f.reference->enrol(file).size());
    });
}
// Wall-clock time: the engine spreads its work over threads that CPU time of the main thread would not see.
BENCHMARK(BM_EnrolReference)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

void BM_EnrolEngine(benchmark::State& state) {
    auto& f = fixture();
    measureEnrolment(state, [&] { benchmark::DoNotOptimize(f.fast->analyzeFiles(f.enrolmentSet, {}).size()); });
}
BENCHMARK(BM_EnrolEngine)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

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
        if (!all.empty()) largest = all.front();
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

// Console output plus the enrolment ratio once both pipelines have run.
class RatioReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const auto& run : runs) {
            const auto items = run.counters.find("items_per_second");
            if (items != run.counters.end()) rates_[run.benchmark_name()] = items->second.value;
            const auto cpu = run.counters.find("cpu_s_per_image");
            if (cpu != run.counters.end()) cpuPerImage_[run.benchmark_name()] = cpu->second.value;
        }
    }
    void Finalize() override {
        ConsoleReporter::Finalize();
        printJitterCost();
        const auto reference = rates_.find("BM_EnrolReference/iterations:1/real_time");
        const auto engine = rates_.find("BM_EnrolEngine/iterations:1/real_time");
        if (reference == rates_.end() || engine == rates_.end()) return;
        std::printf("enrolment: engine %.2f images/s, reference %.2f images/s, wall-clock ratio %.2fx\n",
                    engine->second, reference->second, engine->second / reference->second);
        const double referenceCpu = cpuPerImage_[reference->first], engineCpu = cpuPerImage_[engine->first];
        std::printf("enrolment CPU per image: engine %.3f s, reference %.3f s (%.2fx less work); load average "
                    "during the run decides how much of the 2 cores the engine's workers got\n",
                    engineCpu, referenceCpu, referenceCpu / engineCpu);
    }

private:
    void printJitterCost() {
        const auto plain = rates_.find("BM_DescribeJitter/jitter:0");
        if (plain == rates_.end()) return;
        for (const int jitter : {5, 10}) {
            const auto jittered = rates_.find("BM_DescribeJitter/jitter:" + std::to_string(jitter));
            if (jittered == rates_.end()) continue;
            std::printf("descriptor jitter %d: %.1f ms per face against %.1f ms without jitter (%.2fx the cost)\n", jitter,
                        1000 / jittered->second, 1000 / plain->second, plain->second / jittered->second);
        }
    }

    std::map<std::string, double> rates_, cpuPerImage_;
};

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    auto& f = fixture();
    if (!std::filesystem::exists(f.faces / "identities.csv")) {
        std::fprintf(stderr, "face images not found at %s (set FACELEAD_FACES_DIR)\n", f.faces.string().c_str());
        return 1;
    }
    f.fast = makeEngine(facelead::face::DetectionMode::Fast, 0);
    f.accurate = makeEngine(facelead::face::DetectionMode::Accurate, 1);
    f.reference = std::make_unique<ReferencePipeline>(f.models);
    dlib::deserialize((f.models / "shape_predictor_5_face_landmarks.dat").string()) >> f.landmarks;
    dlib::deserialize((f.models / "dlib_face_recognition_resnet_model_v1.dat").string()) >> f.net;
    f.enrolmentSet = enrolmentSet(f.faces);
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
    std::printf("enrolment set: %zu images; workers: %u hardware threads\n", f.enrolmentSet.size(),
                std::thread::hardware_concurrency());
    printAccuracy();
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}
