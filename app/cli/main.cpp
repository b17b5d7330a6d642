// facelead-cli: the scriptable face engine, store administration and search.

#include <iostream>
#include <string>

#include "app/cli/Commands.h"
#include "app/Bootstrap.h"

namespace {

struct Command {
    const char* name;
    int (*run)(const facelead::cli::Words&);
    const char* summary;
};

constexpr Command kCommands[] = {
    {"detect", facelead::cli::runDetect, "detect FILE...             faces, boxes, landmarks and quality"},
    {"embed", facelead::cli::runEmbed, "embed FILE...|--list F     one JSON line per file with descriptors"},
    {"compare", facelead::cli::runCompare, "compare A B                distance and similarity of two faces"},
    {"models", facelead::cli::runModels, "models check               verify the model files"},
    {"store", facelead::cli::runStore, "store init|check|recover|reaffirm  create, check or recover an encrypted case store"},
    {"user", facelead::cli::runUser, "user add|approve|approve-key|passwd|list|roles|approve-roles|suspend|reactivate|deactivate|"
                                  "reset-second-factor|restore-table  accounts, their keys and roles"},
    {"audit", facelead::cli::runAudit, "audit verify|export|acknowledge-anchors  check or export the audit chain; answer for anchored heads"},
    {"gallery", facelead::cli::runGallery, "gallery enroll|list|duplicates|remove  the gallery of identified persons"},
    {"video", facelead::cli::runVideo, "video info|best|frame FILE  a video probe: its frames, timecodes, best faces"},
    {"search", facelead::cli::runSearch, "search ...|approvals|approve ID|withdraw ID  a policy-checked 1:N search; a second approver"},
    {"training", facelead::cli::runTraining, "training quiz|record       take the quiz; a trainer signs it off"},
    {"lead", facelead::cli::runLead, "lead queue|pair|examine|verify|mark|exclude|follow-up|review|resolve|show  a candidate after the "
                                  "search"},
    {"pack", facelead::cli::runPack, "pack list|show|check|active|use  the agency's rule pack (offences, approvals, report)"},
    {"report", facelead::cli::runReport, "report statutory|retention  the annual report the rule pack asks for (JSON, PDF); retention decisions"},
#ifdef FACELEAD_CLI_PRINTS_PDF
    {"case", facelead::cli::runCase, "case disclose|restore-rows  the disclosure packet (JSON + PDF) for discovery; case rows put back"},
#endif
};

void printUsage() {
    std::cerr << "usage: facelead-cli COMMAND [options]\n\n";
    for (const auto& command : kCommands) std::cerr << "  " << command.summary << '\n';
    std::cerr << "\n`facelead-cli COMMAND --help` shows a command's usage.\n"
              << "Results are investigative leads only, never a positive identification.\n";
}

}  // namespace

int main(int argc, char** argv) {
    if (!facelead::hardenProcess()) {
        std::cerr << "facelead-cli: the cryptography library could not start; refusing to run\n";
        return 1;
    }
    if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
        printUsage();
        return argc < 2 ? 2 : 0;
    }
    const std::string name = argv[1];
    for (const auto& command : kCommands) {
        if (name == command.name) return command.run(facelead::cli::Words(argv + 2, argv + argc));
    }
    std::cerr << "facelead-cli: unknown command '" << name << "'\n";
    printUsage();
    return 2;
}
