#include "ui/wizard/ProbeFaces.h"

#include <QHeaderView>
#include <QObject>
#include <QPointF>
#include <QStringList>
#include <QTableWidget>

#include "core/common/Hash.h"
#include "core/face/HandMarking.h"
#include "core/face/QualityJson.h"
#include "core/imaging/Intake.h"
#include "ui/widgets/ImageView.h"

namespace facelead::ui {

Result<ProbeOriginal> readProbe(const std::filesystem::path& file) {
    auto decoded = imaging::decodeFile(file);
    if (!decoded) return decoded.error();
    auto hash = sha256FileHex(file);
    if (!hash) return hash.error();
    return ProbeOriginal{file, std::move(decoded.value()), std::move(hash.value())};
}

QString verdictText(face::QualityVerdict verdict) {
    switch (verdict) {
    case face::QualityVerdict::Good: return QObject::tr("Good");
    case face::QualityVerdict::Marginal: return QObject::tr("Marginal");
    case face::QualityVerdict::Poor: return QObject::tr("POOR");
    }
    return {};
}

QString faceName(const face::Face& face, int number) {
    return face.marked ? QObject::tr("%1 (marked by hand)").arg(number) : QString::number(number);
}

QString reasonsText(const face::Quality& quality) {
    QStringList reasons;
    for (const std::string& reason : quality.reasons) reasons << QString::fromStdString(reason);
    return reasons.join(QStringLiteral("; "));
}

QString chosenFaceHtml(const face::Face& face, int number) {
    QStringList lines;
    if (!face.quality.reasons.empty()) lines << reasonsText(face.quality).toHtmlEscaped();
    if (face.quality.verdict == face::QualityVerdict::Good) lines << QString::fromUtf8(face::kGoodVerdictLimit).toHtmlEscaped();
    return QObject::tr("<b>Face %1 — quality: %2</b><br>%3")
        .arg(faceName(face, number))
        .arg(verdictText(face.quality.verdict), lines.join(QStringLiteral("<br>")));
}

void showMarkedPoints(ImageView& view, const face::Face& face) {
    std::vector<QPointF> marks;
    if (face.marked)
        for (const face::Point& p : face::markedPointList(*face.marked)) marks.emplace_back(p.x, p.y);
    view.setLandmarks(marks);
    view.setLandmarksVisible(!marks.empty());
}

QTableWidget* makeFaceTable(QWidget* parent) {
    auto* table = new QTableWidget(0, 4, parent);
    table->setHorizontalHeaderLabels({QObject::tr("Face"), QObject::tr("Width (px)"), QObject::tr("Quality"),
                                      QObject::tr("Why")});
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->hide();
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    return table;
}

std::vector<QRect> showFaceRows(QTableWidget& table, const std::vector<face::Face>& faces) {
    std::vector<QRect> boxes;
    table.setRowCount(int(faces.size()));
    for (std::size_t i = 0; i < faces.size(); ++i) {
        const face::Face& f = faces[i];
        boxes.emplace_back(QPoint(f.box.left, f.box.top), QPoint(f.box.right - 1, f.box.bottom - 1));
        const int row = int(i);
        table.setItem(row, 0, new QTableWidgetItem(faceName(f, row + 1)));
        table.setItem(row, 1, new QTableWidgetItem(QString::number(f.quality.faceWidthPx)));
        table.setItem(row, 2, new QTableWidgetItem(verdictText(f.quality.verdict)));
        table.setItem(row, 3, new QTableWidgetItem(reasonsText(f.quality)));
    }
    table.resizeColumnsToContents();
    return boxes;
}

}  // namespace facelead::ui
