// Image intake: every format of the shared data, formats written on the fly, and hostile input
// (empty, truncated, random, mislabelled, decompression-bomb headers) -> typed errors.

#include <catch2/catch.hpp>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <fstream>
#include <random>

#include "core/imaging/Intake.h"
#include "tests/support/TestData.h"

namespace {

using facelead::ErrorCode;
using facelead::imaging::decodeBytes;
using facelead::imaging::decodeFile;
using Bytes = std::vector<std::uint8_t>;

Bytes readAll(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

void writeAll(const std::filesystem::path& file, const Bytes& bytes) {
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// A small BGR test card with distinct quadrants, so orientation and channel order can be checked.
cv::Mat testCardBgr() {
    cv::Mat card(40, 60, CV_8UC3, cv::Scalar(0, 0, 255));                      // red (BGR)
    card(cv::Rect(30, 0, 30, 20)).setTo(cv::Scalar(255, 0, 0));                // blue top right
    card(cv::Rect(0, 20, 60, 20)).setTo(cv::Scalar(0, 255, 0));                // green bottom half
    return card;
}

Bytes encode(const std::string& extension, const cv::Mat& image, const std::vector<int>& params = {}) {
    Bytes bytes;
    REQUIRE(cv::imencode(extension, image, bytes, params));
    return bytes;
}

void requireRgb8(const facelead::imaging::Image& image) {
    REQUIRE(image.rgb.type() == CV_8UC3);
    REQUIRE(image.rgb.isContinuous());
}

}  // namespace

TEST_CASE("Intake decodes every format of the shared face images", "[imaging][intake]") {
    const auto faces = facelead::test::requireFaces();
    if (!faces) return;

    SECTION("Yale: GIF without a file extension, detected by content") {
        const auto image = decodeFile(*faces / "yale" / "subject01.happy");
        REQUIRE(image.ok());
        CHECK(image->format == "gif");
        CHECK(image->width() == 320);
        CHECK(image->height() == 243);
        requireRgb8(*image);
    }
    SECTION("bbt: greyscale PNG becomes RGB with equal channels") {
        const auto image = decodeFile(*faces / "bbt" / "amy" / "amy1.png");
        REQUIRE(image.ok());
        CHECK(image->format == "png");
        requireRgb8(*image);
        std::vector<cv::Mat> planes;
        cv::split(image->rgb, planes);
        CHECK(cv::norm(planes[0], planes[1], cv::NORM_INF) == 0);
        CHECK(cv::norm(planes[1], planes[2], cv::NORM_INF) == 0);
        CHECK(cv::countNonZero(planes[0]) > 0);
    }
    SECTION("face_recognition: 32-bit PNG with alpha becomes 8-bit RGB") {
        const auto image = decodeFile(*faces / "face_recognition" / "tests" / "test_images" / "32bit.png");
        REQUIRE(image.ok());
        CHECK(image->width() == 626);
        CHECK(image->height() == 1200);
        requireRgb8(*image);
    }
    SECTION("ORL: binary PGM") {
        const auto image = decodeFile(*faces / "orl" / "s1" / "1.pgm");
        REQUIRE(image.ok());
        CHECK(image->format == "pgm");
        CHECK(image->width() == 92);
        CHECK(image->height() == 112);
        requireRgb8(*image);
    }
    SECTION("JPEG scenes") {
        const auto image = decodeFile(*faces / "scenes" / "2008_002470.jpg");
        REQUIRE(image.ok());
        CHECK(image->format == "jpeg");
        CHECK(image->width() == 500);
        CHECK(image->height() == 332);
    }
    SECTION("deepface img47.jpg is really WebP: the name does not decide") {
        const auto image = decodeFile(*faces / "deepface" / "img47.jpg");
        REQUIRE(image.ok());
        CHECK(image->format == "webp");
        CHECK(image->width() > 0);
    }
}

TEST_CASE("Intake decodes BMP, TIFF, WebP, PPM, PNG and JPEG written on the fly, in RGB order", "[imaging][intake]") {
    const cv::Mat card = testCardBgr();
    const std::vector<std::pair<std::string, std::string>> formats{
        {".bmp", "bmp"}, {".tiff", "tiff"}, {".ppm", "ppm"}, {".png", "png"}, {".webp", "webp"}, {".jpg", "jpeg"}};
    for (const auto& [extension, name] : formats) {
        INFO(name);
        const std::vector<int> params = name == "webp" ? std::vector<int>{cv::IMWRITE_WEBP_QUALITY, 101} : std::vector<int>{};
        const auto image = decodeBytes(encode(extension, card, params));
        REQUIRE(image.ok());
        CHECK(image->format == name);
        CHECK(image->width() == 60);
        CHECK(image->height() == 40);
        requireRgb8(*image);
        const cv::Vec3b topLeft = image->rgb.at<cv::Vec3b>(5, 5);     // red in RGB order: (255, 0, 0)
        const cv::Vec3b topRight = image->rgb.at<cv::Vec3b>(5, 55);   // blue: (0, 0, 255)
        CHECK(topLeft[0] > 200);
        CHECK(topLeft[2] < 60);
        CHECK(topRight[2] > 200);
        CHECK(topRight[0] < 60);
    }
}

TEST_CASE("Intake normalises 16-bit and alpha images to 8-bit RGB", "[imaging][intake]") {
    SECTION("16-bit greyscale PNG") {
        cv::Mat deep(10, 10, CV_16UC1, cv::Scalar(65535));
        deep(cv::Rect(0, 0, 5, 10)).setTo(cv::Scalar(257 * 100));
        const auto image = decodeBytes(encode(".png", deep));
        REQUIRE(image.ok());
        requireRgb8(*image);
        CHECK(image->rgb.at<cv::Vec3b>(0, 0) == cv::Vec3b(100, 100, 100));
        CHECK(image->rgb.at<cv::Vec3b>(0, 9) == cv::Vec3b(255, 255, 255));
    }
    SECTION("transparent pixels become white, opaque ones keep their colour") {
        cv::Mat bgra(10, 10, CV_8UC4, cv::Scalar(0, 0, 255, 255));
        bgra(cv::Rect(5, 0, 5, 10)).setTo(cv::Scalar(0, 0, 0, 0));
        const auto image = decodeBytes(encode(".png", bgra));
        REQUIRE(image.ok());
        requireRgb8(*image);
        CHECK(image->rgb.at<cv::Vec3b>(0, 0) == cv::Vec3b(255, 0, 0));
        CHECK(image->rgb.at<cv::Vec3b>(0, 9) == cv::Vec3b(255, 255, 255));
    }
}

TEST_CASE("Intake refuses bad files with typed errors", "[imaging][intake]") {
    facelead::test::TempDir dir;
    const Bytes jpeg = encode(".jpg", testCardBgr());
    const Bytes png = encode(".png", testCardBgr());

    SECTION("zero-byte file") {
        writeAll(dir / "empty.jpg", {});
        const auto image = decodeFile(dir / "empty.jpg");
        REQUIRE_FALSE(image.ok());
        CHECK(image.error().code == ErrorCode::EmptyFile);
        CHECK(decodeBytes({}).error().code == ErrorCode::EmptyFile);
    }
    SECTION("missing file") {
        const auto image = decodeFile(dir / "absent.jpg");
        REQUIRE_FALSE(image.ok());
        CHECK(image.error().code == ErrorCode::IoError);
    }
    SECTION("truncated JPEG, PNG and GIF") {
        const auto gifFaces = facelead::test::requireFaces();
        std::vector<std::pair<std::string, Bytes>> files{{"jpeg", jpeg}, {"png", png}};
        if (gifFaces) files.emplace_back("gif", readAll(*gifFaces / "yale" / "subject01.happy"));
        for (auto [name, bytes] : files) {
            INFO(name);
            bytes.resize(bytes.size() * 2 / 3);
            writeAll(dir / ("cut." + name), bytes);
            const auto image = decodeFile(dir / ("cut." + name));
            REQUIRE_FALSE(image.ok());
            CHECK(image.error().code == ErrorCode::CorruptImage);
            CHECK_THAT(image.error().message, Catch::Contains("cut." + name));
        }
    }
    SECTION("header only: the signature without the rest") {
        for (const Bytes& bytes : {Bytes(png.begin(), png.begin() + 8), Bytes(jpeg.begin(), jpeg.begin() + 3)}) {
            const auto image = decodeBytes(bytes);
            REQUIRE_FALSE(image.ok());
            CHECK(image.error().code == ErrorCode::CorruptImage);
        }
    }
    SECTION("random bytes") {
        std::mt19937 random(302);
        Bytes noise(4096);
        for (auto& b : noise) b = static_cast<std::uint8_t>(random());
        noise[0] = 0x00;  // make sure no signature starts by chance
        writeAll(dir / "noise.png", noise);
        const auto image = decodeFile(dir / "noise.png");
        REQUIRE_FALSE(image.ok());
        CHECK(image.error().code == ErrorCode::UnsupportedFormat);
    }
    SECTION("a JPEG signature followed by garbage") {
        Bytes bytes{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10};
        bytes.resize(2000, 0xAB);
        const auto image = decodeBytes(bytes);
        REQUIRE_FALSE(image.ok());
        CHECK(image.error().code == ErrorCode::CorruptImage);
    }
    SECTION("wrong extension: a PNG named .jpg is read as PNG, a text named .jpg is refused") {
        writeAll(dir / "photo.jpg", png);
        const auto image = decodeFile(dir / "photo.jpg");
        REQUIRE(image.ok());
        CHECK(image->format == "png");
        const std::string text = "not an image at all";
        writeAll(dir / "notes.jpg", Bytes(text.begin(), text.end()));
        const auto refused = decodeFile(dir / "notes.jpg");
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == ErrorCode::UnsupportedFormat);
    }
    SECTION("file larger than the configured limit, checked before reading") {
        writeAll(dir / "card.jpg", jpeg);
        const auto image = decodeFile(dir / "card.jpg", {.maxFileBytes = 100, .maxPixels = 1000000});
        REQUIRE_FALSE(image.ok());
        CHECK(image.error().code == ErrorCode::FileTooLarge);
    }
    SECTION("pixel count above the configured limit") {
        const auto image = decodeBytes(png, {.maxFileBytes = 1 << 20, .maxPixels = 1000});
        REQUIRE_FALSE(image.ok());
        CHECK(image.error().code == ErrorCode::ImageTooLarge);
    }
}

namespace {

void put16be(Bytes& b, std::size_t pos, std::uint32_t v) { b[pos] = static_cast<std::uint8_t>(v >> 8); b[pos + 1] = static_cast<std::uint8_t>(v); }
void put32be(Bytes& b, std::size_t pos, std::uint32_t v) { put16be(b, pos, v >> 16); put16be(b, pos + 2, v & 0xFFFF); }
void put16le(Bytes& b, std::size_t pos, std::uint32_t v) { b[pos] = static_cast<std::uint8_t>(v); b[pos + 1] = static_cast<std::uint8_t>(v >> 8); }
void put32le(Bytes& b, std::size_t pos, std::uint32_t v) { put16le(b, pos, v & 0xFFFF); put16le(b, pos + 2, v >> 16); }

// Small valid files re-labelled as 50 000 x 50 000: only the header says so, the data stays tiny.
std::vector<std::pair<std::string, Bytes>> bombHeaders() {
    constexpr std::uint32_t kSide = 50000;
    std::vector<std::pair<std::string, Bytes>> bombs;
    const cv::Mat small(8, 8, CV_8UC3, cv::Scalar::all(128));

    Bytes png = encode(".png", small);
    put32be(png, 16, kSide);
    put32be(png, 20, kSide);
    bombs.emplace_back("png", png);

    Bytes jpeg = encode(".jpg", small);
    for (std::size_t pos = 2; pos + 9 < jpeg.size();) {  // patch the baseline frame header
        const std::uint8_t marker = jpeg[pos + 1];
        if (marker == 0xC0) { put16be(jpeg, pos + 5, kSide); put16be(jpeg, pos + 7, kSide); break; }
        pos += 2 + (jpeg[pos + 2] << 8 | jpeg[pos + 3]);
    }
    bombs.emplace_back("jpeg", jpeg);

    Bytes bmp = encode(".bmp", small);
    put32le(bmp, 18, kSide);
    put32le(bmp, 22, kSide);
    bombs.emplace_back("bmp", bmp);

    Bytes gif{'G', 'I', 'F', '8', '9', 'a', 0, 0, 0, 0, 0x80, 0, 0};
    put16le(gif, 6, kSide);
    put16le(gif, 8, kSide);
    gif.resize(64, 0);
    bombs.emplace_back("gif", gif);

    const std::string pgmHeader = "P5\n# crafted\n50000 50000\n255\n";
    Bytes pgm(pgmHeader.begin(), pgmHeader.end());
    pgm.resize(pgm.size() + 64, 0);
    bombs.emplace_back("pgm", pgm);

    Bytes tiff = encode(".tiff", small);
    bombs.emplace_back("tiff", tiff);  // patched below through its IFD
    {
        Bytes& t = bombs.back().second;
        const bool little = t[0] == 'I';
        const auto rd16 = [&](std::size_t p) { return little ? (t[p] | t[p + 1] << 8) : (t[p] << 8 | t[p + 1]); };
        const auto rd32 = [&](std::size_t p) {
            return little ? static_cast<std::uint32_t>(rd16(p) | rd16(p + 2) << 16) : static_cast<std::uint32_t>(rd16(p) << 16 | rd16(p + 2));
        };
        const std::uint32_t ifd = rd32(4);
        for (int i = 0; i < rd16(ifd); ++i) {
            const std::size_t entry = ifd + 2 + 12 * i;
            const int tag = rd16(entry);
            if (tag != 256 && tag != 257) continue;
            if (little) { put16le(t, entry + 2, 4); put32le(t, entry + 8, kSide); }
            else { put16be(t, entry + 2, 4); put32be(t, entry + 8, kSide); }
        }
    }

    Bytes webp{'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X', 10, 0, 0, 0, 0, 0, 0, 0};
    webp.resize(30, 0);
    webp[24] = static_cast<std::uint8_t>((kSide - 1) & 0xFF);
    webp[25] = static_cast<std::uint8_t>(((kSide - 1) >> 8) & 0xFF);
    webp[27] = webp[24];
    webp[28] = webp[25];
    bombs.emplace_back("webp", webp);
    return bombs;
}

}  // namespace

TEST_CASE("Decompression bombs are refused from the header, before decoding", "[imaging][intake]") {
    facelead::test::TempDir dir;
    for (const auto& [name, bytes] : bombHeaders()) {
        INFO(name);
        writeAll(dir / ("bomb." + name), bytes);
        const auto image = decodeFile(dir / ("bomb." + name));
        REQUIRE_FALSE(image.ok());
        CHECK(image.error().code == ErrorCode::ImageTooLarge);
        CHECK_THAT(image.error().message, Catch::Contains("50000x50000"));
    }
}

TEST_CASE("encodePng round-trips an RGB image losslessly", "[imaging][intake]") {
    cv::Mat rgb(37, 23, CV_8UC3);
    cv::randu(rgb, 0, 256);
    const auto png = facelead::imaging::encodePng(rgb);
    REQUIRE(png.ok());
    const auto decoded = decodeBytes(*png);
    REQUIRE(decoded.ok());
    CHECK(decoded->format == "png");
    CHECK(cv::norm(decoded->rgb, rgb, cv::NORM_INF) == 0);
    CHECK(facelead::imaging::encodePng(cv::Mat()).error().code == ErrorCode::InvalidArgument);
}
