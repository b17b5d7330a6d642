#include "core/audit/AnchoredCopies.h"

#include <algorithm>
#include <functional>
#include <map>

namespace facelead::audit {
namespace {

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

class Lineage {
public:
    Lineage(const std::vector<store::AnchoredHead>& heads, std::map<std::int64_t, std::string> hashes)
        : heads_(heads), hashes_(std::move(hashes)) {}

    bool holds(std::int64_t seq, const std::string& hash) const {
        const auto found = hashes_.find(seq);
        return found != hashes_.end() && found->second == hash;
    }
    bool holds(const store::AnchoredHead& head) const { return holds(head.seq, head.hash); }
    // This store holds an entry at the head's sequence, and it is another.
    bool branchesOff(const store::AnchoredHead& head) const {
        const auto found = hashes_.find(head.seq);
        return found != hashes_.end() && found->second != head.hash;
    }
    // The head's transaction followed an entry this store holds, and the head is not this store's.
    bool forksFrom(const store::AnchoredHead& head) const {
        return !holds(head) && holds(head.baseSeq, head.baseHash);
    }
    // Where the head's chain branched off this one: after its base when this store holds the base, else (an older
    // anchor without a base) at the head itself, which is at or after the branch.
    std::int64_t branchOf(const store::AnchoredHead& head) const {
        return holds(head.baseSeq, head.baseHash) ? head.baseSeq + 1 : head.seq;
    }
    // The file that anchored this store's entry `seq` ("" when no head with a file names it).
    std::string fileThatAnchored(std::int64_t seq) const {
        const auto* head = firstReceived([&](const auto& h) { return h.seq == seq && holds(h) && !h.file.empty(); });
        return head ? head->file : std::string();
    }
    // This store's own first transaction after its entry `baseSeq`, as anchored (nullptr when none was).
    const store::AnchoredHead* continuationAfter(std::int64_t baseSeq) const {
        return firstReceived([&](const auto& h) { return h.baseSeq == baseSeq && holds(h); });
    }
    // When the anchor first received a head of this store's chain at or after `seq` ("" when none): this store
    // had committed its entry `seq` by then.
    std::string committedBy(std::int64_t seq) const {
        const auto* head = firstReceived([&](const auto& h) { return h.seq >= seq && holds(h); });
        return head ? head->at : std::string();
    }

private:
    const store::AnchoredHead* firstReceived(const std::function<bool(const store::AnchoredHead&)>& matches) const {
        const store::AnchoredHead* first = nullptr;
        for (const auto& head : heads_)
            if (matches(head) && (first == nullptr || head.at < first->at)) first = &head;
        return first;
    }

    const std::vector<store::AnchoredHead>& heads_;
    std::map<std::int64_t, std::string> hashes_;
};

// The head by which another file's heads are judged: received first among those whose transaction followed an
// entry this store holds without being this store's (the copy's first transaction after the two branched), else,
// for anchors without a base, among those that differ from this store's entry at their sequence. nullptr when
// that file's chain never left this store's.
const store::AnchoredHead* forkOf(const Lineage& lineage, const std::vector<store::AnchoredHead>& heads) {
    const auto firstWhere = [&heads](auto&& matches) {
        const store::AnchoredHead* first = nullptr;
        for (const auto& head : heads)
            if (matches(head) && (first == nullptr || head.at < first->at)) first = &head;
        return first;
    };
    if (const auto* fork = firstWhere([&](const auto& head) { return lineage.forksFrom(head); })) return fork;
    return firstWhere([&](const auto& head) { return lineage.branchesOff(head); });
}

// Whether the chain of `fork` (another file's) is a copy that left this store, rather than this store a copy that
// left it. After the entry both hold, the file that anchored that entry is the one that went on; a copy starts
// in another file (this store, before its own next transaction, would go on in its own file). When that does not
// decide (both or neither went on in it, an anchor without a base or file), the chain that committed first after
// the branch is the store.
bool copiedFromThisStore(const Lineage& lineage, const store::AnchoredHead& fork, const std::string& ownFile) {
    if (lineage.forksFrom(fork)) {
        const std::string baseFile = lineage.fileThatAnchored(fork.baseSeq);
        const auto* ours = lineage.continuationAfter(fork.baseSeq);
        const bool weGoOn = (ours ? ours->file : ownFile) == baseFile;
        const bool theyGoOn = fork.file == baseFile;
        if (!baseFile.empty() && weGoOn != theyGoOn) return weGoOn;
    }
    const std::string committed = lineage.committedBy(lineage.branchOf(fork));
    return !committed.empty() && committed < fork.at;
}

}  // namespace

Result<HeadsByCopy> sortHeadsByCopy(store::Store& store, std::vector<store::AnchoredHead> heads) {
    auto hashes = hashesNamedBy(store, heads);
    if (!hashes) return hashes.error();
    const Lineage lineage(heads, std::move(*hashes));
    const std::string ownFile = store::anchoredFile(store.path());
    std::map<std::string, std::vector<store::AnchoredHead>> byOtherFile;
    for (const auto& head : heads)
        if (!head.file.empty() && head.file != ownFile) byOtherFile[head.file].push_back(head);
    HeadsByCopy sorted;
    for (auto& [file, fileHeads] : byOtherFile) {
        const auto* fork = forkOf(lineage, fileHeads);
        if (fork == nullptr || !copiedFromThisStore(lineage, *fork, ownFile)) continue;
        sorted.alongside.push_back({file, lineage.branchOf(*fork), std::move(fileHeads)});
    }
    const auto isAlongside = [&sorted](const store::AnchoredHead& head) {
        return std::ranges::any_of(sorted.alongside, [&head](const auto& copy) { return copy.file == head.file; });
    };
    for (auto& head : heads)
        if (!isAlongside(head)) sorted.own.push_back(std::move(head));
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
           "who used it, and have a program administrator acknowledge these heads with the reason. This store's "
           "accounts and log are not changed by it.";
}

}  // namespace facelead::audit
