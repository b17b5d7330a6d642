// GalleryIndex: the SIMD top-N must give exactly what a naive full sort gives.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <vector>

#include "core/gallery/DistanceKernels.h"
#include "core/gallery/GalleryIndex.h"

namespace gallery = facelead::gallery;
using facelead::face::Descriptor;

namespace {

// Unit-norm random vectors, like the ResNet descriptors.
Descriptor randomDescriptor(std::mt19937& rng) {
    std::normal_distribution<float> normal;
    Descriptor d;
    for (float& v : d) v = normal(rng);
    const float norm = std::sqrt(std::inner_product(d.begin(), d.end(), d.begin(), 0.0f));
    for (float& v : d) v /= norm;
    return d;
}

double naiveDistance(const Descriptor& a, const Descriptor& b) {
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    return std::sqrt(sum);
}

struct Face {
    std::int64_t faceId;
    std::int64_t subjectId;
    Descriptor descriptor;
};

// The reference: every distance, a full sort by (distance, faceId), the first n.
std::vector<gallery::Hit> naiveTopN(const std::vector<Face>& faces, const Descriptor& probe, std::size_t n) {
    std::vector<gallery::Hit> all;
    for (const Face& f : faces) all.push_back({f.faceId, f.subjectId, float(naiveDistance(f.descriptor, probe))});
    std::sort(all.begin(), all.end(), [](const gallery::Hit& a, const gallery::Hit& b) {
        return a.distance != b.distance ? a.distance < b.distance : a.faceId < b.faceId;
    });
    all.resize(std::min(n, all.size()));
    return all;
}

gallery::GalleryIndex indexOf(const std::vector<Face>& faces) {
    gallery::GalleryIndex index;
    index.reserve(faces.size());
    for (const Face& f : faces) index.add(f.faceId, f.subjectId, f.descriptor);
    return index;
}

void requireSameHits(const std::vector<gallery::Hit>& actual, const std::vector<gallery::Hit>& expected) {
    REQUIRE(actual.size() == expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
        INFO("rank " << i);
        CHECK(actual[i].faceId == expected[i].faceId);
        CHECK(actual[i].subjectId == expected[i].subjectId);
        CHECK(actual[i].distance == Approx(expected[i].distance).epsilon(1e-5));
    }
}

std::vector<Face> randomFaces(std::mt19937& rng, std::size_t count) {
    std::vector<Face> faces;
    // Ids deliberately not in insertion order, subjects shared by several faces.
    for (std::size_t i = 0; i < count; ++i)
        faces.push_back({std::int64_t(1000 + (i * 7919) % count), std::int64_t(i / 3 + 1), randomDescriptor(rng)});
    return faces;
}

}  // namespace

TEST_CASE("every supported distance kernel agrees with the naive distance", "[gallery][index]") {
    std::mt19937 rng(7);
    std::vector<Descriptor> rows;
    for (int i = 0; i < 37; ++i) rows.push_back(randomDescriptor(rng));
    const Descriptor probe = randomDescriptor(rng);

    const auto kernels = gallery::supportedKernels();
    REQUIRE(kernels.front() == gallery::DistanceKernel::Scalar);
    CHECK(gallery::activeKernel() == kernels.back());
    for (const auto kernel : kernels) {
        INFO("kernel " << gallery::kernelName(kernel));
        std::vector<float> out(rows.size(), -1.0f);
        gallery::squaredDistances(kernel, probe.data(), rows.front().data(), rows.size(), out.data());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const double expected = naiveDistance(rows[i], probe);
            CHECK(out[i] == Approx(expected * expected).epsilon(1e-5));
        }
    }
}

TEST_CASE("topN equals a naive full sort on random descriptors", "[gallery][index]") {
    std::mt19937 rng(42);
    const auto faces = randomFaces(rng, 3001);  // not a multiple of the scan block
    const auto index = indexOf(faces);
    REQUIRE(index.size() == faces.size());
    for (std::size_t n : {std::size_t{1}, std::size_t{7}, gallery::kDefaultTopN, gallery::kMaxTopN}) {
        for (int probeNo = 0; probeNo < 5; ++probeNo) {
            INFO("n = " << n << ", probe " << probeNo);
            const Descriptor probe = randomDescriptor(rng);
            requireSameHits(index.topN(probe, n), naiveTopN(faces, probe, n));
        }
    }
}

