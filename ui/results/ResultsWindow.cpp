#include "ui/results/ResultsWindow.h"

#include "ui/accountability/Common.h"

#include <algorithm>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPrintDialog>
#include <QPrinter>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QTextDocument>
#include <QVBoxLayout>

#include "core/face/FaceEngine.h"
#include "core/face/HandMarking.h"
#include "core/face/QualityJson.h"
#include "core/imaging/Enhancement.h"
#include "core/imaging/Intake.h"
#include "core/workflow/Access.h"
#include "core/workflow/Purposes.h"
#include "ui/results/CandidateModel.h"
#include "ui/results/LeadActions.h"
#include "ui/widgets/ImageConvert.h"
#include "ui/widgets/ImageView.h"
#include "ui/widgets/LocalTime.h"
#include "ui/widgets/PolicyBanner.h"
#include "ui/widgets/ScreenFit.h"
#include "ui/widgets/SteadyLabel.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/Background.h"
#include "ui/workstation/CoreServices.h"
#include "ui/workstation/ReloadWhenActivated.h"

namespace facelead::ui {

namespace {

constexpr int kThumbnailSide = 56;

QRectF toRect(const face::Box& box) { return QRectF(box.left, box.top, box.width(), box.height()); }

double overlap(const QRectF& a, const QRectF& b) {
    const QRectF common = a.intersected(b);
    const double shared = common.width() * common.height();
    const double all = a.width() * a.height() + b.width() * b.height() - shared;
    return all > 0 ? shared / all : 0;
}

// The analysed face that best covers the stored box (or the largest when there is no box).
std::optional<FaceGeometry> geometryFor(const std::vector<face::Face>& faces, const std::optional<QRectF>& stored) {
    const face::Face* best = nullptr;
    double bestScore = -1;
    for (const face::Face& f : faces) {
        const double score = stored ? overlap(toRect(f.box), *stored) : double(f.box.width()) * f.box.height();
        if (score > bestScore) { bestScore = score; best = &f; }
    }
    if (!best) {
        if (stored) return FaceGeometry{*stored, {}};
        return std::nullopt;
    }
    FaceGeometry geometry{toRect(best->box), {}};
    for (const face::Point& p : best->landmarks) geometry.landmarks.emplace_back(p.x, p.y);
    return geometry;
}

std::optional<FaceGeometry> boxOnly(const std::optional<QRectF>& box) {
    if (!box) return std::nullopt;
    return FaceGeometry{*box, {}};
}

// A face marked by hand: the stored box and the 5 points its STORED marks imply (HandMarking.h), never a
// detection's, which may have found another face or none.
std::optional<FaceGeometry> markedGeometry(const cases::HandMarking& marking, const QRectF& box) {
    FaceGeometry geometry{box, {}};
    if (const auto points = face::parseMarkedPoints(marking.points))
        for (const face::Point& p : face::alignmentFromMarks(*points).landmarks) geometry.landmarks.emplace_back(p.x, p.y);
    return geometry;
}

QImage thumbnail(const imaging::Image& image, const face::Box& box) {
    const int margin = box.width() / 3;
    cv::Rect area(box.left - margin, box.top - margin, box.width() + 2 * margin, box.height() + 2 * margin);
    area &= cv::Rect(0, 0, image.width(), image.height());
    if (area.empty()) area = cv::Rect(0, 0, image.width(), image.height());
    return toQImage(image.rgb(area).clone()).scaled(kThumbnailSide, kThumbnailSide, Qt::KeepAspectRatio,
                                                    Qt::SmoothTransformation);
}

// The narrowest width that shows `text` on at most two lines broken at a space.
int twoLineWidth(const QFontMetrics& metrics, const QString& text) {
    int narrowest = metrics.horizontalAdvance(text);
    for (qsizetype at = text.indexOf(QLatin1Char(' ')); at >= 0; at = text.indexOf(QLatin1Char(' '), at + 1))
        narrowest = std::min(narrowest, std::max(metrics.horizontalAdvance(text.left(at)),
                                                 metrics.horizontalAdvance(text.mid(at + 1))));
    return narrowest;
}

// The order the core gives the rows in (CaseService::withholdRanks), said as it is: "nearest first" only
// when every rank is shown; the rows not examined follow by subject name, which says nothing of their rank.
QString orderText(const std::vector<cases::CandidateRecord>& candidates) {
    const auto hidden = std::count_if(candidates.begin(), candidates.end(),
                                      [](const cases::CandidateRecord& c) { return c.rankHidden; });
    if (hidden == 0) return QObject::tr("nearest first");
    const QString reveal = QObject::tr("ranks and scores appear once you have recorded your blind examination of "
                                       "every candidate of the list (one shown earlier would tell the others' by "
                                       "elimination)");
    if (hidden == qsizetype(candidates.size()))
        return QObject::tr("in subject-name order, which says nothing of their rank; %1").arg(reveal);
    return QObject::tr("first the lists you had examined whole when they were read, nearest first; then the others "
                       "in subject-name order, which says nothing of their rank; %1").arg(reveal);
}

}  // namespace

// What the window shows of a stored search, read on the store thread (thumbnails decoded there too).
struct StoredSearch {
    cases::SearchRecord search;
    std::optional<cases::RequestRecord> request;
    std::map<std::int64_t, gallery::Subject> subjects;
    std::map<std::int64_t, gallery::GalleryFace> faces;
    std::map<std::int64_t, QImage> thumbnails;  // by gallery face id
    std::map<std::int64_t, gallery::SubjectRemoval> removals;  // subjects removed since, by subject id
    Result<cases::LoadedImage> original = makeError(ErrorCode::NotFound, "not read");
    // Further probes of the same person searched together (issue 10 item 6), by position: each one's picture.
    std::vector<Result<cases::LoadedImage>> furtherPictures;
};

namespace {

Result<StoredSearch> readStoredSearch(CoreServices& services, std::int64_t searchId) {
    auto search = services.cases().getSearch(searchId);
    if (!search) return search.error();
    StoredSearch stored{std::move(search.value()), {}, {}, {}, {}, {}, makeError(ErrorCode::NotFound, "not read"), {}};
    if (auto removals = services.gallery().removals(services.store())) stored.removals = std::move(removals.value());
    if (auto request = services.cases().getRequest(stored.search.requestId)) stored.request = std::move(request.value());
    if (auto listed = services.gallery().listSubjects(services.store()))
        for (gallery::Subject& s : listed.value()) stored.subjects.emplace(s.id, std::move(s));
    if (auto faces = services.gallery().listFaces(services.store()))
        for (gallery::GalleryFace& f : faces.value()) stored.faces.emplace(f.id, std::move(f));
    // Thumbnails of the gallery photos (small images; their hashes are re-checked by the gallery).
    for (const cases::CandidateRecord& c : stored.search.candidates) {
        auto bytes = services.gallery().faceImage(services.store(), c.galleryFaceId, services.user().id);
        if (!bytes) continue;
        auto image = imaging::decodeBytes(bytes.value());
        auto face = stored.faces.find(c.galleryFaceId);
        if (image && face != stored.faces.end()) stored.thumbnails.emplace(c.galleryFaceId, thumbnail(image.value(), face->second.box));
    }
    // Always the ORIGINAL (or the frame taken from a video): the picture the searched image was made from.
    stored.original = services.cases().readSourcePicture(stored.search.imageId);
    for (const cases::StoredProbe& probe : stored.search.furtherProbes)
        stored.furtherPictures.push_back(services.cases().readSourcePicture(probe.imageId));
    return stored;
}

}  // namespace

ResultsWindow::ResultsWindow(AppContext& context, std::int64_t searchId, QWidget* parent)
    : QWidget(parent, Qt::Window),
      context_(context),
      searchId_(searchId),
      model_(new CandidateModel(this)),
      table_(new QTableView(this)),
      visibleCount_(new QSpinBox(this)),
      header_(new QLabel(this)),
      error_(new QLabel(this)),
      comparison_(new ComparisonView(this)),
      probeLabel_(new QLabel(this)),
      previousProbe_(new QPushButton(tr("◀ Previous probe"), this)),
      nextProbe_(new QPushButton(tr("Next probe ▶"), this)),
      photos_(new QListWidget(this)),
      examineButton_(new QPushButton(tr("E&xamine…"), this)),
      markButton_(new QPushButton(tr("Mark &possible lead…"), this)),
      excludeButton_(new QPushButton(tr("&Exclude…"), this)),
      followUpButton_(new QPushButton(tr("Record &follow-up…"), this)),
      reviewButton_(new QPushButton(tr("Supervisor &review…"), this)) {
    setObjectName(QStringLiteral("resultsWindow"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Search %1 — candidate list — FaceLead").arg(searchId));
    table_->setModel(model_);
    table_->setAccessibleName(tr("Candidate list"));
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(kThumbnailSide + 6);
    table_->setIconSize(QSize(kThumbnailSide, kThumbnailSide));
    // All columns visible without a sideways scroll down to a 1366x768 screen (issue 9 item 8): numbers,
    // dates and the photo take their content's width; the lead status is as wide as its longest label needs
    // on two lines (trial 12: "Follow-up re…"); subject and source share the rest. The rows are as tall as
    // the photo, so text wraps on up to three lines before it elides (the whole text is in the tool tips).
    QHeaderView* columns = table_->horizontalHeader();
    columns->setSectionResizeMode(QHeaderView::ResizeToContents);
    for (const int text : {CandidateModel::Subject, CandidateModel::Source})
        columns->setSectionResizeMode(text, QHeaderView::Stretch);
    int statusWidth = 0;
    for (workflow::LeadStatus status : workflow::allLeadStatuses())
        statusWidth = std::max(statusWidth, twoLineWidth(table_->fontMetrics(), leadStatusText(status)));
    const int textMargins = 2 * (table_->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, table_) + 1);
    columns->setSectionResizeMode(CandidateModel::Status, QHeaderView::Fixed);
    columns->resizeSection(CandidateModel::Status, statusWidth + textMargins + 2);
    table_->setTextElideMode(Qt::ElideRight);
    table_->setWordWrap(true);
    table_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    visibleCount_->setAccessibleName(tr("Number of candidates shown"));
    visibleCount_->setObjectName(QStringLiteral("visibleCount"));
    header_->setWordWrap(true);
    header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    makeErrorLine(*error_);
    error_->setAccessibleName(tr("Error message"));

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto* countRow = new QHBoxLayout;
    countRow->addWidget(new QLabel(tr("Show the first"), left));
    countRow->addWidget(visibleCount_);
    countRow->addWidget(new QLabel(tr("candidates"), left));
    countRow->addStretch();
    leftLayout->addLayout(countRow);
    leftLayout->addWidget(table_, 1);
    auto* buttons = new QHBoxLayout;
    examineButton_->setToolTip(tr("Your blind FISWG comparison of the probe and this candidate (issue 11); marking a "
                                  "possible lead needs it. Ranks and scores are shown once you have examined every "
                                  "candidate of the list"));
    for (QPushButton* button : {examineButton_, markButton_, excludeButton_, followUpButton_, reviewButton_})
        buttons->addWidget(button);
    auto* printButton = new QPushButton(tr("Pri&nt list…"), left);
    printButton->setAccessibleName(tr("Print the candidate list"));
    connect(printButton, &QPushButton::clicked, this, &ResultsWindow::printCandidateList);
    buttons->addWidget(printButton);
    leftLayout->addLayout(buttons);

    // One row per subject (issue 10 item 6): the subject's other photos are a click away under the comparison.
    photos_->setObjectName(QStringLiteral("subjectPhotos"));
    photos_->setAccessibleName(tr("All gallery photos of this subject"));
    photos_->setToolTip(tr("Every gallery photo of the chosen candidate's subject; click one to compare it"));
    photos_->setViewMode(QListView::IconMode);
    photos_->setFlow(QListView::LeftToRight);
    photos_->setWrapping(false);
    photos_->setIconSize(QSize(kThumbnailSide, kThumbnailSide));
    photos_->setFixedHeight(kThumbnailSide + 3 * photos_->fontMetrics().height());
    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    // Several probes of one person (issue 10 item 6): which one is shown, and the others a click away.
    probeLabel_->setAccessibleName(tr("Probe shown"));
    previousProbe_->setAccessibleName(tr("Show the previous probe"));
    nextProbe_->setAccessibleName(tr("Show the next probe"));
    auto* probeRow = new QHBoxLayout;
    probeRow->addWidget(previousProbe_);
    probeRow->addWidget(probeLabel_, 1);
    probeRow->addWidget(nextProbe_);
    for (QWidget* w : std::initializer_list<QWidget*>{probeLabel_, previousProbe_, nextProbe_}) w->hide();
    rightLayout->addLayout(probeRow);
    rightLayout->addWidget(comparison_, 1);
    rightLayout->addWidget(photos_);

    auto* splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({700, 800});

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new PolicyBanner(PolicyBanner::Kind::Intelligence, this));
    if (context_.trainingMode()) layout->addWidget(new PolicyBanner(PolicyBanner::Kind::Training, this));
    layout->addWidget(header_);
    layout->addWidget(error_);
    layout->addWidget(splitter, 1);

    connect(visibleCount_, &QSpinBox::valueChanged, model_, &CandidateModel::setVisibleCount);
    connect(previousProbe_, &QPushButton::clicked, this, [this] { showProbe(shownProbe_ - 1); });
    connect(nextProbe_, &QPushButton::clicked, this, [this] { showProbe(shownProbe_ + 1); });
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { if (current.isValid()) showCandidate(current.row()); });
    connect(photos_, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        if (shownRow_ >= 0) showPhoto(shownRow_, item->data(Qt::UserRole).toLongLong(), false);
    });
    connect(examineButton_, &QPushButton::clicked, this, [this] {
        const auto row = currentRow();
        if (!row) return;
        examineCandidate(context_, this, model_->candidate(*row).id, candidateLabel(*row), {searchId_, std::nullopt},
                         [this] { afterLeadChange(); });
    });
    for (auto [button, decision] : {std::pair{markButton_, workflow::LeadDecision::PossibleLead},
                                    std::pair{excludeButton_, workflow::LeadDecision::Exclude}})
        connect(button, &QPushButton::clicked, this, [this, decision] {
            if (const auto row = currentRow())
                decideCandidate(context_, this, model_->candidate(*row).id, candidateLabel(*row), decision,
                                [this] { afterLeadChange(); });
        });
    connect(followUpButton_, &QPushButton::clicked, this, [this] {
        const auto row = currentRow();
        if (!row) return;
        recordFollowUp(context_, this, model_->candidate(*row).id, candidateLabel(*row), {searchId_, std::nullopt},
                       [this] { afterLeadChange(); });
    });
    connect(reviewButton_, &QPushButton::clicked, this, [this] {
        const auto row = currentRow();
        if (!row) return;
        reviewFollowUp(context_, this, model_->candidate(*row).id, candidateLabel(*row), {searchId_, std::nullopt},
                       [this] { afterLeadChange(); });
    });
    auto* closeOnEscape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    connect(closeOnEscape, &QShortcut::activated, this, &QWidget::close);
    auto* print = new QShortcut(QKeySequence::Print, this);
    connect(print, &QShortcut::activated, this, &ResultsWindow::printCandidateList);
    resizeToFit(*this, {1500, 900});
    new ReloadWhenActivated(context_, *this, [this] { refreshCandidates(); });  // issue 9: stale after another program
    load();
}

