#include "core/imaging/detail/JpegCheck.h"

#include <csetjmp>
#include <cstdio>
#include <vector>

#include <jpeglib.h>

namespace facelead::imaging::detail {
namespace {

struct Reporter {
    jpeg_error_mgr base{};
    std::jmp_buf escape{};
    std::string first;
    int count = 0;
};

void remember(j_common_ptr info) {
    auto* reporter = reinterpret_cast<Reporter*>(info->err);
    if (reporter->count++ > 0) return;
    char text[JMSG_LENGTH_MAX] = {};
    (*info->err->format_message)(info, text);
    reporter->first = text;
}

// Warnings (level -1) are the corrupt-data messages; trace messages (level >= 0) are not problems.
void onMessage(j_common_ptr info, int level) {
    if (level < 0) remember(info);
}

[[noreturn]] void onError(j_common_ptr info) {
    remember(info);
    std::longjmp(reinterpret_cast<Reporter*>(info->err)->escape, 1);
}

}  // namespace

std::optional<std::string> jpegDataProblem(std::span<const std::uint8_t> bytes) {
    jpeg_decompress_struct info{};
    Reporter reporter;
    info.err = jpeg_std_error(&reporter.base);
    reporter.base.emit_message = onMessage;
    reporter.base.error_exit = onError;
    std::vector<JSAMPLE> row;
    // Nothing with a destructor may be created between setjmp and the end of decoding.
    if (setjmp(reporter.escape) == 0) {
        jpeg_create_decompress(&info);
        jpeg_mem_src(&info, bytes.data(), static_cast<unsigned long>(bytes.size()));
        jpeg_read_header(&info, TRUE);
        info.scale_num = 1;
        info.scale_denom = 8;
        info.dct_method = JDCT_IFAST;
        info.do_fancy_upsampling = FALSE;
        jpeg_start_decompress(&info);
        row.resize(static_cast<std::size_t>(info.output_width) * static_cast<std::size_t>(info.output_components));
        JSAMPROW rows[1] = {row.data()};
        while (info.output_scanline < info.output_height) jpeg_read_scanlines(&info, rows, 1);
        jpeg_finish_decompress(&info);
    }
    jpeg_destroy_decompress(&info);
    if (reporter.count == 0) return std::nullopt;
    std::string problem = reporter.first;
    if (reporter.count > 1) problem += " (and " + std::to_string(reporter.count - 1) + " more problems)";
    return problem;
}

}  // namespace facelead::imaging::detail
