#include "core/imaging/Intake.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <utility>

#include "core/common/Text.h"
#include "core/imaging/detail/Exif.h"
#include "core/imaging/detail/GifDecoder.h"
#include "core/imaging/detail/JpegCheck.h"
#include "core/imaging/detail/Pixels.h"
#include "core/imaging/detail/PngDecoder.h"
#include "core/imaging/detail/Sniff.h"
#include "core/imaging/detail/TiffDecoder.h"
#include "core/imaging/detail/WebpDecoder.h"

namespace facelead::imaging {
namespace {

std::string megabytes(std::uint64_t bytes) {
    return std::to_string((bytes + 512 * 1024) / (1024 * 1024)) + " MB";
}

// One budget for every decode in the process: a worker whose decode would overdraw it waits until others
// finish (a decode larger than the whole budget runs alone), so N workers never hold N peaks at once.
class DecodeBudget {
public:
    class Lease {
    public:
        Lease(DecodeBudget& budget, std::uint64_t bytes) : budget_(&budget), bytes_(bytes) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease() { budget_->release(bytes_); }

    private:
        DecodeBudget* budget_;
        std::uint64_t bytes_;
    };

    Lease acquire(std::uint64_t bytes) {
        std::unique_lock lock(mutex_);
        freed_.wait(lock, [&] { return inUse_ == 0 || inUse_ + bytes <= capacity_; });
        inUse_ += bytes;
        return Lease(*this, bytes);
    }
    void setCapacity(std::uint64_t bytes) {
        {
            const std::lock_guard lock(mutex_);
            capacity_ = bytes;
        }
        freed_.notify_all();
    }
    std::uint64_t inUse() {
        const std::lock_guard lock(mutex_);
        return inUse_;
    }

private:
    void release(std::uint64_t bytes) {
        {
            const std::lock_guard lock(mutex_);
            inUse_ -= bytes;
        }
        freed_.notify_all();
    }

