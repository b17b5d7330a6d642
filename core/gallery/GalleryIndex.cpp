#include "core/gallery/GalleryIndex.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <mutex>
#include <string>
#include <thread>

#include "core/gallery/DistanceKernels.h"

namespace facelead::gallery {
namespace {

static_assert(std::tuple_size_v<face::Descriptor> == kDescriptorDims);

// Distances are computed a block at a time into a stack buffer: small enough for L1, large enough
// to amortise the call.
constexpr std::size_t kScanBlockRows = 256;

struct Candidate {
    float squaredDistance;
    std::int64_t faceId;
    std::size_t row;
    std::size_t probe = 0;
};

// Strict weak order "a is nearer than b"; faceId breaks ties so results do not depend on load order.
bool nearer(const Candidate& a, const Candidate& b) {
    if (a.squaredDistance != b.squaredDistance) return a.squaredDistance < b.squaredDistance;
    return a.faceId < b.faceId;
}

bool finite(const face::Descriptor& probe) {
    return std::all_of(probe.begin(), probe.end(), [](float v) { return std::isfinite(v); });
}

// The best `wanted` candidates of distinct subjects, nearest first. A sorted vector, not a heap: a subject already
// listed must be found and moved up, and the list is short (kMaxTopN); most rows are rejected by the first test.
class SubjectList {
public:
    SubjectList(std::size_t wanted, const std::vector<std::int64_t>& subjectIds) : wanted_(wanted), subjectIds_(subjectIds) {
        best_.reserve(wanted + 1);
    }
    void offer(const Candidate& candidate) {
        if (best_.size() == wanted_ && !nearer(candidate, best_.back())) return;
        const std::int64_t subject = subjectIds_[candidate.row];
        auto same = std::find_if(best_.begin(), best_.end(),
                                 [&](const Candidate& c) { return subjectIds_[c.row] == subject; });
        if (same != best_.end()) {
            if (!nearer(candidate, *same)) return;
            best_.erase(same);
        }
        best_.insert(std::upper_bound(best_.begin(), best_.end(), candidate, nearer), candidate);
        if (best_.size() > wanted_) best_.pop_back();
    }
    const std::vector<Candidate>& best() const { return best_; }

private:
    std::size_t wanted_;
    const std::vector<std::int64_t>& subjectIds_;
    std::vector<Candidate> best_;
};

}  // namespace

Result<void> checkTopN(std::size_t n) {
    if (n >= kMinTopN && n <= kMaxTopN) return {};
    return makeError(ErrorCode::InvalidArgument,
                     "The number of candidates must be between " + std::to_string(kMinTopN) + " and " +
                         std::to_string(kMaxTopN) + " (asked for " + std::to_string(n) + ").");
}

void GalleryIndex::reserve(std::size_t faces) {
    descriptors_.reserve(faces * kDescriptorDims);
    faceIds_.reserve(faces);
    subjectIds_.reserve(faces);
}

void GalleryIndex::add(std::int64_t faceId, std::int64_t subjectId, const face::Descriptor& descriptor) {
    descriptors_.insert(descriptors_.end(), descriptor.begin(), descriptor.end());
    faceIds_.push_back(faceId);
    subjectIds_.push_back(subjectId);
}

std::size_t GalleryIndex::removeSubject(std::int64_t subjectId) {
    std::size_t kept = 0;
    for (std::size_t row = 0; row < size(); ++row) {
        if (subjectIds_[row] == subjectId) continue;
        if (kept != row) {
            std::copy_n(descriptors_.begin() + std::ptrdiff_t(row * kDescriptorDims), kDescriptorDims,
                        descriptors_.begin() + std::ptrdiff_t(kept * kDescriptorDims));
            faceIds_[kept] = faceIds_[row];
            subjectIds_[kept] = subjectIds_[row];
        }
        ++kept;
    }
    const std::size_t removed = size() - kept;
    descriptors_.resize(kept * kDescriptorDims);
    faceIds_.resize(kept);
    subjectIds_.resize(kept);
    return removed;
}

void GalleryIndex::clear() {
    descriptors_.clear();
    faceIds_.clear();
    subjectIds_.clear();
}

std::size_t GalleryIndex::memoryBytes() const {
    return descriptors_.capacity() * sizeof(float) + faceIds_.capacity() * sizeof(std::int64_t) +
           subjectIds_.capacity() * sizeof(std::int64_t);
}

std::vector<Hit> GalleryIndex::topN(const face::Descriptor& probe, std::size_t n) const {
    const std::size_t wanted = std::min({n, kMaxTopN, size()});
    if (wanted == 0) return {};
    if (!finite(probe)) return {};

    const DistanceKernel kernel = activeKernel();
    // Max-heap on "nearer": the front is the worst of the best `wanted` seen so far.
    std::vector<Candidate> best;
    best.reserve(wanted + 1);
    std::array<float, kScanBlockRows> distances;
    for (std::size_t first = 0; first < size(); first += kScanBlockRows) {
        const std::size_t rows = std::min(kScanBlockRows, size() - first);
        squaredDistances(kernel, probe.data(), descriptors_.data() + first * kDescriptorDims, rows,
                         distances.data());
        for (std::size_t i = 0; i < rows; ++i) {
            float d = distances[i];
            // A damaged stored descriptor (NaN) must not break the ordering: it ranks last.
            if (std::isnan(d)) d = std::numeric_limits<float>::infinity();
            const std::size_t row = first + i;
            if (best.size() == wanted) {
                // Fast reject without building a Candidate: the common case on a large gallery.
                if (d > best.front().squaredDistance) continue;
                const Candidate candidate{d, faceIds_[row], row};
                if (!nearer(candidate, best.front())) continue;
                std::pop_heap(best.begin(), best.end(), nearer);
                best.back() = candidate;
            } else {
                best.push_back({d, faceIds_[row], row});
            }
            std::push_heap(best.begin(), best.end(), nearer);
        }
    }
    std::sort_heap(best.begin(), best.end(), nearer);

    std::vector<Hit> hits;
    hits.reserve(best.size());
    for (const Candidate& c : best)
        hits.push_back({c.faceId, subjectIds_[c.row], std::sqrt(c.squaredDistance)});
    return hits;
}

std::vector<Hit> GalleryIndex::topSubjects(std::span<const face::Descriptor> probes, std::size_t n) const {
    const std::size_t wanted = std::min({n, kMaxTopN, size()});
    if (wanted == 0 || probes.empty() || !std::all_of(probes.begin(), probes.end(), finite)) return {};

    const DistanceKernel kernel = activeKernel();
    SubjectList list(wanted, subjectIds_);
    std::array<float, kScanBlockRows> nearest, distances;
    std::array<std::size_t, kScanBlockRows> nearestProbe;
    for (std::size_t first = 0; first < size(); first += kScanBlockRows) {
        const std::size_t rows = std::min(kScanBlockRows, size() - first);
        const float* block = descriptors_.data() + first * kDescriptorDims;
        nearest.fill(std::numeric_limits<float>::infinity());
        nearestProbe.fill(0);
        for (std::size_t p = 0; p < probes.size(); ++p) {
            squaredDistances(kernel, probes[p].data(), block, rows, distances.data());
            // The least over probes; on a tie the earlier probe. A damaged stored descriptor (NaN) is never less:
            // it stays at infinity and ranks last.
            for (std::size_t i = 0; i < rows; ++i) {
                if (distances[i] < nearest[i]) {
                    nearest[i] = distances[i];
                    nearestProbe[i] = p;
                }
            }
        }
        for (std::size_t i = 0; i < rows; ++i)
            list.offer({nearest[i], faceIds_[first + i], first + i, nearestProbe[i]});
    }
    std::vector<Hit> hits;
    hits.reserve(list.best().size());
    for (const Candidate& c : list.best())
        hits.push_back({c.faceId, subjectIds_[c.row], std::sqrt(c.squaredDistance), c.probe});
    return hits;
}

PairSearchResult GalleryIndex::crossSubjectPairs(const PairSearch& search) const {
    PairSearchResult result;
    const std::size_t count = size();
    if (count < 2 || !(search.maxDistance > 0)) return result;
    const DistanceKernel kernel = activeKernel();
    const float limit = search.maxDistance * search.maxDistance;
    // Column blocks of kPairBlockRows rows (64 KiB of descriptors) stay in L2 while every earlier row is
    // compared with them; blocks are handed out largest first (block b has b*kPairBlockRows rows above it).
    constexpr std::size_t kPairBlockRows = 128;
    const std::size_t blocks = (count + kPairBlockRows - 1) / kPairBlockRows;
    std::atomic<std::size_t> nextBlock{0};
    std::mutex merge;
    const auto nearerPair = [](const FacePair& a, const FacePair& b) {
        if (a.distance != b.distance) return a.distance < b.distance;
        return std::pair(a.faceA, a.faceB) < std::pair(b.faceA, b.faceB);
    };
    const auto work = [&] {
        std::vector<FacePair> found;
        std::array<float, kPairBlockRows> distances;
        for (std::size_t taken = nextBlock++; taken < blocks; taken = nextBlock++) {
            if (search.cancel && search.cancel->load()) break;
            const std::size_t block = blocks - 1 - taken;
            const std::size_t first = block * kPairBlockRows;
            const std::size_t rows = std::min(kPairBlockRows, count - first);
            for (std::size_t probe = 0; probe < first + rows; ++probe) {
                // Only pairs (probe, column) with probe < column: each pair once.
                const std::size_t from = probe < first ? 0 : probe - first + 1;
                if (from >= rows) continue;
                squaredDistances(kernel, descriptors_.data() + probe * kDescriptorDims,
                                 descriptors_.data() + (first + from) * kDescriptorDims, rows - from,
                                 distances.data());
                for (std::size_t i = 0; i < rows - from; ++i) {
                    if (!(distances[i] <= limit)) continue;  // NaN (a damaged descriptor) never pairs
                    const std::size_t column = first + from + i;
                    if (subjectIds_[probe] == subjectIds_[column]) continue;
                    FacePair pair{faceIds_[probe], subjectIds_[probe], faceIds_[column], subjectIds_[column],
                                  std::sqrt(distances[i])};
                    if (pair.faceA > pair.faceB) {
                        std::swap(pair.faceA, pair.faceB);
                        std::swap(pair.subjectA, pair.subjectB);
                    }
                    found.push_back(pair);
                }
            }
        }
        const std::lock_guard lock(merge);
        result.pairs.insert(result.pairs.end(), found.begin(), found.end());
    };
    const unsigned threads =
        std::max(1u, std::min<unsigned>(search.threads ? search.threads : std::thread::hardware_concurrency(),
                                        static_cast<unsigned>(blocks)));
    {
        std::vector<std::jthread> pool;
        for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
        work();
    }
    result.cancelled = search.cancel && search.cancel->load();
    std::sort(result.pairs.begin(), result.pairs.end(), nearerPair);
    if (result.pairs.size() > search.maxPairs) {
        result.pairs.resize(search.maxPairs);
        result.truncated = true;
    }
    return result;
}

}  // namespace facelead::gallery