TEST_CASE("a probe identical to a gallery face ranks that face first at distance 0", "[gallery][index]") {
    std::mt19937 rng(3);
    const auto faces = randomFaces(rng, 500);
    const auto hits = indexOf(faces).topN(faces[123].descriptor, gallery::kDefaultTopN);
    REQUIRE(hits.size() == gallery::kDefaultTopN);
    CHECK(hits[0].faceId == faces[123].faceId);
    CHECK(hits[0].subjectId == faces[123].subjectId);
    CHECK(hits[0].distance == 0.0f);
}

TEST_CASE("equal distances are ordered by face id, whatever the insertion order", "[gallery][index]") {
    std::mt19937 rng(11);
    const Descriptor shared = randomDescriptor(rng);
    std::vector<Face> faces = randomFaces(rng, 400);
    // Eight copies of one descriptor under shuffled ids: the selection heap must still keep the lowest ids.
    std::vector<std::int64_t> tiedIds{90, 17, 55, 3, 71, 28, 64, 40};
    for (std::int64_t id : tiedIds) faces.push_back({id, id * 10, shared});
    std::shuffle(faces.begin(), faces.end(), rng);
    const auto index = indexOf(faces);

    // The probe is the shared descriptor: the eight ties are the eight nearest, at distance 0.
    auto hits = index.topN(shared, 5);
    REQUIRE(hits.size() == 5);
    const std::vector<std::int64_t> expectedIds{3, 17, 28, 40, 55};
    for (std::size_t i = 0; i < hits.size(); ++i) {
        CHECK(hits[i].faceId == expectedIds[i]);
        CHECK(hits[i].subjectId == expectedIds[i] * 10);
        CHECK(hits[i].distance == 0.0f);
    }
    // Ties away from the probe too: the naive reference agrees for every n.
    const Descriptor probe = randomDescriptor(rng);
    for (std::size_t n : {std::size_t{1}, std::size_t{50}, std::size_t{200}})
        requireSameHits(index.topN(probe, n), naiveTopN(faces, probe, n));
}

TEST_CASE("n larger than the gallery returns every face, sorted", "[gallery][index]") {
    std::mt19937 rng(5);
    const auto faces = randomFaces(rng, 12);
    const Descriptor probe = randomDescriptor(rng);
    const auto hits = indexOf(faces).topN(probe, 100);
    requireSameHits(hits, naiveTopN(faces, probe, 100));
    CHECK(hits.size() == faces.size());
}

