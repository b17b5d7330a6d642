#include "ui/accountability/StatisticsDialog.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QHorizontalBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDateEdit>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <sstream>

#include "ui/workstation/Background.h"
#include "ui/accountability/Common.h"
#include "ui/accountability/PdfRenderer.h"
#include "ui/widgets/ScreenFit.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/CoreServices.h"

namespace facelead::ui {

using accountability::qs;

namespace {

TimePoint startOfDayUtc(const QDate& date) {
    return TimePoint(std::chrono::milliseconds(QDateTime(date, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch()));
}

// A bar chart of one breakdown. Horizontal bars for long labels (purposes, user names) so they stay readable.
QChartView* barChart(const QString& title, const std::vector<reports::Count>& counts, bool horizontal,
                     QWidget* parent) {
    constexpr int kMaxLabel = 48;
    // Qt draws a horizontal chart's first category at the bottom: reverse so it reads top-down like the table.
    std::vector<const reports::Count*> ordered;
    for (const auto& c : counts) ordered.push_back(&c);
    if (horizontal) std::reverse(ordered.begin(), ordered.end());
    auto* set = new QBarSet(title);
    QStringList categories;
    int maximum = 0;
    for (const auto* c : ordered) {
        *set << c->count;
        QString label = qs(c->label);
        if (label.size() > kMaxLabel) label = label.left(kMaxLabel - 1) + QStringLiteral("…");
        categories << label;
        maximum = std::max(maximum, c->count);
    }
    QAbstractBarSeries* series = horizontal ? static_cast<QAbstractBarSeries*>(new QHorizontalBarSeries)
                                            : static_cast<QAbstractBarSeries*>(new QBarSeries);
    series->append(set);
    series->setLabelsVisible(true);
    auto* chart = new QChart;
    chart->addSeries(series);
    chart->setTitle(title);
    chart->legend()->hide();
    auto* categoryAxis = new QBarCategoryAxis;
    categoryAxis->append(categories);
    // Many columns (months) side by side: turned labels stay whole instead of being cut.
    if (!horizontal && categories.size() > 4) categoryAxis->setLabelsAngle(-60);
    auto* valueAxis = new QValueAxis;
    valueAxis->setRange(0, std::max(1, maximum + 1));
    valueAxis->setLabelFormat(QStringLiteral("%d"));
    valueAxis->setTickType(QValueAxis::TicksDynamic);
    valueAxis->setTickAnchor(0);
    valueAxis->setTickInterval(std::max(1, (maximum + 1) / 8));
    chart->addAxis(categoryAxis, horizontal ? Qt::AlignLeft : Qt::AlignBottom);
    chart->addAxis(valueAxis, horizontal ? Qt::AlignBottom : Qt::AlignLeft);
    series->attachAxis(categoryAxis);
    series->attachAxis(valueAxis);
    auto* view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    return view;
}

}  // namespace

StatisticsDialog::StatisticsDialog(AppContext& context, QWidget* parent)
    : QDialog(parent), context_(context), from_(new QDateEdit(this)), to_(new QDateEdit(this)),
      summary_(new QLabel(this)), tabs_(new QTabWidget(this)) {
    setWindowTitle(tr("Usage statistics (SOP 302.02 VI.C.2)"));
    setObjectName(QStringLiteral("statisticsDialog"));
    resizeToFit(*this, {1100, 720});
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    const QDate today = QDate::currentDate();
    from_->setDate(QDate(today.year(), 1, 1));
    to_->setDate(today);
    for (auto* edit : {from_, to_}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    }
    top->addWidget(new QLabel(tr("From"), this));
    top->addWidget(from_);
    top->addWidget(new QLabel(tr("to (inclusive)"), this));
    top->addWidget(to_);
    auto* computeButton = new QPushButton(tr("Compute"), this);
    computeButton->setDefault(true);
    top->addWidget(computeButton);
    top->addStretch();
    auto* csv = new QPushButton(tr("Export CSV…"), this);
    auto* pdf = new QPushButton(tr("Export PDF…"), this);
    top->addWidget(csv);
    top->addWidget(pdf);
    layout->addLayout(top);
    summary_->setObjectName(QStringLiteral("statisticsSummary"));
    summary_->setWordWrap(true);
    layout->addWidget(summary_);
    layout->addWidget(tabs_, 1);
    accountability::addScreenMarkings(layout, context_, this);

    connect(computeButton, &QPushButton::clicked, this, [this] {
        compute({startOfDayUtc(from_->date()), startOfDayUtc(to_->date().addDays(1))});
    });
    connect(csv, &QPushButton::clicked, this, [this] {
        const QString path = accountability::askSavePath(this, tr("Export statistics"), QStringLiteral("statistics.csv"),
                                                         tr("CSV (*.csv)"));
        if (!path.isEmpty()) summary_->setText(exportCsv(path).value_or(tr("Saved %1").arg(path)));
    });
    connect(pdf, &QPushButton::clicked, this, [this] {
        const QString path = accountability::askSavePath(this, tr("Export statistics"), QStringLiteral("statistics.pdf"),
                                                         tr("PDF (*.pdf)"));
        if (!path.isEmpty()) summary_->setText(exportPdf(path).value_or(tr("Saved %1").arg(path)));
    });
}

void StatisticsDialog::compute(const reports::Period& period, Answer answer) {
    // The form shows the period computed, whoever asked for it.
    const auto toDate = [](TimePoint t) {
        return QDateTime::fromMSecsSinceEpoch(
                   std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count(), Qt::UTC)
            .date();
    };
    from_->setDate(toDate(period.from));
    to_->setDate(toDate(period.to).addDays(-1));
    runWithProgress(this, context_, tr("Computing the statistics…"),
                    [period](CoreServices& s, const JobProgress& progress) {
                        return reports::computeStatistics(s.session(), period, progress.progressFn());
                    },
                    [this, answer](Result<reports::UsageStatistics> stats) {
                        if (stats) {
                            stats_ = std::move(stats.value());
                            showStatistics(*stats_);
                        } else {
                            summary_->setText(qs(stats.error().message));
                        }
                        if (answer) answer(stats ? std::nullopt : std::optional(qs(stats.error().message)));
                    });
}

void StatisticsDialog::showStatistics(const reports::UsageStatistics& stats) {
    while (tabs_->count() > 0) {
        QWidget* page = tabs_->widget(0);
        tabs_->removeTab(0);
        page->deleteLater();
    }
    summary_->setText(tr("%1, %2, %3; mean candidate list %4, largest %5.%6")
                          .arg(accountability::counted(stats.totalSearches, "search", "searches"),
                               accountability::counted(stats.totalLeads, "lead", "leads"),
                               accountability::counted(stats.totalFollowUps, "follow-up", "follow-ups"))
                          .arg(stats.meanCandidateListSize, 0, 'f', 1)
                          .arg(stats.maxCandidateListSize)
                          .arg(stats.trainingStore ? tr("  TRAINING STORE: not live figures.") : QString()));
    tabs_->addTab(barChart(tr("Searches per month"), stats.searchesPerMonth, false, tabs_), tr("Per month"));
    tabs_->addTab(barChart(tr("Searches per purpose (VI.A)"), stats.searchesPerPurpose, true, tabs_), tr("Per purpose"));
    tabs_->addTab(barChart(tr("Searches per user"), stats.searchesPerUser, true, tabs_), tr("Per user"));
    tabs_->addTab(barChart(tr("Leads by status"), stats.leadsByStatus, false, tabs_), tr("Leads"));
    tabs_->addTab(barChart(tr("Candidate-list sizes (searches by candidates returned)"), stats.candidateListSizes, false, tabs_), tr("Candidate lists"));
    auto* table = new QTableWidget(tabs_);
    table->setColumnCount(3);
    table->setHorizontalHeaderLabels({tr("Breakdown"), tr("Item"), tr("Count")});
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    for (const auto& [heading, t] : reports::statisticsTables(stats))
        for (const auto& row : t.rows) {
            const int r = table->rowCount();
            table->insertRow(r);
            table->setItem(r, 0, new QTableWidgetItem(qs(heading)));
            table->setItem(r, 1, new QTableWidgetItem(qs(row[0])));
            table->setItem(r, 2, new QTableWidgetItem(qs(row[1])));
        }
    table->resizeColumnsToContents();
    tabs_->addTab(table, tr("All figures"));
}

std::optional<QString> StatisticsDialog::exportCsv(const QString& path) {
    if (!stats_) return tr("Compute the statistics first.");
    std::ostringstream csv;
    reports::writeStatisticsCsv(csv, *stats_);
    return accountability::saveText(path, csv.str());
}

std::optional<QString> StatisticsDialog::exportPdf(const QString& path) {
    if (!context_.signedIn()) return tr("Nobody is signed in.");
    if (!stats_) return tr("Compute the statistics first.");
    const auto& user = context_.user();
    const auto document = reports::statisticsReport(*stats_, context_.agencySettings().agencyName,
                                                    user.displayName.empty() ? user.username : user.displayName,
                                                    context_.clock()->now());
    auto pages = renderPdf(document, path);  // no store work: the figures shown are written
    if (!pages) return qs(pages.error().message);
    return std::nullopt;
}

}  // namespace facelead::ui
