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
// A branch that went on after this store did is a copy used alongside it: reported, never a witness of its
// accounts. A branch that went on first is this store's lineage, as every head was before: this store is then the
// older copy (put back, rolled back, or used later than it), and its accounts are held to that branch's anchored
// states. Never by file names or paths, which the desktop user can point anywhere (trial 66 F1: a symbolic link at
// the store's path made a rolled-back suspension pass as "a copy"); the file a head names only says where a copy
// was. Heads whose chain back to this store's cannot be followed (a head missing from the anchor, anchors from
// before heads named their base) are this store's lineage. What is and is not defended: docs/SECURITY.md, "Use a
// copy of the store".

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

// Sorts every head anchored for the store (HeadAnchor::heads) into its lineage and the copies used alongside it.
// Two lookups of the store's audit log per head (its entry and its base). Store errors as they come.
Result<HeadsByCopy> sortHeadsByCopy(store::Store& store, std::vector<store::AnchoredHead> heads);

// One sentence naming a copy used alongside and its `notHere` heads this store does not hold (not empty): where,
// from when to when, and what a program administrator does.
std::string describeCopy(const CopyAlongside& copy, const std::vector<store::AnchoredHead>& notHere,
                         const std::string& anchorName);

// One sentence telling this store that the store at that branch's file went on without it (HeadsByCopy::wentOnFirst).
std::string describeWentOnFirst(const CopyAlongside& branch);

}  // namespace facelead::audit
