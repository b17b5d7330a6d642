// pack: the agency's rule packs (issue 11 item 5: workflow/PolicyPack.h) - list and show the shipped ones, check a
// pack file, make one the agency's (a program administrator; audited as a settings change). report statutory:
// the annual report the active pack asks for (reports/Statutory.h), written as JSON with its markings and, for filing,
// as PDF printed by the workstation's renderer (every page marked as SOP 302.02 VI.B.6 and VI.B.1 require).

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/cli/Args.h"
#include "app/cli/CliCommon.h"
#include "app/cli/Commands.h"
#ifdef FACELEAD_CLI_PRINTS_PDF
#include "app/cli/PdfPrinting.h"
#endif
#include "core/admin/Administration.h"
#include "core/audit/SettingsRemedy.h"
#include "core/common/PrivateFile.h"
#include "core/common/Text.h"
#include "core/reports/Retention.h"
#include "core/reports/Statutory.h"
#include "core/workflow/PolicyPack.h"

namespace facelead::cli {
namespace {

constexpr const char* kPackHelp =
    "usage: facelead-cli pack list\n"
    "       facelead-cli pack show ID\n"
    "       facelead-cli pack check FILE\n"
    "       facelead-cli pack active [--store PATH] --user YOU\n"
    "       facelead-cli pack use ID [--store PATH] --user ADMIN\n"
    "  A rule pack is the agency's policy as versioned data (policy-packs/*.json): the offence categories a\n"
    "  search may concern, the purposes allowed, those a supervisor approves before the search runs, the\n"
    "  candidate-list bounds, training validity, whether a second examiner verifies before a lead is cleared,\n"
    "  retention periods and the annual statutory report.\n"
    "  use: a program administrator makes a shipped pack the agency's (audited); the default candidate-list\n"
    "  size and the training validity are moved into its bounds.\n";

constexpr const char* kReportHelp =
    "usage: facelead-cli report statutory --year YYYY [--out FILE] [--pdf FILE] [--store PATH] --user ADMIN\n"
    "       facelead-cli report retention [--store PATH] --user ADMIN\n"
    "       facelead-cli report retention --decide probe:ID|search:ID keep|purge --reason TEXT\n"
    "                                     [--until YYYY-MM-DD] [--store PATH] --user ADMIN\n"
    "  The annual report the agency's rule pack asks for (program administrator; audited): SOP 302.02 VI.C.2.c\n"
    "  annual review, Maryland Crim. Proc. 2-510 (searches per system and crime type, results that led to\n"
    "  action) or Washington RCW 43.386 (records of use). --out writes it as JSON, --pdf as the printable form\n"
    "  the agency files, every page marked as SOP 302.02 VI.B.6 and VI.B.1 require; at least one of the two.\n"
    "  Both are readable by you only.\n"
    "  retention: the probes and search records older than the rule pack's retention periods, for your review\n"
    "  (audited), each with your latest decision. Nothing is deleted: evidence is kept until the agency decides\n"
    "  under its records schedule (SOP 302.02 VI.B.6).\n"
    "  --decide: your decision on one listed item, with its reason (program administrator; audited): keep it\n"
    "  until the day it comes up for review again (--until), or purge it. A purge is RECORDED, not carried out:\n"
    "  FaceLead never deletes an original image (VI.B.2), a search record (held to its signed audit entry) or an\n"
    "  audit entry; the agency purges under its records schedule outside the program.\n";

int usage(const std::string& problem, const char* help) {
    if (!problem.empty()) std::cerr << "facelead-cli: " << problem << '\n';
    std::cerr << help;
    return 2;
}

std::string purposeList(const std::set<workflow::Purpose>& purposes) {
    if (purposes.empty()) return "none";
    std::string list;
    for (const auto purpose : purposes) list += (list.empty() ? "" : ", ") + std::string(workflow::purposeInfo(purpose).citation);
    return list;
}

std::string days(int value) { return value == 0 ? std::string("none set") : std::to_string(value) + " days"; }

void printPack(const workflow::PolicyPack& pack) {
    std::cout << pack.name() << "  [" << pack.id << "]\n"
              << "source:              " << pack.source << '\n'
              << "offence categories:  " << (pack.offenceCategories.empty() ? "any offence" : "") << '\n';
    for (const auto& category : pack.offenceCategories)
        std::cout << "  " << std::left << std::setw(26) << category.code << category.label << " (" << category.citation << ")\n";
    std::cout << "purposes allowed:    " << (pack.purposesAllowed.size() == workflow::purposes().size()
                                                 ? std::string("all of VI.A.1-8")
                                                 : purposeList(pack.purposesAllowed))
              << '\n'
              << "second approver for: " << purposeList(pack.purposesNeedingApproval)
              << (pack.purposesNeedingApproval.empty() ? "" : " (" + pack.approvalCitation + ")") << '\n'
              << "candidate list:      " << pack.candidates.minimum << " to " << pack.candidates.maximum << ", default "
              << pack.candidates.byDefault << " (" << pack.candidates.citation << ")\n"
              << "training valid for:  " << days(pack.trainingValidityDays) << '\n'
              << "verification:        "
              << (pack.verificationBeforeClearing ? "a second trained examiner, before a lead is cleared"
                                                  : "not required before clearing")
              << " (" << pack.verificationCitation << ")\n"
              << "retention review:    probes " << days(pack.probeRetentionDays) << ", search records "
              << days(pack.searchRecordRetentionDays) << " (" << pack.retentionCitation << ")\n"
              << "statutory report:    " << workflow::statutoryReportName(pack.report) << '\n';
    if (!pack.notes.empty()) std::cout << "notes:               " << pack.notes << '\n';
}

int packList() {
    for (const auto& pack : workflow::shippedPacks())
        std::cout << std::left << std::setw(24) << pack.id << "v" << std::setw(4) << pack.version << pack.title << '\n';
    return 0;
}

int packShow(const Args& args) {
    if (args.positionals().size() != 2) return usage("pack show needs the pack's ID", kPackHelp);
    auto pack = workflow::findPack(args.positionals()[1]);
    if (!pack) return fail(pack.error());
    printPack(*pack);
    return 0;
}

int packCheck(const Args& args) {
    if (args.positionals().size() != 2) return usage("pack check needs a FILE", kPackHelp);
    std::ifstream in(args.positionals()[1], std::ios::binary);
    if (!in) return fail(makeError(ErrorCode::IoError, "Could not read " + args.positionals()[1] + "."));
    std::stringstream text;
    text << in.rdbuf();
    auto pack = workflow::parsePolicyPack(text.str());
    if (!pack) return fail(pack.error());
    std::cout << "valid: ";
    printPack(*pack);
    return 0;
}

int packActive(const Args& args) {
    auto session = signIn(args);
    if (!session) return 1;
    // The pack a program administrator signed, never an edit of the settings table (trial 46: it printed the edited
    // one as active while every search was refused for it).
    auto settings = admin::signedSettings(*session);
    if (!settings) return fail(settings.error());
    printPack(admin::policySettings(*settings).pack);
    auto table = admin::loadSettings(session->store());
    if (!table) return fail(table.error());
    if (table->policyPack != settings->policyPack)
        std::cerr << "The settings table names the pack \"" << table->policyPack << "\": it was edited outside "
                  << "FaceLead; searches are refused until " << audit::kSettingsSignedAgain << ".\n";
    return 0;
}

int packUse(const Args& args) {
    if (args.positionals().size() != 2) return usage("pack use needs the pack's ID", kPackHelp);
    auto session = signIn(args);
    if (!session) return 1;
    auto changes = admin::choosePolicyPack(*session, args.positionals()[1]);
    if (!changes) return fail(changes.error());
    if (changes->empty()) std::cout << "The agency already uses rule pack " << args.positionals()[1] << ".\n";
    for (const auto& change : *changes)
        std::cout << change.key << ": " << change.oldValue << " -> " << change.newValue << '\n';
    if (!changes->empty()) std::cout << "Saved and audited. Screens use the new rules from the next sign-in.\n";
    return 0;
}

nlohmann::json blockJson(const reports::Block& block) {
    if (const auto* paragraph = std::get_if<reports::Paragraph>(&block)) return {{"paragraph", paragraph->text}};
    if (const auto* fields = std::get_if<reports::Fields>(&block)) {
        nlohmann::json items = nlohmann::json::array();
        for (const auto& [label, value] : fields->items) items.push_back({{"label", label}, {"value", value}});
        return {{"fields", items}};
    }
    if (const auto* table = std::get_if<reports::Table>(&block)) return {{"columns", table->columns}, {"rows", table->rows}};
    return {{"image", std::get<reports::Image>(block).caption}};
}

std::string documentJson(const reports::ReportDocument& doc) {
    nlohmann::json sections = nlohmann::json::array();
    for (const auto& section : doc.sections) {
        nlohmann::json blocks = nlohmann::json::array();
        for (const auto& block : section.blocks) blocks.push_back(blockJson(block));
        sections.push_back({{"heading", section.heading}, {"blocks", blocks}});
    }
    return nlohmann::json{{"markings", reports::markingLines(doc.trainingStore)},
                          {"title", doc.title},
                          {"agency", doc.agencyName},
                          {"generated_at", doc.generatedAt},
                          {"generated_by", doc.generatedBy},
                          {"sections", sections}}
               .dump(2) + "\n";
}

int reportStatutory(const Args& args) {
    const auto yearText = args.option("year");
    const auto out = args.option("out");
    const auto pdf = args.option("pdf");
    if (!yearText || (!out && !pdf)) return usage("--year YYYY and --out FILE or --pdf FILE are required", kReportHelp);
#ifndef FACELEAD_CLI_PRINTS_PDF
    if (pdf) return usage("this facelead-cli was built without Qt and prints no PDF; use --out", kReportHelp);
#endif
    int year = 0;
    try {
        std::size_t used = 0;
        year = std::stoi(*yearText, &used);
        if (used != yearText->size()) year = 0;
    } catch (const std::exception&) {
    }
    if (year == 0) return usage("--year must be a year, e.g. 2026", kReportHelp);
    auto session = signIn(args);
    if (!session) return 1;
    auto doc = reports::statutoryReport(*session, year);
    if (!doc) return fail(doc.error());
    if (out) {
        if (auto written = writePrivateFile(*out, documentJson(*doc)); !written) return fail(written.error());
        std::cout << doc->title << ": written to " << *out << " (readable by you only).\n";
    }
#ifdef FACELEAD_CLI_PRINTS_PDF
    if (pdf) {
        auto pages = printPdf(*doc, *pdf);
        if (!pages) return fail(pages.error());
        std::cout << doc->title << ": printed to " << *pdf << " (" << *pages << " page(s), readable by you only).\n";
    }
#endif
    return 0;
}

// "kept until 2027-06-30 (Ada Admin, 2026-12-02: ...)", "purge decided (not carried out; ...)", "no decision yet".
std::string decisionText(const reports::RetentionItem& item) {
    if (!item.decision) return "no decision yet";
    const auto& d = *item.decision;
    std::string text = d.decision == reports::RetentionDecisionKind::Keep
                           ? "kept until " + d.keepUntil + (item.awaitingDecision ? " - due again" : "")
                           : "purge decided (recorded, not carried out by FaceLead)";
    return text + " by " + text::forTerminal(d.decidedBy) + ", " + d.decidedAt.substr(0, 10) + ": " + text::forTerminal(d.reason);
}

void printDue(const char* what, const char* kind, const std::vector<reports::RetentionItem>& items, int days) {
    if (days == 0) {
        std::cout << what << ": the rule pack sets no review period\n";
        return;
    }
    const auto awaiting = std::ranges::count_if(items, [](const auto& item) { return item.awaitingDecision; });
    std::cout << what << " older than " << days << " days: " << items.size() << " (" << awaiting
              << " awaiting a decision)\n";
    for (const auto& item : items)
        std::cout << "  " << kind << ':' << item.id << "  case " << text::forTerminal(item.caseNumber) << "  " << item.at
                  << "  (" << item.ageDays << " days)  " << decisionText(item) << '\n';
}

// --decide probe:ID|search:ID keep|purge --reason TEXT [--until YYYY-MM-DD]
int decideRetention(const Args& args, const std::string& item) {
    const auto colon = item.find(':');
    const auto kind = reports::retentionItemKindFromName(item.substr(0, colon));
    std::int64_t id = 0;
    try {
        if (colon != std::string::npos) id = std::stoll(item.substr(colon + 1));
    } catch (const std::exception&) {
    }
    if (!kind || id <= 0) return usage("--decide names a listed item as probe:ID or search:ID", kReportHelp);
    const std::string verb = args.positionals().size() > 1 ? args.positionals()[1] : "";
    const auto decision = reports::retentionDecisionFromName(verb);
    if (!decision) return usage("--decide " + item + " needs 'keep' or 'purge'", kReportHelp);
    auto session = signIn(args);
    if (!session) return 1;
    auto decided = reports::decideRetention(
        *session, {*kind, id, *decision, args.option("reason", ""), args.option("until", "")});
    if (!decided) return fail(decided.error());
    if (decided->decision == reports::RetentionDecisionKind::Keep)
        std::cout << "Recorded (audited): " << item << " is kept until " << decided->keepUntil
                  << ", when it comes up for review again.\n";
    else
        std::cout << "Recorded (audited): " << item << " is to be purged. FaceLead deletes nothing: original images "
                     "are never deleted by the store (SOP 302.02 VI.B.2), search records are held to their signed "
                     "audit entries, and the audit log is kept whole. Purge it under the agency's records "
                     "schedule (VI.B.6).\n";
    return 0;
}

int reportRetention(const Args& args) {
    if (const auto item = args.option("decide")) return decideRetention(args, *item);
    auto session = signIn(args);
    if (!session) return 1;
    auto review = reports::reviewRetention(*session);
    if (!review) return fail(review.error());
    std::cout << "Retention review under " << review->pack << " (" << review->citation << "). Nothing is deleted.\n";
    printDue("probe images", "probe", review->probes, review->probeDays);
    printDue("search records", "search", review->searches, review->searchRecordDays);
    return 0;
}

}  // namespace

int runPack(const Words& words) {
    const Args args(words, {});
    if (args.flag("help")) {
        std::cout << kPackHelp;
        return 0;
    }
    if (!args.problem().empty()) return usage(args.problem(), kPackHelp);
    const std::string verb = args.positionals().empty() ? "" : args.positionals()[0];
    if (verb == "list") return packList();
    if (verb == "show") return packShow(args);
    if (verb == "check") return packCheck(args);
    if (verb == "active") return packActive(args);
    if (verb == "use") return packUse(args);
    return usage(verb.empty() ? "" : "unknown pack command '" + verb + "'", kPackHelp);
}

int runReport(const Words& words) {
    const Args args(words, {});
    if (args.flag("help")) {
        std::cout << kReportHelp;
        return 0;
    }
    if (!args.problem().empty()) return usage(args.problem(), kReportHelp);
    const std::string verb = args.positionals().empty() ? "" : args.positionals()[0];
    if (verb == "statutory") return reportStatutory(args);
    if (verb == "retention") return reportRetention(args);
    return usage(verb.empty() ? "" : "unknown report '" + verb + "'", kReportHelp);
}

}  // namespace facelead::cli
