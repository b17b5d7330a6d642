#include "ui/workstation/DuplicatesModel.h"

#include <QPixmap>

#include <set>
#include <string>
#include <utility>

#include "core/gallery/Gallery.h"

namespace facelead::ui {
namespace {

QString qs(const std::string& text) { return QString::fromStdString(text); }

QString subjectText(const gallery::DuplicateFace& face) {
    return DuplicatesModel::tr("%1 (subject %2)").arg(qs(face.subjectName)).arg(face.subjectId);
}

// The pair's faces in a fixed order, so a pair found twice (similar and same image) is one row.
std::pair<std::int64_t, std::int64_t> pairKey(std::int64_t a, std::int64_t b) { return a < b ? std::pair(a, b) : std::pair(b, a); }

}  // namespace

std::vector<DuplicatesModel::Row> DuplicatesModel::rowsOf(const gallery::DuplicatesReport& report) {
    std::map<std::int64_t, std::string> imageOf;  // face id -> SHA-256, for the faces whose image is shared
    for (const gallery::SameImage& image : report.sameImages)
        for (const gallery::DuplicateFace& face : image.faces) imageOf[face.faceId] = image.imageSha256;
    const auto sameImage = [&imageOf](std::int64_t a, std::int64_t b) {
        const auto first = imageOf.find(a), second = imageOf.find(b);
        return first != imageOf.end() && second != imageOf.end() && first->second == second->second;
    };
    std::vector<Row> rows;
    std::set<std::pair<std::int64_t, std::int64_t>> listed;
    for (const gallery::SimilarFaces& pair : report.similarFaces) {
        rows.push_back({pair.a, pair.b, pair.distance, sameImage(pair.a.faceId, pair.b.faceId)});
        listed.insert(pairKey(pair.a.faceId, pair.b.faceId));
    }
    for (const gallery::SameImage& image : report.sameImages)
        for (std::size_t i = 0; i < image.faces.size(); ++i)
            for (std::size_t j = i + 1; j < image.faces.size(); ++j) {
                const gallery::DuplicateFace& a = image.faces[i];
                const gallery::DuplicateFace& b = image.faces[j];
                if (a.subjectId == b.subjectId || !listed.insert(pairKey(a.faceId, b.faceId)).second) continue;
                rows.push_back({a, b, std::nullopt, true});
            }
    for (const gallery::EnrolmentConflict& conflict : report.enrolmentConflicts)
        rows.push_back({conflict.enrolled, {0, 0, conflict.offeredName, conflict.sourcePath},
                        conflict.descriptorDistance ? std::optional<float>(float(*conflict.descriptorDistance)) : std::nullopt,
                        !conflict.descriptorDistance, conflict});
    return rows;
}

void DuplicatesModel::setReport(const gallery::DuplicatesReport& report, std::map<std::int64_t, QImage> photos) {
    beginResetModel();
    rows_ = rowsOf(report);
    photos_ = std::move(photos);
    endResetModel();
}

int DuplicatesModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }
int DuplicatesModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant DuplicatesModel::photo(std::int64_t faceId, int role) const {
    const auto found = photos_.find(faceId);
    if (role == Qt::DecorationRole) return found != photos_.end() ? QVariant(QPixmap::fromImage(found->second)) : QVariant();
    if (role == Qt::DisplayRole) return found != photos_.end() ? QVariant() : QVariant(tr("face %1").arg(faceId));
    return {};
}

QVariant DuplicatesModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(rows_.size())) return {};
    const Row& r = rows_[std::size_t(index.row())];
    switch (index.column()) {
    case FaceA: return role == Qt::ToolTipRole ? QVariant(qs(r.a.sourcePath)) : photo(r.a.faceId, role);
    case FaceB:
        // The refused file is named, as the CLI names it (trial 79 F8: "not enrolled" alone left nothing to review).
        if (r.refused && role == Qt::DisplayRole) return tr("not enrolled: %1").arg(qs(r.b.sourcePath));
        return role == Qt::ToolTipRole ? QVariant(qs(r.b.sourcePath)) : photo(r.b.faceId, role);
    default: break;
    }
    if (role == Qt::TextAlignmentRole && index.column() == Distance) return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    switch (index.column()) {
    case SubjectA: return subjectText(r.a);
    case SubjectB:
        if (r.refused) return tr("%1 (refused at enrolment)").arg(qs(r.b.subjectName));
        return subjectText(r.b);
    case Distance:
        if (r.distance) return QString::number(double(*r.distance), 'f', 3);
        return role == Qt::ToolTipRole ? tr("Beyond the distance threshold, or not among the nearest pairs listed")
                                       : QStringLiteral("—");
    case SameImage:
        if (r.refused)
            return (r.sameImage ? tr("Yes — refused at enrolment by %1, %2") : tr("Nearly — refused at enrolment by %1, %2"))
                .arg(qs(r.refused->enrolledBy), qs(r.refused->at));
        if (r.sameImage)
            return role == Qt::ToolTipRole ? tr("The same photo (same SHA-256) is enrolled under both identities")
                                           : tr("Yes — same image");
        if (r.distance && *r.distance <= gallery::kSamePictureDistance)
            return role == Qt::ToolTipRole ? tr("Within %1: the same photo re-saved, re-scaled or re-encoded, or one "
                                                "taken moments apart")
                                                 .arg(gallery::kSamePictureDistance, 0, 'f', 2)
                                           : tr("Nearly — same picture, other bytes");
        return tr("No");
    default: return {};
    }
}

QVariant DuplicatesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case SubjectA: return tr("Subject");
    case FaceA: return tr("Enrolled photo");
    case SubjectB: return tr("Other subject");
    case FaceB: return tr("Enrolled photo");
    case Distance: return tr("Distance");
    case SameImage: return tr("Same image");
    default: return {};
    }
}

}  // namespace facelead::ui
