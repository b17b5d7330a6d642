#include "core/gallery/DistanceKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#define FACELEAD_GALLERY_X86 1
#include <immintrin.h>
#endif

namespace facelead::gallery {
namespace {

void squaredDistancesScalar(const float* probe, const float* rows, std::size_t count, float* out) {
    for (std::size_t i = 0; i < count; ++i) {
        const float* row = rows + i * kDescriptorDims;
        float sum = 0;
        for (std::size_t d = 0; d < kDescriptorDims; ++d) {
            const float diff = probe[d] - row[d];
            sum += diff * diff;
        }
        out[i] = sum;
    }
}

#ifdef FACELEAD_GALLERY_X86

// SSE2 is part of the x86-64 baseline, so this needs no target attribute.
void squaredDistancesSse2(const float* probe, const float* rows, std::size_t count, float* out) {
    for (std::size_t i = 0; i < count; ++i) {
        const float* row = rows + i * kDescriptorDims;
        // Four independent accumulators hide the add latency.
        __m128 acc0 = _mm_setzero_ps(), acc1 = _mm_setzero_ps(), acc2 = _mm_setzero_ps(),
               acc3 = _mm_setzero_ps();
        for (std::size_t d = 0; d < kDescriptorDims; d += 16) {
            const __m128 d0 = _mm_sub_ps(_mm_loadu_ps(probe + d), _mm_loadu_ps(row + d));
            const __m128 d1 = _mm_sub_ps(_mm_loadu_ps(probe + d + 4), _mm_loadu_ps(row + d + 4));
            const __m128 d2 = _mm_sub_ps(_mm_loadu_ps(probe + d + 8), _mm_loadu_ps(row + d + 8));
            const __m128 d3 = _mm_sub_ps(_mm_loadu_ps(probe + d + 12), _mm_loadu_ps(row + d + 12));
            acc0 = _mm_add_ps(acc0, _mm_mul_ps(d0, d0));
            acc1 = _mm_add_ps(acc1, _mm_mul_ps(d1, d1));
            acc2 = _mm_add_ps(acc2, _mm_mul_ps(d2, d2));
            acc3 = _mm_add_ps(acc3, _mm_mul_ps(d3, d3));
        }
        __m128 acc = _mm_add_ps(_mm_add_ps(acc0, acc1), _mm_add_ps(acc2, acc3));
        acc = _mm_add_ps(acc, _mm_movehl_ps(acc, acc));
        acc = _mm_add_ss(acc, _mm_shuffle_ps(acc, acc, 1));
        out[i] = _mm_cvtss_f32(acc);
    }
}

// Compiled for AVX2+FMA only in this function; called only after __builtin_cpu_supports said yes.
__attribute__((target("avx2,fma"))) void squaredDistancesAvx2(const float* probe, const float* rows,
                                                               std::size_t count, float* out) {
    // The probe stays in 16 registers for the whole scan; rows stream through once.
    __m256 p[kDescriptorDims / 8];
    for (std::size_t k = 0; k < kDescriptorDims / 8; ++k) p[k] = _mm256_loadu_ps(probe + 8 * k);
    for (std::size_t i = 0; i < count; ++i) {
        const float* row = rows + i * kDescriptorDims;
        __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps(), acc2 = _mm256_setzero_ps(),
               acc3 = _mm256_setzero_ps();
        for (std::size_t k = 0; k < kDescriptorDims / 8; k += 4) {
            const __m256 d0 = _mm256_sub_ps(p[k], _mm256_loadu_ps(row + 8 * k));
            const __m256 d1 = _mm256_sub_ps(p[k + 1], _mm256_loadu_ps(row + 8 * k + 8));
            const __m256 d2 = _mm256_sub_ps(p[k + 2], _mm256_loadu_ps(row + 8 * k + 16));
            const __m256 d3 = _mm256_sub_ps(p[k + 3], _mm256_loadu_ps(row + 8 * k + 24));
            acc0 = _mm256_fmadd_ps(d0, d0, acc0);
            acc1 = _mm256_fmadd_ps(d1, d1, acc1);
            acc2 = _mm256_fmadd_ps(d2, d2, acc2);
            acc3 = _mm256_fmadd_ps(d3, d3, acc3);
        }
        const __m256 acc = _mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3));
        __m128 sum = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
        sum = _mm_add_ps(sum, _mm_movehl_ps(sum, sum));
        sum = _mm_add_ss(sum, _mm_shuffle_ps(sum, sum, 1));
        out[i] = _mm_cvtss_f32(sum);
    }
}

bool cpuHasAvx2Fma() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

#endif  // FACELEAD_GALLERY_X86

}  // namespace

std::string_view kernelName(DistanceKernel kernel) {
    switch (kernel) {
    case DistanceKernel::Scalar: return "scalar";
    case DistanceKernel::Sse2: return "sse2";
    case DistanceKernel::Avx2Fma: return "avx2+fma";
    }
    return "unknown";
}

std::vector<DistanceKernel> supportedKernels() {
    std::vector<DistanceKernel> kernels{DistanceKernel::Scalar};
#ifdef FACELEAD_GALLERY_X86
    kernels.push_back(DistanceKernel::Sse2);
    if (cpuHasAvx2Fma()) kernels.push_back(DistanceKernel::Avx2Fma);
#endif
    return kernels;
}

DistanceKernel activeKernel() {
    static const DistanceKernel kernel = supportedKernels().back();
    return kernel;
}

void squaredDistances(DistanceKernel kernel, const float* probe, const float* rows, std::size_t count,
                      float* out) {
    switch (kernel) {
#ifdef FACELEAD_GALLERY_X86
    case DistanceKernel::Avx2Fma: return squaredDistancesAvx2(probe, rows, count, out);
    case DistanceKernel::Sse2: return squaredDistancesSse2(probe, rows, count, out);
#endif
    default: return squaredDistancesScalar(probe, rows, count, out);
    }
}

}  // namespace facelead::gallery
