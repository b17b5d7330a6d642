// video info|best|frame: video probes from the command line (issue 10 item 5). Nothing here touches the store:
// the video is read, never written (SOP 302.02 VI.B.2), up to the largest limit an agency may set
// (imaging::VideoLimits::kCeilingBytes); `search --video FILE --frame N` stores it under the agency's own limit and
// searches from the frame.
// Each prints one JSON object; errors name their code, as `detect` does.

#include <unistd.h>

#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli/Args.h"
#include "app/cli/CliCommon.h"
#include "app/cli/Commands.h"
#include "core/common/Hash.h"
#include "core/common/PrivateFile.h"
#include "core/common/Text.h"
#include "core/face/BestFrames.h"
#include "core/imaging/Enhancement.h"
#include "core/imaging/Intake.h"
#include "core/imaging/Video.h"

namespace facelead::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kUsage =
    "usage: facelead-cli video info FILE [--no-scan]\n"
    "       facelead-cli video best FILE [--samples N] [--models DIR] [--threads N]\n"
    "       facelead-cli video frame FILE --frame N --out FILE.png\n"
    "  Frames are numbered from 0; the timecode of frame N is N / frames per second.\n"
    "  info: what the container declares, and \"damage\": the checks made at opening (the last frames and four\n"
    "        between decode) and, unless --no-scan, a read of every frame (\"scan\": the stretches of frames the\n"
    "        decoder rebuilt from damaged data or could not give; as long as decoding the whole video).\n"
    "  best: the probe detection and quality of the search wizard on N evenly spaced frames (default 12, at most\n"
    "        60), faces ranked best first (quality verdict, then eye distance, then sharpness).\n"
    "  frame: the frame as a PNG with its recipe (\"Frame N at T of video SHA-256 ...\") on standard output, and\n"
    "         \"damage\" when the decoder met damaged data on the way to it (also warned on standard error).\n"
    "  The video file is never written. These commands store nothing: they read videos up to 900 MB; the agency's\n"
    "  own limit applies when a video is stored (search --video).\n";

int usage(const std::string& problem) {
    if (!problem.empty()) std::cerr << "facelead-cli: " << problem << '\n';
    std::cerr << kUsage;
    return 2;
}

// Progress for a person at a terminal ("read 50 of 750 frames", rewritten in place); a log gets none of it (trial
// 76 F10: one line of carriage returns).
const bool kProgressShown = ::isatty(STDERR_FILENO) == 1;
void showProgress(const char* verb, std::int64_t done, std::int64_t total) {
    if (kProgressShown) std::cerr << '\r' << verb << ' ' << done << " of " << total << " frames" << std::flush;
}
void endProgress() {
    if (kProgressShown) std::cerr << '\n';
}

