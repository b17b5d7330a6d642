#pragma once
// What the signed audit log says about each account: its roles, status and certified key, replayed from
// the account entries (created, approved, roles changed, deactivated, training signed off, key certified, ...) with each entry's
// hash, signature and its signer's authority at that moment checked. The users table is only a copy of
// this: an insider holding the database key can rewrite the table but not sign a grant as a program
// administrator or supervisor, so the core acts on the ledger (issue 8; docs/SECURITY.md).
//
// Used twice, with one rule (take()): AuditLog::verify feeds it every entry of the chain in order; a signed-in
// Session catches it up with catchUp() before each decision (only the account entries appended since it last
// looked are read).
//
// Threading: none; one ledger per session, used from the session's thread.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/audit/AuditLog.h"
#include "core/common/Result.h"
#include "core/store/Store.h"

namespace facelead::audit {

// An account entry that cannot be trusted as it reads: changed after it was signed, or its link to the account
// entry before it is broken (an account entry was deleted, renamed or slipped in between).
struct DamagedEntry {
    std::int64_t seq = 0;
    std::string action;
    std::string username;  // the account it names now (the change may have rewritten this too); "" for none
    std::string problem;   // one clause, for the people told
};

// Events recorded while nobody could sign them (a failed or refused sign-in, a lockout, a sign-out after the store
// stopped admitting the account), kept in the key file and signed by whoever opens the store next, in the name of
// the person they are about. Nothing else is carried: the key file is the desktop user's to edit (trial 20A F1).
bool isCarriedOverAction(const std::string& action);

// Role names as one comma-separated list, in name order ("investigator,trainer"; "" for none): how account
// entries sign them.
std::string roleList(const std::set<std::string>& roles);

struct SignedAccount {
    std::set<std::string> roles;  // role names (workflow::roleName)
    std::string status;           // workflow::statusName; "" until the log creates the account
    std::string publicKey;        // hex, "" until certified
    std::string approvedAt;       // ISO 8601 UTC of the supervisor's approval (or an account created active); ""
    std::string trainingCompletedAt;  // ISO 8601 UTC of the latest training sign-off by a trainer; "" before
    // The person's name as user.created signed it: the name shown beside their work (trial 19A G4: swapped in the
    // users table, it put one officer's name on another's). "" for an account created before names were signed.
    std::string displayName;
};

class AccountLedger {
public:
    // Reads the account entries after the last one it read (all of them the first time) and takes each. The
    // first time it also reads the account states anchored outside the store (expectLostAnchors).
    Result<void> catchUp(store::Store& store);

    // The account states anchored outside the store (store::AnchoredHead::accounts) whose head the chain no longer
    // holds: what the accounts were after an entry that was deleted, changed or rolled back (a role removal
    // deleted from the middle and the chain re-hashed, or the tail cut off: trial 14A). The desktop user cannot
    // rewrite the journal, only add to it, so such a head is a witness that can only take away: each is taken in
    // time order (before the first entry written after it), every account it records otherwise is held to the
    // lesser of the two, and the disagreement is damage (accountsHeldBack) until a re-affirmation answers it.
    // `heads`: every head anchored for the store. A head of a branch that left this store's chain (another copy,
    // or the store this one is an older copy of: AnchoredCopies.h) witnesses only the accounts that branch changed
    // since its fork (trial 65 F5, trial 67 F1).
    Result<void> expectLostAnchors(store::Store& store, const std::vector<store::AnchoredHead>& heads);
    // Takes the lost anchored states not taken yet (the replay reached the end of the chain).
    void finishReplay() { holdToLostAnchors(nullptr); }
    static constexpr const char* kLostAnchoredHead = "anchored accounts";  // DamagedEntry::action of such damage

    // One entry, in chain order: checks its hash, its signature, its link to the account entry before it and
    // its signer's authority at that moment, and applies it when all hold; "" then, otherwise what is wrong
    // with it. An entry whose grant fails authority is not applied.
    //
    // A damaged account entry (changed after signing, or a broken link) may have taken something away or
    // given something, and nobody can tell whose grant it touched: trusting the name it now reads held back
    // an innocent colleague and gave the changer his role back (trials 11A, 12A). So FaceLead fails closed for
    // every account (accountsHeldBack(): accounts::authorize refuses every change) until the holder of the
    // recovery key re-affirms every account's roles, status and key in a signed "accounts.reaffirmed"
    // (accounts::reaffirmAccounts), obeyed only from the recovery slot. Until then a changed role or status
    // entry is replayed as it now reads (its signer's authority still checked), so one changed byte in the
    // founder's entry does not take the authority of every grant after it (trial 12A: the store was bricked);
    // a changed key certification or anchor acknowledgement never counts.
    std::string take(const AuditEntry& entry, const nlohmann::json& details);

