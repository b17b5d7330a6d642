#pragma once
// Steps that cannot be taken back ask first (issue 9: approving access and recording a supervisor's review
// took effect on one click): the question names exactly what is about to happen and whom it concerns, the
// button that goes ahead names the step, and Cancel (also Escape, the default) changes nothing. The core
// still decides: a confirmed step may be refused, in the core's words.

#include <optional>

#include <QString>

class QWidget;

namespace facelead::ui {

// Whether the step also asks why (a status change: the reason goes to the core, which refuses a blank one
// and keeps it in the audit log), or the reason is already on the screen (a review's note) or not one the
// core records (an approval).
enum class AskReason { No, Yes };

// Shows `question` under `title` (window-modal on parent) with a button labelled `goAhead`. Returns nullopt
// when the user cancelled; else the reason typed (empty unless asked).
std::optional<QString> confirmStep(QWidget* parent, const QString& title, const QString& question,
                                   const QString& goAhead, AskReason askReason);

}  // namespace facelead::ui
