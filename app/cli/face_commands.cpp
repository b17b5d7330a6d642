// detect / embed / compare / models check: the face engine from the command line.
// detect and embed print one JSON object per input file per line; a bad file fails its own line only.

#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli/Args.h"
#include "app/cli/CliCommon.h"
#include "app/cli/Commands.h"
#include "core/common/Paths.h"
#include "core/common/Text.h"
#include "core/face/FaceEngine.h"
#include "core/face/HandMarking.h"
#include "core/face/ModelFiles.h"
#include "core/face/QualityJson.h"
#include "core/imaging/Intake.h"

namespace facelead::cli {
namespace {

constexpr const char* kEngineOptionsHelp =
    "  --models DIR              model folder (default $FACELEAD_MODELS_DIR or ~/.local/share/facelead/models)\n"
    "  --mode fast|accurate      HOG with CNN fallback (default), or the CNN detector always\n"
    "  --threads N               workers (default: all cores)\n";

int usage(const std::string& problem, const std::string& synopsis) {
    if (!problem.empty()) std::cerr << "facelead-cli: " << problem << '\n';
    std::cerr << "usage: facelead-cli " << synopsis << '\n' << kEngineOptionsHelp;
    return 2;
}

// --help: the usage on standard output, exit 0.
int help(const std::string& synopsis) {
    std::cout << "usage: facelead-cli " << synopsis << '\n' << kEngineOptionsHelp;
    return 0;
}

std::unique_ptr<face::FaceEngine> createEngine(const face::EngineConfig& config) {
    auto engine = face::FaceEngine::create(config);
    if (!engine) {
        std::cerr << "facelead-cli: " << engine.error().message << '\n';
        return nullptr;
    }
    return std::move(*engine);
}

nlohmann::ordered_json errorJson(const Error& error) {
    return {{"code", errorCodeName(error.code)}, {"message", error.message}};
}

nlohmann::ordered_json faceJson(const face::Face& f) {
    nlohmann::ordered_json landmarks = nlohmann::ordered_json::array();
    for (const auto& p : f.landmarks) landmarks.push_back({p.x, p.y});
    nlohmann::ordered_json out = {
        {"box", {f.box.left, f.box.top, f.box.right, f.box.bottom}},
        {"landmarks", landmarks},
        {"score", f.score},
        {"detector", face::detectorName(f.detector)},
        {"quality", face::qualityToJson(f.quality)},
    };
    // What a verdict of good leaves to the examiner, as the wizard and `search` say it (trial 73 F1).
    if (f.quality.verdict == face::QualityVerdict::Good) out["good_means"] = face::kGoodVerdictLimit;
    if (f.marked) out["marked_by_hand"] = face::formatMarkedPoints(*f.marked);
    if (f.descriptor) out["descriptor"] = *f.descriptor;
    return out;
}

// Files from positionals and --list (one path per line; blank lines ignored).
std::optional<std::vector<std::filesystem::path>> inputFiles(const Args& args, std::string& problem) {
    std::vector<std::filesystem::path> files(args.positionals().begin(), args.positionals().end());
    if (const auto list = args.option("list")) {
        std::ifstream in(*list);
        if (!in) { problem = "cannot read the list " + *list; return std::nullopt; }
        for (std::string line; std::getline(in, line);) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (!line.empty()) files.emplace_back(line);
        }
    }
    if (files.empty()) { problem = "no input files"; return std::nullopt; }
    return files;
}

std::optional<face::FacePick> parsePick(const std::string& pick) {
    if (pick == "all") return face::FacePick::All;
    if (pick == "largest") return face::FacePick::Largest;
    if (pick == "center") return face::FacePick::Center;
    return std::nullopt;
}

// detect|embed --probe --mark POINTS FILE: the face as `search --mark` would search it, in the same JSON line.
int printMarkedFace(const face::FaceEngine& engine, const std::vector<std::filesystem::path>& files,
                    const std::string& mark, bool withDescriptor) {
    nlohmann::ordered_json line = {{"file", text::pathText(files.front())}, {"faces", nlohmann::ordered_json::array()},
                                   {"error", nullptr}};
    const auto face = [&]() -> Result<face::Face> {
        auto points = face::parseMarkedPoints(mark);
        if (!points) return points.error();
        auto image = imaging::decodeFile(files.front());
        if (!image) return image.error();
        if (const auto notes = image->notes.messages(); !notes.empty()) line["intake"] = notes;
        return engine.analyzeMarked(*image, *points);
    }();
    if (!face) {
        line["error"] = errorJson(face.error());
    } else {
        auto json = faceJson(*face);
        if (!withDescriptor) json.erase("descriptor");
        line["faces"].push_back(std::move(json));
    }
    std::cout << line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
    return face ? 0 : 1;
}

int runAnalyze(const Words& words, bool withDescriptors) {
    const std::string synopsis = std::string(withDescriptors ? "embed" : "detect") +
                                 " FILE... [--list FILE] [--pick all|largest|center] [--probe] [options]\n"
                                 "  --probe                   the probe detection of the search wizard and `search` "
                                 "(faces from 24 px,\n"
                                 "                            slower); without it, the gallery enrolment detection\n"
                                 "  --mark \"x1,y1;x2,y2[;nx,ny[;mlx,mly;mrx,mry]]\"  with --probe and one FILE: the face "
                                 "marked by hand\n"
                                 "                            (eye centres, then optionally nose tip, then both mouth "
                                 "corners), as `search --mark` uses it";
    const Args args(words, {"probe"});
    if (args.flag("help")) return help(synopsis);
    if (!args.problem().empty()) return usage(args.problem(), synopsis);
    std::string problem;
    const auto files = inputFiles(args, problem);
    const auto pick = parsePick(args.option("pick", "all"));
    if (!pick && problem.empty()) problem = "--pick must be all, largest or center";
    if (args.option("mark") && problem.empty() && !(args.flag("probe") && files && files->size() == 1))
        problem = "--mark needs --probe and exactly one image file";
    const auto config = files && pick && problem.empty() ? engineConfig(args, problem) : std::nullopt;
    if (!config) return usage(problem, synopsis);
    const auto engine = createEngine(*config);
    if (!engine) return 1;

    if (const auto mark = args.option("mark")) return printMarkedFace(*engine, *files, *mark, withDescriptors);
    const auto policy = args.flag("probe") ? face::DetectionPolicy::Probe : face::DetectionPolicy::Enrolment;
    const auto items = engine->analyzeFiles(*files, {*pick, withDescriptors, policy});
    bool anyFailed = false;
    for (const auto& item : items) {
        // A file name that is not UTF-8 (any bytes on Linux) is written escaped and reversibly, never replaced.
        nlohmann::ordered_json line = {{"file", text::pathText(item.file)}, {"faces", nlohmann::ordered_json::array()},
                                       {"error", nullptr}};
        // Damage and animation are said with the faces, never dropped (intake cases C06, C09).
        if (const auto notes = item.intake.messages(); !notes.empty()) line["intake"] = notes;
        // A picture larger than a 4K frame is scanned reduced: the smallest face looked for is said (crop for less).
        if (policy == face::DetectionPolicy::Probe && !item.pixels.empty()) {
            const double smallest = face::probeSmallestFaceIn(engine->config(), item.pixels.width, item.pixels.height);
            if (smallest > engine->config().probeSmallestFacePx) line["smallest_face_px"] = std::ceil(smallest);
        }
        if (item.faces) {
            for (const auto& f : *item.faces) line["faces"].push_back(faceJson(f));
        } else {
            anyFailed = true;
            line["error"] = errorJson(item.faces.error());
        }
        std::cout << line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
    }
    return anyFailed ? 1 : 0;
}

// The largest face of one file, or a message saying why there is none.
Result<face::Face> largestFace(const face::FaceEngine& engine, const std::string& file) {
    auto image = imaging::decodeFile(file);
    if (!image) return image.error();
    auto faces = engine.analyze(*image, {face::FacePick::Largest, true});
    if (!faces) return faces.error();
    if (faces->empty()) return makeError(ErrorCode::NoFaceFound, "No face was found in " + file + ".");
    return faces->front();
}

}  // namespace

