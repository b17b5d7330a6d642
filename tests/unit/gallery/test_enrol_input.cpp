// Enrolment input: the folder and CSV conventions documented in core/gallery/Gallery.h.

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>

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
    // The source says where the identities came from: the folder enrolled (the Gallery tab's Source column).
    const std::string folderSource = "folder " + dir.path().filename().string();
    for (const auto& item : *items) CHECK(item.subject.source == folderSource);
    const auto withSlash = gallery::itemsFromFolder(dir.path().string() + "/");
    REQUIRE(withSlash.ok());
    CHECK(withSlash->front().subject.source == folderSource);

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

TEST_CASE("a CSV without the required columns is refused; a row without values fails alone", "[gallery][input]") {
    TempDir dir;
    std::ofstream(dir / "nohead.csv") << "a.jpg,John\n";
    const auto noHeader = gallery::itemsFromCsv(dir / "nohead.csv");
    REQUIRE_FALSE(noHeader.ok());
    CHECK(noHeader.error().code == facelead::ErrorCode::InvalidArgument);

    std::ofstream(dir / "noname.csv") << "path,name\na.jpg,John\nb.jpg,\n";
    const auto noName = gallery::itemsFromCsv(dir / "noname.csv");
    REQUIRE(noName.ok());
    REQUIRE(noName->size() == 2);
    CHECK_FALSE((*noName)[0].problem);
    REQUIRE((*noName)[1].problem);
    CHECK(noName->at(1).problem->find("line 3") != std::string::npos);

    std::ofstream(dir / "empty.csv");
    CHECK_FALSE(gallery::itemsFromCsv(dir / "empty.csv").ok());
    CHECK(gallery::itemsFromCsv(dir / "missing.csv").error().code == facelead::ErrorCode::IoError);
}

TEST_CASE("CSV manifests with a BOM, CRLF, quoted commas or in UTF-16 are read (C15)", "[gallery][input][manifest]") {
    const auto cases = facelead::test::requireIntakeCases();
    if (!cases) return;
    for (const char* name : {"manifest_bom_plain_header.csv", "manifest_excel_bom_crlf.csv", "manifest_nobom_crlf.csv",
                             "manifest_utf16le.csv"}) {
        INFO(name);
        const auto items = gallery::itemsFromCsv(*cases / "csv" / name);
        REQUIRE(items.ok());
        REQUIRE_FALSE(items->empty());
        for (const auto& item : *items) {
            CHECK_FALSE(item.problem);
            CHECK(std::filesystem::is_regular_file(item.file));
            CHECK_FALSE(item.subject.name.empty());
        }
        CHECK(std::any_of(items->begin(), items->end(),
                          [](const auto& item) { return item.subject.name.find(", ") != std::string::npos; }));
    }
    SECTION("UTF-16 big-endian, made here, reads the same as UTF-8") {
        TempDir dir;
        const std::u16string text = u"path,name\r\nzoe.jpg,Zo\u00eb \u00d1and\u00fa \U0001F600\r\n";
        std::string bytes = "\xFE\xFF";
        for (const char16_t unit : text) {
            bytes += static_cast<char>(unit >> 8);
            bytes += static_cast<char>(unit & 0xFF);
        }
        std::ofstream(dir / "be.csv", std::ios::binary) << bytes;
        const auto items = gallery::itemsFromCsv(dir / "be.csv");
        REQUIRE(items.ok());
        REQUIRE(items->size() == 1);
        CHECK(items->front().subject.name == "Zo\u00eb \u00d1and\u00fa \U0001F600");
    }
}

TEST_CASE("Manifest paths stay inside the manifest's folder unless allowed (issue 8: outside paths)", "[gallery][input][paths]") {
    TempDir dir;
    touch(dir / "list" / "inside.jpg");
    touch(dir / "secret.jpg");
    std::filesystem::create_symlink(dir / "secret.jpg", dir / "list" / "link.jpg");
    std::ofstream(dir / "list" / "list.csv") << "path,name\n"
                                                "inside.jpg,Inside\n"
                                                "../secret.jpg,Climber\n"
                                                << (dir / "secret.jpg").string() << ",Absolute\n"
                                                "link.jpg,Linked\n"
                                                "sub/../inside.jpg,Roundabout\n";
    const auto guarded = gallery::itemsFromCsv(dir / "list" / "list.csv");
    REQUIRE(guarded.ok());
    REQUIRE(guarded->size() == 5);
    CHECK_FALSE((*guarded)[0].problem);
    for (std::size_t row : {1u, 2u, 3u}) {
        INFO(row);
        REQUIRE((*guarded)[row].problem);
        CHECK_THAT(*(*guarded)[row].problem, Catch::Contains("outside") && Catch::Contains("--allow-outside-paths"));
    }
    CHECK_FALSE((*guarded)[4].problem);

    const auto allowed = gallery::itemsFromCsv(dir / "list" / "list.csv", {.allowOutsidePaths = true});
    REQUIRE(allowed.ok());
    for (const auto& item : *allowed) CHECK_FALSE(item.problem);
}

