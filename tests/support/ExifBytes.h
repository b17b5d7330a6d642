#pragma once
// Images with EXIF for the tests: a little-endian EXIF block (IFD0 with Make, Model, Orientation and the Exif
// IFD holding DateTimeOriginal) in a JPEG APP1 segment. Shared by the imaging unit tests and the tests that
// date a gallery photo by when it was taken (issue 11 MEDIUM-2).

#include <catch2/catch.hpp>

#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace facelead::test {

using Bytes = std::vector<std::uint8_t>;

namespace exif_detail {
inline void put16(Bytes& b, std::uint32_t v) {
    b.push_back(static_cast<std::uint8_t>(v));
    b.push_back(static_cast<std::uint8_t>(v >> 8));
}
inline void put32(Bytes& b, std::uint32_t v) {
    put16(b, v & 0xFFFF);
    put16(b, v >> 16);
}
inline void entry(Bytes& b, std::uint16_t tag, std::uint16_t type, std::uint32_t count, std::uint32_t value) {
    put16(b, tag);
    put16(b, type);
    put32(b, count);
    put32(b, value);
}
}  // namespace exif_detail

// The APP1 segment (marker included); `taken` is DateTimeOriginal as EXIF writes it.
inline Bytes exifBlock(int orientation, const std::string& taken = "2024:05:01 13:22:10") {
    using namespace exif_detail;
    constexpr std::uint16_t kAscii = 2, kShort = 3, kLong = 4;
    const std::string make = "FaceLeadCam", model = "Model X";
    const std::uint32_t ifd0 = 8, exifIfd = ifd0 + 2 + 4 * 12 + 4, strings = exifIfd + 2 + 12 + 4;
    const std::uint32_t makeAt = strings, modelAt = makeAt + static_cast<std::uint32_t>(make.size()) + 1,
                        takenAt = modelAt + static_cast<std::uint32_t>(model.size()) + 1;
    Bytes tiff{'I', 'I', 42, 0};
    put32(tiff, ifd0);
    put16(tiff, 4);
    entry(tiff, 0x010F, kAscii, static_cast<std::uint32_t>(make.size()) + 1, makeAt);
    entry(tiff, 0x0110, kAscii, static_cast<std::uint32_t>(model.size()) + 1, modelAt);
    entry(tiff, 0x0112, kShort, 1, static_cast<std::uint32_t>(orientation));
    entry(tiff, 0x8769, kLong, 1, exifIfd);
    put32(tiff, 0);
    put16(tiff, 1);
    entry(tiff, 0x9003, kAscii, static_cast<std::uint32_t>(taken.size()) + 1, takenAt);
    put32(tiff, 0);
    for (const auto& text : {make, model, taken}) {
        tiff.insert(tiff.end(), text.begin(), text.end());
        tiff.push_back(0);
    }
    constexpr std::array<std::uint8_t, 10> header{0xFF, 0xE1, 0, 0, 'E', 'x', 'i', 'f', 0, 0};
    Bytes app1(header.size() + tiff.size());
    std::copy(tiff.begin(), tiff.end(), std::copy(header.begin(), header.end(), app1.begin()));
    const std::size_t length = app1.size() - 2;
    app1[2] = static_cast<std::uint8_t>(length >> 8);
    app1[3] = static_cast<std::uint8_t>(length & 0xFF);
    return app1;
}

// 60x40 JPEG: left half red, right half blue; the EXIF block is inserted right after SOI.
inline Bytes jpegWithExif(const Bytes& app1) {
    cv::Mat card(40, 60, CV_8UC3, cv::Scalar(0, 0, 255));
    card(cv::Rect(30, 0, 30, 40)).setTo(cv::Scalar(255, 0, 0));
    Bytes jpeg;
    REQUIRE(cv::imencode(".jpg", card, jpeg, {cv::IMWRITE_JPEG_QUALITY, 95}));
    jpeg.insert(jpeg.begin() + 2, app1.begin(), app1.end());
    return jpeg;
}

}  // namespace facelead::test
