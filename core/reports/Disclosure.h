#pragma once
// The disclosure packet of a case, for discovery (issue 11 item 4): what the defence is owed about every face
// search in the case, so that no search can be hidden because it found nobody or other people. It carries
//   - the statement that results are investigative leads only, not probable cause (SOP 302.02 VI.B.1), and
//     the criminal-intelligence marking (VI.B.6);
//   - the system and its version, the algorithm, the models' SHA-256 and the threshold with its source;
//   - for EVERY search: the request (purpose, justification, consent), EVERY probe (issue 10 item 6: the first
//     and each further probe of the same person; its file name, the searched image's SHA-256, the original's
//     re-checked now, every derived-copy edit with its date, time and user, the face searched and how it was
//     chosen or marked, its quality), the gallery searched (size, sources, enrolment dates), the candidate
//     list size, each candidate's rank, distance, score and the probe it matched, and each lead's decisions,
//     follow-ups and reviews;
//   - every search asked of a supervisor for the case before it ran (the rule pack's second approver), whatever
//     became of it: waiting, withdrawn, approved and not used, or used (trial 49 F3);
//   - the people involved, their roles and their training status (VI.D.2.b).
// The JSON follows docs/disclosure.schema.json (format kDisclosureFormat); the printable document says the
// same thing, built from that JSON, with the probe images.
//
// Who may: the case's assigned case officer, a supervisor or a program administrator
// (workflow::checkMayDisclose). A refusal is audited ("access.refused"); a packet is audited as
// "case.disclosed" with the SHA-256 of its JSON, so the copy handed over can be proven later.
//
// Threading: as the Session, one thread at a time.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/accounts/Session.h"
#include "core/cases/CaseService.h"
#include "core/common/Result.h"
#include "core/reports/Progress.h"
#include "core/reports/ReportDocument.h"

namespace facelead::reports {

inline constexpr std::string_view kDisclosureFormat = "facelead-disclosure/1";

struct DisclosurePacket {
    std::string caseNumber;
    std::string json;        // UTF-8, indented; valid against docs/disclosure.schema.json
    std::string jsonSha256;  // of `json`, as audited
    ReportDocument document; // the same content for print (ui renderPdf)
};

// PermissionDenied (audited) for anyone but those named above; NotFound for an unknown case;
// IntegrityViolation (audited) when an original no longer matches its SHA-256; Cancelled from progress.
// The agency named is the agency setting's (admin::AgencySettings::agencyName).
Result<DisclosurePacket> generateDisclosure(accounts::Session& session, cases::CaseService& cases, std::int64_t caseId,
                                            const ProgressFn& progress = {});

// How many candidates of the case the signed-in user has not examined and could examine: the packet lists every rank
// and score, so once it is made they examine none of them blind (cases::rankShownTo). 0 for a user who does not
// examine. The entry points say it before disclosing (trial 46 F2: a case officer's early packet cost him the blind
// examination of his whole case, in silence). Errors: the case read's.
Result<std::size_t> blindExaminationsTheDisclosureEnds(accounts::Session& session, cases::CaseService& cases,
                                                       std::int64_t caseId);

}  // namespace facelead::reports
