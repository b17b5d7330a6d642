#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "core/workflow/Purposes.h"

using namespace facelead::workflow;

TEST_CASE("VI.A.1-8: the catalogue holds the eight authorized purposes with their citations") {
    const auto all = purposes();
    REQUIRE(all.size() == 8);
    std::set<std::string> codes;
    for (std::size_t i = 0; i < all.size(); ++i) {
        CHECK(all[i].citation == "VI.A." + std::to_string(i + 1));
        CHECK(!all[i].label.empty());
        CHECK(!all[i].policyText.empty());
        CHECK(!all[i].helpText.empty());
        codes.insert(std::string(all[i].code));
        CHECK(&purposeInfo(all[i].purpose) == &all[i]);
    }
    CHECK(codes.size() == 8);  // stable codes are unique
}

TEST_CASE("VI.A.3: a purpose is found by its code or its citation, and nothing else") {
    CHECK(purposeFromCode("identify_unable") == Purpose::IdentifyUnable);
    CHECK(purposeFromCode("VI.A.3") == Purpose::IdentifyUnable);
    CHECK(purposeFromCode("vi.a.8") == Purpose::ConcealedIdentity);
    CHECK_FALSE(purposeFromCode("curiosity"));
    CHECK_FALSE(purposeFromCode(""));
    CHECK(purposeInfo(Purpose::SuspectedOffence).policyText.find("planning criminal activity") != std::string::npos);
}

TEST_CASE("VI.B.7.a-e: the five prohibited uses each have an attestation sentence") {
    const auto all = prohibitedUses();
    REQUIRE(all.size() == 5);
    const char letters[] = {'a', 'b', 'c', 'd', 'e'};
    for (std::size_t i = 0; i < all.size(); ++i) {
        CHECK(all[i].citation == std::string("VI.B.7.") + letters[i]);
        CHECK(!all[i].attestation.empty());
        CHECK(prohibitedUseFromCode(all[i].code) == all[i].use);
        CHECK(prohibitedUseFromCode(all[i].citation) == all[i].use);
        CHECK(&prohibitedUseInfo(all[i].use) == &all[i]);
    }
    CHECK(prohibitedUseInfo(ProhibitedUse::ProtectedCharacteristicSurveillance).policyText.find("sexual orientation") !=
          std::string::npos);
    CHECK_FALSE(prohibitedUseFromCode("VI.B.7.f"));
}
