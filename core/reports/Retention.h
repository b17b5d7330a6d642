#pragma once
// Retention review (issue 11 item 5): the probes and search records older than the agency's rule pack keeps them
// (PolicyPack::probeRetentionDays, searchRecordRetentionDays), listed for a program administrator to review.
// Nothing is deleted here: images are evidence and are never deleted by the store (SOP 302.02 VI.B.2); the
// review decides, under the agency's records schedule (VI.B.6). A pack period of 0 lists nothing.
// workflow::Action::RunAudit; a refusal is audited, and so is each review ("retention.reviewed"). Each item
// carries the administrator's latest decision on it (decideRetention, schema v12).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/accounts/Session.h"
#include "core/audit/AccountLedger.h"
#include "core/common/Result.h"

namespace facelead::reports {

enum class RetentionItemKind { Probe, Search };
std::string_view retentionItemKindName(RetentionItemKind kind);  // "probe", "search"
std::optional<RetentionItemKind> retentionItemKindFromName(std::string_view name);

enum class RetentionDecisionKind { Keep, Purge };
std::string_view retentionDecisionName(RetentionDecisionKind kind);  // "keep", "purge"
std::optional<RetentionDecisionKind> retentionDecisionFromName(std::string_view name);

// A program administrator's decision on an expired item, as stored (the latest for the item counts).
struct RetentionDecision {
    std::int64_t id = 0;
    RetentionDecisionKind decision = RetentionDecisionKind::Keep;
    std::string reason;
    std::string keepUntil;  // Keep: the day (YYYY-MM-DD) the item comes up for review again; "" for Purge
    std::string pack;       // the rule pack in force (PolicyPack::name())
    std::string decidedBy;  // display name
    std::string decidedAt;  // toIsoUtc
};

struct RetentionItem {
    std::int64_t id = 0;      // the image's or the search's id
    std::string caseNumber;
    std::string at;           // when it was stored or run (toIsoUtc)
    int ageDays = 0;
    std::optional<RetentionDecision> decision;  // the latest, if any
    // No decision yet, or a "keep" whose date has come: the item waits for the administrator again.
    bool awaitingDecision = true;
};

struct RetentionReview {
    std::string pack;           // PolicyPack::name()
    std::string citation;       // PolicyPack::retentionCitation
    int probeDays = 0;          // 0: the pack sets no review date
    int searchRecordDays = 0;
    std::vector<RetentionItem> probes;    // original probe images past probeDays, oldest first
    std::vector<RetentionItem> searches;  // searches past searchRecordDays, oldest first
};

Result<RetentionReview> reviewRetention(accounts::Session& session);

// What the administrator decides on one item the review lists.
struct RetentionDecisionRequest {
    RetentionItemKind kind = RetentionItemKind::Probe;
    std::int64_t itemId = 0;
    RetentionDecisionKind decision = RetentionDecisionKind::Keep;
    std::string reason;     // required (text::acceptReason)
    std::string keepUntil;  // Keep: YYYY-MM-DD, after today; Purge: must be empty
};

// Records a decision on an item past the pack's retention period, with its audit entry ("retention.decided") in
// the same transaction. Program administrator only (workflow::Action::DecideRetention; a refusal is audited).
// NotFound: no such item; PolicyViolation: the item is not past its period under the active pack;
// InvalidArgument: no reason, or a keep date missing, malformed or not after today, or a date given with a purge.
// A purge is a recorded decision only: FaceLead deletes no image (VI.B.2), no search row (they are held to their
// signed audit entries) and no audit entry; the agency carries it out under its records schedule (VI.B.6).
Result<RetentionDecision> decideRetention(accounts::Session& session, const RetentionDecisionRequest& request);

// A decision counts only as a program administrator signed it (trial 22A F9: a row inserted into
// retention_decisions showed "Purge … by" the administrator who never decided it). Its "retention.decided" entry
// signs a digest of the row (row_sha256; an entry from before it: the item, decision, keep-until day, reason and
// author it names); the first entry naming the row must be intact, signed with a certified key by a program
// administrator (as the log had them then) and match. One sentence per decision row that does not hold, and per
// signed decision gone from the store; empty when all hold. reviewRetention refuses while any is found (audited);
// audit verify lists them.
Result<std::vector<std::string>> editedRetentionDecisions(store::Store& store, const audit::AccountLedger& ledger);

}  // namespace facelead::reports
