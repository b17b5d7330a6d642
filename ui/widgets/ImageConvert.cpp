#include "ui/widgets/ImageConvert.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace facelead::ui {

QImage toQImage(const cv::Mat& rgb) {
    if (rgb.empty() || rgb.type() != CV_8UC3) return {};
    return QImage(rgb.data, rgb.cols, rgb.rows, int(rgb.step), QImage::Format_RGB888).copy();
}

cv::Mat downscaled(const cv::Mat& rgb, int maxSide, double* scale) {
    const int longest = std::max(rgb.cols, rgb.rows);
    const double factor = longest > maxSide ? double(maxSide) / longest : 1.0;
    if (scale) *scale = factor;
    if (factor == 1.0) return rgb.clone();
    cv::Mat small;
    cv::resize(rgb, small, cv::Size(), factor, factor, cv::INTER_AREA);
    return small;
}

}  // namespace facelead::ui
