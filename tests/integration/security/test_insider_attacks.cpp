// The issue-8 insider attacks, performed with the system libraries (tests/integration/security/Insider.h)
// on a store set up with the real facelead-cli, each ending with `facelead-cli audit verify` naming the
// damage. docs/SECURITY.md lists what is and is not defended.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iterator>
#include <optional>
#include <sstream>
#include <string_view>
#include <thread>
#include <utility>
#include <nlohmann/json.hpp>

#include "tests/integration/security/Insider.h"
#include "tests/support/CliRun.h"

using facelead::test::cli;
using facelead::test::CliRun;
using facelead::test::Insider;

namespace {

const std::string kChief = "long secret of the administrator 4";
const std::string kBob = "long secret 4 searching";
const std::string kSueFirst = "first secret of the supervisor";
const std::string kSue = "second secret of the supervisor";

// An agency of two: chief (program administrator + supervisor) and bob (investigator), whose own actions
// are in the log, followed by one of the chief's.
struct Agency {
    facelead::test::TempDir dir;
    std::string store = (dir / "agency.store").string();
    std::string recoveryKey;  // printed once by store init (its only line on standard output)

    Agency() {
        const auto init = cli(dir, {"store", "init", "--store", store, "--admin", "chief"}, kChief + "\n");
        REQUIRE(init.exitCode == 0);
        recoveryKey = init.out.substr(0, init.out.find('\n'));
        // Two persons (issue 8 item 1): the founding administrator approves a supervisor, who approves the rest.
        REQUIRE(as("chief", kChief, {"user", "add", "sue", "--display-name", "Sue", "--roles", "supervisor"},
                   kSueFirst + "\n")
                    .exitCode == 0);
        REQUIRE(as("chief", kChief, {"user", "approve", "sue"}).exitCode == 0);
        REQUIRE(ownPassword("sue", kSueFirst, kSue, "chief", kChief).exitCode == 0);  // the founding exception
        REQUIRE(as("chief", kChief,
                   {"user", "add", "bob", "--display-name", "Bob", "--roles", "investigator"}, kBob + "\n")
                    .exitCode == 0);
        REQUIRE(as("sue", kSue, {"user", "approve", "bob"}).exitCode == 0);
    }

    // USER's own password change. A key it makes after a password another account set waits for a supervisor's
    // approval, which `approver` gives with the fingerprint passwd printed: what the two do in person (trial 63 F2).
    CliRun ownPassword(const std::string& user, const std::string& current, const std::string& next,
                       const std::string& approver = "sue", const std::string& approverPassword = kSue) {
        auto run = as(user, current, {"user", "passwd"}, next + "\n");
        const std::string fingerprint = run.out.substr(0, run.out.find('\n'));
        if (run.exitCode == 0 && !fingerprint.empty())
            REQUIRE(as(approver, approverPassword, {"user", "approve-key", user, "--fingerprint", fingerprint})
                        .exitCode == 0);
        return run;
    }

    CliRun as(const std::string& user, const std::string& password, std::vector<std::string> words,
              const std::string& more = "") {
        words.insert(words.end(), {"--store", store, "--user", user});
        auto run = cli(dir, words, password + "\n" + more);
        UNSCOPED_INFO(user << ": " << run.err);
        return run;
    }

    // The key file, rewritten as the desktop user can: plain JSON.
    void editKeyFile(const std::function<void(nlohmann::json&)>& edit) const {
        const std::string keyFile = store + ".keys";
        nlohmann::json keys;
        std::ifstream(keyFile) >> keys;
        edit(keys);
        std::ofstream(keyFile) << keys.dump();
    }

    CliRun verify() {
        auto run = as("chief", kChief, {"audit", "verify"});
        INFO(run.out << run.err);
        return run;
    }

    // The recovery key's holder re-affirms the accounts (facelead-cli store reaffirm).
    CliRun reaffirm(std::vector<std::string> words) {
        words.insert(words.begin(), {"store", "reaffirm", "--store", store, "--reason", "reviewed audit verify, "
                                                                                         "ticket 12"});
        auto run = cli(dir, words, recoveryKey + "\n");
        UNSCOPED_INFO("reaffirm: " << run.out << run.err);
        return run;
    }
};

// What the signed grants say of an account (user list --json, as a program administrator reads it).
nlohmann::json listedAccount(Agency& agency, const std::string& username) {
    auto list = agency.as("chief", kChief, {"user", "list", "--json"});
    REQUIRE(list.exitCode == 0);
    for (const auto& user : nlohmann::json::parse(list.out))
        if (user["username"] == username) return user;
    FAIL("no account " << username);
    return {};
}

// Every change is refused while the accounts are held back; the audit log can still be examined.
void checkHeldBack(Agency& agency) {
    auto refused = agency.as("chief", kChief, {"user", "add", "dan", "--display-name", "Dan", "--roles", "investigator"},
                             "long secret of the new one\n");
    CHECK(refused.exitCode != 0);
    CHECK(refused.err.find("FaceLead refuses every change until the holder of the recovery key") !=
          std::string::npos);
    CHECK(refused.err.find("[audit_chain_broken]") != std::string::npos);
    CHECK(agency.as("chief", kChief, {"user", "list"}).exitCode == 0);
}

}  // namespace

TEST_CASE("untouched, the signed chain verifies", "[security][insider]") {
    Agency agency;
    REQUIRE(agency.ownPassword("bob", kBob, kBob + " 2").exitCode == 0);
    auto verify = agency.verify();
    CHECK(verify.exitCode == 0);
    CHECK(verify.out.find("intact") != std::string::npos);
}

TEST_CASE(
    "deleting one's own entries and re-hashing the chain is named at the next entry someone else signed",
    "[security][insider]") {
    Agency agency;
    REQUIRE(agency.ownPassword("bob", kBob, kBob + " 2").exitCode == 0);
    REQUIRE(agency.as("chief", kChief, {"user", "list"}).exitCode == 0);
    {
        Insider bob(agency.store, "bob", kBob + " 2");
        REQUIRE(bob.query("SELECT seq FROM audit_log WHERE username = 'bob'").size() >= 2);
        bob.execWithoutTriggers("DELETE FROM audit_log WHERE username = 'bob'");
        bob.rehashChain();
        CHECK(bob.query("SELECT seq FROM audit_log WHERE username = 'bob'").empty());
    }
    auto verify = agency.verify();
    CHECK(verify.exitCode == 1);
    CHECK(verify.out.find("BROKEN at entry") != std::string::npos);
    CHECK(verify.out.find("signature does not match its contents") != std::string::npos);
    CHECK(verify.out.find("after chief signed it") != std::string::npos);
}

TEST_CASE("roles granted to oneself in the users table are named", "[security][insider]") {
    Agency agency;
    const std::string ownPassword = kBob + " 2";
    REQUIRE(agency.ownPassword("bob", kBob, ownPassword).exitCode == 0);
    {
        Insider bob(agency.store, "bob", ownPassword);
        bob.exec(
            "UPDATE users SET roles = 'investigator,supervisor,program_administrator' WHERE username = "
            "'bob'");
    }
    auto verify = agency.verify();
    CHECK(verify.exitCode == 1);
    CHECK(
        verify.out.find("The account bob has the roles investigator,program_administrator,supervisor in the "
                        "store, but the signed audit log grants investigator") != std::string::npos);
    // ...and they grant nothing: the core acts on the signed log, and says so at sign-in.
    auto audit = agency.as("bob", ownPassword, {"audit", "verify"});
    CHECK(audit.exitCode != 0);
    CHECK(audit.err.find("[permission_denied]") != std::string::npos);
    CHECK(audit.err.find("Your account was changed in the store outside FaceLead") != std::string::npos);
    CHECK(audit.err.find("the signed audit log grants investigator") != std::string::npos);
    CHECK(agency.as("chief", kChief, {"audit", "export", "--format", "csv"}).out.find("account.grants_mismatch") !=
          std::string::npos);
    // The account list shows what the core obeys, and flags the table (issue 9: one query for GUI and CLI).
    auto list = agency.as("chief", kChief, {"user", "list"});
    INFO(list.out << list.err);
    REQUIRE(list.exitCode == 0);
    const auto bobLine = list.out.substr(list.out.find("bob\t"));
    CHECK(bobLine.find("bob\tactive\tinvestigator\t") == 0);
    CHECK(bobLine.find("TABLE EDITED OUTSIDE FACELEAD, NOT OBEYED") < bobLine.find('\n'));
}

