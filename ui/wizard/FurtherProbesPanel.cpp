#include "ui/wizard/FurtherProbesPanel.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <memory>

#include <opencv2/core.hpp>

#include "core/cases/CaseService.h"
#include "ui/widgets/ImageConvert.h"
#include "ui/widgets/SteadyLabel.h"
#include "ui/wizard/FurtherProbeDialog.h"
#include "ui/wizard/ProbeFaces.h"
#include "ui/wizard/SearchWizard.h"
#include "ui/wizard/VideoFrameDialog.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/Background.h"

namespace facelead::ui {
namespace {

constexpr int kThumb = 48;

// The chosen face with a margin of half its size, as a small picture: which face of the image is searched.
QIcon faceThumbnail(const FurtherProbeDraft& probe) {
    const cv::Mat& rgb = probe.original.image.rgb;
    const face::Box& box = probe.face.box;
    const int margin = std::max(box.width(), box.height()) / 2;
    const cv::Rect area = cv::Rect(box.left - margin, box.top - margin, box.width() + 2 * margin,
                                   box.height() + 2 * margin) & cv::Rect(0, 0, rgb.cols, rgb.rows);
    if (area.empty()) return {};
    return QIcon(QPixmap::fromImage(toQImage(rgb(area).clone()).scaled(kThumb, kThumb, Qt::KeepAspectRatio,
                                                                        Qt::SmoothTransformation)));
}

QString fileText(const ProbeOriginal& original) {
    const QString name = QFileInfo(QString::fromStdString(original.file.string())).fileName();
    if (!original.videoFrame) return name;
    return QObject::tr("%1, frame %2 at %3")
        .arg(name)
        .arg(original.videoFrame->frame)
        .arg(QString::fromStdString(imaging::timecodeText(original.videoFrame->timeMs)));
}

QString qualityText(const FurtherProbeDraft& probe) {
    const QString verdict = verdictText(probe.face.quality.verdict);
    return probe.poorQualityAcknowledged ? QObject::tr("%1 (acknowledged)").arg(verdict) : verdict;
}

}  // namespace

FurtherProbesPanel::FurtherProbesPanel(SearchWizard& wizard, QWidget* parent)
    : QGroupBox(tr("Further probes of the same person (optional)"), parent),
      wizard_(wizard),
      table_(new QTableWidget(0, 4, this)),
      addImage_(new QPushButton(tr("Add &image…"), this)),
      addVideo_(new QPushButton(tr("Add video &frame…"), this)),
      remove_(new QPushButton(tr("&Remove"), this)),
      message_(new QLabel(this)) {
    setAccessibleName(tr("Further probes of the same person"));
    table_->setAccessibleName(tr("Further probes: face, file and source, face chosen, quality"));
    table_->setHorizontalHeaderLabels({tr("Probe"), tr("File"), tr("Face"), tr("Quality")});
    table_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    table_->verticalHeader()->hide();
    table_->setIconSize(QSize(kThumb, kThumb));
    table_->verticalHeader()->setDefaultSectionSize(kThumb + 4);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setMaximumHeight(2 * (kThumb + 4) + 28);  // two rows in view beside the image at 1366x768; more scroll
    addImage_->setAccessibleName(tr("Add a further still of the same person"));
    addVideo_->setAccessibleName(tr("Add a frame of a video of the same person"));
    remove_->setAccessibleName(tr("Remove the selected further probe"));
    makeErrorLine(*message_, 1);
    message_->setAccessibleName(tr("Further probe message"));
    auto* note = new QLabel(tr("Probe 1 is the face chosen above. More stills or frames of the SAME unknown person "
                               "sharpen the search: one candidate list for all, each person at the photo nearest to "
                               "any probe."), this);
    note->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(note);
    layout->addWidget(table_);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(addImage_);
    buttons->addWidget(addVideo_);
    buttons->addWidget(remove_);
    buttons->addStretch();
    layout->addLayout(buttons);
    layout->addWidget(message_);

    connect(addImage_, &QPushButton::clicked, this, &FurtherProbesPanel::chooseImage);
    connect(addVideo_, &QPushButton::clicked, this, &FurtherProbesPanel::chooseVideo);
    connect(remove_, &QPushButton::clicked, this, [this] { removeProbe(table_->currentRow()); });
    connect(table_, &QTableWidget::itemSelectionChanged, this, &FurtherProbesPanel::updateButtons);
    showProbes();
}

void FurtherProbesPanel::chooseImage() {
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Choose a further probe image"), QString(),
        tr("Images (*.jpg *.jpeg *.png *.bmp *.tif *.tiff *.webp *.gif *.pgm *.ppm);;All files (*)"));
    if (!file.isEmpty()) addImageFile(file);
}

