// The anchors outside the store (core/store/Anchor.h): heads recorded are read back in order, per store.

#include <sodium.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <algorithm>
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

// The heads `anchor` holds for the store once journald has stored `count` of them (it stores asynchronously).
std::vector<store::AnchoredHead> headsOnceLogged(store::HeadAnchor& anchor, const std::string& storeId,
                                                 std::size_t count) {
    auto heads = anchor.heads(storeId);
    for (int attempt = 0; attempt < 50 && heads.ok() && heads->size() < count; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        heads = anchor.heads(storeId);
    }
    REQUIRE(heads.ok());
    return *heads;
}

void recordsAndReadsBack(store::HeadAnchor& anchor) {
    const std::string mine = freshStoreId();
    const std::string other = freshStoreId();
    REQUIRE(anchor.record(mine, {1, std::string(64, 'a')}).ok());
    REQUIRE(anchor.record(other, {7, std::string(64, 'c')}).ok());
    // Every field a head carries comes back, a store file's path with spaces and '%' in it too.
    const store::AnchoredHead second{.seq = 2,
                                     .hash = std::string(64, 'b'),
                                     .at = {},
                                     .entryAt = "2026-12-05T01:02:03.004Z",
                                     .accounts = R"({"bob":{"status":"active"}})",
                                     .settings = R"({"admin.agency_name":"Dade 100% PD","admin.password_min_length":"14"})",
                                     .file = "/srv/case store/100% kept/agency.store",
                                     .baseSeq = 1,
                                     .baseHash = std::string(64, 'a')};
    REQUIRE(anchor.record(mine, second).ok());
    const auto heads = headsOnceLogged(anchor, mine, 2);
    REQUIRE(heads.size() == 2);
    CHECK(heads[0].seq == 1);
    CHECK(heads[0].file.empty());
    CHECK(heads[0].baseHash.empty());
    CHECK(heads[1].seq == 2);
    CHECK(heads[1].hash == second.hash);
    CHECK(heads[1].entryAt == second.entryAt);
    CHECK(heads[1].accounts == second.accounts);
    CHECK(heads[1].settings == second.settings);
    CHECK(heads[1].file == second.file);
    CHECK(heads[1].baseSeq == 1);
    CHECK(heads[1].baseHash == second.baseHash);
    CHECK_FALSE(heads[1].at.empty());
    CHECK(anchor.heads(freshStoreId())->empty());
    // A head that changed settings alone is a witness too (trial 66 F3).
    REQUIRE(anchor.record(mine, {.seq = 3, .hash = std::string(64, 'e'), .settings = R"({"admin.licence_seats":"5"})"})
                .ok());
    const auto witnesses = headsOnceLogged(anchor, mine, 3);
    REQUIRE(witnesses.size() == 3);
    const auto onlyWitnesses = anchor.heads(mine, /*witnessesOnly=*/true);
    REQUIRE(onlyWitnesses.ok());
    REQUIRE(onlyWitnesses->size() == 2);
    CHECK(onlyWitnesses->back().settings == R"({"admin.licence_seats":"5"})");
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

// FACELEAD_ANCHOR set for the object's lifetime, as a desktop user sets it.
class AnchorVariable {
public:
    explicit AnchorVariable(const std::string& value) {
        if (const char* before = std::getenv("FACELEAD_ANCHOR")) saved_ = before;
        ::setenv("FACELEAD_ANCHOR", value.c_str(), 1);
    }
    ~AnchorVariable() {
        if (saved_) ::setenv("FACELEAD_ANCHOR", saved_->c_str(), 1); else ::unsetenv("FACELEAD_ANCHOR");
    }
    AnchorVariable(const AnchorVariable&) = delete;
    AnchorVariable& operator=(const AnchorVariable&) = delete;

private:
    std::optional<std::string> saved_;
};

// journaldListens(), saying so when not: a test of the journal anchor then has nothing to exercise.
bool journalHere() {
    if (journaldListens()) return true;
    WARN("no systemd journal on this machine (containers, CI): the journal anchor is not exercised here");
    return false;
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
    if (!journalHere()) return;
    recordsAndReadsBack(*store::journalAnchor());
}

TEST_CASE("an anchor folder named in the environment does not take the heads away from the journal (trial 17A N2)",
          "[store][anchor][journal]") {
    if (!journalHere()) return;
    test::TempDir dir;
    const std::string storeId = freshStoreId();
    {
        AnchorVariable mine("file:" + (dir / "mine").string());
        REQUIRE(store::defaultAnchor()->record(storeId, {3, std::string(64, 'd')}).ok());
    }
    const auto logged = headsOnceLogged(*store::journalAnchor(), storeId, 1);
    REQUIRE(logged.size() == 1);
    CHECK(logged.front().seq == 3);
}

TEST_CASE("an account state forged into a writable anchor folder witnesses nothing where the journal is kept "
          "(trial 17A N8)", "[store][anchor][journal]") {
    if (!journalHere()) return;
    test::TempDir dir;
    const std::string storeId = freshStoreId();
    AnchorVariable mine("file:" + (dir / "mine").string());
    const std::string accounts = R"({"chief":{"roles":"program_administrator","status":"active"}})";
    REQUIRE(store::defaultAnchor()->record(storeId, {3, std::string(64, 'd'), "", "", accounts}).ok());
    const std::string forged = R"({"chief":{"roles":"","status":"suspended"}})";
    REQUIRE(store::folderAnchor(dir / "mine")->record(storeId, {4, std::string(64, 'e'), "", "", forged}).ok());

    REQUIRE(headsOnceLogged(*store::journalAnchor(), storeId, 1).size() == 1);
    const auto witnesses = store::defaultAnchor()->heads(storeId, /*witnessesOnly=*/true);
    REQUIRE(witnesses.ok());
    REQUIRE(witnesses->size() == 1);  // the journal's, not the folder's two lines
    CHECK(witnesses->front().accounts == accounts);
    const auto heads = store::defaultAnchor()->heads(storeId);
    REQUIRE(heads.ok());
    CHECK(heads->size() == 3);  // the folder's two and the journal's one still count for the chain's length
    CHECK(std::none_of(heads->begin(), heads->end(),
                       [&](const store::AnchoredHead& head) { return head.accounts == forged; }));
}

TEST_CASE("an anchor folder that cannot be used does not stop the journal's heads (trial 18A F1)",
          "[store][anchor][journal]") {
    if (!journalHere()) return;
    test::TempDir dir;
    std::ofstream(dir / "not-a-folder") << "x";
    const std::string storeId = freshStoreId();
    AnchorVariable unusable("file:" + (dir / "not-a-folder").string());
    CHECK(store::defaultAnchor()->record(storeId, {5, std::string(64, 'a')}).ok());  // the journal took it
    REQUIRE(headsOnceLogged(*store::journalAnchor(), storeId, 1).size() == 1);
    const auto heads = store::defaultAnchor()->heads(storeId);
    REQUIRE(heads.ok());  // the folder cannot be read; the journal's heads still are
    REQUIRE(heads->size() == 1);
    CHECK(heads->front().seq == 5);
}
