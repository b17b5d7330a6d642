// AuditLog::verify: walks the chain once, replaying what it says about the accounts (AccountLedger) so that
// each entry is checked against the authority its signer had at that moment, then compares the replayed
// accounts with the users table. The threat model: docs/SECURITY.md.

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "core/audit/AccountLedger.h"
#include "core/audit/AnchoredCopies.h"
#include "core/audit/AnchorFindings.h"
#include "core/audit/AuditLog.h"
#include "core/audit/SignedRecords.h"
#include "core/audit/detail/Entries.h"
#include "core/common/Clock.h"
#include "core/common/Hash.h"

namespace facelead::audit {
namespace {

std::string shortHash(const std::string& hash) { return hash.substr(0, 12); }

// The hash of each entry of the store by its seq (not by its position: an entry deleted from the middle must not
// shift the others, trial 12).
struct ChainEntry {
    std::string hash;
    std::string holdsSignedBy;  // its signer when it holds (signature, link, authority); "" otherwise or not read
};
using HashesBySeq = std::map<std::int64_t, ChainEntry>;

// What is wrong with the store's chain given one anchored head; "" when it agrees.
std::string compareWithHead(const HashesBySeq& hashes, const store::AnchoredHead& head, const std::string& anchorName) {
    const std::int64_t storeEnd = hashes.empty() ? 0 : hashes.rbegin()->first;
    if (head.seq > storeEnd)
        return "The store ends at audit entry " + std::to_string(storeEnd) + ", but " + anchorName +
               " recorded entry " + std::to_string(head.seq) + " (hash " + shortHash(head.hash) + "...) at " +
               head.at +
               ": committed entries are missing (the store was rolled back to an older copy, truncated, or "
               "lost its -wal file after a crash; or another copy of the store was used).";
    const auto found = hashes.find(head.seq);
    if (found == hashes.end())
        return "Audit entry " + std::to_string(head.seq) + ", which " + anchorName + " recorded at " + head.at +
               " (hash " + shortHash(head.hash) + "...), is missing from the store: it was deleted.";
    // An entry that holds where the anchor recorded another was signed after that one was lost or rewritten: its
    // signer is named (trial 83 F1: the entries an insider re-signed at the point of his deletion went unnamed).
    const std::string& signer = found->second.holdsSignedBy;
    if (found->second.hash != head.hash)
        return "Audit entry " + std::to_string(head.seq) + " differs from the one " + anchorName +
               " recorded at " + head.at + " (hash " + shortHash(head.hash) + "..., now " +
               shortHash(found->second.hash) +
               "...): the entries recorded then were lost (the store was rolled back to an older copy, "
               "truncated, or lost its -wal file after a crash), the chain was rewritten, or another copy of "
               "the store was used." +
               (signer.empty() ? std::string()
                               : " The entry there now holds, signed by " + signer + ": " + signer +
                                     "'s key signed it after that (" + signer +
                                     "'s work since, or whoever rewrote the chain held " + signer + "'s key).");
    return {};
}

bool inChain(const HashesBySeq& hashes, const store::AnchoredHead& head) {
    const auto found = hashes.find(head.seq);
    return found != hashes.end() && found->second.hash == head.hash;
}

// The heads the chain does not hold that no program administrator acknowledged (those are counted in the report).
std::vector<store::AnchoredHead> unacknowledgedNotInChain(const std::vector<store::AnchoredHead>& heads,
                                                          const HashesBySeq& hashes, const AccountLedger& ledger,
                                                          VerifyReport& report) {
    std::vector<store::AnchoredHead> notHere;
    for (const auto& head : heads) {
        if (inChain(hashes, head)) continue;
        if (ledger.acknowledged(head.seq, head.hash))
            ++report.anchorsAcknowledged;
        else
            notHere.push_back(head);
    }
    return notHere;
}

// Every anchored head of the store (read before the chain: `heads`, sorted by copy) against the chain; fills the
// report's anchor fields. Heads a program administrator acknowledged (ledger.acknowledged) are counted, not reported.
void checkAnchors(store::Store& store, const Result<HeadsByCopy>& heads, const HashesBySeq& hashes,
                  const AccountLedger& ledger, VerifyReport& report) {
    // The anchors are keyed by the signed first entry's id (store::Store::storeId); the settings row that once keyed
    // them is still named when edited (trial 24A N7).
    const std::string& createdStoreId = ledger.createdStoreId();
    const auto row = store.setting("store_id");
    if (!createdStoreId.empty() && row && row->value_or("") != createdStoreId)
        report.anchorProblems.push_back("The store's id in its settings was edited outside FaceLead (the signed first "
                                        "entry says " + createdStoreId + ", the settings say " + row->value_or("nothing") +
                                        ").");
    if (!createdStoreId.empty() && createdStoreId != store.storeId()) {
        report.anchorProblems.push_back("The store's first entry was changed (it was signed with the id " +
                                        createdStoreId + "): its anchors are hidden.");
        return;
    }
    if (store.storeId().empty()) {
        report.anchorNote = "The store has no valid id, so its chain is not anchored.";
        return;
    }
    if (!heads) {
        report.anchorNote = heads.error().message;
        return;
    }
    if (heads->own.empty() && heads->alongside.empty()) {
        report.anchorNote = "No anchor for this store was found in " + store.anchor().describe() + ".";
        return;
    }
    report.anchorsChecked = heads->own.size();
    report.foreignHeads = unacknowledgedNotInChain(heads->own, hashes, ledger, report);
    if (!report.foreignHeads.empty())
        for (const auto& branch : heads->wentOnFirst) report.anchorProblems.push_back(describeWentOnFirst(branch));
    std::set<std::string> seen;
    for (const auto& head : report.foreignHeads) {
        auto problem = compareWithHead(hashes, head, store.anchor().describe());
        if (seen.insert(problem).second) report.anchorProblems.push_back(std::move(problem));
    }
    for (const auto& copy : heads->alongside) {
        report.anchorsChecked += copy.heads.size();
        const auto notHere = unacknowledgedNotInChain(copy.heads, hashes, ledger, report);
        if (notHere.empty()) continue;
        report.anchorProblems.push_back(describeCopy(copy, notHere, store.anchor().describe()));
        report.foreignHeads.insert(report.foreignHeads.end(), notHere.begin(), notHere.end());
    }
}

}  // namespace

std::string VerifyReport::describe() const {
    std::string text;
    const auto addLine = [&text](const std::string& line) { text += (text.empty() ? "" : "\n") + line; };
    for (const auto& entry : entryProblems) addLine(entry);
    const auto unlisted = brokenEntries - static_cast<std::int64_t>(entryProblems.size());
    if (unlisted > 0) addLine("... and " + std::to_string(unlisted) + " more broken entries (export the log to see them).");
    for (const auto& account : accountProblems) addLine(account);
    for (const auto& caseProblem : caseProblems) addLine(caseProblem);
    for (const auto& galleryProblem : galleryProblems) addLine(galleryProblem);
    for (const auto& anchor : anchorProblems) addLine(anchor);
    return text;
}

namespace {

// What is wrong with an entry's place in the chain ("" when its sequence and link hold).
std::string linkProblem(const AuditEntry& entry, std::int64_t expectedSeq, const std::string& previousHash) {
    if (entry.seq != expectedSeq)
        return "entries are missing before this one (expected sequence " + std::to_string(expectedSeq) + ")";
    if (entry.prevHash != previousHash)
        return "its link to the previous entry does not match (an entry before it was changed or removed)";
    return {};
}

// An entry's time is the clock of the process that wrote it, which its user can set (trial 22A F1, F2: a search run
// under an LD_PRELOAD clock shift was dated a year back, before its author's account existed, fell out of every
// annual review and into the retention list; a sign-in dated months ahead kept an idle account alive through the
// inactivity sweep). Two witnesses the writer does not set: the entries around it (time runs forward along the
// chain) and the journal's own receipt time of each anchored head. Only a verifier that reads the real clock
// applies them: a test's clock has no relation to the journal's.
constexpr auto kClockTolerance = std::chrono::minutes(5);     // clock steps (NTP), two reads of one system clock
constexpr auto kLongestTransaction = std::chrono::hours(1);  // an entry is dated when its transaction begins

bool readsRealClock(const store::Store& store) { return dynamic_cast<const SystemClock*>(&store.clock()) != nullptr; }

// "" when the entry is not dated before the one before it (previousAt; empty for the first).
std::string timeOrderProblem(const AuditEntry& entry, const std::string& previousAt) {
    TimePoint at;
    TimePoint before;
    if (previousAt.empty() || !fromIsoUtc(entry.at, at) || !fromIsoUtc(previousAt, before) ||
        at >= before - kClockTolerance)
        return {};
    return "it is dated " + entry.at + ", before the entry before it (" + previousAt +
           "): one of the two was written under a clock set wrong";
}

// The anchored heads whose entry's own time disagrees with when the journal received the head, one sentence each.
// A folder's head carries the writer's time on both sides, so only the journal's can disagree.
std::vector<std::string> anchoredTimeProblems(const std::vector<store::AnchoredHead>& heads) {
    std::vector<std::string> problems;
    for (const auto& head : heads) {
        TimePoint entryAt;
        TimePoint received;
        if (!fromIsoUtc(head.entryAt, entryAt) || !fromIsoUtc(head.at, received)) continue;
        if (entryAt <= received + kClockTolerance && entryAt >= received - kLongestTransaction) continue;
        problems.push_back("Audit entry " + std::to_string(head.seq) + " is dated " + head.entryAt +
                           ", but its anchor was received at " + head.at +
                           ": the clock of the process that wrote it was set " +
                           (entryAt > received ? "ahead." : "back."));
    }
    return problems;
}

// Each case's first intact "case.created" entry, by case id.
using SignedCases = std::map<std::string, AuditEntry>;

// A case the signed log created that the store no longer holds (cases are never deleted: trial 17A N4 deleted
// one with its cleared lead).
void noteDeletedCases(const SignedCases& signedCases, const std::set<std::string>& stored,
                      std::vector<std::string>& problems) {
    for (const auto& [caseId, created] : signedCases) {
        if (stored.contains(caseId)) continue;
        const auto details = nlohmann::json::parse(created.detailsJson, nullptr, false);
        const std::string number = details.is_object() ? details.value("case_number", "") : "";
        problems.push_back("Case " + (number.empty() ? "#" + caseId : number) + " (created in audit entry " +
                           std::to_string(created.seq) + ") is gone from the store: it was deleted outside FaceLead.");
    }
}

// The case rows against what the signed log recorded at each case's creation (caseCreationDisagreement): one
// sentence per case edited or deleted outside FaceLead.
Result<std::vector<std::string>> compareWithCases(store::Store& store, const SignedCases& signedCases, bool bornSigned) {
    std::vector<std::string> problems;
    std::set<std::string> storedCases;
    auto cases =
        store.prepare("SELECT id, case_number, offence, created_by, assigned_officer_id, status FROM cases ORDER BY id");
    if (!cases) return cases.error();
    while (true) {
        auto row = cases->step();
        if (!row) return row.error();
        if (!*row) {
            noteDeletedCases(signedCases, storedCases, problems);
            return problems;
        }
        const StoredCase stored{cases->getText(1), cases->getText(2), cases->getOptionalInt(3), cases->getOptionalInt(4),
                                cases->getText(5)};
        storedCases.insert(std::to_string(cases->getInt(0)));
        const auto found = signedCases.find(std::to_string(cases->getInt(0)));
        if (found == signedCases.end()) {
            // Trial 26 F2: after a re-hash the honest colleague's case read as "edited"; its row may be untouched.
            if (bornSigned)
                problems.push_back("Case " + stored.caseNumber +
                                   " exists in the store but no intact signed entry created it: its row was written "
                                   "outside FaceLead, or the entry that created it was deleted, changed or broken when "
                                   "the chain was re-hashed (see the broken entries above).");
            continue;
        }
        const std::string disagreement = caseCreationDisagreement(stored, found->second);
        if (!disagreement.empty())
            problems.push_back("Case " + stored.caseNumber + " was edited outside FaceLead: " + disagreement + ".");
    }
}

void noteBroken(VerifyReport& report, const AuditEntry& entry, const std::string& problem) {
    if (!report.firstBrokenSeq) report.firstBrokenSeq = entry.seq;
    if (++report.brokenEntries <= VerifyReport::kListedEntryProblems)
        report.entryProblems.push_back("Audit entry " + std::to_string(entry.seq) + " (" + entry.action + "): " +
                                       problem + ".");
}

}  // namespace

Result<VerifyReport> AuditLog::verify(store::Store& store) {
    if (sodium_init() < 0) return makeError(ErrorCode::Internal, "The cryptography library failed to start.");
    // The anchors first, then the chain: a head is anchored only after its entry was committed, so every head
    // read now is in the chain read next, unless entries were really lost. Read the other way round, an entry
    // another session appended during the walk was anchored but not read, and the store was called rolled back
    // (issue 9).
    using Heads = Result<std::vector<store::AnchoredHead>>;
    const Heads read = store.storeId().empty() ? Heads(std::vector<store::AnchoredHead>{})  // none: see checkAnchors
                                               : store.anchor().heads(store.storeId());
    Result<HeadsByCopy> heads = read ? sortHeadsByCopy(store, *read) : Result<HeadsByCopy>(read.error());
    if (read && !heads) return heads.error();
    auto statement =
        store.prepare(std::string("SELECT ") + detail::kColumns + " FROM audit_log ORDER BY seq");
    if (!statement) return statement.error();
    VerifyReport report;
    AccountLedger replay;
    SignedCases signedCases;
    HashesBySeq hashes;
    std::string previousHash = kGenesisHash;
    std::string previousAt;
    const bool realClock = readsRealClock(store);
    std::int64_t expectedSeq = 1;
    if (read) FACELEAD_TRY(replay.expectLostAnchors(store, *read));
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        const AuditEntry entry = detail::readEntry(*statement);
        ++report.entriesChecked;
        if (entry.signer.empty()) ++report.unsignedEntries;
        const auto parsed = nlohmann::json::parse(entry.detailsJson, nullptr, false);
        const nlohmann::json details = parsed.is_object() ? parsed : nlohmann::json::object();
        if (expectedSeq == 1) replay.noteFirstEntry(entry, details);
        // Every entry is checked on its own and replayed by the same rule as at each decision (take()), so one
        // break hides nothing after it: each changed, forged or unauthorised entry is named (trial 11).
        std::string problem = linkProblem(entry, expectedSeq, previousHash);
        const std::string own = replay.take(entry, details);
        if (!own.empty()) problem += (problem.empty() ? "" : "; ") + own;
        if (const auto order = realClock ? timeOrderProblem(entry, previousAt) : std::string(); !order.empty())
            problem += (problem.empty() ? "" : "; ") + order;
        if (!problem.empty()) noteBroken(report, entry, problem);
        if (entry.action == kCaseCreated && own.empty()) signedCases.try_emplace(entry.objectId, entry);
        hashes[entry.seq] = {entry.hash, problem.empty() ? entry.signer : std::string()};
        previousHash = entry.hash;
        previousAt = entry.at;
        expectedSeq = entry.seq + 1;
    }
    replay.finishReplay();
    if (replay.lastReaffirmedSeq() > 0 && report.firstBrokenSeq)
        report.entryProblems.push_back(
            "The account entries damaged before audit entry " + std::to_string(replay.lastReaffirmedSeq()) +
            " were answered for there by the recovery key's re-affirmation (" + kAccountsReaffirmed +
            "): FaceLead obeys the accounts it lists.");
    auto accounts = replay.compareWithUsers(store);
    if (!accounts) return accounts.error();
    report.accountProblems = std::move(*accounts);
    auto settings = replay.compareSettings(store);
    if (!settings) return settings.error();
    report.accountProblems.insert(report.accountProblems.end(), settings->begin(), settings->end());
    for (const auto& damaged : replay.unansweredDamage())
        if (damaged.action == AccountLedger::kLostAnchoredHead)
            report.accountProblems.push_back("The accounts anchored outside the store: " + damaged.problem + ".");
    for (const auto& replaced : replay.keysReplacedByAnchor())
        report.accountProblems.push_back("The accounts anchored outside the store: " + replaced.problem + ".");
    auto cases = compareWithCases(store, signedCases, replay.bornSigned());
    if (!cases) return cases.error();
    report.caseProblems = std::move(*cases);
    checkAnchors(store, heads, hashes, replay, report);
    if (read && realClock)
        for (auto& problem : anchoredTimeProblems(*read)) report.anchorProblems.push_back(std::move(problem));
    return report;
}

