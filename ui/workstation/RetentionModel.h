#pragma once
// The program administrator's retention list (issue 11 item 5) as a table model: one row per probe image or search
// record older than the active rule pack keeps it (reports::reviewRetention, as read from the store), with its age
// against the pack's period and the latest decision recorded on it (keep until a day, or purge; by whom, when,
// why). A purge is shown as what it is: recorded, not carried out (SOP 302.02 VI.B.2, VI.B.6).

#include <QAbstractTableModel>

#include <vector>

#include "core/reports/Retention.h"

namespace facelead::ui {

class RetentionModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Item, Case, Stored, Age, Decision, DecidedBy, DecidedAt, Reason, ColumnCount };

    struct Row {
        reports::RetentionItemKind kind = reports::RetentionItemKind::Probe;
        reports::RetentionItem item;
        int periodDays = 0;  // the pack's period for this kind of item
    };

    explicit RetentionModel(QObject* parent = nullptr) : QAbstractTableModel(parent) {}

    // The probes first, then the search records, each oldest first as the core lists them.
    void setReview(const reports::RetentionReview& review);
    const Row& row(int r) const { return rows_[std::size_t(r)]; }
    // "Probe image #12", "Search record #5": how the list and the decision dialog name an item.
    static QString itemText(const Row& row);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<Row> rows_;
};

}  // namespace facelead::ui
