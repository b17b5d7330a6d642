// The anchors outside the store (core/store/Anchor.h): heads recorded are read back in order, per store.

#include <sodium.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "core/store/Anchor.h"
#include "tests/unit/store/StoreTestSupport.h"

using namespace facelead;

namespace {

std::string freshStoreId() {
    unsigned char bytes[16];
    randombytes_buf(bytes, sizeof bytes);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
    return hex;
}

void recordsAndReadsBack(store::HeadAnchor& anchor) {
    const std::string mine = freshStoreId();
    const std::string other = freshStoreId();
    REQUIRE(anchor.record(mine, {1, std::string(64, 'a')}).ok());
    REQUIRE(anchor.record(other, {7, std::string(64, 'c')}).ok());
    REQUIRE(anchor.record(mine, {2, std::string(64, 'b')}).ok());
    // journald stores what it is sent asynchronously: wait (bounded) until both heads can be read back.
    auto heads = anchor.heads(mine);
    for (int attempt = 0; attempt < 50 && heads.ok() && heads->size() < 2; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        heads = anchor.heads(mine);
    }
    REQUIRE(heads.ok());
    REQUIRE(heads->size() == 2);
    CHECK((*heads)[0].seq == 1);
    CHECK((*heads)[1].seq == 2);
    CHECK((*heads)[1].hash == std::string(64, 'b'));
    CHECK_FALSE((*heads)[1].at.empty());
    CHECK(anchor.heads(freshStoreId())->empty());
}

// journald listens on its socket. A container can carry the socket file of a journald that is gone: sending
// then fails with ECONNREFUSED, which says nothing about the anchor.
bool journaldListens() {
    constexpr char kSocket[] = "/run/systemd/journal/socket";
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, kSocket, sizeof kSocket);
    const bool listens = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return listens;
}

}  // namespace

TEST_CASE("the folder anchor keeps each store's heads, owner-only", "[store][anchor]") {
    test::TempDir dir;
    auto anchor = store::folderAnchor(dir / "anchors");
    recordsAndReadsBack(*anchor);
    for (const auto& file : std::filesystem::directory_iterator(dir / "anchors"))
        CHECK((file.status().permissions() &
               (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) ==
              std::filesystem::perms::none);
}

TEST_CASE("the journal anchor records in and reads back from the systemd journal",
          "[store][anchor][journal]") {
    if (!journaldListens()) {
        WARN("no systemd journal on this machine (containers, CI): the journal anchor is not exercised here");
        return;
    }
    recordsAndReadsBack(*store::journalAnchor());
}

TEST_CASE("an anchor folder named in the environment does not take the heads away from the journal (trial 17A N2)",
          "[store][anchor][journal]") {
    if (!journaldListens()) {
        WARN("no systemd journal on this machine (containers, CI): the journal anchor is not exercised here");
        return;
    }
    test::TempDir dir;
    const char* before = std::getenv("FACELEAD_ANCHOR");
    const std::string saved = before ? before : "";
    ::setenv("FACELEAD_ANCHOR", ("file:" + (dir / "mine").string()).c_str(), 1);
    const std::string storeId = freshStoreId();
    const bool recorded = store::defaultAnchor()->record(storeId, {3, std::string(64, 'd')}).ok();
    if (before) ::setenv("FACELEAD_ANCHOR", saved.c_str(), 1); else ::unsetenv("FACELEAD_ANCHOR");
    REQUIRE(recorded);
    auto logged = store::journalAnchor()->heads(storeId);
    for (int attempt = 0; attempt < 50 && logged.ok() && logged->empty(); ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        logged = store::journalAnchor()->heads(storeId);
    }
    REQUIRE(logged.ok());
    REQUIRE(logged->size() == 1);
    CHECK(logged->front().seq == 3);
}