ResultsWindow::~ResultsWindow() = default;

QString ResultsWindow::errorText() const { return error_->text(); }
QString ResultsWindow::headerText() const { return header_->text(); }

void ResultsWindow::load() {
    context_.store().run(this, [id = searchId_](CoreServices& services) { return readStoredSearch(services, id); },
                         [this](Result<StoredSearch> stored) { display(std::move(stored)); });
}

void ResultsWindow::display(Result<StoredSearch> stored) {
    if (!stored) {
        error_->setText(QString::fromStdString(stored.error().message));
        return;
    }
    search_ = std::move(stored->search);
    galleryFaces_ = std::move(stored->faces);
    model_->setCandidates(search_->candidates, std::move(stored->subjects), std::move(stored->removals));
    for (const auto& [faceId, image] : stored->thumbnails) model_->setThumbnail(faceId, image);
    visibleCount_->setRange(0, int(search_->candidates.size()));
    visibleCount_->setValue(int(search_->candidates.size()));
    // Trial 29 N13: while ranks are hidden the rows are not in rank order, so "the first N" cut the list by name and
    // hid the real rank 2. The whole list is shown until every rank may be.
    const bool ranksHidden = std::any_of(search_->candidates.begin(), search_->candidates.end(),
                                         [](const cases::CandidateRecord& c) { return c.rankHidden; });
    visibleCount_->setEnabled(!ranksHidden);
    visibleCount_->setToolTip(ranksHidden ? tr("The whole list is shown while ranks are hidden for your blind "
                                               "examination: its rows are not in rank order.")
                                          : QString());

    QString requestText;
    if (stored->request) {
        const workflow::SearchRequest& r = stored->request->request;
        const auto citation = r.purpose ? workflow::purposeInfo(*r.purpose).citation : std::string_view("?");
        requestText = tr("Case <b>%1</b> — %2 — purpose %3")
                          .arg(QString::fromStdString(r.caseNumber).toHtmlEscaped(),
                               QString::fromStdString(r.offence).toHtmlEscaped(),
                               QString::fromUtf8(citation.data(), qsizetype(citation.size())));
    }
    header_->setText(tr("%1<br>Search %2 run by %3 at %4 against %5; %6 listed (%7). A candidate is not an "
                        "identification.")
                         .arg(requestText)
                         .arg(search_->id)
                         .arg(QString::fromStdString(search_->runBy.displayName).toHtmlEscaped(),
                              localTime(search_->runAt))
                         .arg(accountability::counted(search_->gallerySize, "gallery face", "gallery faces"))
                         .arg(accountability::counted(qsizetype(search_->candidates.size()), "candidate", "candidates"),
                              orderText(search_->candidates).toHtmlEscaped()));
    probes_.clear();
    const QString requestSource = stored->request ? QString::fromStdString(stored->request->request.imageSource) : QString();
    probes_.push_back(probePicture(std::move(stored->original), search_->imageId, search_->faceBox, requestSource));
    for (std::size_t i = 0; i < search_->furtherProbes.size(); ++i)
        probes_.push_back(probePicture(std::move(stored->furtherPictures[i]), search_->furtherProbes[i].imageId,
                                       search_->furtherProbes[i].faceBox, {}));
    for (QWidget* w : std::initializer_list<QWidget*>{probeLabel_, previousProbe_, nextProbe_})
        w->setVisible(probes_.size() > 1);
    showProbe(0);
    updateButtons();
    emit loadedChanged();
}

