#pragma once
// Another copy of the store, used alongside it, anchors heads of its own under the same store id: a backup opened,
// a copy an insider kept (trial 65 F5: an investigator's password change on his old copy held every colleague
// granted since "to the lesser of the two", froze the administration of the store in use and blamed an edit of its
// users table). Each head names the entry its transaction followed (its base), so the heads form a tree, and a
// chain that left this store's is a branch whose first head (its fork) follows an entry this store holds. Which
// of the two went on as the store is decided by the journal's receipt times, which nobody sets:
//
//   the one whose first transaction after the fork the anchor received first is the store.
//
// A branch that went on after this store did is reported as a copy used alongside it; one that went on first as
// the store this file is an older copy of. That is for the words only: which of the two is "the store" cannot be
// proven (trial 67 F1: a copy signed in to first, put in the store's place after a suspension, was the one that
// went on first), so the accounts never depend on it. Every branch is a witness of the accounts it changed since
// its fork, and of nothing else (AccountLedger::expectLostAnchors): a suspension taken in the store in use holds in
// any older copy put in its place, and a copy's password change takes nothing from grants made in the store since
// (trial 65 F5). Never by file names or paths, which the desktop user can point anywhere (trial 66 F1); the file a
// head names only says where a copy was. Heads whose chain back to this store's cannot be followed (a head missing
// from the anchor, anchors from before heads named their base) are this store's lineage. What is and is not
// defended: docs/SECURITY.md, "Use a copy of the store".

#include <cstdint>
#include <string>
#include <vector>

#include "core/common/Result.h"
#include "core/store/Anchor.h"
#include "core/store/Store.h"

namespace facelead::audit {

struct CopyAlongside {
    std::string file;                          // where that copy was at its fork (AnchoredHead::file)
    std::int64_t branchedAt = 0;               // its first entry that differs from this store's
    std::vector<store::AnchoredHead> heads;    // every head of that branch, in the order received
};

struct HeadsByCopy {
    std::vector<store::AnchoredHead> own;      // this store's lineage, in the order received
    std::vector<CopyAlongside> alongside;
    // The branches that went on first (their heads are in `own`): this store is their older copy.
    std::vector<CopyAlongside> wentOnFirst;
};

// For each of `heads`, the sequence of the entry this store holds where the head's branch left this store's chain
// (its fork's base); 0 when the head is this store's own, or its chain back cannot be followed. Two lookups of the
// store's audit log per head. Store errors as they come.
Result<std::vector<std::int64_t>> forkBases(store::Store& store, const std::vector<store::AnchoredHead>& heads);

// Sorts every head anchored for the store (HeadAnchor::heads) into its lineage and the copies used alongside it.
// Two lookups of the store's audit log per head (its entry and its base). Store errors as they come.
Result<HeadsByCopy> sortHeadsByCopy(store::Store& store, std::vector<store::AnchoredHead> heads);

// One sentence naming a copy used alongside and its `notHere` heads this store does not hold (not empty): where,
// from when to when, and what a program administrator does.
std::string describeCopy(const CopyAlongside& copy, const std::vector<store::AnchoredHead>& notHere,
                         const std::string& anchorName);

// One sentence telling this file that the store went on without it in that branch (HeadsByCopy::wentOnFirst).
std::string describeWentOnFirst(const CopyAlongside& branch);

}  // namespace facelead::audit
