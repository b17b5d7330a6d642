// The hash-chained audit log (SOP 302.02 VI.C.2): one event per successful change, none for a failed one,
// tampering found and named, exports that can be re-verified.

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <functional>
#include <memory>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/accounts/AccountService.h"
#include "core/audit/AuditLog.h"
#include "core/common/Hash.h"
#include "core/audit/SignedRecords.h"
#include "core/store/Anchor.h"
#include "tests/unit/store/StoreTestSupport.h"

using namespace facelead;
using audit::AuditLog;

namespace {

std::int64_t entryCount(store::Store& store) { return static_cast<std::int64_t>(AuditLog::list(store)->size()); }

Result<std::int64_t> createCase(store::Transaction& tx, std::int64_t userId, const std::string& number) {
    auto insert = tx.prepare("INSERT INTO cases(case_number, created_by, created_at) VALUES (?, ?, ?)");
    if (!insert) return insert.error();
    FACELEAD_TRY(insert->bind(1, number).bind(2, userId).bind(3, toIsoUtc(tx.now())).run());
    const auto id = tx.lastInsertId();
    FACELEAD_TRY(AuditLog::append(tx, {userId, "case.created", "case", std::to_string(id),
                                       nlohmann::json{{"case_number", number}}.dump()}));
    return id;
}

// Tampering as an attacker with the key would: a raw connection, triggers dropped.
void tamper(store::Store& store, const std::string& sql) {
    const std::string script = "DROP TRIGGER audit_log_append_only_update; DROP TRIGGER audit_log_append_only_delete; " +
                               sql;
    REQUIRE(sqlite3_exec(store.rawConnectionForTests(), script.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
}

}  // namespace

TEST_CASE("a successful change leaves exactly one event, a failed one none", "[audit]") {
    test::StoreFixture fixture;
    auto& store = fixture.session->store();
    const auto userId = fixture.session->userId();
    const auto before = entryCount(store);

    auto failed = store.transact([&](store::Transaction& tx) -> Result<void> {
        FACELEAD_TRY(createCase(tx, userId, "FAIL-1"));
        return makeError(ErrorCode::PolicyViolation, "refused by a later rule");
    });
    REQUIRE_FALSE(failed.ok());
    CHECK(entryCount(store) == before);

    auto done = store.transact([&](store::Transaction& tx) { return createCase(tx, userId, "OK-1"); });
    REQUIRE(done.ok());
    auto entries = AuditLog::list(store, {.afterSeq = 0, .limit = 0});
    REQUIRE(entries.ok());
    REQUIRE(static_cast<std::int64_t>(entries->size()) == before + 1);
    const auto& last = entries->back();
    CHECK(last.action == "case.created");
    CHECK(last.objectId == std::to_string(*done));
    CHECK(last.username == "admin");
    CHECK(last.userId == userId);
    CHECK(last.at == toIsoUtc(fixture.clock->now()));
    CHECK(last.detailsJson == R"({"case_number":"OK-1"})");
    CHECK(last.prevHash == (*entries)[entries->size() - 2].hash);
    CHECK(last.hash == AuditLog::computeHash(last));
}

TEST_CASE("append refuses events without an action or with details that are not a JSON object", "[audit]") {
    test::StoreFixture fixture;
    auto& store = fixture.session->store();
    auto noAction = store.transact([&](store::Transaction& tx) { return AuditLog::append(tx, {1, "", "case", "1"}); });
    CHECK(noAction.error().code == ErrorCode::InvalidArgument);
    auto badDetails = store.transact(
        [&](store::Transaction& tx) { return AuditLog::append(tx, {1, "case.created", "case", "1", "[1,2"}); });
    CHECK(badDetails.error().code == ErrorCode::InvalidArgument);
    auto arrayDetails = store.transact(
        [&](store::Transaction& tx) { return AuditLog::append(tx, {1, "case.created", "case", "1", "[1,2]"}); });
    CHECK(arrayDetails.error().code == ErrorCode::InvalidArgument);
}

TEST_CASE("the audit log refuses UPDATE and DELETE", "[audit]") {
    test::StoreFixture fixture;
    auto& store = fixture.session->store();
    auto update = store.transact([&](store::Transaction& tx) { return tx.exec("UPDATE audit_log SET action = 'x'"); });
    CHECK(update.error().code == ErrorCode::IntegrityViolation);
    auto remove = store.transact([&](store::Transaction& tx) { return tx.exec("DELETE FROM audit_log"); });
    CHECK(remove.error().code == ErrorCode::IntegrityViolation);
}

TEST_CASE("A row digest is the SHA-256 of the cells as nlohmann::json writes them, whatever the text (issue 8)",
          "[audit]") {
    // Every signed digest in every store was made that way: the shortcut for plain text must give the same bytes.
    test::StoreFixture fixture;
    auto& store = fixture.session->store();
    REQUIRE(sqlite3_exec(store.rawConnectionForTests(),
                         "CREATE TABLE cells(id INTEGER PRIMARY KEY, a, b, c, d, e, f, g, h, i);"
                         "INSERT INTO cells VALUES(1, hex(randomblob(512)), NULL, 'say \"hi\"', 'C:\\dir', "
                         "'line' || char(10) || char(1) || 'x', 'del' || char(127), 'caf' || char(233), "
                         "CAST(X'FF41' AS TEXT), 42)",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    auto read = store.prepare("SELECT a, b, c, d, e, f, g, h, i FROM cells WHERE id = 1");
    REQUIRE(read);
    REQUIRE(*read->step());
    nlohmann::json cells = nlohmann::json::array();
    for (int column = 0; column < 9; ++column) {
        const auto text = read->getOptionalText(column);
        cells.push_back(text ? nlohmann::json(*text) : nlohmann::json());
    }
    read->reset();
    const std::string expected = sha256Hex(cells.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    CHECK(audit::rowDigest(store, "cells", "a, b, c, d, e, f, g, h, i", 1).value() == expected);
    auto digests = audit::RowDigests::prepare(store, "cells", "a, b, c, d, e, f, g, h, i");
    REQUIRE(digests);
    CHECK(digests->of(1).value() == expected);
    CHECK(digests->of(2).error().code == ErrorCode::NotFound);
}

TEST_CASE("verify names the first tampered entry", "[audit][tamper]") {
    test::StoreFixture fixture;
    auto& store = fixture.session->store();
    const auto userId = fixture.session->userId();
    for (int i = 0; i < 5; ++i)
        REQUIRE(store.transact([&](store::Transaction& tx) { return createCase(tx, userId, "C-" + std::to_string(i)); })
                    .ok());
    auto intact = AuditLog::verify(store);
    REQUIRE(intact.ok());
    CHECK(intact->intact());
    const auto total = intact->entriesChecked;
    REQUIRE(total >= 7);

    SECTION("details edited") {
        tamper(store, "UPDATE audit_log SET details = '{\"case_number\":\"C-X\"}' WHERE seq = 4");
        auto report = AuditLog::verify(store);
        REQUIRE(report.ok());
        CHECK(report->firstBrokenSeq == 4);
        CHECK(report->entryProblems.front().find("changed") != std::string::npos);
    }
    SECTION("an entry edited and its hash recomputed: its signature no longer holds") {
        auto entries = *AuditLog::list(store);
        auto forged = entries[3];
        forged.username = "someone-else";
        const auto forgedHash = AuditLog::computeHash(forged);
        tamper(store, "UPDATE audit_log SET username = 'someone-else', hash = '" + forgedHash + "' WHERE seq = 4");
        auto report = AuditLog::verify(store);
        REQUIRE(report.ok());
        CHECK(report->firstBrokenSeq == 4);
        CHECK(report->entryProblems.front().find("signature does not match") != std::string::npos);
    }
    SECTION("a signature removed") {
        tamper(store, "UPDATE audit_log SET signer = '', signer_key = '', signature = '' WHERE seq = 4");
        auto report = AuditLog::verify(store);
        REQUIRE(report.ok());
        CHECK(report->firstBrokenSeq == 4);
    }
    SECTION("bytes of invalid UTF-8 written into an entry: named, and the log still reads and exports (trial 23A F11)") {
        tamper(store, "UPDATE audit_log SET object_id = CAST(X'34C328FF' AS TEXT) WHERE seq = 4");
        auto report = AuditLog::verify(store);
        REQUIRE(report.ok());
        CHECK(report->firstBrokenSeq == 4);
        CHECK(report->entryProblems.front().find("Audit entry 4 ") == 0);
        auto listed = AuditLog::list(store);
        REQUIRE(listed.ok());
        CHECK((*listed)[3].objectId == "4\xEF\xBF\xBD(\xEF\xBF\xBD");  // each byte outside UTF-8 as U+FFFD
        std::ostringstream json;
        CHECK(AuditLog::exportTo(store, audit::ExportFormat::Json, json).ok());
        CHECK(nlohmann::json::parse(json.str(), nullptr, false).is_object());
    }
    SECTION("an entry deleted") {
        tamper(store, "DELETE FROM audit_log WHERE seq = 3");
        auto report = AuditLog::verify(store);
        REQUIRE(report.ok());
        CHECK(report->firstBrokenSeq == 4);
        CHECK(report->entryProblems.front().find("missing") != std::string::npos);
    }    SECTION("two entries edited: both are named, not only the first (trial 11)") {
        tamper(store, "UPDATE audit_log SET details = '{\"case_number\":\"C-X\"}' WHERE seq = 4; "
                      "UPDATE audit_log SET details = '{\"case_number\":\"C-Y\"}' WHERE seq = 6");
        auto report = AuditLog::verify(store);
        REQUIRE(report.ok());
        CHECK(report->firstBrokenSeq == 4);
        CHECK(report->brokenEntries == 2);
        REQUIRE(report->entryProblems.size() == 2);
        CHECK(report->entryProblems[0].rfind("Audit entry 4 ", 0) == 0);
        CHECK(report->entryProblems[1].rfind("Audit entry 6 ", 0) == 0);
        CHECK(report->describe().find("Audit entry 6 ") != std::string::npos);
    }
}

TEST_CASE("every entry is signed by the signed-in user's key, certified in the chain",
          "[audit][signatures]") {
    test::StoreFixture fixture;
    auto& store = fixture.session->store();
    const auto userId = fixture.session->userId();
    REQUIRE(store.transact([&](store::Transaction& tx) { return createCase(tx, userId, "S-1"); }).ok());
    const auto entries = *AuditLog::list(store);
    REQUIRE(entries.size() >= 3);
    CHECK(entries.front().action == "store.created");
    for (const auto& entry : entries) {
        CHECK(entry.signer == fixture.session->user().username);
        CHECK(entry.signerKey == store.signerPublicKey());
        CHECK(entry.signature.size() == 128);
    }
    CHECK(AuditLog::list(store, {.action = AuditLog::kKeyCertified})->size() >=
          1);  // the recovery slot's key
    auto report = AuditLog::verify(store);
    REQUIRE(report.ok());
    CHECK(report->intact());
    CHECK(report->unsignedEntries == 0);
}

TEST_CASE("list filters by user, action prefix, object and time", "[audit]") {
    test::StoreFixture fixture;
    auto& store = fixture.session->store();
    const auto userId = fixture.session->userId();
    const auto start = fixture.clock->now();
    fixture.clock->advance(std::chrono::minutes(1));
    REQUIRE(store.transact([&](store::Transaction& tx) { return createCase(tx, userId, "F-1"); }).ok());
    fixture.clock->advance(std::chrono::minutes(1));
    REQUIRE(store.transact([&](store::Transaction& tx) { return createCase(tx, userId, "F-2"); }).ok());

    CHECK(AuditLog::list(store, {.action = "case.created"})->size() == 2);
    CHECK(AuditLog::list(store, {.action = "case."})->size() == 2);
    CHECK(AuditLog::list(store, {.action = "case"})->empty());
    CHECK(AuditLog::list(store, {.objectType = "case", .objectId = "2"})->size() == 1);
    CHECK(AuditLog::list(store, {.from = start + std::chrono::seconds(90)})->size() == 1);
    CHECK(AuditLog::list(store, {.to = start + std::chrono::seconds(30)})->size() >= 2);  // creation events
    CHECK(AuditLog::list(store, {.userId = userId, .action = "case."})->size() == 2);
    CHECK(AuditLog::list(store, {.limit = 1})->size() == 1);
}

TEST_CASE("exports carry every field and can be re-verified", "[audit][export]") {
    test::StoreFixture fixture;
    auto& store = fixture.session->store();
    const auto userId = fixture.session->userId();
    REQUIRE(store.transact([&](store::Transaction& tx) { return createCase(tx, userId, "EXP,\"1\""); }).ok());
    const auto entries = *AuditLog::list(store);

    std::ostringstream json;
    REQUIRE(AuditLog::exportTo(store, audit::ExportFormat::Json, json).ok());
    const auto document = nlohmann::json::parse(json.str());
    REQUIRE(document["entries"].size() == entries.size());
    std::string previous = AuditLog::kGenesisHash;
    for (const auto& item : document["entries"]) {
        audit::AuditEntry entry;
        entry.seq = item["seq"];
        entry.at = item["at"];
        if (!item["user_id"].is_null()) entry.userId = item["user_id"].get<std::int64_t>();
        entry.username = item["username"];
        entry.action = item["action"];
        entry.objectType = item["object_type"];
        entry.objectId = item["object_id"];
        entry.detailsJson = item["details"].dump();
        entry.signer = item["signer"];
        entry.signerKey = item["signer_key"];
        entry.prevHash = item["prev_hash"];
        CHECK(entry.prevHash == previous);
        CHECK(AuditLog::computeHash(entry) == item["hash"]);
        previous = item["hash"];
    }

    std::ostringstream csv;
    REQUIRE(AuditLog::exportTo(store, audit::ExportFormat::Csv, csv).ok());
    const std::string text = csv.str();
    CHECK(
        text.rfind("seq,at,user_id,username,action,object_type,object_id,details,signer,signer_key,signature,"
                   "prev_hash,hash\r\n",
                   0) == 0);
    CHECK(std::count(text.begin(), text.end(), '\n') == static_cast<long>(entries.size()) + 1);
    CHECK(text.find(R"("{""case_number"":""EXP,\""1\""""}")") != std::string::npos);
    CHECK(text.find(entries.back().hash) != std::string::npos);
}

TEST_CASE("the CSV export neutralises cells a spreadsheet would run as formulas", "[audit][export]") {
    test::StoreFixture fixture;
    REQUIRE(accounts::AccountService(*fixture.session)
                .addUser({"-A1", "Dash", {workflow::Role::Investigator}}, "password of a user")
                .ok());
    fixture.session.reset();
    (void)fixture.signIn("-A1", "whatever");  // a failed sign-in of an existing account records its name
    (void)fixture.signIn("=cmd|' /C calc'!A0", "whatever");  // no such account: never recorded as typed
    auto session = fixture.signIn("admin", test::kAdminPassword);
    REQUIRE(session.ok());
    std::ostringstream csv;
    REQUIRE(AuditLog::exportTo(session->store(), audit::ExportFormat::Csv, csv).ok());
    CHECK(csv.str().find(",'-A1,") != std::string::npos);
    CHECK(csv.str().find(",unknown name,") != std::string::npos);
    CHECK(csv.str().find("cmd|") == std::string::npos);
}

namespace {

// The store's anchor, read by a check while another session appends: `elsewhere` runs (once) the moment the
// anchor is next read, as another session's commit and its anchored head can land at any moment of a check.
class AppendsWhenRead final : public store::HeadAnchor {
public:
    explicit AppendsWhenRead(std::shared_ptr<store::HeadAnchor> real) : real_(std::move(real)) {}
    mutable std::function<void()> elsewhere;

    Result<void> record(const std::string& storeId, const store::AnchoredHead& head) override {
        return real_->record(storeId, head);
    }
    // The check's read of every head (the ledger's read of the account heads is not the one the test times).
    Result<std::vector<store::AnchoredHead>> heads(const std::string& storeId, bool witnessesOnly) const override {
        if (!witnessesOnly)
            if (auto append = std::exchange(elsewhere, {})) append();
        return real_->heads(storeId, witnessesOnly);
    }
    std::string describe() const override { return real_->describe(); }

private:
    std::shared_ptr<store::HeadAnchor> real_;
};

}  // namespace

// Issue 9: `facelead-cli audit verify` reported BROKEN ("the store ends at entry N but the journal recorded
// N+1") when another session appended while it ran: it read the chain, then the anchors. A head anchored
// during the check is one the store holds; a head the store does not hold is still reported.
TEST_CASE("verify is not broken by another session appending during the check; a lost head still is",
          "[audit][anchor]") {
    test::StoreFixture fixture;
    auto hooked = std::make_shared<AppendsWhenRead>(store::defaultAnchor());
    auto policy = fixture.policy;
    policy.anchor = hooked;
    auto verifier = accounts::signIn(fixture.path, "admin", test::kAdminPassword, fixture.clock, policy);
    REQUIRE(verifier.ok());
    auto& other = fixture.session->store();
    const auto userId = fixture.session->userId();
    REQUIRE(other.transact([&](store::Transaction& tx) { return createCase(tx, userId, "BEFORE-1"); }).ok());

    hooked->elsewhere = [&] {
        REQUIRE(other.transact([&](store::Transaction& tx) { return createCase(tx, userId, "DURING-1"); }).ok());
    };
    auto report = AuditLog::verify(verifier->store());
    REQUIRE(report.ok());
    CHECK_FALSE(hooked->elsewhere);  // the other session did append during the check
    INFO(report->describe());
    CHECK(report->anchorProblems.empty());
    CHECK(report->intact());

    // A head anchored beyond what the store holds (a rollback, a truncation) is still found.
    const std::int64_t end = entryCount(other);
    // Without a system journal (a container) the anchor folder alone takes it, and says so (trial 23A F7).
    store::AnchoredHead beyondTheEnd;
    beyondTheEnd.seq = end + 3;
    beyondTheEnd.hash = std::string(64, 'a');
    const auto anchored = hooked->record(other.storeId(), beyondTheEnd);
    REQUIRE((anchored.ok() || anchored.error().message.find("went only to") != std::string::npos));
    auto rolledBack = AuditLog::verify(verifier->store());
    REQUIRE(rolledBack.ok());
    REQUIRE_FALSE(rolledBack->anchorProblems.empty());
    CHECK_THAT(rolledBack->anchorProblems.front(), Catch::Contains("committed entries are missing"));
}

TEST_CASE("an entry deleted from inside one transaction, whose last entry stays as anchored, is found by the quick "
          "check of every sign-in (trial 24A N1)", "[audit][anchor]") {
    test::StoreFixture fixture;
    auto& store = fixture.session->store();
    const auto userId = fixture.session->userId();
    REQUIRE(store.transact([&](store::Transaction& tx) -> Result<void> {
        for (const char* number : {"N1-1", "N1-2", "N1-3"}) FACELEAD_TRY(createCase(tx, userId, number));
        return {};
    }));
    const auto intact = AuditLog::checkAnchoredHeads(store);
    REQUIRE(intact);
    CHECK(intact->empty());
    const auto last = AuditLog::list(store)->back().seq;
    tamper(store, "DELETE FROM audit_log WHERE seq = " + std::to_string(last - 1));
    const auto problem = AuditLog::checkAnchoredHeads(store);
    REQUIRE(problem);
    CHECK(problem->find("missing or were changed just before entry " + std::to_string(last)) != std::string::npos);
}