ResultsWindow::ProbePicture ResultsWindow::probePicture(Result<cases::LoadedImage> picture, std::int64_t imageId,
                                                       const face::Box& faceBox, const QString& sourceIfNone) {
    if (!picture) return {{}, {}, std::nullopt, QString::fromStdString(picture.error().message)};
    const auto recipe = imaging::recipeFromJson(picture->record.recipeJson.value_or(""));
    const bool frame = recipe && recipe->videoFrame && picture->record.parentId;
    const QString source = QString::fromStdString(picture->record.source);
    ProbePicture shown{toQImage(picture->image.rgb), std::move(picture->image), std::nullopt, {},
                       source.isEmpty() ? sourceIfNone : source, picture->record.id,
                       frame ? picture->record.parentId : std::nullopt};
    // The box drawn is the STORED one (the face that was searched), never the wizard's state; it is in the
    // searched image's pixels, so usable only when the picture shown is the image searched.
    if (picture->record.id == imageId) shown.box = toRect(faceBox);
    return shown;
}

void ResultsWindow::showProbe(int index) {
    if (index < 0 || index >= int(probes_.size())) return;
    shownProbe_ = index;
    updateProbeLabel();
    const ProbePicture& picture = probes_[std::size_t(index)];
    if (!picture.error.isEmpty()) {
        error_->setText(tr("The probe image cannot be shown: %1").arg(picture.error));
        return;
    }
    // Any probe may have been marked by hand (issue 10 item 4): its stored points, never a new detection.
    if (const cases::HandMarking* marking = markingOf(index)) {
        comparison_->setProbe(picture.image, picture.box ? markedGeometry(*marking, *picture.box) : std::nullopt,
                              probeCaption());
        return;
    }
    comparison_->setProbe(picture.image, boxOnly(picture.box), probeCaption());
    const face::FaceEngine* engine = context_.engine();
    if (!engine) return;
    // Landmarks of the stored face, from an analysis on the thread pool.
    ++probeAnalyses_;
    computeThen(this, [engine, pixels = picture.pixels] {
        return std::make_shared<Result<std::vector<face::Face>>>(
            engine->analyze(pixels, {face::FacePick::All, false, face::DetectionPolicy::Probe}));
    }, [this, index](const Analysis& faces) {
        --probeAnalyses_;
        if (index != shownProbe_) return;  // another probe was chosen meanwhile
        const ProbePicture& shown = probes_[std::size_t(index)];
        comparison_->setProbe(shown.image, *faces ? geometryFor(faces->value(), shown.box) : boxOnly(shown.box),
                              probeCaption());
        if (shownRow_ >= 0) showCandidate(shownRow_);
    });
}

