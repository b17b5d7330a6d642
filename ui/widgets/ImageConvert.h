#pragma once
// Conversions between the core's images (cv::Mat, 8-bit RGB) and Qt's, and downscaled previews.

#include <QImage>

#include <opencv2/core.hpp>

namespace facelead::ui {

// A deep copy as QImage::Format_RGB888 (the Mat must be CV_8UC3 RGB, as the core hands them out).
QImage toQImage(const cv::Mat& rgb);
// A copy no larger than maxSide on its longer side (the same image when already small enough).
cv::Mat downscaled(const cv::Mat& rgb, int maxSide, double* scale = nullptr);

}  // namespace facelead::ui
