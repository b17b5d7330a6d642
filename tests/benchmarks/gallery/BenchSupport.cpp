#include "tests/benchmarks/gallery/BenchSupport.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>

namespace facelead::bench {

std::vector<float> unitDescriptors(std::size_t count, std::uint32_t seed) {
    constexpr std::size_t dims = std::tuple_size_v<face::Descriptor>;
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    std::vector<float> rows(count * dims);
    for (std::size_t r = 0; r < count; ++r) {
        float* row = rows.data() + r * dims;
        float norm = 0;
        for (std::size_t d = 0; d < dims; ++d) {
            row[d] = normal(rng);
            norm += row[d] * row[d];
        }
        norm = std::sqrt(norm);
        for (std::size_t d = 0; d < dims; ++d) row[d] /= norm;
    }
    return rows;
}

face::Descriptor descriptorAt(const std::vector<float>& rows, std::size_t row) {
    face::Descriptor d;
    std::copy_n(rows.begin() + std::ptrdiff_t(row * d.size()), d.size(), d.begin());
    return d;
}

std::size_t residentBytes() {
    std::ifstream statm("/proc/self/statm");
    std::size_t totalPages = 0, residentPages = 0;
    statm >> totalPages >> residentPages;
    return residentPages * std::size_t(sysconf(_SC_PAGESIZE));
}

void RatioReporter::ReportRuns(const std::vector<Run>& runs) {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs)
        if (run.run_type == Run::RT_Iteration) realTimeByName_[run.benchmark_name()] = run.GetAdjustedRealTime();
}

void RatioReporter::printRatios() const {
    std::printf("\nRatios measured in this run (lower is better for FaceLead):\n");
    for (const Pair& pair : pairs_) {
        const auto measured = realTimeByName_.find(pair.measured);
        const auto reference = realTimeByName_.find(pair.reference);
        if (measured == realTimeByName_.end() || reference == realTimeByName_.end()) continue;
        std::printf("  %-50s %.3f  (%s / %s)\n", pair.label.c_str(), measured->second / reference->second,
                    pair.measured.c_str(), pair.reference.c_str());
    }
}

}  // namespace facelead::bench