void ResultsWindow::updateProbeLabel() {
    const int count = int(probes_.size());
    QString text = tr("<b>Probe %1 of %2</b>").arg(shownProbe_ + 1).arg(count);
    // Which probe was nearest to the chosen candidate, as stored (candidates.probe); never its distance, which
    // blind examination withholds with the rank (issue 11).
    if (shownRow_ >= 0 && shownRow_ < model_->rowCount()) {
        const int nearest = model_->candidate(shownRow_).probe;
        text += nearest == shownProbe_ ? tr(" — the probe nearest to this candidate")
                                       : tr(" — this candidate was nearest to probe %1").arg(nearest + 1);
    }
    probeLabel_->setText(text);
    previousProbe_->setEnabled(shownProbe_ > 0);
    nextProbe_->setEnabled(shownProbe_ + 1 < count);
}

QString ResultsWindow::probeText() const { return probeLabel_->text(); }

const cases::HandMarking* ResultsWindow::markingOf(int probe) const {
    if (!search_ || probe < 0 || probe > int(search_->furtherProbes.size())) return nullptr;
    const auto& marking = probe == 0 ? search_->handMarking : search_->furtherProbes[std::size_t(probe - 1)].handMarking;
    return marking ? &*marking : nullptr;
}

QString ResultsWindow::handMarkingLine(int probe) const {
    const cases::HandMarking* marking = markingOf(probe);
    return marking ? ui::handMarkingLine(*marking) : QString();
}

