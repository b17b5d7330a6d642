// Probe detection on pictures larger than a 4K frame (issue 10, intake case C07: a 99-megapixel photo): the probe
// policy as shipped, which scans a copy reduced to EngineConfig::probeLargestFramePixels, against the same policy
// scanning the full picture (the reference, probeLargestFramePixels = infinity), in the same run on the same pictures.
// Each picture is grey with one portrait (ref_obama.jpg of the intake cases) pasted at its natural size, as a
// high-resolution camera would hold one person. Printed per picture size: CPU and wall seconds of each, their ratio,
// the process's peak resident memory after each (the reference runs second: its peak is the larger of the two), the
// smallest face looked for, and whether the face was found where it was pasted.
//
//   facelead_bench_probe_large [--megapixels A,B,...] [--threads N]   (default 8.3,16,33; FACELEAD_MODELS_DIR and
//   FACELEAD_INTAKE_CASES_DIR honoured)

#include <opencv2/imgproc.hpp>

#include <sys/resource.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "core/face/FaceEngine.h"
#include "core/imaging/Intake.h"
#include "tests/benchmarks/face/BenchClocks.h"

using facelead::bench::processCpuSeconds;
using facelead::bench::wallSeconds;
using facelead::face::DetectionPolicy;
using facelead::face::EngineConfig;
using facelead::face::FaceEngine;

namespace {

double peakResidentMegabytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

struct Run {
    double cpu = 0, wall = 0, peakMb = 0;
    bool found = false;
};

// The probe policy on `picture`; found: a face within a tenth of its width of where the portrait's face was pasted.
Run probe(const FaceEngine& engine, const cv::Mat& picture, const facelead::face::Box& expected) {
    facelead::imaging::Image image;
    image.rgb = picture;
    Run run;
    const double cpu = processCpuSeconds(), wall = wallSeconds();
    const auto faces = engine.analyze(image, {facelead::face::FacePick::All, true, DetectionPolicy::Probe});
    run.cpu = processCpuSeconds() - cpu;
    run.wall = wallSeconds() - wall;
    run.peakMb = peakResidentMegabytes();
    if (faces)
        for (const auto& f : *faces)
            run.found |= std::abs(f.box.left - expected.left) < 0.1 * expected.width() &&
                         std::abs(f.box.top - expected.top) < 0.1 * expected.width();
    return run;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<double> megapixels{8.3, 16, 33};
    int threads = 2;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--threads") == 0) threads = std::atoi(argv[++i]);
        else if (std::strcmp(argv[i], "--megapixels") == 0) {
            megapixels.clear();
            std::stringstream list(argv[++i]);
            for (std::string item; std::getline(list, item, ',');) megapixels.push_back(std::atof(item.c_str()));
        }
    }
    const char* intake = std::getenv("FACELEAD_INTAKE_CASES_DIR");
    const std::filesystem::path portraitFile =
        std::filesystem::path(intake && *intake ? intake : FACELEAD_DEFAULT_INTAKE_CASES_DIR) / "ref_obama.jpg";
    auto portrait = facelead::imaging::decodeFile(portraitFile);
    if (!portrait) {
        std::fprintf(stderr, "%s\n", portrait.error().message.c_str());
        return 1;
    }
    EngineConfig shipped;
    shipped.threads = threads;
    EngineConfig fullSize = shipped;
    fullSize.probeLargestFramePixels = std::numeric_limits<double>::infinity();
    auto capped = FaceEngine::create(shipped);
    auto reference = FaceEngine::create(fullSize);
    if (!capped || !reference) {
        std::fprintf(stderr, "the face models could not be loaded\n");
        return 1;
    }
    const auto clean = (*capped)->analyze(*portrait, {facelead::face::FacePick::Largest, false, DetectionPolicy::Probe});
    if (!clean || clean->empty()) {
        std::fprintf(stderr, "no face in %s\n", portraitFile.c_str());
        return 1;
    }
    std::printf("portrait %dx%d, face %d px wide; %d threads\n\n", portrait->rgb.cols, portrait->rgb.rows,
                clean->front().box.width(), threads);
    std::printf("| picture | smallest face looked for | shipped (reduced copy): CPU s / wall s / found | "
                "full-size reference: CPU s / wall s / found | CPU ratio | peak MB after shipped / after reference |\n"
                "|---|---|---|---|---|---|\n");
    for (const double mp : megapixels) {
        const int width = static_cast<int>(std::lround(std::sqrt(mp * 1e6 * 16.0 / 9.0)));
        const int height = static_cast<int>(std::lround(width * 9.0 / 16.0));
        cv::Mat picture(height, width, CV_8UC3, cv::Scalar(96, 104, 100));
        const cv::Point at(width / 2, height / 3);
        portrait->rgb.copyTo(picture(cv::Rect(at, portrait->rgb.size())));
        facelead::face::Box expected = clean->front().box;
        expected = {expected.left + at.x, expected.top + at.y, expected.right + at.x, expected.bottom + at.y};
        const Run ours = probe(**capped, picture, expected);
        const Run full = probe(**reference, picture, expected);
        std::printf("| %dx%d (%.1f MP) | %.0f px | %.1f / %.1f / %s | %.1f / %.1f / %s | %.2f | %.0f / %.0f |\n", width,
                    height, width * double(height) / 1e6, facelead::face::probeSmallestFaceIn(shipped, width, height),
                    ours.cpu, ours.wall, ours.found ? "yes" : "NO", full.cpu, full.wall, full.found ? "yes" : "NO",
                    full.cpu / ours.cpu, ours.peakMb, full.peakMb);
        std::fflush(stdout);
    }
    return 0;
}
