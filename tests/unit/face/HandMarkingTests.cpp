// Hand-marked points (issue 10 item 4): the --mark syntax and the refusal of points that cannot be a face.
// No network is loaded here.

#include <catch2/catch.hpp>

#include "core/face/HandMarking.h"

using facelead::ErrorCode;
using facelead::face::checkMarkedPoints;
using facelead::face::MarkedPoints;
using facelead::face::parseMarkedPoints;

namespace {

MarkedPoints points(const char* text) {
    auto parsed = parseMarkedPoints(text);
    REQUIRE(parsed.ok());
    return *parsed;
}

std::string refusal(const char* text, int width = 640, int height = 480) {
    auto checked = checkMarkedPoints(points(text), width, height);
    REQUIRE_FALSE(checked.ok());
    CHECK(checked.error().code == ErrorCode::InvalidArgument);
    return checked.error().message;
}

}  // namespace

TEST_CASE("--mark takes the eyes, then the nose tip, then both mouth corners", "[face][marking][unit]") {
    const auto eyes = points("100,120;160,118");
    CHECK(eyes.count() == 2);
    CHECK(eyes.leftEye.x == 100);
    CHECK(eyes.rightEye.y == 118);
    CHECK_FALSE(eyes.noseTip.has_value());
    CHECK(points(" 100.5, 120 ; 160,118 ;130,150").count() == 3);
    const auto all = points("100,120;160,118;130,150;110,175;150,175");
    CHECK(all.count() == 5);
    CHECK(all.mouthRight->x == 150);
    CHECK(facelead::face::formatMarkedPoints(all) == "100.0,120.0;160.0,118.0;130.0,150.0;110.0,175.0;150.0,175.0");
    // Left and right are the picture's, never the person's own (trial 79 F6: reports said only "left eye").
    CHECK(facelead::face::describeMarkedPoints(eyes) ==
          "left eye (100.0, 120.0), right eye (160.0, 118.0) (left and right as seen in the picture)");

    for (const char* bad : {"", "100,120", "100,120;160", "100;120;160;118", "a,b;c,d", "100,120;160,118;1,2;3,4",
                            "100,120;160,118;1,2;3,4;5,6;7,8", "100,120;160,118,5", "nan,1;2,3"}) {
        CAPTURE(bad);
        const auto parsed = parseMarkedPoints(bad);
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.error().code == ErrorCode::InvalidArgument);
    }
}

TEST_CASE("Points that cannot be a face are refused, saying which point to mark again", "[face][marking][unit]") {
    CHECK_THAT(refusal("-5,120;160,118"), Catch::Contains("left eye") && Catch::Contains("outside the image"));
    CHECK_THAT(refusal("100,120;700,118"), Catch::Contains("right eye") && Catch::Contains("640 x 480"));
    CHECK_THAT(refusal("100,120;160,118;130,500"), Catch::Contains("nose tip") && Catch::Contains("outside"));
    CHECK_THAT(refusal("100,120;100,120"), Catch::Contains("0.0 pixels apart"));
    CHECK_THAT(refusal("100,120;105,124"), Catch::Contains("at least 10"));
    CHECK_THAT(refusal("100,120;160,118;130,119"), Catch::Contains("nose tip") && Catch::Contains("not below the eyes"));
    CHECK_THAT(refusal("100,120;160,118;130,400"), Catch::Contains("too far from the eyes"));
    CHECK_THAT(refusal("100,120;160,118;130,150;130,175;131,175"), Catch::Contains("mouth corners"));
    // One mouth corner below the eyes and the other above them.
    CHECK_THAT(refusal("100,120;160,118;130,150;110,175;150,60"), Catch::Contains("right mouth corner"));
}

TEST_CASE("Checked points are in the face's order whatever the order of the clicks", "[face][marking][unit]") {
    // Eyes clicked right to left on an upright face: left is the eye on the left of the picture.
    auto checked = checkMarkedPoints(points("160,118;100,120"), 640, 480);
    REQUIRE(checked.ok());
    CHECK(checked->leftEye.x == 100);
    // An upside-down face: the nose below the eyes in the face's frame puts the picture's right eye first.
    checked = checkMarkedPoints(points("100,300;160,300;130,270;150,245;110,245"), 640, 480);
    REQUIRE(checked.ok());
    CHECK(checked->leftEye.x == 160);
    CHECK(checked->mouthLeft->x == 150);
}

TEST_CASE("The alignment of two eyes is never a mirror image, and the box sits around them", "[face][marking][unit]") {
    // Eyes exactly on one line (the case dlib's similarity fit could mirror).
    auto checked = checkMarkedPoints(points("100,120;160,120"), 640, 480);
    REQUIRE(checked.ok());
    const auto alignment = facelead::face::alignmentFromMarks(*checked);
    REQUIRE(alignment.landmarks.size() == 5);
    CHECK(alignment.landmarks[4].y > 140);  // the nose base below the eyes
    CHECK(alignment.landmarks[2].x < alignment.landmarks[0].x);
    CHECK(alignment.box.left < 100);
    CHECK(alignment.box.right > 160);
    CHECK(alignment.box.top < 120);
    CHECK(alignment.box.bottom > 170);
}
