// DL/ID fraud check (SOP VI.A.5, issue 10 item 7): every pair of faces of different subjects within the
// calibrated threshold, on synthetic unit-norm descriptors with planted near-duplicates, at 10 000, 30 000 and
// 100 000 faces on 2 threads (target: 100 000 in <= 60 s on 2 cores). Reference in the same run: the naive way,
// one full-gallery scan per face with the same SIMD kernel (GalleryIndex::topN-style, no blocking), at 10 000
// faces. See docs/PERFORMANCE.md "Gallery duplicates".

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "core/gallery/DistanceKernels.h"
#include "core/gallery/GalleryIndex.h"
#include "tests/benchmarks/gallery/BenchSupport.h"

namespace {

using facelead::gallery::kDescriptorDims;
constexpr float kThreshold = 0.56f;
constexpr std::size_t kPlantEvery = 1000;  // one face in a thousand re-enrolled under another subject

// Descriptors of `size` faces (two per subject), one in kPlantEvery a noisy copy of an earlier face of
// another subject: the pairs the check must find.
std::vector<float> rowsWithPlants(std::size_t size) {
    std::vector<float> rows = facelead::bench::unitDescriptors(size, 7);
    std::mt19937 random(11);
    std::normal_distribution<float> noise(0.0f, 0.02f);
    for (std::size_t r = kPlantEvery; r < size; r += kPlantEvery) {
        const std::size_t source = r - kPlantEvery / 2;
        float norm = 0;
        for (std::size_t d = 0; d < kDescriptorDims; ++d) {
            float& v = rows[r * kDescriptorDims + d];
            v = rows[source * kDescriptorDims + d] + noise(random);
            norm += v * v;
        }
        for (std::size_t d = 0; d < kDescriptorDims; ++d) rows[r * kDescriptorDims + d] /= std::sqrt(norm);
    }
    return rows;
}

facelead::gallery::GalleryIndex indexOf(const std::vector<float>& rows, std::size_t size) {
    facelead::gallery::GalleryIndex index;
    index.reserve(size);
    for (std::size_t r = 0; r < size; ++r)
        index.add(std::int64_t(r), std::int64_t(r / 2), facelead::bench::descriptorAt(rows, r));
    return index;
}

void BM_CrossSubjectPairs(benchmark::State& state) {
    const std::size_t size = std::size_t(state.range(0));
    const auto rows = rowsWithPlants(size);
    const auto index = indexOf(rows, size);
    std::size_t found = 0;
    for (auto _ : state) {
        const auto result = index.crossSubjectPairs({kThreshold, 100000, 2, nullptr});
        found = result.pairs.size();
        benchmark::DoNotOptimize(result.pairs.data());
    }
    state.counters["faces"] = double(size);
    state.counters["pairs_found"] = double(found);
    state.counters["pairs_planted"] = double((size - 1) / kPlantEvery);
}

// The naive reference: each face against the whole gallery, one thread, same kernel.
void BM_NaivePairScan(benchmark::State& state) {
    const std::size_t size = std::size_t(state.range(0));
    const auto rows = rowsWithPlants(size);
    const auto kernel = facelead::gallery::activeKernel();
    std::vector<float> distances(size);
    std::size_t found = 0;
    for (auto _ : state) {
        found = 0;
        for (std::size_t probe = 0; probe < size; ++probe) {
            facelead::gallery::squaredDistances(kernel, rows.data() + probe * kDescriptorDims, rows.data(), size,
                                                distances.data());
            for (std::size_t c = probe + 1; c < size; ++c)
                found += distances[c] <= kThreshold * kThreshold && probe / 2 != c / 2 ? 1 : 0;
        }
        benchmark::DoNotOptimize(found);
    }
    state.counters["faces"] = double(size);
    state.counters["pairs_found"] = double(found);
}

BENCHMARK(BM_NaivePairScan)->Arg(10'000)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK(BM_CrossSubjectPairs)->Arg(10'000)->Arg(30'000)->Arg(100'000)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    std::printf("distance kernel: %s\n",
                std::string(facelead::gallery::kernelName(facelead::gallery::activeKernel())).c_str());
    facelead::bench::RatioReporter reporter({
        {"BM_CrossSubjectPairs/10000/iterations:1", "BM_NaivePairScan/10000/iterations:1",
         "all pairs @10k: blocked, 2 threads / naive scan, 1 thread"},
    });
    benchmark::RunSpecifiedBenchmarks(&reporter);
    reporter.printRatios();
    benchmark::Shutdown();
    return 0;
}
