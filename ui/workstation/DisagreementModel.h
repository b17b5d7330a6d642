#pragma once
// The supervisor's queue of verification disagreements (issue 11 item 2) as a table model: one row per candidate
// whose examiners disagree, with the case, the candidate, each side's conclusion and examiner, and the action that
// settles it. The rows are cases::CaseService::disagreementsAwaitingMe() as read from the store.

#include <QAbstractTableModel>

#include <vector>

#include "core/cases/CaseRecords.h"

namespace facelead::ui {

class DisagreementModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Case, Candidate, Examination, Verification, Settle, ColumnCount };

    explicit DisagreementModel(QObject* parent = nullptr) : QAbstractTableModel(parent) {}

    void setDisagreements(std::vector<cases::DisagreementSummary> disagreements);
    const cases::DisagreementSummary& disagreement(int row) const { return rows_[std::size_t(row)]; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<cases::DisagreementSummary> rows_;
};

}  // namespace facelead::ui
