#include "core/imaging/Intake.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <fstream>
#include <limits>
#include <system_error>

#include "core/imaging/detail/Exif.h"
#include "core/imaging/detail/GifDecoder.h"
#include "core/imaging/detail/Sniff.h"

namespace facelead::imaging {
namespace {

std::string megabytes(std::uint64_t bytes) {
    return std::to_string((bytes + 512 * 1024) / (1024 * 1024)) + " MB";
}

Result<void> checkPixelLimit(const detail::Dimensions& size, const IntakeLimits& limits) {
    if (size.width == 0 || size.height == 0)
        return makeError(ErrorCode::CorruptImage, "The image header declares an empty picture (0 pixels wide or high).");
    // Each side is at most 2^32, so the product cannot overflow 64 bits.
    if (size.width * size.height > limits.maxPixels)
        return makeError(ErrorCode::ImageTooLarge,
                         "The image declares " + std::to_string(size.width) + "x" + std::to_string(size.height) +
                             " pixels, more than the allowed " + std::to_string(limits.maxPixels / 1000000) +
                             " megapixels. Use a smaller copy or ask an administrator to raise the limit.");
    return {};
}

// 8-bit RGB whatever OpenCV returned: grey, BGR, BGRA (composited on white), 16-bit or float.
cv::Mat toRgb8(const cv::Mat& decoded) {
    cv::Mat eightBit;
    switch (decoded.depth()) {
    case CV_8U: eightBit = decoded; break;
    case CV_16U: decoded.convertTo(eightBit, CV_8U, 1.0 / 257.0); break;
    case CV_32F: case CV_64F: decoded.convertTo(eightBit, CV_8U, 255.0); break;
    default: decoded.convertTo(eightBit, CV_8U); break;
    }
    cv::Mat rgb;
    if (eightBit.channels() == 1) {
        cv::cvtColor(eightBit, rgb, cv::COLOR_GRAY2RGB);
    } else if (eightBit.channels() == 4) {
        // Transparent areas become white, as a viewer shows them, rather than whatever colour they hide.
        cv::Mat bgra;
        eightBit.convertTo(bgra, CV_32FC4, 1.0 / 255.0);
        std::vector<cv::Mat> planes;
        cv::split(bgra, planes);
        const cv::Mat& alpha = planes[3];
        for (int c = 0; c < 3; ++c) planes[c] = planes[c].mul(alpha) + (1.0 - alpha);
        planes.pop_back();
        cv::Mat bgr;
        cv::merge(planes, bgr);
        bgr.convertTo(bgr, CV_8U, 255.0);
        cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    } else {
        cv::cvtColor(eightBit, rgb, cv::COLOR_BGR2RGB);
    }
    return rgb;
}

cv::Mat applyOrientation(const cv::Mat& rgb, int orientation) {
    cv::Mat out;
    switch (orientation) {
    case 2: cv::flip(rgb, out, 1); break;
    case 3: cv::rotate(rgb, out, cv::ROTATE_180); break;
    case 4: cv::flip(rgb, out, 0); break;
    case 5: cv::transpose(rgb, out); break;
    case 6: cv::rotate(rgb, out, cv::ROTATE_90_CLOCKWISE); break;
    case 7: cv::transpose(rgb, out); cv::flip(out, out, -1); break;
    case 8: cv::rotate(rgb, out, cv::ROTATE_90_COUNTERCLOCKWISE); break;
    default: return rgb;
    }
    return out;
}

Result<cv::Mat> decodePixels(detail::Format format, std::span<const std::uint8_t> bytes) {
    if (format == detail::Format::Gif) return detail::decodeGifFirstFrame(bytes);
    return guard(ErrorCode::CorruptImage, "The image could not be decoded", [&]() -> Result<cv::Mat> {
        // IMREAD_UNCHANGED keeps depth and alpha and leaves orientation to us (one rule for every format).
        const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8U, const_cast<std::uint8_t*>(bytes.data()));
        const cv::Mat decoded = cv::imdecode(encoded, cv::IMREAD_UNCHANGED);
        if (decoded.empty())
            return makeError(ErrorCode::CorruptImage, std::string("The ") + detail::formatName(format) +
                                                          " image is damaged and cannot be decoded.");
        return toRgb8(decoded);
    });
}

}  // namespace

