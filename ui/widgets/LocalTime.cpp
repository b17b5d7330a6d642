#include "ui/widgets/LocalTime.h"

#include <QDateTime>

namespace facelead::ui {

QString localTime(const std::string& isoUtc) {
    const QString text = QString::fromStdString(isoUtc);
    const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    // "t": the zone's abbreviation, so a time read beside another agency's record says which clock it is.
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm t")) : text;
}

QString localTime(const std::optional<TimePoint>& time) { return time ? localTime(toIsoUtc(*time)) : QString(); }

QString handMarkingLine(const cases::HandMarking& marking) {
    return QString::fromStdString(cases::handMarkingText(marking, localTime(marking.markedAt).toStdString()));
}

}  // namespace facelead::ui