namespace {

// The store's chain against every anchored head (not empty); "" when all agree, else the highest head that does not
// (a rollback or truncation shows there) and how many do not. Every head, not only the highest: an insider who
// deleted entries from the middle left the highest head matching, and no sign-in saw the hole (trial 23A F12, F14,
// F15: his search, a colleague's clearing follow-up and a used approval erased). One lookup per head.
Result<std::string> problemWithHeads(store::Store& store, const std::vector<store::AnchoredHead>& anchored,
                                     const AccountLedger* acknowledgements) {
    // Sorted with every head, acknowledged ones too: a copy's later heads are told by their chain back to its fork.
    auto sorted = sortHeadsByCopy(store, anchored);
    if (!sorted) return sorted.error();
    const auto unacknowledged = [acknowledgements](std::vector<store::AnchoredHead>& heads) {
        if (acknowledgements == nullptr) return;
        std::erase_if(heads, [&](const auto& head) { return acknowledgements->acknowledged(head.seq, head.hash); });
    };
    unacknowledged(sorted->own);
    for (auto& copy : sorted->alongside) unacknowledged(copy.heads);
    const auto& heads = sorted->own;
    auto end = store.prepare("SELECT coalesce(max(seq), 0) FROM audit_log");
    if (!end) return end.error();
    auto ended = end->step();
    if (!ended) return ended.error();
    HashesBySeq hashes;
    if (end->getInt(0) > 0) hashes[end->getInt(0)] = {};  // the store's last entry: all compareWithHead needs of it
    auto lookup = store.prepare("SELECT hash FROM audit_log WHERE seq = ?");
    if (!lookup) return lookup.error();
    for (const auto& head : anchored) {
        lookup->reset();
        lookup->bind(1, head.seq);
        auto row = lookup->step();
        if (!row) return row.error();
        if (*row) hashes[head.seq] = {lookup->getText(0), {}};
    }
    std::vector<const store::AnchoredHead*> foreign;
    for (const auto& head : heads)
        if (!inChain(hashes, head)) foreign.push_back(&head);
    std::string problem;
    if (!foreign.empty()) {
        const auto* highest = *std::max_element(foreign.begin(), foreign.end(),
                                                [](const auto* a, const auto* b) { return a->seq < b->seq; });
        problem = compareWithHead(hashes, *highest, store.anchor().describe());
        if (foreign.size() > 1)
            problem += " " + std::to_string(foreign.size()) +
                       " anchored entries in all do not match (audit verify lists them).";
        for (const auto& branch : sorted->wentOnFirst) problem += " " + describeWentOnFirst(branch);
    }
    for (const auto& copy : sorted->alongside) {
        std::vector<store::AnchoredHead> notHere;
        std::ranges::copy_if(copy.heads, std::back_inserter(notHere),
                             [&hashes](const auto& head) { return !inChain(hashes, head); });
        if (!notHere.empty())
            problem += (problem.empty() ? "" : " ") + describeCopy(copy, notHere, store.anchor().describe());
    }
    return problem;
}

// An entry deleted from the middle of a transaction leaves that transaction's anchored last entry in place: the heads
// all match, and only the link of the entry after the hole (its prev_hash) shows it (trial 24A N1: a one-time approval's
// "used" entry deleted, the approval used again). The first such link after the latest acknowledgement by a program
// administrator (what was acknowledged is not reported again); "" when every link holds. One pass over the log.
Result<std::string> brokenLinkSinceAcknowledged(store::Store& store) {
    auto statement = store.prepare(
        "SELECT coalesce(min(a.seq), 0) FROM audit_log a LEFT JOIN audit_log b ON b.seq = a.seq - 1 "
        "WHERE a.seq > max((SELECT min(seq) FROM audit_log), "
        "coalesce((SELECT max(seq) FROM audit_log WHERE action = ?), 0)) AND (b.seq IS NULL OR b.hash <> a.prev_hash)");
    if (!statement) return statement.error();
    statement->bind(1, AuditLog::kAnchorsAcknowledged);
    auto row = statement->step();
    if (!row) return row.error();
    const std::int64_t seq = statement->getInt(0);
    if (seq == 0) return std::string();
    return "Audit entries are missing or were changed just before entry " + std::to_string(seq) +
           " (its link to the entry before it is broken): entries were deleted from the middle of the log. "
           "Run audit verify and tell the program administrator.";
}

// Every head anchored outside the store and not acknowledged, against the chain (problemWithHeads).
Result<std::string> problemWithAnchoredHeads(store::Store& store) {
    if (store.storeId().empty()) return std::string();
    auto anchored = store.anchor().heads(store.storeId());
    // Nothing to check against: `audit verify` says so.
    if (!anchored || anchored->empty()) return std::string();
    auto problem = problemWithHeads(store, *anchored, nullptr);
    // The usual answer at sign-in: every head is in the store. Only a mismatch needs the acknowledgements
    // of the signed log (a replay of its account entries), so an ordinary sign-in does not pay for that replay.
    if (!problem || problem->empty()) return problem;
    AccountLedger ledger;
    FACELEAD_TRY(ledger.catchUp(store));
    return problemWithHeads(store, *anchored, &ledger);
}

}  // namespace

