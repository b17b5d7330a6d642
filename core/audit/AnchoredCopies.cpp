#include "core/audit/AnchoredCopies.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

namespace facelead::audit {
namespace {

using Entry = std::pair<std::int64_t, std::string>;  // an audit entry as a head names it: (seq, hash)

// This store's hash at each sequence a head or a head's base names (those it holds).
Result<std::map<std::int64_t, std::string>> hashesNamedBy(store::Store& store,
                                                          const std::vector<store::AnchoredHead>& heads) {
    std::map<std::int64_t, std::string> hashes;
    auto lookup = store.prepare("SELECT hash FROM audit_log WHERE seq = ?");
    if (!lookup) return lookup.error();
    for (const auto& head : heads) {
        for (const std::int64_t seq : {head.seq, head.baseSeq}) {
            if (seq <= 0 || hashes.contains(seq)) continue;
            lookup->reset();
            lookup->bind(1, seq);
            auto row = lookup->step();
            if (!row) return row.error();
            if (*row) hashes[seq] = lookup->getText(0);
        }
    }
    return hashes;
}

// The heads as a tree: each head's parent is the head of the transaction before it (its base). A chain that left
// this store's is a branch; its fork is its first head, the one whose base this store holds.
class HeadTree {
public:
    HeadTree(const std::vector<store::AnchoredHead>& heads, std::map<std::int64_t, std::string> hashes)
        : hashes_(std::move(hashes)) {
        for (const auto& head : heads) byEntry_.try_emplace({head.seq, head.hash}, &head);
    }

    bool holds(std::int64_t seq, const std::string& hash) const {
        const auto found = hashes_.find(seq);
        return found != hashes_.end() && found->second == hash;
    }

    // The fork of the branch `head` is on (nullptr when the head is this store's, or its chain back to this store's
    // cannot be followed: a head missing from the anchor, anchors from before heads named their base).
    const store::AnchoredHead* forkOf(const store::AnchoredHead& head) {
        if (holds(head.seq, head.hash)) return nullptr;
        if (const auto known = forks_.find(&head); known != forks_.end()) return known->second;
        forks_[&head] = nullptr;  // a cycle of forged bases ends here
        const store::AnchoredHead* fork = nullptr;
        if (holds(head.baseSeq, head.baseHash)) {
            fork = &head;
        } else if (const auto parent = byEntry_.find({head.baseSeq, head.baseHash}); parent != byEntry_.end()) {
            fork = forkOf(*parent->second);
        }
        forks_[&head] = fork;
        return fork;
    }

private:
    std::map<std::int64_t, std::string> hashes_;
    std::map<Entry, const store::AnchoredHead*> byEntry_;
    std::map<const store::AnchoredHead*, const store::AnchoredHead*> forks_;
};

// This store's own first transaction after its entry `baseSeq`, as anchored (nullptr when none was yet).
const store::AnchoredHead* continuationAfter(const HeadTree& tree, const std::vector<store::AnchoredHead>& heads,
                                             std::int64_t baseSeq) {
    const store::AnchoredHead* first = nullptr;
    for (const auto& head : heads)
        if (head.baseSeq == baseSeq && tree.holds(head.seq, head.hash) && (first == nullptr || head.at < first->at))
            first = &head;
    return first;
}

// Each head's fork (HeadTree::forkOf), in the order of `heads`.
Result<std::vector<const store::AnchoredHead*>> forksOf(store::Store& store, const std::vector<store::AnchoredHead>& heads,
                                                        std::optional<HeadTree>& tree) {
    auto hashes = hashesNamedBy(store, heads);
    if (!hashes) return hashes.error();
    tree.emplace(heads, std::move(*hashes));
    std::vector<const store::AnchoredHead*> forks;
    for (const auto& head : heads) forks.push_back(tree->forkOf(head));
    return forks;
}

}  // namespace

Result<std::vector<std::int64_t>> forkBases(store::Store& store, const std::vector<store::AnchoredHead>& heads) {
    std::optional<HeadTree> tree;
    auto forks = forksOf(store, heads, tree);
    if (!forks) return forks.error();
    std::vector<std::int64_t> bases;
    for (const auto* fork : *forks) bases.push_back(fork ? fork->baseSeq : 0);
    return bases;
}

Result<HeadsByCopy> sortHeadsByCopy(store::Store& store, std::vector<store::AnchoredHead> heads) {
    std::optional<HeadTree> treeHolder;
    auto found = forksOf(store, heads, treeHolder);
    if (!found) return found.error();
    const auto& forks = *found;
    const HeadTree& tree = *treeHolder;
    // Each branch whose fork the anchor received after this store's own next transaction is a copy used alongside.
    constexpr std::size_t kWentOnFirst = static_cast<std::size_t>(-1);
    std::map<const store::AnchoredHead*, std::size_t> copyOfFork;  // fork -> index in `alongside`, or kWentOnFirst
    HeadsByCopy sorted;
    for (const auto* fork : forks) {
        if (fork == nullptr || copyOfFork.contains(fork)) continue;
        const auto* ours = continuationAfter(tree, heads, fork->baseSeq);
        CopyAlongside branch{fork->file, fork->baseSeq + 1, {}};
        if (ours == nullptr || ours->at >= fork->at) {  // that branch went on first: this store is the copy
            sorted.wentOnFirst.push_back(std::move(branch));
            copyOfFork[fork] = kWentOnFirst;
            continue;
        }
        copyOfFork[fork] = sorted.alongside.size();
        sorted.alongside.push_back(std::move(branch));
    }
    for (std::size_t i = 0; i < heads.size(); ++i) {
        const auto copy = forks[i] ? copyOfFork.find(forks[i]) : copyOfFork.end();
        const bool own = copy == copyOfFork.end() || copy->second == kWentOnFirst;
        auto& into = own ? sorted.own : sorted.alongside[copy->second].heads;
        into.push_back(std::move(heads[i]));
    }
    return sorted;
}

std::string describeCopy(const CopyAlongside& copy, const std::vector<store::AnchoredHead>& notHere,
                         const std::string& anchorName) {
    const auto [first, last] = std::ranges::minmax_element(
        notHere, [](const auto& left, const auto& right) { return left.at < right.at; });
    const auto highest = std::ranges::max_element(
        notHere, [](const auto& left, const auto& right) { return left.seq < right.seq; });
    return "Another copy of this store, at " + copy.file + ", was used alongside it: " + anchorName + " recorded " +
           std::to_string(notHere.size()) + (notHere.size() == 1 ? " head" : " heads") + " of that copy's audit log (from " +
           first->at + " to " + last->at + ", up to its entry " + std::to_string(highest->seq) +
           ") that this store does not hold; the two branched at entry " + std::to_string(copy.branchedAt) +
           ". What was done in that copy (searches, account changes) is recorded only there: keep the copy, find out "
           "who used it, and have a program administrator acknowledge these heads with the reason. Of the accounts, "
           "only what that copy took away since the two branched counts here.";
}

std::string describeWentOnFirst(const CopyAlongside& branch) {
    return "The store" + (branch.file.empty() ? "" : " at " + branch.file) + " went on from audit entry " +
           std::to_string(branch.branchedAt) +
           " in entries this file does not hold: it is an older copy of the store (a backup put back, or a copy used "
           "after the store went on), its later entries were cut off or lost with its -wal, or they were deleted, "
           "changed or re-hashed in this file (audit verify names each entry whose signature no longer holds).";
}

}  // namespace facelead::audit
