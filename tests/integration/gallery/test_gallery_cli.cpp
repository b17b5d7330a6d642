// facelead-cli gallery enroll / list end to end: the password on standard input, a per-file report on
// stdout, the exit code telling whether every image was enrolled.

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/support/CliRun.h"

using facelead::test::cli;
using facelead::test::readText;

namespace {

const std::string password = "gallery cli passphrase 7\n";

// A new store in dir, its administrator "gadmin" (password above); returns its path.
std::string newStore(const facelead::test::TempDir& dir) {
    const std::string store = (dir / "gallery.store").string();
    const auto init = cli(dir, {"store", "init", "--store", store, "--admin", "gadmin"}, password + password);
    INFO(init.err);
    REQUIRE(init.exitCode == 0);
    return store;
}

}  // namespace

TEST_CASE("gallery enroll reports every file and gallery list shows the subjects", "[cli][gallery]") {
    const auto faces = facelead::test::requireFaces();
    if (!faces || !facelead::test::requireModels()) return;
    facelead::test::TempDir dir;
    const std::string store = newStore(dir);

    std::ofstream(dir / "list.csv") << "path,name,record_id\n"
                                    << (*faces / "bbt/raj/raj1.png").string() << ",Raj K,R-7\n"
                                    << (*faces / "bbt/group/bbt2.jpg").string() << ",Group,R-8\n";
    const auto refusedOutside = cli(dir, {"gallery", "enroll", (dir / "list.csv").string(), "--store", store,
                                          "--user", "gadmin", "--threads", "2"}, password);
    CHECK(refusedOutside.exitCode == 1);
    CHECK(refusedOutside.out.find("--allow-outside-paths") != std::string::npos);
    const auto enrol = cli(dir, {"gallery", "enroll", (dir / "list.csv").string(), "--store", store, "--user", "gadmin",
                                 "--threads", "2", "--allow-outside-paths"}, password);
    INFO(enrol.err);
    CHECK(enrol.exitCode == 1);  // one image was not enrolled
    CHECK(enrol.out.find("enrolled") != std::string::npos);
    CHECK(enrol.out.find("raj1.png") != std::string::npos);
    CHECK(enrol.out.find("several_faces") != std::string::npos);
    CHECK(enrol.err.find("1 of 2 images enrolled") != std::string::npos);
    CHECK(enrol.err.find("2/2") != std::string::npos);  // the progress line
    CHECK(enrol.out.find(password.substr(0, 10)) == std::string::npos);

    const auto list = cli(dir, {"gallery", "list", "--store", store, "--user", "gadmin"}, password);
    INFO(list.err);
    CHECK(list.exitCode == 0);
    CHECK(list.out.find("Raj K") != std::string::npos);
    CHECK(list.out.find("record R-7") != std::string::npos);
    CHECK(list.out.find("Group") == std::string::npos);

    const auto duplicates = cli(dir, {"gallery", "duplicates", "--store", store, "--user", "gadmin"}, password);
    INFO(duplicates.err);
    CHECK(duplicates.exitCode == 0);
    CHECK(duplicates.err.find("1 face compared") != std::string::npos);
    CHECK(duplicates.err.find("0 pairs of different subjects") != std::string::npos);

    const auto wrongPassword = cli(dir, {"gallery", "list", "--store", store, "--user", "gadmin"}, "not it at all\n");
    CHECK(wrongPassword.exitCode == 1);
    CHECK(wrongPassword.out.empty());

    CHECK(cli(dir, {"gallery", "enroll"}, "").exitCode == 2);
    CHECK(cli(dir, {"gallery", "list", "--store", store}, "").exitCode == 2);  // --user is required
}

