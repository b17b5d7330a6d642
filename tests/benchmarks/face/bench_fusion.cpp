// Multi-probe fusion (issue 10 item 6): several probes of one unknown person searched together against the
// gallery, compared with the single best probe. Per identity of identities.csv with at least kProbes + 1 usable
// photos (one face), the first kProbes photos are the probes and the others stay in the gallery with every other
// identity's photos. Each probe is degraded as a low-resolution camera sees a face: its aligned 150x150 chip is
// shrunk to a given side (the face's width in the frame), blown up again and JPEG-compressed; probe 1 is the least
// degraded (the "best" probe an examiner would pick: the largest face), the others smaller.
//
// A subject's distance to one probe is the distance of its nearest gallery photo (the candidate list's per-subject
// rule, GalleryIndex::topSubjects). Rules compared, with 2 and 3 probes:
//   single best: probe 1 alone;   min: the least distance over the probes;   mean: the mean over the probes.
// Printed: rank-1 (closed set: every probe identity is in the gallery) and TAR at FAR 1 % and 0.1 % (genuine: the
// fused distance of the true subject; impostor: of every other subject).
//
//   facelead_bench_fusion [--sides 40,28,20] [--quality 60]     (FACELEAD_FACES_DIR, FACELEAD_MODELS_DIR honoured)

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>

#include "core/face/FaceEngine.h"
#include "core/imaging/Intake.h"
#include "tests/integration/face/FaceEvaluation.h"

