#include "core/imaging/detail/PngDecoder.h"

#include <png.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "core/imaging/detail/Pixels.h"

namespace facelead::imaging::detail {
namespace {

struct Source {
    std::span<const std::uint8_t> bytes;
    std::size_t pos = 0;
    std::string problem;
};

void readFromMemory(png_structp png, png_bytep out, png_size_t wanted) {
    auto* source = static_cast<Source*>(png_get_io_ptr(png));
    if (source->bytes.size() - source->pos < wanted) png_error(png, "the file ends before the picture does");
    std::memcpy(out, source->bytes.data() + source->pos, wanted);
    source->pos += wanted;
}

void onError(png_structp png, png_const_charp message) {
    static_cast<Source*>(png_get_error_ptr(png))->problem = message ? message : "unknown error";
    png_longjmp(png, 1);
}

void onWarning(png_structp, png_const_charp) {}  // ancillary chunk trouble: the pixels are still right

struct PngReader {
    png_structp png = nullptr;
    png_infop info = nullptr;
    ~PngReader() { png_destroy_read_struct(&png, info ? &info : nullptr, nullptr); }
};

// Whatever the stored format, rows come out as 8-bit RGBA.
void requestRgba8(png_structp png, png_infop info) {
    const int colourType = png_get_color_type(png, info);
    png_set_expand(png);  // palette -> RGB, grey < 8 bits -> 8 bits, tRNS -> alpha
    png_set_scale_16(png);
    if (colourType == PNG_COLOR_TYPE_GRAY || colourType == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    if (!(colourType & PNG_COLOR_MASK_ALPHA)) png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
}

}  // namespace

Result<cv::Mat> decodePng(std::span<const std::uint8_t> bytes) {
    Source source{bytes, 0, {}};
    PngReader reader;
    reader.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, onError, onWarning);
    if (!reader.png) return makeError(ErrorCode::Internal, "libpng could not start.");
    reader.info = png_create_info_struct(reader.png);
    if (!reader.info) return makeError(ErrorCode::Internal, "libpng could not start.");
    png_set_read_fn(reader.png, &source, readFromMemory);
    // The pixel limit was checked on the header already; libpng's own limit would only repeat it.
    png_set_user_limits(reader.png, 0x7fffffff, 0x7fffffff);

    cv::Mat rgb;
    // Declared before setjmp: libpng's errors jump back over everything created after it.
    std::vector<png_byte> rows;  // one RGBA row, or every row of an interlaced picture
    std::vector<png_bytep> pointers;
    if (setjmp(png_jmpbuf(reader.png)) != 0)
        return makeError(ErrorCode::CorruptImage,
                         "The PNG image is damaged (" + source.problem + "); ask for the original file.");
    png_read_info(reader.png, reader.info);
    requestRgba8(reader.png, reader.info);
    const int passes = png_set_interlace_handling(reader.png);
    png_read_update_info(reader.png, reader.info);
    const auto width = static_cast<int>(png_get_image_width(reader.png, reader.info));
    const auto height = static_cast<int>(png_get_image_height(reader.png, reader.info));
    const std::size_t rowBytes = static_cast<std::size_t>(width) * 4;
    rgb.create(height, width, CV_8UC3);
    if (passes == 1) {
        rows.resize(rowBytes);
        for (int y = 0; y < height; ++y) {
            png_read_row(reader.png, rows.data(), nullptr);
            rgbaRowOnWhite(rows.data(), rgb.ptr<std::uint8_t>(y), width);
        }
    } else {
        rows.resize(rowBytes * static_cast<std::size_t>(height));
        pointers.resize(static_cast<std::size_t>(height));
        for (int y = 0; y < height; ++y) pointers[static_cast<std::size_t>(y)] = rows.data() + rowBytes * y;
        png_read_image(reader.png, pointers.data());
        for (int y = 0; y < height; ++y)
            rgbaRowOnWhite(pointers[static_cast<std::size_t>(y)], rgb.ptr<std::uint8_t>(y), width);
    }
    png_read_end(reader.png, nullptr);
    return rgb;
}

}  // namespace facelead::imaging::detail