TEST_CASE("an account approved in the users table only is still waiting for approval", "[security][insider]") {
    Agency agency;
    const std::string carlPassword = "long secret of c. 4 searching";
    REQUIRE(agency.as("chief", kChief, {"user", "add", "carl", "--display-name", "Carl", "--roles", "investigator"},
                      carlPassword + "\n")
                .exitCode == 0);
    {
        Insider sue(agency.store, "sue", kSue);
        sue.exec("UPDATE users SET status = 'active' WHERE username = 'carl'");
    }
    auto carl = agency.as("carl", carlPassword, {"user", "passwd"}, carlPassword + " 2\n");
    CHECK(carl.exitCode != 0);
    CHECK(carl.err.find("waiting for a supervisor's approval") != std::string::npos);
    // Trial 9: the log ends with the refusal, so that a reviewer does not read that carl signed in.
    const auto exported = agency.dir / "audit.csv";
    REQUIRE(agency.as("chief", kChief, {"audit", "export", "--format", "csv", "--out", exported.string()})
                .exitCode == 0);
    std::ifstream file(exported);
    const std::string log((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    const auto refused = log.rfind("signin.refused_not_active");
    REQUIRE(refused != std::string::npos);
    CHECK(log.find(",carl,", log.rfind('\n', refused)) < refused);
}

TEST_CASE("a colleague suspended in the users table only is not locked out; a deactivated account made active "
          "there stays deactivated",
          "[security][insider][status]") {
    Agency agency;
    REQUIRE(agency.as("chief", kChief, {"user", "deactivate", "bob", "--reason", "left the agency"}).exitCode == 0);
    agency.as("sue", kSue, {"user", "list"});  // sue's slot takes up the database key changed by the deactivation
    {
        Insider sue(agency.store, "sue", kSue);
        sue.exec("UPDATE users SET status = 'suspended', status_reason = 'tampered' WHERE username = 'chief'");
        sue.exec("UPDATE users SET status = 'active' WHERE username = 'bob'");
    }
    // Trial 10: the table said "suspended" and sign-in obeyed it, while the screen said "not obeyed".
    auto chief = agency.as("chief", kChief, {"user", "list"});
    INFO(chief.out << chief.err);
    REQUIRE(chief.exitCode == 0);
    CHECK(chief.err.find("Your account was changed in the store outside FaceLead") != std::string::npos);
    const auto chiefLine = chief.out.substr(chief.out.find("chief\t"));
    CHECK(chiefLine.find("chief\tactive\t") == 0);
    CHECK(chiefLine.find("TABLE EDITED OUTSIDE FACELEAD, NOT OBEYED") < chiefLine.find('\n'));
    const auto bobLine = chief.out.substr(chief.out.find("bob\t"));
    CHECK(bobLine.find("bob\tdeactivated\t") == 0);
    // The account made active in the table still opens nothing: its key slot went with the deactivation.
    CHECK(agency.as("bob", kBob, {"user", "passwd"}, kBob + " 2\n").exitCode != 0);
    CHECK(chief.err.find("facelead-cli user restore-table") != std::string::npos);

    // A program administrator puts the table back, with a reason; the edit stays on record.
    CHECK(agency.as("sue", kSue, {"user", "restore-table", "--reason", "edit reported"}).exitCode != 0);
    CHECK(agency.as("chief", kChief, {"user", "restore-table", "--reason", "   "}).exitCode != 0);
    auto restored = agency.as("chief", kChief, {"user", "restore-table", "--reason", "edit reported, ticket 4411"});
    REQUIRE(restored.exitCode == 0);
    CHECK(restored.err.find("Put back bob") != std::string::npos);
    CHECK(restored.err.find("Put back chief") != std::string::npos);
    auto after = agency.as("chief", kChief, {"user", "list"});
    CHECK(after.out.find("TABLE EDITED") == std::string::npos);
    CHECK(after.err.find("Your account was changed") == std::string::npos);
    CHECK(agency.verify().exitCode == 0);
    const auto log = agency.as("chief", kChief, {"audit", "export", "--format", "csv"}).out;
    CHECK(log.find("user.table_restored") != std::string::npos);
    CHECK(log.find("account.grants_mismatch") != std::string::npos);
    CHECK(agency.as("chief", kChief, {"user", "restore-table", "--reason", "again"}).err.find("nothing to put back") !=
          std::string::npos);
}

// Trial 61 F4: a departed officer's key, unwrapped from his slot before he left, signed an entry in his name after
// the deactivation with a colleague's database key; audit verify accepted it as his own.
TEST_CASE("an entry signed with a deactivated account's key after its deactivation is named by audit verify",
          "[security][insider][status]") {
    Agency agency;
    Insider departed(agency.store, "bob", kBob);  // he keeps his key pair
    REQUIRE(agency.as("chief", kChief, {"user", "deactivate", "bob", "--reason", "left the agency"}).exitCode == 0);
    agency.as("sue", kSue, {"user", "list"});  // sue's slot takes up the database key changed by the deactivation
    {
        Insider sue(agency.store, "sue", kSue);
        sue.signAs(departed);
        sue.appendSignedEntry("access.refused", R"({"action":"gallery.export","reason":"in bob's name"})");
    }
    auto verify = agency.verify();
    INFO(verify.out << verify.err);
    CHECK(verify.exitCode != 0);
    CHECK((verify.out + verify.err).find("signed by bob after the account was deactivated") != std::string::npos);
}

TEST_CASE("training written into the users table, signed off by oneself or in nobody's name, is not training",
          "[security][insider][training]") {
    Agency agency;
    const std::string ownPassword = kBob + " 2";
    REQUIRE(agency.ownPassword("bob", kBob, ownPassword).exitCode == 0);
    {
        Insider bob(agency.store, "bob", ownPassword);
        bob.exec("UPDATE users SET training_completed_at = '2026-11-30T12:00:00.000Z' WHERE username = 'bob'");
        const std::string signOff = R"({"username":"bob","completed_at":"2026-11-30T12:00:00.000Z"})";
        bob.appendSignedEntry("user.roles_changed", R"({"username":"bob","from":"investigator","to":"investigator,trainer"})",
                              /*inNobodysName=*/true);
        bob.appendSignedEntry("user.training_recorded", signOff, /*inNobodysName=*/true);
        bob.appendSignedEntry("user.training_recorded", signOff);
    }
    // verify names each entry that does not hold; none of the three counts (below).
    auto verify = agency.verify();
    INFO(verify.out);
    CHECK(verify.exitCode == 1);
    // Each line also says that the forged entry does not name the account entry before it.
    const auto lineOf = [&verify](const std::string& action) {
        const auto start = verify.out.find("(" + action + "): ");
        return start == std::string::npos ? std::string() : verify.out.substr(start, verify.out.find('\n', start) - start);
    };
    CHECK(lineOf("user.roles_changed").find("it changes the account bob in nobody's name, signed by bob") !=
          std::string::npos);
    CHECK(verify.out.find("(3 broken entries)") != std::string::npos);  // each named, not only the first
    CHECK(lineOf("user.training_recorded").find("it changes the account bob in nobody's name") != std::string::npos);
    CHECK(verify.out.find("bob was neither a trainer nor a program administrator when signing off training") !=
          std::string::npos);
    // What the core obeys: no training, no trainer role (the search gate reads these, VI.D.2.b).
    auto list = agency.as("chief", kChief, {"user", "list", "--json"});
    REQUIRE(list.exitCode == 0);
    const auto users = nlohmann::json::parse(list.out);
    const auto bob = std::find_if(users.begin(), users.end(), [](const auto& u) { return u["username"] == "bob"; });
    REQUIRE(bob != users.end());
    CHECK((*bob)["training_completed_at"] == "");
    CHECK((*bob)["roles"] == "investigator");
    CHECK((*bob)["grants_mismatch"].get<std::string>().find("records no training sign-off") != std::string::npos);
    CHECK((*bob)["table_edited_outside_facelead"] == true);  // an edit, which restore-table answers (trial 68 F4)
}

TEST_CASE("a signed entry that took something away, changed afterwards, holds every account back until the "
          "recovery key's holder re-affirms them", "[security][insider][tampered]") {
    Agency agency;
    REQUIRE(agency.as("chief", kChief, {"user", "deactivate", "bob", "--reason", "left the agency"}).exitCode == 0);
    agency.as("sue", kSue, {"user", "list"});  // sue's slot takes up the database key changed by the deactivation
    {
        Insider sue(agency.store, "sue", kSue);
        sue.execWithoutTriggers("UPDATE audit_log SET details = replace(details, 'left the agency', 'transferred') "
                                "WHERE action = 'user.deactivated'");
        sue.exec("UPDATE users SET status = 'active' WHERE username = 'bob'");
    }
    // Trial 11: the changed deactivation was skipped, so bob read as active and the table edit as the truth.
    // Trial 12A: holding back only the account the changed entry names trusted what its changer wrote there.
    auto list = agency.as("chief", kChief, {"user", "list"});
    INFO(list.out);
    REQUIRE(list.exitCode == 0);
    CHECK(list.out.substr(list.out.find("bob\t")).find("bob\tdeactivated\t") == 0);
    CHECK(list.err.find("(user.deactivated): its contents do not match its hash") != std::string::npos);
    CHECK(list.err.find("The users table was edited outside FaceLead") != std::string::npos);
    // Everyone is told, not only the program administrators.
    CHECK(agency.as("sue", kSue, {"user", "list"}).err.find("FaceLead refuses every change") != std::string::npos);
    checkHeldBack(agency);
    CHECK(agency.verify().exitCode == 1);
}

TEST_CASE("one changed byte in the founder's own entry no longer bricks the store: the recovery key's holder "
          "re-affirms the accounts, suspending those they cannot vouch for", "[security][insider][reaffirm]") {
    Agency agency;
    {
        Insider bob(agency.store, "bob", kBob);
        bob.execWithoutTriggers("UPDATE audit_log SET details = replace(details, 'system at creation', "
                                "'system at  creation') WHERE seq = 2");
    }
    checkHeldBack(agency);
    auto verify = agency.verify();
    INFO(verify.out);
    CHECK(verify.out.find("Audit entry 2 (user.created): its contents do not match its hash") != std::string::npos);

    SECTION("a wrong recovery key, a missing reason or an unknown account signs nothing") {
        CHECK(cli(agency.dir, {"store", "reaffirm", "--store", agency.store, "--reason", "reviewed, ticket 12",
                               "--confirm"},
                  "aaaa-bbbb-cccc-dddd-eeee-ffff-gggg-hhhh-iiii-jjjj-kkkk-llll-mmmm\n")
                  .exitCode != 0);
        CHECK(cli(agency.dir, {"store", "reaffirm", "--store", agency.store}, agency.recoveryKey + "\n").exitCode != 0);
        CHECK(agency.reaffirm({"--suspend", "nobody", "--confirm"}).err.find("no account named 'nobody'") !=
              std::string::npos);
        checkHeldBack(agency);
    }
    SECTION("shown first, signed only with --confirm; the accounts suspended stay out") {
        auto shown = agency.reaffirm({"--suspend", "bob"});
        REQUIRE(shown.exitCode == 0);
        CHECK(shown.out.find("audit entry 2 (user.created, naming chief now)") != std::string::npos);
        // To judge, with whose words they are (trial 81 F4).
        CHECK(shown.out.find("it reads now (signed as chief, whose words these are): approved by: system at  "
                             "creation") != std::string::npos);
        CHECK(shown.out.find("system at  creation") != std::string::npos);
        CHECK(shown.out.find("chief\tactive\tprogram_administrator,supervisor\tyes") != std::string::npos);
        CHECK(shown.out.find("bob\tsuspended\t(none)") != std::string::npos);
        CHECK(shown.err.find("Nothing was signed") != std::string::npos);
        checkHeldBack(agency);

        REQUIRE(agency.reaffirm({"--suspend", "bob", "--confirm"}).exitCode == 0);
        CHECK(agency.as("chief", kChief,
                        {"user", "add", "dan", "--display-name", "Dan", "--roles", "investigator"},
                        "long secret of the new one\n")
                  .exitCode == 0);
        auto bob = agency.as("bob", kBob, {"user", "list"});
        CHECK(bob.exitCode != 0);
        CHECK(bob.err.find("suspended") != std::string::npos);
        // The damage stays in the record; a second re-affirmation has nothing to answer for.
        CHECK(agency.verify().out.find("Audit entry 2 (user.created)") != std::string::npos);
        CHECK(agency.reaffirm({"--confirm"}).err.find("nothing to re-affirm") != std::string::npos);
    }
}

TEST_CASE("one changed byte in the root entry holds every account back and is re-affirmed; a role or status "
          "FaceLead does not know is never signed", "[security][insider][reaffirm]") {
    Agency agency;
    {
        Insider bob(agency.store, "bob", kBob);
        // Trial 13A: a byte of the recovery key named in store.created locked every account out for good.
        bob.execWithoutTriggers("UPDATE audit_log SET details = replace(details, '\"recovery_public_key\":\"', "
                                "'\"recovery_public_key\":\"0') WHERE seq = 1; UPDATE audit_log SET details = "
                                "replace(details, '\"roles\":\"investigator\"', '\"roles\":\"investigatoR\"')");
    }
    checkHeldBack(agency);
    auto shown = agency.reaffirm({});
    CHECK(shown.out.find("bob\tsuspended\t(none)") != std::string::npos);
    CHECK(shown.out.find("are not FaceLead's") != std::string::npos);
    REQUIRE(agency.reaffirm({"--confirm"}).exitCode == 0);
    CHECK(agency.as("chief", kChief, {"user", "add", "dan", "--display-name", "Dan", "--roles", "investigator"},
                    "long secret of the new one\n")
              .exitCode == 0);
}

TEST_CASE("a removal deleted from the middle, renamed out of the account entries or rewritten to name another "
          "account holds every account back, and the next honest signer's record keeps the role taken away",
          "[security][insider][account_chain]") {
    Agency agency;
    // A two-person role change gives bob trainer, a second one takes it away again.
    const auto changeRoles = [&agency](const std::string& roles) {
        REQUIRE(agency.as("chief", kChief, {"user", "roles", "bob", "--roles", roles}).exitCode == 0);
        REQUIRE(agency.as("sue", kSue, {"user", "approve-roles", "bob"}).exitCode == 0);
    };
    changeRoles("investigator,trainer");
    changeRoles("investigator");
    // A later account entry, which names the removal as the one before it.
    REQUIRE(agency.as("chief", kChief, {"user", "add", "carl", "--display-name", "Carl", "--roles", "investigator"},
                      "long secret of the colleague\n")
                .exitCode == 0);
    std::string attack;
    SECTION("deleted") { attack = "DELETE FROM audit_log"; }
    SECTION("renamed") { attack = "UPDATE audit_log SET action = 'case.viewed'"; }
    SECTION("rewritten to name another account") {
        attack = "UPDATE audit_log SET details = replace(details, '\"username\":\"bob\"', '\"username\":\"sue\"')";
    }
    {
        Insider bob(agency.store, "bob", kBob);
        bob.execWithoutTriggers(attack + " WHERE seq = (SELECT max(seq) FROM audit_log WHERE action = "
                                         "'user.roles_changed')");
        bob.exec("UPDATE users SET roles = 'investigator,trainer' WHERE username = 'bob'");
    }
    // Trial 12A (1c, 1d): the removal was out of the replay, so bob was a trainer again and only a full
    // audit verify could see it.
    auto bobTries = cli(agency.dir, {"training", "record", "carl", "--trainer", "bob", "--store", agency.store},
                        kBob + "\n");
    CHECK(bobTries.exitCode != 0);
    CHECK(bobTries.err.find("FaceLead refuses every change") != std::string::npos);
    checkHeldBack(agency);
    CHECK(agency.verify().exitCode == 1);
    // Trial 13A (CRITICAL): the replay then showed bob a trainer, and re-affirming it made the stolen role
    // permanent unless the holder knew better. Carl's creation, signed by the chief, recorded bob without it.
    auto list = agency.as("chief", kChief, {"user", "list"});
    CHECK(list.out.substr(list.out.find("bob\t")).find("bob\tactive\tinvestigator\t") == 0);
    auto shown = agency.reaffirm({});
    // Named by the journal's anchored accounts (or, without an anchor, by carl's creation as signed).
    CHECK(shown.out.find("bob: active with roles investigator,trainer, approved, no training as replayed, active "
                         "with roles investigator, approved, no training as ") != std::string::npos);
    CHECK(shown.out.find("\nbob\tactive\tinvestigator\t") != std::string::npos);
    REQUIRE(agency.reaffirm({"--confirm"}).exitCode == 0);
    bobTries = cli(agency.dir, {"training", "record", "carl", "--trainer", "bob", "--store", agency.store},
                   kBob + "\n");
    CHECK(bobTries.exitCode != 0);
    CHECK(bobTries.err.find("FaceLead refuses every change") == std::string::npos);
}

TEST_CASE("every changed entry is named by audit verify, not only the first, and the table after them too",
          "[security][insider][tampered]") {
    Agency agency;
    REQUIRE(agency.ownPassword("bob", kBob, kBob + " 2").exitCode == 0);
    {
        Insider sue(agency.store, "sue", kSue);
        sue.execWithoutTriggers("UPDATE audit_log SET details = replace(details, 'supervisor', 'investigator') "
                                "WHERE action = 'user.created' AND details LIKE '%\"username\":\"sue\"%'");
        sue.execWithoutTriggers("UPDATE audit_log SET at = '2020-01-01T00:00:00.000Z' WHERE seq = (SELECT max(seq) "
                                "FROM audit_log WHERE action = 'user.password_changed')");
        sue.exec("UPDATE users SET roles = 'investigator,trainer' WHERE username = 'bob'");
    }
    auto verify = agency.verify();
    INFO(verify.out);
    CHECK(verify.exitCode == 1);
    CHECK(verify.out.find("(3 broken entries)") != std::string::npos);
    CHECK(verify.out.find("(user.created): its contents do not match its hash") != std::string::npos);
    CHECK(verify.out.find("(user.password_changed): its contents do not match its hash") != std::string::npos);
    CHECK(verify.out.find("The account bob has the roles investigator,trainer in the store") != std::string::npos);
    // The replay goes on after a break, with the changed creation as it now reads (sue an investigator), until
    // the next account entry the chief signed recorded her a supervisor: that witness is taken (trial 13A), so
    // her approval of bob that followed counts, and the table agrees with the log about her.
    CHECK(verify.out.find("(key.certified): the accounts its signer saw after it differ from the replay (sue: "
                          "pending_approval with roles investigator") != std::string::npos);
    CHECK(verify.out.find("sue was not a supervisor when approving") == std::string::npos);
    CHECK(verify.out.find("The account sue has") == std::string::npos);
}

TEST_CASE("an account written into the users table is held back, put back deactivated, then no longer flagged",
          "[security][insider][ghost]") {
    Agency agency;
    {
        Insider sue(agency.store, "sue", kSue);
        sue.exec("INSERT INTO users(username, display_name, roles, status, created_at, approved_at, "
                 "training_completed_at) VALUES ('gus', 'Gus', 'program_administrator', 'active', "
                 "'2026-11-30T12:00:00.000Z', '2026-11-30T12:00:00.000Z', '2026-11-30T12:00:00.000Z')");
    }
    auto before = agency.as("chief", kChief, {"user", "list"});
    INFO(before.out << before.err);
    CHECK(before.err.find("The users table was edited outside FaceLead") != std::string::npos);
    const auto gusLine = before.out.substr(before.out.find("gus\t"));
    CHECK(gusLine.find("TABLE EDITED OUTSIDE FACELEAD, NOT OBEYED") < gusLine.find('\n'));
    REQUIRE(agency.as("chief", kChief, {"user", "restore-table", "--reason", "ghost account, ticket 9"}).exitCode == 0);
    // Trial 11: the put-back row stayed flagged for good; the signed restore now tells the log about it.
    auto after = agency.as("chief", kChief, {"user", "list"});
    INFO(after.out << after.err);
    CHECK(after.out.substr(after.out.find("gus\t")).find("gus\tdeactivated\t\t") == 0);
    CHECK(after.out.find("TABLE EDITED") == std::string::npos);
    CHECK(after.err.find("The users table was edited outside FaceLead") == std::string::npos);
    CHECK(agency.verify().exitCode == 0);
}

TEST_CASE("a key slot the signed log never certified signs nothing: a ghost's attempt waits for a real sign-in, and "
          "a colleague's swapped slot is refused", "[security][insider][ghost]") {
    Agency agency;
    const std::string gusPassword = "the ghost's own password 7";
    {
        Insider bob(agency.store, "bob", kBob);
        bob.exec("INSERT INTO users(username, display_name, roles, status, created_at, approved_at) VALUES ('gus', "
                 "'Gus', 'program_administrator', 'active', '2026-11-30T12:00:00.000Z', '2026-11-30T12:00:00.000Z')");
        bob.writeKeySlot("gus", gusPassword);
    }
    auto gus = agency.as("gus", gusPassword, {"user", "list"});
    CHECK(gus.exitCode != 0);
    CHECK(gus.err.find("was added to the store outside FaceLead") != std::string::npos);
    REQUIRE(agency.as("chief", kChief, {"user", "restore-table", "--reason", "ghost account, ticket 9"}).exitCode == 0);
    // Trial 12A: the ghost's refusal was signed with its uncertified key, so verify stayed broken for good.
    CHECK(agency.verify().exitCode == 0);
    {
        Insider chief(agency.store, "chief", kChief);
        const auto carried = chief.query(
            "SELECT signer FROM audit_log WHERE action = 'signin.refused_not_active' AND username = 'gus'");
        REQUIRE(carried.size() == 1);
        CHECK(carried[0][0] == "chief");
    }

    const std::string swapped = "bob's slot, swapped by sue";
    agency.as("sue", kSue, {"user", "list"});  // sue's slot takes up the database key the restore changed
    {
        Insider sue(agency.store, "sue", kSue);
        sue.writeKeySlot("bob", swapped);
    }
    auto asBob = agency.as("bob", swapped, {"user", "list"});
    CHECK(asBob.exitCode != 0);
    CHECK(asBob.err.find("holds a signing key the signed audit log never certified") != std::string::npos);
    CHECK(agency.verify().exitCode == 0);
}

TEST_CASE("a role change signed by oneself is refused by the chain", "[security][insider]") {
    Agency agency;
    const std::string ownPassword = kBob + " 2";
    REQUIRE(agency.ownPassword("bob", kBob, ownPassword).exitCode == 0);
    {
        Insider bob(agency.store, "bob", ownPassword);
        bob.exec("UPDATE users SET roles = 'investigator,program_administrator' WHERE username = 'bob'");
        bob.appendSignedEntry(
            "user.roles_changed",
            R"({"username":"bob","from":"investigator","to":"investigator,program_administrator"})");
    }
    auto verify = agency.verify();
    CHECK(verify.exitCode == 1);
    CHECK(verify.out.find("bob was neither a program administrator nor a supervisor when signing this "
                          "user.roles_changed") !=
          std::string::npos);
    // Trial 13A: the program administrators are told at sign-in, not only by audit verify.
    CHECK(verify.err.find("FaceLead does not obey, signed without the authority for it") != std::string::npos);
    // The forged grant is not obeyed.
    CHECK(agency.as("bob", ownPassword, {"audit", "verify"}).err.find("[permission_denied]") != std::string::npos);
}

namespace {

void copyStore(const std::string& from, const std::string& to, bool withWal) {
    namespace fs = std::filesystem;
    for (const char* suffix : {"", ".keys"})
        fs::copy_file(from + suffix, to + suffix, fs::copy_options::overwrite_existing);
    for (const char* suffix : {"-wal", "-shm"}) {
        std::error_code ignored;
        fs::remove(to + suffix, ignored);
        if (withWal && fs::exists(from + suffix)) fs::copy_file(from + suffix, to + suffix);
    }
}

// Committed entries the anchor knows of are gone: said at sign-in (stderr) and by audit verify.
void checkLostEntriesReported(const CliRun& verify) {
    INFO(verify.out << verify.err);
    CHECK(verify.err.find("WARNING: The audit log does not match its anchor outside the store") !=
          std::string::npos);
    CHECK(verify.exitCode == 1);
    CHECK(verify.out.find("rolled back to an older copy, truncated, or lost its -wal file after a crash") !=
          std::string::npos);
}

}  // namespace

// Trial 81 F1: one such entry, naming no account entry before it, held every account back as anonymous damage.
TEST_CASE("trial 81 F1: an unlinked account entry signed with one's own key is named, not obeyed, and holds nobody "
          "back",
          "[security][insider][unlinked]") {
    Agency agency;
    const std::string ownPassword = kBob + " 2";
    REQUIRE(agency.ownPassword("bob", kBob, ownPassword).exitCode == 0);
    {
        Insider bob(agency.store, "bob", ownPassword);
        bob.appendSignedEntry("user.roles_changed",
                              R"({"username":"bob","from":"investigator","to":"investigator,supervisor"})");
    }
    auto verify = agency.verify();
    CHECK(verify.exitCode == 1);
    CHECK(verify.out.find("the holder of bob's key wrote it outside FaceLead") != std::string::npos);
    CHECK(verify.out.find("damaged after signing") == std::string::npos);
    // The program administrator is advised only on what was found (trial 84 F6).
    CHECK(verify.err.find("audit verify (Reports > Audit log) names the damage") != std::string::npos);
    CHECK(verify.err.find("acknowledge-anchors") == std::string::npos);
    CHECK(verify.err.find("signs the settings again") == std::string::npos);
    // Nobody is held back: the administration goes on, and the forged role is not obeyed.
    auto added = agency.as("chief", kChief, {"user", "add", "dan", "--display-name", "Dan", "--roles", "investigator"},
                           "long secret of the new one\n");
    CHECK(added.exitCode == 0);
    CHECK(added.err.find("FaceLead refuses every change") == std::string::npos);
    CHECK(agency.as("bob", ownPassword, {"user", "approve", "dan"}).err.find("[permission_denied]") !=
          std::string::npos);
}

// Trial 81 F2: the auditor read the honest colleagues' names, never the key that did it.
TEST_CASE("trial 81 F2: an entry in a colleague's name names the key that signed it",
          "[security][insider][whose_key]") {
    Agency agency;
    const std::string ownPassword = kBob + " 2";
    REQUIRE(agency.ownPassword("bob", kBob, ownPassword).exitCode == 0);
    {
        Insider bob(agency.store, "bob", ownPassword);
        bob.claimName("sue");
        bob.appendLinkedAccountEntry("user.approved", {{"username", "bob"}});
    }
    auto verify = agency.verify();
    INFO(verify.out);
    CHECK(verify.out.find("(user.approved): it is signed with bob's certified key, not sue's certified key") !=
          std::string::npos);
}

TEST_CASE("trial 81 F2: the entries re-signed after a re-hash are named with their signer",
          "[security][insider][rehash]") {
    Agency agency;
    const std::string ownPassword = kBob + " 2";
    REQUIRE(agency.ownPassword("bob", kBob, ownPassword).exitCode == 0);
    REQUIRE(agency.as("chief", kChief, {"user", "list"}).exitCode == 0);
    agency.as("bob", ownPassword, {"audit", "verify"});  // refused: bob's sign-in and refusal, between chief's
    REQUIRE(agency.as("chief", kChief, {"user", "list"}).exitCode == 0);
    {
        Insider bob(agency.store, "bob", ownPassword);
        // The chief's first entry after bob's key was approved: bob's entries after it are re-signed with his key.
        const auto first = bob.query("SELECT min(seq) FROM audit_log WHERE username = 'chief' AND seq > (SELECT "
                                     "max(seq) FROM audit_log WHERE action = 'user.key_approved')");
        bob.execWithoutTriggers("DELETE FROM audit_log WHERE seq = " + first[0][0]);
        bob.rehashChain();
    }
    auto verify = agency.verify();
    INFO(verify.out);
    CHECK(verify.exitCode == 1);
    // Where the anchor recorded another entry, the one that holds there now names its signer (trial 81 F2, 83 F1).
    CHECK(verify.out.find("The entry there now holds, signed by bob: bob's key signed it after that") !=
          std::string::npos);
}

TEST_CASE("putting back an older copy of the store is reported at the next sign-in and by audit verify",
          "[security][insider][rollback]") {
    Agency agency;
    const std::string older = (agency.dir / "older.store").string();
    copyStore(agency.store, older, false);  // no process has it open: the WAL is checkpointed away
    REQUIRE(agency.ownPassword("bob", kBob, kBob + " 2").exitCode == 0);
    REQUIRE(agency.as("chief", kChief, {"user", "list"}).exitCode == 0);
    copyStore(older, agency.store, false);  // the rollback

    auto verify = agency.verify();
    checkLostEntriesReported(verify);
    CHECK(verify.out.find("committed entries are missing") != std::string::npos);
    // The finding is in the log itself, signed by whoever signed in.
    Insider chief(agency.store, "chief", kChief);
    CHECK(chief.query("SELECT seq FROM audit_log WHERE action = 'audit.anchor_mismatch'").size() == 1);
}

TEST_CASE("trial 64 F2: an older copy put back is reported as such, not as a users table edited outside FaceLead",
          "[security][insider][rollback]") {
    Agency agency;
    const std::string older = (agency.dir / "older.store").string();
    copyStore(agency.store, older, false);
    REQUIRE(agency.as("chief", kChief, {"user", "suspend", "bob", "--reason", "internal inquiry"}).exitCode == 0);
    copyStore(older, agency.store, false);  // the rollback: bob is active in the older copy

    auto verify = agency.verify();
    checkLostEntriesReported(verify);
    CHECK(verify.err.find("The users table was edited outside FaceLead") == std::string::npos);
    // Nor as tampering with signed entries, nor with restore-table as the advice (trial 65 F3).
    CHECK(verify.err.find("it was put back to an older copy (a backup restored)") != std::string::npos);
    CHECK(verify.err.find("damaged after signing") == std::string::npos);
    CHECK(verify.err.find("restore-table") == std::string::npos);
    // The honest way back ends intact, the table put back by the re-affirmation itself (trial 66 F2).
    REQUIRE(agency.reaffirm({"--confirm"}).exitCode == 0);
    REQUIRE(agency.as("chief", kChief, {"audit", "acknowledge-anchors", "--reason", "backup restored, ticket 9"})
                .exitCode == 0);
    auto after = agency.verify();
    CHECK(after.exitCode == 0);
    CHECK(after.err.find("users table was edited") == std::string::npos);
    CHECK(listedAccount(agency, "bob")["status"] == "suspended");
}

TEST_CASE("a store whose -wal was lost after a crash is reported", "[security][insider][lost_wal]") {
    Agency agency;
    const std::string crashed = (agency.dir / "crashed.store").string();
    {
        // An open connection keeps the WAL from being checkpointed when the CLI exits, as after a crash.
        Insider holder(agency.store, "chief", kChief);
        REQUIRE(agency.ownPassword("bob", kBob, kBob + " 2").exitCode == 0);
        REQUIRE(std::filesystem::file_size(agency.store + "-wal") > 0);
        copyStore(agency.store, crashed, false);  // the main file without its -wal
    }
    checkLostEntriesReported(
        cli(agency.dir, {"audit", "verify", "--store", crashed, "--user", "chief"}, kChief + "\n"));
}

TEST_CASE("a false store id while acting, the real one written back after the tail is cut: the anchors still name "
          "the loss (trial 24A N7)", "[security][insider][truncation][store_id]") {
    Agency agency;
    std::string before;
    {
        Insider bob(agency.store, "bob", kBob);
        before = bob.query("SELECT max(seq) FROM audit_log").at(0).at(0);
        // The settings row is no signed record: while it names another store, heads went under that name.
        bob.exec("UPDATE settings SET value = '" + std::string(32, 'a') + "' WHERE key = 'store_id'");
    }
    REQUIRE(agency.ownPassword("bob", kBob, kBob + " 2").exitCode == 0);
    REQUIRE(agency.as("chief", kChief, {"user", "list"}).exitCode == 0);
    {
        Insider bob(agency.store, "bob", kBob + " 2");
        bob.execWithoutTriggers("DELETE FROM audit_log WHERE seq > " + before);
        bob.exec("UPDATE settings SET value = (SELECT substr(details, instr(details, '\"store_id\":\"') + 12, 32) FROM "
                 "audit_log WHERE seq = 1) WHERE key = 'store_id'");
    }
    checkLostEntriesReported(agency.verify());
}

TEST_CASE("deleting the tail of the chain, all of it one's own, is caught by the anchor",
          "[security][insider][truncation]") {
    Agency agency;
    REQUIRE(agency.ownPassword("bob", kBob, kBob + " 2").exitCode == 0);
    agency.as("bob", kBob + " 2", {"user", "list"});  // his own tail, after the key his password change gave him
    {
        Insider bob(agency.store, "bob", kBob + " 2");
        const auto last = bob.query(
            "SELECT min(seq) FROM audit_log WHERE username = 'bob' AND seq > "
            "(SELECT max(seq) FROM audit_log WHERE username <> 'bob' OR action = 'store.key_rotated')");
        REQUIRE(last.size() == 1);
        bob.execWithoutTriggers("DELETE FROM audit_log WHERE seq >= " + last[0][0]);
    }
    checkLostEntriesReported(agency.verify());
    // Trial 14A: whoever signs in first gets the one warning (the insider makes sure it is him); everyone after
    // is told too, until a program administrator answers for it.
    for (const auto& [user, password] : {std::pair{"bob", kBob + " 2"}, std::pair{"sue", kSue}})
        CHECK(agency.as(user, password, {"user", "list"}).err.find("An earlier sign-in found the audit log not "
                                                                   "matching its anchor") != std::string::npos);
}

TEST_CASE("an entry deleted from the middle is named where it was, and the anchored entries after it are not "
          "blamed", "[security][insider][truncation]") {
    Agency agency;
    REQUIRE(agency.ownPassword("bob", kBob, kBob + " 2").exitCode == 0);
    agency.as("chief", kChief, {"user", "list"});  // more anchored heads after the one deleted
    {
        Insider bob(agency.store, "bob", kBob + " 2");
        bob.execWithoutTriggers("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log "
                                "WHERE action = 'user.password_changed')");
    }
    auto verify = agency.verify();
    INFO(verify.out);
    CHECK(verify.exitCode == 1);
    CHECK(verify.out.find("entries are missing before this one") != std::string::npos);
    // Trial 12A: the heads were compared by position, so every intact entry after the gap "differed".
    CHECK(verify.out.find("differs from the one") == std::string::npos);
    CHECK(verify.out.find("The store ends at audit entry") == std::string::npos);
}

TEST_CASE(
    "a deactivated user's old key file and password open nothing; re-enabling him in the table is named",
    "[security][insider][deactivated]") {
    Agency agency;
    REQUIRE(agency
                .as("chief", kChief,
                    {"user", "add", "carl", "--display-name", "Carl", "--roles", "investigator"},
                    "long secret of the colleague\n")
                .exitCode == 0);
    REQUIRE(agency.as("sue", kSue, {"user", "approve", "carl"}).exitCode == 0);
    const auto kept = agency.dir / "bob-kept-this.keys";
    std::filesystem::copy_file(agency.store + ".keys", kept);
    REQUIRE(Insider::canRead(agency.store, kept, "bob", kBob));

    REQUIRE(agency.as("chief", kChief, {"user", "deactivate", "bob", "--reason", "left the unit"}).exitCode ==
            0);
    CHECK_FALSE(Insider::canRead(agency.store, kept, "bob", kBob));
    CHECK(agency.verify().exitCode == 0);

    // A colleague who still has a key turns bob back on in the users table.
    REQUIRE(agency.ownPassword("carl", "long secret of the colleague", "long secret of the colleague 2").exitCode == 0);  // carl's slot now holds the rotated key
    {
        Insider carl(agency.store, "carl", "long secret of the colleague 2");
        carl.exec("UPDATE users SET status = 'active' WHERE username = 'bob'");
    }
    auto verify = agency.verify();
    CHECK(verify.exitCode == 1);
    CHECK(verify.out.find(
              "The account bob is active in the store, but the signed audit log says deactivated.") !=
          std::string::npos);
}

TEST_CASE("trial 61 F1: after her own password change, the key file from before and the old password open "
          "nothing and sign nothing in her name",
          "[security][insider][password_change]") {
    Agency agency;
    // The creator of sue's account chose her first password, and kept the key file of that day.
    const auto kept = agency.dir / "chief-kept-this.keys";
    REQUIRE(agency.as("chief", kChief, {"user", "add", "eve", "--display-name", "Eve", "--roles", "supervisor"},
                      "first password of Ms E 1\n")
                .exitCode == 0);
    REQUIRE(agency.as("sue", kSue, {"user", "approve", "eve"}).exitCode == 0);
    std::filesystem::copy_file(agency.store + ".keys", kept);
    Insider eveAsCreated(agency.store, "eve", "first password of Ms E 1");

    REQUIRE(agency.ownPassword("eve", "first password of Ms E 1", "own password of Ms E 22").exitCode == 0);
    CHECK(agency.verify().exitCode == 0);  // the account's new key, certified by its old one, holds
    CHECK_FALSE(Insider::canRead(agency.store, kept, "eve", "first password of Ms E 1"));

    // Her old slot put back into today's key file: the old password opens nothing.
    nlohmann::json before;
    std::ifstream(kept) >> before;
    agency.editKeyFile([&](nlohmann::json& keys) {
        for (auto& slot : keys["slots"])
            if (slot["username"] == "eve")
                for (const auto& old : before["slots"])
                    if (old["username"] == "eve") slot = old;
    });
    CHECK(agency.as("eve", "first password of Ms E 1", {"user", "list"}).exitCode != 0);

    // Her old key, with today's database key (chief's own), signs an approval in her name: named, not obeyed.
    {
        Insider chief(agency.store, "chief", kChief);
        chief.signAs(eveAsCreated);
        chief.appendSignedEntry("user.approved", R"({"username":"bob"})");
    }
    auto verify = agency.verify();
    CHECK(verify.exitCode != 0);
    CHECK(verify.out.find("signed with a key once certified as eve's (replaced since), not eve's certified key") !=
          std::string::npos);
}


TEST_CASE("trial 62 F1: one person holding both roles approves his own account, or changes roles alone, with his "
          "own key: named by audit verify, and not obeyed",
          "[security][insider][two_persons]") {
    Agency agency;  // chief: program administrator and supervisor, as store init makes the founder
    REQUIRE(agency.as("chief", kChief, {"user", "add", "nan", "--display-name", "Nan", "--roles",
                                        "program_administrator"}, "first secret 1 of N\n")
                .exitCode == 0);
    {
        Insider chief(agency.store, "chief", kChief);
        chief.appendLinkedAccountEntry("user.approved", {{"username", "nan"}});
        chief.exec("UPDATE users SET status = 'active' WHERE username = 'nan'");
        chief.appendSignedEntry("user.role_change_requested",
                                R"({"username":"bob","from":"investigator","to":"investigator,supervisor"})");
        const std::string requested = chief.query("SELECT max(seq) FROM audit_log")[0][0];
        chief.appendLinkedAccountEntry("user.roles_changed", {{"username", "bob"},
                                                              {"from", "investigator"},
                                                              {"to", "investigator,supervisor"},
                                                              {"request_seq", std::stoll(requested)},
                                                              {"requested_by", 1}});
        chief.exec("UPDATE users SET roles = 'investigator,supervisor' WHERE username = 'bob'");
    }
    auto verify = agency.verify();
    CHECK(verify.exitCode != 0);
    CHECK(verify.out.find("chief created the account nan and approved it too") != std::string::npos);
    CHECK(verify.out.find("chief approved a change of roles they requested") != std::string::npos);
    CHECK(listedAccount(agency, "nan")["status"] == "pending_approval");
    CHECK(listedAccount(agency, "bob")["roles"] == "investigator");
}

TEST_CASE("trial 62 F2: the key of an account whose password an administrator set signs nothing but its owner's "
          "sign-in and password change",
          "[security][insider][two_persons]") {
    Agency agency;
    // chief creates a supervisor and a program administrator; sue approves the supervisor in good faith.
    REQUIRE(agency.as("chief", kChief, {"user", "add", "yan", "--display-name", "Yan", "--roles", "supervisor"},
                      "first secret 2 of Y\n")
                .exitCode == 0);
    REQUIRE(agency.as("chief", kChief, {"user", "add", "mal", "--display-name", "Mal", "--roles",
                                        "program_administrator"}, "first secret 3 of M\n")
                .exitCode == 0);
    REQUIRE(agency.as("sue", kSue, {"user", "approve", "yan"}).exitCode == 0);
    {
        // He chose yan's password: her key is his too until she changes it.
        Insider yan(agency.store, "yan", "first secret 2 of Y");
        Insider chief(agency.store, "chief", kChief);
        chief.signAs(yan);
        chief.appendLinkedAccountEntry("user.approved", {{"username", "mal"}});
        chief.exec("UPDATE users SET status = 'active' WHERE username = 'mal'");
    }
    auto verify = agency.verify();
    CHECK(verify.exitCode != 0);
    CHECK(verify.out.find("with a key no supervisor approved as yan's own (made when chief set the password)") !=
          std::string::npos);
    CHECK(listedAccount(agency, "mal")["status"] == "pending_approval");
    // Her own change makes a key of hers, which sue approves with the fingerprint yan shows her: what yan signs from
    // then on counts.
    REQUIRE(agency.ownPassword("yan", "first secret 2 of Y", "own secret 22 of Y").exitCode == 0);
    CHECK(agency.as("yan", "own secret 22 of Y", {"user", "approve", "mal"}).exitCode == 0);
    CHECK(listedAccount(agency, "mal")["status"] == "active");
}

namespace {

std::string firstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

// The key the signed log last certified for `username`, read as an insider with the database key reads it.
std::string lastCertifiedKey(Insider& insider, const std::string& username) {
    const auto certified = insider.query("SELECT details FROM audit_log WHERE action = 'key.certified' AND details LIKE "
                                         "'%\"" + username + "\"%' ORDER BY seq DESC LIMIT 1");
    REQUIRE(certified.size() == 1);
    return nlohmann::json::parse(certified[0][0])["public_key"].get<std::string>();
}

// yan, a supervisor chief created with a first password he chose, approved (access) by sue.
void addYan(Agency& agency) {
    REQUIRE(agency.as("chief", kChief, {"user", "add", "yan", "--display-name", "Yan", "--roles", "supervisor"},
                      "first secret 2 of Y\n")
                .exitCode == 0);
    REQUIRE(agency.as("sue", kSue, {"user", "approve", "yan"}).exitCode == 0);
}

}  // namespace

TEST_CASE("trial 63 F2: whoever chose the first password and makes the owner's password change before her gets a key "
          "no supervisor approves, and signs nothing with it",
          "[security][insider][two_persons][key_approval]") {
    Agency agency;
    addYan(agency);
    REQUIRE(agency.as("chief", kChief, {"user", "add", "mal", "--display-name", "Mal", "--roles",
                                        "program_administrator"}, "first secret 3 of M\n")
                .exitCode == 0);
    // chief knew yan's first password: he makes "her" password change before she does.
    const auto preempted = agency.as("yan", "first secret 2 of Y", {"user", "passwd"}, "chief chose this 9\n");
    REQUIRE(preempted.exitCode == 0);
    const std::string fingerprint = firstLine(preempted.out);
    REQUIRE(fingerprint.size() == 24);  // "XXXX XXXX XXXX XXXX XXXX"
    // Signed in as yan with that key, nothing is allowed; the refusal shows the key's fingerprint.
    const auto asYan = agency.as("yan", "chief chose this 9", {"user", "approve", "mal"});
    CHECK(asYan.exitCode != 0);
    CHECK(asYan.err.find(fingerprint) != std::string::npos);
    // He set her password: he does not approve the key made after it, with the right fingerprint or not.
    const auto byChief = agency.as("chief", kChief, {"user", "approve-key", "yan", "--fingerprint", fingerprint});
    CHECK(byChief.exitCode != 0);
    INFO(byChief.err);
    CHECK(byChief.err.find("another supervisor must approve it") != std::string::npos);
    // yan herself cannot sign in, and tells sue; sue approves no fingerprint but the one yan would show her.
    CHECK(agency.as("yan", "first secret 2 of Y", {"user", "list"}).exitCode != 0);
    const auto guessed =
        agency.as("sue", kSue, {"user", "approve-key", "yan", "--fingerprint", "0000 0000 0000 0000 0000"});
    CHECK(guessed.exitCode != 0);
    CHECK(guessed.err.find("not the fingerprint of the key Yan made") != std::string::npos);
    // Outside FaceLead, with the key he made and today's database key: an approval of that key in his own name, and
    // an approval of mal in yan's, are named by audit verify and not obeyed.
    {
        Insider chief(agency.store, "chief", kChief);
        chief.appendLinkedAccountEntry("user.key_approved",
                                       {{"username", "yan"}, {"public_key", lastCertifiedKey(chief, "yan")}});
        Insider yan(agency.store, "yan", "chief chose this 9");
        chief.signAs(yan);
        chief.appendLinkedAccountEntry("user.approved", {{"username", "mal"}});
        chief.exec("UPDATE users SET status = 'active' WHERE username = 'mal'");
    }
    const auto verify = agency.verify();
    CHECK(verify.exitCode != 0);
    CHECK(verify.out.find("chief set the password of yan and approved the key made after it") != std::string::npos);
    CHECK(verify.out.find("with a key no supervisor approved as yan's own (made by a password change after chief set "
                          "the password") != std::string::npos);
    CHECK(listedAccount(agency, "mal")["status"] == "pending_approval");
    CHECK(listedAccount(agency, "yan")["key_awaits_approval"] == true);
    CHECK(agency.as("chief", kChief, {"audit", "export", "--format", "json"}).out.find("user.approve_key") !=
          std::string::npos);  // the refused approvals are on record
}

TEST_CASE("trial 63 F2: the owner's own key, approved by a supervisor who did not set her password with the "
          "fingerprint she shows, signs her work; after a reset, again",
          "[security][two_persons][key_approval]") {
    Agency agency;
    addYan(agency);
    const auto own = agency.as("yan", "first secret 2 of Y", {"user", "passwd"}, "own secret 22 of Y\n");
    REQUIRE(own.exitCode == 0);
    const std::string fingerprint = firstLine(own.out);
    // Until it is approved she does nothing but read her fingerprint again at each sign-in.
    const auto waiting = agency.as("yan", "own secret 22 of Y", {"user", "list"});
    CHECK(waiting.exitCode != 0);
    CHECK(waiting.err.find(fingerprint) != std::string::npos);
    CHECK(agency.as("sue", kSue, {"user", "list"}).out.find("KEY WAITS FOR A SUPERVISOR'S APPROVAL") !=
          std::string::npos);
    // Typed as read aloud: lower case, without the spaces.
    std::string typed;
    for (const char c : fingerprint)
        if (c != ' ') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    REQUIRE(agency.as("sue", kSue, {"user", "approve-key", "yan", "--fingerprint", typed}).exitCode == 0);
    CHECK(agency.as("yan", "own secret 22 of Y", {"user", "list"}).exitCode == 0);
    CHECK(agency.verify().exitCode == 0);
    // A reset by chief: the key of her next own password waits for a supervisor again (chief knew the reset one).
    REQUIRE(agency.as("chief", kChief, {"user", "passwd", "yan"}, "Reset-Password-4-Y-7\nReset-Password-4-Y-7\n")
                .exitCode == 0);
    const auto afterReset = agency.as("yan", "Reset-Password-4-Y-7", {"user", "passwd"}, "own secret 33 of Y\n");
    REQUIRE(afterReset.exitCode == 0);
    CHECK(agency.as("yan", "own secret 33 of Y", {"user", "list"}).exitCode != 0);
    REQUIRE(agency.as("sue", kSue, {"user", "approve-key", "yan", "--fingerprint", firstLine(afterReset.out)})
                .exitCode == 0);
    // Her own change of a password that was hers: nothing to approve.
    const auto third = agency.as("yan", "own secret 33 of Y", {"user", "passwd"}, "own secret 44 of Y\n");
    REQUIRE(third.exitCode == 0);
    CHECK(third.out.empty());
    CHECK(agency.as("yan", "own secret 44 of Y", {"user", "list"}).exitCode == 0);
    CHECK(agency.verify().exitCode == 0);
}

TEST_CASE("trial 63 F1: the founding exception is the store's beginning only: with the others suspended, the "
          "founder still approves no account he created",
          "[security][insider][two_persons]") {
    Agency agency;
    REQUIRE(agency.as("chief", kChief, {"user", "suspend", "sue", "--reason", "leave"}).exitCode == 0);
    REQUIRE(agency.as("chief", kChief, {"user", "suspend", "bob", "--reason", "leave"}).exitCode == 0);
    REQUIRE(agency.as("chief", kChief, {"user", "add", "zed", "--display-name", "Zed", "--roles", "supervisor"},
                      "first secret 4 of Z\n")
                .exitCode == 0);
    const auto approved = agency.as("chief", kChief, {"user", "approve", "zed"});
    CHECK(approved.exitCode != 0);
    CHECK(approved.err.find("another supervisor must approve it") != std::string::npos);
    CHECK(listedAccount(agency, "zed")["status"] == "pending_approval");
}

TEST_CASE("every file FaceLead writes is owner-only, whatever the umask", "[security][files_owner_only]") {
    Agency agency;
    const auto exported = agency.dir / "audit.csv";
    REQUIRE(agency.as("chief", kChief, {"audit", "export", "--format", "csv", "--out", exported.string()})
                .exitCode == 0);
    namespace fs = std::filesystem;
    for (const fs::path& file : {fs::path(agency.store), fs::path(agency.store + ".keys"), exported}) {
        INFO(file);
        REQUIRE(fs::exists(file));
        CHECK((fs::status(file).permissions() & (fs::perms::group_all | fs::perms::others_all)) ==
              fs::perms::none);
    }
}

namespace {

// chief creates pat, a trainer, and sue approves her: a grant made by two persons.
void grantTrainerPat(Agency& agency) {
    REQUIRE(agency.as("chief", kChief, {"user", "add", "pat", "--display-name", "Pat", "--roles", "trainer"},
                      "first secret of the trainer\n")
                .exitCode == 0);
    REQUIRE(agency.as("sue", kSue, {"user", "approve", "pat"}).exitCode == 0);
}

// Signs in to the copy (same store id, same accounts) so that it writes and anchors entries of its own.
void useCopy(Agency& agency, const std::string& copy) {
    REQUIRE(cli(agency.dir, {"user", "list", "--store", copy, "--user", "chief"}, kChief + "\n").exitCode == 0);
}

}  // namespace

TEST_CASE("a copy of the store used alongside the original is reported, and stays reported until a program "
          "administrator acknowledges its heads with a reason",
          "[security][insider][fork]") {
    Agency agency;
    const std::string copy = (agency.dir / "copy.store").string();
    copyStore(agency.store, copy, false);
    REQUIRE(agency.as("chief", kChief, {"user", "list"}).exitCode == 0);
    useCopy(agency, copy);
    REQUIRE(agency.as("chief", kChief, {"user", "list"}).exitCode == 0);

    auto forked = agency.verify();
    INFO(forked.out << forked.err);
    CHECK(forked.exitCode == 1);
    CHECK(forked.out.find("Another copy of this store, at " + std::filesystem::weakly_canonical(copy).string() +
                          ", was used alongside it") != std::string::npos);
    CHECK(forked.out.find("facelead-cli audit acknowledge-anchors --reason TEXT") != std::string::npos);

    SECTION("an investigator may not acknowledge, and a forged acknowledgement signed by him silences nothing") {
        REQUIRE(agency.ownPassword("bob", kBob, kBob + " 2").exitCode == 0);
        CHECK(agency.as("bob", kBob + " 2", {"audit", "acknowledge-anchors", "--reason", "mine"})
                  .err.find("[permission_denied]") != std::string::npos);
        {
            // The copy's own entries are the heads the anchor holds for it: bob lists them all in his forgery.
            auto heads = nlohmann::json::array();
            for (const auto& row : Insider(copy, "bob", kBob).query("SELECT seq, hash FROM audit_log"))
                heads.push_back({{"seq", std::stoll(row[0])}, {"hash", row[1]}});
            Insider(agency.store, "bob", kBob + " 2")
                .appendSignedEntry("audit.anchors_acknowledged",
                                   nlohmann::json{{"heads", heads}, {"reason", "x"}}.dump());
        }
        auto after = agency.verify();
        CHECK(after.exitCode == 1);
        CHECK(after.out.find("was not a program administrator when signing this audit.anchors_acknowledged") !=
              std::string::npos);
    }
    SECTION("acknowledged with a reason, verify is intact and says so; the copy used again is named again") {
        CHECK(agency.as("chief", kChief, {"audit", "acknowledge-anchors", "--reason", " "}).exitCode == 1);
        auto ack = agency.as("chief", kChief,
                             {"audit", "acknowledge-anchors", "--reason",
                              "The copy taken to the field laptop is kept as exhibit 12"});
        REQUIRE(ack.exitCode == 0);
        auto after = agency.verify();
        CHECK(after.exitCode == 0);
        CHECK(after.err.find("WARNING") == std::string::npos);
        CHECK(after.out.find("acknowledged by a program administrator") != std::string::npos);
        Insider chief(agency.store, "chief", kChief);
        CHECK(chief.query("SELECT seq FROM audit_log WHERE action = 'audit.anchors_acknowledged' AND "
                          "details LIKE '%exhibit 12%'")
                  .size() == 1);

        useCopy(agency, copy);
        CHECK(agency.verify().exitCode == 1);
    }
}

TEST_CASE("trial 65 F5: a copy kept and used alongside the store in use is reported as that copy and takes nothing "
          "away from the accounts granted since; moved into the store's place, it is a rollback",
          "[security][insider][fork]") {
    namespace fs = std::filesystem;
    Agency agency;
    fs::create_directories(agency.dir / "kept");
    const std::string kept = (agency.dir / "kept" / "agency.store").string();
    copyStore(agency.store, kept, false);  // bob keeps a copy
    grantTrainerPat(agency);
    // On his copy, where pat does not exist, bob changes his password: an account change anchored under the
    // store's id. Then the store in use suspends him.
    REQUIRE(cli(agency.dir, {"user", "passwd", "--store", kept, "--user", "bob"}, kBob + "\n" + kBob + " 2\n")
                .exitCode == 0);
    REQUIRE(agency.as("chief", kChief, {"user", "suspend", "bob", "--reason", "internal inquiry"}).exitCode == 0);

    SECTION("the store in use keeps its accounts and its administration, and names the copy") {
        const auto pat = listedAccount(agency, "pat");
        CHECK(pat["status"] == "active");
        CHECK(pat["roles"] == "trainer");
        CHECK(listedAccount(agency, "bob")["status"] == "suspended");
        CHECK(agency.as("chief", kChief, {"user", "add", "dan", "--display-name", "Dan", "--roles", "investigator"},
                        "first secret of the new one\n")
                  .exitCode == 0);
        auto verify = agency.verify();
        CHECK(verify.exitCode == 1);
        CHECK(verify.out.find("Another copy of this store, at " + fs::weakly_canonical(kept).string() +
                              ", was used alongside it") != std::string::npos);
        CHECK(verify.out.find("held to the lesser") == std::string::npos);
        CHECK((verify.out + verify.err).find("The users table was edited") == std::string::npos);
        REQUIRE(agency.as("chief", kChief, {"audit", "acknowledge-anchors", "--reason", "bob's copy seized, case 7"})
                    .exitCode == 0);
        // The password bob changed in his copy made another key there: the one this store has for him signs
        // nothing until a program administrator resets his password (trial 69 F1), which ends the finding.
        auto acknowledged = agency.verify();
        CHECK(acknowledged.out.find("another key for bob than this store has") != std::string::npos);
        REQUIRE(agency.as("chief", kChief, {"user", "passwd", "bob"}, "Reset-Secret-Of-B-74\nReset-Secret-Of-B-74\n")
                    .exitCode == 0);
        CHECK(agency.verify().exitCode == 0);
    }
    SECTION("the copy itself is told that the store in use moved on without it") {
        auto verify = cli(agency.dir, {"audit", "verify", "--store", kept, "--user", "chief"}, kChief + "\n");
        INFO(verify.out << verify.err);
        CHECK(verify.exitCode == 1);
        CHECK(verify.out.find("Another copy of this store") == std::string::npos);
        CHECK(verify.out.find("the store was rolled back to an older copy") != std::string::npos);
        CHECK(verify.out.find("The store at " + fs::weakly_canonical(agency.store).string() +
                              " went on from audit entry") != std::string::npos);
        CHECK(verify.out.find("it is an older copy of the store") != std::string::npos);
    }
    SECTION("moved into the store's place, the copy is a rollback: what the store in use did since still holds") {
        for (const char* suffix : {"-wal", "-shm"}) fs::remove(agency.store + suffix);
        fs::rename(kept, agency.store);
        fs::rename(kept + ".keys", agency.store + ".keys");
        auto verify = agency.verify();
        CHECK(verify.exitCode == 1);
        CHECK(verify.out.find("Another copy of this store") == std::string::npos);
        CHECK(verify.out.find("held to the lesser") != std::string::npos);
        CHECK(listedAccount(agency, "bob")["status"] == "suspended");
    }
}

TEST_CASE("trial 66 F1: a copy that anchored the last entry before the fork, put in the store's place through a "
          "symbolic link, is a rollback: the suspension taken in the store in use holds",
          "[security][insider][fork][rollback]") {
    namespace fs = std::filesystem;
    Agency agency;
    fs::create_directories(agency.dir / "aside");
    const std::string aside = (agency.dir / "aside" / "agency.store").string();
    // bob moves the store aside for a moment, signs in there, and copies it back: the entry both chains will hold
    // last was anchored by the file that becomes his copy.
    for (const char* suffix : {"", ".keys"}) fs::rename(agency.store + suffix, aside + suffix);
    REQUIRE(cli(agency.dir, {"user", "list", "--store", aside, "--user", "bob"}, kBob + "\n").exitCode != 0);
    copyStore(aside, agency.store, false);
    REQUIRE(agency.as("chief", kChief, {"user", "suspend", "bob", "--reason", "internal inquiry"}).exitCode == 0);
    // Then he points the store's path at his copy, where he is still active.
    for (const char* suffix : {"", ".keys"}) {
        fs::rename(agency.store + suffix, (agency.dir / "real").string() + suffix);
        fs::create_symlink(aside + suffix, agency.store + suffix);
    }
    fs::remove(agency.store + "-wal");
    CHECK(listedAccount(agency, "bob")["status"] == "suspended");
    CHECK(agency.as("bob", kBob, {"user", "list"}).err.find("suspended") != std::string::npos);
    auto verify = agency.verify();
    CHECK(verify.exitCode == 1);
    CHECK(verify.out.find("Another copy of this store") == std::string::npos);
    CHECK(verify.out.find("held to the lesser") != std::string::npos);
}

TEST_CASE("trial 67 F1: a copy signed in to before the store in use went on, put in its place after a suspension: "
          "the suspension holds; and the store in use meanwhile keeps what it granted",
          "[security][insider][fork][rollback]") {
    Agency agency;
    const std::string kept = (agency.dir / "kept.store").string();
    copyStore(agency.store, kept, false);
    // bob's copy goes on first: his sign-in there is the first transaction after the fork.
    REQUIRE(cli(agency.dir, {"user", "list", "--store", kept, "--user", "bob"}, kBob + "\n").exitCode != 0);
    grantTrainerPat(agency);
    REQUIRE(agency.as("chief", kChief, {"user", "suspend", "bob", "--reason", "internal inquiry"}).exitCode == 0);
    // The copy changed no account: nothing of the store in use is held back by it.
    CHECK(listedAccount(agency, "pat")["status"] == "active");
    CHECK(agency.as("chief", kChief, {"user", "add", "dan", "--display-name", "Dan", "--roles", "investigator"},
                    "first secret of the new one\n")
              .exitCode == 0);

    copyStore(kept, agency.store, false);  // his copy in the store's place
    CHECK(agency.as("bob", kBob, {"user", "list"}).err.find("suspended") != std::string::npos);
    CHECK(listedAccount(agency, "bob")["status"] == "suspended");
    auto verify = agency.verify();
    CHECK(verify.exitCode == 1);
    CHECK(verify.out.find("held to the lesser") != std::string::npos);
    // Acknowledging the heads cannot make it stand: the accounts wait for the recovery key's re-affirmation.
    // The refusal says why in one sentence, not the whole of audit verify (trial 81 F6).
    auto acknowledged = agency.as("chief", kChief, {"audit", "acknowledge-anchors", "--reason", "copy"});
    CHECK(acknowledged.exitCode != 0);
    CHECK(acknowledged.err.find("The signed account entries are damaged (audit entry ") != std::string::npos);
    CHECK(acknowledged.err.find("BROKEN") == std::string::npos);
}

TEST_CASE("trial 68 F1, F2: a deactivated account's key slot put back with an older copy signs nothing, is named by "
          "the re-affirmation and removed by it, and no database key is sealed to it again",
          "[security][insider][rollback][revocation]") {
    Agency agency;
    const std::string older = (agency.dir / "older.store").string();
    copyStore(agency.store, older, false);  // bob active, his slot in the key file
    REQUIRE(agency.as("chief", kChief, {"user", "deactivate", "bob", "--reason", "left the agency"}).exitCode == 0);
    copyStore(older, agency.store, false);  // the rollback brings his slot back with the copy's database key

    // His right password opens the slot again, but nothing is signed with his key: his refusal waits in the key
    // file, and verify never finds "signed by bob after the account was deactivated" (F2).
    CHECK(agency.as("bob", kBob, {"user", "list"}).err.find("deactivated") != std::string::npos);
    auto dryRun = agency.reaffirm({});
    CHECK(dryRun.out.find("its key slot is back in the key file") != std::string::npos);
    REQUIRE(agency.reaffirm({"--confirm"}).exitCode == 0);
    REQUIRE(agency.as("chief", kChief, {"audit", "acknowledge-anchors", "--reason", "backup restored, ticket 9"})
                .exitCode == 0);
    auto verify = agency.verify();
    CHECK(verify.exitCode == 0);
    CHECK(verify.out.find("after the account was deactivated") == std::string::npos);
    CHECK(listedAccount(agency, "bob")["status"] == "deactivated");

    // The re-affirmation removed his slot and rotated the key: neither today's key file nor the one he kept from
    // before opens the store (issue 8 item 3), and a later rotation seals nothing to him.
    using facelead::test::Insider;
    CHECK_FALSE(Insider::canRead(agency.store, agency.store + ".keys", "bob", kBob));
    CHECK_FALSE(Insider::canRead(agency.store, older + ".keys", "bob", kBob));
    REQUIRE(agency.ownPassword("chief", kChief, kChief + " 2").exitCode == 0);
    nlohmann::json keys;
    std::ifstream(agency.store + ".keys") >> keys;
    for (const auto& slot : keys["slots"]) CHECK(slot.value("username", "") != "bob");
}

TEST_CASE("trial 69 F4: --as-signed that changes nothing says so: an entry signed after the older copy was put back "
          "carries the deactivation that was held", "[security][insider][rollback][revocation]") {
    Agency agency;
    const std::string older = (agency.dir / "older.store").string();
    copyStore(agency.store, older, false);
    REQUIRE(agency.as("chief", kChief, {"user", "deactivate", "bob", "--reason", "left the agency"}).exitCode == 0);
    copyStore(older, agency.store, false);
    // The chief's own password change is signed here with bob held deactivated: the store's own signed entries
    // now leave bob deactivated too, so taking him "as signed" gives nothing back, and the holder is told.
    REQUIRE(agency.ownPassword("chief", kChief, kChief + " 2").exitCode == 0);
    auto dryRun = agency.reaffirm({"--as-signed", "bob"});
    REQUIRE(dryRun.out.find("\nbob\t") != std::string::npos);
    const auto bobLine = dryRun.out.substr(dryRun.out.find("\nbob\t") + 1);
    const auto line = bobLine.substr(0, bobLine.find('\n'));
    INFO(line);
    CHECK(line.starts_with("bob\tdeactivated"));
    CHECK(line.find("--as-signed changes nothing") != std::string::npos);
    CHECK(line.find("signed here since") != std::string::npos);
}

TEST_CASE("trial 69 F1: a password reset lost with an older copy put back: the old password signs nothing, and "
          "once the heads are acknowledged no key file opens the store with it",
          "[security][insider][rollback][revocation]") {
    Agency agency;
    const std::string older = (agency.dir / "older.store").string();
    copyStore(agency.store, older, false);  // bob's key as his old (compromised) password opens it
    REQUIRE(agency.as("chief", kChief, {"user", "passwd", "bob"}, "Reset-Secret-Of-B-71\nReset-Secret-Of-B-71\n")
                .exitCode == 0);
    copyStore(older, agency.store, false);  // the rollback loses the reset

    auto oldPassword = agency.as("bob", kBob, {"user", "list"});
    CHECK(oldPassword.exitCode != 0);
    CHECK(oldPassword.err.find("reset or changed in audit entries this store no longer holds") != std::string::npos);
    auto verify = agency.verify();
    CHECK(verify.out.find("another key for bob than this store has") != std::string::npos);
    CHECK(listedAccount(agency, "bob")["key_replaced_in_lost_entries"] == true);  // not plain "active" (trial 70 F8)
    // No account entry is damaged (roles and status stand): the administrator answers for the heads, which rotates
    // the database key; neither the key file he kept nor today's opens the store with his old password.
    REQUIRE(agency.as("chief", kChief, {"audit", "acknowledge-anchors", "--reason", "backup restored, ticket 10"})
                .exitCode == 0);
    using facelead::test::Insider;
    CHECK_FALSE(Insider::canRead(agency.store, agency.store + ".keys", "bob", kBob));
    CHECK_FALSE(Insider::canRead(agency.store, older + ".keys", "bob", kBob));
    // Told as a key left out of the rotation, not as a damaged store to restore from a backup (trial 70 F3).
    auto revoked = agency.as("bob", kBob, {"user", "list"});
    CHECK(revoked.exitCode != 0);
    CHECK(revoked.err.find("opens its key slot, but the key in it does not open the store") != std::string::npos);
    // The way back: a program administrator resets the password again, and bob makes it his own.
    REQUIRE(agency.as("chief", kChief, {"user", "passwd", "bob"}, "Second-Reset-Of-B-72\nSecond-Reset-Of-B-72\n")
                .exitCode == 0);
    CHECK(agency.ownPassword("bob", "Second-Reset-Of-B-72", "Own-Secret-Of-B-73").exitCode == 0);
    CHECK(listedAccount(agency, "bob")["key_replaced_in_lost_entries"] == false);
    // Signed in: refused only what an investigator may not do.
    CHECK(agency.as("bob", "Own-Secret-Of-B-73", {"audit", "verify"}).err.find("[permission_denied]") !=
          std::string::npos);
}

TEST_CASE("trial 68 F3, F6, F4: what the store in use granted again before an older copy was put back is named by "
          "the re-affirmation, not taken from the anchor; the users list does not call it an edit",
          "[security][insider][rollback]") {
    Agency agency;
    const std::string older = (agency.dir / "older.store").string();
    copyStore(agency.store, older, false);
    REQUIRE(agency.as("chief", kChief, {"user", "suspend", "bob", "--reason", "internal inquiry"}).exitCode == 0);
    REQUIRE(agency.as("chief", kChief, {"user", "reactivate", "bob", "--reason", "inquiry closed"}).exitCode == 0);
    copyStore(older, agency.store, false);

    // A record anchored outside the store only ever takes away (anyone running FaceLead on a copy could make one),
    // so bob stays suspended; but the holder is told the store in use reactivated him later (F6).
    auto dryRun = agency.reaffirm({});
    const auto bobLine = dryRun.out.substr(dryRun.out.find("\nbob\t"));
    CHECK(bobLine.substr(0, bobLine.find('\n', 1)).find("the latest record anchored outside the store") !=
          std::string::npos);
    CHECK(bobLine.find("has it active with roles investigator") != std::string::npos);
    // F4: the users list does not call an older copy an edit of its table, nor advise restore-table.
    auto list = agency.as("chief", kChief, {"user", "list"});
    CHECK(list.out.find("TABLE EDITED OUTSIDE FACELEAD") == std::string::npos);
    CHECK(list.out.find("TABLE DIFFERS FROM THE SIGNED LOG") != std::string::npos);
    CHECK(list.err.find("restore-table") == std::string::npos);
    // The row the workstation's Users list flags says the same (Administration::overview, one rule).
    const auto bob = listedAccount(agency, "bob");
    CHECK_FALSE(bob["grants_mismatch"].get<std::string>().empty());
    CHECK(bob["table_edited_outside_facelead"] == false);
}

TEST_CASE("a damaged recovery slot is told to the program administrators at sign-in, not found on the day it is "
          "needed", "[security][insider][recovery_slot]") {
    Agency agency;
    const std::string keyFile = agency.store + ".keys";
    nlohmann::json keys;
    std::ifstream(keyFile) >> keys;
    SECTION("a byte of it changed") {
        std::string& nonce = keys["recovery"]["nonce"].get_ref<std::string&>();
        nonce[0] = nonce[0] == 'a' ? 'b' : 'a';
    }
    // Trial 14A: either made the whole key file "damaged or of an unknown kind", every user locked out.
    SECTION("removed") { keys.erase("recovery"); }
    SECTION("emptied") { keys["recovery"] = nullptr; }
    std::ofstream(keyFile) << keys.dump();
    // Trial 13A: a damaged recovery slot went unseen until a damaged account entry needed it, then the
    // accounts were held back for good.
    const std::string warning = "The recovery slot in the key file is damaged or missing.";
    CHECK(agency.as("chief", kChief, {"user", "list"}).err.find(warning) != std::string::npos);
    const auto sueSignsIn = agency.as("sue", kSue, {"user", "list"});  // a supervisor: not told, not locked out
    CHECK(sueSignsIn.exitCode == 0);
    CHECK(sueSignsIn.err.find("damaged") == std::string::npos);
    // And on record for the auditors, not only on one console (trial 14A).
    CHECK(Insider(agency.store, "bob", kBob)
              .query("SELECT seq FROM audit_log WHERE action = 'store.recovery_slot_damaged'")
              .size() == 1);
}

TEST_CASE("a role change requested by an investigator with his own key is no request, whoever approves it "
          "(trial 19A G2)", "[security][insider][account_chain]") {
    Agency agency;
    {
        Insider bob(agency.store, "bob", kBob);
        bob.appendSignedEntry("user.role_change_requested",
                              R"({"username":"bob","from":"investigator","to":"investigator,trainer"})");
    }
    const auto approved = agency.as("sue", kSue, {"user", "approve-roles", "bob"});
    CHECK(approved.exitCode != 0);
    CHECK(approved.err.find("No change of roles is waiting for bob") != std::string::npos);
    auto verify = agency.verify();
    CHECK(verify.exitCode == 1);
    CHECK(verify.out.find("was not a program administrator when signing this user.role_change_requested") !=
          std::string::npos);
}

TEST_CASE("the key file's queue carries only the sign-in events FaceLead queues: never an account change or an "
          "anchor acknowledgement in the next signer's name (trial 20A F1, F2)", "[security][insider][key_slots]") {
    Agency agency;
    std::string forged;
    SECTION("a role change") { forged = "user.roles_changed"; }
    SECTION("an acknowledgement of lost anchored heads") { forged = "audit.anchors_acknowledged"; }
    agency.editKeyFile([&](nlohmann::json& keys) {
        keys["pending_events"].push_back(
            {{"at", "2026-12-02T11:00:00.000Z"}, {"username", "chief"}, {"action", forged},
             {"details", {{"username", "bob"}, {"from", "investigator"}, {"to", "investigator,program_administrator"},
                          {"heads", nlohmann::json::array()}, {"reason", "backup restored"}}}});
        keys["pending_events"].push_back(
            {{"at", "2026-12-02T11:01:00.000Z"}, {"username", "sue"}, {"action", "signin.failed"},
             {"details", {{"consecutive_failures", 1}, {"note", "password typed: Sue2026!"}}}});  // trial 24A N6
        keys["pending_events"].push_back(  // trial 26 R5: free text in a field FaceLead does queue
            {{"at", "2026-12-02T11:02:00.000Z"}, {"username", "sue"}, {"action", "session.forced_sign_out"},
             {"details", {{"reason", "password typed: Sue2026!"}, {"status", "Sue2026!"}}}});
    });
    REQUIRE(agency.as("chief", kChief, {"user", "list"}).exitCode == 0);  // the next sign-in carries the queue
    {
        Insider bob(agency.store, "bob", kBob);
        CHECK(bob.query("SELECT seq FROM audit_log WHERE action = '" + forged + "'").empty());
        CHECK(bob.query("SELECT seq FROM audit_log WHERE action = 'store.pending_events_refused' AND details LIKE '%" +
                        forged + "%'")
                  .size() == 1);
        // What FaceLead queues itself is still carried, as the key file's report.
        const auto carried = bob.query("SELECT details FROM audit_log WHERE action = 'signin.failed' AND username = "
                                       "'sue' AND details LIKE '%carried_from_key_file%'");
        REQUIRE(carried.size() == 1);
        CHECK(carried[0][0].find("\"consecutive_failures\":1") != std::string::npos);
        CHECK(carried[0][0].find("password typed") == std::string::npos);  // a field FaceLead never queues: dropped
        const auto forcedOut = bob.query("SELECT details FROM audit_log WHERE action = 'session.forced_sign_out'");
        REQUIRE(forcedOut.size() == 1);
        CHECK(forcedOut[0][0].find("Sue2026") == std::string::npos);  // not FaceLead's words: left out
        CHECK(forcedOut[0][0].find("not FaceLead's words") != std::string::npos);
    }
    CHECK(agency.as("bob", kBob, {"user", "deactivate", "sue", "--reason", "left the unit"}).exitCode != 0);
    CHECK(agency.verify().exitCode == 0);
}

TEST_CASE("a colleague's key slot deleted from the key file is told to the program administrators, not taken for "
          "a wrong password (trial 17A N9)", "[security][insider][key_slots]") {
    Agency agency;
    agency.editKeyFile([](nlohmann::json& keys) {
        auto& slots = keys["slots"];
        const auto before = slots.size();
        slots.erase(std::remove_if(slots.begin(), slots.end(),
                                   [](const nlohmann::json& slot) { return slot.value("username", "") == "sue"; }),
                    slots.end());
        REQUIRE(slots.size() == before - 1);
    });

    const auto chiefSignsIn = agency.as("chief", kChief, {"user", "list"});
    CHECK(chiefSignsIn.exitCode == 0);
    CHECK(chiefSignsIn.err.find("no readable key slot for 1 active account (sue)") != std::string::npos);
    CHECK(Insider(agency.store, "bob", kBob)
              .query("SELECT seq FROM audit_log WHERE action = 'store.key_slots_missing'")
              .size() == 1);
    // The administrator's answer: a new password for sue writes her a new slot.
    REQUIRE(agency.as("chief", kChief, {"user", "passwd", "sue"}, "Another-Fresh-Password-7\nAnother-Fresh-Password-7\n")
                .exitCode == 0);
    CHECK(agency.as("chief", kChief, {"user", "list"}).err.find("key slot") == std::string::npos);
}

TEST_CASE("the last account entry deleted or renamed after someone signed in holds every account back",
          "[security][insider][account_chain]") {
    Agency agency;
    REQUIRE(agency.as("chief", kChief, {"user", "roles", "bob", "--roles", "investigator,trainer"}).exitCode == 0);
    REQUIRE(agency.as("sue", kSue, {"user", "approve-roles", "bob"}).exitCode == 0);
    REQUIRE(agency.as("chief", kChief, {"user", "roles", "bob", "--roles", "investigator"}).exitCode == 0);
    REQUIRE(agency.as("sue", kSue, {"user", "approve-roles", "bob"}).exitCode == 0);
    REQUIRE(agency.as("chief", kChief, {"user", "list"}).exitCode == 0);  // a sign-in after the removal
    std::string attack;
    SECTION("deleted") { attack = "DELETE FROM audit_log"; }
    SECTION("renamed") { attack = "UPDATE audit_log SET action = 'case.viewed'"; }
    {
        Insider bob(agency.store, "bob", kBob);
        bob.execWithoutTriggers(attack + " WHERE seq = (SELECT max(seq) FROM audit_log WHERE action = "
                                         "'user.roles_changed')");
    }
    // Trial 13A: no account entry followed the removal, so nothing but audit verify saw it gone.
    auto bobTries = cli(agency.dir, {"training", "record", "sue", "--trainer", "bob", "--store", agency.store},
                        kBob + "\n");
    CHECK(bobTries.exitCode != 0);
    CHECK(bobTries.err.find("FaceLead refuses every change") != std::string::npos);
    // The journal's anchored accounts name it first; without an anchor, the sign-in's link does.
    CHECK((bobTries.err.find("(anchored accounts)") != std::string::npos ||
           bobTries.err.find("(signin.succeeded): it was signed after account entry") != std::string::npos));
    checkHeldBack(agency);
}

TEST_CASE("an inactivity sweep signed with an investigator's own key deactivates nobody else",
          "[security][insider][sweep]") {
    Agency agency;
    {
        Insider bob(agency.store, "bob", kBob);
        // Trial 14A: two such entries deactivated the only program administrator and the only other supervisor.
        for (const char* victim : {"chief", "sue"}) {
            bob.appendSignedEntry("user.deactivated_inactive",
                                  std::string(R"({"idle_days":120,"inactivity_days":90,"reason":"inactivity","username":")") +
                                      victim + "\"}",
                                  /*inNobodysName=*/true);
            bob.exec(std::string("UPDATE users SET status = 'deactivated' WHERE username = '") + victim + "'");
        }
    }
    auto chief = agency.as("chief", kChief, {"user", "list"});
    CHECK(chief.exitCode == 0);
    CHECK(chief.out.substr(chief.out.find("sue\t")).find("sue\tactive\t") == 0);
    CHECK(chief.err.find("FaceLead does not obey, signed without the authority for it") != std::string::npos);
    CHECK(agency.verify().out.find("it changes the account sue in nobody's name, signed by bob") != std::string::npos);
}

namespace {

// Trainer given to bob and taken away again, each by two persons (the chief asks, sue approves).
void grantThenRemoveTrainer(Agency& agency) {
    for (const char* roles : {"investigator,trainer", "investigator"}) {
        REQUIRE(agency.as("chief", kChief, {"user", "roles", "bob", "--roles", roles}).exitCode == 0);
        REQUIRE(agency.as("sue", kSue, {"user", "approve-roles", "bob"}).exitCode == 0);
    }
}

// Bob's role as the chief's `user list` shows it.
std::string bobAsListed(Agency& agency) {
    const auto list = agency.as("chief", kChief, {"user", "list"});
    const auto line = list.out.find("bob\t");
    return line == std::string::npos ? std::string() : list.out.substr(line, list.out.find('\n', line) - line);
}

}  // namespace

TEST_CASE("a role removal cut off with the tail of the chain stays removed: the accounts anchored in the journal "
          "witness it (trial 14A)", "[security][insider][truncation][account_chain]") {
    Agency agency;
    grantThenRemoveTrainer(agency);
    {
        Insider bob(agency.store, "bob", kBob);
        bob.execWithoutTriggers("DELETE FROM audit_log WHERE seq >= (SELECT max(seq) FROM audit_log WHERE action = "
                                "'user.roles_changed')");
        bob.exec("UPDATE users SET roles = 'investigator,trainer' WHERE username = 'bob'");
    }
    // Trial 14A: the chain read as if the removal never happened; bob signed in first (his own warning only) and
    // approved what he liked as a forged trainer, and chief saw "Investigator, Trainer".
    auto bobTries = cli(agency.dir, {"training", "record", "sue", "--trainer", "bob", "--store", agency.store},
                        kBob + "\n");
    CHECK(bobTries.exitCode != 0);
    CHECK(bobTries.err.find("FaceLead refuses every change") != std::string::npos);
    CHECK(bobTries.err.find("anchored accounts") != std::string::npos);
    CHECK(bobAsListed(agency).find("bob\tactive\tinvestigator\t") == 0);
    checkHeldBack(agency);
    auto verify = agency.verify();
    INFO(verify.out);
    CHECK(verify.exitCode == 1);
    CHECK(verify.out.find("The accounts anchored outside the store") != std::string::npos);
    CHECK(verify.out.find("bob: active with roles investigator,trainer") != std::string::npos);

    // The recovery key's holder is offered the role as the witness left it, and bob stays without it after.
    auto shown = agency.reaffirm({});
    CHECK(shown.out.find("\nbob\tactive\tinvestigator\t") != std::string::npos);
    REQUIRE(agency.reaffirm({"--confirm"}).exitCode == 0);
    bobTries = cli(agency.dir, {"training", "record", "sue", "--trainer", "bob", "--store", agency.store}, kBob + "\n");
    CHECK(bobTries.exitCode != 0);
    CHECK(bobTries.err.find("FaceLead refuses every change") == std::string::npos);
    CHECK(bobAsListed(agency).find("bob\tactive\tinvestigator\t") == 0);
    // Answered for, the lost heads can be acknowledged again; the re-affirmation put the table back (trial 66 F2):
    // verify is intact, the role still removed.
    REQUIRE(agency.as("chief", kChief, {"audit", "acknowledge-anchors", "--reason", "tail cut by bob, ticket 12"})
                .exitCode == 0);
    CHECK(agency.as("chief", kChief, {"user", "restore-table", "--reason", "bob's edit, ticket 12"})
              .err.find("nothing to put back") != std::string::npos);
    CHECK(agency.verify().exitCode == 0);
    CHECK(bobAsListed(agency).find("bob\tactive\tinvestigator\t") == 0);
    // Honest changes go on, and a role given again later counts.
    REQUIRE(agency.as("chief", kChief, {"user", "roles", "bob", "--roles", "investigator,trainer"}).exitCode == 0);
    REQUIRE(agency.as("sue", kSue, {"user", "approve-roles", "bob"}).exitCode == 0);
    CHECK(bobAsListed(agency).find("bob\tactive\tinvestigator,trainer\t") == 0);
}

TEST_CASE("a role removal deleted from the middle and the chain re-hashed: the re-affirmation offers the role as "
          "the journal's witness left it (trial 14A)", "[security][insider][account_chain]") {
    Agency agency;
    grantThenRemoveTrainer(agency);
    REQUIRE(agency.as("chief", kChief, {"user", "add", "carl", "--display-name", "Carl", "--roles", "investigator"},
                      "long secret of the colleague\n")
                .exitCode == 0);
    {
        Insider bob(agency.store, "bob", kBob);
        bob.execWithoutTriggers("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log WHERE action = "
                                "'user.roles_changed')");
        bob.rehashChain();
        bob.exec("UPDATE users SET roles = 'investigator,trainer' WHERE username = 'bob'");
    }
    checkHeldBack(agency);
    // Trial 14A: the re-hash broke the later witness's signature (carl's creation, signed by the chief), so the
    // dry run proposed bob with the stolen role and no mark.
    auto shown = agency.reaffirm({});
    CHECK(shown.out.find("\nbob\tactive\tinvestigator\t") != std::string::npos);
    REQUIRE(agency.reaffirm({"--confirm"}).exitCode == 0);
    CHECK(bobAsListed(agency).find("bob\tactive\tinvestigator\t") == 0);
}

namespace {

// Sets (or, with nullptr, removes) an environment variable for the CLI runs in its scope.
class EnvironmentFor {
public:
    EnvironmentFor(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value) ::setenv(name, value, 1);
        else ::unsetenv(name);
    }
    ~EnvironmentFor() {
        if (old_) ::setenv(name_, old_->c_str(), 1);
        else ::unsetenv(name_);
    }

private:
    const char* name_;
    std::optional<std::string> old_;
};

}  // namespace

namespace {

// The store's id and its last audit entry, as an insider holding the database key reads them: what a forged
// anchor record names.
std::pair<std::string, std::string> storeIdAndHead(Agency& agency) {
    Insider bob(agency.store, "bob", kBob);
    return {bob.query("SELECT value FROM settings WHERE key = 'store_id'").at(0).at(0),
            bob.query("SELECT max(seq) FROM audit_log").at(0).at(0)};
}

}  // namespace

namespace {

// Sends `fields` ("NAME=value" lines) to the journal as another program does, with `logger --journald`, and waits
// until journald has stored them (it stores asynchronously), found by `match` ("NAME=value"). False when no journal
// runs here.
bool loggedByAnotherProgram(const std::string& fields, const std::string& match) {
    FILE* logger = ::popen("logger --journald 2>/dev/null", "w");
    REQUIRE(logger != nullptr);
    std::fputs(fields.c_str(), logger);
    if (::pclose(logger) != 0) return false;
    for (int attempt = 0; attempt < 50; ++attempt) {
        FILE* journal = ::popen(("journalctl -q --no-pager -o json -n 1 " + match + " 2>/dev/null").c_str(), "r");
        REQUIRE(journal != nullptr);
        const bool stored = std::fgetc(journal) != EOF;
        ::pclose(journal);
        if (stored) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

}  // namespace

TEST_CASE("a head added to the journal by another program is no anchor: it stops no search and breaks no verify "
          "(trial 28 F11)", "[security][insider][anchor][journal]") {
    Agency agency;
    const auto [storeId, head] = storeIdAndHead(agency);
    // Any local account can write this with `logger`: before, every search stopped with "committed entries are
    // missing" and audit verify said BROKEN.
    const std::string forged = "SYSLOG_IDENTIFIER=facelead\nFACELEAD_STORE_ID=" + storeId +
                               "\nFACELEAD_AUDIT_SEQ=9999\nFACELEAD_AUDIT_HASH=" + std::string(64, '0') +
                               "\nFACELEAD_AUDIT_AT=2100-01-01T00:00:00Z\n";
    if (!loggedByAnotherProgram(forged, "FACELEAD_STORE_ID=" + storeId + " FACELEAD_AUDIT_SEQ=9999")) {
        WARN("no systemd journal to write to here: the forged head is not exercised");
        return;
    }
    auto verify = agency.verify();
    INFO(verify.out << verify.err);
    CHECK(verify.exitCode == 0);
    CHECK(verify.out.find("9999") == std::string::npos);
}

TEST_CASE("a record added to the journal by another program witnesses no account state (trial 15A)",
          "[security][insider][anchor][journal]") {
    Agency agency;
    const auto [storeId, head] = storeIdAndHead(agency);
    // Trial 15A: one `logger` line demoting the only program administrator and suspending the supervisor was
    // taken as a witness; the re-affirmation then signed it in and nobody administered the store again.
    const std::string forged =
        "SYSLOG_IDENTIFIER=facelead\nFACELEAD_STORE_ID=" + storeId + "\nFACELEAD_AUDIT_SEQ=" + head +
        "\nFACELEAD_AUDIT_HASH=" + std::string(64, 'f') + "\nFACELEAD_AUDIT_AT=2100-01-01T00:00:00Z\n"
        "FACELEAD_HEAD_KIND=accounts\nFACELEAD_ACCOUNTS=" +
        nlohmann::json{{"chief", {{"roles", ""}, {"status", "suspended"}, {"approved_at", ""},
                                  {"training_completed_at", ""}}},
                       {"sue", {{"roles", ""}, {"status", "suspended"}, {"approved_at", ""},
                                {"training_completed_at", ""}}}}
            .dump() +
        "\n";
    if (!loggedByAnotherProgram(forged, "FACELEAD_STORE_ID=" + storeId + " FACELEAD_AUDIT_HASH=" + std::string(64, 'f'))) {
        WARN("no systemd journal to write to here: the forged record is not exercised");
        return;
    }
    auto list = agency.as("chief", kChief, {"user", "list"});
    INFO(list.out << list.err);
    CHECK(list.exitCode == 0);
    CHECK(list.err.find("FaceLead refuses every change") == std::string::npos);
    CHECK(list.out.find("chief\tactive\tsupervisor,program_administrator\t") != std::string::npos);
}

TEST_CASE("an anchor folder named in the environment does not hide the journal's heads (trial 15A)",
          "[security][insider][anchor][journal]") {
    Agency agency;
    const std::string older = (agency.dir / "older.store").string();
    copyStore(agency.store, older, false);
    {
        EnvironmentFor journalOnly("FACELEAD_ANCHOR", nullptr);  // honest sessions anchored in the system journal
        const auto passwd = agency.ownPassword("bob", kBob, kBob + " 2");
        REQUIRE(passwd.exitCode == 0);
        if (passwd.err.find("could not be anchored") != std::string::npos) {
            WARN("no systemd journal here: the journal's heads are not exercised");
            return;
        }
        REQUIRE(agency.as("chief", kChief, {"user", "list"}).exitCode == 0);
    }
    copyStore(older, agency.store, false);  // the rollback
    // Trial 15A: the insider pointed the variable at a folder of his own and his sessions saw nothing.
    EnvironmentFor ownFolder("FACELEAD_ANCHOR", ("file:" + (agency.dir / "my-anchors").string()).c_str());
    checkLostEntriesReported(agency.verify());
}

namespace {

// Whether the system journal holds heads of the store (journald runs here and FaceLead anchored to it).
bool journalHoldsHeadsOf(const std::string& storeId) {
    FILE* journal = ::popen(("journalctl -q --no-pager -o cat -n 1 FACELEAD_STORE_ID=" + storeId + " 2>/dev/null").c_str(),
                            "r");
    if (!journal) return false;
    const bool any = std::fgetc(journal) != EOF;
    ::pclose(journal);
    return any;
}

}  // namespace

TEST_CASE("a forged anchor-folder line that strips every administrator: where the journal is kept it witnesses "
          "nothing; else the re-affirmation refuses to sign it, and takes the administrator as signed when told "
          "(trials 15A, 17A N8)", "[security][insider][anchor][reaffirm]") {
    const char* setting = std::getenv("FACELEAD_ANCHOR");
    if (!setting || !std::string_view(setting).starts_with("file:")) {
        WARN("FACELEAD_ANCHOR names no anchor folder here: the forged folder line is not exercised");
        return;
    }
    Agency agency;
    const auto [storeId, head] = storeIdAndHead(agency);
    // An insider who can write the anchor folder adds a head the chain does not hold, suspending the chief and the
    // supervisor: a witness can only take away, so it locks them out (a denial of service, loud), and the proposal
    // would sign that in.
    const nlohmann::json stripped{{"roles", ""}, {"status", "suspended"}, {"approved_at", ""},
                                  {"training_completed_at", ""}};
    const auto forgeHeadDated = [&](const std::string& at) {
        std::ofstream(std::filesystem::path(std::string_view(setting).substr(5)) / (storeId + ".heads"), std::ios::app)
            << head << ' ' << std::string(64, 'f') << ' ' << at << ' ' << at << ' '
            << nlohmann::json{{"chief", stripped}, {"sue", stripped}}.dump() << '\n';
    };
    // Dated in the future it would have outlived every re-affirmation: no commit wrote it, it witnesses nothing.
    forgeHeadDated("2100-01-01T00:00:00Z");
    auto list = agency.as("chief", kChief, {"user", "list"});
    CHECK(list.exitCode == 0);
    CHECK(list.err.find("FaceLead refuses every change") == std::string::npos);
    const std::time_t now = std::time(nullptr);
    std::ostringstream dated;
    dated << std::put_time(std::gmtime(&now), "%Y-%m-%dT%H:%M:%SZ");
    forgeHeadDated(dated.str());
    if (journalHoldsHeadsOf(storeId)) {
        // Trial 17A N8: where the journal keeps the store's heads, account states come from it alone (it knows
        // which program wrote each line): the forged folder line takes nobody's role away.
        list = agency.as("chief", kChief, {"user", "list"});
        INFO(list.out << list.err);
        CHECK(list.err.find("FaceLead refuses every change") == std::string::npos);
        CHECK(list.out.find("chief\tactive\tsupervisor,program_administrator\t") != std::string::npos);
        return;
    }
    CHECK(agency.as("chief", kChief, {"user", "list"}).err.find("suspended") != std::string::npos);
    const auto refused = agency.reaffirm({"--confirm"});
    CHECK(refused.exitCode != 0);
    CHECK(refused.err.find("This would leave no active program administrator") != std::string::npos);
    // The recovery key's holder believes the signed entries for the chief: the store is administered again.
    auto shown = agency.reaffirm({"--as-signed", "chief"});
    INFO(shown.out);
    CHECK(shown.out.find("\nchief\tactive\tprogram_administrator,supervisor\t") != std::string::npos);
    REQUIRE(agency.reaffirm({"--as-signed", "chief", "--confirm"}).exitCode == 0);
    list = agency.as("chief", kChief, {"user", "list"});
    INFO(list.out << list.err);
    CHECK(list.err.find("FaceLead refuses every change") == std::string::npos);
    CHECK(list.out.find("chief\tactive\tsupervisor,program_administrator\t") != std::string::npos);
}

TEST_CASE("trial 65 F4: a recovery refused for a suspended account is the recovery key holder's attempt, not the "
          "account's sign-in", "[security][insider][recovery]") {
    Agency agency;
    REQUIRE(agency.as("chief", kChief, {"user", "suspend", "bob", "--reason", "internal inquiry"}).exitCode == 0);
    const auto recovered = cli(agency.dir, {"store", "recover", "--store", agency.store, "--user", "bob"},
                               agency.recoveryKey + "\nsomeone took this over 5\n");
    CHECK(recovered.exitCode != 0);
    Insider chief(agency.store, "chief", kChief);
    const auto refused =
        chief.query("SELECT username, signer, details FROM audit_log WHERE action = 'account.recovery_refused'");
    REQUIRE(refused.size() == 1);
    CHECK(refused[0][0] != "bob");
    CHECK(refused[0][1] == "(recovery)");
    CHECK(refused[0][2].find(R"("username":"bob")") != std::string::npos);
    CHECK(chief.query("SELECT seq FROM audit_log WHERE action = 'signin.refused_not_active'").empty());
    CHECK(agency.verify().exitCode == 0);
}

TEST_CASE("trial 64 F1: a key the recovery key gives waits for a supervisor other than the founder, to whom the "
          "store's creation showed the recovery key",
          "[security][insider][recovery][key_approval]") {
    Agency agency;
    // chief, who was shown the recovery key, takes sue's account over with it.
    const auto recovered = cli(agency.dir, {"store", "recover", "--store", agency.store, "--user", "sue"},
                               agency.recoveryKey + "\nchief took this over 5\n");
    REQUIRE(recovered.exitCode == 0);
    const std::string fingerprint = firstLine(recovered.out);
    REQUIRE(fingerprint.size() == 24);
    const auto asSue = agency.as("sue", "chief took this over 5", {"user", "approve", "bob"});
    CHECK(asSue.exitCode != 0);
    CHECK(asSue.err.find(fingerprint) != std::string::npos);
    const auto byChief = agency.as("chief", kChief, {"user", "approve-key", "sue", "--fingerprint", fingerprint});
    CHECK(byChief.exitCode != 0);
    // The reason is the recovery key, though chief also created the account (trial 65 F2).
    CHECK(byChief.err.find("or the recovery key did") != std::string::npos);
    {
        Insider chief(agency.store, "chief", kChief);
        chief.appendLinkedAccountEntry("user.key_approved",
                                       {{"username", "sue"}, {"public_key", lastCertifiedKey(chief, "sue")}});
    }
    const auto verify = agency.verify();
    CHECK(verify.exitCode != 0);
    CHECK(verify.out.find("chief set the password of sue and approved the key made after it") != std::string::npos);
    CHECK(listedAccount(agency, "sue")["key_awaits_approval"] == true);
}
