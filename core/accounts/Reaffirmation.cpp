#include "core/accounts/Reaffirmation.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "core/accounts/SignedAccounts.h"
#include "core/audit/AuditLog.h"
#include "core/common/Text.h"
#include "core/workflow/Roles.h"

namespace facelead::accounts {
namespace {

// The named accounts as the store's signed entries alone grant them (no anchored witness): --as-signed.
Result<std::map<std::string, audit::SignedAccount>> asSignedInStore(store::Store& store,
                                                                     const std::vector<std::string>& names) {
    std::map<std::string, audit::SignedAccount> taken;
    if (names.empty()) return taken;
    audit::AccountLedger signedOnly;
    FACELEAD_TRY(signedOnly.expectLostAnchors(store, {}));  // no anchored witness: the store's signed entries only
    FACELEAD_TRY(signedOnly.catchUp(store));
    for (const auto& name : names) {
        const audit::SignedAccount* account = signedOnly.find(name);
        if (account == nullptr)
            return makeError(ErrorCode::NotFound, "The signed audit log holds no account named '" +
                                                      text::escapedText(name) + "' to take as signed.");
        taken.emplace(name, *account);
    }
    return taken;
}

// The latest account states anchored outside the store by a head this store's chain does not hold: the store in
// use when an older copy was put in its place, or a copy used alongside. An empty object when there is none.
Result<nlohmann::json> latestLostRecord(store::Store& store, std::int64_t& seq) {
    auto heads = store.anchor().heads(store.storeId(), true);
    if (!heads) return nlohmann::json::object();  // an anchor that cannot be read witnesses nothing (catchUp)
    std::ranges::sort(*heads, [](const auto& left, const auto& right) { return left.entryAt > right.entryAt; });
    auto held = store.prepare("SELECT 1 FROM audit_log WHERE seq = ? AND hash = ?");
    if (!held) return held.error();
    for (const auto& head : *heads) {
        held->reset();
        held->bind(1, head.seq).bind(2, head.hash);
        auto row = held->step();
        if (!row) return row.error();
        auto accounts = nlohmann::json::parse(head.accounts, nullptr, false);
        if (*row || !accounts.is_object()) continue;
        seq = head.seq;
        return accounts;
    }
    return nlohmann::json::object();
}

// Why the holder is told more than the proposal: a deactivated account's slot is back in the key file, or the latest
// record anchored outside the store grants the account more (a later grant or reactivation made in the store in use
// before an older copy was put in its place: trial 68 F3, F6). An anchored record only ever takes away (anyone who
// ran FaceLead on a copy could have made it), so it is named, not taken.
std::string noteOnSlotAndLaterRecord(const ReaffirmedAccount& account, bool holdsSlot, bool takenAsSigned,
                                     const nlohmann::json& lost, std::int64_t lostSeq) {
    std::string note;
    if (holdsSlot && account.status == workflow::statusName(workflow::UserStatus::Deactivated))
        note = "its key slot is back in the key file, with an older copy of the store: removed when signed, and the "
               "database key rotated";
    const auto later = lost.find(account.username);
    if (later == lost.end() || !later->is_object()) return note;
    const std::string status = later->value("status", ""), roles = later->value("roles", "");
    if (status == account.status && roles == account.roles) return note;
    return note + (note.empty() ? "" : "; ") + "the latest record anchored outside the store (after audit entry " +
           std::to_string(lostSeq) + ", which this store does not hold) has it " + status + " with roles " +
           (roles.empty() ? "(none)" : roles) +
           ": not taken from that record alone. If it is right, give it back after this re-affirmation (a role: user "
           "roles, then approve-roles by a second person; a suspension: user reactivate)" +
           (takenAsSigned ? std::string("; this store's own signed record of the account is taken, as --as-signed asks")
                          : "; if this store's own signed record of the account is right, take that with --as-signed " +
                                account.username);
}

// The accounts as the signed log replays them, with the holder's choices (as signed, suspended): what is proposed
// and signed.
Result<std::vector<ReaffirmedAccount>> proposal(const audit::AccountLedger& ledger, nlohmann::json& listed,
                                                const std::vector<std::string>& suspend,
                                                const std::map<std::string, audit::SignedAccount>& asSigned) {
    auto accounts = ledger.accounts();
    std::map<std::string, std::string> notes;
    for (const auto& [name, account] : asSigned) {
        // The store's own record may agree with the one held to the anchor: both say the same, or an account entry
        // signed here after an older copy was put in its place signed what was held then (AuditLog's
        // accounts_after). The holder who asked for it is told, not left to believe it was done (trial 69 F4).
        const auto held = accounts.find(name);
        if (held != accounts.end() && held->second.status == account.status && held->second.roles == account.roles)
            notes[name] = "--as-signed changes nothing: this store's own signed entries grant the same as the "
                          "record held to the anchor (both agree on it, or an account entry signed here since the "
                          "older copy was put back carries what was held then)";
        accounts[name] = account;
    }
    for (const auto& name : suspend) {
        const auto found = accounts.find(name);
        if (found == accounts.end())
            return makeError(ErrorCode::NotFound, "The signed audit log holds no account named '" +
                                                      text::escapedText(name) + "' to suspend.");
        found->second.status = "suspended";
        found->second.roles.clear();
    }
    std::vector<ReaffirmedAccount> proposed;
    for (auto& [name, account] : accounts) {
        // A changed entry replayed as it reads may hold a role or status FaceLead does not know (trial 13A:
        // "investigatoR", "activf"): never signed as such; the account is suspended for people to restore.
        const bool known = workflow::statusFromName(account.status).has_value() &&
                           std::all_of(account.roles.begin(), account.roles.end(),
                                       [](const auto& role) { return workflow::roleFromName(role).has_value(); });
        std::string note = notes[name];
        if (!known) {
            note = (note.empty() ? "" : note + "; ") + "suspended: its replayed roles (" +
                   audit::roleList(account.roles) + ") or status (" + account.status + ") are not FaceLead's";
            account.status = "suspended";
            account.roles.clear();
        }
        proposed.push_back({name, audit::roleList(account.roles), account.status, !account.approvedAt.empty(),
                            !account.trainingCompletedAt.empty(), note});
        listed.push_back({{"username", name},
                          {"roles", proposed.back().roles},
                          {"status", account.status},
                          {"public_key", account.publicKey},
                          {"approved_at", account.approvedAt},
                          {"training_completed_at", account.trainingCompletedAt}});
    }
    return proposed;
}

Result<void> noteSlotsAndLaterRecords(store::Store& store, std::vector<ReaffirmedAccount>& accounts,
                                      const std::vector<std::string>& asSigned) {
    auto keys = store::loadKeyFile(store.keyFile());
    if (!keys) return keys.error();
    std::int64_t lostSeq = 0;
    auto lost = latestLostRecord(store, lostSeq);
    if (!lost) return lost.error();
    for (auto& account : accounts) {
        const std::string more =
            noteOnSlotAndLaterRecord(account, keys->findSlot(account.username) != nullptr,
                                     std::ranges::find(asSigned, account.username) != asSigned.end(), *lost, lostSeq);
        if (!more.empty()) account.note += (account.note.empty() ? "" : "; ") + more;
    }
    return {};
}

}  // namespace

Result<Reaffirmation> reaffirmAccounts(const std::filesystem::path& path, std::string_view recoveryKey,
                                       const ReaffirmationRequest& request, std::shared_ptr<const Clock> clock,
                                       const SecurityPolicy& policy) {
    auto reason = text::acceptReason("re-affirming the accounts", request.reason);
    if (!reason) return reason.error();
    auto store = store::Store::openWithRecoveryKey(path, recoveryKey, std::move(clock), policy.storeOptions());
    if (!store) return store.error();
    Reaffirmation result;
    FACELEAD_TRY((*store)->transact([&](store::Transaction& tx) -> Result<void> {
        audit::AccountLedger ledger;
        FACELEAD_TRY(ledger.catchUp(tx.store()));
        if (!ledger.accountsHeldBack())
            return makeError(ErrorCode::InvalidArgument,
                             "No account entry of the signed audit log is damaged: there is nothing to re-affirm.");
        nlohmann::json answered = nlohmann::json::array();
        for (const auto& damaged : ledger.unansweredDamage()) {
            // A lost anchored head's entry is not in the store (its seq there names another entry).
            const bool lostHead = damaged.action == audit::AccountLedger::kLostAnchoredHead;
            auto entry = lostHead ? Result<std::vector<audit::AuditEntry>>(std::vector<audit::AuditEntry>{})
                                  : audit::AuditLog::list(tx.store(), {.afterSeq = damaged.seq - 1, .limit = 1});
            if (!entry) return entry.error();
            result.damage.push_back({damaged, entry->empty() ? std::string() : entry->front().detailsJson,
                                     entry->empty() ? std::string() : entry->front().signer});
            answered.push_back(damaged.seq);
        }
        nlohmann::json listed = nlohmann::json::array();
        auto asSigned = asSignedInStore(tx.store(), request.asSigned);
        if (!asSigned) return asSigned.error();
        auto accounts = proposal(ledger, listed, request.suspend, *asSigned);
        if (!accounts) return accounts.error();
        result.accounts = std::move(*accounts);
        FACELEAD_TRY(noteSlotsAndLaterRecords(tx.store(), result.accounts, request.asSigned));
        if (!request.confirm) return {};
        const std::string administrator =
            "," + std::string(workflow::roleName(workflow::Role::ProgramAdministrator)) + ",";
        const bool administered = std::any_of(result.accounts.begin(), result.accounts.end(), [&](const auto& account) {
            return account.status == workflow::statusName(workflow::UserStatus::Active) &&
                   ("," + account.roles + ",").find(administrator) != std::string::npos;
        });
        if (!administered)
            return makeError(ErrorCode::InvalidArgument,
                             "This would leave no active program administrator: nobody could administer or audit the "
                             "store again. Take the administrator's account as the signed entries grant it "
                             "(--as-signed NAME) if the anchored record that took the role away is not to be "
                             "believed.");
        FACELEAD_TRY(audit::AuditLog::append(
            tx, {std::nullopt, audit::AuditLog::kAccountsReaffirmed, "audit_log", "",
                 nlohmann::json{{"accounts", listed}, {"answers_for", answered}, {"reason", *reason}}.dump()}));
        // The users table follows what was re-affirmed (trial 66 F2: after a backup was put back, the honest
        // recovery still ended with "the users table was edited outside FaceLead" until restore-table).
        FACELEAD_TRY(writeTableAsSigned(tx, std::nullopt, "re-affirmed: " + *reason));
        result.signedNow = true;
        return {};
    }));
    if (!result.signedNow) return result;
    // Damage is often an older copy of the store put in its place, which is under that copy's database key: every
    // key file kept from then opens it again, with slots of accounts deactivated since (trial 68 F1). The rotation
    // removes those and seals the new key to the accounts as re-affirmed.
    FACELEAD_TRY(rotateDatabaseKey(**store, std::nullopt, "accounts re-affirmed: a key file kept from before opens "
                                                          "nothing any more"));
    return result;
}

}  // namespace facelead::accounts
