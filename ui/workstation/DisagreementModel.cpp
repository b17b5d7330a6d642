#include "ui/workstation/DisagreementModel.h"

#include <QStringList>

#include "ui/widgets/LocalTime.h"

namespace facelead::ui {
namespace {

QString qs(std::string_view text) { return QString::fromUtf8(text.data(), qsizetype(text.size())); }

// "Support — Ivan Investigator, 2 Dec 2026 10:14" for each record of the kind (several verifications: each).
QString conclusionsOf(const cases::DisagreementSummary& d, workflow::ExaminationKind kind, bool withTime) {
    QStringList parts;
    for (const cases::ExaminationRecord& e : d.examinations) {
        if (e.kind != kind) continue;
        QString part = QStringLiteral("%1 — %2").arg(qs(workflow::conclusionLabel(e.examination.conclusion)),
                                                     QString::fromStdString(e.examiner.displayName));
        if (withTime) part += QStringLiteral(", ") + localTime(e.recordedAt);
        parts << part;
    }
    return parts.join(QStringLiteral("; "));
}

}  // namespace

void DisagreementModel::setDisagreements(std::vector<cases::DisagreementSummary> disagreements) {
    beginResetModel();
    rows_ = std::move(disagreements);
    endResetModel();
}

int DisagreementModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }
int DisagreementModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant DisagreementModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(rows_.size())) return {};
    const cases::DisagreementSummary& d = rows_[std::size_t(index.row())];
    const bool tip = role == Qt::ToolTipRole;
    if (role != Qt::DisplayRole && !tip) return {};
    switch (index.column()) {
    case Case: return QString::fromStdString(d.caseNumber);
    case Candidate:
        return tr("%1 (candidate %2)")
            .arg(d.subjectName.empty() ? tr("unnamed subject") : QString::fromStdString(d.subjectName))
            .arg(d.candidateId);
    case Examination: return conclusionsOf(d, workflow::ExaminationKind::Examination, tip);
    case Verification: return conclusionsOf(d, workflow::ExaminationKind::Verification, tip);
    case Settle:
        return tip ? tr("A supervisor who examined neither side records their own conclusion and its basis; the "
                        "lead moves only once it is resolved (audited).")
                   : tr("Resolve: your conclusion and its basis");
    default: return {};
    }
}

QVariant DisagreementModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Case: return tr("Case");
    case Candidate: return tr("Candidate");
    case Examination: return tr("Examination");
    case Verification: return tr("Independent verification");
    case Settle: return tr("To settle it");
    default: return {};
    }
}

}  // namespace facelead::ui
