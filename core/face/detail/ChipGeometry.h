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

// Where the alignment puts the eye centres in the chip: the middles of dlib's 5-point template's eye corners
// (get_face_chip_details: (0.7528, 0.2212) and (0.2273, 0.2214) of the face proper), mapped as above. The eye on the
// picture's left comes first.
struct ChipPoint {
    double x, y;
};
inline constexpr double kTemplateToChip = kChipSize / (1 + 2 * kChipPadding);
inline constexpr ChipPoint kChipEyeCentres[2]{{(kChipPadding + 0.2273) * kTemplateToChip, (kChipPadding + 0.2214) * kTemplateToChip},
                                              {(kChipPadding + 0.7528) * kTemplateToChip, (kChipPadding + 0.2212) * kTemplateToChip}};

}  // namespace facelead::face::detail
