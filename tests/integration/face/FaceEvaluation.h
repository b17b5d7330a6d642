#pragma once
// Accuracy measures on the shared labelled faces, shared by the face integration tests, the face
// benchmark (to prove a faster pipeline loses no accuracy) and the calibration program.

#include <cstddef>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/face/FaceEngine.h"

namespace facelead::test {

struct LabelledImage {
    std::filesystem::path file;
    std::string identity;
};

// identities.csv; at most maxPerIdentity images per identity, in file order (a deterministic subsample).
std::vector<LabelledImage> readIdentities(const std::filesystem::path& facesDir,
                                          std::size_t maxPerIdentity = std::numeric_limits<std::size_t>::max());

struct LabelledPair {
    std::filesystem::path first, second;
    bool sameSubject = false;
};
// deepface/master.csv (file_x, file_y, Yes/No).
std::vector<LabelledPair> readDeepfacePairs(const std::filesystem::path& facesDir);

struct GroundTruthImage {
    std::filesystem::path file;
    std::vector<face::Box> faces;
};
// dlib's imglab XML (scenes/testing.xml): image files and face boxes.
std::vector<GroundTruthImage> readDlibBoxes(const std::filesystem::path& xmlFile);

double intersectionOverUnion(const face::Box& a, const face::Box& b);
// Fraction of ground-truth boxes matched one-to-one (greedy, best IoU first) by a detection with IoU >= minIou.
struct Recall {
    std::size_t found = 0, total = 0;
    double rate() const { return total ? static_cast<double>(found) / total : 0; }
};
Recall matchDetections(const std::vector<face::Box>& truth, const std::vector<face::Box>& detected, double minIou);

// One descriptor per labelled image (absent when no face was found: it then counts as an error).
struct Embedded {
    std::string identity;
    std::optional<face::Descriptor> descriptor;
};

// Leave-one-out 1:N: each probe whose identity has another image is searched against all other images;
// correct when the nearest one has the same identity.
double rankOneRate(const std::vector<Embedded>& set);

struct Verification {
    std::size_t sameCorrect = 0, sameTotal = 0, differentCorrect = 0, differentTotal = 0;
    double trueAcceptRate() const { return sameTotal ? static_cast<double>(sameCorrect) / sameTotal : 0; }
    double trueRejectRate() const { return differentTotal ? static_cast<double>(differentCorrect) / differentTotal : 0; }
    double accuracy() const {
        const auto total = sameTotal + differentTotal;
        return total ? static_cast<double>(sameCorrect + differentCorrect) / total : 0;
    }
    // Mean of the two rates: all-pairs sets hold far more different pairs than same ones.
    double balancedAccuracy() const { return (trueAcceptRate() + trueRejectRate()) / 2; }
};
// Every pair of the set, decided "same subject" when the distance is below threshold. A missing descriptor
// decides "different".
Verification verifyAllPairs(const std::vector<Embedded>& set, double threshold);

struct PairDistance {
    std::optional<double> distance;  // absent when a face was missing
    bool sameSubject = false;
};
Verification verifyPairs(const std::vector<PairDistance>& pairs, double threshold);
std::vector<PairDistance> allPairDistances(const std::vector<Embedded>& set);

// The largest face's descriptor of each file, through the engine's batch path.
std::vector<std::optional<face::Descriptor>> embedLargest(const face::FaceEngine& engine,
                                                          const std::vector<std::filesystem::path>& files);

}  // namespace facelead::test
