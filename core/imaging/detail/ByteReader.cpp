#include "core/imaging/detail/ByteReader.h"

#include <algorithm>

#include "core/common/Text.h"

namespace facelead::imaging::detail {
namespace {

std::uint32_t byteAt(std::span<const std::uint8_t> bytes, std::size_t pos) {
    return pos < bytes.size() ? bytes[pos] : 0u;
}

constexpr std::uint32_t kMaxIfdEntries = 1000;  // a real IFD has a few dozen; more means a damaged file

}  // namespace

std::uint32_t readBigEndian16(std::span<const std::uint8_t> bytes, std::size_t pos) {
    return byteAt(bytes, pos) << 8 | byteAt(bytes, pos + 1);
}
std::uint32_t readBigEndian32(std::span<const std::uint8_t> bytes, std::size_t pos) {
    return readBigEndian16(bytes, pos) << 16 | readBigEndian16(bytes, pos + 2);
}
std::uint32_t readLittleEndian16(std::span<const std::uint8_t> bytes, std::size_t pos) {
    return byteAt(bytes, pos) | byteAt(bytes, pos + 1) << 8;
}
std::uint32_t readLittleEndian24(std::span<const std::uint8_t> bytes, std::size_t pos) {
    return readLittleEndian16(bytes, pos) | byteAt(bytes, pos + 2) << 16;
}
std::uint32_t readLittleEndian32(std::span<const std::uint8_t> bytes, std::size_t pos) {
    return readLittleEndian16(bytes, pos) | readLittleEndian16(bytes, pos + 2) << 16;
}

TiffView::TiffView(std::span<const std::uint8_t> bytes, std::size_t begin, std::size_t size) {
    if (begin > bytes.size()) return;
    data_ = bytes.subspan(begin, std::min(size, bytes.size() - begin));
    if (data_.size() < 8) return;
    if (data_[0] == 'I' && data_[1] == 'I') bigEndian_ = false;
    else if (data_[0] == 'M' && data_[1] == 'M') bigEndian_ = true;
    else return;
    if (read16(2) != 42) return;
    firstIfd_ = read32(4);
    valid_ = firstIfd_ >= 8 && firstIfd_ < data_.size();
}

std::uint32_t TiffView::read16(std::size_t offset) const {
    return bigEndian_ ? readBigEndian16(data_, offset) : readLittleEndian16(data_, offset);
}
std::uint32_t TiffView::read32(std::size_t offset) const {
    return bigEndian_ ? readBigEndian32(data_, offset) : readLittleEndian32(data_, offset);
}

std::optional<std::size_t> TiffView::findEntry(std::uint32_t ifdOffset, std::uint16_t tag) const {
    if (!valid_ || ifdOffset + 2ull > data_.size()) return std::nullopt;
    const std::uint32_t count = std::min(read16(ifdOffset), kMaxIfdEntries);
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::size_t entry = ifdOffset + 2ull + 12ull * i;
        if (entry + 12 > data_.size()) return std::nullopt;
        if (read16(entry) == tag) return entry;
    }
    return std::nullopt;
}

std::optional<std::uint32_t> TiffView::integerTag(std::uint32_t ifdOffset, std::uint16_t tag) const {
    const auto entry = findEntry(ifdOffset, tag);
    if (!entry) return std::nullopt;
    constexpr std::uint32_t kShort = 3, kLong = 4;
    const std::uint32_t type = read16(*entry + 2);
    if (type == kShort) return read16(*entry + 8);
    if (type == kLong) return read32(*entry + 8);
    return std::nullopt;
}

std::optional<std::string> TiffView::asciiTag(std::uint32_t ifdOffset, std::uint16_t tag) const {
    const auto entry = findEntry(ifdOffset, tag);
    constexpr std::uint32_t kAscii = 2;
    if (!entry || read16(*entry + 2) != kAscii) return std::nullopt;
    const std::uint32_t count = read32(*entry + 4);
    const std::size_t offset = count <= 4 ? *entry + 8 : read32(*entry + 8);  // short strings sit inline
    if (count == 0 || offset + count > data_.size()) return std::nullopt;
    std::string value(reinterpret_cast<const char*>(data_.data()) + offset, count);
    value.erase(std::find(value.begin(), value.end(), '\0'), value.end());
    while (!value.empty() && value.back() == ' ') value.pop_back();
    if (value.empty()) return std::nullopt;
    return text::escapedText(value);  // cameras write Latin-1 too; the core keeps UTF-8 only
}

}  // namespace facelead::imaging::detail
