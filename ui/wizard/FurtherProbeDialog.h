#pragma once
// A further probe of the same unknown person (issue 10 item 6), opened from the face page with its image (a still,
// or a frame chosen on the video page): its faces found with the probe policy off the UI thread, listed with
// their quality, one chosen as on the face page, a poor one acknowledged; a face the detection missed or placed
// wrongly is marked by hand as on the face page (HandMarkingPanel, issue 10 item 4). "Add this probe" hands it back; the
// face page lists it and the core searches it with the first (CaseService::submitSearch, as the CLI's --probe).

#include <QDialog>

#include <optional>

#include "ui/wizard/SearchDraft.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace facelead::ui {

class AppContext;
class HandMarkingPanel;
class ImageView;
class WrappedCheckBox;

class FurtherProbeDialog : public QDialog {
    Q_OBJECT
public:
    // sourceRequired: the request is for an image the agency did not capture, so this probe states its own source
    // (workflow::needsImageSource, VI.B.2).
    FurtherProbeDialog(AppContext& context, ProbeOriginal original, int probeNumber, bool sourceRequired,
                       QWidget* parent = nullptr);

    // After "Add this probe": the probe with its chosen face.
    const std::optional<FurtherProbeDraft>& chosen() const { return chosen_; }

    // For tests and the keyboard alike.
    bool detecting() const { return detecting_; }
    int faceCount() const { return int(faces_.size()); }
    void chooseFace(int index);
    QCheckBox* acknowledgeBox() const { return acknowledge_; }
    QPushButton* addButton() const { return add_; }
    QLineEdit* sourceEdit() const { return source_; }
    QPushButton* markButton() const { return markButton_; }
    HandMarkingPanel* marking() const { return marking_; }
    QString message() const;

signals:
    void detectionFinished();

private:
    void detect();
    void showFaces(const Result<std::vector<face::Face>>& found);
    void showFaceList();  // the table and the boxes from faces_
    void updateAdd();
    void add();

    AppContext& context_;
    ProbeOriginal original_;
    std::vector<face::Face> faces_;
    int chosenFace_ = -1;
    bool detecting_ = false;
    std::optional<FurtherProbeDraft> chosen_;

    ImageView* view_;
    QTableWidget* faceTable_;
    QLabel* quality_;
    WrappedCheckBox* acknowledgement_;
    QCheckBox* acknowledge_;
    QLabel* message_;
    QLineEdit* source_;
    bool sourceRequired_;
    QPushButton* markButton_;
    HandMarkingPanel* marking_;
    QPushButton* add_;
};

}  // namespace facelead::ui
