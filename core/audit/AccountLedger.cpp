#include "core/audit/AccountLedger.h"

#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <charconv>
#include <chrono>
#include <iterator>
#include <map>
#include <utility>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/audit/AnchoredCopies.h"
#include "core/audit/SettingsRemedy.h"
#include "core/audit/detail/Entries.h"
#include "core/common/Hash.h"

namespace facelead::audit {
namespace {

constexpr const char* kAdministrator = "program_administrator";
constexpr const char* kSupervisor = "supervisor";
constexpr const char* kTrainer = "trainer";
constexpr const char* kAccountsReaffirmed = AuditLog::kAccountsReaffirmed;
using detail::kTableRestored;
using detail::kTrainerModeDeclared;
using detail::kTrainingRecorded;
// What changes an account (apply() below); in nobody's name only as actsForNobody allows.
const std::set<std::string> kAccountChanges = {
    "user.created",     "user.roles_changed", "user.approved",     "user.deactivated", "user.deactivated_inactive",
    "user.suspended",   "user.reactivated",   AuditLog::kKeyCertified, kTrainingRecorded, kTableRestored,
    kAccountsReaffirmed, detail::kKeyApproved};
// A changed entry of these is replayed as it now reads while the accounts are held back (take()): roles and
// status only. A changed key certification would let its changer sign as someone else; a changed anchor
// acknowledgement would silence a rollback.
const std::set<std::string> kReplayedAsRead = {
    "user.created",     "user.roles_changed", "user.approved", "user.deactivated", "user.deactivated_inactive",
    "user.suspended",   "user.reactivated",   kTrainingRecorded, kTableRestored};

constexpr const char* kSettingsChanged = AccountLedger::kSettingsChanged;
constexpr const char* kRoleChangeRequested = "user.role_change_requested";  // AccountService::setRoles
// isCarriedOverAction: the entry names the person they are about, the signer who carried them.
const std::set<std::string> kCarriedOverActions = {"signin.failed",          "signin.refused_locked",
                                                   "signin.refused_not_active", "signin.refused_damaged_slot",
                                                   "signin.refused_uncertified_key", "signin.refused_key_replaced",
                                                   "account.locked",         "session.forced_sign_out",
                                                   "session.signed_out",     "session.locked",
                                                   "session.unlocked",       "access.refused"};
// Changes only a program administrator may sign: account changes (SOP 302.02 VI.C.3.a), taking a subject
// out of the gallery (workflow::Action::ManageGallery, Gallery::removeSubject) and acknowledging anchored heads
// that are not in this store (VI.C.2.b: the audit is theirs; AuditTrail::acknowledgeAnchors).
const std::set<std::string> kAdministratorActions = {
    "user.created",     "user.deactivated",        "user.password_reset",           "user.suspended",
    "user.reactivated", "gallery.subject_removed", AuditLog::kAnchorsAcknowledged,   kTableRestored,
    kRoleChangeRequested, kSettingsChanged};

std::string accountEntriesQuery() {
    return std::string("SELECT ") + detail::kColumns + " FROM audit_log WHERE seq > ? AND (" +
           detail::accountEntriesCondition() + " OR action = '" + detail::kSignedIn + "' OR action = '" +
           kSettingsChanged + "' OR action = '" + kRoleChangeRequested + "') ORDER BY seq";
}

std::set<std::string> roleSet(const std::string& text) {
    std::set<std::string> roles;
    std::stringstream stream(text);
    std::string role;
    while (std::getline(stream, role, ','))
        if (!role.empty()) roles.insert(role);
    return roles;
}

std::string joined(const std::set<std::string>& roles) {
    const std::string text = roleList(roles);
    return text.empty() ? "(none)" : text;
}

// An account's state as an account entry signs it (detail::kAccountsAfter).
nlohmann::json witnessed(const SignedAccount& account) {
    return {{"roles", roleList(account.roles)},
            {"status", account.status},
            {"approved_at", account.approvedAt},
            {"training_completed_at", account.trainingCompletedAt}};
}

SignedAccount fromWitness(const nlohmann::json& state) {
    if (!state.is_object()) return {};
    return {roleSet(state.value("roles", "")), state.value("status", ""), "", state.value("approved_at", ""),
            state.value("training_completed_at", ""), ""};  // a witness line carries no name
}

// Lower is less: what an account may do with each status (an unknown one, replayed as a changed entry reads,
// is least of all).
int statusRank(const std::string& status) {
    static const std::map<std::string, int> ranks = {
        {"deactivated", 0}, {"suspended", 1}, {"pending_approval", 2}, {"active", 3}};
    const auto found = ranks.find(status);
    return found == ranks.end() ? -1 : found->second;
}

// The earlier of two dates, none when either has none: an approval or a training sign-off only one side
// records is not taken, and training found on both expires at the earlier one.
std::string earlierOrNone(const std::string& left, const std::string& right) {
    if (left.empty() || right.empty()) return {};
    return std::min(left, right);
}

// Which value of an agency setting is the stricter (the settings: core/admin/AgencySettings.cpp; switches are
// "1" on, "0" off). A training validity of 0 days never expires.
enum class Stricter { Higher, Lower, LowerButZeroNever };
const std::map<std::string, Stricter> kStricterSide = {
    {"admin.second_factor_required", Stricter::Higher},   {"admin.password_require_mixed", Stricter::Higher},
    {"admin.password_min_length", Stricter::Higher},      {"admin.lockout_minutes", Stricter::Higher},
    {"admin.training_pass_mark_percent", Stricter::Higher}, {"admin.lockout_max_attempts", Stricter::Lower},
    {"admin.idle_lock_minutes", Stricter::Lower},          {"admin.inactivity_days", Stricter::Lower},
    {"admin.licence_seats", Stricter::Lower},              {"admin.training_validity_days", Stricter::LowerButZeroNever}};

// The stricter of a setting's value in the replay and in a lost anchored record; the replay's for a setting with no
// stricter side (the agency's name, the rule pack: a record anyone running FaceLead on a copy could make only ever
// tightens) or a value that is no number.
std::string stricterSetting(const std::string& key, const std::string& replayed, const std::string& anchored) {
    const auto side = kStricterSide.find(key);
    long long left = 0, right = 0;
    const auto number = [](const std::string& text, long long& value) {
        return !text.empty() && std::from_chars(text.data(), text.data() + text.size(), value).ptr == text.data() + text.size();
    };
    if (side == kStricterSide.end() || !number(replayed, left) || !number(anchored, right)) return replayed;
    if (side->second == Stricter::LowerButZeroNever) {
        if (left == 0) return anchored;
        if (right == 0) return replayed;
    }
    const bool anchoredStricter = side->second == Stricter::Higher ? right > left : right < left;
    return anchoredStricter ? anchored : replayed;
}

// Marks, in an anchored account state, the accounts its branch changed since it left this store's chain.
constexpr const char* kChangedSinceFork = "(changed since the fork)";

// The anchored account state `accounts` of a head whose branch left this store's chain after its entry `forkBase`
// (0: this store's own head, or a chain that cannot be followed back), marked with the accounts that branch
// changed since: those whose state differs from the one the chain held at the fork, as the latest head it holds at
// or before the fork recorded it (`heldAccounts`, by seq). Unmarked when the fork or its state is not known: then
// every account counts, as for this store's own lost heads. A head missing from the anchor leaves an older state,
// which only marks more accounts (more is held, nothing given).
std::string changedSinceFork(const std::string& accounts, std::int64_t forkBase,
                             const std::map<std::int64_t, std::string>& heldAccounts) {
    const auto atFork = heldAccounts.upper_bound(forkBase);
    if (forkBase <= 0 || atFork == heldAccounts.begin()) return accounts;
    auto witness = nlohmann::json::parse(accounts, nullptr, false);
    const auto before = nlohmann::json::parse(std::prev(atFork)->second, nullptr, false);
    if (!witness.is_object() || !before.is_object()) return accounts;
    auto changed = nlohmann::json::array();
    for (const auto& [name, state] : witness.items())
        if (!before.contains(name) || before[name] != state) changed.push_back(name);
    witness[kChangedSinceFork] = std::move(changed);
    return witness.dump();
}

// The lesser of two records of one account: only the roles both grant, the lower status, the dates both
// record. An account only one side knows is suspended with no roles (`other` empty).
SignedAccount lesser(const SignedAccount& replayed, const SignedAccount& other) {
    SignedAccount least = replayed.status.empty() ? other : replayed;
    if (replayed.status.empty() || other.status.empty()) {
        least.roles.clear();
        if (statusRank(least.status) > statusRank("suspended")) least.status = "suspended";
        return least;
    }
    least.roles.clear();
    std::set_intersection(replayed.roles.begin(), replayed.roles.end(), other.roles.begin(), other.roles.end(),
                          std::inserter(least.roles, least.roles.end()));
    least.status = statusRank(other.status) < statusRank(replayed.status) ? other.status : replayed.status;
    least.approvedAt = earlierOrNone(replayed.approvedAt, other.approvedAt);
    least.trainingCompletedAt = earlierOrNone(replayed.trainingCompletedAt, other.trainingCompletedAt);
    return least;
}

std::string describeState(const SignedAccount& account) {
    if (account.status.empty()) return "no account";
    return account.status + " with roles " + joined(account.roles) +
           (account.approvedAt.empty() ? ", not approved" : ", approved") +
           (account.trainingCompletedAt.empty() ? ", no training" : ", trained " + account.trainingCompletedAt);
}

nlohmann::json detailsOf(const AuditEntry& entry) {
    auto parsed = nlohmann::json::parse(entry.detailsJson, nullptr, false);
    return parsed.is_object() ? parsed : nlohmann::json::object();
}

}  // namespace

bool isCarriedOverAction(const std::string& action) { return kCarriedOverActions.count(action) > 0; }

std::string roleList(const std::set<std::string>& roles) {
    std::string text;
    for (const auto& role : roles) text += (text.empty() ? "" : ",") + role;
    return text;
}

Result<void> AccountLedger::catchUp(store::Store& store) {
    if (sodium_init() < 0) return makeError(ErrorCode::Internal, "The cryptography library failed to start.");
    if (!anchorsRead_ && !store.storeId().empty()) {
        // An anchor that cannot be read witnesses nothing here: the sign-in and audit verify say it cannot be read.
        if (auto heads = store.anchor().heads(store.storeId(), true)) FACELEAD_TRY(expectLostAnchors(store, *heads));
    }
    anchorsRead_ = true;
    auto statement = store.prepare(accountEntriesQuery());
    if (!statement) return statement.error();
    statement->bind(1, readUpTo_);
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        const AuditEntry entry = detail::readEntry(*statement);
        const nlohmann::json details = detailsOf(entry);
        if (entry.seq == 1) noteFirstEntry(entry, details);
        holdToLostAnchors(&entry.at);
        if (entry.action == detail::kSignedIn)
            takeSignIn(entry, details, [&entry] { return AuditLog::integrityProblem(entry); });
        else
            (void)take(entry, details);  // what is wrong with an entry is audit verify's to report
        readUpTo_ = entry.seq;
    }
    finishReplay();
    return {};
}

