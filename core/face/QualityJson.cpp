#include "core/face/QualityJson.h"

#include <cmath>

namespace facelead::face {
namespace {

// A measure that was not taken (NaN) is null, as the JSON is read (nlohmann keeps NaN as a number until dumped).
nlohmann::ordered_json measured(double value) { return std::isnan(value) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(value); }

}  // namespace

nlohmann::ordered_json qualityToJson(const Quality& quality) {
    return {{"face_width_px", quality.faceWidthPx},
            {"inter_ocular_px", quality.interOcularPx},
            {"sharpness", quality.sharpness},
            {"brightness", quality.brightness},
            {"contrast", quality.contrast},
            {"yaw_degrees", measured(quality.yawDegrees)},
            {"roll_degrees", quality.rollDegrees},
            {"blockiness", quality.blockiness},
            {"face_in_picture", quality.faceInPicture},
            {"eye_detail", quality.eyeDetail},
            {"eyes_seen", measured(quality.eyesSeen)},
            {"iris_texture", measured(quality.irisTexture)},
            {"grey_levels", measured(quality.greyLevels)},
            {"noise", measured(quality.noise)},
            {"landmark_deviation", measured(quality.landmarkDeviation)},
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

std::string qualityText(QualityVerdict verdict, const std::vector<std::string>& reasons) {
    std::string text = verdictName(verdict);
    for (std::size_t i = 0; i < reasons.size(); ++i) text += (i == 0 ? ": " : "; ") + reasons[i];
    if (verdict == QualityVerdict::Good) text += std::string(". ") + kGoodVerdictLimit;
    return text;
}

std::string recordedQualityText(const std::string& qualityJson) {
    const auto verdict = recordedVerdict(qualityJson);
    if (!verdict) return "not recorded";
    const auto json = nlohmann::json::parse(qualityJson, nullptr, false);
    std::vector<std::string> reasons;
    if (json.contains("reasons") && json["reasons"].is_array())
        for (const auto& reason : json["reasons"])
            if (reason.is_string()) reasons.push_back(reason.get<std::string>());
    return qualityText(*verdict, reasons);
}

bool poorQualityAcknowledged(bool searchAcknowledged, const std::string& qualityJson) {
    return searchAcknowledged && recordedVerdict(qualityJson) == QualityVerdict::Poor;
}

}  // namespace facelead::face
