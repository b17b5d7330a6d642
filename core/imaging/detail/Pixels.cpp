#include "core/imaging/detail/Pixels.h"

#include <vector>

namespace facelead::imaging::detail {
namespace {

std::uint8_t to8(std::uint8_t v) { return v; }
std::uint8_t to8(std::uint16_t v) { return static_cast<std::uint8_t>((v + 128u) / 257u); }
std::uint8_t to8(float v) { return cv::saturate_cast<std::uint8_t>(v * 255.0f); }
std::uint8_t to8(double v) { return cv::saturate_cast<std::uint8_t>(v * 255.0); }

template <typename T>
void convertRows(const cv::Mat& in, cv::Mat& rgb) {
    const int channels = in.channels();
    std::vector<std::uint8_t> rgba(static_cast<std::size_t>(in.cols) * 4);
    for (int y = 0; y < in.rows; ++y) {
        const T* src = in.ptr<T>(y);
        std::uint8_t* out = rgb.ptr<std::uint8_t>(y);
        for (int x = 0; x < in.cols; ++x, src += channels) {
            std::uint8_t* px = &rgba[static_cast<std::size_t>(x) * 4];
            if (channels <= 2) {
                px[0] = px[1] = px[2] = to8(src[0]);
                px[3] = channels == 2 ? to8(src[1]) : 255;
            } else {  // OpenCV order: B, G, R[, A]
                px[0] = to8(src[2]);
                px[1] = to8(src[1]);
                px[2] = to8(src[0]);
                px[3] = channels == 4 ? to8(src[3]) : 255;
            }
        }
        rgbaRowOnWhite(rgba.data(), out, in.cols);
    }
}

}  // namespace

cv::Mat openCvToRgb8(const cv::Mat& decoded) {
    cv::Mat rgb(decoded.rows, decoded.cols, CV_8UC3);
    switch (decoded.depth()) {
    case CV_16U: convertRows<std::uint16_t>(decoded, rgb); break;
    case CV_32F: convertRows<float>(decoded, rgb); break;
    case CV_64F: convertRows<double>(decoded, rgb); break;
    default: {
        cv::Mat eightBit = decoded;
        if (decoded.depth() != CV_8U) decoded.convertTo(eightBit, CV_8U);
        convertRows<std::uint8_t>(eightBit, rgb);
    }
    }
    return rgb;
}

}  // namespace facelead::imaging::detail
