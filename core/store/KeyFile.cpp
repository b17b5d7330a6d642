#include "core/store/KeyFile.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/common/Hash.h"

namespace facelead::store {
namespace {

constexpr const char* kFormatName = "facelead-keyfile";
constexpr std::size_t kDatabaseKeyBytes = 32;
constexpr std::size_t kSigningKeyBytes = crypto_sign_SECRETKEYBYTES;
constexpr std::size_t kRecoveryKeyBytes = 32;
constexpr std::size_t kRecoveryGroupSize = 4;
constexpr const char* kBase32Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

// The slot is bound to its user name (and public key): a slot copied under another name does not open.
std::string associatedData(std::string_view username, const std::vector<std::uint8_t>& publicKey) {
    if (publicKey.empty()) return std::string("facelead-keyslot-v1:") + std::string(username);
    return std::string("facelead-keyslot-v2:") + std::string(username) + ":" + toHex(publicKey);
}

// Tells accidental damage from a wrong password: a slot whose checksum fails is damaged, and a wrong
// password is only ever concluded for a slot that is whole. Not a defence against a forger (who can
// recompute it); the AEAD tag is.
std::string slotChecksum(const KeySlot& slot) {
    const std::string text = slot.username + '\n' + std::to_string(slot.kdf.opsLimit) + '\n' +
                             std::to_string(slot.kdf.memLimitBytes) + '\n' + toHex(slot.salt) + '\n' +
                             toHex(slot.nonce) + '\n' + toHex(slot.wrappedKey) + '\n' +
                             toHex(slot.publicKey) + '\n' + toHex(slot.sealedKey);
    std::vector<std::uint8_t> digest(crypto_generichash_BYTES);
    crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(text.data()),
                       text.size(), nullptr, 0);
    return toHex(digest);
}

std::size_t payloadBytes(const KeySlot& slot) {
    return kDatabaseKeyBytes + (slot.publicKey.empty() ? 0 : kSigningKeyBytes);
}

nlohmann::json slotToJson(const KeySlot& slot) {
    if (slot.damaged)  // a missing recovery slot stays missing
        return slot.damagedAsRead.empty() ? nlohmann::json() : nlohmann::json::parse(slot.damagedAsRead);
    nlohmann::json j;
    j["username"] = slot.username;
    j["kdf"] = "argon2id13";
    j["opslimit"] = slot.kdf.opsLimit;
    j["memlimit"] = slot.kdf.memLimitBytes;
    j["salt"] = toHex(slot.salt);
    j["aead"] = "xchacha20poly1305-ietf";
    j["nonce"] = toHex(slot.nonce);
    j["wrapped_key"] = toHex(slot.wrappedKey);
    if (!slot.publicKey.empty()) j["public_key"] = toHex(slot.publicKey);
    if (!slot.sealedKey.empty()) j["sealed_key"] = toHex(slot.sealedKey);
    j["check"] = slotChecksum(slot);
    j["failed_attempts"] = slot.failedAttempts;
    j["locked_until"] = slot.lockedUntil ? nlohmann::json(toIsoUtc(*slot.lockedUntil)) : nlohmann::json();
    return j;
}

// Reads the fields of a slot; false when one is missing or malformed.
bool slotFieldsFromJson(const nlohmann::json& j, KeySlot& slot) {
    if (!j.is_object() || j.value("kdf", "") != "argon2id13" || j.value("aead", "") != "xchacha20poly1305-ietf")
        return false;
    slot.kdf.opsLimit = j.at("opslimit").get<std::uint64_t>();
    slot.kdf.memLimitBytes = j.at("memlimit").get<std::uint64_t>();
    slot.failedAttempts = j.value("failed_attempts", 0);
    if (!fromHex(j.at("salt").get<std::string>(), slot.salt) || slot.salt.size() != crypto_pwhash_SALTBYTES)
        return false;
    if (!fromHex(j.at("nonce").get<std::string>(), slot.nonce) ||
        slot.nonce.size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
        return false;
    if (j.contains("public_key") && (!fromHex(j.at("public_key").get<std::string>(), slot.publicKey) ||
                                     slot.publicKey.size() != crypto_sign_PUBLICKEYBYTES))
        return false;
    if (!fromHex(j.at("wrapped_key").get<std::string>(), slot.wrappedKey) ||
        slot.wrappedKey.size() != payloadBytes(slot) + crypto_aead_xchacha20poly1305_ietf_ABYTES)
        return false;
    if (j.contains("sealed_key") && (!fromHex(j.at("sealed_key").get<std::string>(), slot.sealedKey) ||
                                     slot.sealedKey.size() != kDatabaseKeyBytes + crypto_box_SEALBYTES))
        return false;
    if (j.contains("check") && j.at("check").get<std::string>() != slotChecksum(slot)) return false;
    if (!slot.kdf.isReasonable()) return false;
    if (j.contains("locked_until") && !j["locked_until"].is_null()) {
        TimePoint until;
        if (!fromIsoUtc(j["locked_until"].get<std::string>(), until)) return false;
        slot.lockedUntil = until;
    }
    return true;
}

// A slot whose fields are damaged is kept, marked damaged, as long as its user name can be read: that
// user is told "damaged key file" and everyone else still signs in.
bool slotFromJson(const nlohmann::json& j, KeySlot& slot) {
    if (!j.is_object() || !j.contains("username") || !j.at("username").is_string()) return false;
    slot.username = j.at("username").get<std::string>();
    try {
        slot.damaged = !slotFieldsFromJson(j, slot);
    } catch (const std::exception&) {
        slot.damaged = true;
    }
    if (slot.damaged) slot.damagedAsRead = j.dump();
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

bool KdfParams::isReasonable() const {
    constexpr std::uint64_t kMaxOps = 4 * crypto_pwhash_OPSLIMIT_SENSITIVE;
    constexpr std::uint64_t kMaxMemBytes = std::uint64_t(1) << 30;
    return opsLimit >= crypto_pwhash_OPSLIMIT_MIN && opsLimit <= kMaxOps &&
           memLimitBytes >= crypto_pwhash_MEMLIMIT_MIN && memLimitBytes <= kMaxMemBytes;
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
        // A missing or unreadable recovery slot locks nobody out: it only re-affirms the accounts, and every program
        // administrator's sign-in says it is damaged (trial 14A: one removed member locked every user out).
        const auto recovery = json.find("recovery");
        if (recovery == json.end() || !slotFromJson(*recovery, file.recoverySlot)) {
            file.recoverySlot = {};
            file.recoverySlot.damaged = true;
        }
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

Result<ExclusiveLock> ExclusiveLock::acquire(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return ioError(path, "lock");
    while (::flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            ::close(fd);
            return ioError(path, "lock");
        }
    }
    return ExclusiveLock(fd);
}

ExclusiveLock::~ExclusiveLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
}

Result<void> updateKeyFile(const std::filesystem::path& keyFile, const std::function<void(KeyFile&)>& change) {
    auto locked = ExclusiveLock::acquire(keyFile.string() + ".lock");
    if (!locked) return locked.error();
    auto file = loadKeyFile(keyFile);
    if (!file) return file.error();
    change(*file);
    return saveKeyFile(keyFile, *file);
}

SecureBytes generateDatabaseKey() {
    SecureBytes key(kDatabaseKeyBytes);
    randombytes_buf(key.data(), key.size());
    return key;
}

SecureBytes generateSigningKey() {
    SecureBytes secretKey(kSigningKeyBytes);
    std::vector<std::uint8_t> publicKey(crypto_sign_PUBLICKEYBYTES);
    crypto_sign_keypair(publicKey.data(), secretKey.data());
    return secretKey;
}

std::vector<std::uint8_t> publicKeyOf(const SecureBytes& signingKey) {
    std::vector<std::uint8_t> publicKey(crypto_sign_PUBLICKEYBYTES);
    if (signingKey.size() == kSigningKeyBytes)
        crypto_sign_ed25519_sk_to_pk(publicKey.data(), signingKey.data());
    return publicKey;
}

Result<KeySlot> wrapSlot(const SecureBytes& databaseKey, const SecureBytes& signingKey,
                         std::string_view username, std::string_view secret, KdfParams kdf) {
    if (databaseKey.size() != kDatabaseKeyBytes || signingKey.size() != kSigningKeyBytes)
        return makeError(ErrorCode::Internal, "The database or signing key has the wrong size.");
    if (sodium_init() < 0) return makeError(ErrorCode::Internal, "The cryptography library failed to start.");
    KeySlot slot;
    slot.username = std::string(username);
    slot.kdf = kdf;
    slot.publicKey = publicKeyOf(signingKey);
    slot.salt.resize(crypto_pwhash_SALTBYTES);
    randombytes_buf(slot.salt.data(), slot.salt.size());
    slot.nonce.resize(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    randombytes_buf(slot.nonce.data(), slot.nonce.size());
    auto kek = deriveWrappingKey(secret, slot);
    if (!kek) return kek.error();
    SecureBytes payload(kDatabaseKeyBytes + kSigningKeyBytes);
    std::copy_n(databaseKey.data(), kDatabaseKeyBytes, payload.data());
    std::copy_n(signingKey.data(), kSigningKeyBytes, payload.data() + kDatabaseKeyBytes);
    slot.wrappedKey.resize(payload.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    const std::string ad = associatedData(username, slot.publicKey);
    unsigned long long wrappedSize = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(slot.wrappedKey.data(), &wrappedSize, payload.data(),
                                               payload.size(),
                                               reinterpret_cast<const unsigned char*>(ad.data()), ad.size(),
                                               nullptr, slot.nonce.data(), kek->data());
    slot.wrappedKey.resize(wrappedSize);
    return slot;
}

Result<SlotSecrets> unwrapSlot(const KeySlot& slot, std::string_view secret) {
    if (slot.damaged && slot.username.empty())  // the recovery slot: no password reset gives it back
        return makeError(ErrorCode::KeyFileCorrupt,
                         "The recovery slot in the key file is damaged (this is not a wrong recovery key). Restore "
                         "the key file from its backup: its recovery slot opens with the recovery key printed at store init.");
    if (slot.damaged)
        return makeError(
            ErrorCode::KeyFileCorrupt,
            "The key slot of '" + slot.username +
                "' in the key file is damaged (this is not a wrong password). Restore the key file "
                "from its backup, or ask a program administrator to reset the password.");
    auto kek = deriveWrappingKey(secret, slot);
    if (!kek) return kek.error();
    SecureBytes payload(payloadBytes(slot));
    const std::string ad = associatedData(slot.username, slot.publicKey);
    unsigned long long payloadSize = 0;
    if (slot.wrappedKey.size() != payload.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES ||
        crypto_aead_xchacha20poly1305_ietf_decrypt(payload.data(), &payloadSize, nullptr,
                                                   slot.wrappedKey.data(), slot.wrappedKey.size(),
                                                   reinterpret_cast<const unsigned char*>(ad.data()),
                                                   ad.size(), slot.nonce.data(), kek->data()) != 0)
        return makeError(ErrorCode::WrongCredentials, "Wrong user name or password.");
    SlotSecrets secrets{SecureBytes(kDatabaseKeyBytes), SecureBytes(), SecureBytes()};
    std::copy_n(payload.data(), kDatabaseKeyBytes, secrets.databaseKey.data());
    if (!slot.publicKey.empty()) {
        secrets.signingKey = SecureBytes(kSigningKeyBytes);
        std::copy_n(payload.data() + kDatabaseKeyBytes, kSigningKeyBytes, secrets.signingKey.data());
    }
    secrets.rotatedKey = openSealedKey(slot, secrets.signingKey);
    return secrets;
}

SecureBytes openSealedKey(const KeySlot& slot, const SecureBytes& signingKey) {
    if (slot.sealedKey.empty() || signingKey.size() != crypto_sign_SECRETKEYBYTES ||
        slot.publicKey.size() != crypto_sign_PUBLICKEYBYTES)
        return {};
    SecureBytes boxSecret(crypto_box_SECRETKEYBYTES);
    std::uint8_t boxPublic[crypto_box_PUBLICKEYBYTES];
    SecureBytes rotated(kDatabaseKeyBytes);
    if (slot.sealedKey.size() != kDatabaseKeyBytes + crypto_box_SEALBYTES ||
        crypto_sign_ed25519_sk_to_curve25519(boxSecret.data(), signingKey.data()) != 0 ||
        crypto_sign_ed25519_pk_to_curve25519(boxPublic, slot.publicKey.data()) != 0 ||
        crypto_box_seal_open(rotated.data(), slot.sealedKey.data(), slot.sealedKey.size(), boxPublic,
                             boxSecret.data()) != 0)
        return {};
    return rotated;
}

std::vector<std::uint8_t> sealDatabaseKey(const SecureBytes& databaseKey,
                                          const std::vector<std::uint8_t>& publicKey) {
    std::uint8_t boxPublic[crypto_box_PUBLICKEYBYTES];
    if (publicKey.size() != crypto_sign_PUBLICKEYBYTES ||
        crypto_sign_ed25519_pk_to_curve25519(boxPublic, publicKey.data()) != 0)
        return {};
    std::vector<std::uint8_t> sealed(databaseKey.size() + crypto_box_SEALBYTES);
    crypto_box_seal(sealed.data(), databaseKey.data(), databaseKey.size(), boxPublic);
    return sealed;
}

Result<SecureBytes> unwrapDatabaseKey(const KeySlot& slot, std::string_view secret) {
    auto secrets = unwrapSlot(slot, secret);
    if (!secrets) return secrets.error();
    return std::move(secrets->databaseKey);
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