Result<std::string> AuditLog::checkAnchoredHeads(store::Store& store) {
    auto problem = problemWithAnchoredHeads(store);
    if (!problem || !problem->empty()) return problem;
    return brokenLinkSinceAcknowledged(store);
}

// Told at every sign-in, not only the first after it (trial 14A: the insider signed in first, so the only warning was
// his own), and no search runs while it stands (trial 25A R1-R3).
Result<std::string> unansweredAnchorMismatch(store::Store& store) {
    auto statement = store.prepare(
        "SELECT details FROM audit_log WHERE action = 'audit.anchor_mismatch' AND seq > coalesce((SELECT "
        "max(seq) FROM audit_log WHERE action = ?), 0) ORDER BY seq DESC LIMIT 1");
    if (!statement) return statement.error();
    statement->bind(1, AuditLog::kAnchorsAcknowledged);
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return std::string();
    const auto details = nlohmann::json::parse(statement->getText(0), nullptr, false);
    const std::string unnamed = "the audit log did not match its anchor.";
    return details.is_object() ? details.value("problem", unnamed) : unnamed;
}

Result<void> recordAnchorMismatch(store::Transaction& tx, const std::string& problem, std::string_view reportedTo) {
    auto appended = AuditLog::append(tx, {std::nullopt, "audit.anchor_mismatch", "audit_log", "",
                                          nlohmann::json{{"problem", problem},
                                                         {"anchor", tx.store().anchor().describe()},
                                                         {"reported_to", std::string(reportedTo)}}
                                              .dump()});
    if (!appended) return appended.error();
    return {};
}

Result<std::string> anchorMismatchNow(store::Store& store, std::string_view reportedTo) {
    auto recorded = unansweredAnchorMismatch(store);
    if (!recorded || !recorded->empty()) return recorded;
    // Compared first without the write lock, as every search asks; a mismatch is compared again under it (a writer
    // that committed between our read of the log and of the anchor is no mismatch) and only then recorded.
    auto seen = AuditLog::checkAnchoredHeads(store);
    if (!seen || seen->empty()) return seen;
    return store.transact([&](store::Transaction& tx) -> Result<std::string> {
        auto found = AuditLog::checkAnchoredHeads(tx.store());
        if (!found) return found.error();
        if (!found->empty()) FACELEAD_TRY(recordAnchorMismatch(tx, *found, reportedTo));
        return found;
    });
}

}  // namespace facelead::audit