TEST_CASE("gallery remove takes a wrongly enrolled subject out, with its reason in the audit log", "[cli][gallery]") {
    const auto faces = facelead::test::requireFaces();
    if (!faces || !facelead::test::requireModels()) return;
    facelead::test::TempDir dir;
    const std::string store = newStore(dir);
    std::ofstream(dir / "list.csv") << "path,name,record_id\n"
                                    << (*faces / "bbt/raj/raj1.png").string() << ",Wrong Name,R-7\n"
                                    << (*faces / "bbt/amy/amy1.png").string() << ",Amy F,R-9\n";
    const auto enrol = cli(dir, {"gallery", "enroll", (dir / "list.csv").string(), "--store", store, "--user", "gadmin",
                                 "--threads", "2", "--allow-outside-paths"}, password);
    INFO(enrol.err);
    REQUIRE(enrol.exitCode == 0);
    const auto at = enrol.out.find("raj1.png  subject ");
    REQUIRE(at != std::string::npos);
    const std::string subject = std::to_string(std::atoll(enrol.out.c_str() + at + 18));
    const std::vector<std::string> signedIn{"--store", store, "--user", "gadmin"};
    const auto remove = [&](std::vector<std::string> words) {
        words.insert(words.begin(), {"gallery", "remove"});
        words.insert(words.end(), signedIn.begin(), signedIn.end());
        return cli(dir, words, password);
    };

    // Usage errors before anything is asked: no reason, no id, an id that is not a number.
    const auto noReason = remove({subject});
    CHECK(noReason.exitCode == 2);
    CHECK(noReason.err.find("--reason") != std::string::npos);
    CHECK(remove({"--reason", "x"}).exitCode == 2);
    CHECK(remove({"R-7", "--reason", "x"}).exitCode == 2);
    // A blank reason is refused by the core.
    const auto blank = remove({subject, "--reason", "   "});
    CHECK(blank.exitCode == 1);
    CHECK(blank.err.find("reason") != std::string::npos);

    const auto removed = remove({subject, "--reason", "Enrolled under the wrong name (record R-7)"});
    INFO(removed.err);
    CHECK(removed.exitCode == 0);
    CHECK(removed.out.find("removed subject " + subject + "  Wrong Name  faces 1") != std::string::npos);

    const auto list = cli(dir, {"gallery", "list", "--store", store, "--user", "gadmin"}, password);
    CHECK(list.exitCode == 0);
    CHECK(list.out.find("Wrong Name") == std::string::npos);
    CHECK(list.out.find("Amy F") != std::string::npos);

    const auto again = remove({subject, "--reason", "twice"});
    CHECK(again.exitCode == 1);
    CHECK(again.err.find("already removed") != std::string::npos);
    const auto unknown = remove({"999", "--reason", "no such subject"});
    CHECK(unknown.exitCode == 1);
    CHECK(unknown.err.find("not_found") != std::string::npos);

    const std::string exported = (dir / "audit.json").string();
    REQUIRE(cli(dir, {"audit", "export", "--format", "json", "--out", exported, "--store", store, "--user", "gadmin"},
                password)
                .exitCode == 0);
    const std::string log = readText(exported);
    CHECK(log.find("gallery.subject_removed") != std::string::npos);
    CHECK(log.find("Enrolled under the wrong name (record R-7)") != std::string::npos);
    CHECK(cli(dir, {"audit", "verify", "--store", store, "--user", "gadmin"}, password).exitCode == 0);

    const auto help = cli(dir, {"gallery", "--help"}, "");
    CHECK(help.exitCode == 0);
    CHECK(help.out.find("gallery remove SUBJECT_ID --reason TEXT") != std::string::npos);
}

TEST_CASE("detect --probe says what intake noticed beside the faces: damage, animation (C06, C09)",
          "[cli][intake]") {
    const auto cases = facelead::test::requireIntakeCases();
    if (!cases || !facelead::test::requireModels()) return;
    facelead::test::TempDir dir;
    const auto run = cli(dir, {"detect", "--probe", (*cases / "c06_corrupt_face_region.jpg").string(),
                               (*cases / "c09_animated.gif").string(), (*cases / "ref_obama.jpg").string()}, "");
    INFO(run.out << run.err);
    std::istringstream lines(run.out);
    std::string damaged, animated, clean;
    std::getline(lines, damaged);
    std::getline(lines, animated);
    std::getline(lines, clean);
    CHECK(damaged.find("\"intake\":[\"Damaged image") != std::string::npos);  // never searched in silence
    CHECK(animated.find("frame 1 used") != std::string::npos);
    CHECK(clean.find("\"intake\"") == std::string::npos);
    CHECK(clean.find("\"faces\":[{") != std::string::npos);
    // A good face says what good leaves to the examiner (trial 73 F1); a marginal one gives its reasons instead.
    CHECK(clean.find("\"good_means\":\"Good means no measure found a fault") != std::string::npos);
    CHECK(damaged.find("\"good_means\"") == std::string::npos);
}

TEST_CASE("detect names a Latin-1 file faithfully (escaped, reversible), not with replacement characters",
          "[cli][text]") {
    const auto cases = facelead::test::requireIntakeCases();
    if (!cases || !facelead::test::requireModels()) return;
    facelead::test::TempDir dir;
    const auto latin1 = dir / std::string("caf\xE9.jpg");
    std::filesystem::copy_file(*cases / "ref_obama.jpg", latin1);
    const auto run = cli(dir, {"detect", latin1.string()}, "");
    INFO(run.out << run.err);
    CHECK(run.exitCode == 0);
    CHECK(run.out.find("caf\\\\xe9.jpg") != std::string::npos);  // JSON of the escape \xe9
    CHECK(run.out.find("\xEF\xBF\xBD") == std::string::npos);   // no U+FFFD
}
