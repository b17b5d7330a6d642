#include "core/imaging/detail/WebpDecoder.h"

#include <webp/decode.h>
#include <webp/demux.h>

#include <algorithm>
#include <memory>
#include <string>

#include "core/imaging/detail/Pixels.h"

namespace facelead::imaging::detail {
namespace {

Error damaged(const std::string& why) {
    return makeError(ErrorCode::CorruptImage, "The WebP image is damaged (" + why + "); ask for the original file.");
}

cv::Mat rgbOnWhite(const std::uint8_t* rgba, int width, int height) {
    cv::Mat rgb(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y)
        rgbaRowOnWhite(rgba + static_cast<std::size_t>(y) * static_cast<std::size_t>(width) * 4,
                       rgb.ptr<std::uint8_t>(y), width);
    return rgb;
}

struct DemuxDeleter {
    void operator()(WebPDemuxer* demux) const { WebPDemuxDelete(demux); }
};
struct AnimDeleter {
    void operator()(WebPAnimDecoder* decoder) const { WebPAnimDecoderDelete(decoder); }
};
struct BufferDeleter {
    void operator()(std::uint8_t* buffer) const { WebPFree(buffer); }
};

Result<cv::Mat> decodeStill(const WebPData& data) {
    int width = 0, height = 0;
    std::unique_ptr<std::uint8_t, BufferDeleter> rgba(WebPDecodeRGBA(data.bytes, data.size, &width, &height));
    if (!rgba) return damaged("its compressed picture data cannot be decoded");
    return rgbOnWhite(rgba.get(), width, height);
}

Result<cv::Mat> decodeAnimationFrame(const WebPData& data, std::size_t frame) {
    WebPAnimDecoderOptions options;
    if (!WebPAnimDecoderOptionsInit(&options)) return makeError(ErrorCode::Internal, "libwebp could not start.");
    options.color_mode = MODE_RGBA;
    options.use_threads = 0;
    std::unique_ptr<WebPAnimDecoder, AnimDeleter> decoder(WebPAnimDecoderNew(&data, &options));
    if (!decoder) return damaged("its animation cannot be read");
    WebPAnimInfo info;
    if (!WebPAnimDecoderGetInfo(decoder.get(), &info)) return damaged("its animation header cannot be read");
    // Each frame is drawn over the previous ones, so frames before the chosen one are rendered too.
    std::uint8_t* canvas = nullptr;
    for (std::size_t i = 0; i <= frame; ++i) {
        int timestamp = 0;
        if (!WebPAnimDecoderGetNext(decoder.get(), &canvas, &timestamp))
            return damaged("frame " + std::to_string(i + 1) + " cannot be decoded");
    }
    return rgbOnWhite(canvas, static_cast<int>(info.canvas_width), static_cast<int>(info.canvas_height));
}

}  // namespace

Result<WebpFrame> decodeWebp(std::span<const std::uint8_t> bytes, std::size_t frame) {
    const WebPData data{bytes.data(), bytes.size()};
    WebPDemuxState state = WEBP_DEMUX_PARSE_ERROR;
    std::unique_ptr<WebPDemuxer, DemuxDeleter> demux(WebPDemuxPartial(&data, &state));
    if (!demux || state == WEBP_DEMUX_PARSE_ERROR) return damaged("its structure cannot be read");
    if (state != WEBP_DEMUX_DONE)
        return makeError(ErrorCode::CorruptImage,
                         "The webp file is incomplete (cut short during copy or download); ask for the original.");
    WebpFrame result;
    result.frameCount = std::max<std::uint32_t>(1, WebPDemuxGetI(demux.get(), WEBP_FF_FRAME_COUNT));
    if (frame >= result.frameCount)
        return makeError(ErrorCode::InvalidArgument, "The image has " + std::to_string(result.frameCount) +
                                                         " frame(s); there is no frame " + std::to_string(frame + 1) +
                                                         ".");
    const bool animated = (WebPDemuxGetI(demux.get(), WEBP_FF_FORMAT_FLAGS) & ANIMATION_FLAG) != 0;
    auto rgb = animated ? decodeAnimationFrame(data, frame) : decodeStill(data);
    if (!rgb) return rgb.error();
    result.rgb = std::move(*rgb);
    return result;
}

}  // namespace facelead::imaging::detail
