// SHA-256 (core/common/Hash.h): every original, model and audit entry is named by it, so a change of the
// library behind it must give the same digests (FIPS 180-2 test vectors) in memory and from a file.

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/common/Hash.h"

namespace {

// Larger than sha256FileHex's 64 KiB read buffer, so the file is hashed in several pieces.
const std::string kMillionA(1'000'000, 'a');

std::filesystem::path writeScratch(const std::string& contents) {
    const auto file = std::filesystem::temp_directory_path() / ("facelead-hash-" + std::to_string(::getpid()));
    std::ofstream(file, std::ios::binary) << contents;
    return file;
}

}  // namespace

TEST_CASE("SHA-256 gives the FIPS 180-2 digests", "[hash]") {
    using facelead::sha256Hex;
    CHECK(sha256Hex(std::string_view{}) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256Hex(kMillionA) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("A file's SHA-256 equals its bytes' SHA-256", "[hash]") {
    const auto file = writeScratch(kMillionA);
    const auto fromFile = facelead::sha256FileHex(file);
    std::filesystem::remove(file);
    REQUIRE(fromFile);
    CHECK(*fromFile == facelead::sha256Hex(kMillionA));
}

TEST_CASE("A file that cannot be read is an I/O error, not a digest", "[hash]") {
    const auto missing = facelead::sha256FileHex("/nonexistent/facelead-hash");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == facelead::ErrorCode::IoError);
}
