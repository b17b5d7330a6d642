// "Several probes of ONE person" questioned before a search (trial 41 F4): cases::probesUnlikeTheFirst.

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "core/cases/CaseService.h"

namespace {

using facelead::face::Descriptor;

// A unit descriptor along axis `axis`, turned by `angle` towards the next axis: distance 2 sin(angle / 2) from axis.
Descriptor along(std::size_t axis, double angle = 0) {
    Descriptor d{};
    d[axis] = float(std::cos(angle));
    d[axis + 1] = float(std::sin(angle));
    return d;
}

}  // namespace

TEST_CASE("Probes of one person pass; a probe beyond the same-person threshold from the first is named, with its "
          "distance", "[unit][cases]") {
    using facelead::cases::probesUnlikeTheFirst;
    const std::vector<Descriptor> same{along(0), along(0, 0.3), along(0, 0.5)};  // 0.30 and 0.49 from the first
    CHECK(probesUnlikeTheFirst(same, 0.56).empty());
    CHECK(probesUnlikeTheFirst(std::vector<Descriptor>{along(0)}, 0.56).empty());

    const std::vector<Descriptor> mixed{along(0), along(0, 0.3), along(2), along(4)};  // probes 3 and 4 at 1.41
    const std::string warning = probesUnlikeTheFirst(mixed, 0.56);
    CHECK_THAT(warning, Catch::StartsWith("Probes 3 (distance 1.41), 4 (distance 1.41) do not look like the same person "
                                          "as probe 1 (the same-person threshold is 0.56)"));
    const std::vector<Descriptor> one{along(0), along(4)};
    CHECK_THAT(probesUnlikeTheFirst(one, 0.56), Catch::StartsWith("Probe 2 (distance 1.41) does not look like"));
}
