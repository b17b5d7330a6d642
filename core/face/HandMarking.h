#pragma once
// Hand-marked faces (issue 10 item 4). When detection misses a face, or the examiner disagrees with what it
// found, the examiner clicks the centres of the two eyes (required) and, if they like, the tip of the nose and
// the two corners of the mouth, on the original or on an enhanced copy. The face is then aligned from those
// points alone (FaceEngine::analyzeMarked): a similarity transform (scale, rotation, shift; least squares when
// more than the two eyes are given) takes the average positions of those points on dlib's mean face to the
// marked ones, exactly as dlib aligns detected faces from the 5 points its shape predictor places. A dragged box
// alone is not accepted: a box does not say where the eyes are, and the descriptor depends on that.
//
// Coordinates: pixels of the image the points were marked on, continuous (a click at the centre of pixel
// (10, 20) is (10.5, 20.5) or (10, 20): half a pixel is far below what a click can resolve).
// Thread-safety: free functions on values.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Result.h"
#include "core/face/FaceEngine.h"

namespace facelead::face {

// The eye centres closer than this (pixels) are refused: no alignment is meaningful below it (a 24 px face,
// the smallest the probe detection looks for, has its eyes about 10 px apart). Quality grades what is above.
inline constexpr double kMinMarkedEyeDistancePx = 10;

// The names of the points in the order they are marked ("left eye", "right eye", "nose tip", ...), for the
// wizard's prompts and the refusals.
const std::vector<std::string>& markedPointNames();

// "x1,y1;x2,y2[;nx,ny[;mlx,mly;mrx,mry]]": the two eye centres, then optionally the nose tip, then optionally both
// mouth corners (2, 3 or 5 points). InvalidArgument saying what is wrong with the text.
Result<MarkedPoints> parseMarkedPoints(std::string_view text);
// The same syntax, one decimal: what is stored, audited and printed.
std::string formatMarkedPoints(const MarkedPoints& points);
// "left eye (x, y), right eye (x, y), nose tip (x, y), ... (left and right as seen in the picture)": the points
// named, for reports and screens; left and right are the picture's, not the person's own (trial 79 F6).
std::string describeMarkedPoints(const MarkedPoints& points);
// The points in marking order (2, 3 or 5).
std::vector<Point> markedPointList(const MarkedPoints& points);
// Builds MarkedPoints from 2, 3 or 5 points in marking order (InvalidArgument for another count).
Result<MarkedPoints> markedPointsFrom(const std::vector<Point>& points);

// Refuses points that cannot be a face in an image of width x height pixels, with a message saying which point to
// mark again: a point outside the image, eye centres closer than kMinMarkedEyeDistancePx (or the same point),
// a nose tip or mouth corner on the eye line, on the other side of it from the rest, or farther than three eye
// distances from the eyes, mouth corners on top of each other. Returns the points with the eyes in the face's
// order (with a nose or mouth marked, the one that keeps them below the eye line; else left to right).
Result<MarkedPoints> checkMarkedPoints(const MarkedPoints& points, int width, int height);

// When only the eyes are marked, the vertical scale and the tilt of the face are not known from them: the engine's
// 5-point landmark model is run in the box the eyes imply (alignmentFromMarks(checked).box), and its nose base joins
// the fit when its eye centres agree with the marked ones within kEngineEyeAgreement eye distances. The marked
// eyes still place the face; the nose only completes what two points cannot say. Measured in
// tests/integration/face/HandMarkingTests.cpp (distance to the detected face's descriptor, with and without).
inline constexpr double kEngineEyeAgreement = 0.12;
// The engine's nose base (point 4 of engineLandmarks, the 5 points placed in the implied box), or nothing when the
// examiner marked more than the eyes or the engine's eyes disagree with the marked ones.
std::optional<Point> plausibleEngineNoseBase(const MarkedPoints& checked, const std::vector<Point>& engineLandmarks);

// What the alignment makes of checked points: the 5 points of shape_predictor_5_face_landmarks that they imply
// (so the face can be drawn and re-aligned like a detected one, FaceEngine::alignedChip) and the face box a
// detector would have drawn around them (its width is the box of a detected face of the same eye distance).
struct MarkedAlignment {
    std::vector<Point> landmarks;
    Box box;
};
MarkedAlignment alignmentFromMarks(const MarkedPoints& checked, const std::optional<Point>& engineNoseBase = {});

}  // namespace facelead::face