QString ResultsWindow::probeCaption() const {
    // Who marked the face, read back from the stored search (issue 10 item 4), beside the probe it concerns.
    const QString marking = handMarkingLine(shownProbe_);
    const QString markingLine = marking.isEmpty() ? QString() : QStringLiteral("<br><b>%1</b>").arg(marking.toHtmlEscaped());
    // Each probe names its image, what it is and its own source (trials 42 and 43 F11, F4: probe 1 said none, and a
    // frame taken from a video read "as received").
    const ProbePicture& shown = probes_[std::size_t(shownProbe_)];
    const QString which = probes_.size() > 1 ? tr("<b>Probe %1 of %2</b>").arg(shownProbe_ + 1).arg(probes_.size())
                                             : tr("<b>Probe</b>");
    const QString kind = shown.videoId ? tr("a frame taken from video image #%1, not enhanced").arg(*shown.videoId)
                                       : tr("the original as received, never enhanced");
    const QString source = !shown.source.isEmpty() ? shown.source.toHtmlEscaped()
                           : shown.videoId         ? tr("that of video image #%1").arg(*shown.videoId)
                                                   : tr("(not given)");
    QString caption = tr("%1, image #%2 (%3); source: %4").arg(which).arg(shown.shownImageId).arg(kind, source);
    caption += markingLine;
    // Its quality as stored, damage and all, beside the candidate it is compared with (trial 73 F10).
    if (search_ && shownProbe_ <= int(search_->furtherProbes.size())) {
        const std::string& quality =
            shownProbe_ == 0 ? search_->qualityJson : search_->furtherProbes[std::size_t(shownProbe_ - 1)].qualityJson;
        caption += QStringLiteral("<br>") + tr("Quality: %1").arg(QString::fromStdString(face::recordedQualityText(quality)).toHtmlEscaped());
    }
    if (shownProbe_ > 0) return caption;
    // Intake case C02: the face lies sideways or upside down in this picture, as stored with the search.
    if (search_ && search_->foundTurnedDegrees)
        caption += QStringLiteral("<br><b>%1</b>")
                       .arg(QString::fromStdString(face::foundTurnedText(search_->foundTurnedDegrees)).toHtmlEscaped());
    return caption;
}

