#pragma once
// What the wizard's face choice shows of a probe's faces, in one place: the face page (the first probe) and the
// further-probe dialog (each further probe of the same person, issue 10 item 6) show faces, their quality and
// the chosen one alike, so every probe goes through the same choice.

#include <QRect>
#include <QString>

#include <filesystem>
#include <vector>

#include "core/common/Result.h"
#include "core/face/FaceEngine.h"
#include "ui/wizard/SearchDraft.h"

class QTableWidget;
class QWidget;

namespace facelead::ui {

class ImageView;

// Decodes (with the intake limits) and hashes the same file. For a worker thread: touches no store.
Result<ProbeOriginal> readProbe(const std::filesystem::path& file);

QString verdictText(face::QualityVerdict verdict);
// "3" for a detected face, "3 (marked by hand)" for one the examiner marked.
QString faceName(const face::Face& face, int number);
QString reasonsText(const face::Quality& quality);
// "<b>Face 2 — quality: Marginal</b><br>reasons" for the chosen face; a good verdict also says what it leaves to the
// examiner (face::kGoodVerdictLimit).
QString chosenFaceHtml(const face::Face& face, int number);

// A face marked by hand keeps its clicked points in view on `view`: the examiner sees what the alignment used; a
// detected face shows none.
void showMarkedPoints(ImageView& view, const face::Face& face);

// The faces' table (Face, Width, Quality, Why: makeFaceTable's columns), one row per face in reading order;
// returns their boxes for ImageView::setBoxes.
QTableWidget* makeFaceTable(QWidget* parent);
std::vector<QRect> showFaceRows(QTableWidget& table, const std::vector<face::Face>& faces);

}  // namespace facelead::ui
