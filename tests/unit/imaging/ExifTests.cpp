// EXIF: orientation applied to the pixels, capture metadata read, damaged EXIF ignored.

#include <catch2/catch.hpp>

#include <opencv2/imgcodecs.hpp>

#include "core/imaging/Intake.h"
#include "tests/support/ExifBytes.h"

namespace {

using facelead::test::Bytes;
using facelead::test::exifBlock;
using facelead::test::jpegWithExif;

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

// Issue 11 MEDIUM-2: a stored gallery photo is dated from its bytes without decoding its pixels.
TEST_CASE("EXIF capture metadata is read from encoded bytes without decoding them", "[imaging][exif]") {
    const auto metadata = facelead::imaging::readCaptureMetadata(jpegWithExif(exifBlock(1, "2019:05:01 13:22:10")));
    CHECK(metadata.dateTimeOriginal == std::optional<std::string>("2019:05:01 13:22:10"));
    CHECK_FALSE(facelead::imaging::readCaptureMetadata(Bytes{0x89, 'P', 'N', 'G'}).dateTimeOriginal);  // no image at all
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
