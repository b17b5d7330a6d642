#include "core/imaging/detail/TiffDecoder.h"

#include <tiffio.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/imaging/detail/Pixels.h"

namespace facelead::imaging::detail {
namespace {

struct Source {
    std::span<const std::uint8_t> bytes;
    std::uint64_t pos = 0;
    std::string problem;  // libtiff's first error
};

Source& sourceOf(thandle_t handle) { return *static_cast<Source*>(handle); }

tmsize_t readProc(thandle_t handle, void* out, tmsize_t wanted) {
    Source& source = sourceOf(handle);
    if (wanted <= 0 || source.pos >= source.bytes.size()) return 0;
    const auto count = std::min<std::uint64_t>(static_cast<std::uint64_t>(wanted), source.bytes.size() - source.pos);
    std::memcpy(out, source.bytes.data() + source.pos, count);
    source.pos += count;
    return static_cast<tmsize_t>(count);
}
tmsize_t writeProc(thandle_t, void*, tmsize_t) { return 0; }
toff_t seekProc(thandle_t handle, toff_t offset, int whence) {
    Source& source = sourceOf(handle);
    const std::uint64_t base = whence == SEEK_CUR ? source.pos : whence == SEEK_END ? source.bytes.size() : 0;
    source.pos = base + offset;
    return source.pos;
}
int closeProc(thandle_t) { return 0; }
toff_t sizeProc(thandle_t handle) { return sourceOf(handle).bytes.size(); }
int mapProc(thandle_t, void**, toff_t*) { return 0; }
void unmapProc(thandle_t, void*, toff_t) {}

int onError(TIFF*, void* user, const char* module, const char* format, va_list args) {
    auto* source = static_cast<Source*>(user);
    if (source->problem.empty()) {
        char text[512] = {};
        std::vsnprintf(text, sizeof text, format, args);
        source->problem = std::string(module ? module : "libtiff") + ": " + text;
    }
    return 1;
}
int onWarning(TIFF*, void*, const char*, const char*, va_list) { return 1; }  // unknown tags and the like

struct TiffCloser {
    void operator()(TIFF* tiff) const { TIFFClose(tiff); }
};
struct OptionsFree {
    void operator()(TIFFOpenOptions* options) const { TIFFOpenOptionsFree(options); }
};
struct RgbaImageEnd {
    void operator()(TIFFRGBAImage* image) const { TIFFRGBAImageEnd(image); }
};

Error damaged(const std::string& why) {
    return makeError(ErrorCode::CorruptImage, "The TIFF image is damaged (" + why + "); ask for the original file.");
}

}  // namespace

Result<cv::Mat> decodeTiff(std::span<const std::uint8_t> bytes) {
    Source source{bytes, 0, {}};
    std::unique_ptr<TIFFOpenOptions, OptionsFree> options(TIFFOpenOptionsAlloc());
    if (!options) return makeError(ErrorCode::Internal, "libtiff could not start.");
    TIFFOpenOptionsSetErrorHandlerExtR(options.get(), onError, &source);
    TIFFOpenOptionsSetWarningHandlerExtR(options.get(), onWarning, &source);
    std::unique_ptr<TIFF, TiffCloser> tiff(TIFFClientOpenExt("image", "rm", &source, readProc, writeProc, seekProc,
                                                             closeProc, sizeProc, mapProc, unmapProc, options.get()));
    if (!tiff) return damaged(source.problem.empty() ? "its header cannot be read" : source.problem);

    char reason[1024] = {};
    TIFFRGBAImage image{};
    if (!TIFFRGBAImageBegin(&image, tiff.get(), 0, reason)) return damaged(reason);
    std::unique_ptr<TIFFRGBAImage, RgbaImageEnd> end(&image);
    // Ask for the stored orientation: libtiff then flips nothing, and intake applies the tag once.
    image.req_orientation = image.orientation;
    const auto width = static_cast<int>(image.width), height = static_cast<int>(image.height);
    std::vector<std::uint32_t> raster(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
    const int complete = TIFFRGBAImageGet(&image, raster.data(), image.width, image.height);
    if (!complete || !source.problem.empty())
        return damaged(source.problem.empty() ? "its picture data cannot be read" : source.problem);

    // Raster pixels are packed ABGR words (R in the low byte), so in memory they read R, G, B, A.
    cv::Mat rgb(height, width, CV_8UC3);
    const auto* rgba = reinterpret_cast<const std::uint8_t*>(raster.data());
    for (int y = 0; y < height; ++y)
        rgbaRowOnWhite(rgba + static_cast<std::size_t>(y) * static_cast<std::size_t>(width) * 4,
                       rgb.ptr<std::uint8_t>(y), width);
    return rgb;
}

}  // namespace facelead::imaging::detail
