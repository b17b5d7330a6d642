#pragma once
// The audit viewer (SOP 302.02 VI.C.2, VI.C.3.a): filter the hash-chained log by user, action, case and
// date range; see whether the chain verifies or where it breaks; export the filtered entries as CSV
// (with hashes, for re-verification) or PDF (with the markings). For program administrators.

#include <QDateTime>
#include <QDialog>

#include <functional>
#include <optional>
#include <vector>

#include "core/audit/AuditLog.h"
#include "core/common/Result.h"

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace facelead::ui {

class AppContext;
struct AuditView;

struct AuditViewFilter {
    std::optional<std::int64_t> userId;
    QString action;      // exact, or a prefix ending in '.'
    QString caseNumber;  // entries of that case (see reports::caseAuditEntries)
    std::optional<QDateTime> from;
    std::optional<QDateTime> to;
};

class AuditViewer : public QDialog {
    Q_OBJECT
public:
    explicit AuditViewer(AppContext& context, QWidget* parent = nullptr);

    // Runs the filter (also what "Apply" does with the form's values) on the store thread; answer gets the
    // core's message on failure.
    void apply(const AuditViewFilter& filter, std::function<void(std::optional<QString>)> answer = {});
    AuditViewFilter filterFromForm() const;
    const std::vector<audit::AuditEntry>& entries() const { return entries_; }
    QString chainText() const;
    QTableWidget* table() const { return table_; }

    std::optional<QString> exportCsv(const QString& path);
    std::optional<QString> exportPdf(const QString& path);

signals:
    void applied();  // the entries of the last filter are shown

private:
    QString describe(const AuditViewFilter& filter) const;
    void showView(const AuditViewFilter& filter, Result<AuditView> view);

    AppContext& context_;
    QComboBox* user_;
    QComboBox* action_;  // editable: an action seen in the log, or a prefix
    QLineEdit* caseNumber_;
    QCheckBox* useFrom_;
    QCheckBox* useTo_;
    QDateTimeEdit* from_;
    QDateTimeEdit* to_;
    QLabel* chain_;
    QLabel* message_;
    QTableWidget* table_;
    std::vector<audit::AuditEntry> entries_;
    audit::VerifyReport chainReport_;
    QString filterDescription_;
};

}  // namespace facelead::ui
