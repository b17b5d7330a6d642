#pragma once
// What the search wizard collects, page by page. At the end it becomes ONE request handed to the core
// (CaseService), which validates it again (workflow::validate) whatever the wizard checked.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/face/FaceEngine.h"
#include "core/imaging/Enhancement.h"
#include "core/imaging/Image.h"
#include "core/imaging/Video.h"
#include "core/workflow/SearchRequest.h"

namespace facelead::ui {

struct ProbeOriginal {
    std::filesystem::path file;
    imaging::Image image;       // decoded, EXIF orientation applied; never modified (VI.B.2)
    std::string sha256;         // of the file's bytes, as the store records it
    // Set: `file` is a video and `image` this frame of it (VideoFrameDialog); the video is stored as the
    // original and the frame as a derived image with this recipe (issue 10 item 5).
    std::optional<imaging::VideoFrameSource> videoFrame = std::nullopt;
    // Set: the file's bytes as read back from the store (a probe carried over to a new search from a copy,
    // CaseService::readProbeFile), searched instead of reading `file` again; `file` then only names it.
    std::vector<std::uint8_t> storedBytes = {};
    // Set: what the video page's check of the whole video found (Video::scanForDamage), said again on the probe page
    // with the frame (trial 77 F9), as is its not being run (trial 78 F9); the stored search reads the video again.
    std::optional<imaging::DamageScan> wholeVideoRead = std::nullopt;
};

struct EnhancedCopy {
    imaging::Recipe recipe;     // ordered steps with parameters
    cv::Mat rgb;                // the recipe applied to the original (full resolution)
};

// A further probe of the SAME unknown person (issue 10 item 6: another still, another frame), searched together with
// the first: its original (or video and frame) and the face chosen in it, as the first probe's face is chosen.
struct FurtherProbeDraft {
    ProbeOriginal original;
    face::Face face;                       // detected with the probe policy, or marked by hand (face.marked)
    int faceNumber = 1, facesInImage = 1;  // 1-based, in reading order, as the examiner saw them numbered
    bool poorQualityAcknowledged = false;
    std::string imageSource;  // its own, as the examiner typed it (VI.B.2; never the first probe's: trial 40 F6)
};

struct SearchDraft {
    workflow::SearchRequest request;
    std::optional<std::int64_t> existingCaseId;      // the case number is already in the store
    std::optional<std::int64_t> newCaseOfficerId;    // a new case: its assigned case officer (VI.B.3)
    std::string caseOfficerName;  // for the review page: the existing case's officer, or the one chosen
    std::optional<ProbeOriginal> original;
    std::optional<EnhancedCopy> enhanced;
    bool searchEnhancedCopy = false;          // the chosen face is on the enhanced copy
    std::vector<face::Face> faces;            // detected on the chosen image
    int chosenFace = -1;
    bool poorQualityAcknowledged = false;
    std::vector<FurtherProbeDraft> furtherProbes;  // in the order added; the first probe is original/faces above
    // A copy of a stored search: the box of the face it searched in the first probe, chosen again when found again.
    std::optional<face::Box> searchedBefore;
    int candidateLimit = 50;

    const face::Face* face() const {
        return chosenFace >= 0 && chosenFace < int(faces.size()) ? &faces[std::size_t(chosenFace)] : nullptr;
    }
    // The pixels the face was detected on.
    const cv::Mat* chosenImage() const {
        if (searchEnhancedCopy && enhanced) return &enhanced->rgb;
        return original ? &original->image.rgb : nullptr;
    }
    // The chosen pixels (sharing them, read only) with the original's intake notes: a copy of a damaged file is as
    // damaged, so the engine says so in every face's quality, detected or marked by hand (intake case C06).
    std::optional<imaging::Image> chosenProbeImage() const {
        const cv::Mat* chosen = chosenImage();
        if (!chosen) return std::nullopt;
        imaging::Image image;
        image.rgb = *chosen;
        image.notes = original->image.notes;
        return image;
    }
};

}  // namespace facelead::ui
