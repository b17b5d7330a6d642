// gallery enroll / list / duplicates / remove: the gallery of identified persons from the command line.
// Names and paths are printed through text::forTerminal: what a file or a manifest says cannot steer the terminal.
// The password is read from the terminal (or one line of stdin), never from the arguments.

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <mutex>

#include "app/cli/Args.h"
#include "app/cli/CliCommon.h"
#include "app/cli/Commands.h"
#include "app/cli/Terminal.h"
#include "core/accounts/Session.h"
#include "core/common/Paths.h"
#include "core/common/Text.h"
#include "core/face/FaceEngine.h"
#include "core/gallery/Duplicates.h"
#include "core/gallery/Gallery.h"
#include "core/gallery/GalleryService.h"

namespace facelead::cli {
namespace {

constexpr const char* kSynopsis =
    "gallery enroll FOLDER|LIST.csv --user NAME [--store PATH] [--threads N] [--models DIR] [--source TEXT]\n"
    "                               [--largest] [--allow-outside-paths]\n"
    "       facelead-cli gallery list --user NAME [--store PATH] [--faces]\n"
    "       facelead-cli gallery duplicates --user NAME [--store PATH] [--threshold D] [--threads N]\n"
    "       facelead-cli gallery remove SUBJECT_ID --reason TEXT --user NAME [--store PATH]\n"
    "\n"
    "  FOLDER       one sub-folder per person (the folder name is the name), or images named after the\n"
    "               person (John_Smith_0003.jpg -> \"John Smith\")\n"
    "  LIST.csv     header row path,name,date_of_birth,source,record_id (path and name required); UTF-8 or\n"
    "               UTF-16; paths inside the list's folder unless --allow-outside-paths\n"
    "  --source     where the identities come from (folder input; the CSV has its own column)\n"
    "  --largest    for an image with several faces, enrol the largest (default: report and skip it)\n"
    "  --threads N  face engine workers / comparison threads (default: all cores)\n"
    "  duplicates   faces of DIFFERENT subjects within the threshold (default: the calibrated 0.56) and the\n"
    "               same image under several identities, for review (SOP VI.A.5 DL/ID fraud check)\n"
    "  remove       takes a wrongly enrolled subject (its id from `gallery list`) out of the gallery: it is\n"
    "               no candidate again; past searches still show it; the reason is kept in the audit log\n"
    "  The password is asked for on the terminal, or read as one line from standard input.\n"
    "  Press Ctrl-C to stop an enrolment: images already written stay, nothing is half-written.";

int usage(const std::string& problem) {
    if (!problem.empty()) std::cerr << "facelead-cli: " << problem << '\n';
    std::cerr << "usage: facelead-cli " << kSynopsis << '\n';
    return 2;
}

std::atomic<bool> gCancelRequested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");
extern "C" void requestCancel(int) { gCancelRequested.store(true); }

constexpr const char* kUserRequired = "--user is required: the gallery is used under your personal account";

int runEnroll(const Args& args) {
    if (args.positionals().size() != 2) return usage("give one folder or one CSV list to enrol");
    if (!args.option("user")) return usage(kUserRequired);
    const std::filesystem::path input = args.positionals()[1];
    std::string problem;
    const auto config = engineConfig(args, problem);
    if (!config) return usage(problem);

    auto items = std::filesystem::is_directory(input)
                     ? gallery::itemsFromFolder(input)
                     : gallery::itemsFromCsv(input, {.allowOutsidePaths = args.flag("allow-outside-paths")});
    if (!items) return fail(items.error());
    if (const auto source = args.option("source"); source && std::filesystem::is_directory(input))
        if (auto named = gallery::setSource(*items, *source); !named) return fail(named.error());
    if (items->empty()) {
        std::cerr << "facelead-cli: " << text::forTerminal(text::pathText(input)) << " lists no images\n";
        return 1;
    }

    auto session = signIn(args);
    if (!session) return 1;
    auto engine = face::FaceEngine::create(*config);
    if (!engine) return fail(engine.error());

    std::mutex progressMutex;
    gallery::EnrolOptions options;
    options.enrolLargestOfSeveral = args.flag("largest");
    options.cancel = &gCancelRequested;
    options.progress = [&](std::size_t done, std::size_t total) {
        const std::lock_guard lock(progressMutex);
        std::cerr << "\renrolling: " << done << '/' << total << " images analysed" << std::flush;
    };
    std::signal(SIGINT, requestCancel);
    gallery::Gallery gallery;
    const auto report = gallery::GalleryService(*session, gallery).enrol(**engine, *items, options);
    std::signal(SIGINT, SIG_DFL);
    std::cerr << '\n';
    if (!report) return fail(report.error());

    for (const auto& file : report->files) {
        std::cout << std::left << std::setw(14) << gallery::outcomeName(file.outcome) << ' '
                  << text::forTerminal(text::pathText(file.file));
        if (file.outcome == gallery::EnrolOutcome::Enrolled)
            std::cout << "  subject " << *file.subjectId << ", face " << *file.faceId
                      << (file.message.empty() ? "" : "  ") << text::forTerminal(file.message);
        else
            std::cout << "  (" << text::counted(file.facesFound, "face", "faces") << ") " << text::forTerminal(file.message);
        std::cout << '\n';
    }
    const std::size_t enrolled = report->count(gallery::EnrolOutcome::Enrolled);
    std::cerr << enrolled << " of " << text::counted(report->files.size(), "image", "images") << " enrolled; "
              << report->count(gallery::EnrolOutcome::NoFace) << " without a face, "
              << report->count(gallery::EnrolOutcome::SeveralFaces) << " with several faces, "
              << report->count(gallery::EnrolOutcome::Damaged) << " damaged, "
              << report->count(gallery::EnrolOutcome::Duplicate) << " duplicates, "
              << report->count(gallery::EnrolOutcome::Failed) << " failed"
              << (report->cancelled ? ", the rest cancelled" : "") << ".\n";
    return enrolled == report->files.size() ? 0 : 1;
}

int runList(const Args& args) {
    if (!args.option("user")) return usage(kUserRequired);
    auto session = signIn(args);
    if (!session) return 1;
    gallery::Gallery gallery;
    gallery::GalleryService service(*session, gallery);
    const auto subjects = service.listSubjects();  // checked and audited by the core
    if (!subjects) return fail(subjects.error());
    for (const auto& subject : *subjects) {
        std::cout << "subject " << subject.id << "  " << text::forTerminal(subject.fields.name);
        if (subject.fields.dateOfBirth) std::cout << "  born " << text::forTerminal(*subject.fields.dateOfBirth);
        if (subject.fields.recordId) std::cout << "  record " << text::forTerminal(*subject.fields.recordId);
        if (!subject.fields.source.empty()) std::cout << "  source " << text::forTerminal(subject.fields.source);
        std::cout << "  faces " << subject.faceCount << "  enrolled " << subject.createdAt << '\n';
        if (!args.flag("faces")) continue;
        const auto faces = service.listFaces(subject.id);
        if (!faces) return fail(faces.error());
        for (const auto& face : *faces)
            std::cout << "    face " << face.id << "  " << text::forTerminal(face.sourcePath) << "  sha256 "
                      << face.imageSha256 << '\n';
    }
    std::cerr << text::counted(subjects->size(), "subject", "subjects") << " in the gallery.\n";
    return 0;
}

std::string described(const gallery::DuplicateFace& face) {
    return "subject " + std::to_string(face.subjectId) + " \"" + text::forTerminal(face.subjectName) + "\" face " +
           std::to_string(face.faceId) + " (" + text::forTerminal(face.sourcePath) + ")";
}

// How a refused image matched the enrolled one.
std::string conflictKind(const gallery::EnrolmentConflict& conflict) {
    if (!conflict.descriptorDistance) return "the same image";
    return "nearly the same face (distance " + text::decimal(*conflict.descriptorDistance, 3) + ", other bytes)";
}

int runDuplicates(const Args& args) {
    if (!args.option("user")) return usage(kUserRequired);
    gallery::DuplicatesOptions options;
    if (const auto threshold = args.option("threshold")) {
        char* end = nullptr;
        options.threshold = std::strtof(threshold->c_str(), &end);
        if (end == threshold->c_str() || *end != '\0') return usage("--threshold takes a distance such as 0.5");
    }
    if (const auto threads = args.option("threads")) options.threads = static_cast<unsigned>(std::atoi(threads->c_str()));
    auto session = signIn(args);
    if (!session) return 1;
    options.cancel = &gCancelRequested;
    std::signal(SIGINT, requestCancel);
    const auto report = gallery::findDuplicates(*session, options);
    std::signal(SIGINT, SIG_DFL);
    if (!report) return fail(report.error());
    for (const auto& pair : report->similarFaces)
        std::cout << "similar     distance " << std::fixed << std::setprecision(3) << pair.distance << "  "
                  << described(pair.a) << "  ~  " << described(pair.b) << '\n';
    for (const auto& image : report->sameImages) {
        std::cout << "same-image  sha256 " << image.imageSha256 << '\n';
        for (const auto& face : image.faces) std::cout << "              " << described(face) << '\n';
    }
    for (const auto& conflict : report->enrolmentConflicts)
        std::cout << "refused     " << conflict.at << " by " << text::forTerminal(conflict.enrolledBy) << ": "
                  << text::forTerminal(conflict.sourcePath) << " as \"" << text::forTerminal(conflict.offeredName)
                  << "\", " << conflictKind(conflict) << " as  " << described(conflict.enrolled) << '\n';
    std::cerr << text::counted(report->facesCompared, "face", "faces") << " compared at distance <= " << report->threshold << ": "
              << text::counted(report->similarFaces.size(), "pair", "pairs") << " of different subjects"
              << (report->similarTruncated ? " (the nearest only; more exist)" : "") << ", "
              << text::counted(report->sameImages.size(), "image", "images") << " under several identities, "
              << text::counted(report->enrolmentConflicts.size(), "image", "images")
              << " refused at enrolment as another identity's"
              << (report->cancelled ? "; cancelled before the end" : "")
              << ". Each is a lead to review, not a finding.\n";
    return report->cancelled ? 1 : 0;
}

int runRemove(const Args& args) {
    if (args.positionals().size() != 2) return usage("give the id of one subject to remove (see gallery list)");
    if (!args.option("user")) return usage(kUserRequired);
    const std::string& idText = args.positionals()[1];
    char* end = nullptr;
    const long long subjectId = std::strtoll(idText.c_str(), &end, 10);
    if (idText.empty() || *end != '\0' || subjectId <= 0) return usage("SUBJECT_ID is a number, as in gallery list");
    const auto reason = args.option("reason");
    if (!reason) return usage("--reason TEXT is required: why the subject was enrolled wrongly (kept in the audit log)");
    auto session = signIn(args);
    if (!session) return 1;
    gallery::Gallery gallery;
    const auto removed = gallery::GalleryService(*session, gallery).removeSubject(subjectId, *reason);
    if (!removed) return fail(removed.error());
    std::cout << "removed subject " << removed->subjectId << "  " << text::forTerminal(removed->name) << "  faces "
              << removed->faceCount << "  at " << removed->removedAt << '\n';
    return 0;
}

}  // namespace

int runGallery(const Words& words) {
    const Args args(words, {"largest", "faces", "allow-outside-paths"});
    if (args.flag("help")) {
        std::cout << "usage: facelead-cli " << kSynopsis << '\n';
        return 0;
    }
    if (!args.problem().empty()) return usage(args.problem());
    if (args.positionals().empty()) return usage("");
    const std::string& action = args.positionals()[0];
    if (action == "enroll" || action == "enrol") return runEnroll(args);
    if (action == "list") return args.positionals().size() == 1 ? runList(args) : usage("list takes no arguments");
    if (action == "duplicates")
        return args.positionals().size() == 1 ? runDuplicates(args) : usage("duplicates takes no arguments");
    if (action == "remove") return runRemove(args);
    return usage("unknown gallery action '" + action + "'");
}

}  // namespace facelead::cli