    std::mutex mutex_;
    std::condition_variable freed_;
    std::uint64_t capacity_ = 2048ull * 1024 * 1024;
    std::uint64_t inUse_ = 0;
};

DecodeBudget& decodeBudget() {
    static DecodeBudget budget;
    return budget;
}

// Peak bytes per pixel of each decode path: the 3-byte result plus what the decoder holds besides it.
std::uint64_t peakBytesPerPixel(detail::Format format, std::span<const std::uint8_t> bytes) {
    switch (format) {
    case detail::Format::Png: return bytes.size() > 28 && bytes[28] != 0 ? 7 : 3;  // interlaced: whole RGBA picture
    case detail::Format::Jpeg: return 4;   // BGR swapped in place; grey needs its plane too
    case detail::Format::Gif: return 9;    // canvas, chosen frame, a saved area for "restore previous"
    case detail::Format::Webp:
    case detail::Format::Tiff: return 7;   // RGBA raster + RGB result
    default: return 7;                     // OpenCV's BGRA + RGB result
    }
}

Result<void> checkPixelLimit(const detail::Dimensions& size, std::uint64_t bytesPerPixel, const IntakeLimits& limits) {
    if (size.width == 0 || size.height == 0)
        return makeError(ErrorCode::CorruptImage, "The image header declares an empty picture (0 pixels wide or high).");
    // Each side is at most 2^32, so the product cannot overflow 64 bits.
    const std::uint64_t pixels = size.width * size.height;
    const std::string declared = std::to_string(size.width) + "x" + std::to_string(size.height) + " pixels";
    if (pixels > limits.maxPixels)
        return makeError(ErrorCode::ImageTooLarge,
                         "The image declares " + declared + ", more than the allowed " +
                             std::to_string(limits.maxPixels / 1000000) +
                             " megapixels. Use a smaller copy or ask an administrator to raise the limit.");
    if (pixels > limits.maxDecodeBytes / bytesPerPixel)
        return makeError(ErrorCode::ImageTooLarge,
                         "The image declares " + declared + "; decoding it would take about " +
                             megabytes(pixels * bytesPerPixel) + " of memory, more than the allowed " +
                             megabytes(limits.maxDecodeBytes) + ". Use a smaller copy.");
    return {};
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

Error noSuchFrame(std::size_t frame) {
    return makeError(ErrorCode::InvalidArgument,
                     "The image has 1 frame; there is no frame " + std::to_string(frame + 1) + ".");
}

// JPEG, BMP and Netpbm through OpenCV. IMREAD_UNCHANGED keeps depth and alpha and leaves orientation to us.
Result<cv::Mat> decodeWithOpenCv(detail::Format format, std::span<const std::uint8_t> bytes) {
    return guard(ErrorCode::CorruptImage, "The image could not be decoded", [&]() -> Result<cv::Mat> {
        const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8U, const_cast<std::uint8_t*>(bytes.data()));
        cv::Mat decoded = cv::imdecode(encoded, cv::IMREAD_UNCHANGED);
        if (decoded.empty())
            return makeError(ErrorCode::CorruptImage, std::string("The ") + detail::formatName(format) +
                                                          " image is damaged and cannot be decoded.");
        if (decoded.type() != CV_8UC3) return detail::openCvToRgb8(decoded);
        // Swapped in place: cv::cvtColor would copy the whole picture first when asked to work in place.
        decoded.forEach<cv::Vec3b>([](cv::Vec3b& pixel, const int*) { std::swap(pixel[0], pixel[2]); });
        return decoded;
    });
}

Result<cv::Mat> decodePixels(detail::Format format, std::span<const std::uint8_t> bytes, FrameChoice frame,
                             IntakeNotes& notes) {
    using detail::Format;
    if (format == Format::Gif) {
        auto gif = detail::decodeGif(bytes, frame.index);
        if (!gif) return gif.error();
        notes.frameCount = gif->frameCount;
        notes.damage = gif->damage;
        return std::move(gif->rgb);
    }
    if (format == Format::Webp) {
        auto webp = detail::decodeWebp(bytes, frame.index);
        if (!webp) return webp.error();
        notes.frameCount = webp->frameCount;
        return std::move(webp->rgb);
    }
    if (frame.index > 0) return noSuchFrame(frame.index);
    if (format == Format::Png) return detail::decodePng(bytes);
    if (format == Format::Tiff) return detail::decodeTiff(bytes);
    if (format == Format::Jpeg) {
        if (auto problem = detail::jpegDataProblem(bytes))
            notes.damage = "the JPEG data is corrupt or cut short (libjpeg: " + *problem +
                           "); part of the picture is missing or wrong";
    }
    return decodeWithOpenCv(format, bytes);
}

Error unsupported(std::span<const std::uint8_t> bytes) {
    if (const auto name = detail::unsupportedFormatName(bytes))
        return makeError(ErrorCode::UnsupportedFormat,
                         "This file is " + *name + ", a format FaceLead does not read. Convert it to JPEG or PNG "
                         "(on the phone or with an image viewer: export/save as JPEG) and add the copy, noting "
                         "the conversion.");
    return makeError(ErrorCode::UnsupportedFormat,
                     "This file is not an image FaceLead can read (JPEG, PNG, BMP, TIFF, WebP, GIF, PGM/PPM), "
                     "whatever its name says.");
}

}  // namespace

std::vector<std::string> IntakeNotes::messages() const {
    std::vector<std::string> out;
    if (damage)
        out.push_back("Damaged image: " + *damage +
                      ". Faces found in it may be wrong; ask for the original file before relying on it.");
    if (animated())
        out.push_back("Animated image: " + std::to_string(frameCount) + " frames, frame " +
                      std::to_string(frameUsed + 1) + " used; the other frames are not searched (save the frame that "
                      "shows the face as a still picture to search it).");
    return out;
}

std::string deviceText(const CaptureMetadata& metadata) {
    const auto trimmed = [](const std::optional<std::string>& text) {
        const std::string value = text.value_or("");
        const auto first = value.find_first_not_of(" \t");
        return first == std::string::npos ? std::string() : value.substr(first, value.find_last_not_of(" \t") - first + 1);
    };
    const std::string make = trimmed(metadata.cameraMake), model = trimmed(metadata.cameraModel);
    const auto lower = [](std::string text) {
        for (char& c : text) c = char(std::tolower(static_cast<unsigned char>(c)));
        return text;
    };
    // "Canon" + "Canon EOS 5D Mark II": the model already names its maker.
    if (make.empty() || lower(model).rfind(lower(make), 0) == 0) return model;
    return model.empty() ? make : make + " " + model;
}

void setDecodeBudget(std::uint64_t bytes) { decodeBudget().setCapacity(bytes); }
std::uint64_t decodeBytesInUse() { return decodeBudget().inUse(); }

CaptureMetadata readCaptureMetadata(std::span<const std::uint8_t> bytes) {
    const auto format = detail::sniffFormat(bytes);
    return format ? detail::readCaptureMetadata(*format, bytes) : CaptureMetadata{};
}

Result<Image> decodeBytes(std::span<const std::uint8_t> bytes, const IntakeLimits& limits, FrameChoice frame) {
    if (bytes.empty()) return makeError(ErrorCode::EmptyFile, "The file is empty (0 bytes); there is no image in it.");
    if (bytes.size() > limits.maxFileBytes)
        return makeError(ErrorCode::FileTooLarge, "The file is " + megabytes(bytes.size()) + ", more than the allowed " +
                                                      megabytes(limits.maxFileBytes) + ".");
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        return makeError(ErrorCode::FileTooLarge, "The file is too large to decode.");
    const auto format = detail::sniffFormat(bytes);
    if (!format) return unsupported(bytes);
    auto size = detail::readDimensions(*format, bytes);
    if (!size) return size.error();
    const std::uint64_t bytesPerPixel = peakBytesPerPixel(*format, bytes);
    FACELEAD_TRY(checkPixelLimit(*size, bytesPerPixel, limits));
    FACELEAD_TRY(detail::checkComplete(*format, bytes));

    Image image;
    image.notes.frameUsed = frame.index;
    {
        const auto lease = decodeBudget().acquire(size->width * size->height * bytesPerPixel);
        auto pixels = decodePixels(*format, bytes, frame, image.notes);
        if (!pixels) return pixels.error();
        image.metadata = detail::readCaptureMetadata(*format, bytes);
        image.rgb = applyOrientation(*pixels, image.metadata.exifOrientation);
    }
    image.format = detail::formatName(*format);
    image.fileBytes = bytes.size();
    if (!image.rgb.isContinuous()) image.rgb = image.rgb.clone();
    return image;
}

Result<std::vector<std::uint8_t>> readImageFile(const std::filesystem::path& file, const IntakeLimits& limits) {
    const std::string name = text::pathText(file);
    // O_NONBLOCK: opening a FIFO must not wait for a writer; the type is then checked on what was opened.
    const int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return makeError(ErrorCode::IoError, "The file " + name + " does not exist or cannot be read.");
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat info {};
    if (::fstat(fd, &info) != 0) return makeError(ErrorCode::IoError, "Cannot examine " + name + ".");
    if (!S_ISREG(info.st_mode))
        return makeError(ErrorCode::InvalidArgument,
                         name + " is not a regular file (it is a device, pipe, socket or folder); only image files "
                                "are read.");
    const auto fileBytes = static_cast<std::uint64_t>(info.st_size);
    if (fileBytes == 0) return makeError(ErrorCode::EmptyFile, "The file " + name + " is empty (0 bytes).");
    if (fileBytes > limits.maxFileBytes)
        return makeError(ErrorCode::FileTooLarge, "The file " + name + " is " + megabytes(fileBytes) +
                                                      ", more than the allowed " + megabytes(limits.maxFileBytes) + ".");
    std::vector<std::uint8_t> bytes(fileBytes);
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t got = ::read(fd, bytes.data() + done, bytes.size() - done);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return makeError(ErrorCode::IoError, "Cannot read " + name + " (permission or disk problem).");
        done += static_cast<std::size_t>(got);
    }
    return bytes;
}

Result<Image> decodeFile(const std::filesystem::path& file, const IntakeLimits& limits, FrameChoice frame) {
    auto bytes = readImageFile(file, limits);
    if (!bytes) return bytes.error();
    auto image = decodeBytes(*bytes, limits, frame);
    if (!image) return makeError(image.error().code, text::pathText(file.filename()) + ": " + image.error().message);
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
