#pragma once
// The video page of the search wizard (issue 10 item 5): a surveillance video opened from the probe page, its
// frames stepped and scrubbed with their timecode, the best frames suggested, and one frame taken as the probe.
// The same player shows a video stored with a case (the case window): read back from the store, hash re-checked
// by the core, opened at the frame that was searched, and nothing to take from it.
//
// The video file is original evidence (SOP 302.02 VI.B.2): it is read and hashed here, never written; the chosen
// frame goes into the probe flow as a derived image with its recipe ("Frame N at T of video SHA-256 ..."), and
// the core stores the video and takes that frame from the stored bytes again (CaseService::takeVideoFrame).
//
// Everything slow runs off the UI thread (ui/workstation/Background.h): opening and hashing, decoding a frame
// (one at a time: a Video is read by one thread at a time; the newest request waits its turn, the ones
// between are dropped), the best-frame suggestion and the check of the whole video for damage (each its own Video,
// progress and Cancel).

#include <QDialog>

#include <cstdint>
#include <memory>
#include <optional>

#include "core/cases/CaseService.h"
#include "core/face/BestFrames.h"
#include "core/imaging/Video.h"
#include "ui/wizard/SearchDraft.h"

class QLabel;
class QListWidget;
class QPushButton;
class QSlider;
class QSpinBox;

namespace facelead::ui {

class AppContext;
class ImageView;

class VideoFrameDialog : public QDialog {
    Q_OBJECT
public:
    // The wizard: a video file on disk, from which one frame is taken as the probe.
    VideoFrameDialog(AppContext& context, const QString& file, QWidget* parent = nullptr);
    // The case window: a stored video (CaseService::readVideo), opened at `searchedFrame` when a search used one.
    VideoFrameDialog(AppContext& context, cases::StoredVideo stored, std::optional<std::int64_t> searchedFrame,
                     QWidget* parent = nullptr);

    // After "Use this frame": the frame as the probe image, with the video's file and SHA-256.
    const std::optional<ProbeOriginal>& chosen() const { return chosen_; }

    // For tests and the user's keyboard alike.
    QSlider* slider() const { return slider_; }
    QPushButton* suggestButton() const { return suggest_; }
    QPushButton* useButton() const { return use_; }
    QListWidget* suggestionList() const { return suggestions_; }
    QPushButton* checkWholeButton() const { return checkWhole_; }
    QString wholeCheckText() const;
    QString positionText() const;
    QString errorText() const;
    bool busy() const { return decoding_ || suggesting_ || !video_; }

signals:
    void frameShown();        // a frame (or why it cannot be shown) is on screen
    void suggestionsShown();  // the best-frame suggestion finished (or failed, or was cancelled)
    void wholeVideoChecked(); // the read of the whole video finished (or failed, or was cancelled)

private:
    // Where the video is read from: a file on disk (the wizard), or the bytes the store holds (the case window).
    struct Source {
        QString name;
        std::filesystem::path file;
        std::shared_ptr<const cases::StoredVideo> stored;
        std::optional<std::int64_t> searchedFrame;
    };
    struct Opened {
        std::shared_ptr<imaging::Video> video;
        std::string sha256;
    };
    VideoFrameDialog(AppContext& context, Source source, QWidget* parent);
    static Result<imaging::Video> openVideo(const Source& source, std::uint64_t maxBytes);
    static Result<Opened> openSource(const Source& source, std::uint64_t maxBytes);
    QString introText() const;
    void showOpened(const Result<Opened>& opened);
    void requestFrame(std::int64_t index);
    void showFrame(const Result<imaging::VideoFrame>& frame);
    void step(std::int64_t delta);
    void suggest();
    void showSuggestions(const Result<face::BestFrames>& found);
    void showSuggestion(int row);
    void checkWholeVideo();
    void showWholeCheck(const Result<imaging::DamageScan>& scan);
    void useFrame();
    void takeFrame(const Result<imaging::VideoFrame>& taken);
    void chooseShown();
    void setError(const QString& text);

    AppContext& context_;
    Source source_;
    std::shared_ptr<imaging::Video> video_;  // used by one decode job at a time (decoding_)
    std::string sha256_;
    std::optional<imaging::VideoFrame> shown_;
    bool shownAsTaken_ = false;  // shown_ is the frame as the case file takes it (frameAsTaken), not as stepped to
    std::optional<imaging::DamageScan> wholeVideoRead_;  // the last whole-video check's, when one was finished
    bool decoding_ = false;
    std::optional<std::int64_t> pending_;  // the newest frame asked for while another was decoding
    bool suggesting_ = false;
    std::vector<face::FrameSuggestion> found_;
    std::optional<ProbeOriginal> chosen_;

    ImageView* view_;
    QLabel* details_;
    QLabel* position_;
    QLabel* error_;
    QSlider* slider_;
    QPushButton* first_;
    QPushButton* previous_;
    QPushButton* next_;
    QPushButton* last_;
    QSpinBox* samples_;
    QPushButton* suggest_;
    QListWidget* suggestions_;
    QPushButton* checkWhole_;
    QLabel* wholeCheck_;
    QPushButton* use_;
};

}  // namespace facelead::ui
