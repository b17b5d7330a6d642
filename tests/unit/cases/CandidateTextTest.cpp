// How every entry point writes a candidate's numbers (core/cases/CaseRecords.h).

#include <catch2/catch.hpp>

#include "core/cases/CaseRecords.h"

using namespace facelead;

TEST_CASE("A similarity is cut, never rounded up: it never reads 1.00 for a candidate short of it (trial 45 F13)",
          "[unit][cases]") {
    cases::CandidateRecord c;
    c.score = 0.9972;
    CHECK(cases::similarityText(c, 2) == "0.99");
    CHECK(cases::similarityText(c, 3) == "0.997");
    c.score = 0.29;  // 28.999… in binary: still 0.29
    CHECK(cases::similarityText(c, 2) == "0.29");
    c.score = 1.0;
    CHECK(cases::similarityText(c, 2) == "1.00");
    c.rankHidden = true;  // withheld from an examiner as the rank is
    CHECK(cases::similarityText(c, 2) == cases::kHiddenUntilExamined);
}