void ResultsWindow::selectRow(int row) { table_->selectRow(row); }

QString ResultsWindow::candidateListHtml() const {
    // Both markings of the SOP on the paper too (VI.B.1 lead only, VI.B.6 intelligence).
    QString html = QStringLiteral("<p style='background:#fff3cd'><b>%1</b></p><p><b>%2</b></p><p>%3</p>")
                       .arg(leadOnlyNotice().toHtmlEscaped(), intelligenceMarking().toHtmlEscaped(), header_->text());
    const int further = search_ ? int(search_->furtherProbes.size()) : 0;
    for (int probe = 0; probe <= further; ++probe)
        if (const QString marking = handMarkingLine(probe); !marking.isEmpty())
            html += QStringLiteral("<p><b>%1%2</b></p>")
                        .arg(further > 0 ? tr("Probe %1: ").arg(probe + 1) : QString(), marking.toHtmlEscaped());
    html += QStringLiteral("<table border='1' cellspacing='0' cellpadding='3'><tr><th>%1</th><th>%2</th><th>%3</th>"
                           "<th>%4</th><th>%5</th></tr>")
                .arg(tr("Rank"), tr("Subject"), tr("Distance"), tr("Score"), tr("Status"));
    for (int row = 0; row < model_->rowCount(); ++row) {
        const cases::CandidateRecord& c = model_->candidate(row);
        html += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td></tr>")
                    .arg(QString::fromStdString(cases::rankText(c)),
                         QString::fromStdString(c.subjectName).toHtmlEscaped(),
                         QString::fromStdString(cases::numberText(c, c.distance, 3)),
                         QString::fromStdString(cases::similarityText(c, 2)), leadStatusText(c.status));
    }
    return html + QStringLiteral("</table><p><b>%1</b></p>").arg(leadOnlyNotice().toHtmlEscaped());
}

void ResultsWindow::printTo(QPrinter& printer) const {
    QTextDocument document;
    document.setHtml(candidateListHtml());
    document.print(&printer);
}

void ResultsWindow::printCandidateList() {
    if (!search_) return;
    auto* printer = new QPrinter(QPrinter::HighResolution);
    auto* dialog = new QPrintDialog(printer, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [this, printer](int result) {
        if (result == QDialog::Accepted) printTo(*printer);
        delete printer;
    });
    dialog->open();
}

std::optional<int> ResultsWindow::currentRow() const {
    const QModelIndex current = table_->currentIndex();
    if (!current.isValid()) return std::nullopt;
    return current.row();
}