    // What AuditLog::append signs into a new account entry (detail::kAccountsAfter): every account's roles,
    // status, approval and training once `entry` is applied to this ledger (caught up to the entry before it).
    // A later replay holds each intact, authorised entry to it (take()): an account entry deleted, renamed or
    // changed before it leaves the replay disagreeing with what an honest signer saw (trial 13A).
    nlohmann::json accountsAfter(const AuditEntry& entry, const nlohmann::json& details);

    // The key the signed log certified for a signer ("" for none), the recovery slot's included.
    std::string certifiedKey(const std::string& signer) const;
    // Whose key an account signs with (issue 8; trials 62 F2 and 63 F2). A password another account chose (a new
    // account's initial one, a reset) gives a key that account holds too: it signs nothing but its owner's sign-in
    // and password change. That change makes a key of the owner's own, but whoever knew the password could have
    // made it first, in the owner's place; so a supervisor who did not set the password approves it, with the
    // fingerprint its owner reads to them in person (accounts::AccountService::approve). Until then it signs no
    // more. A later change of an approved key's password keeps it approved (its holder is its owner).
    struct KeyStanding {
        bool ownerMade = false;  // the owner's password change made it (else: the account that set the password)
        std::string setBy;       // who set the password it came from
    };
    // nullopt once approved (or for an account never given a password by another: the founder). A key the recovery
    // key gave (store recover) counts as set by the founder, to whom store init showed it (trial 64 F1).
    std::optional<KeyStanding> keyAwaitingApproval(const std::string& username) const;
    // Whether the signed log ever certified this key for this signer (keys change at a password reset): what
    // an older entry signed by them must have been signed with.
    bool everCertified(const std::string& signer, const std::string& key) const;
    // The account as the signed log leaves it; nullptr when no entry created it.
    const SignedAccount* find(const std::string& username) const;
    // Whether the entry's user id is the id the log gave the account it names (user.created binds each id to a
    // name): an entry signed in the insider's own name but carrying a colleague's id was shown as the
    // colleague's work (trial 19A G1). True for an entry without a user id, and for an id no entry created
    // while the store is not signed from its start.
    bool namesItsUser(const AuditEntry& entry) const;
    // True when the chain was signed from its first entry (stores created with signatures): an account the
    // log never created was then added behind FaceLead's back.
    bool bornSigned() const { return bornSigned_; }

