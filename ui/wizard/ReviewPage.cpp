#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "core/cases/VideoFrames.h"
#include "core/face/HandMarking.h"
#include "core/face/QualityJson.h"
#include "core/common/Text.h"
#include "core/gallery/GalleryIndex.h"
#include "core/imaging/Enhancement.h"
#include "core/imaging/Video.h"
#include "core/workflow/Purposes.h"
#include "ui/widgets/LocalTime.h"
#include "ui/widgets/PolicyBanner.h"
#include "ui/widgets/SteadyLabel.h"
#include "ui/wizard/SearchRunner.h"
#include "ui/widgets/ScreenFit.h"
#include "ui/wizard/SearchWizard.h"
#include "ui/wizard/WizardPages.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/CoreServices.h"

namespace facelead::ui {

namespace {

QString qs(std::string_view text) { return QString::fromUtf8(text.data(), qsizetype(text.size())); }
QString esc(const std::string& text) { return QString::fromStdString(text).toHtmlEscaped(); }

// The kind's label is the core's (workflow::consentKindLabel, as in the case report); the fields that
// belong to that kind follow it.
QString consentText(const workflow::ConsentRecord& consent) {
    const QString kind = qs(workflow::consentKindLabel(consent.kind)).toHtmlEscaped();
    switch (consent.kind) {
    case workflow::ConsentKind::ConsensualEncounter:
        return consent.notDetainedForCapture ? QObject::tr("%1; not detained for the capture (VI.B.5)").arg(kind) : kind;
    case workflow::ConsentKind::WithoutConsent:
        return QObject::tr("%1. Reason: %2 Purpose of submission: %3")
            .arg(kind, esc(text::sentence(consent.reasonUnableToConsent)), esc(text::sentence(consent.submissionPurpose)));
    case workflow::ConsentKind::NotAgencyCapture:
        break;
    }
    return kind;
}

// What the request says, from the draft before Run and from the stored record after.
QString requestHtml(const workflow::SearchRequest& r, const std::string& caseOfficer) {
    QString html = QObject::tr("<h3>Case %1</h3><p><b>Offence:</b> %2</p>").arg(esc(r.caseNumber), esc(r.offence));
    html += QObject::tr("<p><b>Assigned case officer</b> (confirms leads, VI.B.3): %1</p>")
                .arg(caseOfficer.empty() ? QObject::tr("(none)") : esc(caseOfficer));
    if (r.purpose) {
        const workflow::PurposeInfo& info = workflow::purposeInfo(*r.purpose);
        html += QObject::tr("<p><b>Authorized purpose:</b> %1 — %2</p>").arg(qs(info.citation), qs(info.label).toHtmlEscaped());
    }
    html += QObject::tr("<p><b>Justification:</b> %1</p>").arg(esc(r.justification));
    QStringList attested;
    for (workflow::ProhibitedUse use : r.attestedNotFor) attested << qs(workflow::prohibitedUseInfo(use).citation);
    html += QObject::tr("<p><b>Attested not for:</b> %1</p>").arg(attested.join(QStringLiteral(", ")));
    if (r.consent) html += QObject::tr("<p><b>Consent:</b> %1</p>").arg(consentText(*r.consent));
    html += QObject::tr("<p><b>Image source:</b> %1</p>").arg(r.imageSource.empty() ? QObject::tr("(not given)") : esc(r.imageSource));
    return html;
}

QString enhancedCopyHtml(const imaging::Recipe& recipe, std::optional<std::int64_t> imageId = std::nullopt) {
    // A frame of a video is a derived image too, but no enhancement: it is named for what it is (issue 10 item 5).
    return QObject::tr("<p><b>%1</b>%2 (stored separately, VI.B.2): %3</p>")
        .arg(recipe.videoFrame ? QObject::tr("Frame of the video") : QObject::tr("Enhanced copy"),
             imageId ? QObject::tr(" image %1").arg(*imageId) : QString(), esc(imaging::describeRecipe(recipe)));
}

// The original file: a picture, or the video a frame was taken from (named a video, never by the frame's
// "video-frame" format: trial 77 F7). `name` is the file's name when known.
QString originalHtml(const QString& name, const std::string& sha256, int width, int height, const QString& format,
                     bool video) {
    return QObject::tr("<p><b>%1</b> %2<br>SHA-256 <tt>%3</tt> · %4 × %5 · %6</p>")
        .arg(video ? QObject::tr("Original video:") : QObject::tr("Original:"), name, QString::fromStdString(sha256))
        .arg(width)
        .arg(height)
        .arg(format.toUpper());
}

// The search as the store holds it: read back after Run, so the page shows what was recorded.
struct StoredRecord {
    cases::SearchRecord search;
    cases::RequestRecord request;
    cases::ImageKind searchedKind = cases::ImageKind::Original;
    bool searchedVideoFrame = false;  // the searched image is a frame taken from a video (issue 10 item 5)
    std::string caseOfficer;  // the case's assigned officer, as stored
    std::int64_t originalId = 0;
    std::optional<cases::ImageRecord> original;      // as stored (trial 77 F7: the read-back named no original)
    std::string originalFileName;  // as the search's entry recorded it, "" when it did not (trial 80 F1)
    std::vector<cases::ImageRecord> enhancedCopies;  // on the searched image's chain, and the original's enhanced copies
    std::optional<std::int64_t> earlierSearch;       // the first search of the case on the same original, if earlier
    std::map<std::int64_t, std::string> probeSources;  // each further probe's image: where its original came from
    std::map<std::int64_t, std::string> sha256;        // each searched image's, as stored (trial 74 F4)
};

// The case's image `id`, or nothing.
const cases::ImageRecord* imageById(const std::vector<cases::ImageRecord>& images, std::int64_t id) {
    const auto found = std::ranges::find(images, id, &cases::ImageRecord::id);
    return found == images.end() ? nullptr : &*found;
}

// Where an image of the case came from: its own source, or its original's for a copy or a frame.
std::string sourceOf(const std::vector<cases::ImageRecord>& images, std::int64_t imageId) {
    const cases::ImageRecord* image = imageById(images, imageId);
    if (image && image->source.empty() && image->parentId) image = imageById(images, *image->parentId);
    return image ? image->source : std::string();
}

Result<StoredRecord> readStoredRecord(CoreServices& services, std::int64_t searchId) {
    auto search = services.cases().getSearch(searchId);
    if (!search) return search.error();
    auto request = services.cases().getRequest(search->requestId);
    if (!request) return request.error();
    auto image = services.cases().readImage(search->imageId);
    if (!image) return image.error();
    auto history = services.cases().caseHistory(request->caseId);
    if (!history) return history.error();
    // A file is stored once per case (CaseService::storeOriginal): the original, and its copies, may be those of
    // an earlier search of the case. The original is the end of the searched image's chain (a frame of a video, its
    // enhanced copy).
    std::set<std::int64_t> chain;
    std::int64_t originalId = search->imageId;
    for (const cases::ImageRecord* copy = imageById(history->images, originalId);
         copy && copy->kind == cases::ImageKind::Derived && copy->parentId;
         copy = imageById(history->images, originalId)) {
        chain.insert(copy->id);
        originalId = *copy->parentId;
    }
    // The copies on that chain, and the original's enhanced copies (trial 12: one stored with the search, the
    // original searched, was left out); not the frames other searches took from the same video (trial 78 F3).
    std::vector<cases::ImageRecord> copies;
    for (const cases::ImageRecord& i : history->images)
        if (chain.count(i.id) || (i.kind == cases::ImageKind::Derived && i.parentId == originalId &&
                                  !cases::frameTakenFromVideo(i)))
            copies.push_back(i);  // a copy: the images are read again here (trial 75 F5)
    std::set<std::int64_t> fromOriginal{originalId};
    for (const cases::ImageRecord& i : history->images)
        if (i.kind == cases::ImageKind::Derived && i.parentId == originalId) fromOriginal.insert(i.id);
    std::optional<std::int64_t> earlier;
    for (const cases::SearchRecord& other : history->searches)
        if (other.id < search->id && fromOriginal.count(other.imageId)) {
            earlier = other.id;
            break;
        }
    auto fileNames = services.cases().probeFileNames(searchId);
    if (!fileNames) return fileNames.error();
    const auto named = fileNames->find(search->imageId);
    std::string originalFileName = named == fileNames->end() ? std::string() : named->second;
    std::map<std::int64_t, std::string> probeSources;
    for (const cases::StoredProbe& probe : search->furtherProbes)
        probeSources[probe.imageId] = sourceOf(history->images, probe.imageId);
    std::map<std::int64_t, std::string> sha256;
    for (const cases::ImageRecord& stored : history->images) sha256[stored.id] = stored.sha256;
    std::optional<cases::ImageRecord> original;
    if (const cases::ImageRecord* found = imageById(history->images, originalId)) original = *found;
    const auto& officer = history->caseRecord.assignedOfficer;
    const bool videoFrame = cases::frameTakenFromVideo(image->record).has_value();
    return StoredRecord{std::move(search.value()), std::move(request.value()), image->record.kind, videoFrame,
                        officer ? officer->displayName : std::string(), originalId, std::move(original),
                        std::move(originalFileName), std::move(copies),
                        earlier,
                        std::move(probeSources), std::move(sha256)};
}

QString storedHtml(const StoredRecord& stored) {
    const cases::SearchRecord& s = stored.search;
    const auto sha256Of = [&stored](std::int64_t imageId) {
        const auto found = stored.sha256.find(imageId);
        return found == stored.sha256.end() ? QString() : esc(found->second);
    };
    QString html = QObject::tr("<p style='color:#1b5e20'><b>Stored search %1</b>, run by %2 at %3. What follows is read "
                               "back from the store; this search can no longer be edited (a new search starts from a "
                               "copy).</p>")
                       .arg(s.id)
                       .arg(esc(s.runBy.displayName), localTime(s.runAt).toHtmlEscaped());
    html += requestHtml(stored.request.request, stored.caseOfficer);
    if (const auto& o = stored.original) {
        const QString image = QObject::tr("image %1").arg(o->id);
        html += originalHtml(stored.originalFileName.empty() ? image
                                                            : QObject::tr("%1 (%2)").arg(esc(stored.originalFileName), image),
                             o->sha256, o->width, o->height, QString::fromStdString(o->format),
                             imaging::isVideoFormat(o->format));
    }
    // Issue 9 re-trial: the same file loaded again was stored again, as a new image, each time.
    if (stored.earlierSearch)
        html += QObject::tr("<p>This file was already stored as image %1 of this case (searched before in search %2); "
                            "it is stored once, and this search used it.</p>")
                    .arg(stored.originalId)
                    .arg(*stored.earlierSearch);
    for (const cases::ImageRecord& copy : stored.enhancedCopies) {
        const auto recipe = imaging::recipeFromJson(copy.recipeJson.value_or(""));
        html += recipe ? enhancedCopyHtml(*recipe, copy.id)
                       : QObject::tr("<p><b>Enhanced copy</b> image %1: its recipe cannot be read (%2)</p>")
                             .arg(copy.id)
                             .arg(esc(recipe.error().message));
    }
    html += QObject::tr("<p><b>Searched image:</b> image %1 (SHA-256 <tt>%3</tt>), %2</p>")
                .arg(s.imageId)
                .arg(stored.searchedVideoFrame                            ? QObject::tr("the frame taken from the video")
                     : stored.searchedKind == cases::ImageKind::Derived ? QObject::tr("the ENHANCED COPY")
                                                                        : QObject::tr("the original"))
                .arg(sha256Of(s.imageId));
    html += QObject::tr("<p><b>Face searched:</b> the box at (%1, %2), %3 × %4 pixels%5</p>")
                .arg(s.faceBox.left)
                .arg(s.faceBox.top)
                .arg(s.faceBox.width())
                .arg(s.faceBox.height())
                .arg(face::poorQualityAcknowledged(s.poorQualityAcknowledged, s.qualityJson) ? QObject::tr("; poor quality acknowledged")
                                                                                 : QString());
    // Read back as stored, damage and all (trial 41 F9: the read-back did not say the file was damaged).
    html += QObject::tr("<p><b>Probe quality:</b> %1</p>").arg(esc(face::recordedQualityText(s.qualityJson)));
    if (s.handMarking) html += QObject::tr("<p><b>%1</b></p>").arg(handMarkingLine(*s.handMarking).toHtmlEscaped());
    if (s.foundTurnedDegrees) html += QObject::tr("<p><b>%1</b></p>").arg(esc(face::foundTurnedText(s.foundTurnedDegrees)));
    if (!s.furtherProbes.empty()) {
        QStringList probes{QObject::tr("probe 1: image %1").arg(s.imageId)};
        QString markings;
        for (const cases::StoredProbe& p : s.furtherProbes) {
            const std::string& source = stored.probeSources.at(p.imageId);
            probes << QObject::tr("probe %1: image %2 (source: %9), the box at (%3, %4), %5 × %6 pixels, quality %7%8")
                          .arg(p.position + 1)
                          .arg(p.imageId)
                          .arg(p.faceBox.left)
                          .arg(p.faceBox.top)
                          .arg(p.faceBox.width())
                          .arg(p.faceBox.height())
                          .arg(esc(face::recordedQualityText(p.qualityJson)))
                          .arg(face::poorQualityAcknowledged(s.poorQualityAcknowledged, p.qualityJson)
                                   ? QObject::tr(", poor quality acknowledged")
                                   : QString())
                          .arg((source.empty() ? QObject::tr("(not given)") : esc(source)) +
                               QObject::tr("; SHA-256 <tt>%1</tt>").arg(sha256Of(p.imageId)));
            // Issue 10 item 4, for every probe: read back from the store, who marked it and when.
            if (p.handMarking)
                markings += QObject::tr("<p><b>Probe %1: %2</b></p>")
                                .arg(p.position + 1)
                                .arg(handMarkingLine(*p.handMarking).toHtmlEscaped());
        }
        html += QObject::tr("<p><b>%1 probes of one person searched together</b> (one candidate list): %2</p>")
                    .arg(s.furtherProbes.size() + 1)
                    .arg(probes.join(QStringLiteral("; ")));
        html += markings;
    }
    html += QObject::tr("<p><b>Candidates listed:</b> %1 of %2</p>")
                .arg(s.candidates.size())
                .arg(qs(text::counted(std::size_t(s.gallerySize), "gallery face", "gallery faces")));
    return html;
}

}  // namespace

ReviewPage::ReviewPage(SearchWizard& wizard)
    : wizard_(wizard),
      summary_(new QTextBrowser(this)),
      limit_(new QSpinBox(this)),
      runButton_(new QPushButton(tr("&Run search"), this)),
      cancelButton_(new QPushButton(tr("Cancel search"), this)),
      progress_(new QProgressBar(this)),
      error_(new QLabel(this)),
      copyButton_(new QPushButton(tr("New search from a &copy…"), this)),
      withdrawButton_(new QPushButton(this)) {
    setTitle(tr("5. Review and run"));
    setSubTitle(tr("Check what will be recorded. Run stores the request, the image used and the candidate "
                   "list in the case, and writes them to the audit log."));
    summary_->setAccessibleName(tr("Summary of the search request"));
    // The rule pack's bounds (issue 11 item 5), which the core enforces.
    const auto& bounds = wizard.context().policy().pack.candidates;
    limit_->setRange(bounds.minimum, bounds.maximum);
    limit_->setAccessibleName(tr("Number of candidates to list"));
    runButton_->setAccessibleName(tr("Run the search"));
    cancelButton_->setEnabled(false);
    progress_->setAccessibleName(tr("Search progress"));
    progress_->setRange(0, 100);
    progress_->setValue(0);
    makeErrorLine(*error_);
    error_->setAccessibleName(tr("Search error"));

    QVBoxLayout* layout = scrollingContent(*this);  // fits a 1366x768 screen: the page scrolls, the buttons stay
    layout->addWidget(new PolicyBanner(PolicyBanner::Kind::LeadOnly, this));
    layout->addWidget(summary_, 1);
    auto* form = new QFormLayout;
    form->addRow(tr("Candidates to &list (N):"), limit_);
    layout->addLayout(form);
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(runButton_);
    runRow->addWidget(progress_, 1);
    runRow->addWidget(cancelButton_);
    layout->addLayout(runRow);
    layout->addWidget(error_);
    auto* copyRow = new QHBoxLayout;
    copyRow->addWidget(copyButton_);
    copyRow->addWidget(withdrawButton_);
    copyRow->addStretch();
    layout->addLayout(copyRow);
    copyButton_->setAccessibleName(tr("Start a new search from a copy of this one"));
    copyButton_->hide();
    connect(copyButton_, &QPushButton::clicked, &wizard_, &SearchWizard::startFromCopy);
    withdrawButton_->hide();
    connect(withdrawButton_, &QPushButton::clicked, this, &ReviewPage::withdrawHoldingRequest);

    connect(limit_, &QSpinBox::valueChanged, this, [this](int n) { wizard_.draft().candidateLimit = n; });
    connect(runButton_, &QPushButton::clicked, this, &ReviewPage::run);
    connect(cancelButton_, &QPushButton::clicked, this, [this] {
        if (cancel_) cancel_->store(true);
        cancelButton_->setEnabled(false);
    });
}

void ReviewPage::initializePage() {
    if (wizard_.searchId()) return;  // the stored record is shown: never the widgets' state again
    limit_->setValue(wizard_.draft().candidateLimit);
    summary_->setHtml(summary());
    error_->clear();
}

QString ReviewPage::shownSummary() const { return summary_->toPlainText(); }

QString ReviewPage::summary() const {
    const SearchDraft& draft = wizard_.draft();
    QString html = requestHtml(draft.request, draft.caseOfficerName);
    const bool videoFrame = draft.original && draft.original->videoFrame;
    if (const auto& o = draft.original) {
        // A video's format is its file's (the frame's image says only "video-frame"), as the probe page gives it.
        const QString format = videoFrame ? QString::fromStdString(o->file.extension().string()).mid(1)
                                          : QString::fromStdString(o->image.format);
        html += originalHtml(esc(o->file.filename().string()), o->sha256, o->image.width(), o->image.height(), format,
                             videoFrame);
    }
    if (videoFrame) {
        imaging::Recipe frame;
        frame.videoFrame = draft.original->videoFrame;
        html += enhancedCopyHtml(frame);
    }
    if (draft.enhanced) html += enhancedCopyHtml(draft.enhanced->recipe);
    html += tr("<p><b>Searched image:</b> %1</p>")
                .arg(draft.searchEnhancedCopy ? tr("the ENHANCED COPY")
                     : videoFrame             ? tr("the frame taken from the video")
                                              : tr("the original"));
    if (const face::Face* f = draft.face()) {
        html += tr("<p><b>Face:</b> number %1, quality %2%3</p>")
                    .arg(draft.chosenFace + 1)
                    .arg(esc(face::qualityText(f->quality)),
                         draft.poorQualityAcknowledged ? tr(" (poor quality acknowledged)") : QString());
        if (f->marked) {
            html += tr("<p><b>Marked by hand</b> by you (recorded with the search): %1</p>")
                        .arg(esc(face::describeMarkedPoints(*f->marked)));
        }
        if (f->quality.foundTurnedDegrees)
            html += tr("<p><b>%1</b> (recorded with the search)</p>").arg(esc(face::foundTurnedText(f->quality.foundTurnedDegrees)));
    }
    if (!draft.furtherProbes.empty()) {
        html += tr("<p><b>Further probes of the same person</b> (searched together, one candidate list; each original "
                   "stored untouched):</p><ul>");
        for (std::size_t i = 0; i < draft.furtherProbes.size(); ++i) {
            const FurtherProbeDraft& p = draft.furtherProbes[i];
            QString file = esc(p.original.file.filename().string());
            if (p.original.videoFrame) file += tr(", frame %1 of the video").arg(p.original.videoFrame->frame);
            file += tr(" · source: %1").arg(p.imageSource.empty() ? tr("(not given)") : esc(p.imageSource));
            const QString faceText = p.face.marked
                                     ? tr("face <b>marked by hand</b> by you (recorded with the search): %1")
                                           .arg(esc(face::describeMarkedPoints(*p.face.marked)))
                                     : tr("face %1 of %2").arg(p.faceNumber).arg(p.facesInImage);
            html += tr("<li>Probe %1: %2 · SHA-256 <tt>%3</tt> · %4, quality %5%6</li>")
                        .arg(i + 2)
                        .arg(file, QString::fromStdString(p.original.sha256), faceText,
                             esc(face::qualityText(p.face.quality)),
                             p.poorQualityAcknowledged ? tr(" (poor quality acknowledged)") : QString());
        }
        html += QStringLiteral("</ul>");
    }
    return html;
}

void ReviewPage::run() {
    if (running_ || wizard_.searchId()) return;
    // The core validates again; this only saves a round trip for an obviously incomplete request.
    running_ = true;
    error_->clear();
    runButton_->setEnabled(false);
    cancelButton_->setEnabled(true);
    progress_->setValue(0);
    wizard_.button(QWizard::BackButton)->setEnabled(false);
    wizard_.button(QWizard::CancelButton)->setEnabled(false);
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    emit completeChanged();

    QPointer<QProgressBar> bar = progress_;
    auto progress = [bar](std::size_t done, std::size_t total) {
        const int percent = total ? int(100 * done / total) : 0;
        QMetaObject::invokeMethod(bar, [bar, percent] { if (bar) bar->setValue(percent); }, Qt::QueuedConnection);
    };
    AppContext& context = wizard_.context();
    const face::FaceEngine* engine = context.engine();
    if (!engine) {
        finished(makeError(ErrorCode::ModelMissing, context.engineStatusText().toStdString()));
        return;
    }
    heldBy_->store(0);
    withdrawButton_->hide();
    context.store().run(this, [engine, draft = wizard_.draft(), progress, cancel = cancel_, heldBy = heldBy_](CoreServices& services) {
        return submitSearch(services, *engine, draft, progress, cancel.get(), heldBy.get());
    }, [this](Result<std::int64_t> result) { finished(result); });
}

void ReviewPage::finished(const Result<std::int64_t>& result) {
    running_ = false;
    cancelButton_->setEnabled(false);
    wizard_.button(QWizard::CancelButton)->setEnabled(true);
    if (result) {
        wizard_.setSearchId(result.value());  // closes the wizard for edits
        progress_->setValue(100);
        error_->setStyleSheet(QStringLiteral("color:#1b5e20; font-weight:bold;"));
        error_->setText(tr("Search stored and audited. Press “Show results” to review the candidates."));
        runButton_->hide();
        cancelButton_->hide();
        limit_->setEnabled(false);
        copyButton_->show();
        showStored(result.value());
    } else {
        wizard_.button(QWizard::BackButton)->setEnabled(true);
        runButton_->setEnabled(true);
        progress_->setValue(0);
        error_->setStyleSheet(QStringLiteral("color:#b00020; font-weight:bold;"));
        error_->setText(tr("The search was not run: %1").arg(QString::fromStdString(result.error().message)));
        if (const std::int64_t held = heldBy_->load()) {
            withdrawButton_->setText(tr("&Withdraw my approval request %1").arg(held));
            withdrawButton_->show();
        }
    }
    emit completeChanged();
    emit searchFinished(result.ok());
}

void ReviewPage::showStored(std::int64_t searchId) {
    wizard_.context().store().run(this, [searchId](CoreServices& s) { return readStoredRecord(s, searchId); },
                                  [this](const Result<StoredRecord>& stored) {
                                      if (stored) summary_->setHtml(storedHtml(*stored));
                                      else error_->setText(QString::fromStdString(stored.error().message));
                                      emit storedShown();
                                  });
}

// The request's withdrawal is the user's own, audited, and undone by asking again: no question first.
void ReviewPage::withdrawHoldingRequest() {
    const std::int64_t held = heldBy_->load();
    withdrawButton_->setEnabled(false);
    wizard_.context().store().run(
        this, [held](CoreServices& s) { return s.cases().withdrawApprovalRequest(held); },
        [this](const Result<cases::SearchApproval>& withdrawn) {
            withdrawButton_->setEnabled(true);
            if (!withdrawn) {
                error_->setText(QString::fromStdString(withdrawn.error().message));
                return;
            }
            withdrawButton_->hide();
            error_->setText(tr("Approval request %1 withdrawn and audited: no supervisor can approve it now. Press "
                               "Run search again.").arg(withdrawn->id));
        });
}

QString ReviewPage::error() const { return error_->text(); }

void ReviewPage::showError(const QString& message) {
    error_->setStyleSheet(QStringLiteral("color:#b00020; font-weight:bold;"));
    error_->setText(message);
}

bool ReviewPage::isComplete() const { return !running_ && wizard_.searchId().has_value(); }

bool ReviewPage::validatePage() { return wizard_.searchId().has_value(); }

}  // namespace facelead::ui
