#pragma once
// Messages that appear and go without moving what the user aims at (trial 10: a sign-in meant for one user
// went in as another after an error line pushed the fields up; attestation boxes and the trainee list moved
// under the mouse as hints came and went).

class QLabel;
class QString;
class QTextEdit;

namespace facelead::ui {

// Makes `label` a word-wrapped message area that keeps the height of `lines` lines of its font even when
// empty, so a message of up to that many lines appears or goes without moving its neighbours. Never hide
// such a label: clear its text.
void reserveLines(QLabel& label, int lines);

// The height that shows `lines` lines of `box`'s font, frame and document margins included: for a text box
// given a fixed height, whose changing text scrolls inside it instead of moving what is below.
int fixedLinesHeight(const QTextEdit& box, int lines);

// Makes `label` an inline error (refusal) line: red and bold, with `lines` lines reserved (reserveLines), so a
// refusal appears under the fields without moving them or the buttons (issue 9). Clear it, never hide it.
void makeErrorLine(QLabel& label, int lines = 2);

// Shows `refusal` on the error line `line` until the user next changes an input of line's window (types in a
// text field, picks in a combo box, ticks a box, sets a spin box, clicks an item of a list): the refusal was
// about what was there, and once it is changed it no longer holds (issue 9 re-trial: the red line stayed after
// every field had been fixed). An empty `refusal` clears the line. Changes made by the program (a field
// cleared after a refusal) do not count, except in multi-line text boxes, which cannot tell them apart.
void showRefusal(QLabel& line, const QString& refusal);

}  // namespace facelead::ui
