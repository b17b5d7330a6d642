// The field cases of issue 10 (../shared/data/intake-cases, README.md there), one test per KIND of fault:
// orientation metadata, damaged data, memory, pixel formats, animations, unsupported phone formats,
// non-regular files and file names. Files that pass today stay passing; variants not in the folder are
// made at run time.

#include <catch2/catch.hpp>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "core/imaging/Intake.h"
#include "tests/support/TestData.h"

namespace {

namespace fs = std::filesystem;
using facelead::ErrorCode;
using facelead::imaging::decodeBytes;
using facelead::imaging::decodeFile;
using facelead::imaging::Image;

// Mean absolute difference per sample: re-encoded JPEGs of the same picture differ by 1-2, a picture turned
// or flipped the wrong way by 40 and more.
double meanDifference(const Image& a, const Image& b) {
    if (a.rgb.size() != b.rgb.size()) return 255;
    return cv::norm(a.rgb, b.rgb, cv::NORM_L1) / static_cast<double>(a.rgb.total() * 3);
}

Image reference(const fs::path& cases) {
    auto image = decodeFile(cases / "ref_obama.jpg");
    REQUIRE(image.ok());
    return *image;
}

std::vector<std::uint8_t> readAll(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("Orientation metadata is applied exactly once in every format (C01)", "[imaging][intake][orientation]") {
    const auto cases = facelead::test::requireIntakeCases();
    if (!cases) return;
    const Image upright = reference(*cases);
    for (const char* name : {"c01_exif2.jpg", "c01_exif3.jpg", "c01_exif4.jpg", "c01_exif5.jpg", "c01_exif6.jpg",
                             "c01_exif6_ii.jpg", "c01_exif7.jpg", "c01_exif8.jpg", "c01_exif6.png", "c01_exif6.webp",
                             "c01_orient2.tif", "c01_orient3.tif", "c01_orient6.tif", "c01_orient8.tif",
                             "gallery_folder/Barack_Obama/02_iphone_sideways_exif6.jpg"}) {
        INFO(name);
        const auto image = decodeFile(*cases / name);
        REQUIRE(image.ok());
        CHECK(image->metadata.exifOrientation != 1);
        CHECK(image->width() == upright.width());
        CHECK(image->height() == upright.height());
        CHECK(meanDifference(*image, upright) < 3.0);
    }
    SECTION("without metadata the stored pixels are left alone (C02: finding the face upright is the engine's)") {
        const auto turned = decodeFile(*cases / "c02_rot180_noexif.jpg");
        REQUIRE(turned.ok());
        CHECK(turned->metadata.exifOrientation == 1);
        CHECK(meanDifference(*turned, upright) > 40.0);
    }
}

TEST_CASE("Damaged data is refused or flagged, never decoded in silence (C06)", "[imaging][intake][damaged]") {
    const auto cases = facelead::test::requireIntakeCases();
    if (!cases) return;
    std::size_t flagged = 0, refused = 0;
    for (const auto& entry : fs::directory_iterator(*cases)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("c06_", 0) != 0 || name == "c06_progressive_full.jpg") continue;
        INFO(name);
        const auto image = decodeFile(entry.path());
        if (image) {
            REQUIRE(image->notes.damaged());
            CHECK_THAT(image->notes.messages().front(), Catch::StartsWith("Damaged image"));
            ++flagged;
        } else {
            CHECK((image.error().code == ErrorCode::CorruptImage || image.error().code == ErrorCode::EmptyFile ||
                   image.error().code == ErrorCode::UnsupportedFormat));
            CHECK_THAT(image.error().message, Catch::Contains(name));
            ++refused;
        }
    }
    CHECK(flagged >= 6);  // corrupt scan data and copies "repaired" with an end marker decode, flagged
    CHECK(refused >= 10);

    SECTION("the complete file of the same kind decodes clean") {
        const auto whole = decodeFile(*cases / "c06_progressive_full.jpg");
        REQUIRE(whole.ok());
        CHECK_FALSE(whole->notes.damaged());
        CHECK(whole->notes.messages().empty());
    }
    SECTION("a variant made here: a JPEG with bytes overwritten in its scan data") {
        auto bytes = readAll(*cases / "ref_obama.jpg");
        for (std::size_t i = bytes.size() / 2; i < bytes.size() / 2 + 64; ++i) bytes[i] = 0x5A;
        const auto image = decodeBytes(bytes);
        REQUIRE(image.ok());
        CHECK(image->notes.damaged());
    }
}

TEST_CASE("Memory is proportional to the pixels and bounded across workers (C07)", "[imaging][intake][memory]") {
    const auto cases = facelead::test::requireIntakeCases();
    if (!cases) return;
    SECTION("over the limit: refused from the header") {
        for (const char* name : {"c07_lottapixel_jpeg.jpg", "c07_png_bomb_30000sq_grey.png"}) {
            INFO(name);
            const auto image = decodeFile(*cases / name);
            REQUIRE_FALSE(image.ok());
            CHECK(image.error().code == ErrorCode::ImageTooLarge);
        }
    }
    SECTION("a decode whose memory estimate exceeds maxDecodeBytes is refused before decoding") {
        const auto image = decodeFile(*cases / "c07_png_99mp_rgba16.png", {.maxDecodeBytes = 100ull << 20});
        REQUIRE_FALSE(image.ok());
        CHECK(image.error().code == ErrorCode::ImageTooLarge);
        CHECK_THAT(image.error().message, Catch::Contains("memory"));
    }
    SECTION("under the limit: a 99-megapixel 16-bit RGBA PNG costs a few bytes per pixel, not 55") {
        // Measured in a child process, so the peak belongs to this decode alone.
        const pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            const auto image = decodeFile(*cases / "c07_png_99mp_rgba16.png");
            _exit(image && image->width() == 10000 && image->height() == 9990 ? 0 : 3);
        }
        int status = 0;
        REQUIRE(waitpid(child, &status, 0) == child);
        REQUIRE(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
        rusage usage{};
        REQUIRE(getrusage(RUSAGE_CHILDREN, &usage) == 0);
        const double bytesPerPixel = usage.ru_maxrss * 1024.0 / (10000.0 * 9990.0);
        INFO("peak " << usage.ru_maxrss / 1024 << " MB, " << bytesPerPixel << " bytes per pixel");
        CHECK(bytesPerPixel < 5.0);
    }
    SECTION("concurrent decodes share one budget: together they never hold more than it") {
        const auto bytes = readAll(*cases / "ref_obama.jpg");
        const std::uint64_t onePeak = 910ull * 1137 * 4;
        facelead::imaging::setDecodeBudget(onePeak * 2);
        std::atomic<bool> running{true};
        std::atomic<std::uint64_t> highest{0};
        std::thread watcher([&] {
            while (running) {
                highest = std::max<std::uint64_t>(highest, facelead::imaging::decodeBytesInUse());
                std::this_thread::yield();
            }
        });
        std::vector<std::thread> workers;
        std::atomic<int> decoded{0};
        for (int w = 0; w < 6; ++w)
            workers.emplace_back([&] {
                for (int i = 0; i < 4; ++i) decoded += decodeBytes(bytes).ok() ? 1 : 0;
            });
        for (auto& worker : workers) worker.join();
        running = false;
        watcher.join();
        facelead::imaging::setDecodeBudget(2048ull << 20);
        CHECK(decoded == 24);
        CHECK(highest <= onePeak * 2);
        CHECK(facelead::imaging::decodeBytesInUse() == 0);
    }
}

TEST_CASE("Pixel formats decode to the right 8-bit RGB (C03, C04, C05, C12)", "[imaging][intake][pixels]") {
    const auto cases = facelead::test::requireIntakeCases();
    if (!cases) return;
    const Image upright = reference(*cases);
    // Same picture, other encodings: the pixels must match the reference closely.
    for (const char* name : {"c04_palette256.png", "c04_palette_trns.png", "c04_rgb16.png", "c05_cmyk.jpg",
                             "c05_cmyk_pil.jpg", "c05_cmyk.tif"}) {
        INFO(name);
        const auto image = decodeFile(*cases / name);
        REQUIRE(image.ok());
        CHECK(meanDifference(*image, upright) < 4.0);
    }
    // Other renderings (cut-outs on white, grey, infrared, 1-bit): decoded at full size, without damage.
    for (const char* name : {"c03_fr_32bit.png", "c03_grey_alpha.png", "c03_rgba16.png", "c03_rgba_cutout.png",
                             "c03_rgba_cutout_black.png", "c03_rgba_half_opacity.png", "c04_bilevel_1bit.png",
                             "c04_grey16.png", "c12_grey.jpg", "c12_grey.pgm", "c12_ir_like.png", "c12_negative.png"}) {
        INFO(name);
        const auto image = decodeFile(*cases / name);
        REQUIRE(image.ok());
        CHECK(image->rgb.type() == CV_8UC3);
        CHECK_FALSE(image->notes.damaged());
        CHECK(cv::countNonZero(image->rgb.reshape(1)) > 0);
    }
    SECTION("16-bit and 8-bit RGBA cut-outs give the same pixels") {
        const auto deep = decodeFile(*cases / "c03_rgba16.png");
        const auto shallow = decodeFile(*cases / "c03_rgba_cutout.png");
        REQUIRE(deep.ok());
        REQUIRE(shallow.ok());
        CHECK(meanDifference(*deep, *shallow) < 1.0);
    }
}

TEST_CASE("Animations: one frame decoded, the count told, any frame can be chosen (C09)", "[imaging][intake][animation]") {
    const auto cases = facelead::test::requireIntakeCases();
    if (!cases) return;
    for (const char* name : {"c09_animated.gif", "c09_animated.webp", "c09_animated_face_in_frame2.gif"}) {
        INFO(name);
        const auto first = decodeFile(*cases / name);
        REQUIRE(first.ok());  // a valid animation is never "damaged"
        CHECK_FALSE(first->notes.damaged());
        CHECK(first->notes.frameCount == 3);
        CHECK(first->notes.frameUsed == 0);
        REQUIRE(first->notes.messages().size() == 1);
        CHECK_THAT(first->notes.messages().front(), Catch::Contains("3 frames, frame 1 used"));

        const auto second = decodeFile(*cases / name, {}, {.index = 1});
        REQUIRE(second.ok());
        CHECK(second->notes.frameUsed == 1);
        CHECK_THAT(second->notes.messages().front(), Catch::Contains("frame 2 used"));
        CHECK(cv::norm(first->rgb, second->rgb, cv::NORM_L1) > 0);

        const auto absent = decodeFile(*cases / name, {}, {.index = 3});
        REQUIRE_FALSE(absent.ok());
        CHECK(absent.error().code == ErrorCode::InvalidArgument);
        CHECK_THAT(absent.error().message, Catch::Contains("3 frame"));
    }
    SECTION("a still image has one frame and nothing to say") {
        const auto still = decodeFile(*cases / "ref_obama.jpg");
        REQUIRE(still.ok());
        CHECK(still->notes.messages().empty());
        CHECK(decodeFile(*cases / "ref_obama.jpg", {}, {.index = 1}).error().code == ErrorCode::InvalidArgument);
    }
}

TEST_CASE("Phone formats are refused with a message naming the format and the way out (C10)", "[imaging][intake][format]") {
    const auto cases = facelead::test::requireIntakeCases();
    if (!cases) return;
    for (const auto& [name, format] : std::vector<std::pair<std::string, std::string>>{
             {"c10_phone.heic", "HEIC"}, {"c10_phone.avif", "AVIF"}}) {
        INFO(name);
        const auto image = decodeFile(*cases / name);
        REQUIRE_FALSE(image.ok());
        CHECK(image.error().code == ErrorCode::UnsupportedFormat);
        CHECK_THAT(image.error().message, Catch::Contains(format) && Catch::Contains("JPEG"));
    }
}

TEST_CASE("Only regular files are read, the size checked first (issue 8: non-regular input)", "[imaging][intake][files]") {
    facelead::test::TempDir dir;
    const auto refusedQuickly = [](const fs::path& path) {
        const auto started = std::chrono::steady_clock::now();
        const auto image = decodeFile(path);
        REQUIRE_FALSE(image.ok());
        CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
        return image.error();
    };
    SECTION("a device that never ends") {
        CHECK(refusedQuickly("/dev/zero").code == ErrorCode::InvalidArgument);
    }
    SECTION("a FIFO with no writer (used to hang)") {
        const fs::path fifo = dir / "probe.jpg";
        REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
        const facelead::Error error = refusedQuickly(fifo);
        CHECK(error.code == ErrorCode::InvalidArgument);
        CHECK_THAT(error.message, Catch::Contains("not a regular file"));
    }
    SECTION("a folder") {
        CHECK(refusedQuickly(dir.path()).code == ErrorCode::InvalidArgument);
    }
    SECTION("a symbolic link to a device") {
        fs::create_symlink("/dev/zero", dir / "link.jpg");
        CHECK(refusedQuickly(dir / "link.jpg").code == ErrorCode::InvalidArgument);
    }
}

TEST_CASE("File names: any name is read, one that is not UTF-8 is reported escaped (C08)", "[imaging][intake][names]") {
    const auto cases = facelead::test::requireIntakeCases();
    if (!cases) return;
    for (const auto& entry : fs::directory_iterator(*cases)) {
        if (entry.path().filename().string().rfind("c08_", 0) != 0) continue;
        INFO(entry.path().filename().string());
        CHECK(decodeFile(entry.path()).ok());
    }
    facelead::test::TempDir dir;
    const fs::path latin1 = dir / std::string("Jos\xE9_1.jpg");
    fs::copy_file(*cases / "ref_obama.jpg", latin1);
    CHECK(decodeFile(latin1).ok());
    std::ofstream(dir / std::string("Ren\xE9.jpg")) << "not an image";
    const auto refused = decodeFile(dir / std::string("Ren\xE9.jpg"));
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, Catch::Contains("Ren\\xe9.jpg"));
}
