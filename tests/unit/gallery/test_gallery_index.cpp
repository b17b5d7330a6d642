// GalleryIndex: the SIMD top-N must give exactly what a naive full sort gives.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
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
