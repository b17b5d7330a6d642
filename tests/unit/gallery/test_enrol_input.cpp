// Enrolment input: the folder and CSV conventions documented in core/gallery/Gallery.h.

#include <catch2/catch.hpp>

#include <fstream>

#include "core/gallery/Gallery.h"
#include "tests/support/TestData.h"

namespace gallery = facelead::gallery;
using facelead::test::TempDir;

namespace {
void touch(const std::filesystem::path& file) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << "x";
}
}  // namespace

TEST_CASE("a bare file name gives the identity without number and underscores", "[gallery][input]") {
    CHECK(gallery::identityFromFileName("John_Smith_0003.jpg") == "John Smith");
    CHECK(gallery::identityFromFileName("amy1.png") == "amy");
    CHECK(gallery::identityFromFileName("dir/Mary-Jane-12.jpeg") == "Mary-Jane");
    CHECK(gallery::identityFromFileName("2024.jpg") == "2024");  // nothing left: keep the stem
}

TEST_CASE("a folder gives one identity per sub-folder, or per file name", "[gallery][input]") {
    TempDir dir;
    touch(dir / "John_Salley" / "b.jpg");
    touch(dir / "John_Salley" / "a.jpg");
    touch(dir / "John_Salley" / ".hidden.jpg");
    touch(dir / "Jane_Doe_0001.png");
    touch(dir / ".DS_Store");
    const auto items = gallery::itemsFromFolder(dir.path());
    REQUIRE(items.ok());
    REQUIRE(items->size() == 3);
    CHECK((*items)[0].file.filename() == "Jane_Doe_0001.png");
    CHECK((*items)[0].subject.name == "Jane Doe");
    CHECK((*items)[1].file.filename() == "a.jpg");
    CHECK((*items)[1].subject.name == "John Salley");
    CHECK((*items)[2].subject.name == "John Salley");
    CHECK_FALSE((*items)[2].subject.recordId.has_value());

    const auto missing = gallery::itemsFromFolder(dir / "nope");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == facelead::ErrorCode::NotFound);
}

TEST_CASE("a CSV manifest is read by header names with RFC 4180 quoting", "[gallery][input]") {
    TempDir dir;
    std::ofstream(dir / "list.csv") << "record_id,name,path,source,date_of_birth\r\n"
                                       "R1,\"Smith, John \"\"Jack\"\"\",img/a.jpg,bookings,1970-01-02\r\n"
                                       "\r\n"
                                       ",Jane,/abs/b.jpg,,\r\n";
    const auto items = gallery::itemsFromCsv(dir / "list.csv");
    REQUIRE(items.ok());
    REQUIRE(items->size() == 2);
    CHECK((*items)[0].subject.name == "Smith, John \"Jack\"");
    CHECK((*items)[0].subject.recordId == std::optional<std::string>("R1"));
    CHECK((*items)[0].subject.dateOfBirth == std::optional<std::string>("1970-01-02"));
    CHECK((*items)[0].subject.source == "bookings");
    CHECK((*items)[0].file == dir / "img/a.jpg");
    CHECK((*items)[1].file == "/abs/b.jpg");
    CHECK_FALSE((*items)[1].subject.recordId.has_value());
    CHECK_FALSE((*items)[1].subject.dateOfBirth.has_value());
}

TEST_CASE("a CSV without the required columns or values is refused as a whole", "[gallery][input]") {
    TempDir dir;
    std::ofstream(dir / "nohead.csv") << "a.jpg,John\n";
    const auto noHeader = gallery::itemsFromCsv(dir / "nohead.csv");
    REQUIRE_FALSE(noHeader.ok());
    CHECK(noHeader.error().code == facelead::ErrorCode::InvalidArgument);

    std::ofstream(dir / "noname.csv") << "path,name\na.jpg,John\nb.jpg,\n";
    const auto noName = gallery::itemsFromCsv(dir / "noname.csv");
    REQUIRE_FALSE(noName.ok());
    CHECK(noName.error().message.find("line 3") != std::string::npos);

    std::ofstream(dir / "empty.csv");
    CHECK_FALSE(gallery::itemsFromCsv(dir / "empty.csv").ok());
    CHECK(gallery::itemsFromCsv(dir / "missing.csv").error().code == facelead::ErrorCode::IoError);
}
