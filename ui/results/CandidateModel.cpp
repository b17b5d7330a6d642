#include "ui/results/CandidateModel.h"

#include <QPixmap>

#include "ui/accountability/Common.h"
#include "ui/results/LeadActions.h"
#include "ui/widgets/LocalTime.h"

namespace facelead::ui {

CandidateModel::CandidateModel(QObject* parent) : QAbstractTableModel(parent) {}

void CandidateModel::setCandidates(std::vector<cases::CandidateRecord> candidates,
                                   std::map<std::int64_t, gallery::Subject> subjects,
                                   std::map<std::int64_t, gallery::SubjectRemoval> removals) {
    beginResetModel();
    candidates_ = std::move(candidates);
    subjects_ = std::move(subjects);
    removals_ = std::move(removals);
    visible_ = int(candidates_.size());
    endResetModel();
}

void CandidateModel::setThumbnail(std::int64_t galleryFaceId, const QImage& thumbnail) {
    thumbnails_[galleryFaceId] = thumbnail;
    for (int row = 0; row < rowCount(); ++row)
        if (candidates_[std::size_t(row)].galleryFaceId == galleryFaceId)
            emit dataChanged(index(row, Photo), index(row, Photo));
}

void CandidateModel::updateCandidate(const cases::CandidateRecord& candidate) {
    for (int row = 0; row < int(candidates_.size()); ++row) {
        if (candidates_[std::size_t(row)].id == candidate.id) {
            candidates_[std::size_t(row)] = candidate;
            if (row < visible_) emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        }
    }
}

void CandidateModel::setVisibleCount(int n) {
    beginResetModel();
    visible_ = std::clamp(n, 0, int(candidates_.size()));
    endResetModel();
}

const gallery::Subject* CandidateModel::subject(int row) const {
    auto found = subjects_.find(candidate(row).subjectId);
    return found == subjects_.end() ? nullptr : &found->second;
}

QString CandidateModel::removalText(std::int64_t subjectId) const {
    auto found = removals_.find(subjectId);
    if (found == removals_.end()) return {};
    const gallery::SubjectRemoval& r = found->second;
    return tr("Removed from the gallery on %1 by %2 — %3")
        .arg(localTime(r.removedAt), QString::fromStdString(r.removedBy), QString::fromStdString(r.reason));
}

int CandidateModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : visible_; }
int CandidateModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant CandidateModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= visible_) return {};
    const cases::CandidateRecord& c = candidate(index.row());
    const gallery::Subject* s = subject(index.row());
    if (role == Qt::DecorationRole && index.column() == Photo) {
        auto thumb = thumbnails_.find(c.galleryFaceId);
        return thumb == thumbnails_.end() ? QVariant() : QVariant(QPixmap::fromImage(thumb->second));
    }
    if (role == Qt::ToolTipRole && index.column() == Photo) {
        const QString removed = removalText(c.subjectId);
        return removed.isEmpty() ? QVariant() : QVariant(removed);
    }
    if (role == Qt::TextAlignmentRole && (index.column() == Rank || index.column() == Distance || index.column() == Score))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    const bool numeric = index.column() == Rank || index.column() == Distance || index.column() == Score;
    // Issue 11 item 1: withheld by the core until this user has examined every candidate of the list (trial 45 F2).
    if (role == Qt::ToolTipRole && numeric && c.rankHidden)
        return tr("Hidden until you have recorded your blind examination of every candidate of this list: one rank "
                  "shown earlier would tell the others' by elimination");
    const bool elided = index.column() == Subject || index.column() == Source || index.column() == Status;
    if (role == Qt::ToolTipRole && elided) return data(index, Qt::DisplayRole);  // the text a narrow column cuts
    if (role != Qt::DisplayRole && role != Qt::AccessibleTextRole) return {};
    if (numeric && c.rankHidden) return tr("hidden");
    switch (Column(index.column())) {
    case Rank: return c.rank;
    case Photo: {
        // A subject removed since: a labelled placeholder instead of a blank photo.
        const QString removed = thumbnails_.count(c.galleryFaceId) ? QString() : removalText(c.subjectId);
        if (!removed.isEmpty()) return removed;
        return role == Qt::AccessibleTextRole ? tr("Gallery photo") : QVariant();
    }
    case Subject: return QString::fromStdString(c.subjectName);
    case DateOfBirth: return s && s->fields.dateOfBirth ? QString::fromStdString(*s->fields.dateOfBirth) : QString();
    case Source:
        if (!s) return {};
        return s->fields.recordId ? QStringLiteral("%1 #%2").arg(QString::fromStdString(s->fields.source),
                                                                 QString::fromStdString(*s->fields.recordId))
                                  : QString::fromStdString(s->fields.source);
    case Distance: return QString::number(c.distance, 'f', 3);
    case Score: return QString::fromStdString(cases::similarityText(c, 2));
    case Status: return leadStatusText(c.status);
    case ColumnCount: break;
    }
    return {};
}

QVariant CandidateModel::headerData(int section, Qt::Orientation orientation, int role) const {
    // Short headers, so a narrow column at 1366x768 never cuts its own name; the long name is the tool tip.
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == Score) return tr("Similarity score");
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == Source) return tr("Source / record number");
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Rank: return tr("Rank");
    case Photo: return tr("Gallery photo");
    case Subject: return tr("Subject");
    case DateOfBirth: return tr("Date of birth");
    case Source: return tr("Source");
    case Distance: return tr("Distance");
    case Score: return tr("Score");
    case Status: return tr("Lead status");
    case ColumnCount: break;
    }
    return {};
}

}  // namespace facelead::ui
