#pragma once
// Shared by the gallery benchmark programs: synthetic descriptors, resident memory, and a reporter
// that prints each benchmark's time relative to its reference measured in the same run.

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstddef>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/face/FaceEngine.h"

namespace facelead::bench {

// Unit-norm Gaussian vectors: the ResNet descriptors are unit-norm too, so distances have the same scale.
std::vector<float> unitDescriptors(std::size_t count, std::uint32_t seed);
face::Descriptor descriptorAt(const std::vector<float>& rows, std::size_t row);

// Resident set size of this process in bytes (from /proc/self/statm).
std::size_t residentBytes();

// Console output plus, at the end, "benchmark / reference" ratios for the given pairs of names.
class RatioReporter : public benchmark::ConsoleReporter {
public:
    struct Pair {
        std::string measured;
        std::string reference;
        std::string label;
    };
    // Colours only on a terminal, so a log redirected to a file stays readable.
    explicit RatioReporter(std::vector<Pair> pairs)
        : ConsoleReporter(isatty(STDOUT_FILENO) ? OO_ColorTabular : OO_Tabular), pairs_(std::move(pairs)) {}
    void ReportRuns(const std::vector<Run>& runs) override;
    void printRatios() const;

private:
    std::vector<Pair> pairs_;
    std::map<std::string, double> realTimeByName_;  // in each run's own time unit
};

}  // namespace facelead::bench