QString ResultsWindow::candidateLabel(int row) const {
    const cases::CandidateRecord& c = model_->candidate(row);
    if (c.rankHidden) return tr("candidate %1").arg(QString::fromStdString(c.subjectName));
    return tr("candidate %1, %2").arg(c.rank).arg(QString::fromStdString(c.subjectName));
}

void ResultsWindow::showCandidate(int row) {
    if (row < 0 || row >= model_->rowCount()) return;
    const bool newRow = row != shownRow_;
    shownRow_ = row;
    const cases::CandidateRecord& c = model_->candidate(row);
    updateButtons();
    if (newRow) {
        loadSubjectPhotos(c, row);
        // The probe that matched this candidate, as stored (issue 10 item 6); the others stay a click away.
        if (c.probe != shownProbe_) showProbe(c.probe);
    }
    updateProbeLabel();
    // A new row starts at the photo that matched; a refresh of the same row keeps the photo chosen in the strip.
    showPhoto(row, newRow ? c.galleryFaceId : shownFaceId_, newRow);
}

void ResultsWindow::showPhoto(int row, std::int64_t faceId, bool audit) {
    const cases::CandidateRecord c = model_->candidate(row);
    shownFaceId_ = faceId;
    context_.store().run(this, [c, faceId, audit](CoreServices& services) -> Result<imaging::Image> {
        // Looking at a candidate is itself recorded (SOP 302.02 VI.C.2).
        if (audit) FACELEAD_TRY(services.cases().viewCandidate(c.id));
        auto bytes = services.gallery().faceImage(services.store(), faceId, services.user().id);
        if (!bytes) return bytes.error();
        return imaging::decodeBytes(bytes.value());
    }, [this, c, row, faceId](Result<imaging::Image> image) {
        if (row != shownRow_ || faceId != shownFaceId_) return;  // another candidate or photo was chosen meanwhile
        if (!image) {
            comparison_->clearCandidate(QString::fromStdString(image.error().message));
            return;
        }
        showCandidateImage(c, row, faceId, std::move(image.value()));
    });
}

namespace {

struct SubjectPhoto {
    cases::GalleryPhoto photo;  // its id and dates, as the core read them
    QImage thumbnail;
};

}  // namespace

void ResultsWindow::loadSubjectPhotos(const cases::CandidateRecord& c, int row) {
    photos_->clear();
    // The boxes known from the gallery listing (a removed subject's are not: its thumbnails show the whole photo).
    std::map<std::int64_t, face::Box> boxes;
    for (const auto& [faceId, face] : galleryFaces_)
        if (face.subjectId == c.subjectId) boxes.emplace(faceId, face.box);
    context_.store().run(this, [candidateId = c.id, boxes](CoreServices& services) -> Result<std::vector<SubjectPhoto>> {
        auto listed = services.cases().candidatePhotos(candidateId);
        if (!listed) return listed.error();
        std::vector<SubjectPhoto> photos;
        for (const cases::GalleryPhoto& photo : listed->all) {
            SubjectPhoto shown{photo, {}};
            auto bytes = services.gallery().faceImage(services.store(), photo.galleryFaceId, services.user().id);
            auto image = bytes ? imaging::decodeBytes(bytes.value()) : Result<imaging::Image>(bytes.error());
            if (image) {
                const auto box = boxes.find(photo.galleryFaceId);
                shown.thumbnail = thumbnail(image.value(), box != boxes.end() ? box->second
                                                                              : face::Box{0, 0, image->width(), image->height()});
            }
            photos.push_back(std::move(shown));
        }
        return photos;
    }, [this, row, matched = c.galleryFaceId](Result<std::vector<SubjectPhoto>> photos) {
        if (row != shownRow_ || !photos) return;
        const int count = int(photos->size());
        for (int i = 0; i < count; ++i) {
            const SubjectPhoto& photo = (*photos)[std::size_t(i)];
            const std::int64_t faceId = photo.photo.galleryFaceId;
            const bool isMatched = faceId == matched;
            auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(photo.thumbnail)),
                                             // "nearest", never "matched": a candidate is a lead, not an
                                             // identification (VI.B.1), on every screen.
                                             isMatched ? tr("%1 of %2, nearest").arg(i + 1).arg(count)
                                                       : tr("%1 of %2").arg(i + 1).arg(count),
                                             photos_);
            item->setData(Qt::UserRole, qlonglong(faceId));
            // Dated by when it was taken where the photo says so, never by enrolment alone (issue 11 MEDIUM-2).
            const QString dated = QString::fromStdString(
                cases::photoDateText(photo.photo, localTime(photo.photo.enrolledAt).toStdString()));
            item->setToolTip(tr("Photo %1%2").arg(dated, isMatched ? tr("; the photo nearest to the probe") : QString()));
            if (faceId == shownFaceId_) photos_->setCurrentItem(item);
        }
    });
}

