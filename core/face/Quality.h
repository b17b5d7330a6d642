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

// Yaw in degrees from the 5 landmarks (eye centres and nose base): 0 frontal, sign = direction of turn.
// A rough geometric estimate, good enough to flag strongly turned faces.
double estimateYawDegrees(const std::vector<Point>& landmarks);

}  // namespace facelead::face
