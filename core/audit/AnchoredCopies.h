#pragma once
// Another copy of the store, used alongside it, anchors heads of its own under the same store id: a backup opened,
// a copy an insider kept (trial 65 F5: an investigator's password change on his old copy held every colleague
// granted since "to the lesser of the two", froze the administration of the store in use and blamed an edit of its
// users table). Each head names the store file that anchored it and the entry its transaction followed (its base),
// so the heads of another file whose chain left this one are judged at the fork, their first transaction after an
// entry both hold:
//
//   the file that anchored that entry is the one that went on; a copy starts in another file. When that does not
//   decide (both or neither went on in it; anchors without a base), the chain that committed first after the
//   branch is the store.
//
// The other file's heads are then a copy used alongside this store (reported, never a witness of its accounts), or
// this store's lineage, as every head was before: heads of this store's own file always are (an older copy put in
// its place is a rollback), and so are those of the file this store was copied from when that file went on (this
// store then is the copy, and its accounts are held to that file's anchored states). The file, the base and the
// receipt times are written by FaceLead's own programs into the journal, which the desktop user cannot rewrite
// (store/Anchor.h). What is and is not defended: docs/SECURITY.md, "Use a copy of the store".

#include <cstdint>
#include <string>
#include <vector>

#include "core/common/Result.h"
#include "core/store/Anchor.h"
#include "core/store/Store.h"

namespace facelead::audit {

struct CopyAlongside {
    std::string file;                          // where that copy was when it anchored (AnchoredHead::file)
    std::int64_t branchedAt = 0;               // its first entry that differs from this store's (at the latest)
    std::vector<store::AnchoredHead> heads;    // every head it anchored, in the order received
};

struct HeadsByCopy {
    std::vector<store::AnchoredHead> own;      // this store's lineage, in the order received
    std::vector<CopyAlongside> alongside;
};

// Sorts every head anchored for the store (HeadAnchor::heads) into its lineage and the copies used alongside it.
// One lookup of the store's audit log per head. Store errors as they come.
Result<HeadsByCopy> sortHeadsByCopy(store::Store& store, std::vector<store::AnchoredHead> heads);

// One sentence naming a copy used alongside and its `notHere` heads this store does not hold (not empty): where,
// from when to when, and what a program administrator does.
std::string describeCopy(const CopyAlongside& copy, const std::vector<store::AnchoredHead>& notHere,
                         const std::string& anchorName);

}  // namespace facelead::audit
