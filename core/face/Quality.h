#pragma once
// Probe quality: measurements on the face and its aligned chip, and a verdict with reasons so the UI can
// warn before a poor probe is searched. Every threshold of the verdict is named in QualityThresholds (FaceEngine.h),
// each calibrated on data (docs/CALIBRATION.md, "Quality verdict": how far the descriptor moves from the same photo's
// clean descriptor as the measure worsens); the verdict is never "good" where the descriptor is unreliable.
// The measures follow the components of ISO/IEC 29794-5 (face image quality) that a probe can be graded on:
// inter-eye distance and face size (its "inter-eye distance" and "head size"), sharpness, under- and over-exposure
// and dynamic range ("contrast" here), head pose (yaw from the landmarks, roll from the eye line), compression
// artefacts (JPEG blockiness), the face's share inside the picture (its "cropping of the face image"); landmark
// plausibility stands in for the standard's check that the face was located reliably; the detail left in the eyes
// for its "occlusion" of the eyes, the eyes seen and the irises' texture (a dot painted over them) for its "eyes
// visible", the grey levels of the face for a tonal depth a 1-bit scan or posterised copy has lost, and the sensor
// noise of the face. Marks not measured: pitch, mouth closed, occlusion below the eyes, natural colour, illumination
// uniformity; a covering the eye detail cannot see, a painted iris saved again as JPEG (docs/CALIBRATION.md says which).

#include <array>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

#include "core/face/FaceEngine.h"

