#include "tests/integration/face/FaceEvaluation.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

namespace facelead::test {
namespace {

std::vector<std::string> splitCsvLine(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream in(line);
    for (std::string field; std::getline(in, field, ',');) {
        if (!field.empty() && field.back() == '\r') field.pop_back();
        fields.push_back(field);
    }
    return fields;
}

}  // namespace

std::vector<LabelledImage> readIdentities(const std::filesystem::path& facesDir, std::size_t maxPerIdentity) {
    std::ifstream in(facesDir / "identities.csv");
    std::vector<LabelledImage> images;
    std::map<std::string, std::size_t> taken;
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        const auto fields = splitCsvLine(line);
        if (fields.size() < 2) continue;
        if (taken[fields[1]]++ < maxPerIdentity) images.push_back({facesDir / fields[0], fields[1]});
    }
    return images;
}

std::vector<LabelledPair> readDeepfacePairs(const std::filesystem::path& facesDir) {
    std::ifstream in(facesDir / "deepface" / "master.csv");
    std::vector<LabelledPair> pairs;
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        const auto fields = splitCsvLine(line);
        if (fields.size() < 3) continue;
        pairs.push_back({facesDir / "deepface" / fields[0], facesDir / "deepface" / fields[1], fields[2] == "Yes"});
    }
    return pairs;
}

std::vector<GroundTruthImage> readDlibBoxes(const std::filesystem::path& xmlFile) {
    std::ifstream in(xmlFile);
    const std::regex imageTag(R"(<image file='([^']+)')");
    const std::regex boxTag(R"(<box top='(-?\d+)' left='(-?\d+)' width='(\d+)' height='(\d+)')");
    std::vector<GroundTruthImage> images;
    std::smatch m;
    for (std::string line; std::getline(in, line);) {
        if (std::regex_search(line, m, imageTag)) {
            images.push_back({xmlFile.parent_path() / m[1].str(), {}});
        } else if (std::regex_search(line, m, boxTag) && !images.empty()) {
            const int top = std::stoi(m[1]), left = std::stoi(m[2]);
            images.back().faces.push_back({left, top, left + std::stoi(m[3]), top + std::stoi(m[4])});
        }
    }
    return images;
}

double intersectionOverUnion(const face::Box& a, const face::Box& b) {
    const int width = std::min(a.right, b.right) - std::max(a.left, b.left);
    const int height = std::min(a.bottom, b.bottom) - std::max(a.top, b.top);
    if (width <= 0 || height <= 0) return 0;
    const double overlap = static_cast<double>(width) * height;
    return overlap / (static_cast<double>(a.width()) * a.height() + static_cast<double>(b.width()) * b.height() - overlap);
}

Recall matchDetections(const std::vector<face::Box>& truth, const std::vector<face::Box>& detected, double minIou) {
    struct Candidate {
        double iou;
        std::size_t truth, detection;
    };
    std::vector<Candidate> candidates;
    for (std::size_t t = 0; t < truth.size(); ++t)
        for (std::size_t d = 0; d < detected.size(); ++d)
            if (const double iou = intersectionOverUnion(truth[t], detected[d]); iou >= minIou)
                candidates.push_back({iou, t, d});
    std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) { return a.iou > b.iou; });
    std::vector<bool> truthUsed(truth.size()), detectionUsed(detected.size());
    Recall recall{0, truth.size()};
    for (const auto& c : candidates) {
        if (truthUsed[c.truth] || detectionUsed[c.detection]) continue;
        truthUsed[c.truth] = detectionUsed[c.detection] = true;
        ++recall.found;
    }
    return recall;
}

double rankOneRate(const std::vector<Embedded>& set) {
    std::map<std::string, std::size_t> perIdentity;
    for (const auto& e : set) ++perIdentity[e.identity];
    std::size_t probes = 0, correct = 0;
    for (std::size_t p = 0; p < set.size(); ++p) {
        if (perIdentity[set[p].identity] < 2) continue;
        ++probes;
        if (!set[p].descriptor) continue;
        double best = std::numeric_limits<double>::max();
        std::size_t nearest = p;
        for (std::size_t g = 0; g < set.size(); ++g) {
            if (g == p || !set[g].descriptor) continue;
            const double d = face::FaceEngine::distance(*set[p].descriptor, *set[g].descriptor);
            if (d < best) { best = d; nearest = g; }
        }
        if (nearest != p && set[nearest].identity == set[p].identity) ++correct;
    }
    return probes ? static_cast<double>(correct) / probes : 0;
}

std::vector<PairDistance> allPairDistances(const std::vector<Embedded>& set) {
    std::vector<PairDistance> pairs;
    for (std::size_t a = 0; a < set.size(); ++a) {
        for (std::size_t b = a + 1; b < set.size(); ++b) {
            PairDistance pair{std::nullopt, set[a].identity == set[b].identity};
            if (set[a].descriptor && set[b].descriptor)
                pair.distance = face::FaceEngine::distance(*set[a].descriptor, *set[b].descriptor);
            pairs.push_back(pair);
        }
    }
    return pairs;
}

Verification verifyPairs(const std::vector<PairDistance>& pairs, double threshold) {
    Verification v;
    for (const auto& pair : pairs) {
        const bool decidedSame = pair.distance && *pair.distance < threshold;
        if (pair.sameSubject) {
            ++v.sameTotal;
            v.sameCorrect += decidedSame ? 1 : 0;
        } else {
            ++v.differentTotal;
            v.differentCorrect += decidedSame ? 0 : 1;
        }
    }
    return v;
}

Verification verifyAllPairs(const std::vector<Embedded>& set, double threshold) {
    return verifyPairs(allPairDistances(set), threshold);
}

std::vector<std::optional<face::Descriptor>> embedLargest(const face::FaceEngine& engine,
                                                          const std::vector<std::filesystem::path>& files) {
    const auto items = engine.analyzeFiles(files, {face::FacePick::Largest, true});
    std::vector<std::optional<face::Descriptor>> descriptors;
    for (const auto& item : items) {
        if (item.faces && !item.faces->empty()) descriptors.push_back(item.faces->front().descriptor);
        else descriptors.push_back(std::nullopt);
    }
    return descriptors;
}

}  // namespace facelead::test