    // The damaged account entries, in chain order (those before a re-affirmation included).
    const std::vector<DamagedEntry>& damagedEntries() const { return damagedEntries_; }
    // Those found since the last re-affirmation: what the next one answers for.
    std::vector<DamagedEntry> unansweredDamage() const;
    // Intact account entries not obeyed because their signer had no authority for them (a grant signed by
    // oneself with one's own key): named to the program administrators at sign-in, not only by audit verify.
    const std::vector<DamagedEntry>& unauthorisedEntries() const { return unauthorisedEntries_; }
    // True while an account entry is damaged after the last re-affirmation: nobody may change anything.
    bool accountsHeldBack() const;
    // Why, for a refusal or a warning ("" when not held back): the first damaged entry since the re-affirmation.
    std::string heldBackReason() const;
    // Every account the log created, as replayed (for the re-affirmation), by user name.
    std::map<std::string, SignedAccount> accounts() const;
    // Seq of the last re-affirmation obeyed (0: none).
    std::int64_t lastReaffirmedSeq() const { return lastReaffirmedSeq_; }
    // The users table against the replayed accounts: one sentence per disagreement.
    Result<std::vector<std::string>> compareWithUsers(store::Store& store) const;
    // The users table's display names against the signed ones: one sentence per account whose name differs.
    Result<std::vector<std::string>> compareDisplayNames(store::Store& store) const;
    // The agency settings (the settings table's "admin." rows: the rule pack, training validity, seats, password
    // rules...) against the values the intact "settings.changed" entries of program administrators left them at:
    // one sentence per difference (trial 20A F5: the rule pack switched in the table for one search that needed
    // a supervisor's prior approval). Nothing for a store not signed from its start.
    Result<std::vector<std::string>> compareSettings(store::Store& store) const;
    // Where the replayed accounts come from, for messages: "the signed audit log", or "the signed audit log as held to
    // the anchor outside the store" once a lost anchored head held an account (trial 69 F2: "the signed audit log
    // says deactivated" named no entry an auditor exporting the log could find).
    std::string accountsSource() const;
    // The accounts whose key a head anchored outside the store, in entries this store no longer holds, recorded as
    // replaced (a password reset or change lost with a rollback: trial 69 F1, the old password signed in again as
    // supervisor): one DamagedEntry (action kLostAnchoredHead) each. Their key is held to kKeyReplacedElsewhere, so
    // the key the store still has for them (which the old password opens) signs nothing and is sealed no new
    // database key until a program administrator resets the password. Not damage that holds every account back: a
    // copy used alongside in which its owner changed his password takes that account's key alone.
    const std::vector<DamagedEntry>& keysReplacedByAnchor() const { return keysReplacedByAnchor_; }
    static constexpr const char* kKeyReplacedElsewhere = "(replaced in entries this store no longer holds)";
    // True while an agency setting is held to a settings change anchored outside the store in entries it no longer
    // holds (a rollback, a lost -wal: trial 66 F3): each such setting is held to the stricter of the two values
    // (a second factor on, the longer minimum password, the fewer attempts before lockout...; a setting with no
    // stricter side keeps the store's value), until a program administrator signs the settings again.
    bool settingsHeldByAnchor() const { return !settingsHeldByAnchor_.empty(); }
    // What a settings change signs, and its head anchors, as the agency settings after it ({key: value}): those
    // signed so far with the entry applied as a later replay applies it.
    nlohmann::json settingsAfter(const AuditEntry& entry, const nlohmann::json& details);
    static constexpr const char* kSettingsChanged = "settings.changed";  // admin::saveSettings
    // One agency setting as the last signed "settings.changed" left it (nullopt: none set it, so its default
    // holds); in a store not signed from its start, the settings table's. For rules read outside admin (training's
    // pass mark and validity): a pass mark lowered in the table passed nobody's quiz (trial 21A N3's kind).
    Result<std::optional<std::string>> settingAsSigned(store::Store& store, const std::string& key) const;
    // The first entry of the chain: whether it is signed, and the store id it recorded.
    void noteFirstEntry(const AuditEntry& entry, const nlohmann::json& details);
    const std::string& createdStoreId() const { return createdStoreId_; }
    // Heads anchored outside the store (seq, hash) that a program administrator acknowledged as not this
    // store's (AuditLog::kAnchorsAcknowledged): another copy's entries, or a restore they answer for.
    bool acknowledged(std::int64_t seq, const std::string& hash) const {
        return acknowledgedHeads_.count({seq, hash}) > 0;
    }

private:
    // The signer's authority for an entry whose hash and signature hold: "" or what is wrong.
    std::string checkAuthority(const AuditEntry& entry, const nlohmann::json& details);
    void apply(const AuditEntry& entry, const nlohmann::json& details);
    void applyReaffirmation(const AuditEntry& entry, const nlohmann::json& details);
    // The entry's signed kAccountsAfter against the replay: "" when they agree (or it has none); otherwise what
    // differs. Each account that differs is taken as the witness saw it when its signer could grant roles (a
    // program administrator or supervisor: honest, it is the truth a damaged entry hid; the insider, he could
    // have granted it openly), else held to the lesser of the two (a witness that can only take away).
    std::string holdToWitness(const nlohmann::json& details, bool signerGrants);
    // Each account `witness` (name -> state, as detail::kAccountsAfter) records otherwise than the replay is taken
    // as it records it (adopt) or held to the lesser of the two; the differences, "" when none. `as`: "signed".
    std::string holdTo(const nlohmann::json& witness, bool adopt, const std::string& as);
    struct LostAnchor {
        std::int64_t seq = 0;
        std::string entryAt;   // the anchored entry's time: taken before the first entry written after it
        std::string at;        // when the anchor recorded it
        std::string accounts;  // compact JSON
        std::string settings;  // compact JSON
        std::string where;     // "the system journal"
    };
    void holdToLostAnchors(const std::string* before);  // those anchored before `before` (nullptr: all)
    void holdSettingsTo(const LostAnchor& lost);
    bool grantsRoles(const std::string& signer) const;
    // The link to the account entry before this one (detail::kPreviousAccountEntry): "" or what is wrong.
    std::string linkProblem(const nlohmann::json& details);
    static bool namesPreviousEntry(const nlohmann::json& details);
    std::string holderOf(const std::string& key) const;
    // A sign-in's link against the account entries replayed so far; records the damage when it disagrees and
    // the sign-in is intact (`changed`: what is wrong with its hash or signature, computed only then).
    void takeSignIn(const AuditEntry& entry, const nlohmann::json& details, const std::function<std::string()>& changed);
    bool actsForNobody(const AuditEntry& entry, const nlohmann::json& details, bool selfDeclared) const;
    // The two-person rule (SOP 302.02 VI.D.2.a) as the entry points hold it: "" or what is wrong. An approval's
    // signer did not create the account (but for the founding exception); a role change carries out a request
    // another account signed before it, for someone else (trial 62 F1: one person holding both roles approved his own
    // program administrator with his own key, and `audit verify` called it intact).
    std::string twoPersonProblem(const AuditEntry& entry, const nlohmann::json& details) const;
    bool foundingException(const std::string& signer, const std::string& approved) const;
    // Whether FaceLead signs this entry with a key no supervisor approved yet as its owner's: only the sign-in and
    // the password change itself (trials 62 F2 and 63 F2, below).
    static bool signedBeforeOwnPassword(const AuditEntry& entry, const nlohmann::json& details);
    // What is wrong with an approval of an account's key ("user.approved", kKeyApproved), "" when nothing.
    std::string keyApprovalProblem(const AuditEntry& entry, const nlohmann::json& details) const;
    void awaitApprovalOfRecoveredKey(const std::string& username);