namespace facelead::face {

// The aligned 150x150 chip of a face (CV_8UC3, RGB) and the share of its face proper (the chip without its padding)
// that was read from inside the picture: where the face runs off the picture's edge the chip is padded with black.
struct AlignedChip {
    cv::Mat rgb;
    double faceInPicture = 1;
};

// Whether a face's eyes are looked for with OpenCV's eye detector (countEyesSeen, about 12 ms a face on one core): for
// probes, not for gallery enrolment, whose speed per core is held against dlib's own pipeline (docs/PERFORMANCE.md)
// and whose photos are not searched with.
enum class EyeCheck { Look, Skip };

// Measures and grades one face. imageRgb is the image the face was found in, for the JPEG blockiness of the box
// (empty: not measured, 1).
Quality assessQuality(const Box& box, const std::vector<Point>& landmarks, const AlignedChip& chip,
                      const QualityThresholds& thresholds, const cv::Mat& imageRgb = {}, EyeCheck eyes = EyeCheck::Look);

// Measures and grades a face marked by hand (HandMarking.h): size, eye distance, sharpness, contrast and brightness as
// for a detected face, from the marked eyes and the chip aligned on the marks; the head turn from the nose tip
// when it was marked, else not measured (said in the reasons). Never better than marginal: no landmark was placed
// by the engine, so nothing checks that the points sit where the network expects them (reasons say so).
Quality assessMarkedQuality(const Box& box, const MarkedPoints& checked, const AlignedChip& chip,
                            const QualityThresholds& thresholds, const cv::Mat& imageRgb = {});

// A face found in a file that intake found damaged (imaging::IntakeNotes::damage, intake case C06: corrupt or cut-short
// JPEG data decoded as grey or garbage): never good, with the damage among the reasons, so the face page, the stored
// search and its disclosure say it. Nothing tells where the damage lies, so the face is not made poor by it.
void gradeDamagedFile(Quality& quality, const std::string& damage);

// Yaw in degrees from the 5 landmarks (eye centres and nose base): 0 frontal, sign = direction of turn.
// A rough geometric estimate, good enough to flag strongly turned faces.
double estimateYawDegrees(const std::vector<Point>& landmarks);

// Roll in degrees from the 5 landmarks: the angle of the line from the eye on the picture's left to the other,
// clockwise in the picture (y down); 0 level, +-180 upside down.
double estimateRollDegrees(const std::vector<Point>& landmarks);

// The shape of the 5 landmarks, free of position, size and roll: the nose base's drop below the eye line and each
// eye's corner-to-corner width in eye distances, and the eye distance in box widths.
struct LandmarkShape {
    double noseDrop = 0;
    std::array<double, 2> eyeWidths{};
    double eyesPerBoxWidth = 0;
};
// Needs 5 landmarks, distinct eye centres and a box of some width; otherwise nothing.
std::optional<LandmarkShape> measureLandmarkShape(const Box& box, const std::vector<Point>& landmarks);

// Landmark plausibility: the largest distance, in standard deviations of clean photos, of the 5 landmarks' shape from
// the mean shape (nose below the eye line, each eye's width, the eye distance against the box). A face "found" on an
// upside-down or sideways picture has its nose above the eyes or its eyes out of proportion. Infinity without 5 points.
double landmarkDeviation(const Box& box, const std::vector<Point>& landmarks);

// JPEG blockiness of the box in the image: block by block, the step across the 8-pixel block grid over the mean step
// inside the block; the median over the blocks (at the grid phase where it is largest), averaged over both
// directions. The median, not the mean: the straight edge of a scarf, a collar or a frame that falls on the grid is
// one block among many. 1 for no blocks (and for a box under 32 px).
double measureBlockiness(const cv::Mat& imageRgb, const Box& box);

// Sharpness of the face proper of an aligned chip (CV_8UC3, RGB, 150x150), 0..1: the re-blur measure of Crete-Roffet,
// Dolmiere, Ladret and Nicolas, "The blur effect: perception and estimation with a new no-reference perceptual blur
// metric" (SPIE 6492, 2007): the share of the steps between neighbouring grey levels that a further 9-pixel box blur
// takes away, in the direction where it takes least. A sharp face loses much of its detail to the blur; a blurred
// face has little left to lose. A ratio: it neither rises with contrast nor with noise-free flat areas.
double measureSharpness(const cv::Mat& chipRgb);

// Detail left in the eyes of an aligned chip (CV_8UC3, RGB, 150x150): the mean step between neighbouring grey levels in
// a window about each eye (where the 5-point alignment puts the eye centres), the lesser of the two, over the mean step
// of the face proper. Eyelids, iris and lashes make the eyes some of the most detailed parts of a face; a hand, a
// band or a dark lens over one leaves a flat patch. The face proper's step is taken as at least one grey level, so a
// face without any detail is not measured as one with detailed eyes.
double measureEyeDetail(const cv::Mat& chipRgb);

// How many of the two eyes of an aligned chip (CV_8UC3, RGB, 150x150) OpenCV's eye detector finds within a quarter of
// an eye distance of where the alignment puts them: 0, 1 or 2. The detector is the Viola-Jones cascade trained on eyes
// with and without glasses that Debian ships in opencv-data (haarcascade_eye_tree_eyeglasses.xml; Build: CMake finds
// it). It wants an open eye's pattern of lid, iris and brow, which fingers, a hand or a dark lens hide even where
// they leave detail behind. Thread-safe (one detector per thread). Throws std::runtime_error when the detector's file
// cannot be read (an incomplete installation must not grade every face as if its eyes were covered).
int countEyesSeen(const cv::Mat& chipRgb);

// Texture of the irises of an aligned chip (CV_8UC3, RGB, 150x150): at each eye centre the alignment puts, of the
// patches 0.06 eye distances (3 px) square within 0.06 eye distances of it that are darker than the eye's window (the
// iris and pupil), the flattest one's standard deviation of grey levels, over the mean step of the face proper; the
// lesser of the two eyes. A living iris keeps the camera's noise, the pupil's rim, texture or a catch-light there
// (median 0.63 on clean photos); a dark dot painted over the iris (trial 42 F4) is one grey level, 0. The face
// proper's step is taken as at least one grey level, as in measureEyeDetail. Infinity when no patch at either eye is
// darker than its window (nothing iris-like to be flat).
double measureIrisTexture(const cv::Mat& chipRgb);

// Effective number of grey levels of the box in the picture (CV_8UC3, RGB): 2 to the power of the entropy, in bits, of
// its 256-bin grey histogram. 2 for a bilevel (1-bit) scan, the number of levels for a posterised one, dozens for a
// photo even in low light (a normal spread of sigma grey levels has about 4 sigma). NaN for an empty box.
double measureGreyLevels(const cv::Mat& imageRgb, const Box& box);

// Noise of the box in the picture (CV_8UC3, RGB), as a standard deviation in grey levels: J. Immerkaer, "Fast noise
// variance estimation", Computer Vision and Image Understanding 64(2), 1996: the mean absolute response to the
// difference of two Laplacians, which cancels smooth shading and most edges, times sqrt(pi/2)/6. NaN for a box under
// 3 x 3 pixels.
double measureNoise(const cv::Mat& imageRgb, const Box& box);

}  // namespace facelead::face
