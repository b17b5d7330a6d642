#pragma once
// Private to core/imaging: bounds-checked reads of integers from untrusted bytes (out of range reads give 0),
// and a minimal view of a TIFF structure (TIFF files and EXIF blocks share it).

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace facelead::imaging::detail {

std::uint32_t readBigEndian16(std::span<const std::uint8_t> bytes, std::size_t pos);
std::uint32_t readBigEndian32(std::span<const std::uint8_t> bytes, std::size_t pos);
std::uint32_t readLittleEndian16(std::span<const std::uint8_t> bytes, std::size_t pos);
std::uint32_t readLittleEndian24(std::span<const std::uint8_t> bytes, std::size_t pos);
std::uint32_t readLittleEndian32(std::span<const std::uint8_t> bytes, std::size_t pos);

// A TIFF header and its IFDs within bytes[begin, begin+size); offsets inside are relative to begin.
class TiffView {
public:
    TiffView(std::span<const std::uint8_t> bytes, std::size_t begin, std::size_t size);
    bool valid() const { return valid_; }
    std::uint32_t firstIfd() const { return firstIfd_; }
    // SHORT or LONG value of a tag in the IFD at ifdOffset.
    std::optional<std::uint32_t> integerTag(std::uint32_t ifdOffset, std::uint16_t tag) const;
    // ASCII value of a tag, without the trailing NULs, as UTF-8 (bytes outside it escaped).
    std::optional<std::string> asciiTag(std::uint32_t ifdOffset, std::uint16_t tag) const;

private:
    std::uint32_t read16(std::size_t offset) const;
    std::uint32_t read32(std::size_t offset) const;
    // Offset of the 12-byte entry of tag in the IFD, if present.
    std::optional<std::size_t> findEntry(std::uint32_t ifdOffset, std::uint16_t tag) const;

    std::span<const std::uint8_t> data_;
    bool bigEndian_ = false;
    bool valid_ = false;
    std::uint32_t firstIfd_ = 0;
};

}  // namespace facelead::imaging::detail