Result<void> AccountLedger::expectLostAnchors(store::Store& store, const std::vector<store::AnchoredHead>& heads) {
    anchorsRead_ = true;
    auto statement = store.prepare("SELECT hash FROM audit_log WHERE seq = ?");
    if (!statement) return statement.error();
    // A lost head is taken in time order, after every entry dated before it: one dated after now (beyond an
    // hour's clock skew between workstations) no commit of this store wrote, and it would outlive every
    // re-affirmation (a forged anchor-folder line locked the administrators out for good).
    const std::string latestPlausible = toIsoUtc(store.now() + std::chrono::hours(1));
    std::map<std::int64_t, std::string> heldAccounts;  // the account states of the heads the chain holds, by seq
    std::vector<std::size_t> lost;
    for (std::size_t i = 0; i < heads.size(); ++i) {
        const auto& head = heads[i];
        if ((head.accounts.empty() && head.settings.empty()) || head.entryAt > latestPlausible) continue;
        statement->reset();
        statement->bind(1, head.seq);
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row || statement->getText(0) != head.hash)
            lost.push_back(i);
        else if (!head.accounts.empty())
            heldAccounts[head.seq] = head.accounts;  // the chain still holds it
    }
    if (lost.empty()) return {};  // the usual answer: no branch to follow back
    // A branch is followed back to its fork through every head, not only those with accounts (the sign-in's replay
    // reads only those: catchUp).
    auto every = store.anchor().heads(store.storeId());
    const std::vector<store::AnchoredHead>& all = every ? *every : heads;
    auto bases = forkBases(store, all);
    if (!bases) return bases.error();
    std::map<std::pair<std::int64_t, std::string>, std::int64_t> forkBaseOf;
    for (std::size_t i = 0; i < all.size(); ++i) forkBaseOf.try_emplace({all[i].seq, all[i].hash}, (*bases)[i]);
    for (const std::size_t i : lost) {
        const auto& head = heads[i];
        const auto base = forkBaseOf.find({head.seq, head.hash});
        lostAnchors_.push_back({head.seq, head.entryAt, head.at,
                                changedSinceFork(head.accounts, base == forkBaseOf.end() ? 0 : base->second,
                                                 heldAccounts),
                                head.settings, store.anchor().describe()});
    }
    std::sort(lostAnchors_.begin(), lostAnchors_.end(),
              [](const LostAnchor& left, const LostAnchor& right) { return left.entryAt > right.entryAt; });
    return {};
}

