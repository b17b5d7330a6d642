#include "core/store/KeyFile.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <sodium.h>

namespace facelead::store {
namespace {

constexpr const char* kFormatName = "facelead-keyfile";
constexpr std::size_t kDatabaseKeyBytes = 32;
constexpr std::size_t kRecoveryKeyBytes = 32;
constexpr std::size_t kRecoveryGroupSize = 4;
constexpr const char* kBase32Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

std::string toHex(const std::vector<std::uint8_t>& bytes) {
    std::string hex(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
    hex.pop_back();
    return hex;
}

bool fromHex(const std::string& hex, std::vector<std::uint8_t>& out) {
    out.assign(hex.size() / 2, 0);
    std::size_t written = 0;
    if (sodium_hex2bin(out.data(), out.size(), hex.c_str(), hex.size(), nullptr, &written, nullptr) != 0)
        return false;
    out.resize(written);
    return written * 2 == hex.size();
}

// The slot is bound to its user name: a slot copied under another name does not open.
std::string associatedData(std::string_view username) {
    return std::string("facelead-keyslot-v1:") + std::string(username);
}

nlohmann::json slotToJson(const KeySlot& slot) {
    nlohmann::json j;
    j["username"] = slot.username;
    j["kdf"] = "argon2id13";
    j["opslimit"] = slot.kdf.opsLimit;
    j["memlimit"] = slot.kdf.memLimitBytes;
    j["salt"] = toHex(slot.salt);
    j["aead"] = "xchacha20poly1305-ietf";
    j["nonce"] = toHex(slot.nonce);
    j["wrapped_key"] = toHex(slot.wrappedKey);
    j["failed_attempts"] = slot.failedAttempts;
    j["locked_until"] = slot.lockedUntil ? nlohmann::json(toIsoUtc(*slot.lockedUntil)) : nlohmann::json();
    return j;
}

bool slotFromJson(const nlohmann::json& j, KeySlot& slot) {
    if (!j.is_object() || j.value("kdf", "") != "argon2id13" || j.value("aead", "") != "xchacha20poly1305-ietf")
        return false;
    slot.username = j.at("username").get<std::string>();
    slot.kdf.opsLimit = j.at("opslimit").get<std::uint64_t>();
    slot.kdf.memLimitBytes = j.at("memlimit").get<std::uint64_t>();
    slot.failedAttempts = j.value("failed_attempts", 0);
    if (!fromHex(j.at("salt").get<std::string>(), slot.salt) || slot.salt.size() != crypto_pwhash_SALTBYTES)
        return false;
    if (!fromHex(j.at("nonce").get<std::string>(), slot.nonce) ||
        slot.nonce.size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
        return false;
    if (!fromHex(j.at("wrapped_key").get<std::string>(), slot.wrappedKey) ||
        slot.wrappedKey.size() != kDatabaseKeyBytes + crypto_aead_xchacha20poly1305_ietf_ABYTES)
        return false;
    if (j.contains("locked_until") && !j["locked_until"].is_null()) {
        TimePoint until;
        if (!fromIsoUtc(j["locked_until"].get<std::string>(), until)) return false;
        slot.lockedUntil = until;
    }
    return true;
}

Error ioError(const std::filesystem::path& file, const std::string& what) {
    return makeError(ErrorCode::IoError, "Could not " + what + " the key file " + file.string() + ": " +
                                             std::strerror(errno) + ". Check the disk and folder permissions.");
}

Result<void> writeAll(int fd, const std::string& text, const std::filesystem::path& file) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return ioError(file, "write");
        }
        done += static_cast<std::size_t>(n);
    }
    return {};
}

Result<SecureBytes> deriveWrappingKey(std::string_view secret, const KeySlot& slot) {
    SecureBytes kek(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
    if (crypto_pwhash(kek.data(), kek.size(), secret.data(), secret.size(), slot.salt.data(), slot.kdf.opsLimit,
                      static_cast<std::size_t>(slot.kdf.memLimitBytes), crypto_pwhash_ALG_ARGON2ID13) != 0)
        return makeError(ErrorCode::Internal,
                         "Not enough memory to derive the key. Close other programs and try again.");
    return kek;
}

}  // namespace

bool isValidCipherPageSize(int bytes) { return bytes >= 512 && bytes <= 65536 && (bytes & (bytes - 1)) == 0; }

KdfParams KdfParams::interactive() {
    return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

KdfParams KdfParams::minimum() {
    return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

KeySlot* KeyFile::findSlot(std::string_view username) {
    auto it = std::find_if(userSlots.begin(), userSlots.end(),
                           [&](const KeySlot& slot) { return slot.username == username; });
    return it == userSlots.end() ? nullptr : &*it;
}

const KeySlot* KeyFile::findSlot(std::string_view username) const {
    return const_cast<KeyFile*>(this)->findSlot(username);
}

std::filesystem::path keyFilePath(const std::filesystem::path& storePath) {
    return std::filesystem::path(storePath.string() + ".keys");
}

Result<KeyFile> loadKeyFile(const std::filesystem::path& keyFile) {
    std::error_code ec;
    if (!std::filesystem::exists(keyFile, ec))
        return makeError(ErrorCode::KeyFileMissing,
                         "The key file " + keyFile.string() +
                             " is missing. The store cannot be opened without it: restore it from the backup "
                             "made together with the store.");
    std::ifstream in(keyFile, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (!in.good() && !in.eof()) return ioError(keyFile, "read");
    const Error corrupt = makeError(ErrorCode::KeyFileCorrupt,
                                    "The key file " + keyFile.string() +
                                        " is damaged or of an unknown kind. Restore it from the backup made "
                                        "together with the store.");
    const auto json = nlohmann::json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object() || json.value("format", "") != kFormatName) return corrupt;
    try {
        KeyFile file;
        file.version = json.at("version").get<int>();
        if (file.version < 1 || file.version > KeyFile::kCurrentVersion) return corrupt;
        if (file.version >= 2 && !json.contains("cipher_page_size")) return corrupt;
        file.cipherPageSize = json.value("cipher_page_size", KeyFile::kLegacyCipherPageSize);
        if (!isValidCipherPageSize(file.cipherPageSize)) return corrupt;
        if (!slotFromJson(json.at("recovery"), file.recoverySlot)) return corrupt;
        for (const auto& slotJson : json.at("slots")) {
            KeySlot slot;
            if (!slotFromJson(slotJson, slot)) return corrupt;
            file.userSlots.push_back(std::move(slot));
        }
        for (const auto& eventJson : json.value("pending_events", nlohmann::json::array())) {
            PendingEvent event;
            if (!fromIsoUtc(eventJson.at("at").get<std::string>(), event.at)) return corrupt;
            event.username = eventJson.at("username").get<std::string>();
            event.action = eventJson.at("action").get<std::string>();
            event.detailsJson = eventJson.at("details").dump();
            file.pendingEvents.push_back(std::move(event));
        }
        for (const auto& name : json.value("deactivated", nlohmann::json::array()))
            file.deactivatedUsernames.push_back(name.get<std::string>());
        if (const auto rule = json.find("lockout"); rule != json.end()) {
            file.lockoutMaxAttempts = rule->at("max_attempts").get<int>();
            file.lockoutMinutes = rule->at("minutes").get<int>();
            if (*file.lockoutMaxAttempts < 1 || *file.lockoutMinutes < 1) return corrupt;
        }
        return file;
    } catch (const std::exception&) {
        return corrupt;
    }
}

Result<void> saveKeyFile(const std::filesystem::path& keyFile, const KeyFile& contents) {
    nlohmann::json json;
    json["format"] = kFormatName;
    json["version"] = KeyFile::kCurrentVersion;  // an older file is upgraded by the first write
    json["cipher_page_size"] = contents.cipherPageSize;
    json["recovery"] = slotToJson(contents.recoverySlot);
    json["slots"] = nlohmann::json::array();
    for (const auto& slot : contents.userSlots) json["slots"].push_back(slotToJson(slot));
    json["pending_events"] = nlohmann::json::array();
    for (const auto& event : contents.pendingEvents) {
        json["pending_events"].push_back({{"at", toIsoUtc(event.at)},
                                          {"username", event.username},
                                          {"action", event.action},
                                          {"details", nlohmann::json::parse(event.detailsJson, nullptr, false)}});
    }
    json["deactivated"] = contents.deactivatedUsernames;
    if (contents.lockoutMaxAttempts && contents.lockoutMinutes)
        json["lockout"] = {{"max_attempts", *contents.lockoutMaxAttempts}, {"minutes", *contents.lockoutMinutes}};
    const std::string text = json.dump(2) + "\n";

    const std::filesystem::path temp = keyFile.string() + ".tmp";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return ioError(temp, "create");
    auto written = writeAll(fd, text, temp);
    if (written && ::fsync(fd) != 0) written = ioError(temp, "flush");
    ::close(fd);
    if (!written) {
        std::filesystem::remove(temp);
        return written;
    }
    if (::rename(temp.c_str(), keyFile.c_str()) != 0) {
        auto failed = ioError(keyFile, "replace");
        std::filesystem::remove(temp);
        return failed;
    }
    // The rename itself must reach the disk, or a crash could bring back the old file.
    const auto folder = keyFile.has_parent_path() ? keyFile.parent_path() : std::filesystem::path(".");
    const int dirFd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    return {};
}

Result<void> updateKeyFile(const std::filesystem::path& keyFile, const std::function<void(KeyFile&)>& change) {
    const std::filesystem::path lockPath = keyFile.string() + ".lock";
    const int fd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return ioError(lockPath, "lock");
    while (::flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            ::close(fd);
            return ioError(lockPath, "lock");
        }
    }
    auto file = loadKeyFile(keyFile);
    Result<void> saved;
    if (!file) {
        saved = file.error();
    } else {
        change(*file);
        saved = saveKeyFile(keyFile, *file);
    }
    ::close(fd);  // releases the lock
    return saved;
}

SecureBytes generateDatabaseKey() {
    SecureBytes key(kDatabaseKeyBytes);
    randombytes_buf(key.data(), key.size());
    return key;
}

Result<KeySlot> wrapDatabaseKey(const SecureBytes& databaseKey, std::string_view username, std::string_view secret,
                                KdfParams kdf) {
    if (databaseKey.size() != kDatabaseKeyBytes)
        return makeError(ErrorCode::Internal, "The database key has the wrong size.");
    if (sodium_init() < 0) return makeError(ErrorCode::Internal, "The cryptography library failed to start.");
    KeySlot slot;
    slot.username = std::string(username);
    slot.kdf = kdf;
    slot.salt.resize(crypto_pwhash_SALTBYTES);
    randombytes_buf(slot.salt.data(), slot.salt.size());
    slot.nonce.resize(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    randombytes_buf(slot.nonce.data(), slot.nonce.size());
    auto kek = deriveWrappingKey(secret, slot);
    if (!kek) return kek.error();
    slot.wrappedKey.resize(databaseKey.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    const std::string ad = associatedData(username);
    unsigned long long wrappedSize = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(slot.wrappedKey.data(), &wrappedSize, databaseKey.data(),
                                               databaseKey.size(), reinterpret_cast<const unsigned char*>(ad.data()),
                                               ad.size(), nullptr, slot.nonce.data(), kek->data());
    slot.wrappedKey.resize(wrappedSize);
    return slot;
}

Result<SecureBytes> unwrapDatabaseKey(const KeySlot& slot, std::string_view secret) {
    auto kek = deriveWrappingKey(secret, slot);
    if (!kek) return kek.error();
    SecureBytes key(kDatabaseKeyBytes);
    const std::string ad = associatedData(slot.username);
    unsigned long long keySize = 0;
    if (slot.wrappedKey.size() != kDatabaseKeyBytes + crypto_aead_xchacha20poly1305_ietf_ABYTES ||
        crypto_aead_xchacha20poly1305_ietf_decrypt(key.data(), &keySize, nullptr, slot.wrappedKey.data(),
                                                   slot.wrappedKey.size(),
                                                   reinterpret_cast<const unsigned char*>(ad.data()), ad.size(),
                                                   slot.nonce.data(), kek->data()) != 0)
        return makeError(ErrorCode::WrongCredentials, "Wrong user name or password.");
    return key;
}

std::string generateRecoveryKey() {
    SecureBytes raw(kRecoveryKeyBytes);
    randombytes_buf(raw.data(), raw.size());
    std::string text;
    unsigned buffer = 0;
    int bits = 0;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        buffer = (buffer << 8) | raw.data()[i];
        bits += 8;
        while (bits >= 5) {
            text += kBase32Alphabet[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0) text += kBase32Alphabet[(buffer << (5 - bits)) & 31];
    std::string grouped;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i > 0 && i % kRecoveryGroupSize == 0) grouped += '-';
        grouped += text[i];
    }
    sodium_memzero(text.data(), text.size());
    return grouped;
}

std::string normaliseRecoveryKey(std::string_view typed) {
    std::string key;
    for (const char c : typed) {
        if (c == '-' || std::isspace(static_cast<unsigned char>(c))) continue;
        const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!key.empty() && key.size() % (kRecoveryGroupSize + 1) == kRecoveryGroupSize) key += '-';
        key += lower;
    }
    return key;
}

}  // namespace facelead::store
