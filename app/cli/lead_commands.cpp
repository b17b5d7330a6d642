// lead examine|queue|pair|verify|mark|exclude|follow-up|review|resolve|show: a candidate's life after the search
// (SOP 302.02 VI.B.1, VI.B.3, VI.C.1; issue 11: blind examination, independent verification, corroboration
// before action). Every rule is the core's (CaseService, workflow::Examination / Leads): a refusal prints the
// core's message and exits 1.

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/cli/Args.h"
#include "app/cli/CliCommon.h"
#include "app/cli/Commands.h"
#include "core/admin/Administration.h"
#include "core/cases/CaseService.h"
#include "core/cases/VerificationQueue.h"
#include "core/cases/VerificationStanding.h"
#include "core/common/PrivateFile.h"
#include "core/imaging/Intake.h"
#include "core/workflow/Markings.h"

namespace facelead::cli {
namespace {

std::string names(auto all, auto name) {
    std::string text;
    for (const auto& value : all) text += (text.empty() ? "" : ", ") + std::string(name(value));
    return text;
}

std::string leadHelp() {
    return "usage: facelead-cli lead VERB CANDIDATE --user YOU [--store PATH] [options]\n"
           "       facelead-cli lead queue --user YOU [--store PATH]\n"
           "  examine    your blind FISWG comparison of the probe and candidate CANDIDATE (issue 11):\n"
           "             --ratings \"COMPONENT=FINDING[:NOTE];...\" [--rest FINDING] --conclusion C [--note TEXT]\n"
           "             components: " +
           names(workflow::allFacialComponents(), workflow::componentName) +
           "\n"
           "             findings: similar, dissimilar (needs a NOTE), not_visible; --rest rates the unlisted ones\n"
           "             conclusions: " +
           names(workflow::allConclusions(), workflow::conclusionName) +
           " (default no_conclusion)\n"
           "             Ranks and scores stay hidden from you until you have examined every candidate\n"
           "             of the list (one shown earlier would tell the others' by elimination).\n"
           "  queue      the candidates waiting for your independent verification (trained examiners who do\n"
           "             not work the case): their numbers only, nothing of the first examination\n"
           "  pair       the two faces to compare for a verification, from your queue: --out DIR receives\n"
           "             probe.png (the original) and candidate.png (audited); needed before `verify`\n"
           "  verify     the same form as examine, as the independent second examiner, after `pair`\n"
           "  mark       mark a possible lead: --note TEXT (needs your own supporting examination)\n"
           "  exclude    exclude the candidate: --note TEXT\n"
           "  follow-up  the assigned case officer's follow-up (VI.B.3): --steps TEXT\n"
           "             --outcome corroborated|excluded|inconclusive [--evidence TEXT]\n"
           "             [--items \"TYPE:DESCRIPTION;...\"]  independent evidence; types: see `lead show`\n"
           "             [--independent all|N,N...]  you attest that these items (all, or the Nth from 1)\n"
           "             " + std::string(workflow::kIndependenceAttestation) + ";\n"
           "             only attested items count (never a line-up)\n"
           "             [--checklist \"ITEM=ANSWER[:NOTE];...\"]  items: " +
           names(workflow::allChecklistItems(), workflow::checklistItemName) +
           "\n"
           "             answers: consistent, inconsistent, could_not_check\n"
           "  review     a supervisor's review (VI.C.1) of the follow-up you read: --follow-up N --note TEXT\n"
           "             [--confirmed] [--clear]  (N: the latest follow-up's number, see `lead show`)\n"
           "  resolve    a supervisor settles examiners' disagreement: --conclusion C --note TEXT\n"
           "  show       the candidate, its examinations you may read, the lead, follow-ups, reviews and\n"
           "             the oldest and newest gallery photos\n"
           "Passwords are read from the terminal or standard input. Results are investigative leads only.\n";
}

int usage(const std::string& problem) {
    if (!problem.empty()) std::cerr << "facelead-cli: " << problem << '\n';
    std::cerr << leadHelp();
    return 2;
}

// "a;b;c" -> {"a","b","c"} (or split at another separator), blanks dropped.
std::vector<std::string> splitList(const std::string& text, char separator = ';') {
    std::vector<std::string> parts;
    std::string part;
    for (char c : text + separator) {
        if (c != separator) {
            part += c;
            continue;
        }
        if (part.find_first_not_of(' ') != std::string::npos) parts.push_back(part.substr(part.find_first_not_of(' ')));
        part.clear();
    }
    return parts;
}

struct NamedValue {
    std::string name, value, note;
};

// "NAME=VALUE[:NOTE]"; sets problem when the '=' is missing.
NamedValue parseNamed(const std::string& part, std::string& problem) {
    const auto equals = part.find('=');
    if (equals == std::string::npos) {
        problem = "'" + part + "' is not NAME=VALUE[:NOTE]";
        return {};
    }
    NamedValue named{part.substr(0, equals), part.substr(equals + 1), ""};
    if (const auto colon = named.value.find(':'); colon != std::string::npos) {
        named.note = named.value.substr(colon + 1);
        named.value.resize(colon);
    }
    return named;
}

std::optional<workflow::Examination> examinationFromArgs(const Args& args, std::string& problem) {
    workflow::Examination examination;
    if (const auto rest = args.option("rest")) {
        const auto finding = workflow::findingFromName(*rest);
        if (!finding) {
            problem = "unknown finding '" + *rest + "'";
            return std::nullopt;
        }
        for (auto c : workflow::allFacialComponents()) examination[c].finding = finding;
    }
    for (const auto& part : splitList(args.option("ratings", ""))) {
        const NamedValue named = parseNamed(part, problem);
        if (!problem.empty()) return std::nullopt;
        const auto component = workflow::componentFromName(named.name);
        const auto finding = workflow::findingFromName(named.value);
        if (!component || !finding) {
            problem = "unknown component or finding in '" + part + "'";
            return std::nullopt;
        }
        examination[*component] = {finding, named.note};
    }
    const std::string conclusion = args.option("conclusion", "no_conclusion");
    const auto parsed = workflow::conclusionFromName(conclusion);
    if (!parsed) {
        problem = "unknown conclusion '" + conclusion + "'";
        return std::nullopt;
    }
    examination.conclusion = *parsed;
    examination.note = args.option("note", "");
    return examination;
}

// --independent all|N,N...: the items the case officer attests stand apart from the search, by their place in --items.
bool attestIndependence(std::vector<workflow::EvidenceItem>& items, const std::string& which, std::string& problem) {
    if (!which.empty() && items.empty()) {  // trial 44: accepted without a word, attesting nothing
        problem = "--independent attests items given with --items; there are none";
        return false;
    }
    if (which == "all") {
        for (auto& item : items) item.independentOfSearch = true;
        return true;
    }
    for (const auto& part : splitList(which, ',')) {
        char* end = nullptr;
        const long n = std::strtol(part.c_str(), &end, 10);
        if (part.empty() || *end != '\0' || n < 1 || std::size_t(n) > items.size()) {
            problem = "--independent takes all, or the numbers (from 1) of items given with --items, not '" + part + "'";
            return false;
        }
        items[std::size_t(n - 1)].independentOfSearch = true;
    }
    return true;
}

std::optional<workflow::FollowUp> followUpFromArgs(const Args& args, std::string& problem) {
    workflow::FollowUp followUp;
    followUp.stepsTaken = args.option("steps", "");
    followUp.corroboratingEvidence = args.option("evidence", "");
    const std::string outcome = args.option("outcome", "");
    const auto parsed = workflow::followUpOutcomeFromName(outcome);
    if (!parsed) {
        problem = "--outcome corroborated|excluded|inconclusive is required";
        return std::nullopt;
    }
    followUp.outcome = *parsed;
    for (const auto& part : splitList(args.option("items", ""))) {
        const auto colon = part.find(':');
        if (colon == std::string::npos) {
            problem = "an evidence item is TYPE:DESCRIPTION, not '" + part + "'";
            return std::nullopt;
        }
        followUp.evidence.push_back({part.substr(0, colon), part.substr(colon + 1)});
    }
    if (!attestIndependence(followUp.evidence, args.option("independent", ""), problem)) return std::nullopt;
    for (const auto& part : splitList(args.option("checklist", ""))) {
        const NamedValue named = parseNamed(part, problem);
        if (!problem.empty()) return std::nullopt;
        const auto item = workflow::checklistItemFromName(named.name);
        const auto answer = workflow::checklistAnswerFromName(named.value);
        if (!item || !answer) {
            problem = "unknown checklist item or answer in '" + part + "'";
            return std::nullopt;
        }
        followUp.checklist[*item] = {*answer, named.note};
    }
    return followUp;
}

void printCandidate(const cases::CandidateRecord& c) {
    std::cout << "candidate " << c.id << " of search " << c.searchId << ": " << c.subjectName << " (subject "
              << c.subjectId << ")\n  rank " << cases::rankText(c) << ", distance "
              << cases::distanceText(c, 4) << ", similarity " << cases::similarityText(c, 3)
              << " (display only)\n  status: " << workflow::leadStatusLabel(c.status) << '\n';
}

void printExamination(const cases::ExaminationRecord& e) {
    std::cout << "\n" << workflow::examinationKindName(e.kind) << " by " << e.examiner.displayName << ", "
              << e.recordedAt << ": " << workflow::conclusionLabel(e.examination.conclusion) << " - "
              << e.examination.note << '\n';
    for (auto c : workflow::allFacialComponents()) {
        const auto& rating = e.examination[c];
        std::cout << "  " << workflow::componentLabel(c) << ": "
                  << (rating.finding ? workflow::findingLabel(*rating.finding) : "not rated")
                  << (rating.note.empty() ? "" : " - " + rating.note) << '\n';
    }
}

// The supervisor names the follow-up she read (`lead show`), so a newer one recorded meanwhile is not
// reviewed in its place (VI.C.1).
std::optional<workflow::Review> reviewFromArgs(const Args& args, std::string& problem) {
    workflow::Review review{args.flag("confirmed"), args.flag("clear"), args.option("note", "")};
    try {
        review.followUpId = std::stoll(args.option("follow-up", ""));
    } catch (const std::exception&) {
        problem = "--follow-up N is required: the number of the follow-up you reviewed (see `lead show`)";
        return std::nullopt;
    }
    return review;
}

int show(cases::CaseService& service, std::int64_t candidateId) {
    auto candidate = service.viewCandidate(candidateId);
    if (!candidate) return fail(candidate.error());
    std::cout << workflow::kLeadOnlyDisclaimer << "\n\n";
    printCandidate(*candidate);
    auto examinations = service.examinations(candidateId);
    if (!examinations) return fail(examinations.error());
    if (examinations->empty()) std::cout << "\nno examination you may read (record yours first)\n";
    for (const auto& e : *examinations) printExamination(e);
    auto resolution = service.resolution(candidateId);
    if (!resolution) return fail(resolution.error());
    if (*resolution)  // trial 29 N10: the reviewing supervisor could not see who settled the disagreement, or how
        std::cout << "\ndisagreement resolved by " << (*resolution)->resolvedBy.displayName << ", "
                  << (*resolution)->resolvedAt << ": " << workflow::conclusionLabel((*resolution)->conclusion) << " - "
                  << (*resolution)->note << '\n';
    if (auto photos = service.candidatePhotos(candidateId)) {
        // Dated by when each was taken where the photo says so (issue 11 MEDIUM-2), never by enrolment alone.
        const bool ageKnown = cases::ageOrderKnown(*photos);
        std::cout << "\ngallery photos: " << photos->photoCount
                  << (ageKnown ? "" : " (none is dated: which is oldest is unknown)") << "\n  "
                  << (ageKnown ? "oldest " : "") << "face " << photos->oldest.galleryFaceId << ": "
                  << cases::photoDateText(photos->oldest) << "\n  " << (ageKnown ? "most recent " : "") << "face "
                  << photos->newest.galleryFaceId << ": " << cases::photoDateText(photos->newest) << '\n';
    }
    if (auto types = service.evidenceTypes()) {
        std::cout << "evidence types: ";
        for (const auto& t : *types) std::cout << t.code << (t.identificationProcedure ? " (line-up) " : " ");
        std::cout << '\n';
    }
    auto lead = service.getLead(candidateId);
    if (!lead && lead.error().code == ErrorCode::NotFound) return 0;  // no lead yet
    // Refused (need to know) or a case file edited outside FaceLead: said, never left out in silence (trial 14A).
    if (!lead) {
        std::cout << "\nlead: not shown. " << lead.error().message << '\n';
        return lead.error().code == ErrorCode::PermissionDenied ? 0 : fail(lead.error());
    }
    std::cout << "\nlead: " << workflow::leadStatusLabel(lead->status) << ", marked by " << lead->markedBy.displayName
              << ": " << lead->note << '\n';
    for (const auto& f : lead->followUps) {
        std::cout << "follow-up #" << f.id << " by " << f.recordedBy.displayName << ", " << f.recordedAt << ": "
                  << workflow::followUpOutcomeName(f.followUp.outcome) << " - " << f.followUp.stepsTaken << '\n';
        for (const auto& item : f.followUp.evidence)
            std::cout << "  evidence " << item.type << ": " << item.description << " (" << workflow::independenceText(item)
                      << ")\n";
        for (auto item : workflow::allChecklistItems()) {
            const auto& entry = f.followUp.checklist[item];
            std::cout << "  " << workflow::checklistItemLabel(item) << ": " << workflow::checklistAnswerName(entry.answer)
                      << (entry.note.empty() ? "" : " - " + entry.note) << '\n';
        }
    }
    for (const auto& r : lead->reviews) {
        std::cout << "review by " << r.reviewedBy.displayName << ", " << r.reviewedAt << ": "
                  << workflow::leadStatusLabel(r.decision) << " - " << r.note << '\n';
    }
    for (const std::string& at : lead->reopenedAt) std::cout << cases::reopenedText(at) << '\n';
    return 0;
}

// The verification queue: one line per candidate, with nothing of its examination, lead, rank or score.
int listQueue(cases::VerificationQueue& queue) {
    auto tasks = queue.awaitingMe();
    if (!tasks) return fail(tasks.error());
    if (tasks->empty()) std::cout << "No candidate is waiting for your verification.\n";
    for (const cases::VerificationTask& task : *tasks)
        std::cout << "candidate " << task.candidateId << "  case " << task.caseNumber << "  examined " << task.examinedAt
                  << '\n';
    return 0;
}

// The two faces of a verification, written as PNG files readable by their owner only.
int writePair(cases::VerificationQueue& queue, std::int64_t candidateId, const std::string& out) {
    auto pair = queue.open(candidateId);
    if (!pair) return fail(pair.error());
    std::error_code error;
    std::filesystem::create_directories(out, error);
    const auto write = [&out](const std::string& name, std::span<const std::uint8_t> bytes) -> Result<void> {
        const auto file = std::filesystem::path(out) / name;
        FACELEAD_TRY(writePrivateFile(file, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size())));
        std::cout << "Wrote " << file.string() << '\n';
        return {};
    };
    // The probe as the case stores it, byte for byte (VerificationPair::probeFile); the gallery photo as a PNG.
    const std::string probeName = "probe." + pair->probeFormat;
    if (auto written = write(probeName, pair->probeFile); !written) return fail(written.error());
    auto png = imaging::encodePng(pair->candidate.rgb);
    if (!png) return fail(png.error());
    if (auto written = write("candidate.png", *png); !written) return fail(written.error());
    if (pair->probeFace)
        std::cout << "The searched face in " << probeName << ": left " << pair->probeFace->left << ", top "
                  << pair->probeFace->top << ", right " << pair->probeFace->right << ", bottom "
                  << pair->probeFace->bottom << " (pixels, its orientation applied).\n";
    std::cout << "Compare them, then record your verification: facelead-cli lead verify " << candidateId << " ...\n"
              << "Investigative leads only (SOP 302.02 VI.B.1); criminal intelligence (VI.B.6): keep these files private.\n";
    return 0;
}

// Trial 25B M2: one examiner's judgement alone was marked, and under a pack that does not require a verification
// cleared, in silence. Said on stderr (the result on stdout stays the record).
void noteWhenUnverified(cases::CaseService& service, std::int64_t candidateId) {
    auto examinations = service.examinations(candidateId);
    if (examinations && cases::onlyOneExaminer(*examinations))
        std::cerr << "Note: no second examiner has verified this candidate; only one person compared the faces "
                     "(`lead queue` lists what waits for an independent verifier).\n";
}

bool disagreesWithAnother(cases::CaseService& service, const cases::ExaminationRecord& recorded) {
    auto examinations = service.examinations(recorded.candidateId);
    return examinations && std::any_of(examinations->begin(), examinations->end(), [&](const auto& e) {
               return workflow::conclusionsDisagree(e.examination.conclusion, recorded.examination.conclusion);
           });
}

int reportCandidate(const Result<cases::CandidateRecord>& result) {
    if (!result) return fail(result.error());
    printCandidate(*result);
    return 0;
}

int runVerb(const std::string& verb, const Args& args, std::int64_t candidateId) {
    std::string problem;
    std::optional<workflow::Examination> examination;
    std::optional<workflow::FollowUp> followUp;
    if (verb == "examine" || verb == "verify") examination = examinationFromArgs(args, problem);
    if (verb == "follow-up") followUp = followUpFromArgs(args, problem);
    std::optional<workflow::Review> review;
    if (verb == "review") review = reviewFromArgs(args, problem);
    std::optional<workflow::Conclusion> resolution;
    if (verb == "resolve") {
        resolution = workflow::conclusionFromName(args.option("conclusion", ""));
        if (!resolution) problem = "--conclusion is required: " + names(workflow::allConclusions(), workflow::conclusionName);
    }
    if (verb == "pair" && args.option("out", "").empty()) problem = "--out DIR is required: the folder the two faces go to";
    if (!problem.empty()) return usage(problem);

    auto session = signIn(args);
    if (!session) return 1;
    auto agency = admin::loadSettings(session->store());
    if (!agency) return fail(agency.error());
    cases::CaseService service(*session, admin::policySettings(*agency));
    cases::VerificationQueue queue(*session, admin::policySettings(*agency));
    if (verb == "queue") return listQueue(queue);
    if (verb == "pair") return writePair(queue, candidateId, args.option("out", ""));
    const std::string note = args.option("note", "");

    if (examination) {
        auto recorded = verb == "examine" ? service.recordExamination(candidateId, *examination)
                                          : service.recordVerification(candidateId, *examination);
        if (!recorded) return fail(recorded.error());
        std::cout << "Recorded your " << workflow::examinationKindName(recorded->kind) << " of candidate "
                  << candidateId << ": " << workflow::conclusionLabel(recorded->examination.conclusion) << ".\n";
        if (disagreesWithAnother(service, *recorded))  // trial 25B L5, M1: said, whatever the lead's status
            std::cout << "It DISAGREES with the other examination: a supervisor resolves the disagreement before the "
                         "lead moves on.\n";
        auto candidate = service.viewCandidate(candidateId);  // now shown with its rank
        return reportCandidate(candidate);
    }
    if (verb == "mark") {
        noteWhenUnverified(service, candidateId);
        return reportCandidate(service.markPossibleLead(candidateId, note));
    }
    if (verb == "exclude") return reportCandidate(service.exclude(candidateId, note));
    if (followUp) return reportCandidate(service.recordFollowUp(candidateId, *followUp));
    if (review) {
        noteWhenUnverified(service, candidateId);
        return reportCandidate(service.review(candidateId, *review));
    }
    if (resolution) {
        if (auto resolved = service.resolveDisagreement(candidateId, *resolution, note); !resolved)
            return fail(resolved.error());
        std::cout << "Disagreement on candidate " << candidateId << " resolved: "
                  << workflow::conclusionLabel(*resolution) << ".\n";
        return 0;
    }
    return show(service, candidateId);
}

}  // namespace

int runLead(const Words& words) {
    const Args args(words, {"confirmed", "clear"});
    if (args.flag("help")) {
        std::cout << leadHelp();
        return 0;
    }
    if (!args.problem().empty()) return usage(args.problem());
    static const std::vector<std::string> kVerbs{"examine", "queue",  "pair",    "verify", "mark",
                                                 "exclude", "follow-up", "review", "resolve", "show"};
    const std::string verb = args.positionals().empty() ? "" : args.positionals()[0];
    if (std::find(kVerbs.begin(), kVerbs.end(), verb) == kVerbs.end())
        return usage(verb.empty() ? "" : "unknown lead command '" + verb + "'");
    if (verb == "queue") return args.positionals().size() == 1 ? runVerb(verb, args, 0) : usage("lead queue takes no CANDIDATE");
    if (args.positionals().size() != 2) return usage("lead " + verb + " needs one CANDIDATE id");
    std::int64_t candidateId = 0;
    try {
        candidateId = std::stoll(args.positionals()[1]);
    } catch (const std::exception&) {
        return usage("CANDIDATE must be a candidate id (a number), not '" + args.positionals()[1] + "'");
    }
    return runVerb(verb, args, candidateId);
}

}  // namespace facelead::cli