void AccountLedger::holdToLostAnchors(const std::string* before) {
    while (!lostAnchors_.empty() && (before == nullptr || lostAnchors_.back().entryAt < *before)) {
        const LostAnchor lost = std::move(lostAnchors_.back());
        lostAnchors_.pop_back();
        holdSettingsTo(lost);
        auto witness = nlohmann::json::parse(lost.accounts, nullptr, false);
        if (!witness.is_object()) continue;
        // A branch witnesses only the accounts it changed since its fork: the others it records as they were
        // there, which says nothing of what this store did with them since (changedSinceFork).
        const auto changed = witness.find(kChangedSinceFork);
        if (changed != witness.end()) {
            const std::set<std::string> names = changed->is_array() ? changed->get<std::set<std::string>>()
                                                                     : std::set<std::string>{};
            witness.erase(changed);
            for (const auto& [name, account] : accounts_)
                if (!names.contains(name)) witness[name] = witnessed(account);
        }
        // An account the replay never created here signs nothing and is not given a record by a witness.
        for (auto item = witness.begin(); item != witness.end();)
            item = find(item.key()) == nullptr ? witness.erase(item) : std::next(item);
        holdKeysTo(witness, lost);
        const std::string differing = holdTo(witness, false, "anchored");
        if (differing.empty()) continue;
        damagedEntries_.push_back(
            {lost.seq, kLostAnchoredHead, "",
             lost.where + " recorded at " + lost.at + " the accounts after audit entry " + std::to_string(lost.seq) +
                 ", an entry this store no longer holds as it was, and they differ from the replay (" + differing +
                 "): an account entry was deleted, changed or rolled back since; each of these accounts is held to "
                 "the lesser of the two"});
    }
}

// A key the lost entries replaced (a reset, a password change) is the one this store still has, which whoever knows
// the old password opens (trial 69 F1): it signs nothing more here. The anchored state names the key from then on
// (AuditLog: anchoredAccounts); older anchors, which name none, hold no key.
void AccountLedger::holdKeysTo(const nlohmann::json& witness, const LostAnchor& lost) {
    for (const auto& [name, state] : witness.items()) {
        const std::string key = state.is_object() ? state.value("public_key", "") : "";
        SignedAccount& account = accounts_[name];
        if (key.empty() || account.publicKey.empty() || key == account.publicKey ||
            account.publicKey == kKeyReplacedElsewhere)
            continue;
        account.publicKey = kKeyReplacedElsewhere;
        keysReplacedByAnchor_.push_back(
            {lost.seq, kLostAnchoredHead, name,
             lost.where + " recorded at " + lost.at + ", after audit entry " + std::to_string(lost.seq) +
                 " (an entry this store no longer holds), another key for " + name +
                 " than this store has: its password was reset or changed in entries lost since (an older copy put "
                 "back, a lost -wal) or in another copy. The key this store has signs nothing more; a program "
                 "administrator resets the password of " + name});
    }
}

std::string AccountLedger::take(const AuditEntry& entry, const nlohmann::json& details) {
    holdToLostAnchors(&entry.at);
    const bool accountEntry = entry.seq == 1 || detail::isAccountEntry(entry.action);
    const std::string changed = AuditLog::integrityProblem(entry);
    if (!accountEntry) {
        if (entry.action == detail::kSignedIn) takeSignIn(entry, details, [&changed] { return changed; });
        const std::string problem = changed.empty() ? checkAuthority(entry, details) : changed;
        if (problem.empty() && entry.action == kSettingsChanged) takeSettings(details);
        if (problem.empty() && entry.action == kRoleChangeRequested)
            roleChangeRequests_[entry.seq] = {entry.signer, details.value("username", ""), details.value("to", "")};
        return problem;
    }

    // FaceLead names the account entry before it in every account entry it writes. An intact entry that names none
    // was written outside FaceLead by the holder of its signing key, whose word it is, as a forged link would be:
    // not obeyed and named like any unauthorised entry, never damage that holds every account back (trial 81 F1:
    // one such entry, signed with an investigator's own key, stopped the agency and was told as anonymous damage).
    const bool writtenOutside = changed.empty() && linkedSeen_ && !namesPreviousEntry(details);
    std::string damage = changed;
    if (const std::string link = writtenOutside ? std::string() : linkProblem(details); !link.empty())
        damage += (damage.empty() ? "" : "; ") + link;
    lastAccountSeq_ = entry.seq;
    lastAccountHash_ = entry.hash;
    const auto record = [&](const std::string& problem) {
        if (!problem.empty()) damagedEntries_.push_back({entry.seq, entry.action, details.value("username", ""), problem});
        return problem;
    };
    // A changed first entry still names the root key as it reads (held back meanwhile; trial 13A: one byte there
    // locked every account out for good): had the insider put his own key there, the founder's own entries
    // would fail and the store stays held back. The recovery key it names is not taken from it (he could have
    // put his own there and signed a re-affirmation with it): the founder's certification of it counts.
    const bool changedRoot = !changed.empty() && entry.seq == 1;
    if (!changed.empty() && !changedRoot && kReplayedAsRead.count(entry.action) == 0) return record(damage);
    std::string authority = checkAuthority(entry, details);
    if (writtenOutside)
        authority += (authority.empty() ? "" : "; ") + std::string("it does not name the account entry before it, as ") +
                     "FaceLead does in every account entry: the holder of " + entry.signer + "'s key wrote it outside "
                     "FaceLead";
    const bool signerGrants = grantsRoles(entry.signer);  // as they stood when signing
    if (authority.empty() && !changedRoot) apply(entry, details);
    // What an intact entry's authorised signer saw is a witness the replay must agree with; a changed
    // entry's (or an unauthorised one's) record is its changer's word and is not taken.
    if (changed.empty() && authority.empty())
        if (const std::string disagreement = holdToWitness(details, signerGrants); !disagreement.empty())
            damage += (damage.empty() ? "" : "; ") + disagreement;
    record(damage);
    if (changed.empty() && !authority.empty())
        unauthorisedEntries_.push_back({entry.seq, entry.action, details.value("username", ""), authority});
    return damage + (damage.empty() || authority.empty() ? "" : "; ") + authority;
}

