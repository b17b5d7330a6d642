#include "ui/accountability/Common.h"

#include <QBoxLayout>
#include <QFileDialog>
#include <QLabel>
#include <QObject>
#include <QStandardPaths>

#include <sstream>

#include "ui/widgets/PolicyBanner.h"
#include "ui/workstation/AppContext.h"
#include "core/common/PrivateFile.h"
#include "core/workflow/Markings.h"

namespace facelead::ui::accountability {

QString askSavePath(QWidget* parent, const QString& caption, const QString& suggestedName, const QString& filter) {
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return QFileDialog::getSaveFileName(parent, caption, folder + QLatin1Char('/') + suggestedName, filter);
}

std::optional<QString> saveText(const QString& path, const std::string& text) {
    if (auto written = writePrivateFile(path.toStdString(), text); !written)
        return QObject::tr("%1 cannot be written (%2). Choose a folder you may write to.")
            .arg(path, QString::fromStdString(written.error().message));
    return std::nullopt;
}

std::optional<QString> saveCsv(const QString& path, const reports::Table& table, bool trainingStore) {
    std::ostringstream csv;
    reports::writeCsv(csv, table, trainingStore);
    return saveText(path, csv.str());
}

QString screenMarking() {
    return qs(workflow::kIntelligenceMarking) + QStringLiteral("  \u2022  ") + qs(workflow::kLeadOnlyDisclaimer);
}

void addScreenMarkings(QBoxLayout* layout, AppContext& context, QWidget* owner) {
    auto* training = new PolicyBanner(PolicyBanner::Kind::Training, owner);
    training->setVisible(context.trainingMode());
    QObject::connect(&context, &AppContext::trainingModeChanged, training, &QWidget::setVisible);
    layout->insertWidget(0, training);
    auto* marking = new QLabel(screenMarking(), owner);
    marking->setObjectName(QStringLiteral("screenMarking"));
    marking->setWordWrap(true);
    marking->setStyleSheet(QStringLiteral("color: #8c0000; font-size: 9pt;"));
    layout->addWidget(marking);
}

}  // namespace facelead::ui::accountability
