#include "core/imaging/detail/Sniff.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "core/imaging/detail/ByteReader.h"

namespace facelead::imaging::detail {
namespace {

bool startsWith(std::span<const std::uint8_t> bytes, std::string_view magic) {
    return bytes.size() >= magic.size() && std::memcmp(bytes.data(), magic.data(), magic.size()) == 0;
}

Error truncatedHeader(Format format) {
    return makeError(ErrorCode::CorruptImage, std::string("The ") + formatName(format) +
                                                  " header is incomplete or damaged; the file cannot be read.");
}

// JPEG: walk the marker segments up to the first start-of-frame, which holds the size.
Result<Dimensions> jpegDimensions(std::span<const std::uint8_t> bytes) {
    std::size_t pos = 2;
    while (pos + 4 <= bytes.size()) {
        if (bytes[pos] != 0xFF) return truncatedHeader(Format::Jpeg);
        const std::uint8_t marker = bytes[pos + 1];
        if (marker == 0xFF) { ++pos; continue; }  // fill bytes
        const std::size_t length = readBigEndian16(bytes, pos + 2);
        const bool startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
                                  marker != 0xCC;
        if (startOfFrame) {
            if (pos + 9 > bytes.size()) break;
            return Dimensions{readBigEndian16(bytes, pos + 7), readBigEndian16(bytes, pos + 5)};
        }
        if (marker == 0xDA || length < 2) break;  // scan data before any frame header
        pos += 2 + length;
    }
    return truncatedHeader(Format::Jpeg);
}

Result<Dimensions> pngDimensions(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < 24 || std::memcmp(bytes.data() + 12, "IHDR", 4) != 0) return truncatedHeader(Format::Png);
    return Dimensions{readBigEndian32(bytes, 16), readBigEndian32(bytes, 20)};
}

Result<Dimensions> bmpDimensions(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < 26) return truncatedHeader(Format::Bmp);
    const std::uint32_t infoSize = readLittleEndian32(bytes, 14);
    if (infoSize == 12) return Dimensions{readLittleEndian16(bytes, 18), readLittleEndian16(bytes, 20)};
    const auto width = static_cast<std::int32_t>(readLittleEndian32(bytes, 18));
    const auto height = static_cast<std::int32_t>(readLittleEndian32(bytes, 22));  // negative: top-down rows
    return Dimensions{static_cast<std::uint64_t>(std::abs(static_cast<std::int64_t>(width))),
                      static_cast<std::uint64_t>(std::abs(static_cast<std::int64_t>(height)))};
}

Result<Dimensions> tiffDimensions(std::span<const std::uint8_t> bytes) {
    const TiffView tiff(bytes, 0, bytes.size());
    if (!tiff.valid()) return truncatedHeader(Format::Tiff);
    const auto width = tiff.integerTag(tiff.firstIfd(), 256);
    const auto height = tiff.integerTag(tiff.firstIfd(), 257);
    if (!width || !height) return truncatedHeader(Format::Tiff);
    return Dimensions{*width, *height};
}

Result<Dimensions> webpDimensions(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < 30) return truncatedHeader(Format::Webp);
    const std::string_view chunk(reinterpret_cast<const char*>(bytes.data()) + 12, 4);
    const std::size_t data = 20;
    if (chunk == "VP8 ") {  // lossy: frame tag (3 bytes), start code 9d 01 2a, 14-bit sizes
        if (bytes[data + 3] != 0x9D || bytes[data + 4] != 0x01 || bytes[data + 5] != 0x2A)
            return truncatedHeader(Format::Webp);
        return Dimensions{readLittleEndian16(bytes, data + 6) & 0x3FFFu, readLittleEndian16(bytes, data + 8) & 0x3FFFu};
    }
    if (chunk == "VP8L") {  // lossless: signature 0x2f, then width-1 and height-1 in 14 bits each
        if (bytes[data] != 0x2F) return truncatedHeader(Format::Webp);
        const std::uint32_t bits = readLittleEndian32(bytes, data + 1);
        return Dimensions{(bits & 0x3FFFu) + 1, ((bits >> 14) & 0x3FFFu) + 1};
    }
    if (chunk == "VP8X") {  // extended: canvas width-1 and height-1 in 24 bits each
        return Dimensions{readLittleEndian24(bytes, data + 4) + 1ull, readLittleEndian24(bytes, data + 7) + 1ull};
    }
    return truncatedHeader(Format::Webp);
}

// Netpbm: "P5 <ws> width <ws> height ...", with '#' comments allowed between tokens.
Result<Dimensions> netpbmDimensions(Format format, std::span<const std::uint8_t> bytes) {
    std::size_t pos = 2;
    std::array<std::uint64_t, 2> values{};
    for (auto& value : values) {
        while (pos < bytes.size() && (std::isspace(bytes[pos]) || bytes[pos] == '#')) {
            if (bytes[pos] == '#') {
                while (pos < bytes.size() && bytes[pos] != '\n') ++pos;
            } else {
                ++pos;
            }
        }
        std::size_t digits = 0;
        while (pos < bytes.size() && std::isdigit(bytes[pos]) && digits < 10) {
            value = value * 10 + (bytes[pos++] - '0');
            ++digits;
        }
        if (digits == 0 || digits == 10) return truncatedHeader(format);
    }
    return Dimensions{values[0], values[1]};
}

Result<Dimensions> gifDimensions(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < 10) return truncatedHeader(Format::Gif);
    return Dimensions{readLittleEndian16(bytes, 6), readLittleEndian16(bytes, 8)};
}

