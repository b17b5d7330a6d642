#pragma once
// Gallery > "Check for duplicates (VI.A.5)…" (issue 10 item 7): the DL/ID fraud check of SOP 302.02 VI.A.5 in the
// workstation, as `facelead-cli gallery duplicates` runs it. "Check the gallery" asks the core's one facade
// (gallery::findDuplicates, which checks the role itself and audits the check as "gallery.duplicates_checked") on
// the store thread behind a progress dialog with Cancel; the pairs it found are listed with both subjects' names,
// both enrolled photos read from the store, the distance and whether it is the same image. Every row is a lead for
// a person to review, not a finding: the window carries the VI.B.1 and VI.B.6 markings.

#include <QDialog>

class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QTableView;

namespace facelead::ui {

class AppContext;
class DuplicatesModel;

class DuplicatesDialog : public QDialog {
    Q_OBJECT
public:
    // Photos are read for the nearest this many pairs; the others are listed with their face ids.
    static constexpr int kPhotoRows = 200;

    explicit DuplicatesDialog(AppContext& context, QWidget* parent = nullptr);

    // Runs the check in the background; the list is filled when the core answers (then checkFinished()).
    void check();

    // For tests.
    DuplicatesModel* model() const { return model_; }
    QTableView* view() const { return view_; }
    QPushButton* checkButton() const { return check_; }
    QDoubleSpinBox* threshold() const { return threshold_; }
    QString summary() const;
    bool checking() const { return checking_; }

signals:
    void checkFinished();

private:
    AppContext& context_;
    DuplicatesModel* model_;
    QTableView* view_;
    QDoubleSpinBox* threshold_;
    QPushButton* check_;
    QLabel* summary_;
    bool checking_ = false;
};

}  // namespace facelead::ui
