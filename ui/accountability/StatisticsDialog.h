#pragma once
// Usage statistics (SOP 302.02 VI.C.2): searches per month, per purpose and per user; leads, follow-ups,
// review decisions and candidate-list sizes, as charts (Qt Charts) and a table; export as CSV or PDF.
// The figures are computed by reports::computeStatistics on the store thread with progress and Cancel.

#include <QDialog>

#include <optional>

#include "core/reports/Statistics.h"
#include "ui/dialogs/SignInDialogs.h"

class QDateEdit;
class QLabel;
class QTabWidget;
class QTableWidget;

namespace facelead::ui {

class AppContext;

class StatisticsDialog : public QDialog {
    Q_OBJECT
public:
    explicit StatisticsDialog(AppContext& context, QWidget* parent = nullptr);

    // On the store thread behind a progress dialog; answer gets the core's message on failure.
    void compute(const reports::Period& period, Answer answer = {});
    const std::optional<reports::UsageStatistics>& statistics() const { return stats_; }
    QTabWidget* tabs() const { return tabs_; }
    std::optional<QString> exportCsv(const QString& path);
    std::optional<QString> exportPdf(const QString& path);

private:
    void showStatistics(const reports::UsageStatistics& stats);

    AppContext& context_;
    QDateEdit* from_;
    QDateEdit* to_;
    QLabel* summary_;
    QTabWidget* tabs_;
    std::optional<reports::UsageStatistics> stats_;
};

}  // namespace facelead::ui
