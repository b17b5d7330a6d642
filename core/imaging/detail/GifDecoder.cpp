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

std::string reason(int gifError) {
    const char* detail = GifErrorString(gifError);
    return detail ? detail : "unknown";
}

Error corrupt(int gifError) {
    return makeError(ErrorCode::CorruptImage, "The GIF image is damaged and cannot be read (" + reason(gifError) + ").");
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

const cv::Vec3b kWhite(255, 255, 255);

// Rendering state between frames (GIF89a graphic control extension).
struct Control {
    int disposal = DISPOSAL_UNSPECIFIED;
    int transparent = NO_TRANSPARENT_COLOR;
};

class Renderer {
public:
    Renderer(GifFileType* gif, std::size_t wanted) : gif_(gif), wanted_(wanted) {}

    Result<GifFrame> run() {
        if (gif_->SWidth <= 0 || gif_->SHeight <= 0) return corrupt(D_GIF_ERR_WRONG_RECORD);
        canvas_ = cv::Mat(gif_->SHeight, gif_->SWidth, CV_8UC3, kWhite);
        for (;;) {
            GifRecordType record = UNDEFINED_RECORD_TYPE;
            if (DGifGetRecordType(gif_, &record) == GIF_ERROR) return stop(gif_->Error);
            if (record == TERMINATE_RECORD_TYPE) break;
            if (record == EXTENSION_RECORD_TYPE) {
                if (auto read = readExtension(); !read) return stop(gif_->Error);
            } else if (record == IMAGE_DESC_RECORD_TYPE) {
                if (DGifGetImageDesc(gif_) == GIF_ERROR) return stop(gif_->Error);
                const bool ok = frames_ <= wanted_ ? drawFrame() : skipFrame();
                if (!ok) return stop(gif_->Error);
                ++frames_;
                control_ = Control{};
            }
        }
        return finish();
    }

private:
    bool readExtension() {
        int code = 0;
        GifByteType* block = nullptr;
        if (DGifGetExtension(gif_, &code, &block) == GIF_ERROR) return false;
        if (code == GRAPHICS_EXT_FUNC_CODE && block && block[0] >= 4) {
            GraphicsControlBlock gcb;
            DGifExtensionToGCB(block[0], block + 1, &gcb);
            control_ = {gcb.DisposalMode, gcb.TransparentColor};
        }
        while (block)
            if (DGifGetExtensionNext(gif_, &block) == GIF_ERROR) return false;
        return true;
    }

    // Draws the frame over the canvas, then (for a frame before the chosen one) disposes of it.
    bool drawFrame() {
        const GifImageDesc& frame = gif_->Image;
        const ColorMapObject* colours = frame.ColorMap ? frame.ColorMap : gif_->SColorMap;
        const cv::Rect area = cv::Rect(frame.Left, frame.Top, frame.Width, frame.Height) &
                              cv::Rect(0, 0, canvas_.cols, canvas_.rows);
        if (!colours || frame.Width <= 0 || frame.Height <= 0) {
            gif_->Error = D_GIF_ERR_WRONG_RECORD;
            return false;
        }
        const bool last = frames_ == wanted_;
        cv::Mat saved;
        if (!last && control_.disposal == DISPOSE_PREVIOUS) saved = canvas_(area).clone();

        std::vector<GifPixelType> line(static_cast<std::size_t>(frame.Width));
        for (const int y : rowOrder(frame.Height, frame.Interlace)) {
            if (DGifGetLine(gif_, line.data(), frame.Width) == GIF_ERROR) return false;
            const int row = frame.Top + y;
            if (row < 0 || row >= canvas_.rows) continue;
            auto* out = canvas_.ptr<cv::Vec3b>(row);
            for (int x = 0; x < frame.Width; ++x) {
                const int column = frame.Left + x;
                const int index = line[static_cast<std::size_t>(x)];
                if (column < 0 || column >= canvas_.cols || index == control_.transparent) continue;
                const GifColorType& colour = colours->Colors[std::min(index, colours->ColorCount - 1)];
                out[column] = cv::Vec3b(colour.Red, colour.Green, colour.Blue);
            }
        }
        if (last) {
            chosen_ = canvas_.clone();
            canvas_.release();  // only counting from here on
        } else if (control_.disposal == DISPOSE_BACKGROUND) {
            canvas_(area).setTo(kWhite);
        } else if (control_.disposal == DISPOSE_PREVIOUS) {
            saved.copyTo(canvas_(area));
        }
        return true;
    }

    // Frames after the chosen one are only counted: their compressed data is skipped, not decoded.
    bool skipFrame() {
        int codeSize = 0;
        GifByteType* block = nullptr;
        if (DGifGetCode(gif_, &codeSize, &block) == GIF_ERROR) return false;
        while (block)
            if (DGifGetCodeNext(gif_, &block) == GIF_ERROR) return false;
        return true;
    }

    // The data ended or broke: fine after the chosen frame (it is flagged), fatal before it.
    Result<GifFrame> stop(int gifError) {
        if (chosen_.empty()) return corrupt(gifError);
        damage_ = "the file is damaged or cut short after frame " + std::to_string(frames_) + " (" + reason(gifError) +
                  "); later frames are missing";
        return finish();
    }

    Result<GifFrame> finish() {
        if (chosen_.empty()) {
            if (frames_ == 0) return corrupt(D_GIF_ERR_NO_IMAG_DSCR);
            return makeError(ErrorCode::InvalidArgument, "The GIF has " + std::to_string(frames_) +
                                                             " frame(s); there is no frame " +
                                                             std::to_string(wanted_ + 1) + ".");
        }
        return GifFrame{std::move(chosen_), std::max<std::size_t>(frames_, 1), damage_};
    }

    GifFileType* gif_;
    std::size_t wanted_;
    std::size_t frames_ = 0;
    Control control_;
    cv::Mat canvas_;
    cv::Mat chosen_;
    std::optional<std::string> damage_;
};

}  // namespace

Result<GifFrame> decodeGif(std::span<const std::uint8_t> bytes, std::size_t frame) {
    MemorySource source{bytes};
    int error = 0;
    GifHandle gif(DGifOpen(&source, readFromMemory, &error));
    if (!gif) return corrupt(error);
    return Renderer(gif.get(), frame).run();
}

}  // namespace facelead::imaging::detail
