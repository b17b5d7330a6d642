#pragma once
// Private to core/imaging: recognise the format from the first bytes and read the pixel size from the
// format's own header, without decoding (so limits are enforced before any pixel buffer is allocated).

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/common/Result.h"

namespace facelead::imaging::detail {

enum class Format { Jpeg, Png, Bmp, Tiff, Webp, Pgm, Ppm, Pbm, Gif };

const char* formatName(Format format);

// The format from magic bytes; nullopt when none of the supported signatures matches.
std::optional<Format> sniffFormat(std::span<const std::uint8_t> bytes);

// The name of a known image or document format FaceLead does not read ("HEIC/HEIF", "AVIF", "PDF", ...), so
// the refusal can say what the file is and how to convert it; nullopt when the content is not recognised.
std::optional<std::string> unsupportedFormatName(std::span<const std::uint8_t> bytes);

struct Dimensions {
    std::uint64_t width = 0;
    std::uint64_t height = 0;
};

// Width and height as declared by the header. CorruptImage when the header is cut short or inconsistent.
Result<Dimensions> readDimensions(Format format, std::span<const std::uint8_t> bytes);

// Formats whose decoders quietly fill missing data with grey: reject a file whose end marker is missing.
Result<void> checkComplete(Format format, std::span<const std::uint8_t> bytes);

}  // namespace facelead::imaging::detail
