#pragma once
// Private to core/face (and its tests and benchmarks): the two dlib networks, declared ONCE and exactly as
// they were trained, so that deserialising the published model files reproduces the trained weights.
// Sources: dlib examples dnn_face_recognition_ex.cpp (ResNet-29 metric network, 150x150 chips) and
// dnn_mmod_face_detection_ex.cpp (MMOD face detector). Changing a layer here breaks model loading.

#include <dlib/dnn.h>

#include "core/face/detail/ChipGeometry.h"

namespace facelead::face::detail {

// ---- Face descriptor: ResNet with 128-d metric output ----
template <template <int, template <typename> class, int, typename> class Block, int N,
          template <typename> class BN, typename Subnet>
using residual = dlib::add_prev1<Block<N, BN, 1, dlib::tag1<Subnet>>>;

template <template <int, template <typename> class, int, typename> class Block, int N,
          template <typename> class BN, typename Subnet>
using residual_down = dlib::add_prev2<dlib::avg_pool<2, 2, 2, 2, dlib::skip1<dlib::tag2<Block<N, BN, 2, dlib::tag1<Subnet>>>>>>;

template <int N, template <typename> class BN, int Stride, typename Subnet>
using block = BN<dlib::con<N, 3, 3, 1, 1, dlib::relu<BN<dlib::con<N, 3, 3, Stride, Stride, Subnet>>>>>;

template <int N, typename Subnet>
using ares = dlib::relu<residual<block, N, dlib::affine, Subnet>>;
template <int N, typename Subnet>
using ares_down = dlib::relu<residual_down<block, N, dlib::affine, Subnet>>;

template <typename Subnet> using alevel0 = ares_down<256, Subnet>;
template <typename Subnet> using alevel1 = ares<256, ares<256, ares_down<256, Subnet>>>;
template <typename Subnet> using alevel2 = ares<128, ares<128, ares_down<128, Subnet>>>;
template <typename Subnet> using alevel3 = ares<64, ares<64, ares<64, ares_down<64, Subnet>>>>;
template <typename Subnet> using alevel4 = ares<32, ares<32, ares<32, Subnet>>>;

using DescriptorNet = dlib::loss_metric<dlib::fc_no_bias<128, dlib::avg_pool_everything<
    alevel0<alevel1<alevel2<alevel3<alevel4<
    dlib::max_pool<3, 3, 2, 2, dlib::relu<dlib::affine<dlib::con<32, 7, 7, 2, 2,
    dlib::input_rgb_image_sized<150>>>>>>>>>>>>>;


// ---- Face detector: MMOD CNN ----
template <long Filters, typename Subnet> using con5d = dlib::con<Filters, 5, 5, 2, 2, Subnet>;
template <long Filters, typename Subnet> using con5 = dlib::con<Filters, 5, 5, 1, 1, Subnet>;

template <typename Subnet>
using downsampler = dlib::relu<dlib::affine<con5d<32, dlib::relu<dlib::affine<con5d<32,
    dlib::relu<dlib::affine<con5d<16, Subnet>>>>>>>>>;
template <typename Subnet> using rcon5 = dlib::relu<dlib::affine<con5<45, Subnet>>>;

using DetectorNet = dlib::loss_mmod<dlib::con<1, 9, 9, 1, 1, rcon5<rcon5<rcon5<
    downsampler<dlib::input_rgb_image_pyramid<dlib::pyramid_down<6>>>>>>>>;

}  // namespace facelead::face::detail
