// Probe detection on CCTV-like frames (issue 10): 1920x1080 frames made at run time from the shared faces,
// each with six faces of 24, 28, 36, 48, 64 and 96 px (face box width) pasted with soft edges on a blurred,
// noisy synthetic background (no face of its own), saved as JPEG quality 75 and decoded again. The probe
// policy (DetectionPolicy::Probe) runs on every frame; printed: detection recall per face size, false
// detections per frame, wall and CPU time per frame, and rank-1 of every found face against a gallery of
// the same identities' other photos (all of identities.csv except the photos the faces were cut from).
//
//   facelead_bench_probe [--frames N] [--threads N]     (FACELEAD_FACES_DIR, FACELEAD_MODELS_DIR honoured)

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>

#include "core/face/FaceEngine.h"
#include "core/imaging/Intake.h"
#include "tests/integration/face/FaceEvaluation.h"
#include "tests/benchmarks/face/BenchClocks.h"

using facelead::bench::processCpuSeconds;
using facelead::bench::wallSeconds;

namespace {

using facelead::face::Box;
using facelead::face::FaceEngine;

constexpr int kSizes[] = {24, 28, 36, 48, 64, 96};
constexpr double kMinIou = 0.3;  // small boxes from different detectors differ by a few pixels

std::filesystem::path facesDir() {
    const char* env = std::getenv("FACELEAD_FACES_DIR");
    return (env && *env) ? env : FACELEAD_DEFAULT_FACES_DIR;
}

// A face to paste: the photo it comes from and the detector's box in it.
struct Source {
    std::string identity;
    std::filesystem::path file;
    cv::Mat rgb;
    Box box;
};

// A CCTV-like background: large flat shapes (walls, floor, furniture) in muted colours, blurred, with sensor
// noise. No face can be in it, so every detection that matches no pasted face is a false one.
cv::Mat background(std::mt19937& random) {
    cv::Mat frame(1080, 1920, CV_8UC3);
    std::uniform_int_distribution<int> grey(40, 200), x(0, 1919), y(0, 1079), size(40, 600);
    frame.setTo(cv::Scalar(grey(random), grey(random), grey(random)));
    for (int i = 0; i < 40; ++i) {
        const cv::Scalar colour(grey(random), grey(random), grey(random));
        const cv::Point corner(x(random), y(random));
        if (i % 3 == 0)
            cv::ellipse(frame, corner, cv::Size(size(random) / 2, size(random) / 2), 0, 0, 360, colour, cv::FILLED);
        else
            cv::rectangle(frame, cv::Rect(corner, cv::Size(size(random), size(random))), colour, cv::FILLED);
    }
    cv::GaussianBlur(frame, frame, cv::Size(), 6);
    cv::Mat noise(frame.size(), CV_8UC3);
    cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(6));
    cv::add(frame, noise, frame, cv::noArray(), CV_8UC3);
    return frame;
}

// Pastes the head around source.box (1.9x the box, so hair and chin come along) scaled so that the box is
// `width` pixels wide, centred at `centre`, with an elliptical, feathered edge. Returns the pasted box.
Box paste(cv::Mat& frame, const Source& source, int width, cv::Point centre) {
    const double scale = static_cast<double>(width) / source.box.width();
    const double cx = (source.box.left + source.box.right) / 2.0, cy = (source.box.top + source.box.bottom) / 2.0;
    const int side = static_cast<int>(std::lround(1.9 * width));
    const cv::Mat transform = (cv::Mat_<double>(2, 3) << scale, 0, side / 2.0 - scale * cx, 0, scale, side / 2.0 - scale * cy);
    cv::Mat head;
    cv::warpAffine(source.rgb, head, transform, cv::Size(side, side), cv::INTER_AREA, cv::BORDER_REPLICATE);
    cv::Mat mask(side, side, CV_32F, cv::Scalar(0));
    cv::ellipse(mask, cv::Point(side / 2, side / 2), cv::Size(side * 4 / 10, side * 48 / 100), 0, 0, 360, cv::Scalar(1), cv::FILLED);
    cv::GaussianBlur(mask, mask, cv::Size(), side / 20.0 + 0.5);
    const cv::Rect where(centre.x - side / 2, centre.y - side / 2, side, side);
    cv::Mat target = frame(where);
    for (int r = 0; r < side; ++r)
        for (int c = 0; c < side; ++c) {
            const float a = mask.at<float>(r, c);
            auto& out = target.at<cv::Vec3b>(r, c);
            const auto& in = head.at<cv::Vec3b>(r, c);
            for (int k = 0; k < 3; ++k) out[k] = cv::saturate_cast<uchar>(a * in[k] + (1 - a) * out[k]);
        }
    const int half = width / 2;
    const int boxHeight = static_cast<int>(std::lround(source.box.height() * scale));
    return {centre.x - half, centre.y - boxHeight / 2, centre.x - half + width, centre.y - boxHeight / 2 + boxHeight};
}

cv::Mat jpegRoundTrip(const cv::Mat& rgb) {
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    std::vector<uchar> bytes;
    cv::imencode(".jpg", bgr, bytes, {cv::IMWRITE_JPEG_QUALITY, 75});
    cv::Mat decoded = cv::imdecode(bytes, cv::IMREAD_COLOR), rgb2;
    cv::cvtColor(decoded, rgb2, cv::COLOR_BGR2RGB);
    return rgb2;
}

struct SizeStats {
    int total = 0, found = 0, rankOne = 0;
};

}  // namespace