nlohmann::json AccountLedger::accountsAfter(const AuditEntry& entry, const nlohmann::json& details) {
    if (checkAuthority(entry, details).empty()) apply(entry, details);
    auto all = nlohmann::json::object();
    for (const auto& [name, account] : accounts()) all[name] = witnessed(account);
    return all;
}

// Whose key signed an entry in another's name (trial 81 F2: the auditor read only the name the entry claims).
std::string AccountLedger::holderOf(const std::string& key) const {
    for (const auto& [name, account] : accounts_)
        if (account.publicKey == key) return name + "'s certified key";
    for (const auto& [name, certified] : everCertified_)
        if (certified == key) return "a key once certified as " + name + "'s (replaced since)";
    return "a key nobody certified";
}

bool AccountLedger::grantsRoles(const std::string& signer) const {
    if (signer == store::Store::kRecoverySigner) return true;
    const auto found = accounts_.find(signer);
    return found != accounts_.end() &&
           (found->second.roles.count(kAdministrator) > 0 || found->second.roles.count(kSupervisor) > 0);
}

std::string AccountLedger::holdToWitness(const nlohmann::json& details, bool signerGrants) {
    const auto witness = details.find(detail::kAccountsAfter);
    if (witness == details.end() || !witness->is_object()) return {};
    const std::string differing = holdTo(*witness, signerGrants, "signed");
    if (differing.empty()) return {};
    return "the accounts its signer saw after it differ from the replay (" + differing +
           "): an account entry before it was changed, deleted or renamed; " +
           (signerGrants ? "each of these accounts is taken as its signer, who could grant roles, saw it"
                         : "each of these accounts is held to the lesser of the two (its signer could not grant "
                           "roles)");
}

std::string AccountLedger::holdTo(const nlohmann::json& witness, bool adopt, const std::string& as) {
    std::set<std::string> names;
    for (const auto& [name, account] : accounts()) names.insert(name);
    for (const auto& [name, state] : witness.items()) names.insert(name);
    std::string differing;
    for (const auto& name : names) {
        const auto replayed = accounts_.count(name) > 0 ? accounts_[name] : SignedAccount{};
        const SignedAccount seen = witness.contains(name) ? fromWitness(witness[name]) : SignedAccount{};
        if (witnessed(replayed) == witnessed(seen)) continue;
        differing += (differing.empty() ? "" : "; ") + name + ": " + describeState(replayed) + " as replayed, " +
                     describeState(seen) + " as " + as;
        const std::string key = accounts_[name].publicKey;
        accounts_[name] = adopt ? seen : lesser(replayed, seen);
        accounts_[name].publicKey = key;
    }
    return differing;
}

bool AccountLedger::namesPreviousEntry(const nlohmann::json& details) {
    const auto link = details.find(detail::kPreviousAccountEntry);
    return link != details.end() && link->is_object();
}

std::string AccountLedger::linkProblem(const nlohmann::json& details) {
    if (!namesPreviousEntry(details))
        return linkedSeen_ ? "it does not name the account entry before it, as every account entry since the first "
                             "that did must"
                           : "";
    const auto link = details.find(detail::kPreviousAccountEntry);
    linkedSeen_ = true;
    const std::int64_t seq = link->value("seq", std::int64_t(0));
    if (seq > lastAccountSeq_)
        return "the account entry it follows (entry " + std::to_string(seq) +
               ") is missing or no longer an account entry: it was deleted or its action renamed, or the entries were "
               "renumbered";
    if (seq < lastAccountSeq_)
        return "it follows account entry " + std::to_string(seq) + ", so account entry " +
               std::to_string(lastAccountSeq_) + " was slipped in (or renamed into an account entry) after signing";
    if (link->value("hash", "") != lastAccountHash_)
        return "the account entry it follows (entry " + std::to_string(seq) + ") was changed or re-hashed since";
    return {};
}

void AccountLedger::takeSignIn(const AuditEntry& entry, const nlohmann::json& details,
                               const std::function<std::string()>& changed) {
    const auto link = details.find(detail::kPreviousAccountEntry);
    const bool named = link != details.end() && link->is_object();
    if (named && link->value("seq", std::int64_t(0)) == lastAccountSeq_ && link->value("hash", "") == lastAccountHash_)
        return;
    if (!linkedSeen_) return;  // a store from before the links
    std::string problem = changed();
    if (problem.empty() && !named) return;  // intact, written before sign-ins named the account entry before them
    if (problem.empty())
        problem = "it was signed after account entry " + std::to_string(link->value("seq", std::int64_t(0))) +
                  ", which is " +
                  (link->value("seq", std::int64_t(0)) > lastAccountSeq_
                       ? "now missing or no longer an account entry: it was deleted or its action renamed, or the "
                         "entries were renumbered"
                       : "no longer as it was signed, or the account entries since were changed");
    else
        problem += " (a sign-in names the account entry before it: a changed one can hide a deleted account entry)";
    damagedEntries_.push_back({entry.seq, entry.action, "", problem});
}

bool AccountLedger::accountsHeldBack() const { return !heldBackReason().empty(); }

std::vector<DamagedEntry> AccountLedger::unansweredDamage() const {
    return {damagedEntries_.begin() + static_cast<std::ptrdiff_t>(answeredDamage_), damagedEntries_.end()};
}

std::string AccountLedger::heldBackReason() const {
    const auto first = damagedEntries_.begin() + static_cast<std::ptrdiff_t>(answeredDamage_);
    if (first == damagedEntries_.end()) return {};
    const auto more = std::distance(first, damagedEntries_.end()) - 1;
    return "audit entry " + std::to_string(first->seq) + " (" + first->action + "): " + first->problem +
           (more > 0 ? " (and " + std::to_string(more) + " more damaged account " +
                           (more == 1 ? "entry)" : "entries)")
                     : "");
}

