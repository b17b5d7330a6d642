#pragma once
// Private to core/face: the descriptor ResNet of Networks.h rebuilt layer by layer as an OpenCV DNN network,
// with the weights of the deserialised dlib network. Why: OpenCV's convolution kernels (AVX2/AVX-512,
// dispatched at run time) compute the same network in about 0.6x the time of dlib's im2col + BLAS path on
// one core (docs/PERFORMANCE.md, "Descriptor network"). The output matches dlib's to about 1e-6
// (Euclidean, 128-d; checked by tests/integration/face), far below what the 0.56 threshold can notice.
//
// Each affine (frozen batch-norm) layer is folded into the convolution before it. dlib's add_prev pads the
// smaller operand with zeros (channels and the bottom/right edge) where the shapes differ; the rebuilt
// network does the same with explicit padding layers.
//
// Threading: a cv::dnn::Net keeps per-call state; build one per worker.

#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include "core/face/detail/Networks.h"

namespace facelead::face::detail {

// The OpenCV network equivalent to `trained` (input: a blob from descriptorInput, output: N x 128).
cv::dnn::Net toOpenCvNet(DescriptorNet& trained);

// The network input for 150x150 RGB chips (CV_8UC3): dlib's input_rgb_image_sized normalisation,
// (pixel - channel mean) / 256, as an N x 3 x 150 x 150 float blob.
cv::Mat descriptorInput(const std::vector<cv::Mat>& chipsRgb);

}  // namespace facelead::face::detail
