// case disclose: the disclosure packet of a case for discovery (issue 11 item 4), the same packet the
// workstation writes. Who may, what it holds and its audit entry are the core's (reports::generateDisclosure);
// this command only signs in, asks, and writes the files (ui::writeDisclosureFiles).
// case restore-rows: a program administrator puts case rows edited outside FaceLead back (cases::restoreCaseRows).

#include <iostream>
#include <string>

#include "app/cli/Args.h"
#include "app/cli/CliCommon.h"
#include "app/cli/Commands.h"
#include "app/cli/PdfPrinting.h"
#include "core/admin/Administration.h"
#include "core/cases/CaseRepair.h"
#include "core/cases/CaseService.h"
#include "core/common/Text.h"
#include "core/reports/Disclosure.h"
#include "ui/accountability/DisclosureFiles.h"

namespace facelead::cli {
namespace {

constexpr const char* kCaseHelp =
    "usage: facelead-cli case disclose CASE --out DIR --user NAME [--store PATH] [--otp CODE]\n"
    "                                  [--end-blind-examinations]\n"
    "  Writes the disclosure packet of case CASE (its case number) for discovery into DIR:\n"
    "    packet.json  every search in the case, whatever it found: the probe, its edits and quality, the\n"
    "                 gallery, each candidate's rank and score, the lead decisions, follow-ups and reviews,\n"
    "                 the system, models and threshold, the people and their training\n"
    "                 (format: docs/disclosure.schema.json)\n"
    "    packet.pdf   the same for print, marked as SOP 302.02 VI.B.6 and VI.B.1 require\n"
    "  Both files are readable by you only. May disclose: the case's assigned case officer, a supervisor or a\n"
    "  program administrator; the disclosure is recorded in the audit log with the SHA-256 of packet.json.\n"
    "  The packet lists every rank and score: whoever makes it can no longer examine blind the case's\n"
    "  candidates they have not examined. When there are such candidates, nothing is written unless\n"
    "  --end-blind-examinations says you accept it (another examiner then examines them).\n"
    "  The password is read from the terminal or standard input.\n"
    "\n"
    "usage: facelead-cli case restore-rows --reason TEXT --user ADMIN [--store PATH] [--otp CODE]\n"
    "  Puts every case row edited outside FaceLead (its number, offence, creator, case officer or status) back\n"
    "  to the signed audit log's creation entry, each recorded with the difference and the reason. Program\n"
    "  administrator only. The work in a case (requests, examinations, follow-ups, reviews) is signed by digest\n"
    "  and cannot be rebuilt from the log: audit verify keeps naming it until the store is restored from a backup.\n";

int usage(const std::string& problem) {
    if (!problem.empty()) std::cerr << "facelead-cli: " << problem << '\n';
    std::cerr << kCaseHelp;
    return 2;
}

int disclose(const Args& args) {
    if (args.positionals().size() != 2) return usage("case disclose needs the CASE number");
    const auto out = args.option("out");
    if (!out || out->empty()) return usage("--out DIR is required: the folder the packet is written to");
    auto session = signIn(args);
    if (!session) return 1;
    auto agency = admin::loadSettings(session->store());
    if (!agency) return fail(agency.error());
    cases::CaseService service(*session, admin::policySettings(*agency));
    auto found = service.findCase(args.positionals()[1]);
    if (!found) return fail(found.error());
    if (auto free = ui::checkFolderTakesPacket(*out); !free) return fail(free.error());
    auto spent = reports::blindExaminationsTheDisclosureEnds(*session, service, found->id);
    if (!spent) return fail(spent.error());
    // Asked first, as the workstation asks (trial 48 F5: the note came after the packet, the examinations already lost).
    if (*spent > 0 && !args.flag("end-blind-examinations")) {
        std::cerr << "NOT WRITTEN: the packet lists every rank and score, so you could no longer examine blind the "
                  << *spent << " candidate(s) of this case you have not examined (issue 11). To make it anyway, "
                  << "run again with --end-blind-examinations; another examiner then examines them.\n";
        return 1;
    }
    if (*spent > 0)
        std::cerr << "Note: you can no longer examine blind the " << *spent
                  << " candidate(s) of this case you have not examined: another examiner must (issue 11).\n";
    auto packet = reports::generateDisclosure(*session, service, found->id);
    if (!packet) return fail(packet.error());

    auto pages = withPdfPrinter([&] { return ui::writeDisclosureFiles(*packet, *out); });
    if (!pages) return fail(pages.error());
    std::cerr << "Disclosure packet of case " << packet->caseNumber << " written to " << *out << ": "
              << ui::kPacketJsonName << " (SHA-256 " << packet->jsonSha256 << ") and " << ui::kPacketPdfName << " ("
              << *pages << " page(s)). The disclosure is in the audit log.\n";
    return 0;
}

int restoreRows(const Args& args) {
    const auto reason = args.option("reason");
    if (!reason) return usage("--reason TEXT is required");
    auto session = signIn(args);
    if (!session) return 1;
    auto restored = cases::restoreCaseRows(*session, *reason);
    if (!restored) return fail(restored.error());
    for (const auto& row : *restored)
        std::cerr << "Put back case " << text::forTerminal(row.caseNumber) << " (" << text::forTerminal(row.wasEdited)
                  << ").\n";
    return 0;
}

}  // namespace

int runCase(const Words& words) {
    const Args args(words, {"end-blind-examinations"});
    if (args.flag("help")) {
        std::cout << kCaseHelp;
        return 0;
    }
    if (!args.problem().empty()) return usage(args.problem());
    const std::string verb = args.positionals().empty() ? "" : args.positionals()[0];
    if (verb == "disclose") return disclose(args);
    if (verb == "restore-rows") return restoreRows(args);
    return usage(verb.empty() ? "" : "unknown case command '" + verb + "'");
}

}  // namespace facelead::cli
