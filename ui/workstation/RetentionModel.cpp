#include "ui/workstation/RetentionModel.h"

#include "ui/widgets/LocalTime.h"

namespace facelead::ui {
namespace {

QString qs(const std::string& text) { return QString::fromStdString(text); }

QString decisionText(const reports::RetentionItem& item) {
    if (!item.decision) return RetentionModel::tr("Awaiting a decision");
    if (item.decision->decision == reports::RetentionDecisionKind::Purge)
        return RetentionModel::tr("Purge (recorded, not carried out)");
    // A keep whose day has come is up for review again (reports::RetentionItem::awaitingDecision).
    return item.awaitingDecision ? RetentionModel::tr("Kept until %1 — due again").arg(qs(item.decision->keepUntil))
                                 : RetentionModel::tr("Keep until %1").arg(qs(item.decision->keepUntil));
}

QString decisionTip(const reports::RetentionItem& item) {
    if (item.decision && item.decision->decision == reports::RetentionDecisionKind::Purge)
        return RetentionModel::tr("FaceLead deletes nothing: original images are never deleted by the store (SOP "
                                  "302.02 VI.B.2), search records are held to their signed audit entries and the "
                                  "audit log is kept whole. The agency purges under its records schedule (VI.B.6).");
    return decisionText(item);
}

}  // namespace

void RetentionModel::setReview(const reports::RetentionReview& review) {
    beginResetModel();
    rows_.clear();
    for (const auto& item : review.probes) rows_.push_back({reports::RetentionItemKind::Probe, item, review.probeDays});
    for (const auto& item : review.searches)
        rows_.push_back({reports::RetentionItemKind::Search, item, review.searchRecordDays});
    endResetModel();
}

QString RetentionModel::itemText(const Row& row) {
    return row.kind == reports::RetentionItemKind::Probe ? tr("Probe image #%1").arg(row.item.id)
                                                         : tr("Search record #%1").arg(row.item.id);
}

int RetentionModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }
int RetentionModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RetentionModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(rows_.size())) return {};
    const Row& r = rows_[std::size_t(index.row())];
    const bool tip = role == Qt::ToolTipRole;
    if (role != Qt::DisplayRole && !tip) return {};
    const auto& decision = r.item.decision;
    switch (index.column()) {
    case Item: return itemText(r);
    case Case: return qs(r.item.caseNumber);
    case Stored: return localTime(r.item.at);
    case Age: return tr("%1 days (period %2)").arg(r.item.ageDays).arg(r.periodDays);
    case Decision: return tip ? decisionTip(r.item) : decisionText(r.item);
    case DecidedBy: return decision ? qs(decision->decidedBy) : QString();
    case DecidedAt: return decision ? localTime(decision->decidedAt) : QString();
    case Reason: return decision ? qs(decision->reason) : QString();
    default: return {};
    }
}

QVariant RetentionModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Item: return tr("Item");
    case Case: return tr("Case");
    case Stored: return tr("Stored or run");
    case Age: return tr("Age");
    case Decision: return tr("Decision");
    case DecidedBy: return tr("Decided by");
    case DecidedAt: return tr("Decided");
    case Reason: return tr("Reason");
    default: return {};
    }
}

}  // namespace facelead::ui