TEST_CASE("Text that is not UTF-8, has control characters or is too long fails its row only (issue 8: invalid text)",
          "[gallery][input][text]") {
    TempDir dir;
    for (const char* file : {"a.jpg", "b.jpg", "c.jpg", "d.jpg"}) touch(dir / file);
    std::ofstream(dir / "list.csv") << "path,name,source\n"
                                       "a.jpg,Good Name,bookings\n"
                                       "b.jpg,Jos\xE9 Latin-1,bookings\n"
                                       "c.jpg,Evil \x1b[31mRed,bookings\n"
                                    << "d.jpg," << std::string(201, 'x') << ",bookings\n";
    const auto items = gallery::itemsFromCsv(dir / "list.csv");
    REQUIRE(items.ok());
    REQUIRE(items->size() == 4);
    CHECK_FALSE((*items)[0].problem);
    REQUIRE((*items)[1].problem);
    CHECK_THAT(*(*items)[1].problem, Catch::Contains("UTF-8"));
    REQUIRE((*items)[2].problem);
    CHECK_THAT(*(*items)[2].problem, Catch::Contains("control character"));
    REQUIRE((*items)[3].problem);
    CHECK_THAT(*(*items)[3].problem, Catch::Contains("at most 200"));
}

TEST_CASE("A folder or file name that is not UTF-8 is enrolled under its escaped name, which no other name gives "
          "(C08, trial 9 finding 8)", "[gallery][input][names]") {
    TempDir dir;
    touch(dir / std::string("Ren\xE9") / "1.jpg");
    touch(dir / std::string("Caf\xE9 Latin1.jpg"));   // Latin-1: the byte 0xE9
    touch(dir / std::string("Caf\\xe9 Latin2.jpg"));  // a literal backslash, x, e, 9
    touch(dir / std::string("Jos\xC3\xA9_0001.jpg"));  // UTF-8
    const auto items = gallery::itemsFromFolder(dir.path());
    REQUIRE(items.ok());
    REQUIRE(items->size() == 4);
    std::map<std::string, const gallery::EnrolItem*> byFile;
    for (const auto& item : *items) byFile[item.file.filename().string()] = &item;
    for (const auto& [file, item] : byFile) CHECK_FALSE(item->problem);  // every name works (intake README, C08)
    CHECK(byFile.at("Caf\xE9 Latin1.jpg")->subject.name == "Caf\\xe9 Latin");
    CHECK(byFile.at("1.jpg")->subject.name == "Ren\\xe9");
    // The literal backslash is doubled: the two files never give the same subject.
    CHECK(byFile.at("Caf\\xe9 Latin2.jpg")->subject.name == "Caf\\\\xe9 Latin");
    CHECK(byFile.at("Jos\xC3\xA9_0001.jpg")->subject.name == "Jos\xC3\xA9");
}

TEST_CASE("a folder's source is required and checked as every subject field; it is stored trimmed",
          "[gallery][input]") {
    std::vector<gallery::EnrolItem> items(2);
    items[0].subject.source = items[1].subject.source = "folder photos";
    for (const char* refused : {"", "   ", "county\x1b[2J jail"}) {
        INFO(refused);
        auto named = gallery::setSource(items, refused);
        REQUIRE_FALSE(named);
        CHECK(named.error().code == facelead::ErrorCode::InvalidArgument);
        CHECK(items[0].subject.source == "folder photos");  // unchanged when refused
    }
    REQUIRE(gallery::setSource(items, "  Booking photos, county jail  "));
    for (const auto& item : items) CHECK(item.subject.source == "Booking photos, county jail");
}
