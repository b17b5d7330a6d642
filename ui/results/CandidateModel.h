#pragma once
// The candidate list of one search as a table model: rank, gallery photo, subject fields, distance and
// score, lead status. Wording follows SOP 302.02 VI.B.1: candidates, never "matches". Rank, distance and
// score read "hidden" for a candidate the core withholds them for (CandidateRecord::rankHidden, issue 11).

#include <QAbstractTableModel>
#include <QImage>

#include <map>
#include <vector>

#include "core/cases/CaseRecords.h"
#include "core/gallery/Gallery.h"

namespace facelead::ui {

class CandidateModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Rank, Photo, Subject, DateOfBirth, Source, Distance, Score, Status, ColumnCount };

    explicit CandidateModel(QObject* parent = nullptr);

    // removals: the subjects removed from the gallery since (by subject id); their rows show, in place of the
    // photo, "Removed from the gallery on DATE by USER — reason" (read from the store).
    void setCandidates(std::vector<cases::CandidateRecord> candidates,
                       std::map<std::int64_t, gallery::Subject> subjects,
                       std::map<std::int64_t, gallery::SubjectRemoval> removals = {});
    QString removalText(std::int64_t subjectId) const;  // "" when the subject is still in the gallery
    void setThumbnail(std::int64_t galleryFaceId, const QImage& thumbnail);
    void updateCandidate(const cases::CandidateRecord& candidate);
    // Shows only the first n by rank (the list stored with the search is not changed).
    void setVisibleCount(int n);

    const cases::CandidateRecord& candidate(int row) const { return candidates_[std::size_t(row)]; }
    const gallery::Subject* subject(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<cases::CandidateRecord> candidates_;
    std::map<std::int64_t, gallery::Subject> subjects_;
    std::map<std::int64_t, QImage> thumbnails_;  // by gallery face id
    std::map<std::int64_t, gallery::SubjectRemoval> removals_;  // by subject id
    int visible_ = 0;
};

}  // namespace facelead::ui
