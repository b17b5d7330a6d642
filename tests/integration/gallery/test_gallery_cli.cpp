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

TEST_CASE("gallery enroll reports every file and gallery list shows the subjects", "[cli][gallery]") {
    const auto faces = facelead::test::requireFaces();
    if (!faces || !facelead::test::requireModels()) return;
    facelead::test::TempDir dir;
    const std::string store = (dir / "gallery.store").string();
    const std::string password = "gallery cli passphrase 7\n";
    const auto init = cli(dir, {"store", "init", "--store", store, "--admin", "gadmin"}, password + password);
    INFO(init.err);
    REQUIRE(init.exitCode == 0);

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
    CHECK(duplicates.err.find("1 faces compared") != std::string::npos);
    CHECK(duplicates.err.find("0 pairs of different subjects") != std::string::npos);

    const auto wrongPassword = cli(dir, {"gallery", "list", "--store", store, "--user", "gadmin"}, "not it at all\n");
    CHECK(wrongPassword.exitCode == 1);
    CHECK(wrongPassword.out.empty());

    CHECK(cli(dir, {"gallery", "enroll"}, "").exitCode == 2);
    CHECK(cli(dir, {"gallery", "list", "--store", store}, "").exitCode == 2);  // --user is required
}
