#include "core/common/Hash.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <array>
#include <fstream>
#include <memory>
#include <new>

namespace facelead {

std::string toHex(std::span<const std::uint8_t> bytes) {
    std::string hex(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
    hex.pop_back();
    return hex;
}

bool fromHex(std::string_view hex, std::vector<std::uint8_t>& out) {
    out.assign(hex.size() / 2, 0);
    std::size_t written = 0;
    if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &written, nullptr) != 0)
        return false;
    out.resize(written);
    return written * 2 == hex.size();
}

// SHA-256 through OpenSSL's libcrypto (already loaded for SQLCipher's pages): it uses the CPU's SHA
// extensions where present, about 1.7 GB/s against 0.25 GB/s for libsodium's portable code, which made the
// SHA-256 of each photo a fifth of an enrolment's CPU (docs/PERFORMANCE.md, "Insert 100 000 gallery faces").
namespace {

constexpr std::size_t kSha256Bytes = 32;

using DigestContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

// EVP fails only when it cannot allocate its context.
DigestContext startSha256() {
    DigestContext context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) throw std::bad_alloc();
    return context;
}

std::string finishHex(EVP_MD_CTX* context) {
    unsigned char digest[kSha256Bytes];
    if (EVP_DigestFinal_ex(context, digest, nullptr) != 1) throw std::bad_alloc();
    return toHex(std::span(digest, kSha256Bytes));
}

}  // namespace

std::string sha256Hex(std::span<const std::uint8_t> bytes) {
    const DigestContext context = startSha256();
    EVP_DigestUpdate(context.get(), bytes.data(), bytes.size());
    return finishHex(context.get());
}

std::string sha256Hex(std::string_view text) {
    return sha256Hex(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

Result<std::string> sha256FileHex(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return makeError(ErrorCode::IoError, "Cannot read " + file.string());
    const DigestContext context = startSha256();
    std::array<char, 1 << 16> buffer{};
    while (in) {
        in.read(buffer.data(), buffer.size());
        EVP_DigestUpdate(context.get(), buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) return makeError(ErrorCode::IoError, "Read error in " + file.string());
    return finishHex(context.get());
}

}  // namespace facelead
