#pragma once
// The face page's list of further probes of the same unknown person (issue 10 item 6): more stills, or frames of a
// video (the video page), each added through FurtherProbeDialog (its face chosen as the first probe's), listed with
// a thumbnail of the face, its file, the face chosen and its quality, and removable until the search runs. They go
// to the core with the first probe (SearchRunner -> CaseService::submitSearch, as the CLI's --probe).

#include <QGroupBox>
#include <QPointer>

class QLabel;
class QPushButton;
class QTableWidget;

namespace facelead::ui {

class FurtherProbeDialog;
class SearchWizard;
class VideoFrameDialog;
struct ProbeOriginal;

class FurtherProbesPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit FurtherProbesPanel(SearchWizard& wizard, QWidget* parent = nullptr);

    // Reads and hashes the file off the UI thread, then opens its face choice (furtherProbeDialog()).
    void addImageFile(const QString& file);
    // The video page; "Use this frame" opens the frame's face choice.
    VideoFrameDialog* addVideoFrame(const QString& file);
    void removeProbe(int row);
    void showProbes();  // the table from the draft, and a warning when a probe looks like someone else (trial 41 F4)

    // For tests.
    FurtherProbeDialog* furtherProbeDialog() const;
    QTableWidget* table() const { return table_; }
    bool loading() const { return loading_; }
    QString message() const;

signals:
    void probesChanged();
    void faceChoiceOpened(FurtherProbeDialog* dialog);  // a further probe's face choice is on screen

private:
    void chooseImage();
    void chooseVideo();
    void openFaceChoice(ProbeOriginal original);
    void updateButtons();
    QString unlikeWarning() const;  // cases::probesUnlikeTheFirst on the draft's faces

    SearchWizard& wizard_;
    QTableWidget* table_;
    QPushButton* addImage_;
    QPushButton* addVideo_;
    QPushButton* remove_;
    QLabel* message_;
    bool loading_ = false;
    QPointer<FurtherProbeDialog> dialog_;
};

}  // namespace facelead::ui