Result<Image> decodeBytes(std::span<const std::uint8_t> bytes, const IntakeLimits& limits) {
    if (bytes.empty()) return makeError(ErrorCode::EmptyFile, "The file is empty (0 bytes); there is no image in it.");
    if (bytes.size() > limits.maxFileBytes)
        return makeError(ErrorCode::FileTooLarge, "The file is " + megabytes(bytes.size()) + ", more than the allowed " +
                                                      megabytes(limits.maxFileBytes) + ".");
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        return makeError(ErrorCode::FileTooLarge, "The file is too large to decode.");
    const auto format = detail::sniffFormat(bytes);
    if (!format)
        return makeError(ErrorCode::UnsupportedFormat,
                         "This file is not an image FaceLead can read (JPEG, PNG, BMP, TIFF, WebP, GIF, PGM/PPM), "
                         "whatever its name says.");
    auto size = detail::readDimensions(*format, bytes);
    if (!size) return size.error();
    FACELEAD_TRY(checkPixelLimit(*size, limits));
    FACELEAD_TRY(detail::checkComplete(*format, bytes));

    auto pixels = decodePixels(*format, bytes);
    if (!pixels) return pixels.error();
    Image image;
    image.format = detail::formatName(*format);
    image.fileBytes = bytes.size();
    image.metadata = detail::readCaptureMetadata(*format, bytes);
    image.rgb = applyOrientation(*pixels, image.metadata.exifOrientation);
    if (!image.rgb.isContinuous()) image.rgb = image.rgb.clone();
    return image;
}

Result<Image> decodeFile(const std::filesystem::path& file, const IntakeLimits& limits) {
    std::error_code error;
    const auto status = std::filesystem::status(file, error);
    if (error || !std::filesystem::exists(status))
        return makeError(ErrorCode::IoError, "The file " + file.string() + " does not exist or cannot be reached.");
    if (!std::filesystem::is_regular_file(status))
        return makeError(ErrorCode::IoError, file.string() + " is not a file.");
    const std::uint64_t fileBytes = std::filesystem::file_size(file, error);
    if (error) return makeError(ErrorCode::IoError, "Cannot read the size of " + file.string() + ": " + error.message());
    if (fileBytes == 0) return makeError(ErrorCode::EmptyFile, "The file " + file.string() + " is empty (0 bytes).");
    if (fileBytes > limits.maxFileBytes)
        return makeError(ErrorCode::FileTooLarge, "The file " + file.string() + " is " + megabytes(fileBytes) +
                                                      ", more than the allowed " + megabytes(limits.maxFileBytes) + ".");

    std::vector<std::uint8_t> bytes(fileBytes);
    std::ifstream in(file, std::ios::binary);
    if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size())))
        return makeError(ErrorCode::IoError, "Cannot read " + file.string() + " (permission or disk problem).");
    auto image = decodeBytes(bytes, limits);
    if (!image) return makeError(image.error().code, file.filename().string() + ": " + image.error().message);
    return image;
}

Result<std::vector<std::uint8_t>> encodePng(const cv::Mat& rgb) {
    if (rgb.empty() || rgb.type() != CV_8UC3)
        return makeError(ErrorCode::InvalidArgument, "Only a non-empty 8-bit RGB image can be saved as PNG.");
    return guard(ErrorCode::Internal, "PNG encoding failed", [&]() -> Result<std::vector<std::uint8_t>> {
        cv::Mat bgr;
        cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
        std::vector<std::uint8_t> png;
        if (!cv::imencode(".png", bgr, png)) return makeError(ErrorCode::Internal, "PNG encoding failed.");
        return png;
    });
}

}  // namespace facelead::imaging