void ResultsWindow::showCandidateImage(const cases::CandidateRecord& c, int row, std::int64_t faceId, imaging::Image image) {
    const QString shownCaption =
        c.rankHidden ? tr("<b>Candidate</b>: %1 — rank and score hidden until you have examined every candidate of the list (%2)")
                           .arg(QString::fromStdString(c.subjectName).toHtmlEscaped(), leadStatusText(c.status))
                     : tr("<b>Candidate %1</b>: %2 — distance %3, score %4 (%5)")
                           .arg(c.rank)
                           .arg(QString::fromStdString(c.subjectName).toHtmlEscaped())
                           .arg(c.distance, 0, 'f', 3)
                           .arg(QString::fromStdString(cases::similarityText(c, 2)))
                           .arg(leadStatusText(c.status));
    const QString removed = model_->removalText(c.subjectId);
    QString caption = removed.isEmpty() ? shownCaption : shownCaption + QStringLiteral("<br><b>%1</b>").arg(removed.toHtmlEscaped());
    // Several probes searched together (issue 10 item 6): which one was nearest, as stored.
    if (probes_.size() > 1)
        caption += QStringLiteral("<br>%1").arg(tr("Nearest to probe %1 of %2").arg(c.probe + 1).arg(probes_.size()));
    // The distance and score belong to the photo that matched; another photo of the subject is said to be one.
    if (faceId != c.galleryFaceId)
        caption += QStringLiteral("<br>%1").arg(tr("Another gallery photo of this subject (not the one that was ranked)"));
    auto stored = galleryFaces_.find(faceId);
    const std::optional<QRectF> box = stored == galleryFaces_.end() ? std::nullopt : std::optional(toRect(stored->second.box));
    const QImage shown = toQImage(image.rgb);
    comparison_->setCandidate(shown, boxOnly(box), caption);
    const face::FaceEngine* engine = context_.engine();
    if (!engine) return;
    computeThen(this, [engine, pixels = std::move(image)] {
        return std::make_shared<Result<std::vector<face::Face>>>(engine->analyze(pixels, {face::FacePick::All, false}));
    }, [this, shown, box, caption, row, faceId](const Analysis& faces) {
        if (row == shownRow_ && faceId == shownFaceId_ && *faces)
            comparison_->setCandidate(shown, geometryFor(faces->value(), box), caption);
    });
}

void ResultsWindow::afterLeadChange() {
    refreshCandidates([this] { emit changed(); });  // then the work lists refresh (each on its own job)
}

void ResultsWindow::refreshCandidates(std::function<void()> then) {
    // Read back from the store: statuses, and rank and score once the user's examination is recorded.
    context_.store().run(this, [id = searchId_](CoreServices& services) { return services.cases().getSearch(id); },
                         [this, then = std::move(then)](Result<cases::SearchRecord> search) {
                             if (search)
                                 for (const cases::CandidateRecord& c : search->candidates) model_->updateCandidate(c);
                             if (shownRow_ >= 0) showCandidate(shownRow_);  // its caption too
                             updateButtons();
                             if (then) then();
                         });
}

void ResultsWindow::updateButtons() {
    const std::optional<int> row = currentRow();
    using S = workflow::LeadStatus;
    const S status = row ? model_->candidate(*row).status : S::Candidate;
    // Read back from the core (issue 11): whether this user has recorded their examination of the candidate.
    const bool examinedByMe = row && model_->candidate(*row).examinedByMe;
    // Only what the signed-in user's roles allow is offered (the core's role table; the core refuses again):
    // trial 12 saw the supervisor review offered to an investigator, refused only after the form was filled.
    const auto may = [this](workflow::Action action) {
        return context_.signedIn() && workflow::mayPerform(context_.user().roles, action);
    };
    const bool decides = may(workflow::Action::DecideCandidate);
    examineButton_->setEnabled(row && !examinedByMe && decides);
    markButton_->setEnabled(decides && examinedByMe && (status == S::Candidate || status == S::Excluded));
    markButton_->setToolTip(examinedByMe ? QString() : tr("Record your blind examination of the candidate first"));
    excludeButton_->setEnabled(decides && row && (status == S::Candidate || status == S::PossibleLead));
    followUpButton_->setEnabled(may(workflow::Action::RecordFollowUp) && row &&
                                workflow::isLeadTransition(status, S::FollowUpRecorded));
    reviewButton_->setEnabled(may(workflow::Action::ReviewFollowUp) && row && status == S::FollowUpRecorded);
}

}  // namespace facelead::ui
