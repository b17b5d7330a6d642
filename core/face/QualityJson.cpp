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

std::optional<QualityVerdict> recordedVerdict(const std::string& qualityJson) {
    const auto json = nlohmann::json::parse(qualityJson, nullptr, false);
    if (!json.is_object() || !json.contains("verdict") || !json["verdict"].is_string()) return std::nullopt;
    const std::string verdict = json["verdict"].get<std::string>();
    for (const auto v : {QualityVerdict::Good, QualityVerdict::Marginal, QualityVerdict::Poor})
        if (verdict == verdictName(v)) return v;
    return std::nullopt;
}

bool poorQualityAcknowledged(bool searchAcknowledged, const std::string& qualityJson) {
    return searchAcknowledged && recordedVerdict(qualityJson) == QualityVerdict::Poor;
}

}  // namespace facelead::face
