#pragma once
// Image intake: sniff the format from content, check limits from the header *before* decoding
// (decompression bombs), decode, apply orientation metadata exactly once, normalise to 8-bit RGB.
//
// Every format goes through the same rules (issue 10, the field cases in ../shared/data/intake-cases):
//  * orientation: the EXIF orientation of JPEG (APP1), PNG (eXIf), WebP (EXIF chunk) and TIFF (IFD0) is
//    applied once, here; no decoder below applies it on its own.
//  * damage: data a decoder reports as corrupt or cut short is either refused (CorruptImage) or, when the
//    decoder could still produce the picture (a JPEG cut short and "repaired" with an end marker, corrupt scan
//    data), decoded with Image::notes.damage set. Never a grey-filled picture without a word.
//  * memory: the pixels are decoded straight to 8-bit (16-bit and alpha converted row by row where the
//    decoder allows), so a decode costs a few bytes per pixel: at most bytesPerPixelPeak() * pixels, refused
//    from the header when that exceeds IntakeLimits::maxDecodeBytes. All decodes in the process share one
//    memory budget (setDecodeBudget): workers wait for each other rather than multiply the peak.
//  * animations (GIF, animated WebP): one frame is decoded (the first unless asked); Image::notes says how
//    many there are.
//  * only regular files are read (no devices, FIFOs, sockets), their size checked before reading.
//
// Thread-safe: any number of threads may decode at once (they share the decode budget).

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "core/common/Result.h"
#include "core/imaging/Image.h"

namespace facelead::imaging {

struct IntakeLimits {
    std::uint64_t maxFileBytes = 64ull * 1024 * 1024;      // 64 MiB
    std::uint64_t maxPixels = 100ull * 1000 * 1000;        // 100 megapixels
    std::uint64_t maxDecodeBytes = 1024ull * 1024 * 1024;  // peak memory of one decode, estimated from the header
};

// Which frame of an animation to decode (0-based). Out of range: InvalidArgument naming the frame count.
struct FrameChoice {
    std::size_t index = 0;
};

Result<Image> decodeFile(const std::filesystem::path& file, const IntakeLimits& limits = {}, FrameChoice frame = {});
Result<Image> decodeBytes(std::span<const std::uint8_t> bytes, const IntakeLimits& limits = {},
                          FrameChoice frame = {});

// The capture metadata of encoded bytes, read without decoding the pixels (EXIF DateTimeOriginal, the device):
// e.g. the date a stored gallery photo was taken (issue 11 MEDIUM-2). Empty for a format or file without EXIF;
// damaged EXIF is ignored as in decodeBytes.
CaptureMetadata readCaptureMetadata(std::span<const std::uint8_t> bytes);

// Reads a whole file into memory for intake or storage: only a regular file (never a device, FIFO or socket,
// which could block or never end), its size checked against maxFileBytes before a byte is read.
Result<std::vector<std::uint8_t>> readImageFile(const std::filesystem::path& file, const IntakeLimits& limits = {});

// The memory all decodes in this process may hold at once (bytes, default 2 GiB). A single decode larger
// than the budget still runs, alone. Set at start-up, before decoding.
void setDecodeBudget(std::uint64_t bytes);
// Bytes the decodes running now have reserved (for tests and diagnostics).
std::uint64_t decodeBytesInUse();

// Encodes an RGB image losslessly as PNG (derived copies are stored this way).
Result<std::vector<std::uint8_t>> encodePng(const cv::Mat& rgb);

}  // namespace facelead::imaging