std::map<std::string, SignedAccount> AccountLedger::accounts() const {
    std::map<std::string, SignedAccount> created;
    for (const auto& [name, account] : accounts_)
        if (!account.status.empty()) created.emplace(name, account);
    return created;
}

bool AccountLedger::everCertified(const std::string& signer, const std::string& key) const {
    return everCertified_.count({signer, key}) > 0;
}

bool AccountLedger::namesItsUser(const AuditEntry& entry) const {
    if (!entry.userId) return true;
    const auto bound = namesById_.find(*entry.userId);
    return bound == namesById_.end() ? !bornSigned_ : bound->second == entry.username;
}

std::string AccountLedger::certifiedKey(const std::string& signer) const {
    const auto found = accounts_.find(signer);
    return found == accounts_.end() ? std::string() : found->second.publicKey;
}

std::string AccountLedger::accountsSource() const {
    const bool heldToAnchor = std::ranges::any_of(
        damagedEntries_, [](const DamagedEntry& damaged) { return damaged.action == kLostAnchoredHead; });
    return heldToAnchor ? "the signed audit log as held to the anchor outside the store" : "the signed audit log";
}

const SignedAccount* AccountLedger::find(const std::string& username) const {
    const auto found = accounts_.find(username);
    return found == accounts_.end() || found->second.status.empty() ? nullptr : &found->second;
}

std::string AccountLedger::checkAuthority(const AuditEntry& entry, const nlohmann::json& details) {
    if (entry.signer.empty()) {
        if (signedSeen_) return "it is not signed (every entry after the first signed one must be)";
        return {};
    }
    SignedAccount& signer = accounts_[entry.signer];
    const bool selfDeclared = entry.action == AuditLog::kKeyCertified &&
                              details.value("username", "") == entry.signer &&
                              details.value("public_key", "") == entry.signerKey;
    if (signer.publicKey.empty()) {
        // The root: the first signed entry opening a new store; or an account from before signatures
        // declaring its own key at its first sign-in after the upgrade (trust on first use).
        const bool root = !signedSeen_ && entry.action == "store.created";
        if (!root && !selfDeclared) return "it is signed by " + entry.signer + " with a key nobody certified";
        signer.publicKey = entry.signerKey;
        everCertified_.emplace(entry.signer, entry.signerKey);
    } else if (signer.publicKey != entry.signerKey) {
        return "it is signed with " + holderOf(entry.signerKey) + ", not " + entry.signer + "'s certified key";
    }
    // A deactivated account has no key slot and no database key any more: nothing FaceLead writes is signed by it
    // (trial 61 F4: its key, unwrapped from an old copy of the key file, signed an entry in its name later).
    if (signer.status == "deactivated")
        return "it is signed by " + entry.signer + " after the account was deactivated, which FaceLead never does";
    const bool systemEvent = entry.username == "system";
    if (!systemEvent && entry.username != entry.signer && kCarriedOverActions.count(entry.action) == 0)
        return "it is written in the name of " + entry.username + " but signed by " + entry.signer;
    if (!systemEvent && kCarriedOverActions.count(entry.action) == 0 && !namesItsUser(entry))
        return "it carries user id " + std::to_string(*entry.userId) + ", which the log gave to another account than " +
               entry.username;
    if (entry.action == kTrainerModeDeclared && (entry.signer != rootSigner_ || othersCreated_))
        return "only the founding account, while alone in a new store, declares it a trainer-mode store";
    if (entry.action == kAccountsReaffirmed && entry.signer != store::Store::kRecoverySigner)
        return "only the holder of the recovery key re-affirms the accounts, but " + entry.signer + " signed it";
    if (systemEvent && kAccountChanges.count(entry.action) > 0 && !actsForNobody(entry, details, selfDeclared))
        return "it changes the account " + details.value("username", std::string("(none)")) +
               " in nobody's name, signed by " + entry.signer;
    if (!systemEvent) {
        const bool recovery = entry.signer == store::Store::kRecoverySigner;
        const bool administrator = signer.roles.count(kAdministrator) > 0;
        if (kAdministratorActions.count(entry.action) > 0 && !administrator)
            return entry.signer + " was not a program administrator when signing this " + entry.action;
        // A password change: the account's certified key certifies its own next one (trial 61 F1), checked above
        // to be the key the log holds for it now.
        const bool selfRotated = entry.action == AuditLog::kKeyCertified && details.value("username", "") == entry.signer;
        if (entry.action == AuditLog::kKeyCertified && !administrator && !recovery && !selfDeclared && !selfRotated)
            return entry.signer + " certified a key without being a program administrator";
        // A role change is applied by a second person: a program administrator or a supervisor.
        if (entry.action == "user.roles_changed" && !administrator && signer.roles.count(kSupervisor) == 0)
            return entry.signer + " was neither a program administrator nor a supervisor when signing this " +
                   entry.action;
        if ((entry.action == "user.approved" || entry.action == detail::kKeyApproved) &&
            signer.roles.count(kSupervisor) == 0)
            return entry.signer + " was not a supervisor when approving an account or its key";
        // Training is signed off by a trainer or a program administrator, never by the trainee (VI.D.2.b); the
        // one exception is a trainer-mode store's demonstration account (training::createTrainingStore).
        if (entry.action == kTrainingRecorded) {
            if (!administrator && signer.roles.count(kTrainer) == 0)
                return entry.signer + " was neither a trainer nor a program administrator when signing off training";
            if (details.value("username", "") == entry.signer && !trainerModeStore_)
                return entry.signer + " signed off their own training";
        }
    }
    if (const std::string approval = keyApprovalProblem(entry, details); !approval.empty()) return approval;
    // Trials 62 F2 and 63 F2: FaceLead refuses such a session everything but its own password change
    // (passwordChangeDue) and refuses its sign-in once changed, until a supervisor approves the key, so anything else
    // signed with it was signed by whoever chose the password. Stores from before the account entries were linked
    // (linkedSeen_) may hold such entries from before the rule, and are not held to it.
    if (const auto standing = keyAwaitingApproval(entry.signer);
        linkedSeen_ && standing && !signedBeforeOwnPassword(entry, details))
        return "it is signed by " + entry.signer + " with a key no supervisor approved as " + entry.signer + "'s own (" +
               (standing->ownerMade ? "made by a password change after " + standing->setBy +
                                          " set the password, or by the recovery key " + standing->setBy +
                                          " was shown: whoever knew that password could have made it"
                                    : "made when " + standing->setBy + " set the password") +
               "): FaceLead signs nothing but the sign-in and the password change with such a key";
    if (const std::string twoPersons = twoPersonProblem(entry, details); !twoPersons.empty()) return twoPersons;
    signedSeen_ = true;
    return {};
}