    std::map<std::string, SignedAccount> accounts_;
    std::map<std::int64_t, std::string> namesById_;  // user id -> user name, as user.created entries bound them
    std::map<std::string, std::string> signedSettings_;  // setting key -> value, as signed settings.changed left it
    std::vector<DamagedEntry> keysReplacedByAnchor_;
    void holdKeysTo(const nlohmann::json& witness, const LostAnchor& lost);
    // setting key -> the lost anchored head it is held to (where and when, for the messages)
    std::map<std::string, std::string> settingsHeldByAnchor_;
    void takeSettings(const nlohmann::json& details);
    bool signedSeen_ = false;
    bool bornSigned_ = false;
    std::string createdStoreId_;  // as the signed first entry recorded it
    std::set<std::pair<std::int64_t, std::string>> acknowledgedHeads_;
    std::string rootSigner_;         // who signed the first entry: the founding account
    bool othersCreated_ = false;     // an account besides the founder's exists
    bool trainerModeStore_ = false;  // declared a trainer-mode store by its founder while alone (TrainingService)
    std::int64_t readUpTo_ = 0;   // catchUp: the last seq read
    std::int64_t lastAccountSeq_ = 0;  // the last account entry taken, as stored: what the next one must name
    std::string lastAccountHash_;
    bool linkedSeen_ = false;  // an account entry named its predecessor: from then on each must
    std::int64_t lastReaffirmedSeq_ = 0;
    std::vector<DamagedEntry> damagedEntries_;
    std::size_t answeredDamage_ = 0;  // damagedEntries_ before the last re-affirmation
    bool anchorsRead_ = false;
    std::vector<LostAnchor> lostAnchors_;  // not taken yet, newest first (taken from the back)
    std::vector<DamagedEntry> unauthorisedEntries_;
    std::set<std::pair<std::string, std::string>> everCertified_;  // (signer, key)
    std::map<std::string, std::string> creators_;  // account -> who signed its user.created
    std::map<std::string, KeyStanding> keysAwaitingApproval_;  // accounts whose key is not KeyStanding::Approved
    struct RoleChangeRequest {
        std::string signer, username, to;
    };
    std::map<std::int64_t, RoleChangeRequest> roleChangeRequests_;  // by seq, until a role change carries it out
};

}  // namespace facelead::audit
