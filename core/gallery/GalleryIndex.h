#pragma once
// The in-memory 1:N index over gallery descriptors: contiguous float storage, brute-force exact
// top-N by Euclidean distance with SIMD. Loaded from the store when it opens.
//
// Threading: topN() and crossSubjectPairs() are const and may run concurrently from many threads; add(),
// removeSubject() and reserve() must not overlap with anything else.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/common/Result.h"
#include "core/face/FaceEngine.h"

namespace facelead::gallery {

// How many candidates (subjects: topSubjects) a search returns. 50 is NIST FRVT's "investigation mode" list length; the list
// is always reviewed by a person (SOP 302.02 VI.B.1, VI.B.3), so no cut-off by distance is applied.
inline constexpr std::size_t kDefaultTopN = 50;
inline constexpr std::size_t kMinTopN = 1;
inline constexpr std::size_t kMaxTopN = 200;

// InvalidArgument unless kMinTopN <= n <= kMaxTopN. Callers validating a search request use this.
Result<void> checkTopN(std::size_t n);

// Two faces of DIFFERENT subjects within a distance of each other (GalleryIndex::crossSubjectPairs).
struct FacePair {
    std::int64_t faceA = 0, subjectA = 0;  // faceA < faceB
    std::int64_t faceB = 0, subjectB = 0;
    float distance = 0;
};

struct PairSearch {
    float maxDistance = 0.56f;     // Euclidean; the calibrated same-subject threshold by default
    std::size_t maxPairs = 100000; // pairs kept (nearest first); PairSearchResult::truncated says when more exist
    unsigned threads = 0;          // 0: all cores
    const std::atomic<bool>* cancel = nullptr;
};

struct PairSearchResult {
    std::vector<FacePair> pairs;   // nearest first, ties by face ids
    bool truncated = false;
    bool cancelled = false;
};

struct Hit {
    std::int64_t faceId = 0;
    std::int64_t subjectId = 0;
    float distance = 0;  // Euclidean, as FaceEngine::distance
    std::size_t probe = 0;  // topSubjects: which of the probes (0-based) was nearest to this face
};

class GalleryIndex {
public:
    void reserve(std::size_t faces);
    void add(std::int64_t faceId, std::int64_t subjectId, const face::Descriptor& descriptor);
    // Drops every face of the subject (a removed gallery subject, Gallery::removeSubject): one pass over the
    // rows, the others keep their order. Returns how many faces were dropped.
    std::size_t removeSubject(std::int64_t subjectId);
    void clear();
    std::size_t size() const { return faceIds_.size(); }
    // The n nearest faces, nearest first; equal distances in ascending faceId order. No decision is
    // made: every hit is only a candidate. n is clamped to kMaxTopN and size(); n == 0 gives no hits
    // (validate requests with checkTopN first). A probe with a non-finite value gives no hits.
    std::vector<Hit> topN(const face::Descriptor& probe, std::size_t n) const;
    // The candidate list (issue 10 item 6): the n nearest SUBJECTS, one hit each, so one person with several
    // photos takes one rank, not several. A subject's hit is its face nearest to any of the probes (several probes
    // of one unknown person: frames of one video, several stills); its distance decides the rank. Fusion rule,
    // "the least distance over probes and the subject's photos", chosen by measurement: tests/benchmarks/face/
    // bench_fusion.cpp, docs/PERFORMANCE.md "Multi-probe fusion". Ties as topN; n clamped as topN; no probes or a
    // probe with a non-finite value gives no hits.
    std::vector<Hit> topSubjects(std::span<const face::Descriptor> probes, std::size_t n) const;

    // Every pair of faces of different subjects within search.maxDistance: all n(n-1)/2 distances, exact,
    // with the SIMD kernels over blocks of rows that stay in cache, the blocks shared among threads.
    // One face under several identities is what the SOP's DL/ID fraud check (VI.A.5) looks for.
    PairSearchResult crossSubjectPairs(const PairSearch& search) const;

    // Heap bytes held by the index (descriptors and ids, by capacity), for memory accounting.
    std::size_t memoryBytes() const;

private:
    std::vector<float> descriptors_;  // size() * 128, row-major
    std::vector<std::int64_t> faceIds_;
    std::vector<std::int64_t> subjectIds_;
};

}  // namespace facelead::gallery