// Position just after the first start-of-scan segment, or 0 when there is none.
std::size_t jpegScanStart(std::span<const std::uint8_t> bytes) {
    std::size_t pos = 2;
    while (pos + 4 <= bytes.size() && bytes[pos] == 0xFF) {
        const std::uint8_t marker = bytes[pos + 1];
        if (marker == 0xFF) { ++pos; continue; }
        const std::size_t length = readBigEndian16(bytes, pos + 2);
        if (marker == 0xDA) return pos + 2 + length;
        if (length < 2) return 0;
        pos += 2 + length;
    }
    return 0;
}

// Uncompressed BMP rows are padded to 4 bytes; the header says how many there are.
bool bmpComplete(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < 34) return false;
    const std::uint32_t infoSize = readLittleEndian32(bytes, 14);
    if (infoSize < 40) return true;  // OS/2 headers: rare, left to the decoder
    const std::uint32_t compression = readLittleEndian32(bytes, 30);
    constexpr std::uint32_t kRgb = 0, kBitFields = 3;
    if (compression != kRgb && compression != kBitFields) return true;
    const auto dimensions = bmpDimensions(bytes);
    const std::uint64_t bitsPerPixel = readLittleEndian16(bytes, 28);
    const std::uint64_t rowBytes = (bitsPerPixel * dimensions->width + 31) / 32 * 4;
    return readLittleEndian32(bytes, 10) + rowBytes * dimensions->height <= bytes.size();
}

}  // namespace

std::optional<std::string> unsupportedFormatName(std::span<const std::uint8_t> bytes) {
    // ISO base media files start with a box "ftyp" whose major brand names the format.
    if (bytes.size() >= 12 && std::memcmp(bytes.data() + 4, "ftyp", 4) == 0) {
        const std::string brand(reinterpret_cast<const char*>(bytes.data()) + 8, 4);
        if (brand == "avif" || brand == "avis") return "AVIF";
        if (brand == "heic" || brand == "heix" || brand == "heim" || brand == "heis" || brand == "hevc" ||
            brand == "mif1" || brand == "msf1")
            return "HEIC/HEIF";
        return "MP4/QuickTime video";
    }
    if (startsWith(bytes, "%PDF")) return "PDF";
    if (startsWith(bytes, std::string_view("\x00\x00\x00\x0CjP  ", 10)) || startsWith(bytes, "\xFF\x4F\xFF\x51"))
        return "JPEG 2000";
    if (startsWith(bytes, "8BPS")) return "Photoshop (PSD)";
    return std::nullopt;
}

const char* formatName(Format format) {
    switch (format) {
    case Format::Jpeg: return "jpeg";
    case Format::Png: return "png";
    case Format::Bmp: return "bmp";
    case Format::Tiff: return "tiff";
    case Format::Webp: return "webp";
    case Format::Pgm: return "pgm";
    case Format::Ppm: return "ppm";
    case Format::Pbm: return "pbm";
    case Format::Gif: return "gif";
    }
    return "unknown";
}

std::optional<Format> sniffFormat(std::span<const std::uint8_t> bytes) {
    if (startsWith(bytes, "\xFF\xD8\xFF")) return Format::Jpeg;
    if (startsWith(bytes, "\x89PNG\r\n\x1A\n")) return Format::Png;
    if (startsWith(bytes, "GIF87a") || startsWith(bytes, "GIF89a")) return Format::Gif;
    if (startsWith(bytes, "BM")) return Format::Bmp;
    if (startsWith(bytes, std::string_view("II*\0", 4)) || startsWith(bytes, std::string_view("MM\0*", 4)))
        return Format::Tiff;
    if (bytes.size() >= 12 && startsWith(bytes, "RIFF") && std::memcmp(bytes.data() + 8, "WEBP", 4) == 0)
        return Format::Webp;
    if (bytes.size() >= 3 && bytes[0] == 'P' && std::isspace(bytes[2])) {
        switch (bytes[1]) {
        case '2': case '5': return Format::Pgm;
        case '3': case '6': return Format::Ppm;
        case '1': case '4': return Format::Pbm;
        default: break;
        }
    }
    return std::nullopt;
}

Result<Dimensions> readDimensions(Format format, std::span<const std::uint8_t> bytes) {
    switch (format) {
    case Format::Jpeg: return jpegDimensions(bytes);
    case Format::Png: return pngDimensions(bytes);
    case Format::Bmp: return bmpDimensions(bytes);
    case Format::Tiff: return tiffDimensions(bytes);
    case Format::Webp: return webpDimensions(bytes);
    case Format::Pgm: case Format::Ppm: case Format::Pbm: return netpbmDimensions(format, bytes);
    case Format::Gif: return gifDimensions(bytes);
    }
    return truncatedHeader(format);
}

Result<void> checkComplete(Format format, std::span<const std::uint8_t> bytes) {
    const Error incomplete = makeError(
        ErrorCode::CorruptImage, std::string("The ") + formatName(format) +
                                     " file is incomplete (cut short during copy or download); ask for the original.");
    if (format == Format::Jpeg) {
        // In entropy-coded data 0xFF is always stuffed, so FF D9 after the first scan is the end marker.
        const std::size_t scan = jpegScanStart(bytes);
        if (scan == 0 || scan >= bytes.size()) return incomplete;
        static constexpr std::array<std::uint8_t, 2> endOfImage{0xFF, 0xD9};
        if (std::search(bytes.begin() + static_cast<std::ptrdiff_t>(scan), bytes.end(), endOfImage.begin(),
                        endOfImage.end()) == bytes.end())
            return incomplete;
    }
    if (format == Format::Bmp && !bmpComplete(bytes)) return incomplete;
    if (format == Format::Png) {
        static constexpr std::string_view end = "IEND";
        if (std::search(bytes.begin(), bytes.end(), end.begin(), end.end()) == bytes.end()) return incomplete;
    }
    return {};
}

}  // namespace facelead::imaging::detail
