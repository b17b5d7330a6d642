#pragma once
// The quality of a face as JSON: how a search's probe, a gallery photo and `facelead-cli detect` record it (one list of
// fields, docs/disclosure.schema.json "quality"). Keys: face_width_px, inter_ocular_px, sharpness (0..1, the re-blur
// measure; records made before 2026-12-04 hold the chip's Laplacian variance, tens to thousands), brightness,
// contrast, yaw_degrees, roll_degrees, blockiness, face_in_picture, eye_detail, eyes_seen, iris_texture, grey_levels
// and noise (null: not measured), landmark_deviation, found_turned_degrees, verdict, reasons.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/face/FaceEngine.h"

namespace facelead::face {

nlohmann::ordered_json qualityToJson(const Quality& quality);
// The verdict a stored quality JSON records; nothing when it records none.
std::optional<QualityVerdict> recordedVerdict(const std::string& qualityJson);
// A search's "poor quality acknowledged" belongs to those of its probes whose recorded verdict is poor (trial 40 F10:
// it was shown, and disclosed, on a good first probe): true for such a probe of an acknowledged search.
bool poorQualityAcknowledged(bool searchAcknowledged, const std::string& qualityJson);
// The verdict and its reasons as stored, for a read-back (qualityText); "not recorded" when the JSON holds no verdict.
std::string recordedQualityText(const std::string& qualityJson);

// What a verdict of good leaves to the examiner, said with every good probe (qualityText below, the face pages,
// `detect`): the measures grade the capture, and do not see every retouch. Trial 72 F1: a dot painted over each iris and saved again
// as JPEG keeps as much iris texture as a soft real pupil, and no measure tried tells them apart (docs/CALIBRATION.md,
// "Retouched, then saved again as JPEG"). Each threshold is set where the fault starts to move the face's descriptor,
// not where a person sees it (trial 79 F1: a face blurred with sigma 3, plainly soft, was 0.17 from its clean photo),
// and a frame smeared by video damage the decoder did not report is not seen at all (trial 76 F2).
inline constexpr const char* kGoodVerdictLimit =
    "Good means no measure found a fault of the capture that moves the face's descriptor (docs/CALIBRATION.md): a "
    "slightly soft face can be good. The measures do not see every retouch (a dot painted over the irises and saved "
    "again as JPEG passes them) nor a smear from video damage the decoder did not report: look at the eyes and "
    "features yourself.";

// The one wording of a probe's verdict wherever it is written out or read back (the wizard's review, the case report
// and history, the comparison, `search`): "marginal: The image file is damaged: …; …", and a verdict of good with
// what it leaves to the examiner, "good. Good means … yourself." (trial 73 F2, F4, F6, F10: a verdict word alone, or
// none, where the face page had said why).
std::string qualityText(QualityVerdict verdict, const std::vector<std::string>& reasons);
inline std::string qualityText(const Quality& quality) { return qualityText(quality.verdict, quality.reasons); }

}  // namespace facelead::face
