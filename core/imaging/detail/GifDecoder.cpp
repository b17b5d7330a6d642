#include "core/imaging/detail/GifDecoder.h"

#include <gif_lib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <vector>

namespace facelead::imaging::detail {
namespace {

struct MemorySource {
    std::span<const std::uint8_t> bytes;
    std::size_t pos = 0;
};

int readFromMemory(GifFileType* gif, GifByteType* out, int wanted) {
    auto* source = static_cast<MemorySource*>(gif->UserData);
    const std::size_t available = source->bytes.size() - source->pos;
    const std::size_t count = std::min(available, static_cast<std::size_t>(std::max(wanted, 0)));
    std::memcpy(out, source->bytes.data() + source->pos, count);
    source->pos += count;
    return static_cast<int>(count);
}

struct GifCloser {
    void operator()(GifFileType* gif) const {
        int ignored = 0;
        DGifCloseFile(gif, &ignored);
    }
};
using GifHandle = std::unique_ptr<GifFileType, GifCloser>;

Error corrupt(int gifError) {
    const char* detail = GifErrorString(gifError);
    return makeError(ErrorCode::CorruptImage,
                     std::string("The GIF image is damaged and cannot be read (") + (detail ? detail : "unknown") + ").");
}

// Rows of an interlaced GIF arrive in four passes.
std::vector<int> rowOrder(int height, bool interlaced) {
    std::vector<int> rows;
    rows.reserve(static_cast<std::size_t>(height));
    if (!interlaced) {
        for (int y = 0; y < height; ++y) rows.push_back(y);
        return rows;
    }
    constexpr std::array<int, 4> start{0, 4, 2, 1};
    constexpr std::array<int, 4> step{8, 8, 4, 2};
    for (std::size_t pass = 0; pass < start.size(); ++pass)
        for (int y = start[pass]; y < height; y += step[pass]) rows.push_back(y);
    return rows;
}

}  // namespace

Result<cv::Mat> decodeGifFirstFrame(std::span<const std::uint8_t> bytes) {
    MemorySource source{bytes};
    int error = 0;
    GifHandle gif(DGifOpen(&source, readFromMemory, &error));
    if (!gif) return corrupt(error);

    const int screenWidth = gif->SWidth, screenHeight = gif->SHeight;
    if (screenWidth <= 0 || screenHeight <= 0) return corrupt(D_GIF_ERR_WRONG_RECORD);
    cv::Mat rgb(screenHeight, screenWidth, CV_8UC3, cv::Scalar::all(0));

    for (;;) {
        GifRecordType record = UNDEFINED_RECORD_TYPE;
        if (DGifGetRecordType(gif.get(), &record) == GIF_ERROR) return corrupt(gif->Error);
        if (record == TERMINATE_RECORD_TYPE) break;
        if (record == EXTENSION_RECORD_TYPE) {
            int code = 0;
            GifByteType* block = nullptr;
            if (DGifGetExtension(gif.get(), &code, &block) == GIF_ERROR) return corrupt(gif->Error);
            while (block) {
                if (DGifGetExtensionNext(gif.get(), &block) == GIF_ERROR) return corrupt(gif->Error);
            }
            continue;
        }
        if (record != IMAGE_DESC_RECORD_TYPE) continue;

        if (DGifGetImageDesc(gif.get()) == GIF_ERROR) return corrupt(gif->Error);
        const GifImageDesc& frame = gif->Image;
        const ColorMapObject* colours = frame.ColorMap ? frame.ColorMap : gif->SColorMap;
        if (!colours || frame.Width <= 0 || frame.Height <= 0 || frame.Left + frame.Width > screenWidth ||
            frame.Top + frame.Height > screenHeight)
            return corrupt(D_GIF_ERR_WRONG_RECORD);

        std::vector<GifPixelType> line(static_cast<std::size_t>(frame.Width));
        for (const int y : rowOrder(frame.Height, frame.Interlace)) {
            if (DGifGetLine(gif.get(), line.data(), frame.Width) == GIF_ERROR) return corrupt(gif->Error);
            auto* out = rgb.ptr<cv::Vec3b>(frame.Top + y) + frame.Left;
            for (int x = 0; x < frame.Width; ++x) {
                const int index = std::min<int>(line[static_cast<std::size_t>(x)], colours->ColorCount - 1);
                const GifColorType& colour = colours->Colors[index];
                out[x] = cv::Vec3b(colour.Red, colour.Green, colour.Blue);
            }
        }
        return rgb;
    }
    return corrupt(D_GIF_ERR_NO_IMAG_DSCR);
}

}  // namespace facelead::imaging::detail