int runDetect(const Words& words) { return runAnalyze(words, false); }

int runEmbed(const Words& words) { return runAnalyze(words, true); }

int runCompare(const Words& words) {
    const std::string synopsis = "compare A B [options]   (the largest face of each image)";
    const Args args(words, {});
    if (args.flag("help")) return help(synopsis);
    std::string problem = args.problem();
    if (problem.empty() && args.positionals().size() != 2) problem = "compare needs exactly two image files";
    const auto config = problem.empty() ? engineConfig(args, problem) : std::nullopt;
    if (!config) return usage(problem, synopsis);
    const auto engine = createEngine(*config);
    if (!engine) return 1;

    const auto a = largestFace(*engine, args.positionals()[0]);
    const auto b = largestFace(*engine, args.positionals()[1]);
    for (const auto* result : {&a, &b}) {
        if (!*result) {
            std::cerr << "facelead-cli: " << errorCodeName(result->error().code) << ": " << result->error().message << '\n';
            return 1;
        }
    }
    const double distance = face::FaceEngine::distance(*a->descriptor, *b->descriptor);
    const double threshold = engine->config().calibration.sameSubjectDistance;
    std::cout << std::fixed << std::setprecision(4) << "distance: " << distance << '\n'
              << "similarity: " << engine->similarity(distance) << '\n'
              << "calibrated threshold: " << threshold << '\n'
              << (distance < threshold ? "below the calibrated threshold: the faces are similar"
                                       : "at or above the calibrated threshold: the faces are not similar")
              << " — investigative lead only, not an identification (SOP 302.02 VI.B.1)\n";
    for (const auto* f : {&a, &b}) {
        if ((*f)->quality.verdict != face::QualityVerdict::Good)
            std::cout << "quality warning (" << face::verdictName((*f)->quality.verdict) << "): "
                      << ((*f)->quality.reasons.empty() ? "" : (*f)->quality.reasons.front()) << '\n';
    }
    return 0;
}

int runModels(const Words& words) {
    const std::string synopsis = "models check [--models DIR]";
    const Args args(words, {});
    if (args.flag("help")) return help(synopsis);
    if (!args.problem().empty() || args.positionals().size() != 1 || args.positionals()[0] != "check")
        return usage(args.problem(), synopsis);
    const std::filesystem::path dir = args.option("models", defaultModelsDir().string());
    bool allGood = true;
    for (const auto& model : face::kModelFiles) {
        if (const auto checked = face::verifyModelFile(dir, model)) {
            std::cout << "ok       " << (dir / model.fileName).string() << '\n';
        } else {
            allGood = false;
            std::cout << errorCodeName(checked.error().code) << "  " << checked.error().message << '\n';
        }
    }
    return allGood ? 0 : 1;
}

}  // namespace facelead::cli
