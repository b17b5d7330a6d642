#include "core/face/QualityJson.h"

namespace facelead::face {

nlohmann::ordered_json qualityToJson(const Quality& quality) {
    return {{"face_width_px", quality.faceWidthPx},
            {"inter_ocular_px", quality.interOcularPx},
            {"sharpness", quality.sharpness},
            {"brightness", quality.brightness},
            {"contrast", quality.contrast},
            {"yaw_degrees", quality.yawDegrees},
            {"roll_degrees", quality.rollDegrees},
            {"blockiness", quality.blockiness},
            {"face_in_picture", quality.faceInPicture},
            {"landmark_deviation", quality.landmarkDeviation},
            {"found_turned_degrees", quality.foundTurnedDegrees},
            {"verdict", verdictName(quality.verdict)},
            {"reasons", quality.reasons}};
}

}  // namespace facelead::face
