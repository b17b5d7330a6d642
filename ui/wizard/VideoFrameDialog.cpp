#include "ui/wizard/VideoFrameDialog.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

#include "core/common/Hash.h"
#include "ui/widgets/ImageConvert.h"
#include "ui/widgets/ImageView.h"
#include "ui/widgets/PolicyBanner.h"
#include "ui/widgets/SteadyLabel.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/Background.h"

namespace facelead::ui {
namespace {

QString timecode(std::int64_t ms) { return QString::fromStdString(imaging::timecodeText(ms)); }

QPushButton* stepButton(const QString& text, const QString& accessibleName, QWidget* parent) {
    auto* button = new QPushButton(text, parent);
    button->setAccessibleName(accessibleName);
    button->setToolTip(accessibleName);
    button->setMaximumWidth(56);  // the room goes to the slider
    return button;
}

QString suggestionText(const face::FrameSuggestion& s) {
    return QObject::tr("Frame %1 · %2 · %3 · eyes %4 px apart")
        .arg(s.frame)
        .arg(timecode(s.timeMs), QString::fromLatin1(face::verdictName(s.quality.verdict)))
        .arg(s.quality.interOcularPx, 0, 'f', 0);
}

}  // namespace

VideoFrameDialog::VideoFrameDialog(AppContext& context, const QString& file, QWidget* parent)
    : VideoFrameDialog(context, Source{QFileInfo(file).fileName(), file.toStdString(), nullptr, std::nullopt}, parent) {}

VideoFrameDialog::VideoFrameDialog(AppContext& context, cases::StoredVideo stored, std::optional<std::int64_t> searchedFrame,
                                   QWidget* parent)
    : VideoFrameDialog(context,
                       Source{tr("the stored video (image %1 of the case)").arg(stored.record.id), {},
                              std::make_shared<const cases::StoredVideo>(std::move(stored)), searchedFrame},
                       parent) {}

VideoFrameDialog::VideoFrameDialog(AppContext& context, Source source, QWidget* parent)
    : QDialog(parent),
      context_(context),
      source_(std::move(source)),
      view_(new ImageView(this)),
      details_(new QLabel(this)),
      position_(new QLabel(this)),
      error_(new QLabel(this)),
      slider_(new QSlider(Qt::Horizontal, this)),
      first_(stepButton(tr("|◀"), tr("First frame"), this)),
      previous_(stepButton(tr("◀"), tr("Previous frame"), this)),
      next_(stepButton(tr("▶"), tr("Next frame"), this)),
      last_(stepButton(tr("▶|"), tr("Last frame"), this)),
      samples_(new QSpinBox(this)),
      suggest_(new QPushButton(tr("&Suggest best frames"), this)),
      suggestions_(new QListWidget(this)),
      checkWhole_(new QPushButton(tr("&Check the whole video for damage"), this)),
      wholeCheck_(new QLabel(this)),
      use_(new QPushButton(tr("&Use this frame"), this)) {
    setWindowTitle(source_.stored ? tr("Stored video — %1 (original evidence)").arg(source_.name)
                                  : tr("Video probe — %1").arg(source_.name));
    auto* layout = new QVBoxLayout(this);
    // The same banners as the wizard's pages: this is case material too.
    layout->addWidget(new PolicyBanner(PolicyBanner::Kind::Intelligence, this));
    if (context.trainingMode()) layout->addWidget(new PolicyBanner(PolicyBanner::Kind::Training, this));
    auto* intro = new QLabel(introText(), this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* body = new QHBoxLayout;
    auto* left = new QVBoxLayout;
    view_->setAccessibleName(tr("Video frame"));
    view_->setMinimumSize(560, 340);
    left->addWidget(view_, 1);
    auto* controls = new QHBoxLayout;
    controls->addWidget(first_);
    controls->addWidget(previous_);
    slider_->setAccessibleName(tr("Frame"));
    slider_->setEnabled(false);
    controls->addWidget(slider_, 1);
    controls->addWidget(next_);
    controls->addWidget(last_);
    left->addLayout(controls);
    position_->setAccessibleName(tr("Frame number and timecode"));
    position_->setStyleSheet(QStringLiteral("font-weight:bold;"));
    if (source_.searchedFrame) {  // the way back to the frame that was searched, after stepping around it
        auto* back = new QPushButton(tr("Back to the frame searched (%1)").arg(*source_.searchedFrame), this);
        back->setAccessibleName(tr("Back to the frame searched"));
        connect(back, &QPushButton::clicked, this, [this] { slider_->setValue(int(*source_.searchedFrame)); });
        auto* row = new QHBoxLayout;
        row->addWidget(position_, 1);
        row->addWidget(back);
        left->addLayout(row);
    } else {
        left->addWidget(position_);
    }
    details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    details_->setAccessibleName(tr("Video details"));
    details_->setWordWrap(true);
    reserveLines(*details_, 3);
    left->addWidget(details_);
    // Room for the longest note (a frame the decoder rebuilt from damaged data), so stepping onto such a frame does
    // not move the buttons from under the pointer (trial 72 F5).
    makeErrorLine(*error_, 4);
    error_->setAccessibleName(tr("Why the video or frame cannot be used"));
    left->addWidget(error_);
    body->addLayout(left, 3);

    auto* right = new QVBoxLayout;
    auto* sampleRow = new QHBoxLayout;
    sampleRow->addWidget(new QLabel(tr("Frames to sample:"), this));
    samples_->setRange(1, face::BestFrameOptions::kMaxSamples);
    samples_->setValue(face::BestFrameOptions{}.samples);
    samples_->setAccessibleName(tr("Frames to sample"));
    samples_->setToolTip(tr("Evenly spaced frames searched for faces; each takes up to ~10 s on a 1080p frame."));
    sampleRow->addWidget(samples_);
    right->addLayout(sampleRow);
    suggest_->setAccessibleName(tr("Suggest best frames"));
    suggest_->setEnabled(false);
    right->addWidget(suggest_);
    suggestions_->setAccessibleName(tr("Suggested frames, best first"));
    // Wide enough for a whole line of a long video's suggestion, so none is cut off.
    face::FrameSuggestion widest{999'999, 99 * 3'600'000, {}, {}};
    widest.quality.verdict = face::QualityVerdict::Marginal;
    widest.quality.interOcularPx = 999;
    suggestions_->setMinimumWidth(suggestions_->fontMetrics().horizontalAdvance(suggestionText(widest)) + 32);
    right->addWidget(suggestions_, 1);
    // Trials 73 F8, 75 F2: opening looks at the end and four frames between, so a stretch damaged in the middle showed
    // only frame by frame. Reading every frame finds it, on its own Video, with progress and Cancel.
    checkWhole_->setAccessibleName(tr("Check the whole video for damage"));
    checkWhole_->setEnabled(false);
    right->addWidget(checkWhole_);
    wholeCheck_->setAccessibleName(tr("What reading the whole video found"));
    wholeCheck_->setWordWrap(true);
    wholeCheck_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    reserveLines(*wholeCheck_, 8);  // room for a damaged video's stretches: the buttons above do not move (trial 76 F9)
    wholeCheck_->setText(tr("Opening checks the end of the video and four frames between; a stretch damaged in the "
                            "middle shows when the whole video is read."));
    right->addWidget(wholeCheck_);
    body->addLayout(right, 2);
    layout->addLayout(body, 1);

    auto* buttons = new QDialogButtonBox(this);
    use_->setAccessibleName(tr("Use this frame as the probe"));
    use_->setEnabled(false);
    if (source_.stored) {
        use_->hide();  // nothing is taken from evidence already stored: a new search starts from the case
        buttons->addButton(QDialogButtonBox::Close);
    } else {
        buttons->addButton(use_, QDialogButtonBox::AcceptRole);
        buttons->addButton(QDialogButtonBox::Cancel);
    }
    layout->addWidget(buttons);

    connect(slider_, &QSlider::valueChanged, this, [this](int value) { requestFrame(value); });
    connect(first_, &QPushButton::clicked, this, [this] { slider_->setValue(slider_->minimum()); });
    connect(previous_, &QPushButton::clicked, this, [this] { step(-1); });
    connect(next_, &QPushButton::clicked, this, [this] { step(1); });
    connect(last_, &QPushButton::clicked, this, [this] { slider_->setValue(slider_->maximum()); });
    connect(suggest_, &QPushButton::clicked, this, &VideoFrameDialog::suggest);
    connect(suggestions_, &QListWidget::currentRowChanged, this, &VideoFrameDialog::showSuggestion);
    connect(checkWhole_, &QPushButton::clicked, this, &VideoFrameDialog::checkWholeVideo);
    connect(use_, &QPushButton::clicked, this, &VideoFrameDialog::useFrame);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    details_->setText(tr("Opening and hashing %1…").arg(source_.name.toHtmlEscaped()));
    computeThen(this, [source = source_, maxBytes = context.policy().maxVideoBytes] {
        return std::make_shared<Result<Opened>>(openSource(source, maxBytes));
    }, [this](const std::shared_ptr<Result<Opened>>& opened) { showOpened(*opened); });
}

QString VideoFrameDialog::introText() const {
    if (!source_.stored)
        return tr("The video is original evidence: it is hashed now, stored whole with the search and never altered. The "
                  "frame you use becomes a derived image whose recipe names the frame, its time and the video's SHA-256 "
                  "(SOP 302.02 VI.B.2).");
    const QString searched = source_.searchedFrame
                                 ? tr(" It opens at frame %1, the frame the search used: step before and after it to see "
                                      "the person in context.").arg(*source_.searchedFrame)
                                 : QString();
    return tr("The video as stored with the case: original evidence, read back from the store with its SHA-256 checked "
              "on this read (SOP 302.02 VI.B.2). Viewing it is in the audit log.") + searched;
}

Result<imaging::Video> VideoFrameDialog::openVideo(const Source& source, std::uint64_t maxBytes) {
    return source.stored ? imaging::Video::openStored(source.stored->bytes) : imaging::Video::open(source.file, {maxBytes});
}

Result<VideoFrameDialog::Opened> VideoFrameDialog::openSource(const Source& source, std::uint64_t maxBytes) {
    auto video = openVideo(source, maxBytes);
    if (!video) return video.error();
    auto sha256 = source.stored ? Result<std::string>(source.stored->record.sha256) : sha256FileHex(source.file);
    if (!sha256) return sha256.error();
    return Opened{std::make_shared<imaging::Video>(std::move(*video)), std::move(*sha256)};
}

void VideoFrameDialog::showOpened(const Result<Opened>& opened) {
    if (!opened) {
        details_->clear();
        setError(tr("This video cannot be used: %1").arg(QString::fromStdString(opened.error().message)));
        emit frameShown();
        return;
    }
    video_ = opened->video;
    sha256_ = opened->sha256;
    const imaging::VideoInfo& info = video_->info();
    details_->setText(tr("<b>%1</b> · %2 · %3 × %4 · %5 frames at %6 fps · %7<br>SHA-256: <tt>%8</tt>")
                          .arg(source_.name.toHtmlEscaped(),
                               QString::fromStdString(info.format).toUpper())
                          .arg(info.width)
                          .arg(info.height)
                          .arg(info.frameCount)
                          .arg(info.fps, 0, 'f', 2)
                          .arg(timecode(info.durationMs), QString::fromStdString(sha256_)));
    // Trial 40 F9: a video cut short was stored without a word. Said here, and with every frame taken from it.
    if (info.damage)
        details_->setText(details_->text() + tr("<br><span style=\"color:#b00020\"><b>Damaged video:</b> %1. Ask for a "
                                                "fresh export of the whole video.</span>")
                                                 .arg(QString::fromStdString(*info.damage).toHtmlEscaped()));
    slider_->setRange(0, int(std::min<std::int64_t>(info.frameCount - 1, std::numeric_limits<int>::max())));
    slider_->setPageStep(std::max(1, int(info.fps)));  // Page Up/Down: about a second
    slider_->setEnabled(true);
    suggest_->setEnabled(context_.engine() != nullptr);
    checkWhole_->setEnabled(true);
    if (!context_.engine()) suggest_->setToolTip(tr("The face models are still loading."));
    const int start = int(std::clamp<std::int64_t>(source_.searchedFrame.value_or(0), 0, slider_->maximum()));
    if (slider_->value() == start) requestFrame(start);
    else slider_->setValue(start);  // its valueChanged asks for the frame
}

void VideoFrameDialog::requestFrame(std::int64_t index) {
    if (!video_) return;
    if (decoding_) {  // the Video is busy: this one waits, replacing any older wish
        pending_ = index;
        return;
    }
    decoding_ = true;
    use_->setEnabled(false);
    computeThen(this, [video = video_, index] { return std::make_shared<Result<imaging::VideoFrame>>(video->frame(index)); },
                [this](const std::shared_ptr<Result<imaging::VideoFrame>>& frame) {
                    decoding_ = false;
                    if (pending_) {
                        const std::int64_t next = *std::exchange(pending_, std::nullopt);
                        if (!*frame || next != frame->value().index) return requestFrame(next);
                    }
                    showFrame(*frame);
                });
}

void VideoFrameDialog::showFrame(const Result<imaging::VideoFrame>& frame) {
    shownAsTaken_ = false;
    if (!frame) {
        shown_.reset();
        view_->clear();
        setError(QString::fromStdString(frame.error().message));
    } else {
        shown_ = frame.value();
        // What the decoder met on the way to this frame, beyond the video's own damage said above (trial 43 F8).
        const std::string met = imaging::damageMetTaking(*shown_, video_->info());
        setError(!met.empty()
                     ? tr("This frame may be smeared: %1.").arg(QString::fromStdString(met))
                     : QString());
        view_->setImage(toQImage(shown_->image.rgb));
        // The boxes the suggestion found on this frame, so the user sees which face was meant.
        std::vector<QRect> boxes;
        for (const auto& s : found_)
            if (s.frame == shown_->index) boxes.emplace_back(QPoint(s.box.left, s.box.top), QSize(s.box.width(), s.box.height()));
        view_->setBoxes(boxes);
    }
    position_->setText(positionText());
    use_->setEnabled(shown_.has_value());
    emit frameShown();
}

QString VideoFrameDialog::positionText() const {
    if (!video_ || !shown_) return {};
    const QString text =
        tr("Frame %1 of %2 (numbered from 0) · %3").arg(shown_->index).arg(video_->info().frameCount).arg(timecode(shown_->timeMs));
    return shown_->index == source_.searchedFrame ? text + tr(" · the frame the search used") : text;
}

QString VideoFrameDialog::errorText() const { return error_->text(); }

void VideoFrameDialog::setError(const QString& text) { error_->setText(text); }

void VideoFrameDialog::step(std::int64_t delta) { slider_->setValue(int(std::clamp<std::int64_t>(slider_->value() + delta, slider_->minimum(), slider_->maximum()))); }

void VideoFrameDialog::suggest() {
    const face::FaceEngine* engine = context_.engine();
    if (!engine || suggesting_) return;
    suggesting_ = true;
    suggest_->setEnabled(false);
    auto progress = std::make_shared<JobProgress>(this, tr("Looking for faces in the video…"));
    const face::BestFrameOptions options{samples_->value()};
    // Its own Video: the one on screen stays free for stepping while the suggestion runs.
    computeThen(this, [engine, progress, options, source = source_, maxBytes = context_.policy().maxVideoBytes] {
        auto video = openVideo(source, maxBytes);
        if (!video) return std::make_shared<Result<face::BestFrames>>(video.error());
        const auto report = [progress](std::size_t done, std::size_t total) {
            progress->report(int(done), int(total), "Sampled frames");
        };
        return std::make_shared<Result<face::BestFrames>>(
            face::suggestBestFrames(*engine, *video, options, report, progress->cancelFlag()));
    }, [this, progress](const std::shared_ptr<Result<face::BestFrames>>& found) {
        progress->finish();
        showSuggestions(*found);
    });
}

void VideoFrameDialog::showSuggestions(const Result<face::BestFrames>& found) {
    suggesting_ = false;
    suggest_->setEnabled(true);
    suggestions_->clear();
    found_.clear();
    if (!found) {
        setError(found.error().code == ErrorCode::Cancelled ? QString() : QString::fromStdString(found.error().message));
    } else {
        found_ = found->suggestions;
        for (const auto& s : found_) suggestions_->addItem(suggestionText(s));
        if (found_.empty())
            suggestions_->addItem(tr("No face in the %1 frames sampled; step through the video or sample more.")
                                      .arg(found->sampled.size()));
        if (!found->unreadable.empty())
            setError(tr("%n sampled frame(s) could not be decoded: that part of the video is damaged.", "",
                        int(found->unreadable.size())));
        if (!found_.empty()) suggestions_->setCurrentRow(0);
    }
    emit suggestionsShown();
}

QString VideoFrameDialog::wholeCheckText() const { return wholeCheck_->text(); }

void VideoFrameDialog::checkWholeVideo() {
    checkWhole_->setEnabled(false);
    // The last check's answer is not this one's (trial 77 F10: it stayed on screen while the new read ran).
    wholeCheck_->setText(tr("Reading the whole video…"));
    auto progress = std::make_shared<JobProgress>(this, tr("Reading the whole video for damage…"));
    computeThen(this, [progress, source = source_, maxBytes = context_.policy().maxVideoBytes] {
        auto video = openVideo(source, maxBytes);
        if (!video) return std::make_shared<Result<imaging::DamageScan>>(video.error());
        return std::make_shared<Result<imaging::DamageScan>>(video->scanForDamage(
            [progress](std::int64_t done, std::int64_t total) { return progress->report(int(done), int(total), "Frames read"); }));
    }, [this, progress](const std::shared_ptr<Result<imaging::DamageScan>>& scan) {
        progress->finish();
        showWholeCheck(*scan);
    });
}

void VideoFrameDialog::showWholeCheck(const Result<imaging::DamageScan>& scan) {
    checkWhole_->setEnabled(true);
    if (scan) wholeVideoRead_ = *scan;
    wholeCheck_->setText(
        !scan ? (scan.error().code == ErrorCode::Cancelled
                     ? tr("The check of the whole video was cancelled: nothing was found or ruled out.")
                     : tr("The whole video could not be read: %1").arg(QString::fromStdString(scan.error().message)))
        : scan->summary ? tr("<span style=\"color:#b00020\"><b>Damaged video:</b> %1. Frames from these stretches may not "
                             "show what the camera recorded; ask for a fresh export.</span>")
                              .arg(QString::fromStdString(*scan->summary).toHtmlEscaped())
                        : tr("Read through: all %1 frames decode without complaint from the decoder.").arg(scan->framesRead));
    emit wholeVideoChecked();
}

void VideoFrameDialog::showSuggestion(int row) {
    if (row < 0 || row >= int(found_.size())) return;
    const std::int64_t frame = found_[std::size_t(row)].frame;
    if (slider_->value() == frame) requestFrame(frame);  // redraw its boxes
    else slider_->setValue(int(frame));
}

void VideoFrameDialog::useFrame() {
    if (!shown_ || decoding_) return;
    // Shown already as the case file takes it: used as shown. Decoded again, a frame of a damaged stretch can come
    // out otherwise each time (FFmpeg's decoder threads conceal damage in their own order), and each click said
    // "decodes differently" again (trial 77 F11).
    if (shownAsTaken_) return chooseShown();
    decoding_ = true;
    use_->setEnabled(false);
    computeThen(this, [video = video_, index = shown_->index] {
        return std::make_shared<Result<imaging::VideoFrame>>(video->frameAsTaken(index));
    }, [this](const std::shared_ptr<Result<imaging::VideoFrame>>& taken) {
        decoding_ = false;
        if (pending_) return requestFrame(*std::exchange(pending_, std::nullopt));  // the user moved on meanwhile
        takeFrame(*taken);
    });
}

// The probe is the frame as the case file takes it (Video::frameAsTaken), the pixels its recipe gives again. Stepped
// to through a damaged stretch, the frame on screen can be another picture, or one that cannot be taken at all
// (trial 43 F8): then the user sees the frame as taken, or why not, before anything is used.
void VideoFrameDialog::takeFrame(const Result<imaging::VideoFrame>& taken) {
    if (!taken) {
        setError(tr("Frame %1 cannot be taken as the probe: decoded on its own, as the case file and anyone checking "
                    "it decode it, it fails: %2 The video is damaged around it; choose another frame.")
                     .arg(shown_->index)
                     .arg(QString::fromStdString(taken.error().message)));
        return;  // Use stays off until another frame is shown
    }
    if (!imaging::samePicture(*taken, *shown_)) {
        showFrame(taken);
        shownAsTaken_ = true;
        setError(tr("Frame %1 decodes differently on its own than when stepped to: the video is damaged before it. "
                    "Shown now is the frame as the case file takes it; look at it again before using it.")
                     .arg(taken.value().index));
        return;
    }
    chooseShown();
}

void VideoFrameDialog::chooseShown() {
    imaging::Image image = shown_->image;
    image.fileBytes = video_->info().fileBytes;
    chosen_ = ProbeOriginal{source_.file, std::move(image), sha256_,
                            imaging::VideoFrameSource{shown_->index, shown_->timeMs, sha256_}, {},
                            wholeVideoRead_};
    accept();
}

}  // namespace facelead::ui
