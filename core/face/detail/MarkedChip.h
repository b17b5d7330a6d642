#pragma once
// The chip of a hand-marked face (HandMarking.h), for FaceEngine: dlib's own alignment (get_face_chip_details)
// with the marked points and their places on the mean face, in sub-pixel precision.

#include <dlib/image_transforms.h>

#include "core/face/HandMarking.h"

namespace facelead::face::detail {

// The region of the image that becomes the size x size chip with `padding` (the network's chip: Networks.h).
dlib::chip_details markedChipDetails(const MarkedPoints& checked, const std::optional<Point>& engineNoseBase,
                                     unsigned long size, double padding);

}  // namespace facelead::face::detail
