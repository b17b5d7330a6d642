#include "core/face/ModelFiles.h"

#include <system_error>

#include <dlib/revision.h>
#include <opencv2/core/version.hpp>

#include "core/common/Hash.h"

namespace facelead::face {
namespace {

std::string howToGet(const ModelFile& model) {
    return " Expected SHA-256 " + std::string(model.sha256) +
           ". Run packaging/fetch-models.sh to download the models, or point FaceLead at a folder that holds "
           "them with --models DIR or the FACELEAD_MODELS_DIR environment variable.";
}

}  // namespace

AlgorithmDescription algorithmDescription() {
    return {
        "dlib HOG frontal face detector, with the MMOD CNN (mmod_human_face_detector) confirming weak or "
        "small detections; 5-point landmarks (shape_predictor_5_face_landmarks) align a 150x150 chip",
        "dlib ResNet face descriptor (dlib_face_recognition_resnet_model_v1): 128 numbers per face, computed "
        "through OpenCV DNN with the same weights (agrees with dlib to about 1e-6)",
        "Euclidean distance between descriptors; the gallery is ranked nearest first and the candidate list cut "
        "at its size, never at a distance; the similarity score (0..1, 0.5 at the calibrated threshold) is for "
        "display only",
        "dlib " + std::to_string(DLIB_MAJOR_VERSION) + "." + std::to_string(DLIB_MINOR_VERSION) + "." +
            std::to_string(DLIB_PATCH_VERSION) + ", OpenCV " + CV_VERSION,
    };
}

Result<void> verifyModelFile(const std::filesystem::path& modelsDir, const ModelFile& model) {
    const auto path = modelsDir / model.fileName;
    const std::string what = "The " + std::string(model.purpose) + " model " + path.string();
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        return makeError(ErrorCode::ModelMissing, what + " is missing." + howToGet(model));
    const auto bytes = std::filesystem::file_size(path, error);
    if (error) return makeError(ErrorCode::ModelMissing, what + " cannot be read: " + error.message() + "." + howToGet(model));
    if (bytes != model.bytes)
        return makeError(ErrorCode::ModelCorrupt, what + " has " + std::to_string(bytes) + " bytes instead of " +
                                                      std::to_string(model.bytes) + " (incomplete or wrong file)." +
                                                      howToGet(model));
    const auto digest = sha256FileHex(path);
    if (!digest) return makeError(ErrorCode::ModelMissing, what + " cannot be read." + howToGet(model));
    if (*digest != model.sha256)
        return makeError(ErrorCode::ModelCorrupt,
                         what + " is damaged or not the published file (SHA-256 " + *digest + ")." + howToGet(model));
    return {};
}

}  // namespace facelead::face