void FurtherProbesPanel::chooseVideo() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Open the video"), QString(),
                                                      tr("Videos (*.mp4 *.m4v *.mov *.avi *.mkv *.webm);;All files (*)"));
    if (!file.isEmpty()) addVideoFrame(file);
}

void FurtherProbesPanel::addImageFile(const QString& file) {
    if (loading_) return;
    loading_ = true;
    message_->setText(tr("Loading and hashing %1…").arg(QFileInfo(file).fileName()));
    updateButtons();
    computeThen(this, [path = std::filesystem::path(file.toStdString())] {
        return std::make_shared<Result<ProbeOriginal>>(readProbe(path));
    }, [this](const std::shared_ptr<Result<ProbeOriginal>>& loaded) {
        loading_ = false;
        updateButtons();
        if (!*loaded) {
            message_->setText(tr("This image cannot be used: %1").arg(QString::fromStdString(loaded->error().message)));
            return;
        }
        message_->clear();
        openFaceChoice(std::move(loaded->value()));
    });
}

VideoFrameDialog* FurtherProbesPanel::addVideoFrame(const QString& file) {
    auto* video = new VideoFrameDialog(wizard_.context(), file, this);
    video->setAttribute(Qt::WA_DeleteOnClose);
    connect(video, &QDialog::accepted, this, [this, video] {
        if (video->chosen()) openFaceChoice(*video->chosen());
    });
    video->open();  // window-modal, and returns at once: no nested event loop
    return video;
}

void FurtherProbesPanel::openFaceChoice(ProbeOriginal original) {
    const int number = int(wizard_.draft().furtherProbes.size()) + 2;  // the first probe is number 1
    dialog_ = new FurtherProbeDialog(wizard_.context(), std::move(original), number,
                                     workflow::needsImageSource(wizard_.draft().request), this);
    dialog_->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog_, &QDialog::accepted, this, [this, dialog = dialog_] {
        if (!dialog || !dialog->chosen()) return;
        wizard_.draft().furtherProbes.push_back(*dialog->chosen());
        showProbes();
    });
    dialog_->open();
    emit faceChoiceOpened(dialog_);
}

void FurtherProbesPanel::removeProbe(int row) {
    auto& probes = wizard_.draft().furtherProbes;
    if (row < 0 || row >= int(probes.size())) return;
    probes.erase(probes.begin() + row);
    showProbes();
}

void FurtherProbesPanel::showProbes() {
    const auto& probes = wizard_.draft().furtherProbes;
    table_->setRowCount(int(probes.size()));
    for (std::size_t i = 0; i < probes.size(); ++i) {
        const FurtherProbeDraft& probe = probes[i];
        const int row = int(i);
        auto* number = new QTableWidgetItem(faceThumbnail(probe), QString::number(row + 2));
        table_->setItem(row, 0, number);
        const QString source = probe.imageSource.empty() ? tr("source not given") : QString::fromStdString(probe.imageSource);
        table_->setItem(row, 1, new QTableWidgetItem(tr("%1 · %2").arg(fileText(probe.original), source)));
        table_->item(row, 1)->setToolTip(QStringLiteral("SHA-256 %1").arg(QString::fromStdString(probe.original.sha256)));
        table_->setItem(row, 2, new QTableWidgetItem(probe.face.marked ? tr("marked by hand")
                                                                       : tr("%1 of %2").arg(probe.faceNumber).arg(probe.facesInImage)));
        table_->setItem(row, 3, new QTableWidgetItem(qualityText(probe)));
    }
    table_->resizeColumnToContents(0);
    message_->setText(unlikeWarning());
    updateButtons();
    emit probesChanged();
}

void FurtherProbesPanel::updateButtons() {
    // The core's limit (cases::kMaxProbes), the first probe included.
    const bool room = wizard_.draft().furtherProbes.size() + 1 < cases::kMaxProbes;
    addImage_->setEnabled(room && !loading_);
    addVideo_->setEnabled(room && !loading_);
    remove_->setEnabled(table_->currentRow() >= 0 && table_->currentRow() < table_->rowCount());
}

FurtherProbeDialog* FurtherProbesPanel::furtherProbeDialog() const { return dialog_.data(); }

QString FurtherProbesPanel::unlikeWarning() const {
    const SearchDraft& draft = wizard_.draft();
    const face::Face* first = draft.face();
    const face::FaceEngine* engine = wizard_.context().engine();
    if (!first || !first->descriptor || !engine) return {};
    std::vector<face::Descriptor> descriptors{*first->descriptor};
    for (const FurtherProbeDraft& probe : draft.furtherProbes)
        if (probe.face.descriptor) descriptors.push_back(*probe.face.descriptor);
    return QString::fromStdString(cases::probesUnlikeTheFirst(descriptors, engine->config().calibration.sameSubjectDistance));
}

QString FurtherProbesPanel::message() const { return message_->text(); }

}  // namespace facelead::ui