void print(const Json& json) { std::cout << json.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n'; }

Json infoJson(const imaging::VideoInfo& info) {
    return {{"format", info.format},          {"file_bytes", info.fileBytes}, {"width", info.width},
            {"height", info.height},          {"frames", info.frameCount},    {"fps", info.fps},
            {"duration_ms", info.durationMs}, {"duration", imaging::timecodeText(info.durationMs)},
            {"damage", info.damage ? Json(*info.damage) : Json(nullptr)},
            {"damage_checked", imaging::kDamageCheckedBy}};
}

Json scanJson(const imaging::DamageScan& scan, const imaging::Video& video) {
    Json stretches = Json::array();
    for (const auto& s : scan.stretches)
        stretches.push_back({{"first", s.first},
                             {"last", s.last},
                             {"from", imaging::timecodeText(video.timeMsOf(s.first))},
                             {"to", imaging::timecodeText(video.timeMsOf(s.last))},
                             {"kind", s.kind == imaging::DamageKind::Lost ? "lost" : "rebuilt from damaged data"}});
    return {{"frames_read", scan.framesRead},
            {"damaged", std::move(stretches)},
            {"frames_lost", scan.lostFrames()},
            {"declared_frames_never_came", scan.endsEarlyBy}};
}

// A video damaged in the middle opens without complaint when its end and the four frames looked at decode (trials 73
// F8, 75 F2: "damage": null): the whole video is read, unless the user asks for the quick look.
int info(imaging::Video& video, const Args& args) {
    Json json = infoJson(video.info());
    if (args.flag("no-scan")) {
        json["scan"] = nullptr;
        json["damage_checked"] = imaging::kQuickLookChecked;
        print(json);
        return 0;
    }
    auto scan = video.scanForDamage([](std::int64_t done, std::int64_t total) {
        showProgress("read", done, total);
        return true;
    });
    endProgress();
    if (!scan) return fail(scan.error());
    if (scan->summary) {
        const auto& opened = video.info().damage;
        json["damage"] = opened ? *opened + "; " + *scan->summary : *scan->summary;
    }
    json["scan"] = scanJson(*scan, video);
    print(json);
    return 0;
}

int best(imaging::Video& video, const Args& args) {
    face::BestFrameOptions options;
    if (const auto samples = args.option("samples")) {
        const auto parsed = parseWholeNumber(*samples, 1);
        if (!parsed || *parsed > face::BestFrameOptions::kMaxSamples)
            return usage("--samples must be 1 to " + std::to_string(face::BestFrameOptions::kMaxSamples));
        options.samples = static_cast<int>(*parsed);
    }
    std::string problem;
    const auto config = engineConfig(args, problem);
    if (!config) return usage(problem);
    auto engine = face::FaceEngine::create(*config);
    if (!engine) return fail(engine.error());
    auto found = face::suggestBestFrames(**engine, video, options, [](std::size_t done, std::size_t total) {
        showProgress("sampled", static_cast<std::int64_t>(done), static_cast<std::int64_t>(total));
    });
    endProgress();
    if (!found) return fail(found.error());
    Json suggestions = Json::array();
    for (const auto& s : found->suggestions)
        suggestions.push_back({{"frame", s.frame},
                               {"time_ms", s.timeMs},
                               {"timecode", imaging::timecodeText(s.timeMs)},
                               {"box", {s.box.left, s.box.top, s.box.right, s.box.bottom}},
                               {"verdict", face::verdictName(s.quality.verdict)},
                               {"inter_ocular_px", s.quality.interOcularPx},
                               {"sharpness", s.quality.sharpness},
                               {"reasons", s.quality.reasons}});
    print({{"video", infoJson(video.info())},
           {"sampled", found->sampled},
           {"unreadable", found->unreadable},
           {"suggestions", std::move(suggestions)}});
    return 0;
}

int frame(imaging::Video& video, const std::filesystem::path& file, const Args& args) {
    const auto index = parseWholeNumber(args.option("frame", ""));
    const auto out = args.option("out");
    if (!index || !out) return usage("video frame needs --frame N (0 or more) and --out FILE.png");
    auto taken = video.frameAsTaken(*index);
    if (!taken) return fail(taken.error());
    auto png = imaging::encodePng(taken->image.rgb);
    if (!png) return fail(png.error());
    auto sha256 = sha256FileHex(file);
    if (!sha256) return fail(sha256.error());
    // Owner-only, as every file FaceLead writes for a person (issue 8 item 5): a frame of case evidence.
    if (auto written = writePrivateFile(*out, {reinterpret_cast<const char*>(png->data()), png->size()}); !written)
        return fail(written.error());
    imaging::Recipe recipe;
    recipe.videoFrame = imaging::VideoFrameSource{taken->index, taken->timeMs, *sha256};
    const auto& damage = taken->image.notes.damage;
    // The PNG keeps no note of its own: searched as a still, a frame rebuilt from damaged data was a "good" probe
    // (trial 72 F2). Said here, where the frame leaves the video; search --video keeps the note with the frame.
    if (damage)
        std::cerr << "facelead-cli: WARNING: frame " << taken->index << " may not show what the camera recorded: "
                  << *damage << " The PNG carries no such mark: search the frame with search --video FILE --frame "
                  << taken->index << ", which keeps it.\n";
    print({{"frame", taken->index},
           {"time_ms", taken->timeMs},
           {"out", *out},
           {"damage", damage ? Json(*damage) : Json(nullptr)},
           {"damage_checked", imaging::kDamageCheckedBy},
           {"recipe", imaging::describeRecipe(recipe)},
           {"recipe_json", Json::parse(imaging::toJson(recipe))}});
    return 0;
}

}  // namespace

int runVideo(const Words& words) {
    const Args args(words, {"no-scan"});
    if (args.flag("help")) {
        std::cout << kUsage;
        return 0;
    }
    if (!args.problem().empty()) return usage(args.problem());
    const auto& positionals = args.positionals();
    if (positionals.size() != 2) return usage("video needs a subcommand and one FILE");
    const std::string& command = positionals[0];
    if (command != "info" && command != "best" && command != "frame") return usage("unknown video command '" + command + "'");
    const std::filesystem::path file = positionals[1];
    auto video = imaging::Video::open(file, {imaging::VideoLimits::kCeilingBytes});
    if (!video) return fail(video.error());
    if (command == "info") return info(*video, args);
    if (command == "best") return best(*video, args);
    return frame(*video, file, args);
}

}  // namespace facelead::cli
