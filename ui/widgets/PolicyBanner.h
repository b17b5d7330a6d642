#pragma once
// The fixed wording every result screen, print and export carries, and the banner widgets showing it.
// One source for the strings so no screen can word them differently.

#include <QFrame>
#include <QString>

class QLabel;

namespace facelead::ui {

// SOP 302.02 VI.B.1: results are an investigative lead only.
QString leadOnlyNotice();
// SOP 302.02 VI.B.6: the material is criminal intelligence / investigative information.
QString intelligenceMarking();
// Shown on every screen while the workstation is in training mode (no real case data).
QString trainingModeNotice();

// A strong, always-visible banner. Kind decides the wording and colour; the text is not editable by callers.
class PolicyBanner : public QFrame {
    Q_OBJECT
public:
    enum class Kind {
        LeadOnly,      // VI.B.1, on every result screen, comparison and printout
        Intelligence,  // VI.B.6, at the top of every screen showing case material
        Training,      // training mode
    };
    explicit PolicyBanner(Kind kind, QWidget* parent = nullptr);
    Kind kind() const { return kind_; }
    QString text() const;

private:
    Kind kind_;
    QLabel* label_;
};

}  // namespace facelead::ui
