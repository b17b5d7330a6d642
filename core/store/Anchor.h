#pragma once
// The audit chain's head (sequence and hash) anchored OUTSIDE the store file, where the desktop user who
// holds the database key cannot rewrite it, so that a store rolled back to an older copy, truncated, or
// missing its -wal after a crash is noticed at the next open and by `audit verify` (docs/SECURITY.md).
//
// The product anchors in the systemd journal: journald (root) owns the journal files, an unprivileged
// user can add entries but never change or remove one, and journald stamps each with the sender's
// _UID/_PID/_COMM, which the sender cannot forge. A forged anchor can only ADD a head: it can raise a false
// alarm, never hide a real one. Debian 12 keeps the journal on disk by default (/var/log/journal).
// Where there is no journal (containers, CI), FACELEAD_ANCHOR=file:DIR keeps one append-only file per
// store in DIR: only as strong as DIR's protection (e.g. owned by another account, or `chattr +a`).
//
// Threading: an anchor may be used from one thread at a time per Store (Store is single-threaded).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/common/Result.h"

namespace facelead::store {

struct AnchoredHead {
    std::int64_t seq = 0;
    std::string hash;  // the audit entry's hash (hex)
    std::string at;    // when it was anchored, as the anchor recorded it (UTC)
    std::string entryAt;  // the entry's own time (ISO 8601 UTC, the store's clock); "" in anchors from before it
    // Every account's state once the head's transaction committed (compact JSON, as an account entry signs it:
    // audit::AccountLedger::accountsAfter), when that transaction changed an account; "" otherwise. A witness
    // outside the store of what a deleted or rolled-back account entry did (audit::AccountLedger).
    std::string accounts;
    // The agency settings ({key: value}, compact JSON, as audit::AccountLedger::settingsAfter gives them) once the
    // head's transaction committed, when that transaction changed a setting; "" otherwise. A witness of what a
    // rolled-back or lost settings change set (trial 66 F3: a second factor turned off again by a rollback).
    std::string settings;
    // The store file whose commit anchored it (absolute, symbolic links resolved, as its writer opened it); "" in
    // anchors from before it. Tells another copy of the store, used alongside this one, from this store's own past
    // (audit: AnchoredCopies.h).
    std::string file;
    // The entry the head's transaction followed (its first entry's predecessor: seq, hash); 0 and "" in anchors
    // from before it. Where a copy's chain branched off this store's.
    std::int64_t baseSeq = 0;
    std::string baseHash;
};

class HeadAnchor {
public:
    virtual ~HeadAnchor() = default;
    // Records that the chain of storeId ends at head (every field but `at`, which is the anchor's own).
    // IoError when the anchor cannot be written.
    virtual Result<void> record(const std::string& storeId, const AnchoredHead& head) = 0;
    // Every head recorded for storeId, in the order recorded; with witnessesOnly, those carrying accounts or
    // settings. IoError when the anchor cannot be read.
    virtual Result<std::vector<AnchoredHead>> heads(const std::string& storeId, bool witnessesOnly = false) const = 0;
    // For messages: "the system journal", "the anchor folder /x".
    virtual std::string describe() const = 0;
};

// A store file as AnchoredHead::file names it: absolute, symbolic links resolved.
std::string anchoredFile(const std::filesystem::path& store);

std::shared_ptr<HeadAnchor> journalAnchor();
std::shared_ptr<HeadAnchor> folderAnchor(const std::filesystem::path& folder);
// FACELEAD_ANCHOR unset or "journal": the journal; "file:DIR": heads written to folderAnchor(DIR) and to the
// journal where there is one, and read from both (the variable is the desktop user's: it must not hide the
// journal, trials 15A and 17A).
std::shared_ptr<HeadAnchor> defaultAnchor();

}  // namespace facelead::store
