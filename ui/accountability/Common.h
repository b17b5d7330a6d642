#pragma once
// Small helpers shared by the accountability screens.

#include <QString>

#include <optional>
#include <string>

#include "core/common/Clock.h"
#include "core/common/Text.h"
#include "core/reports/ReportDocument.h"
#include "ui/widgets/LocalTime.h"  // stored times, as every screen shows them

class QBoxLayout;
class QWidget;

namespace facelead::ui {
class AppContext;
}

namespace facelead::ui::accountability {

inline QString qs(const std::string& text) { return QString::fromStdString(text); }
inline QString qs(std::string_view text) { return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())); }
// "1 photo", "3 photos" (text::counted): never "1 photos".
inline QString counted(long long n, std::string_view one, std::string_view many) {
    return qs(text::counted(static_cast<std::size_t>(n), one, many));
}

// Asks where to save (suggestedName in the user's documents folder); empty when the user gave up.
QString askSavePath(QWidget* parent, const QString& caption, const QString& suggestedName, const QString& filter);

// Writes `text` to `path`, readable by its owner only (issue 8 item 5: an audit export holds case numbers, purposes
// and names). Returns an error message, or nullopt when written.
std::optional<QString> saveText(const QString& path, const std::string& text);

// Writes the table as CSV (markings first), as saveText. Returns an error message, or nullopt when written.
std::optional<QString> saveCsv(const QString& path, const reports::Table& table, bool trainingStore);

// The one-line marking shown at the bottom of every accountability screen.
QString screenMarking();

// Every accountability screen: the TRAINING banner on top while a training store is open (it follows
// AppContext::trainingModeChanged), the VI.B.6 / VI.B.1 marking at the bottom. Call once the content is laid out.
void addScreenMarkings(QBoxLayout* layout, AppContext& context, QWidget* owner);

}  // namespace facelead::ui::accountability
