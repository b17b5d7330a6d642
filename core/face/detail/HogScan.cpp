#include "core/face/detail/HogScan.h"

#include <stdexcept>

// The AVX2 build of the same call (HogScanAvx2.cpp, its own shared library; see HogScan.h for why).
#ifdef FACELEAD_HOG_AVX2
extern "C" void facelead_hog_scan_avx2(dlib::frontal_face_detector& detector, const facelead::face::detail::HogImage& image,
                                       std::vector<dlib::rect_detection>& found, double adjustThreshold);
#endif

namespace facelead::face::detail {

HogBuild hogScanBuild() {
#ifdef FACELEAD_HOG_AVX2
    static const bool avx2 = __builtin_cpu_supports("avx2");
    if (avx2) return HogBuild::Avx2;
#endif
    return HogBuild::Generic;
}

void hogScanWith(HogBuild build, dlib::frontal_face_detector& detector, const HogImage& image,
                 std::vector<dlib::rect_detection>& found, double adjustThreshold) {
    if (build == HogBuild::Generic) return detector(image, found, adjustThreshold);
    if (hogScanBuild() != HogBuild::Avx2) throw std::logic_error("the AVX2 HOG scan is not available on this CPU");
#ifdef FACELEAD_HOG_AVX2
    facelead_hog_scan_avx2(detector, image, found, adjustThreshold);
#endif
}

void hogScan(dlib::frontal_face_detector& detector, const HogImage& image, std::vector<dlib::rect_detection>& found,
             double adjustThreshold) {
    hogScanWith(hogScanBuild(), detector, image, found, adjustThreshold);
}

}  // namespace facelead::face::detail
