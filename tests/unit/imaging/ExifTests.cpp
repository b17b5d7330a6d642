// EXIF: orientation applied to the pixels, capture metadata read, damaged EXIF ignored.

#include <catch2/catch.hpp>

#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <array>

#include "core/imaging/Intake.h"

namespace {

using Bytes = std::vector<std::uint8_t>;

void put16(Bytes& b, std::uint32_t v) { b.push_back(static_cast<std::uint8_t>(v)); b.push_back(static_cast<std::uint8_t>(v >> 8)); }
void put32(Bytes& b, std::uint32_t v) { put16(b, v & 0xFFFF); put16(b, v >> 16); }
void entry(Bytes& b, std::uint16_t tag, std::uint16_t type, std::uint32_t count, std::uint32_t value) {
    put16(b, tag); put16(b, type); put32(b, count); put32(b, value);
}

// A little-endian EXIF block: IFD0 with Make, Model, Orientation and the Exif IFD holding DateTimeOriginal.
Bytes exifBlock(int orientation) {
    constexpr std::uint16_t kAscii = 2, kShort = 3, kLong = 4;
    const std::string make = "FaceLeadCam", model = "Model X", taken = "2024:05:01 13:22:10";
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
Bytes jpegWithExif(const Bytes& app1) {
    cv::Mat card(40, 60, CV_8UC3, cv::Scalar(0, 0, 255));
    card(cv::Rect(30, 0, 30, 40)).setTo(cv::Scalar(255, 0, 0));
    Bytes jpeg;
    REQUIRE(cv::imencode(".jpg", card, jpeg, {cv::IMWRITE_JPEG_QUALITY, 95}));
    jpeg.insert(jpeg.begin() + 2, app1.begin(), app1.end());
    return jpeg;
}

bool reddish(const cv::Vec3b& rgb) { return rgb[0] > 180 && rgb[2] < 80; }
bool bluish(const cv::Vec3b& rgb) { return rgb[2] > 180 && rgb[0] < 80; }

}  // namespace

TEST_CASE("EXIF orientation 6 turns the picture a quarter clockwise", "[imaging][exif]") {
    const auto image = facelead::imaging::decodeBytes(jpegWithExif(exifBlock(6)));
    REQUIRE(image.ok());
    CHECK(image->metadata.exifOrientation == 6);
    CHECK(image->width() == 40);
    CHECK(image->height() == 60);
    // The red left half is now on top, the blue right half at the bottom.
    CHECK(reddish(image->rgb.at<cv::Vec3b>(5, 20)));
    CHECK(bluish(image->rgb.at<cv::Vec3b>(55, 20)));
}

TEST_CASE("EXIF orientations 3 and 8 are applied, 1 leaves the pixels", "[imaging][exif]") {
    const auto upsideDown = facelead::imaging::decodeBytes(jpegWithExif(exifBlock(3)));
    REQUIRE(upsideDown.ok());
    CHECK(upsideDown->width() == 60);
    CHECK(bluish(upsideDown->rgb.at<cv::Vec3b>(20, 5)));

    const auto counterClockwise = facelead::imaging::decodeBytes(jpegWithExif(exifBlock(8)));
    REQUIRE(counterClockwise.ok());
    CHECK(counterClockwise->height() == 60);
    CHECK(bluish(counterClockwise->rgb.at<cv::Vec3b>(5, 20)));

    const auto upright = facelead::imaging::decodeBytes(jpegWithExif(exifBlock(1)));
    REQUIRE(upright.ok());
    CHECK(upright->width() == 60);
    CHECK(reddish(upright->rgb.at<cv::Vec3b>(20, 5)));
}

TEST_CASE("EXIF capture metadata is read from JPEG APP1", "[imaging][exif]") {
    const auto image = facelead::imaging::decodeBytes(jpegWithExif(exifBlock(1)));
    REQUIRE(image.ok());
    CHECK(image->metadata.cameraMake == std::optional<std::string>("FaceLeadCam"));
    CHECK(image->metadata.cameraModel == std::optional<std::string>("Model X"));
    CHECK(image->metadata.dateTimeOriginal == std::optional<std::string>("2024:05:01 13:22:10"));
    CHECK(facelead::imaging::deviceText(image->metadata) == "FaceLeadCam Model X");
}

// Trial 10: the probe page read "Device: Canon Canon EOS 5D Mark II" (EXIF Make repeated at the start of Model).
TEST_CASE("The capture device names its maker once", "[imaging][exif]") {
    using facelead::imaging::CaptureMetadata;
    using facelead::imaging::deviceText;
    CHECK(deviceText(CaptureMetadata{{}, "Canon", "Canon EOS 5D Mark II"}) == "Canon EOS 5D Mark II");
    CHECK(deviceText(CaptureMetadata{{}, "NIKON CORPORATION", "NIKON D750"}) == "NIKON CORPORATION NIKON D750");
    CHECK(deviceText(CaptureMetadata{{}, "Apple ", " apple iPhone 12"}) == "apple iPhone 12");
    CHECK(deviceText(CaptureMetadata{{}, "Apple", "iPhone 12"}) == "Apple iPhone 12");
    CHECK(deviceText(CaptureMetadata{{}, "Apple", {}}) == "Apple");
    CHECK(deviceText(CaptureMetadata{{}, {}, "iPhone 12"}) == "iPhone 12");
    CHECK(deviceText(CaptureMetadata{{}, "  ", {}}).empty());
    CHECK(deviceText(CaptureMetadata{}).empty());
}

TEST_CASE("Damaged EXIF is ignored, the image still decodes", "[imaging][exif]") {
    Bytes app1 = exifBlock(6);
    // Point IFD0 far outside the block.
    app1[14] = 0xFF;
    app1[15] = 0xFF;
    app1[16] = 0xFF;
    const auto image = facelead::imaging::decodeBytes(jpegWithExif(app1));
    REQUIRE(image.ok());
    CHECK(image->metadata.exifOrientation == 1);
    CHECK_FALSE(image->metadata.cameraMake.has_value());
    CHECK(image->width() == 60);
}