// A key approval names the account's certified key, which its owner made with their own password (not the key
// made with a password another account chose), approved by a supervisor who neither set that password nor holds
// the account (but for the founding exception). The fingerprint check itself is the approving person's, in the core.
std::string AccountLedger::keyApprovalProblem(const AuditEntry& entry, const nlohmann::json& details) const {
    const bool access = entry.action == "user.approved";
    if (!access && entry.action != detail::kKeyApproved) return {};
    const std::string target = details.value("username", "");
    if ((details.contains("public_key") || !access) && details.value("public_key", "") != certifiedKey(target))
        return "it approves a key that is not the account's certified key";
    if (access) return {};  // access, not yet the key: the key set with the initial password signs nothing more
    const auto standing = keyAwaitingApproval(target);
    if (!standing) return "it approves the key of " + target + ", which needed no approval";
    if (!standing->ownerMade)
        return "it approves the key made when " + standing->setBy + " set " + target +
               "'s password, before its owner chose their own: whoever chose the password holds that key";
    if (entry.signer == target) return entry.signer + " approved their own key";
    if (entry.signer == standing->setBy && !foundingException(entry.signer, target))
        return entry.signer + " set the password of " + target +
               " and approved the key made after it: two persons give access (SOP 302.02 VI.D.2.a)";
    return {};
}

// A key the recovery key gave an account (`store recover`, or a re-affirmation naming another key) was made with a
// password its holder chose, and store init showed that key to the founder: a supervisor other than the founder
// approves it, as after a reset (trial 64 F1: the founder took over a supervisor's account and approved, as her, a key
// he had made). A founder alone in the store, locked out, has nobody to ask: his is approved at once.
void AccountLedger::awaitApprovalOfRecoveredKey(const std::string& username) {
    const bool othersApproved = std::ranges::any_of(accounts_, [&](const auto& account) {
        return account.first != rootSigner_ && account.first != store::Store::kRecoverySigner &&
               !account.second.approvedAt.empty();
    });
    if (othersApproved)
        keysAwaitingApproval_[username] = {true, rootSigner_};
    else
        keysAwaitingApproval_.erase(username);
}

std::optional<AccountLedger::KeyStanding> AccountLedger::keyAwaitingApproval(const std::string& username) const {
    const auto found = keysAwaitingApproval_.find(username);
    if (found == keysAwaitingApproval_.end()) return std::nullopt;
    return found->second;
}

std::string AccountLedger::twoPersonProblem(const AuditEntry& entry, const nlohmann::json& details) const {
    if (!linkedSeen_) return {};  // a store from before the rule was signed
    const std::string target = details.value("username", "");
    if (entry.action == "user.approved") {
        const auto creator = creators_.find(target);
        if (creator != creators_.end() && creator->second == entry.signer && !foundingException(entry.signer, target))
            return entry.signer + " created the account " + target +
                   " and approved it too: two persons give access (SOP 302.02 VI.D.2.a)";
        return {};
    }
    if (entry.action != "user.roles_changed") return {};
    // No second person exists yet: the founder alone in a new store (a trainer-mode store's demonstration account
    // takes every role so); and taking roles away harms nobody's accountability.
    if (entry.signer == rootSigner_ && !othersCreated_) return {};
    const auto current = accounts_.find(target);
    const auto to = roleSet(details.value("to", ""));
    if (current != accounts_.end() && std::ranges::includes(current->second.roles, to)) return {};
    const auto request = roleChangeRequests_.find(details.value("request_seq", std::int64_t(0)));
    if (request == roleChangeRequests_.end())
        return "it changes the roles of " + target +
               " without a role change request signed before it (one person requests, another approves: SOP 302.02 "
               "VI.D.2.a)";
    if (request->second.username != target || request->second.to != details.value("to", ""))
        return "it changes the roles of " + target + " otherwise than the request it names asked";
    if (request->second.signer == entry.signer || target == entry.signer)
        return entry.signer + " approved a change of roles they requested, or of their own account: two persons "
                              "change access (SOP 302.02 VI.D.2.a)";
    return {};
}

// The founder, before any other account was ever approved, approves alone the supervisor who then approves the
// others (AccountService's checkTwoPersons). Never again later: the others suspended or deactivated for the purpose
// made the founder "alone" a second time (trial 63 F1).
bool AccountLedger::foundingException(const std::string& signer, const std::string& approved) const {
    if (signer != rootSigner_) return false;
    for (const auto& [name, account] : accounts_)
        if (name != signer && name != approved && !account.approvedAt.empty()) return false;
    const auto found = accounts_.find(approved);
    return found != accounts_.end() && found->second.roles.count(kSupervisor) > 0;
}

bool AccountLedger::signedBeforeOwnPassword(const AuditEntry& entry, const nlohmann::json& details) {
    static const std::set<std::string> kSignIn = {
        detail::kSignedIn,           "user.password_changed",     "store.key_rotated",
        "access.refused",            "second_factor.enrolled",    "second_factor.recovery_code_used",
        "account.grants_mismatch",   "audit.anchor_mismatch",     "store.lockout_rule_restored",
        "store.pending_events_refused", "store.recovery_slot_damaged", "store.key_slots_missing",
        "signin.refused_second_factor_removed", "signin.refused_key_not_approved", "second_factor.carried_over",
        "account.recovered"};
    const bool ownAccount = details.value("username", "") == entry.signer;
    return kSignIn.count(entry.action) > 0 || kCarriedOverActions.count(entry.action) > 0 ||
           (ownAccount && (entry.action == AuditLog::kKeyCertified || entry.action == "user.deactivated_inactive"));
}

