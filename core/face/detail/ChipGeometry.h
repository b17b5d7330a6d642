#pragma once
// Private to core/face (and its tests and benchmarks): the geometry of the aligned chip the descriptor network was
// trained on (dlib's dnn_face_recognition_ex: get_face_chip_details(shape, 150, 0.25)).

namespace facelead::face::detail {

inline constexpr unsigned long kChipSize = 150;
inline constexpr double kChipPadding = 0.25;

// The face proper inside the chip: dlib maps the mean face's landmark template onto [padding, 1 + padding] of a
// (1 + 2 x padding) wide span, so the template's square is the chip without its padding on each side (25..125 px).
struct ChipSquare {
    int first, last;  // pixel columns (and rows) first..last-1
};
inline constexpr ChipSquare kFaceProper{
    static_cast<int>(kChipSize * kChipPadding / (1 + 2 * kChipPadding) + 0.5),
    static_cast<int>(kChipSize * (1 + kChipPadding) / (1 + 2 * kChipPadding) + 0.5)};

}  // namespace facelead::face::detail
