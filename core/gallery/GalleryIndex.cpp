#include "core/gallery/GalleryIndex.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>

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
};

// Strict weak order "a is nearer than b"; faceId breaks ties so results do not depend on load order.
bool nearer(const Candidate& a, const Candidate& b) {
    if (a.squaredDistance != b.squaredDistance) return a.squaredDistance < b.squaredDistance;
    return a.faceId < b.faceId;
}

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
    if (!std::all_of(probe.begin(), probe.end(), [](float v) { return std::isfinite(v); })) return {};

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

}  // namespace facelead::gallery