// An entry in nobody's name (the system's) changes an account only where no person acts: the founding
// account created at a new store's birth, a key declared by its owner or by the recovery slot, the inactivity
// sweep, the recovery key holder's re-affirmation and the users table it puts back. Anything else would let whoever
// signs it grant roles, approval or training in nobody's name.
bool AccountLedger::actsForNobody(const AuditEntry& entry, const nlohmann::json& details, bool selfDeclared) const {
    const std::string& action = entry.action;
    // The inactivity sweep (VI.C.2 NOTE) is a program administrator's duty; anyone else's session sweeps only
    // its own account (idle too long, refused at its own sign-in). Trial 14A: a sweep signed with an
    // investigator's own key deactivated the only administrator and supervisor.
    if (action == "user.deactivated_inactive")
        return accounts_.count(entry.signer) > 0 && (accounts_.at(entry.signer).roles.count(kAdministrator) > 0 ||
                                                     details.value("username", "") == entry.signer);
    // The re-affirmation puts the users table to what it affirms, in the same transaction (trial 66 F2).
    if (action == kAccountsReaffirmed || action == kTableRestored) return entry.signer == store::Store::kRecoverySigner;
    if (action == AuditLog::kKeyCertified) return selfDeclared || entry.signer == store::Store::kRecoverySigner;
    if (action == "user.created")
        return entry.signer == rootSigner_ && details.value("username", "") == rootSigner_ && !othersCreated_;
    return false;
}

void AccountLedger::apply(const AuditEntry& entry, const nlohmann::json& details) {
    if (entry.action == AuditLog::kAnchorsAcknowledged) {
        const auto heads = details.find("heads");
        if (heads == details.end() || !heads->is_array()) return;
        for (const auto& head : *heads)
            if (head.is_object())
                acknowledgedHeads_.emplace(head.value("seq", std::int64_t(0)), head.value("hash", ""));
        return;
    }
    if (entry.action == kTrainerModeDeclared) {
        trainerModeStore_ = true;
        return;
    }
    if (entry.action == kAccountsReaffirmed) {
        applyReaffirmation(entry, details);
        return;
    }
    // The root entry names the recovery slot's key (stores created since trial 12A), so that a re-affirmation
    // does not depend on the founder's certification of it, which a changed founder's entry could undo.
    if (entry.action == "store.created" && details.contains("recovery_public_key")) {
        accounts_[store::Store::kRecoverySigner].publicKey = details.value("recovery_public_key", "");
        everCertified_.emplace(store::Store::kRecoverySigner, accounts_[store::Store::kRecoverySigner].publicKey);
        return;
    }
    const std::string name = details.value("username", "");
    if (name.empty()) return;
    // A row no signed entry created, put back by a program administrator (accounts::restoreUsersTable): from
    // then on the log knows it, deactivated with no roles, so it is no longer flagged. Other rows were put
    // back to what the log already says.
    if (entry.action == kTableRestored) {
        if (find(name) == nullptr) accounts_[name] = SignedAccount{{}, "deactivated", "", "", "", ""};
        return;
    }
    SignedAccount& account = accounts_[name];
    const std::string& action = entry.action;
    if (action == "user.created") {
        namesById_.emplace(std::strtoll(entry.objectId.c_str(), nullptr, 10), name);
        creators_[name] = entry.signer;
        account.roles = roleSet(details.value("roles", ""));
        account.status = details.value("status", "pending_approval");
        account.displayName = details.value("display_name", "");
        if (account.status == "active") account.approvedAt = entry.at;  // the founder: created active
        othersCreated_ = othersCreated_ || name != rootSigner_;
    } else if (action == "user.roles_changed") {
        account.roles = roleSet(details.value("to", ""));
        roleChangeRequests_.erase(details.value("request_seq", std::int64_t(0)));  // carried out once
    } else if (action == kTrainingRecorded) {
        account.trainingCompletedAt = details.value("completed_at", "");
    } else if (action == "user.approved") {
        account.status = "active";
        account.approvedAt = entry.at;
    } else if (action == detail::kKeyApproved) {
        keysAwaitingApproval_.erase(name);
    } else if (action == "user.deactivated" || action == "user.deactivated_inactive") {
        account.status = "deactivated";
    } else if (action == "user.suspended") {
        account.status = "suspended";
    } else if (action == "user.reactivated") {
        account.status = details.value("status", "active");
    } else if (action == AuditLog::kKeyCertified) {
        account.publicKey = details.value("public_key", "");
        std::erase_if(keysReplacedByAnchor_, [&name](const DamagedEntry& held) { return held.username == name; });
        everCertified_.emplace(name, account.publicKey);
        const auto awaiting = keysAwaitingApproval_.find(name);
        if (name == store::Store::kRecoverySigner) return;
        if (entry.signer == store::Store::kRecoverySigner)
            awaitApprovalOfRecoveredKey(name);
        else if (entry.signer != name)
            keysAwaitingApproval_[name] = {false, entry.signer};
        else if (awaiting != keysAwaitingApproval_.end())
            awaiting->second.ownerMade = true;  // the owner's change, or a change in the owner's place
    }
}

// The recovery-key holder's list is the whole truth about the accounts from here on: an account it does not
// list is deactivated with no roles, and every damage before it is answered for.
void AccountLedger::applyReaffirmation(const AuditEntry& entry, const nlohmann::json& details) {
    const auto listed = details.find("accounts");
    if (listed == details.end() || !listed->is_array()) return;
    for (auto& [name, account] : accounts_) {
        if (name == store::Store::kRecoverySigner || account.status.empty()) continue;
        account.status = "deactivated";
        account.roles.clear();
    }
    for (const auto& item : *listed) {
        if (!item.is_object() || item.value("username", "").empty()) continue;
        SignedAccount& account = accounts_[item.value("username", "")];
        if (item.value("public_key", "") != account.publicKey) awaitApprovalOfRecoveredKey(item.value("username", ""));
        // The re-affirmation answers for grants; the name stays as its user.created signed it.
        account = SignedAccount{roleSet(item.value("roles", "")), item.value("status", "suspended"),
                                item.value("public_key", ""), item.value("approved_at", ""),
                                item.value("training_completed_at", ""), account.displayName};
    }
    lastReaffirmedSeq_ = entry.seq;
    answeredDamage_ = damagedEntries_.size();
}

