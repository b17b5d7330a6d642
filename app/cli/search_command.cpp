// search: a policy-checked 1:N search from the command line, through the same use case as the workstation's
// wizard (CaseService::submitSearch: gate, rules, one transaction); a refusal prints the core's message,
// citing SOP 302.02, and exits 1 with nothing stored. Results are printed as investigative leads only.

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "app/cli/Args.h"
#include "app/cli/CliCommon.h"
#include "app/cli/Commands.h"
#include "app/cli/Terminal.h"
#include "core/accounts/AccountService.h"
#include "core/accounts/Session.h"
#include "core/admin/Administration.h"
#include "core/cases/CaseService.h"
#include "core/common/Hash.h"
#include "core/common/Paths.h"
#include "core/common/Text.h"
#include "core/face/FaceEngine.h"
#include "core/face/HandMarking.h"
#include "core/face/QualityJson.h"
#include "core/gallery/Gallery.h"
#include "core/imaging/Intake.h"
#include "core/imaging/Video.h"
#include "core/reports/ReportDocument.h"
#include "core/workflow/Purposes.h"
#include "core/workflow/SearchRequest.h"
#include "core/workflow/Markings.h"

namespace facelead::cli {
namespace {

constexpr const char* kHelp =
    "usage: facelead-cli search --user NAME [--store PATH] --case NUMBER --offence TEXT --purpose CODE\n"
    "         --justification TEXT (--attest-all | --attest-personal-use --attest-unlawful --attest-harassment\n"
    "         --attest-other-violation --attest-protected-surveillance)\n"
    "         --consent consensual-encounter [--not-detained]\n"
    "         | --consent without-consent --consent-reason TEXT --consent-purpose TEXT\n"
    "         | --consent not-agency-capture --image-source TEXT\n"
    "         (--image FILE | --video FILE --frame N) [--probe FILE]... [--face N | --pick largest | --mark POINTS]\n"
    "         [--probe-mark K=POINTS]... [--probe-face K=N]... [--probe-source K=TEXT]...\n"
    "         [--top N]\n"
    "         [--acknowledge-poor-quality]\n"
    "         [--case-officer NAME] [--models DIR]\n"
    "       facelead-cli search approvals [--store PATH] --user SUPERVISOR\n"
    "       facelead-cli search approve ID [--store PATH] --user SUPERVISOR\n"
    "       facelead-cli search withdraw ID [--store PATH] --user REQUESTER\n"
    "  --offence: under a rule pack with an offence list (facelead-cli pack show ID), start with its category,\n"
    "         then the details: \"crime_of_violence: armed robbery, 12 Main St\".\n"
    "  --probe FILE: a further probe image of the SAME unknown person (another still, another frame), repeatable,\n"
    "         up to 10 probes in all (--image may be left out: the first --probe is then the first probe); one\n"
    "         candidate list for all, a person ranked by the photo nearest to any probe. --face and --pick choose\n"
    "         the face in every probe image unless --probe-face K=N chooses face N of probe K (2, 3, ...);\n"
    "         --mark marks the first. Every probe original is stored (VI.B.2).\n"
    "  --probe-source K=TEXT: where probe K came from (2, 3, ...). With --consent not-agency-capture each further\n"
    "         probe states its own (VI.B.2): --image-source is the first probe's only. Otherwise its file name.\n"
    "  --probe-mark K=POINTS: probe K (2, 3, ...: the --probe files in order) marked by hand as --mark marks the\n"
    "         first, when the detection misses its face; repeatable, once per probe. Recorded for that probe.\n"
    "  --top N: the candidate-list size in persons (one row per gallery subject, at its nearest photo), within\n"
    "         the rule pack's bounds (default: the agency's setting).\n"
    "  A purpose the rule pack holds for a second approver: the first run stores the request as waiting for\n"
    "  approval with the probe files (their SHA-256), prints its ID and exits 3 (nothing searched); a supervisor,\n"
    "  not you, runs `search approve ID`; the same search command, with the same probe files, then runs once on\n"
    "  that approval. Another probe file needs its own approval. While a request waits, its probe files are\n"
    "  searched in that case under no other purpose; its requester may withdraw it (`search withdraw ID`, audited).\n"
    "  --mark \"x1,y1;x2,y2[;nx,ny[;mlx,mly;mrx,mry]]\": the face marked by hand (issue 10), in pixels of the image:\n"
    "         the centres of both eyes, then optionally the nose tip, then optionally both mouth corners; for a face\n"
    "         the detection misses or places wrongly. Recorded as marked by hand by you.\n"
    "  --video FILE --frame N: a frame of a video (numbered from 0; `facelead-cli video best FILE` suggests some).\n"
    "         The video is stored whole as the original (the agency's size limit) and the frame as a derived image\n"
    "         whose recipe reads \"Frame N at T of video SHA-256 ...\" (SOP 302.02 VI.B.2).\n"
    "  --purpose: one authorized purpose of SOP 302.02 VI.A (code or citation):\n";

const std::string kAttestPrefix = "attest-";

// "personal_use" -> "attest-personal-use"
std::string attestFlag(std::string_view code) {
    std::string flag = kAttestPrefix + std::string(code);
    std::replace(flag.begin(), flag.end(), '_', '-');
    return flag;
}

std::string dashesToUnderscores(std::string text) {
    std::replace(text.begin(), text.end(), '-', '_');
    return text;
}

std::set<std::string> flagNames() {
    std::set<std::string> flags{"attest-all", "not-detained", "acknowledge-poor-quality", "help"};
    for (const auto& use : workflow::prohibitedUses()) flags.insert(attestFlag(use.code));
    return flags;
}

void printUsage(std::ostream& out) {
    out << kHelp;
    for (const auto& purpose : workflow::purposes())
        out << "    " << std::left << std::setw(22) << purpose.code << purpose.citation << "  " << purpose.label << '\n';
}

int usage(const std::string& problem) {
    if (!problem.empty()) std::cerr << "facelead-cli: " << problem << '\n';
    printUsage(std::cerr);
    return 2;
}

std::optional<int> parsePositive(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    try {
        std::size_t used = 0;
        const int value = std::stoi(*text, &used);
        if (used == text->size() && value > 0) return value;
    } catch (const std::exception&) {
    }
    return -1;
}

// The request as the user stated it on the command line; the core decides whether it is enough.
workflow::SearchRequest requestFromArgs(const Args& args, std::string& problem) {
    workflow::SearchRequest request;
    request.caseNumber = args.option("case", "");
    request.offence = args.option("offence", "");
    request.justification = args.option("justification", "");
    request.imageSource = args.option("image-source", "");
    if (const auto purpose = args.option("purpose")) {
        request.purpose = workflow::purposeFromCode(dashesToUnderscores(*purpose));
        if (!request.purpose) request.purpose = workflow::purposeFromCode(*purpose);
        if (!request.purpose) problem = "unknown purpose '" + *purpose + "'";
    }
    for (const auto& use : workflow::prohibitedUses()) {
        if (args.flag("attest-all") || args.flag(attestFlag(use.code))) request.attestedNotFor.insert(use.use);
    }
    if (const auto consent = args.option("consent")) {
        const auto kind = workflow::consentKindFromName(dashesToUnderscores(*consent));
        if (!kind) {
            problem = "unknown consent kind '" + *consent + "'";
        } else {
            workflow::ConsentRecord record;
            record.kind = *kind;
            record.notDetainedForCapture = args.flag("not-detained");
            record.reasonUnableToConsent = args.option("consent-reason", "");
            record.submissionPurpose = args.option("consent-purpose", "");
            request.consent = record;
        }
    }
    return request;
}

// Which detected face a probe searches: face `number` (1-based, as listed; --face N, or --probe-face K=N for further
// probe K), the largest (--pick largest), or the only one. `option` is how the user names it ("--face N").
struct FaceWanted {
    std::optional<long long> number;
    bool largest = false;
    std::string option = "--face N";
};

// The index (0-based) of the face to search.
Result<std::size_t> chooseFace(const std::vector<face::Face>& faces, const FaceWanted& wanted) {
    if (faces.empty()) return makeError(ErrorCode::NoFaceFound, "No face was found in the image.");
    if (wanted.number) {
        if (*wanted.number < 1 || static_cast<std::size_t>(*wanted.number) > faces.size()) {
            return makeError(ErrorCode::InvalidArgument, "Face " + std::to_string(*wanted.number) + " is not in this image: " +
                                                             wanted.option + " takes 1 to " + std::to_string(faces.size()) + ".");
        }
        return static_cast<std::size_t>(*wanted.number - 1);
    }
    if (wanted.largest || faces.size() == 1) {
        return static_cast<std::size_t>(
            std::max_element(faces.begin(), faces.end(), [](const face::Face& a, const face::Face& b) {
                return a.box.width() * a.box.height() < b.box.width() * b.box.height();
            }) - faces.begin());
    }
    std::string list;
    for (std::size_t i = 0; i < faces.size(); ++i) {
        const auto& box = faces[i].box;
        list += "\n  face " + std::to_string(i + 1) + ": box " + std::to_string(box.left) + "," +
                std::to_string(box.top) + "," + std::to_string(box.right) + "," + std::to_string(box.bottom) + " (" +
                std::to_string(box.width()) + "x" + std::to_string(box.height()) + " px), quality " +
                face::verdictName(faces[i].quality.verdict);
    }
    return makeError(ErrorCode::InvalidArgument,
                     "The image shows " + std::to_string(faces.size()) +
                         " faces (numbered in reading order: top to bottom, left to right); choose one with " +
                         wanted.option + " or --pick largest:" + list);
}

// The face to search with and its place among the faces shown: detected (--face N, --pick largest, the only face) or
// marked by hand (--mark), through the engine's one use case for each.
struct ProbeChoice {
    face::Face face;
    int number = 1, count = 1;
};
// `label` names the probe in what is printed ("probe", "probe 2 (file)").
Result<ProbeChoice> probeFace(const face::FaceEngine& engine, const imaging::Image& image, const FaceWanted& wanted,
                              const std::optional<face::MarkedPoints>& marked, const std::string& label) {
    if (marked) {
        auto face = engine.analyzeMarked(image, *marked);
        if (!face) return face.error();
        std::cerr << label << ": face marked by hand: " << face::describeMarkedPoints(*face->marked) << '\n';
        return ProbeChoice{std::move(*face)};
    }
    // The probe policy: every face from 24 px, in reading order, so that --face N names what the list showed.
    auto faces = engine.analyze(image, {face::FacePick::All, true, face::DetectionPolicy::Probe});
    if (!faces) return faces.error();
    auto chosenIndex = chooseFace(*faces, wanted);
    if (!chosenIndex) return chosenIndex.error();
    return ProbeChoice{(*faces)[*chosenIndex], int(*chosenIndex) + 1, int(faces->size())};
}

// Frame `index` of the video in `bytes`: the bytes that will be stored, so the face is chosen on the very frame the
// core takes from them (CaseService::takeVideoFrame).
// Names the video and its SHA-256 with the frame (trial 78 F10: neither was printed).
Result<imaging::Image> videoFrame(const std::string& file, std::span<const std::uint8_t> bytes, std::int64_t index,
                                  std::uint64_t maxBytes) {
    auto video = imaging::Video::openBytes(bytes, {maxBytes});
    if (!video) return video.error();
    auto frame = video->frameAsTaken(index);
    if (!frame) return frame.error();
    std::cerr << "probe: frame " << frame->index << " at " << imaging::timecodeText(frame->timeMs) << " of "
              << video->info().frameCount << " frames of the video " << text::pathText(std::filesystem::path(file).filename())
              << " (SHA-256 " << sha256Hex(bytes) << ")\n";
    return std::move(frame->image);
}

// Where a probe comes from: an image file, or frame N of a video (--video FILE --frame N: the first probe only).
struct ProbeSource {
    std::string file;
    std::optional<std::int64_t> frame;
};

// The probe sources: --image or --video, then every --probe, in the order given (several probes of one person).
std::vector<ProbeSource> probeSources(const Args& args, std::optional<std::int64_t> frame) {
    std::vector<ProbeSource> sources;
    if (const auto image = args.option("image")) sources.push_back({*image, std::nullopt});
    if (const auto video = args.option("video")) sources.push_back({*video, frame});
    for (const std::string& file : args.options("probe")) sources.push_back({file, std::nullopt});
    return sources;
}

// --OPTION K=VALUE, each: VALUE for further probe K (2..probeCount), by 0-based position; each probe once.
Result<std::map<std::size_t, std::string>> perFurtherProbe(const Args& args, const std::string& option, std::size_t probeCount) {
    std::map<std::size_t, std::string> values;
    for (const std::string& given : args.options(option)) {
        const auto equals = given.find('=');
        const auto number = parseWholeNumber(equals == std::string::npos ? "" : given.substr(0, equals));
        if (!number || *number < 2 || std::size_t(*number) > probeCount)
            return makeError(ErrorCode::InvalidArgument, "--" + option + " takes K=VALUE, K a further probe's number (2 to " +
                                                             std::to_string(probeCount) + "): \"" + given + "\"");
        if (!values.emplace(std::size_t(*number) - 1, given.substr(equals + 1)).second)
            return makeError(ErrorCode::InvalidArgument, "--" + option + " names probe " + std::to_string(*number) + " twice");
    }
    return values;
}

// --probe-mark K=POINTS: the points marked by hand on further probe K.
Result<std::map<std::size_t, face::MarkedPoints>> furtherMarks(const Args& args, std::size_t probeCount) {
    auto given = perFurtherProbe(args, "probe-mark", probeCount);
    if (!given) return given.error();
    std::map<std::size_t, face::MarkedPoints> marks;
    for (const auto& [position, text] : *given) {
        auto points = face::parseMarkedPoints(text);
        if (!points) return points.error();
        marks.emplace(position, *points);
    }
    return marks;
}

// --probe-face K=N: face N of further probe K (trial 40 F7: --face applies to every probe, so the face of a crowd
// frame given as probe 2 could not be chosen).
Result<std::map<std::size_t, long long>> furtherFaces(const Args& args, std::size_t probeCount) {
    auto given = perFurtherProbe(args, "probe-face", probeCount);
    if (!given) return given.error();
    std::map<std::size_t, long long> faces;
    for (const auto& [position, text] : *given) {
        const auto number = parsePositive(text);
        if (!number || *number < 1)
            return makeError(ErrorCode::InvalidArgument, "--probe-face takes K=N, N a face's number: \"" + text + "\"");
        faces.emplace(position, *number);
    }
    return faces;
}

// The probe files' bytes, read once: what the approval names and what is searched and stored are the same bytes.
// A regular file only, its size checked first: a video against the agency's limit.
Result<std::vector<std::vector<std::uint8_t>>> readProbeFiles(const std::vector<ProbeSource>& sources,
                                                              std::uint64_t maxVideoBytes) {
    std::vector<std::vector<std::uint8_t>> originals;
    for (const ProbeSource& source : sources) {
        auto bytes = imaging::readImageFile(
            source.file, source.frame ? imaging::IntakeLimits{.maxFileBytes = maxVideoBytes} : imaging::IntakeLimits{});
        if (!bytes) return bytes.error();
        originals.push_back(std::move(*bytes));
    }
    return originals;
}

// A probe's face chosen in its original and described.
Result<cases::ProbeFace> loadProbe(const face::FaceEngine& engine, const ProbeSource& source,
                                   std::span<const std::uint8_t> bytes, std::uint64_t maxVideoBytes, const FaceWanted& wanted,
                                   const std::optional<face::MarkedPoints>& marked, const std::string& label) {
    auto image = source.frame ? videoFrame(source.file, bytes, *source.frame, maxVideoBytes) : imaging::decodeBytes(bytes);
    if (!image) return image.error();
    // Damage and animation are said before anything is searched (issue 10: never searched in silence).
    for (const auto& note : image->notes.messages()) std::cerr << label << ": " << note << '\n';
    auto choice = probeFace(engine, *image, wanted, marked, label);
    if (!choice) return choice.error();
    const face::Face& chosen = choice->face;
    if (!chosen.descriptor) return makeError(ErrorCode::EngineFailure, "The chosen face has no descriptor.");
    std::cerr << label << " quality: " << face::qualityText(chosen.quality) << '\n';
    return cases::ProbeFace{chosen.box, *chosen.descriptor, chosen.quality, choice->number, choice->count, chosen.marked};
}

void printCandidates(const cases::SearchRecord& search) {
    std::cout << workflow::kLeadOnlyDisclaimer << "\n\n";
    std::cout << "search " << search.id << " (request " << search.requestId << ", image " << search.imageId << "), "
              << text::counted(search.candidates.size(), "candidate", "candidates") << " from a gallery of "
              << text::counted(std::size_t(search.gallerySize), "face", "faces") << '\n';
    if (!search.furtherProbes.empty()) {
        std::cout << "searched together: " << search.furtherProbes.size() + 1 << " probes of one person, images "
                  << search.imageId;
        for (const auto& probe : search.furtherProbes) std::cout << ", " << probe.imageId;
        std::cout << "; column \"probe\": the one nearest to the candidate's photo\n";
    }
    if (search.handMarking) std::cout << cases::handMarkingText(*search.handMarking) << '\n';
    for (const auto& probe : search.furtherProbes)
        if (probe.handMarking)
            std::cout << "probe " << probe.position + 1 << ": " << cases::handMarkingText(*probe.handMarking) << '\n';
    if (search.foundTurnedDegrees) std::cout << face::foundTurnedText(search.foundTurnedDegrees) << ".\n";
    std::cout << std::left << std::setw(6) << "rank" << std::setw(11) << "candidate" << std::setw(30) << "gallery subject"
              << std::setw(10) << "distance" << (search.furtherProbes.empty() ? "score\n" : "score  probe\n");
    for (const auto& candidate : search.candidates) {
        char numbers[48] = "-         -";  // withheld until this user's blind examination (issue 11 item 1)
        if (!candidate.rankHidden)
            std::snprintf(numbers, sizeof numbers, "%-10.4f%s", candidate.distance,
                          cases::similarityText(candidate, 3).c_str());
        std::cout << std::left << std::setw(6) << (candidate.rankHidden ? "-" : std::to_string(candidate.rank))
                  << std::setw(11) << candidate.id
                  << tableCell(candidate.subjectName + " (" + std::to_string(candidate.subjectId) + ")", 29) << ' '
                  << numbers;
        if (!search.furtherProbes.empty()) std::cout << "  " << candidate.probe + 1;
        std::cout << '\n';
    }
    if (std::any_of(search.candidates.begin(), search.candidates.end(), [](const auto& c) { return c.rankHidden; }))
        std::cout << "\nRank, distance and score: " << cases::kHiddenUntilExamined
                  << " (facelead-cli lead examine CANDIDATE, for each candidate of the list).\n";
    std::cout << '\n' << workflow::kLeadOnlyDisclaimer << '\n';
}

constexpr int kWaitingForApproval = 3;

void printApproval(const cases::SearchApproval& approval) {
    const auto& purpose = workflow::purposeInfo(approval.purpose);
    std::cout << "approval " << approval.id << ": case " << approval.caseNumber << ", " << purpose.citation << " ("
              << purpose.label << "), offence \"" << approval.offence << "\", asked by "
              << approval.requestedBy.displayName << " at " << approval.requestedAt << " under " << approval.pack;
    if (approval.approvedBy)
        std::cout << "; approved by " << approval.approvedBy->displayName << " at " << approval.approvedAt;
    std::cout << "\n  justification: " << approval.justification << '\n';
    // What will be searched: the supervisor approves these originals, no other (trial 19B HIGH-2).
    for (std::size_t i = 0; i < approval.probes.size(); ++i) {
        const auto& probe = approval.probes[i];
        std::cout << "  probe " << i + 1 << ": " << (probe.fileName.empty() ? "(no file name)" : probe.fileName);
        if (probe.videoFrame) std::cout << ", frame " << *probe.videoFrame;
        std::cout << ", SHA-256 " << probe.sha256 << '\n';
    }
}

int waitingForApproval(const cases::SearchApproval& approval, const workflow::PolicySettings& settings) {
    std::cout << "NOT RUN: the agency's rule pack (" << settings.pack.name()
              << ") asks a supervisor to approve this search before it runs (" << settings.pack.approvalCitation
              << ").\n";
    printApproval(approval);
    std::cout << "Waiting for approval. A supervisor (not you) approves it with:\n"
              << "  facelead-cli search approve " << approval.id << " --user SUPERVISOR\n"
              << "then run this same search command again.\n";
    return kWaitingForApproval;
}

// search approvals | search approve ID: the second approver's side (supervisors); search withdraw ID: the requester's.
int approvalCommand(const Args& args) {
    const auto& words = args.positionals();
    const bool listing = words[0] == "approvals";
    if (words.size() != (listing ? 1u : 2u)) return usage(listing ? "" : "search " + words[0] + " needs the approval's ID");
    const int id = listing ? 0 : parsePositive(words[1]).value_or(-1);
    if (id < 0) return usage("the approval's ID must be a positive number");
    auto session = signIn(args);
    if (!session) return 1;
    auto agency = admin::loadSettings(session->store());
    if (!agency) return fail(agency.error());
    cases::CaseService service(*session, admin::policySettings(*agency));
    if (words[0] == "withdraw") {
        auto withdrawn = service.withdrawApprovalRequest(id);
        if (!withdrawn) return fail(withdrawn.error());
        std::cout << "Withdrawn and audited: no supervisor can approve it now, and its probes may be searched again.\n";
        printApproval(*withdrawn);
        return 0;
    }
    if (words[0] == "approve") {
        auto approved = service.approveSearch(id);
        if (!approved) return fail(approved.error());
        std::cout << "Approved and audited; the requester may now run the search once.\n";
        printApproval(*approved);
        return 0;
    }
    auto waiting = service.approvalsAwaitingMe();
    if (!waiting) return fail(waiting.error());
    if (waiting->empty()) std::cout << "No search is waiting for your approval.\n";
    for (const auto& approval : *waiting) printApproval(approval);
    return 0;
}

}  // namespace

int runSearch(const Words& words) {
    const Args args(words, flagNames());
    if (args.flag("help")) {
        printUsage(std::cout);
        return 0;
    }
    if (!args.problem().empty()) return usage(args.problem());
    if (!args.positionals().empty() && (args.positionals()[0] == "approve" || args.positionals()[0] == "approvals" ||
                                         args.positionals()[0] == "withdraw"))
        return approvalCommand(args);
    if (!args.positionals().empty()) return usage("unexpected '" + args.positionals().front() + "'");
    std::string problem;
    const workflow::SearchRequest request = requestFromArgs(args, problem);
    if (!problem.empty()) return usage(problem);
    const auto imageFile = args.option("image");
    const auto videoFile = args.option("video");
    if (imageFile.has_value() == videoFile.has_value()) return usage("give --image FILE or --video FILE --frame N");
    const auto frameIndex = parseWholeNumber(args.option("frame", ""));
    if (videoFile.has_value() != frameIndex.has_value())
        return usage(videoFile ? "--video needs --frame N (0 or more)" : "--frame goes with --video");
    const auto sources = probeSources(args, frameIndex);
    const auto top = parsePositive(args.option("top"));
    if (top && *top < 0) return usage("--top must be a positive number");
    std::optional<face::MarkedPoints> marked;
    if (const auto mark = args.option("mark")) {
        if (args.option("face") || args.option("pick")) return usage("--mark names the face itself: not with --face or --pick");
        auto parsed = face::parseMarkedPoints(*mark);
        if (!parsed) return usage(parsed.error().message);
        marked = *parsed;
    }
    const auto furtherMarked = furtherMarks(args, sources.size());
    if (!furtherMarked) return usage(furtherMarked.error().message);
    const auto furtherChosen = furtherFaces(args, sources.size());
    if (!furtherChosen) return usage(furtherChosen.error().message);
    const auto furtherSourced = perFurtherProbe(args, "probe-source", sources.size());
    if (!furtherSourced) return usage(furtherSourced.error().message);
    for (const auto& [position, number] : *furtherChosen)
        if (furtherMarked->contains(position))
            return usage("--probe-mark names probe " + std::to_string(position + 1) + "'s face itself: not with --probe-face");

    const auto config = engineConfig(args, problem);
    if (!config) return usage(problem);

    auto session = signIn(args);
    if (!session) return 1;
    auto agency = admin::loadSettings(session->store());
    if (!agency) return fail(agency.error());
    cases::CaseService service(*session, admin::policySettings(*agency));
    // The gate and the request's rules with the agency's settings, asked before any slow work; a refusal is
    // audited under the signed-in name (SOP 302.02 VI.C.2 audits attempts too). The use case asks again.
    if (auto gate = service.checkSearchGate(request); !gate) return fail(gate.error());
    auto originals = readProbeFiles(sources, service.settings().maxVideoBytes);
    if (!originals) return fail(originals.error());

    cases::SearchSubmission submission;
    submission.request = request;
    if (const auto officerName = args.option("case-officer")) {
        auto officer = accounts::AccountService(*session).findByUsername(*officerName);
        if (!officer) return fail(officer.error());
        submission.newCaseOfficerId = officer->id;
    }
    const auto fileNameOf = [](const ProbeSource& source) {
        return text::pathText(std::filesystem::path(source.file).filename());
    };
    // A source stated for the first probe is not taken for the others (trial 40 F6): a further probe without its own
    // is refused by the core when the request needs one.
    const auto furtherSourceOf = [&](std::size_t position) {
        if (const auto given = furtherSourced->find(position); given != furtherSourced->end()) return given->second;
        return request.imageSource.empty() ? fileNameOf(sources[position]) : std::string();
    };
    submission.originalBytes = originals->front();
    submission.fileName = fileNameOf(sources.front());
    submission.videoFrame = frameIndex;
    submission.imageSource = request.imageSource.empty() ? fileNameOf(sources.front()) : request.imageSource;
    for (std::size_t i = 1; i < sources.size(); ++i)
        submission.furtherProbes.push_back({.originalBytes = (*originals)[i],
                                            .imageSource = furtherSourceOf(i),
                                            .probe = {},
                                            .fileName = fileNameOf(sources[i])});
    auto engine = face::FaceEngine::create(*config);
    if (!engine) return fail(engine.error());
    for (std::size_t i = 0; i < sources.size(); ++i) {
        const std::string label =
            sources.size() == 1 ? "probe" : "probe " + std::to_string(i + 1) + " (" + sources[i].file + ")";
        const auto further = furtherMarked->find(i);
        FaceWanted wanted{parsePositive(args.option("face")), args.option("pick", "") == "largest"};
        if (i > 0) wanted.option = "--probe-face " + std::to_string(i + 1) + "=N";
        if (const auto chosen = furtherChosen->find(i); chosen != furtherChosen->end()) wanted.number = chosen->second;
        auto probe = loadProbe(**engine, sources[i], (*originals)[i], service.settings().maxVideoBytes, wanted,
                               i == 0                            ? marked
                               : further != furtherMarked->end() ? std::optional(further->second)
                                                                 : std::nullopt,
                               label);
        if (!probe) {
            if (sources.size() > 1) std::cerr << label << ":\n";
            return fail(probe.error());
        }
        (i == 0 ? submission.probe : submission.furtherProbes[i - 1].probe) = std::move(*probe);
    }
    // After the face analysis: the supervisor approves these probe originals (SHA-256 and file names printed), and the
    // request holds the person's pictures by their templates while it waits (trial 49 F2), as the wizard's does.
    if (service.settings().pack.needsApproval(*request.purpose)) {  // the gate has checked there is a purpose
        auto approval = service.requestApproval(submission);
        if (!approval) return fail(approval.error());
        // Approved as the table reads: nothing said until the search holds it to the supervisor's signed approval (trial
        // 51 F5: "approved by Sue" printed for an approval written into the table, then refused).
        if (!approval->approved()) return waitingForApproval(*approval, service.settings());
    }
    std::vector<face::Descriptor> descriptors{submission.probe.descriptor};
    for (const cases::FurtherProbe& further : submission.furtherProbes) descriptors.push_back(further.probe.descriptor);
    if (const auto unlike = cases::probesUnlikeTheFirst(descriptors, (*engine)->config().calibration.sameSubjectDistance); !unlike.empty())
        std::cerr << "WARNING: " << unlike << '\n';
    submission.options.candidateLimit = top.value_or(0);
    submission.options.poorQualityAcknowledged = args.flag("acknowledge-poor-quality");

    gallery::Gallery gallery;
    if (auto loaded = gallery.load(session->store()); !loaded) return fail(loaded.error());
    const face::FaceEngine& faceEngine = **engine;
    auto search = service.submitSearch(
        submission, {gallery.index(), [&](double distance) { return faceEngine.similarity(distance); }});
    if (!search) return fail(search.error());
    printCandidates(*search);
    return 0;
}

}  // namespace facelead::cli