TEST_CASE("n outside 1..200 is refused by checkTopN and clamped by topN", "[gallery][index]") {
    CHECK(gallery::kMinTopN == 1);
    CHECK(gallery::kDefaultTopN == 50);
    CHECK(gallery::kMaxTopN == 200);
    CHECK(gallery::checkTopN(1).ok());
    CHECK(gallery::checkTopN(50).ok());
    CHECK(gallery::checkTopN(200).ok());
    const auto zero = gallery::checkTopN(0);
    REQUIRE_FALSE(zero.ok());
    CHECK(zero.error().code == facelead::ErrorCode::InvalidArgument);
    CHECK_FALSE(gallery::checkTopN(201).ok());

    std::mt19937 rng(9);
    const auto faces = randomFaces(rng, 600);
    const auto index = indexOf(faces);
    const Descriptor probe = randomDescriptor(rng);
    CHECK(index.topN(probe, 0).empty());
    requireSameHits(index.topN(probe, 10'000), naiveTopN(faces, probe, gallery::kMaxTopN));
}

TEST_CASE("an empty index gives no hits", "[gallery][index]") {
    std::mt19937 rng(1);
    gallery::GalleryIndex index;
    CHECK(index.topN(randomDescriptor(rng), 50).empty());
    index.add(1, 1, randomDescriptor(rng));
    index.clear();
    CHECK(index.size() == 0);
    CHECK(index.topN(randomDescriptor(rng), 50).empty());
}

TEST_CASE("non-finite values cannot corrupt the ranking", "[gallery][index]") {
    std::mt19937 rng(13);
    auto faces = randomFaces(rng, 300);
    Descriptor damaged = randomDescriptor(rng);
    damaged[17] = std::numeric_limits<float>::quiet_NaN();
    faces.push_back({999'999, 1, damaged});
    const auto index = indexOf(faces);

    // A damaged stored descriptor ranks last, after every real face.
    const auto all = index.topN(randomDescriptor(rng), gallery::kMaxTopN);
    REQUIRE(all.size() == gallery::kMaxTopN);
    for (const auto& hit : all) CHECK(hit.faceId != 999'999);

    // A damaged probe gives no candidates rather than an arbitrary order.
    CHECK(index.topN(damaged, 10).empty());
}

TEST_CASE("memoryBytes accounts for descriptors and ids", "[gallery][index]") {
    std::mt19937 rng(2);
    gallery::GalleryIndex index;
    index.reserve(1000);
    for (int i = 0; i < 1000; ++i) index.add(i, i, randomDescriptor(rng));
    CHECK(index.memoryBytes() >= 1000 * (128 * sizeof(float) + 2 * sizeof(std::int64_t)));
}

TEST_CASE("removeSubject drops exactly that subject's faces; the rest rank as before", "[gallery][index][remove]") {
    std::mt19937 rng(11);
    auto faces = randomFaces(rng, 700);  // subjects of 3 faces each, across several scan blocks
    auto index = indexOf(faces);
    const std::int64_t removed = faces[400].subjectId;
    CHECK(index.removeSubject(removed) == 3);
    CHECK(index.removeSubject(removed) == 0);  // already gone
    CHECK(index.removeSubject(-1) == 0);       // never there
    std::erase_if(faces, [&](const Face& f) { return f.subjectId == removed; });
    REQUIRE(index.size() == faces.size());
    for (int probeNo = 0; probeNo < 3; ++probeNo) {
        INFO("probe " << probeNo);
        const Descriptor probe = probeNo == 0 ? faces[399].descriptor : randomDescriptor(rng);
        requireSameHits(index.topN(probe, gallery::kMaxTopN), naiveTopN(faces, probe, gallery::kMaxTopN));
    }
}

// --- topSubjects: the candidate list per subject, and several probes of one person (issue 10 item 6)

namespace {

// The reference: per subject, the least distance over its faces and the probes (ties: the lower face id, then the
// first probe); subjects by that distance, then face id; the first n.
std::vector<gallery::Hit> naiveTopSubjects(const std::vector<Face>& faces, const std::vector<Descriptor>& probes,
                                           std::size_t n) {
    std::map<std::int64_t, gallery::Hit> best;
    for (const Face& f : faces) {
        for (std::size_t p = 0; p < probes.size(); ++p) {
            const gallery::Hit hit{f.faceId, f.subjectId, float(naiveDistance(f.descriptor, probes[p])), p};
            auto [at, added] = best.emplace(f.subjectId, hit);
            if (!added && (hit.distance < at->second.distance ||
                           (hit.distance == at->second.distance && hit.faceId < at->second.faceId)))
                at->second = hit;
        }
    }
    std::vector<gallery::Hit> all;
    for (const auto& [subject, hit] : best) all.push_back(hit);
    std::sort(all.begin(), all.end(), [](const gallery::Hit& a, const gallery::Hit& b) {
        return a.distance != b.distance ? a.distance < b.distance : a.faceId < b.faceId;
    });
    all.resize(std::min(n, all.size()));
    return all;
}

}  // namespace

TEST_CASE("a subject with several photos takes one rank, not several", "[gallery][index][subjects]") {
    std::mt19937 rng(11);
    const Descriptor probe = randomDescriptor(rng);
    // Subject 1 has three photos nearer than anyone else's: topN lists all three; the candidate list only one.
    std::vector<Face> faces;
    for (std::int64_t id = 1; id <= 3; ++id) {
        Descriptor near = probe;
        near[0] += 0.01f * float(id);
        faces.push_back({id, 1, near});
    }
    for (std::int64_t id = 4; id <= 10; ++id) faces.push_back({id, id, randomDescriptor(rng)});
    const auto index = indexOf(faces);
    REQUIRE(index.topN(probe, 3).back().subjectId == 1);  // the bug: the same person filled ranks 1 to 3

    const auto hits = index.topSubjects(std::vector{probe}, 3);
    REQUIRE(hits.size() == 3);
    CHECK(hits[0].subjectId == 1);
    CHECK(hits[0].faceId == 1);  // the photo that matched best is remembered
    CHECK(hits[1].subjectId != 1);
    CHECK(hits[2].subjectId != 1);
    CHECK(hits[1].subjectId != hits[2].subjectId);
}

TEST_CASE("the candidate limit counts subjects", "[gallery][index][subjects]") {
    std::mt19937 rng(12);
    const auto faces = randomFaces(rng, 90);  // 30 subjects of 3 photos
    const auto index = indexOf(faces);
    const Descriptor probe = randomDescriptor(rng);
    CHECK(index.topSubjects(std::vector{probe}, 10).size() == 10);
    CHECK(index.topSubjects(std::vector{probe}, 200).size() == 30);  // every subject once, never a photo twice
}

TEST_CASE("topSubjects equals the naive per-subject minimum, with one probe and with several", "[gallery][index][subjects]") {
    std::mt19937 rng(13);
    const auto faces = randomFaces(rng, 3001);
    const auto index = indexOf(faces);
    for (std::size_t probes : {1u, 2u, 3u}) {
        for (std::size_t n : {std::size_t{1}, std::size_t{7}, gallery::kDefaultTopN, gallery::kMaxTopN}) {
            INFO(probes << " probes, n = " << n);
            std::vector<Descriptor> set;
            for (std::size_t p = 0; p < probes; ++p) set.push_back(randomDescriptor(rng));
            const auto hits = index.topSubjects(set, n);
            const auto expected = naiveTopSubjects(faces, set, n);
            requireSameHits(hits, expected);
            for (std::size_t i = 0; i < hits.size() && i < expected.size(); ++i) CHECK(hits[i].probe == expected[i].probe);
        }
    }
}

TEST_CASE("with several probes a subject is as near as its nearest probe", "[gallery][index][subjects]") {
    std::mt19937 rng(14);
    std::vector<Face> faces;
    for (std::int64_t id = 1; id <= 20; ++id) faces.push_back({id, id, randomDescriptor(rng)});
    const auto index = indexOf(faces);
    // The second probe is a copy of subject 7's photo: fused, subject 7 comes first at 0, matched by probe 1.
    const std::vector<Descriptor> probes{randomDescriptor(rng), faces[6].descriptor};
    const auto single = index.topSubjects(std::span(probes).first(1), 20);
    const auto fused = index.topSubjects(probes, 20);
    REQUIRE(fused.front().subjectId == 7);
    CHECK(fused.front().distance == 0);
    CHECK(fused.front().probe == 1);
    // Never farther than with the first probe alone: the fusion cannot lose a subject the best probe found.
    for (const gallery::Hit& hit : single) {
        const auto same = std::find_if(fused.begin(), fused.end(), [&](const gallery::Hit& h) { return h.subjectId == hit.subjectId; });
        REQUIRE(same != fused.end());
        CHECK(same->distance <= hit.distance);
    }
}

TEST_CASE("topSubjects gives nothing for no probe or a non-finite one", "[gallery][index][subjects]") {
    std::mt19937 rng(15);
    const auto index = indexOf(randomFaces(rng, 30));
    CHECK(index.topSubjects({}, 10).empty());
    Descriptor broken = randomDescriptor(rng);
    broken[5] = std::numeric_limits<float>::quiet_NaN();
    CHECK(index.topSubjects(std::vector{randomDescriptor(rng), broken}, 10).empty());
}
