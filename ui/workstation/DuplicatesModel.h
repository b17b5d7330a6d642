#pragma once
// The DL/ID fraud check's findings (SOP 302.02 VI.A.5; issue 10 item 7) as a table model: one row per pair of
// gallery faces of DIFFERENT subjects that may be one person, from gallery::findDuplicates as read from the store.
// A pair within the distance threshold is a row with its distance; the same image (same SHA-256) under several
// identities is a row per pair of its faces of different subjects, flagged "same image" (with its distance when
// the pair is also within the threshold), a pair within gallery::kSamePictureDistance "nearly" (the same picture with
// other bytes); an image an enrolment refused as another identity's is a row of the
// enrolled face and the name it was offered under (trial 40 F15). Each row is a lead for a person to review, never a
// finding.

#include <QAbstractTableModel>
#include <QImage>

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "core/gallery/Duplicates.h"

namespace facelead::ui {

class DuplicatesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { SubjectA, FaceA, SubjectB, FaceB, Distance, SameImage, ColumnCount };

    struct Row {
        gallery::DuplicateFace a, b;
        std::optional<float> distance;  // unset: the same image, its pair beyond the threshold or past maxPairs
        bool sameImage = false;         // the same bytes (SHA-256)
        // Set: b was never enrolled; an enrolment refused it as the same image as a, or a near copy (distance set).
        std::optional<gallery::EnrolmentConflict> refused = std::nullopt;
    };

    explicit DuplicatesModel(QObject* parent = nullptr) : QAbstractTableModel(parent) {}

    // The similar pairs first, nearest first, then the same-image pairs that are not among them, then the images
    // refused at enrolment.
    static std::vector<Row> rowsOf(const gallery::DuplicatesReport& report);

    // photos: the enrolled photo of each face, by gallery face id, as read from the store (may lack some).
    void setReport(const gallery::DuplicatesReport& report, std::map<std::int64_t, QImage> photos);
    const Row& row(int r) const { return rows_[std::size_t(r)]; }
    bool hasPhoto(std::int64_t faceId) const { return photos_.count(faceId) > 0; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QVariant photo(std::int64_t faceId, int role) const;

    std::vector<Row> rows_;
    std::map<std::int64_t, QImage> photos_;
};

}  // namespace facelead::ui
