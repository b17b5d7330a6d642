#pragma once
// Squared-Euclidean distance kernels behind GalleryIndex, chosen once at run time from what the CPU
// supports (AVX2+FMA, else SSE2, else portable scalar), so one binary runs on any x86-64 machine.
// Exposed so tests can check every kernel the machine supports against a naive implementation.

#include <cstddef>
#include <string_view>
#include <vector>

namespace facelead::gallery {

inline constexpr std::size_t kDescriptorDims = 128;

enum class DistanceKernel { Scalar, Sse2, Avx2Fma };

std::string_view kernelName(DistanceKernel kernel);  // "scalar" / "sse2" / "avx2+fma"
// The kernels this CPU can run, fastest last.
std::vector<DistanceKernel> supportedKernels();
// The kernel GalleryIndex uses (the fastest supported).
DistanceKernel activeKernel();

// out[i] = squared L2 distance between probe and rows[i*128 .. i*128+127], for i < count.
void squaredDistances(DistanceKernel kernel, const float* probe, const float* rows, std::size_t count,
                      float* out);

}  // namespace facelead::gallery
