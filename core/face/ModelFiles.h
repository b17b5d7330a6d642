#pragma once
// The three model files the face engine needs, as published by dlib (dlib.net/files), with their sizes
// and SHA-256 so that a truncated or substituted file is refused rather than silently used.

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/common/Result.h"

namespace facelead::face {

struct ModelFile {
    std::string_view fileName;
    std::uint64_t bytes;
    std::string_view sha256;
    std::string_view purpose;
};

inline constexpr std::array<ModelFile, 3> kModelFiles{{
    {"dlib_face_recognition_resnet_model_v1.dat", 22466066,
     "55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30", "face descriptor (ResNet)"},
    {"shape_predictor_5_face_landmarks.dat", 9150489,
     "c4b1e9804792707d3a405c2c16a80a20269e6675021f64a41d30fffafbc41888", "5-point landmarks"},
    {"mmod_human_face_detector.dat", 729940,
     "be467b1a76f482693de3b0f6a1ff91d092319be71523d4d4b0628f6a53fcb87a", "CNN face detector (MMOD)"},
}};

// The algorithm as a disclosure names it (issue 11 item 4): how faces are found, described and compared, and
// the library versions this build was compiled against.
struct AlgorithmDescription {
    std::string detection;
    std::string descriptor;
    std::string comparison;
    std::string libraries;  // "dlib 19.24.0, OpenCV 4.6.0"
};
AlgorithmDescription algorithmDescription();

// Presence, size, then SHA-256 of one model file in modelsDir: ModelMissing or ModelCorrupt on failure,
// with a message that names the file, the expected hash and how to obtain it.
Result<void> verifyModelFile(const std::filesystem::path& modelsDir, const ModelFile& model);

}  // namespace facelead::face
