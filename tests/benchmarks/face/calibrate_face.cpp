// Calibration of the same-subject distance threshold (docs/CALIBRATION.md): embeds identities.csv and the
// deepface pairs with the engine, then sweeps the threshold and prints accuracy at each step.
//   facelead_calibrate_face [--flip] [--jitter N] [--threads N] [--mode fast|accurate]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "core/face/FaceEngine.h"
#include "tests/integration/face/FaceEvaluation.h"

namespace {

std::filesystem::path facesDir() {
    const char* env = std::getenv("FACELEAD_FACES_DIR");
    return (env && *env) ? env : FACELEAD_DEFAULT_FACES_DIR;
}

}  // namespace

int main(int argc, char** argv) {
    using facelead::test::Embedded;
    facelead::face::EngineConfig config;
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (word == "--flip") config.flipAverage = true;
        else if (word == "--jitter" && i + 1 < argc) config.jitter = std::atoi(argv[++i]);
        else if (word == "--threads" && i + 1 < argc) config.threads = std::atoi(argv[++i]);
        else if (word == "--mode" && i + 1 < argc)
            config.mode = std::string(argv[++i]) == "accurate" ? facelead::face::DetectionMode::Accurate
                                                                : facelead::face::DetectionMode::Fast;
    }
    auto engine = facelead::face::FaceEngine::create(config);
    if (!engine) {
        std::fprintf(stderr, "%s\n", engine.error().message.c_str());
        return 1;
    }
    const auto dir = facesDir();
    const auto start = std::chrono::steady_clock::now();

    const auto labelled = facelead::test::readIdentities(dir);
    std::vector<std::filesystem::path> files;
    for (const auto& image : labelled) files.push_back(image.file);
    const auto descriptors = facelead::test::embedLargest(**engine, files);
    std::vector<Embedded> identities;
    std::map<std::string, std::pair<int, int>> missingPerSet;  // folder -> (no face, total)
    for (std::size_t i = 0; i < labelled.size(); ++i) {
        identities.push_back({labelled[i].identity, descriptors[i]});
        const auto folder = std::filesystem::relative(labelled[i].file, dir).begin()->string();
        missingPerSet[folder].second++;
        if (!descriptors[i]) missingPerSet[folder].first++;
    }

    const auto pairs = facelead::test::readDeepfacePairs(dir);
    std::map<std::filesystem::path, std::size_t> index;
    std::vector<std::filesystem::path> pairFiles;
    for (const auto& pair : pairs)
        for (const auto& file : {pair.first, pair.second})
            if (index.emplace(file, pairFiles.size()).second) pairFiles.push_back(file);
    const auto pairDescriptors = facelead::test::embedLargest(**engine, pairFiles);
    std::vector<facelead::test::PairDistance> deepface;
    for (const auto& pair : pairs) {
        const auto& a = pairDescriptors[index[pair.first]];
        const auto& b = pairDescriptors[index[pair.second]];
        deepface.push_back({a && b ? std::optional(facelead::face::FaceEngine::distance(*a, *b)) : std::nullopt,
                            pair.sameSubject});
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::printf("flip=%d jitter=%d: %zu identity images + %zu pair images in %.1f s\n", config.flipAverage ? 1 : 0,
                config.jitter, files.size(), pairFiles.size(), seconds);
    for (const auto& [folder, counts] : missingPerSet)
        std::printf("  no face found: %-18s %d of %d\n", folder.c_str(), counts.first, counts.second);
    std::printf("rank-1 (leave-one-out, identities.csv): %.4f\n", facelead::test::rankOneRate(identities));
    const auto identityPairs = facelead::test::allPairDistances(identities);
    std::printf("threshold  ids:TAR  ids:TRR  ids:balanced  deepface:acc  deepface:TAR  deepface:TRR\n");
    for (int step = 30; step <= 80; ++step) {
        const double t = step / 100.0;
        const auto ids = facelead::test::verifyPairs(identityPairs, t);
        const auto df = facelead::test::verifyPairs(deepface, t);
        std::printf("%.2f       %.4f   %.4f   %.4f        %.4f        %.4f        %.4f\n", t, ids.trueAcceptRate(),
                    ids.trueRejectRate(), ids.balancedAccuracy(), df.accuracy(), df.trueAcceptRate(),
                    df.trueRejectRate());
    }
    return 0;
}