namespace {

using facelead::face::Descriptor;
using facelead::face::FaceEngine;

constexpr std::size_t kProbes = 3;

std::filesystem::path facesDir() {
    const char* env = std::getenv("FACELEAD_FACES_DIR");
    return (env && *env) ? env : FACELEAD_DEFAULT_FACES_DIR;
}

// The chip as a camera `side` pixels across the face records it: shrunk, blown up again, JPEG-compressed.
cv::Mat degrade(const cv::Mat& chip, int side, int quality) {
    cv::Mat small, large, bgr;
    cv::resize(chip, small, cv::Size(side, side), 0, 0, cv::INTER_AREA);
    cv::resize(small, large, chip.size(), 0, 0, cv::INTER_LINEAR);
    cv::cvtColor(large, bgr, cv::COLOR_RGB2BGR);
    std::vector<std::uint8_t> bytes;
    cv::imencode(".jpg", bgr, bytes, {cv::IMWRITE_JPEG_QUALITY, quality});
    cv::Mat decoded = cv::imdecode(bytes, cv::IMREAD_COLOR), rgb;
    cv::cvtColor(decoded, rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

struct Person {
    std::string identity;
    std::vector<Descriptor> probes;  // kProbes, least degraded first
};

// distances[p][s]: probe p's distance to subject s (its nearest gallery photo).
using SubjectDistances = std::vector<std::vector<double>>;
using Fusion = std::function<double(const std::vector<double>&)>;

struct Scores {
    std::size_t probes = 0, rankOne = 0;
    std::vector<double> genuine, impostor;
};

double tarAtFar(const Scores& scores, double far) {
    std::vector<double> impostor = scores.impostor;
    std::sort(impostor.begin(), impostor.end());
    // The threshold below which at most `far` of the impostor distances fall.
    const auto allowed = static_cast<std::size_t>(far * double(impostor.size()));
    const double threshold = impostor.empty() ? 0 : impostor[std::min(allowed, impostor.size() - 1)];
    const auto accepted = std::count_if(scores.genuine.begin(), scores.genuine.end(),
                                        [&](double d) { return d < threshold; });
    return scores.genuine.empty() ? 0 : double(accepted) / double(scores.genuine.size());
}

std::vector<int> parseSides(const std::string& text) {
    std::vector<int> sides;
    std::stringstream in(text);
    for (std::string word; std::getline(in, word, ',');) sides.push_back(std::atoi(word.c_str()));
    return sides;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<int> sides{40, 28, 20};
    int quality = 60;
    for (int i = 1; i + 1 < argc; ++i) {
        const std::string word = argv[i];
        if (word == "--sides") sides = parseSides(argv[++i]);
        else if (word == "--quality") quality = std::atoi(argv[++i]);
    }
    if (sides.size() != kProbes) {
        std::fprintf(stderr, "--sides takes %zu sizes\n", kProbes);
        return 2;
    }
    facelead::face::EngineConfig config;
    auto engine = FaceEngine::create(config);
    if (!engine) {
        std::fprintf(stderr, "%s\n", engine.error().message.c_str());
        return 1;
    }
    const auto labelled = facelead::test::readIdentities(facesDir());
    std::vector<std::filesystem::path> files;
    for (const auto& l : labelled) files.push_back(l.file);
    const auto analysed = (*engine)->analyzeFiles(files, {facelead::face::FacePick::Largest, true});

    std::map<std::string, std::vector<std::size_t>> usable;  // identity -> photos with exactly one face
    for (std::size_t i = 0; i < labelled.size(); ++i)
        if (analysed[i].faces && analysed[i].faces->size() == 1) usable[labelled[i].identity].push_back(i);

    std::vector<Person> people;
    std::vector<std::string> subjects;  // gallery subjects, by index
    std::map<std::string, std::size_t> subjectIndex;
    std::vector<std::pair<std::size_t, Descriptor>> gallery;  // (subject, descriptor)
    for (const auto& [identity, photos] : usable) {
        const bool probed = photos.size() > kProbes;
        if (probed) people.push_back({identity, {}});
        for (std::size_t k = 0; k < photos.size(); ++k) {
            const auto& face = analysed[photos[k]].faces->front();
            if (probed && k < kProbes) {
                auto image = facelead::imaging::decodeFile(files[photos[k]]);
                auto chip = image ? (*engine)->alignedChip(*image, face) : facelead::Result<cv::Mat>(image.error());
                if (!chip) return std::fprintf(stderr, "%s\n", chip.error().message.c_str()), 1;
                auto described = (*engine)->describeChips({degrade(*chip, sides[k], quality)});
                if (!described) return std::fprintf(stderr, "%s\n", described.error().message.c_str()), 1;
                people.back().probes.push_back(described->front());
                continue;
            }
            if (!subjectIndex.count(identity)) {
                subjectIndex[identity] = subjects.size();
                subjects.push_back(identity);
            }
            gallery.emplace_back(subjectIndex[identity], *face.descriptor);
        }
    }
    std::printf("fusion benchmark: %zu persons x %zu probes (chip sides %d/%d/%d px, JPEG %d), gallery %zu photos of "
                "%zu subjects\n", people.size(), kProbes, sides[0], sides[1], sides[2], quality, gallery.size(),
                subjects.size());

    const auto distancesOf = [&](const Person& person) {
        SubjectDistances distances(kProbes, std::vector<double>(subjects.size(), std::numeric_limits<double>::max()));
        for (std::size_t p = 0; p < kProbes; ++p)
            for (const auto& [subject, descriptor] : gallery)
                distances[p][subject] = std::min(distances[p][subject], FaceEngine::distance(person.probes[p], descriptor));
        return distances;
    };
    std::vector<SubjectDistances> all;
    for (const Person& person : people) all.push_back(distancesOf(person));

    const Fusion minimum = [](const std::vector<double>& d) { return *std::min_element(d.begin(), d.end()); };
    const Fusion mean = [](const std::vector<double>& d) {
        return std::accumulate(d.begin(), d.end(), 0.0) / double(d.size());
    };
    const auto evaluate = [&](std::size_t probes, const Fusion& fuse) {
        Scores scores;
        for (std::size_t i = 0; i < people.size(); ++i) {
            const std::size_t truth = subjectIndex.at(people[i].identity);
            std::size_t nearest = 0;
            double best = std::numeric_limits<double>::max();
            for (std::size_t s = 0; s < subjects.size(); ++s) {
                std::vector<double> perProbe;
                for (std::size_t p = 0; p < probes; ++p) perProbe.push_back(all[i][p][s]);
                const double fused = fuse(perProbe);
                if (fused < best) { best = fused; nearest = s; }
                (s == truth ? scores.genuine : scores.impostor).push_back(fused);
            }
            ++scores.probes;
            if (nearest == truth) ++scores.rankOne;
        }
        return scores;
    };
    std::printf("%-28s %8s %12s %13s\n", "rule", "rank-1", "TAR@FAR=1%", "TAR@FAR=0.1%");
    const auto print = [&](const char* name, const Scores& s) {
        std::printf("%-28s %8.4f %12.4f %13.4f\n", name, double(s.rankOne) / double(s.probes), tarAtFar(s, 0.01),
                    tarAtFar(s, 0.001));
    };
    print("single best probe (1)", evaluate(1, minimum));
    print("min of 2 probes", evaluate(2, minimum));
    print("mean of 2 probes", evaluate(2, mean));
    print("min of 3 probes", evaluate(3, minimum));
    print("mean of 3 probes", evaluate(3, mean));
    return 0;
}
