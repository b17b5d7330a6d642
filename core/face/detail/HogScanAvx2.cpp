// Built with -mavx2 into the shared library facelead_hog_avx2 (core/face/CMakeLists.txt), which exports only
// this function (HogScanAvx2.map): its instantiations of dlib's HOG templates stay inside it. Called only when
// the CPU has AVX2 (HogScan.cpp). Nothing here runs when the library is loaded: no static objects.

#include "core/face/detail/HogScan.h"

extern "C" __attribute__((visibility("default"))) void facelead_hog_scan_avx2(
    dlib::frontal_face_detector& detector, const facelead::face::detail::HogImage& image,
    std::vector<dlib::rect_detection>& found, double adjustThreshold) {
    detector(image, found, adjustThreshold);
}
