#include "ui/workstation/DuplicatesDialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <map>
#include <set>

#include "core/imaging/Intake.h"
#include "ui/accountability/Common.h"
#include "ui/widgets/ImageConvert.h"
#include "ui/widgets/PolicyBanner.h"
#include "ui/widgets/ScreenFit.h"
#include "ui/widgets/SteadyLabel.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/Background.h"
#include "ui/workstation/CoreServices.h"
#include "ui/workstation/DuplicatesModel.h"

namespace facelead::ui {
namespace {

constexpr int kPhotoSize = 96;

struct CheckedGallery {
    gallery::DuplicatesReport report;
    std::map<std::int64_t, QImage> photos;  // by gallery face id: the faces of the first kPhotoRows rows
};

// The enrolled photos of the faces the first rows show, read from the store (hash-checked by Gallery::faceImage)
// and scaled here on the store thread; a photo that cannot be read is left out and the row names the face.
std::map<std::int64_t, QImage> photosOf(CoreServices& services, const gallery::DuplicatesReport& report,
                                        const JobProgress& progress) {
    std::set<std::int64_t> faces;
    const auto rows = DuplicatesModel::rowsOf(report);
    for (std::size_t i = 0; i < rows.size() && i < std::size_t(DuplicatesDialog::kPhotoRows); ++i)
        faces.insert({rows[i].a.faceId, rows[i].b.faceId});
    faces.erase(0);  // an image refused at enrolment has no gallery face
    std::map<std::int64_t, QImage> photos;
    int done = 0;
    for (const std::int64_t faceId : faces) {
        if (!progress.report(done++, int(faces.size()), "Reading the enrolled photos…")) break;
        auto bytes = services.gallery().faceImage(services.store(), faceId, services.user().id);
        if (!bytes) continue;
        auto image = imaging::decodeBytes(*bytes);
        if (!image) continue;
        photos[faceId] = toQImage(image->rgb).scaled(kPhotoSize, kPhotoSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    }
    return photos;
}

}  // namespace

DuplicatesDialog::DuplicatesDialog(AppContext& context, QWidget* parent)
    : QDialog(parent),
      context_(context),
      model_(new DuplicatesModel(this)),
      view_(new QTableView(this)),
      threshold_(new QDoubleSpinBox(this)),
      check_(new QPushButton(tr("&Check the gallery"), this)),
      summary_(new QLabel(this)) {
    setObjectName(QStringLiteral("duplicatesDialog"));
    setWindowTitle(tr("Duplicates in the gallery (DL/ID fraud check, VI.A.5) — FaceLead"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new PolicyBanner(PolicyBanner::Kind::Intelligence, this));
    layout->addWidget(new PolicyBanner(PolicyBanner::Kind::LeadOnly, this));
    if (context.trainingMode()) layout->addWidget(new PolicyBanner(PolicyBanner::Kind::Training, this));
    auto* intro = new QLabel(tr("Faces of DIFFERENT subjects within the distance threshold (one face under several "
                                "identities), and the same photo enrolled under several names (SOP 302.02 VI.A.5). "
                                "Each pair is a lead for a person to review, not a finding. Every check is audited."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    // The calibrated same-subject distance by default (docs/CALIBRATION.md); the core refuses one outside (0, 2].
    threshold_->setRange(0.01, 2.0);
    threshold_->setSingleStep(0.01);
    threshold_->setDecimals(2);
    threshold_->setValue(double(gallery::DuplicatesOptions{}.threshold));
    threshold_->setAccessibleName(tr("Distance threshold"));
    auto* row = new QHBoxLayout;
    auto* form = new QFormLayout;
    form->addRow(tr("&Distance at most:"), threshold_);
    row->addLayout(form);
    row->addWidget(check_);
    row->addStretch();
    layout->addLayout(row);

    view_->setModel(model_);
    view_->setAccessibleName(tr("Pairs of subjects that may be one person"));
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view_->setIconSize(QSize(kPhotoSize, kPhotoSize));
    view_->verticalHeader()->hide();
    view_->verticalHeader()->setDefaultSectionSize(kPhotoSize + 6);
    view_->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(view_, 1);
    summary_->setAccessibleName(tr("What the check found"));
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(summary_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(check_, &QPushButton::clicked, this, &DuplicatesDialog::check);
    resizeToFit(*this, {1100, 760});
}

void DuplicatesDialog::check() {
    if (checking_ || !context_.signedIn()) return;
    checking_ = true;
    check_->setEnabled(false);
    summary_->setStyleSheet(QString());
    summary_->setText(tr("Comparing every face of the gallery with every other…"));
    gallery::DuplicatesOptions options;
    options.threshold = float(threshold_->value());
    runWithProgress(this, context_, tr("Checking the gallery for duplicates…"),
                    [options](CoreServices& s, const JobProgress& progress) mutable -> Result<CheckedGallery> {
                        options.cancel = progress.cancelFlag();
                        progress.report(0, 0, "Comparing every face with every other…");
                        // The core checks the role and audits the check (or the refusal), as for the CLI.
                        auto report = gallery::findDuplicates(s.session(), options);
                        if (!report) return report.error();
                        auto photos = photosOf(s, *report, progress);
                        return CheckedGallery{std::move(*report), std::move(photos)};
                    },
                    [this](Result<CheckedGallery> checked) {
                        checking_ = false;
                        check_->setEnabled(true);
                        if (!checked) {
                            makeErrorLine(*summary_);
                            summary_->setText(QString::fromStdString(checked.error().message));
                            model_->setReport({}, {});
                        } else {
                            const gallery::DuplicatesReport& report = checked->report;
                            model_->setReport(report, std::move(checked->photos));
                            view_->resizeColumnsToContents();
                            summary_->setText(
                                tr("%1 compared at distance ≤ %2: %3 of different subjects%4, %5 under several "
                                   "identities, %6 refused at enrolment as another identity's%7. Each is a lead to "
                                   "review, not a finding.")
                                    .arg(accountability::counted(qsizetype(report.facesCompared), "face", "faces"))
                                    .arg(double(report.threshold), 0, 'f', 2)
                                    .arg(accountability::counted(qsizetype(report.similarFaces.size()), "pair", "pairs"),
                                         report.similarTruncated ? tr(" (the nearest only; more exist)") : QString(),
                                         accountability::counted(qsizetype(report.sameImages.size()), "image", "images"),
                                         accountability::counted(qsizetype(report.enrolmentConflicts.size()), "image", "images"),
                                         report.cancelled ? tr("; CANCELLED before the end — the list is incomplete")
                                                          : QString()));
                        }
                        emit checkFinished();
                    });
}

QString DuplicatesDialog::summary() const { return summary_->text(); }

}  // namespace facelead::ui
