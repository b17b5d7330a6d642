#pragma once
// The results of one search: the candidate list (rank, gallery photo, subject, distance, score, status)
// beside the comparison of the ORIGINAL probe with the chosen candidate. Choosing a candidate is audited
// (CaseService::viewCandidate). Candidates can be marked as a possible lead or excluded, with a note;
// the follow-up (VI.B.3) and review (VI.C.1) open from here too.

#include <QImage>
#include <QWidget>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "core/cases/CaseService.h"
#include "core/common/Result.h"
#include "core/gallery/Gallery.h"
#include "core/imaging/Image.h"
#include "ui/results/ComparisonView.h"

class QLabel;
class QListWidget;
class QPrinter;
class QPushButton;
class QSpinBox;
class QTableView;

namespace facelead::ui {

class AppContext;
class CandidateModel;
struct StoredSearch;

class ResultsWindow : public QWidget {
    Q_OBJECT
public:
    ResultsWindow(AppContext& context, std::int64_t searchId, QWidget* parent = nullptr);
    ~ResultsWindow() override;

    bool loaded() const { return search_.has_value(); }
    QString errorText() const;
    QString headerText() const;  // the request, who ran the search, and the order the rows are in
    CandidateModel* model() const { return model_; }
    QTableView* table() const { return table_; }
    ComparisonView* comparison() const { return comparison_; }
    // All of the shown candidate's gallery photos (one row per subject: issue 10 item 6); a click compares that one.
    QListWidget* subjectPhotos() const { return photos_; }
    std::int64_t shownPhotoId() const { return shownFaceId_; }
    // Several probes searched together (issue 10 item 6): "Probe K of N" and which was nearest to the candidate;
    // choosing a candidate shows its nearest probe, the buttons the others.
    QString probeText() const;
    int shownProbe() const { return shownProbe_; }
    bool analysingProbe() const { return probeAnalyses_ > 0; }  // the shown probe's landmarks are being found
    QPushButton* nextProbeButton() const { return nextProbe_; }
    QPushButton* previousProbeButton() const { return previousProbe_; }
    void selectRow(int row);
    // The candidate list as printed (both SOP markings on it), and printing it (also Ctrl+P).
    QString candidateListHtml() const;
    void printTo(QPrinter& printer) const;
    void printCandidateList();

signals:
    void changed();        // a lead changed: work lists should refresh
    void loadedChanged();  // the stored search was read (tests wait for it)

private:
    void load();
    void display(Result<StoredSearch> stored);
    // A probe's picture as read from the store (its original, or the frame taken from a video), with the stored
    // face box when the picture is the image searched.
    struct ProbePicture {
        QImage image;
        imaging::Image pixels;
        std::optional<QRectF> box;
        QString error;   // why it cannot be shown
        QString source;  // where its original came from, as stored
        std::int64_t shownImageId = 0;        // the stored image shown
        std::optional<std::int64_t> videoId;  // set: it is a frame taken from this stored video
    };
    // sourceIfNone: the source to name when the picture's record has none (a frame: its video's, as the request gave it).
    static ProbePicture probePicture(Result<cases::LoadedImage> picture, std::int64_t imageId, const face::Box& faceBox,
                                     const QString& sourceIfNone);
    void showProbe(int index);  // 0 = the search's own probe, k = SearchRecord::furtherProbes[k - 1]
    void updateProbeLabel();
    // The stored hand marking of probe `probe` (0: the search's own image), or nullptr for a detected face.
    const cases::HandMarking* markingOf(int probe) const;
    // "Face marked by hand by USER, TIME: …" from the stored search (cases::handMarkingText); empty for a detected face.
    QString handMarkingLine(int probe) const;
    // The caption beside the probe: original, never enhanced, and the hand-marking line when the face was marked.
    QString probeCaption() const;
    void showCandidate(int row);
    // Reads the photo on the store thread (the first view of a candidate is audited: audit) and compares it.
    void showPhoto(int row, std::int64_t faceId, bool audit);
    void showCandidateImage(const cases::CandidateRecord& c, int row, std::int64_t faceId, imaging::Image image);
    // Fills the strip of the subject's photos (CaseService::candidatePhotos), thumbnails made on the store thread.
    void loadSubjectPhotos(const cases::CandidateRecord& c, int row);
    void updateButtons();
    std::optional<int> currentRow() const;
    QString candidateLabel(int row) const;
    void afterLeadChange();
    // Reads the candidates back (a lead changed here, or elsewhere: ReloadWhenActivated); then() after.
    void refreshCandidates(std::function<void()> then = {});

    AppContext& context_;
    std::int64_t searchId_;
    std::optional<cases::SearchRecord> search_;
    std::map<std::int64_t, gallery::GalleryFace> galleryFaces_;
    CandidateModel* model_;
    QTableView* table_;
    QSpinBox* visibleCount_;
    QLabel* header_;
    QLabel* error_;
    ComparisonView* comparison_;
    QLabel* probeLabel_;
    QPushButton* previousProbe_;
    QPushButton* nextProbe_;
    QListWidget* photos_;
    QPushButton* examineButton_;
    QPushButton* markButton_;
    QPushButton* excludeButton_;
    QPushButton* followUpButton_;
    QPushButton* reviewButton_;
    using Analysis = std::shared_ptr<Result<std::vector<face::Face>>>;
    std::vector<ProbePicture> probes_;  // read back from the store, by position
    int shownProbe_ = 0;
    int probeAnalyses_ = 0;  // running on the thread pool
    int shownRow_ = -1;
    std::int64_t shownFaceId_ = 0;
};

}  // namespace facelead::ui