Result<std::vector<std::string>> AccountLedger::compareWithUsers(store::Store& store) const {
    std::vector<std::string> problems;
    auto users = store.prepare(
        "SELECT username, roles, status, training_completed_at IS NOT NULL, approved_at IS NOT NULL FROM users ORDER BY id");
    if (!users) return users.error();
    const std::string source = accountsSource();
    while (true) {
        auto row = users->step();
        if (!row) return row.error();
        if (!*row) break;
        const std::string name = users->getText(0);
        const auto roles = roleSet(users->getText(1));
        const std::string status = users->getText(2);
        const SignedAccount* logged = find(name);
        if (logged == nullptr) {
            if (bornSigned_)
                problems.push_back("The account " + name + " exists in the store but no signed entry created it.");
            continue;
        }
        if (roles != logged->roles)
            problems.push_back("The account " + name + " has the roles " + joined(roles) +
                               " in the store, but " + source + " grants " + joined(logged->roles) + ".");
        if (status != logged->status)
            problems.push_back("The account " + name + " is " + status + " in the store, but " + source + " says " +
                               logged->status + ".");
        if ((users->getInt(3) != 0) != !logged->trainingCompletedAt.empty())
            problems.push_back("The account " + name + (users->getInt(3) != 0 ? " is" : " is not") +
                               " trained in the store, but " + source + " " +
                               (logged->trainingCompletedAt.empty() ? "records no training sign-off."
                                                                     : "records a training sign-off."));
        if ((users->getInt(4) != 0) != !logged->approvedAt.empty())
            problems.push_back("The account " + name + (users->getInt(4) != 0 ? " is" : " is not") +
                               " approved in the store, but " + source + " " +
                               (logged->approvedAt.empty() ? "records no approval." : "records an approval."));
    }
    auto names = compareDisplayNames(store);
    if (!names) return names.error();
    problems.insert(problems.end(), names->begin(), names->end());
    return problems;
}

Result<std::vector<std::string>> AccountLedger::compareDisplayNames(store::Store& store) const {
    std::vector<std::string> problems;
    auto users = store.prepare("SELECT username, display_name FROM users ORDER BY id");
    if (!users) return users.error();
    while (true) {
        auto row = users->step();
        if (!row) return row.error();
        if (!*row) return problems;
        const SignedAccount* logged = find(users->getText(0));
        if (logged == nullptr || logged->displayName.empty() || logged->displayName == users->getText(1)) continue;
        problems.push_back("The account " + users->getText(0) + " is shown as \"" + users->getText(1) +
                           "\" in the store, but the signed audit log created it as \"" + logged->displayName + "\".");
    }
}

void AccountLedger::takeSettings(const nlohmann::json& details) {
    const auto changes = details.find("changes");
    if (changes == details.end() || !changes->is_array()) return;
    for (const auto& change : *changes)
        if (change.is_object() && change.value("new", nlohmann::json()).is_string()) {
            const std::string key = change.value("key", "");
            signedSettings_[key] = change.value("new", "");
            settingsHeldByAnchor_.erase(key);  // signed again since
        }
}

nlohmann::json AccountLedger::settingsAfter(const AuditEntry& entry, const nlohmann::json& details) {
    if (checkAuthority(entry, details).empty()) takeSettings(details);
    return nlohmann::json(signedSettings_);
}

// A settings change lost from the store (trial 66 F3: a rollback turned the second factor off again) holds each
// setting it recorded that has a stricter side to the stricter of the two; one the replay never signed (its default
// holds, which the log does not know) takes the recorded value.
void AccountLedger::holdSettingsTo(const LostAnchor& lost) {
    const auto anchored = nlohmann::json::parse(lost.settings, nullptr, false);
    if (!anchored.is_object()) return;
    for (const auto& [key, value] : anchored.items()) {
        // One with no stricter side (the agency's name, the rule pack) keeps the store's: only ever tightened.
        if (!value.is_string() || !kStricterSide.contains(key)) continue;
        const auto replayed = signedSettings_.find(key);
        const std::string held = replayed == signedSettings_.end()
                                     ? value.get<std::string>()
                                     : stricterSetting(key, replayed->second, value.get<std::string>());
        if (replayed != signedSettings_.end() && held == replayed->second) continue;
        signedSettings_[key] = held;
        settingsHeldByAnchor_[key] = "a settings change that " + lost.where + " recorded at " + lost.at +
                                     " (after audit entry " + std::to_string(lost.seq) +
                                     ", in entries this store no longer holds)";
    }
}

namespace {
const std::string kHeldUntilSaved =
    std::string(", which FaceLead holds to (the stricter of the two) until ") + kSettingsSignedAgain + ".";
}  // namespace

Result<std::vector<std::string>> AccountLedger::compareSettings(store::Store& store) const {
    std::vector<std::string> problems;
    if (!bornSigned_) return problems;
    auto rows = store.prepare("SELECT key, value FROM settings WHERE substr(key, 1, 6) = 'admin.' ORDER BY key");
    if (!rows) return rows.error();
    std::set<std::string> stored;
    while (true) {
        auto row = rows->step();
        if (!row) return row.error();
        if (!*row) break;
        const std::string key = rows->getText(0);
        const std::string value = rows->getText(1);
        stored.insert(key);
        const auto signedValue = signedSettings_.find(key);
        const auto heldBy = settingsHeldByAnchor_.find(key);
        if (signedValue == signedSettings_.end())
            problems.push_back("The setting " + key + " is \"" + value +
                               "\" in the store, but no program administrator's signed change set it.");
        else if (heldBy != settingsHeldByAnchor_.end() && signedValue->second != value)
            problems.push_back("The setting " + key + " is \"" + value + "\" in the store, but " + heldBy->second +
                               " set it to \"" + signedValue->second + "\"" + kHeldUntilSaved);
        else if (signedValue->second != value)
            problems.push_back("The setting " + key + " is \"" + value + "\" in the store, but a program "
                               "administrator's last signed change set it to \"" + signedValue->second + "\".");
    }
    for (const auto& [key, value] : signedSettings_) {
        if (stored.count(key) > 0) continue;
        const auto heldBy = settingsHeldByAnchor_.find(key);
        const bool held = heldBy != settingsHeldByAnchor_.end();
        problems.push_back("The setting " + key + " is gone from the store, but " +
                           (held ? heldBy->second : "a program administrator's last signed change") + " set it to \"" +
                           value + "\"" + (held ? kHeldUntilSaved : "."));
    }
    return problems;
}

Result<std::optional<std::string>> AccountLedger::settingAsSigned(store::Store& store, const std::string& key) const {
    if (!bornSigned_) return store.setting(key);
    const auto signedValue = signedSettings_.find(key);
    if (signedValue == signedSettings_.end()) return std::optional<std::string>();
    return std::optional(signedValue->second);
}

void AccountLedger::noteFirstEntry(const AuditEntry& entry, const nlohmann::json& details) {
    bornSigned_ = !entry.signer.empty();
    rootSigner_ = entry.signer;
    if (entry.action == "store.created") createdStoreId_ = details.value("store_id", "");
}

}  // namespace facelead::audit
