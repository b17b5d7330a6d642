#pragma once
// Probe quality: measurements on the face and its aligned chip, and a verdict with reasons so the UI can
// warn before a poor probe is searched. Every threshold of the verdict is named here.

#include <vector>

#include <opencv2/core.hpp>

#include "core/face/FaceEngine.h"

namespace facelead::face {

// Measures and grades one face. chipRgb is the aligned 150x150 chip (CV_8UC3, RGB).
Quality assessQuality(const Box& box, const std::vector<Point>& landmarks, const cv::Mat& chipRgb,
                      const QualityThresholds& thresholds);

// Measures and grades a face marked by hand (HandMarking.h): size, eye distance, sharpness, contrast and brightness as
// for a detected face, from the marked eyes and the chip aligned on the marks; the head turn from the nose tip
// when it was marked, else not measured (said in the reasons). Never better than marginal: no landmark was placed
// by the engine, so nothing checks that the points sit where the network expects them (reasons say so).
Quality assessMarkedQuality(const Box& box, const MarkedPoints& checked, const cv::Mat& chipRgb,
                            const QualityThresholds& thresholds);

// Yaw in degrees from the 5 landmarks (eye centres and nose base): 0 frontal, sign = direction of turn.
// A rough geometric estimate, good enough to flag strongly turned faces.
double estimateYawDegrees(const std::vector<Point>& landmarks);

}  // namespace facelead::face
