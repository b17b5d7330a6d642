// 1:N search: exact top-50 over 100 000 and 1 000 000 synthetic unit-norm descriptors on one core,
// FaceLead's GalleryIndex against FAISS IndexFlatL2 (one OpenMP thread) on the same data, plus the
// index's memory per face. See docs/PERFORMANCE.md "Store and 1:N search".

#include <benchmark/benchmark.h>
#include <faiss/IndexFlat.h>
#include <omp.h>

#include <cstdio>
#include <map>
#include <memory>
#include <set>

#include "core/gallery/DistanceKernels.h"
#include "core/gallery/GalleryIndex.h"
#include "tests/benchmarks/gallery/BenchSupport.h"

namespace {

constexpr std::size_t kLargestGallery = 1'000'000;
constexpr std::size_t kProbeCount = 64;
constexpr std::size_t kDims = facelead::gallery::kDescriptorDims;

// One 1M-row data set; the smaller gallery is its prefix.
const std::vector<float>& galleryRows() {
    static const std::vector<float> rows = facelead::bench::unitDescriptors(kLargestGallery, 1);
    return rows;
}

const std::vector<float>& probeRows() {
    static const std::vector<float> rows = facelead::bench::unitDescriptors(kProbeCount, 2);
    return rows;
}

const facelead::gallery::GalleryIndex& galleryIndex(std::size_t size) {
    static std::map<std::size_t, std::unique_ptr<facelead::gallery::GalleryIndex>> indexes;
    auto& index = indexes[size];
    if (!index) {
        const auto& rows = galleryRows();
        const std::size_t before = facelead::bench::residentBytes();
        index = std::make_unique<facelead::gallery::GalleryIndex>();
        index->reserve(size);
        for (std::size_t r = 0; r < size; ++r)
            index->add(std::int64_t(r), std::int64_t(r / 2), facelead::bench::descriptorAt(rows, r));
        const std::size_t after = facelead::bench::residentBytes();
        std::printf("GalleryIndex %zu faces: %.1f bytes/face held, %.1f bytes/face RSS delta (kernel %s)\n", size,
                    double(index->memoryBytes()) / double(size), double(after - before) / double(size),
                    std::string(facelead::gallery::kernelName(facelead::gallery::activeKernel())).c_str());
    }
    return *index;
}

const faiss::IndexFlatL2& faissIndex(std::size_t size) {
    static std::map<std::size_t, std::unique_ptr<faiss::IndexFlatL2>> indexes;
    auto& index = indexes[size];
    if (!index) {
        index = std::make_unique<faiss::IndexFlatL2>(kDims);
        index->add(faiss::Index::idx_t(size), galleryRows().data());
    }
    return *index;
}

// Both indexes must return the same 50 faces, or the timing comparison means nothing. Once per size.
void checkAgreement(std::size_t size) {
    static std::set<std::size_t> checked;
    if (!checked.insert(size).second) return;
    const auto probe = facelead::bench::descriptorAt(probeRows(), 0);
    const auto hits = galleryIndex(size).topN(probe, facelead::gallery::kDefaultTopN);
    std::vector<float> distances(facelead::gallery::kDefaultTopN);
    std::vector<faiss::Index::idx_t> labels(facelead::gallery::kDefaultTopN);
    faissIndex(size).search(1, probe.data(), faiss::Index::idx_t(labels.size()), distances.data(), labels.data());
    std::size_t same = 0;
    for (std::size_t i = 0; i < hits.size(); ++i) same += hits[i].faceId == labels[i] ? 1 : 0;
    std::printf("Top-%zu agreement with FAISS at %zu faces: %zu/%zu ranks identical\n", labels.size(), size, same,
                labels.size());
}

void BM_GalleryIndexTop50(benchmark::State& state) {
    const std::size_t size = std::size_t(state.range(0));
    const auto& index = galleryIndex(size);
    checkAgreement(size);
    std::size_t probe = 0;
    for (auto _ : state) {
        auto hits = index.topN(facelead::bench::descriptorAt(probeRows(), probe++ % kProbeCount),
                               facelead::gallery::kDefaultTopN);
        benchmark::DoNotOptimize(hits.data());
    }
    state.counters["faces"] = double(size);
    state.counters["bytes_per_face"] = double(index.memoryBytes()) / double(size);
}

void BM_FaissFlatL2Top50(benchmark::State& state) {
    const std::size_t size = std::size_t(state.range(0));
    const auto& index = faissIndex(size);
    std::vector<float> distances(facelead::gallery::kDefaultTopN);
    std::vector<faiss::Index::idx_t> labels(facelead::gallery::kDefaultTopN);
    std::size_t probe = 0;
    for (auto _ : state) {
        index.search(1, probeRows().data() + (probe++ % kProbeCount) * kDims, faiss::Index::idx_t(labels.size()),
                     distances.data(), labels.data());
        benchmark::DoNotOptimize(labels.data());
    }
    state.counters["faces"] = double(size);
    state.counters["bytes_per_face"] = double(index.codes.capacity()) / double(size);
}

BENCHMARK(BM_FaissFlatL2Top50)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_GalleryIndexTop50)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

int main(int argc, char** argv) {
    omp_set_num_threads(1);  // FAISS parallelises with OpenMP; the comparison is one core against one core
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    facelead::bench::RatioReporter reporter({
        {"BM_GalleryIndexTop50/100000/min_time:2.000", "BM_FaissFlatL2Top50/100000/min_time:2.000",
         "top-50 @100k: GalleryIndex / FAISS IndexFlatL2"},
        {"BM_GalleryIndexTop50/1000000/min_time:2.000", "BM_FaissFlatL2Top50/1000000/min_time:2.000",
         "top-50 @1M:   GalleryIndex / FAISS IndexFlatL2"},
    });
    benchmark::RunSpecifiedBenchmarks(&reporter);
    reporter.printRatios();
    benchmark::Shutdown();
    return 0;
}
