#include "core/imaging/detail/Exif.h"

#include <cstring>

#include "core/imaging/detail/ByteReader.h"

namespace facelead::imaging::detail {
namespace {

constexpr std::uint16_t kTagMake = 0x010F;
constexpr std::uint16_t kTagModel = 0x0110;
constexpr std::uint16_t kTagOrientation = 0x0112;
constexpr std::uint16_t kTagExifIfd = 0x8769;
constexpr std::uint16_t kTagDateTimeOriginal = 0x9003;

std::optional<TiffView> jpegExif(std::span<const std::uint8_t> bytes) {
    std::size_t pos = 2;
    while (pos + 4 <= bytes.size() && bytes[pos] == 0xFF) {
        const std::uint8_t marker = bytes[pos + 1];
        const std::size_t length = readBigEndian16(bytes, pos + 2);
        if (marker == 0xDA || length < 2) break;
        if (marker == 0xE1 && length >= 8 && pos + 10 <= bytes.size() &&
            std::memcmp(bytes.data() + pos + 4, "Exif\0\0", 6) == 0)
            return TiffView(bytes, pos + 10, length - 8);
        pos += 2 + length;
    }
    return std::nullopt;
}

std::optional<TiffView> pngExif(std::span<const std::uint8_t> bytes) {
    std::size_t pos = 8;
    while (pos + 8 <= bytes.size()) {
        const std::size_t length = readBigEndian32(bytes, pos);
        if (std::memcmp(bytes.data() + pos + 4, "eXIf", 4) == 0) return TiffView(bytes, pos + 8, length);
        if (std::memcmp(bytes.data() + pos + 4, "IDAT", 4) == 0) break;  // eXIf must precede the pixels
        pos += 12 + length;
    }
    return std::nullopt;
}

// RIFF chunks after "WEBP": the EXIF chunk holds a TIFF structure, by some writers prefixed with "Exif\0\0".
std::optional<TiffView> webpExif(std::span<const std::uint8_t> bytes) {
    std::size_t pos = 12;
    while (pos + 8 <= bytes.size()) {
        const std::size_t length = readLittleEndian32(bytes, pos + 4);
        if (std::memcmp(bytes.data() + pos, "EXIF", 4) == 0) {
            std::size_t begin = pos + 8;
            if (length >= 6 && begin + 6 <= bytes.size() && std::memcmp(bytes.data() + begin, "Exif\0\0", 6) == 0)
                return TiffView(bytes, begin + 6, length - 6);
            return TiffView(bytes, begin, length);
        }
        pos += 8 + length + (length & 1);  // chunks are padded to an even size
    }
    return std::nullopt;
}

}  // namespace

CaptureMetadata readCaptureMetadata(Format format, std::span<const std::uint8_t> bytes) {
    std::optional<TiffView> tiff;
    if (format == Format::Jpeg) tiff = jpegExif(bytes);
    else if (format == Format::Png) tiff = pngExif(bytes);
    else if (format == Format::Webp) tiff = webpExif(bytes);
    else if (format == Format::Tiff) tiff.emplace(bytes, 0, bytes.size());

    CaptureMetadata metadata;
    if (!tiff || !tiff->valid()) return metadata;
    const std::uint32_t ifd0 = tiff->firstIfd();
    metadata.cameraMake = tiff->asciiTag(ifd0, kTagMake);
    metadata.cameraModel = tiff->asciiTag(ifd0, kTagModel);
    if (const auto orientation = tiff->integerTag(ifd0, kTagOrientation); orientation && *orientation >= 1 &&
                                                                           *orientation <= 8)
        metadata.exifOrientation = static_cast<int>(*orientation);
    if (const auto exifIfd = tiff->integerTag(ifd0, kTagExifIfd))
        metadata.dateTimeOriginal = tiff->asciiTag(*exifIfd, kTagDateTimeOriginal);
    return metadata;
}

}  // namespace facelead::imaging::detail