int main(int argc, char** argv) {
    int frames = 20, threads = 0;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--frames") == 0) frames = std::atoi(argv[++i]);
        else if (std::strcmp(argv[i], "--threads") == 0) threads = std::atoi(argv[++i]);
    }
    const auto faces = facesDir();
    facelead::face::EngineConfig config;
    config.threads = threads;
    auto created = FaceEngine::create(config);
    if (!created) {
        std::fprintf(stderr, "%s\n", created.error().message.c_str());
        return 1;
    }
    const FaceEngine& engine = **created;

    // Sources and gallery: per identity with two images or more, the first photo holding exactly one face of
    // 60 px or more is cut into the frames; every other labelled photo is the gallery.
    const auto labelled = facelead::test::readIdentities(faces);
    std::map<std::string, int> perIdentity;
    for (const auto& l : labelled) ++perIdentity[l.identity];
    std::vector<std::filesystem::path> files;
    for (const auto& l : labelled) files.push_back(l.file);
    const auto analysed = engine.analyzeFiles(files, {facelead::face::FacePick::All, true});
    std::vector<Source> sources;
    std::vector<facelead::test::Embedded> gallery;
    std::map<std::string, bool> hasSource;
    for (std::size_t i = 0; i < labelled.size(); ++i) {
        const auto& found = analysed[i].faces;
        if (!found || found->empty()) continue;
        const bool usable = found->size() == 1 && found->front().box.width() >= 60;
        if (perIdentity[labelled[i].identity] >= 2 && usable && !hasSource[labelled[i].identity]) {
            hasSource[labelled[i].identity] = true;
            auto image = facelead::imaging::decodeFile(labelled[i].file);
            sources.push_back({labelled[i].identity, labelled[i].file, image->rgb, found->front().box});
        } else {
            const auto largest = std::max_element(found->begin(), found->end(), [](const auto& a, const auto& b) {
                return a.box.width() < b.box.width();
            });
            gallery.push_back({labelled[i].identity, largest->descriptor});
        }
    }
    std::printf("probe benchmark: %d frames 1920x1080, faces %s px, %zu source identities, gallery %zu photos, "
                "workers %d\n", frames, "24/28/36/48/64/96", sources.size(), gallery.size(), threads);

    std::mt19937 random(20261130);
    std::map<int, SizeStats> stats;
    int falseDetections = 0;
    double wallTotal = 0, cpuTotal = 0, wallMax = 0;
    std::size_t next = 0;
    for (int f = 0; f < frames; ++f) {
        cv::Mat frame = background(random);
        std::vector<std::pair<Box, const Source*>> truth;
        // Six cells (3 x 2) with the faces placed at random inside, sizes in a shuffled order.
        std::vector<int> sizes(std::begin(kSizes), std::end(kSizes));
        std::shuffle(sizes.begin(), sizes.end(), random);
        for (int cell = 0; cell < 6; ++cell) {
            const Source& source = sources[next++ % sources.size()];
            const int width = sizes[static_cast<std::size_t>(cell)];
            const int margin = width * 2;
            std::uniform_int_distribution<int> dx(margin, 640 - margin), dy(margin, 540 - margin);
            const cv::Point centre((cell % 3) * 640 + dx(random), (cell / 3) * 540 + dy(random));
            truth.emplace_back(paste(frame, source, width, centre), &source);
        }
        facelead::imaging::Image image;
        image.rgb = jpegRoundTrip(frame);
        const double wall = wallSeconds(), cpu = processCpuSeconds();
        const auto found = engine.analyze(image, {facelead::face::FacePick::All, true, facelead::face::DetectionPolicy::Probe});
        const double frameWall = wallSeconds() - wall;
        wallTotal += frameWall;
        cpuTotal += processCpuSeconds() - cpu;
        wallMax = std::max(wallMax, frameWall);
        if (!found) {
            std::fprintf(stderr, "frame %d: %s\n", f, found.error().message.c_str());
            return 1;
        }
        std::vector<bool> used(found->size(), false);
        for (const auto& [box, source] : truth) {
            auto& s = stats[box.width()];
            ++s.total;
            std::size_t best = found->size();
            double bestIou = kMinIou;
            for (std::size_t d = 0; d < found->size(); ++d) {
                const double iou = facelead::test::intersectionOverUnion(box, (*found)[d].box);
                if (!used[d] && iou >= bestIou) best = d, bestIou = iou;
            }
            if (best == found->size()) continue;
            used[best] = true;
            ++s.found;
            // Rank-1 of this one probe: its nearest gallery photo has its identity.
            double nearest = 1e9;
            std::string nearestIdentity;
            for (const auto& g : gallery) {
                if (!g.descriptor) continue;
                const double d = FaceEngine::distance(*g.descriptor, *(*found)[best].descriptor);
                if (d < nearest) nearest = d, nearestIdentity = g.identity;
            }
            s.rankOne += nearestIdentity == source->identity ? 1 : 0;
        }
        for (const bool u : used) falseDetections += u ? 0 : 1;
        std::printf("frame %2d: %zu detections, %.2f s\n", f, found->size(), frameWall);
        std::fflush(stdout);
    }
    std::printf("\n| face width | recall | rank-1 of found faces |\n|---|---|---|\n");
    for (const auto& [width, s] : stats)
        std::printf("| %d px | %d/%d = %.1f %% | %d/%d = %.1f %% |\n", width, s.found, s.total, 100.0 * s.found / s.total,
                    s.rankOne, s.found, s.found ? 100.0 * s.rankOne / s.found : 0.0);
    std::printf("false detections: %d in %d frames = %.2f per frame\n", falseDetections, frames,
                static_cast<double>(falseDetections) / frames);
    std::printf("time per frame: wall %.2f s (max %.2f s), CPU %.2f s\n", wallTotal / frames, wallMax, cpuTotal / frames);
    return 0;
}
