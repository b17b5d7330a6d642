#pragma once
// Private to core/face: the frontal HOG detector's scan of one image, on the fastest build this CPU runs.
//
// Why: dlib's HOG scan (fhog features, the separable filters of its five detectors) is template code compiled
// with FaceLead's own flags, i.e. for generic x86-64 (SSE2): dlib's 8-wide float vectors then run as two
// 4-wide halves. The same code built for AVX2 took about 0.73x the CPU time per 250x250 image (thread CPU
// clock, best of 5 rounds over 40 deepface portraits: 4.2 ms against 5.7 ms), the same boxes, detection
// scores within 1e-6 (docs/PERFORMANCE.md, issue 12, third round).
//
// The AVX2 copy lives in a shared library of its own (facelead_hog_avx2, core/face/CMakeLists.txt) that
// exports one C symbol and keeps its copies of dlib's templates local: in one link, two builds of the same
// template instantiation would be merged and either could end up everywhere (an AVX2 instruction on a CPU
// without it, or the generic code in both places). Which copy runs is decided once, from the CPU.

#include <vector>

#include <dlib/image_processing/frontal_face_detector.h>

namespace facelead::face::detail {

using HogImage = dlib::matrix<dlib::rgb_pixel>;

enum class HogBuild { Generic, Avx2 };

// The build hogScan uses on this CPU: Avx2 where the CPU has AVX2 (and the library was built), else Generic.
HogBuild hogScanBuild();

// detector(image, found, adjustThreshold), as dlib defines it, on hogScanBuild()'s build.
void hogScan(dlib::frontal_face_detector& detector, const HogImage& image, std::vector<dlib::rect_detection>& found,
             double adjustThreshold);

// The same on a given build, for the test that both find the same faces. Avx2 only where hogScanBuild() is Avx2.
void hogScanWith(HogBuild build, dlib::frontal_face_detector& detector, const HogImage& image,
                 std::vector<dlib::rect_detection>& found, double adjustThreshold);

}  // namespace facelead::face::detail
