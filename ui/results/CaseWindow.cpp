#include "ui/results/CaseWindow.h"

#include <algorithm>

#include <QDialog>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPageLayout>
#include <QPushButton>
#include <QShortcut>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

#include "core/cases/VideoFrames.h"
#include "core/common/Text.h"
#include "core/face/QualityJson.h"
#include "core/imaging/Enhancement.h"
#include "core/reports/Disclosure.h"
#include "core/workflow/Access.h"
#include "core/workflow/Purposes.h"
#include "ui/accountability/Common.h"
#include "ui/accountability/DisclosureFiles.h"
#include "ui/results/LeadActions.h"
#include "ui/widgets/ImageConvert.h"
#include "ui/widgets/ImageView.h"
#include "ui/widgets/LocalTime.h"
#include "ui/widgets/PolicyBanner.h"
#include "ui/widgets/ScreenFit.h"
#include "ui/widgets/SteadyLabel.h"
#include "ui/wizard/VideoFrameDialog.h"
#include "ui/accountability/PdfRenderer.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/Background.h"
#include "ui/workstation/CoreServices.h"
#include "ui/workstation/ReloadWhenActivated.h"

namespace facelead::ui {

namespace {

QString esc(const std::string& text) { return QString::fromStdString(text).toHtmlEscaped(); }
QString who(const cases::Person& person, const std::string& when) {
    return QObject::tr("%1, %2").arg(esc(person.displayName.empty() ? "unknown user" : person.displayName),
                                     localTime(when).toHtmlEscaped());
}

// A derived image's recipe; on screen a frame taken from a video links to the video, opened at that frame.
// A cell of the history's tables: escaped, and on paper breakable in its long runs (trial 77 F4: a frame's recipe,
// holding its video's SHA-256, ran off the printed page and cut the columns after it).
QString cellText(const std::string& text, HistoryFor use) {
    return use == HistoryFor::Print ? breakableText(QString::fromStdString(text)) : esc(text);
}

QString recipeText(const cases::ImageRecord& image, HistoryFor use) {
    if (!image.recipeJson) return {};
    auto recipe = imaging::recipeFromJson(*image.recipeJson);
    if (!recipe) return cellText(*image.recipeJson, use);
    QString text = cellText(imaging::describeRecipe(*recipe), use);
    if (use == HistoryFor::Screen && recipe->videoFrame && image.parentId)
        text += QObject::tr(" — <a href='video:%1#%2'>view it in the video</a>").arg(*image.parentId).arg(recipe->videoFrame->frame);
    return text;
}

// How the images table names an image's kind (VI.B.2: the original, a frame of a video, or an enhanced copy).
QString kindText(const cases::ImageRecord& image) {
    if (image.kind != cases::ImageKind::Derived) return QObject::tr("original");
    if (cases::frameTakenFromVideo(image)) return QObject::tr("<b>FRAME</b> of video %1 (not enhanced)").arg(image.parentId.value_or(0));
    return QObject::tr("<b>ENHANCED COPY</b> of %1").arg(image.parentId.value_or(0));
}

// The link that opens an image: a stored video opens in the player, a picture in the viewer.
QString imageLink(const cases::ImageRecord& image) {
    return imaging::isVideoFormat(image.format) ? QObject::tr("<a href='video:%1'>%1</a> (video)").arg(image.id)
                                                : QStringLiteral("<a href='image:%1'>%1</a>").arg(image.id);
}

QString outcomeText(workflow::FollowUpOutcome outcome) {
    const std::string_view name = workflow::followUpOutcomeName(outcome);
    return QString::fromUtf8(name.data(), qsizetype(name.size()));
}

// The candidate's examinations and their resolution, one line each, as list items.
// A lead's history in the order it happened, each step with its time (trial 52 F3: examinations and the resolution
// listed before the follow-ups read as a clearing made after the resolution that forbade it).
using TimedSteps = std::vector<std::pair<std::string, QString>>;

void addJudgements(const JudgementsByCandidate& judgements, std::int64_t candidateId, TimedSteps& steps) {
    const auto found = judgements.find(candidateId);
    if (found == judgements.end()) return;
    for (const cases::ExaminationRecord& e : found->second.examinations)
        steps.emplace_back(e.recordedAt,
                           QObject::tr("<li>%1 by %2 — <b>%3</b>. %4</li>")
                               .arg(e.kind == workflow::ExaminationKind::Verification ? QObject::tr("Independent verification")
                                                                                      : QObject::tr("Blind examination"),
                                    who(e.examiner, e.recordedAt),
                                    esc(std::string(workflow::conclusionLabel(e.examination.conclusion))),
                                    esc(e.examination.note)));
    if (const auto& r = found->second.resolution)
        steps.emplace_back(r->resolvedAt,
                           QObject::tr("<li>Disagreement resolved by %1 — <b>%2</b>%3. %4</li>")
                               .arg(who(r->resolvedBy, r->resolvedAt),
                                    esc(std::string(workflow::conclusionLabel(r->conclusion))),
                                    workflow::supportsLead(r->conclusion)
                                        ? QString()
                                        : QObject::tr(": the lead is neither followed up nor cleared for action on it"),
                                    esc(r->note)));
}

QString purposeOf(workflow::Purpose purpose) {
    const workflow::PurposeInfo& info = workflow::purposeInfo(purpose);
    return QStringLiteral("%1 %2").arg(QString::fromUtf8(info.citation.data(), qsizetype(info.citation.size())),
                                       QString::fromUtf8(info.label.data(), qsizetype(info.label.size())).toHtmlEscaped());
}

}  // namespace

QString renderCaseHistory(const cases::CaseHistory& h, const JudgementsByCandidate& judgements, HistoryFor use) {
    const cases::CaseRecord& c = h.caseRecord;
    QString html = QObject::tr("<h2>Case %1</h2><p><b>Offence:</b> %2<br><b>Assigned case officer:</b> %3<br>"
                               "<b>Status:</b> %4<br><b>Created:</b> %5</p>")
                       .arg(esc(c.caseNumber), esc(c.offence),
                            c.assignedOfficer ? esc(c.assignedOfficer->displayName) : QObject::tr("none"),
                            esc(c.status), who(c.createdBy, c.createdAt));

    html += QObject::tr("<h3>Search requests</h3>");
    if (h.requests.empty()) html += QObject::tr("<p>None.</p>");
    for (const cases::RequestRecord& r : h.requests) {
        const QString purpose = r.request.purpose ? purposeOf(*r.request.purpose) : QObject::tr("(none)");
        QString consent;
        if (r.request.consent) {
            const std::string_view kind = workflow::consentKindLabel(r.request.consent->kind);
            consent = QString::fromUtf8(kind.data(), qsizetype(kind.size()));
        }
        html += QObject::tr("<p><b>Request %1</b> — %2<br>Purpose: %3<br>Justification: %4<br>Consent: %5; "
                            "image source: %6<br>Attested against %7 prohibited uses (VI.B.7)</p>")
                    .arg(r.id)
                    .arg(who(r.requestedBy, r.requestedAt), purpose, esc(r.request.justification), consent,
                         esc(r.request.imageSource))
                    .arg(r.request.attestedNotFor.size());
    }
    // A search asked of a supervisor is part of the case whatever became of it (trial 49 F3).
    if (!h.approvalRequests.empty()) html += QObject::tr("<h3>Searches asked for a supervisor's approval</h3>");
    for (const cases::SearchApproval& a : h.approvalRequests)
        html += QObject::tr("<p><b>Approval request %1</b> — %2<br>Purpose: %3<br>Offence: %4<br>Reason: %5<br>"
                            "Probes named: %6<br>Outcome: %7</p>")
                    .arg(a.id)
                    .arg(who(a.requestedBy, a.requestedAt), purposeOf(a.purpose), esc(a.offence),
                         esc(a.justification), esc(cases::approvalProbesText(a.probes)),
                         esc(cases::approvalOutcomeText(a)));

    html += QObject::tr("<h3>Images</h3><table border='1' cellspacing='0' cellpadding='3'>"
                        "<tr><th>Image</th><th>Kind</th><th>SHA-256</th><th>Size</th><th>Source / recipe</th><th>By, when</th></tr>");
    for (const cases::ImageRecord& i : h.images) {
        const bool derived = i.kind == cases::ImageKind::Derived;
        html += QStringLiteral("<tr><td>%1</td><td>%2</td><td><tt>%3</tt></td><td>%4×%5 %6</td>"
                               "<td>%7</td><td>%8</td></tr>")
                    .arg(imageLink(i), kindText(i),
                         // Printed whole: a hash cut to 16 characters proves nothing on paper (trial 75 F6).
                         use == HistoryFor::Print ? breakableText(QString::fromStdString(i.sha256))
                                                  : QString::fromStdString(i.sha256.substr(0, 16)) + QStringLiteral("…"))
                    .arg(i.width)
                    .arg(i.height)
                    .arg(esc(i.format), derived ? recipeText(i, use) : cellText(i.source, use), who(i.createdBy, i.createdAt));
    }
    html += QStringLiteral("</table>");

    html += QObject::tr("<h3>Searches</h3>");
    for (const cases::SearchRecord& s : h.searches) {
        // Trial 42 F11: a search of several probes read as one of image N alone.
        QStringList images{QString::number(s.imageId)};
        for (const cases::StoredProbe& p : s.furtherProbes) images << QString::number(p.imageId);
        const QString probes = s.furtherProbes.empty()
                                   ? QObject::tr("image %1").arg(images.front())
                                   : QObject::tr("%1 probes of one person (images %2)").arg(images.size()).arg(images.join(QStringLiteral(", ")));
        html += QObject::tr("<p><a href='search:%1'><b>Search %1</b></a> — %2; request %3, %4, %5 "
                            "from %6%7</p>")
                    .arg(s.id)
                    .arg(who(s.runBy, s.runAt))
                    .arg(s.requestId)
                    .arg(probes)
                    .arg(accountability::counted(qsizetype(s.candidates.size()), "candidate", "candidates"),
                         accountability::counted(s.gallerySize, "gallery face", "gallery faces"))
                    .arg(s.poorQualityAcknowledged ? QObject::tr("; poor-quality probe acknowledged") : QString());
        // Each probe's quality as stored, damage and all (trial 73 F4), and a face marked by hand, as stored with the
        // search (issue 10 item 4).
        const auto probeLines = [&](int position, const std::string& qualityJson,
                                    const std::optional<cases::HandMarking>& marking) {
            const QString label = s.furtherProbes.empty() ? QString() : QObject::tr("Probe %1: ").arg(position);
            QString lines = QObject::tr("<p style='margin-left:1.5em'>%1quality %2</p>")
                                .arg(label, esc(face::recordedQualityText(qualityJson)));
            if (marking)
                lines += QObject::tr("<p style='margin-left:1.5em'>%1%2</p>").arg(label, handMarkingLine(*marking).toHtmlEscaped());
            return lines;
        };
        html += probeLines(1, s.qualityJson, s.handMarking);
        for (const cases::StoredProbe& p : s.furtherProbes) html += probeLines(p.position + 1, p.qualityJson, p.handMarking);
        if (s.foundTurnedDegrees)  // intake case C02
            html += QObject::tr("<p style='margin-left:1.5em'>%1</p>").arg(esc(face::foundTurnedText(s.foundTurnedDegrees)));
    }

    html += QObject::tr("<h3>Leads</h3>");
    if (h.leads.empty()) html += QObject::tr("<p>No candidate has been marked yet.</p>");
    for (const cases::LeadRecord& l : h.leads) {
        QString subject;
        for (const cases::SearchRecord& s : h.searches)
            for (const cases::CandidateRecord& cand : s.candidates)
                if (cand.id == l.candidateId)
                    // The rank as the reader may see it: "hidden until examined" for one who has not recorded
                    // their blind examination, whose record holds no rank (trial 12: it read "rank 0").
                    subject = QObject::tr("search %1, rank %2, %3")
                                  .arg(s.id)
                                  .arg(esc(cases::rankText(cand)), esc(cand.subjectName));
        const bool cleared = l.status == workflow::LeadStatus::ClearedForAction;
        html += QObject::tr("<p><b>Lead %1</b> (%2): <span style='%3'>%4</span><br>Marked by %5: %6</p>")
                    .arg(l.id)
                    .arg(subject, cleared ? QStringLiteral("color:#1b5e20;font-weight:bold") : QStringLiteral("font-weight:bold"),
                         leadStatusText(l.status), who(l.markedBy, l.markedAt), esc(l.note));
        html += QStringLiteral("<ul>");
        // Follow-ups and reviews in the order they happened, each review naming the follow-up it covered (trial 51 F6:
        // a clearing review listed after a later line-up-only follow-up read as clearing that one).
        TimedSteps steps;
        addJudgements(judgements, l.candidateId, steps);
        for (const cases::FollowUpRecord& f : l.followUps)
            steps.emplace_back(f.recordedAt,
                               QObject::tr("<li>Follow-up %1 by %2 — outcome <b>%3</b>. Steps: %4 Evidence: %5<br>"
                                           "Evidence items: %6<br>Discrepancy checklist: %7</li>")
                                   .arg(f.id)
                                   .arg(who(f.recordedBy, f.recordedAt), outcomeText(f.followUp.outcome),
                                        esc(text::sentence(f.followUp.stepsTaken)), esc(f.followUp.corroboratingEvidence),
                                        esc(workflow::evidenceItemsText(f.followUp.evidence)),
                                        esc(workflow::checklistText(f.followUp.checklist))));
        for (const cases::ReviewRecord& r : l.reviews)
            steps.emplace_back(r.reviewedAt,
                               QObject::tr("<li>Supervisor review %1 of %2 by %3 — <b>%4</b>. %5</li>")
                                   .arg(r.id)
                                   .arg(r.followUpId ? QObject::tr("follow-up %1").arg(*r.followUpId) : QObject::tr("the lead"),
                                        who(r.reviewedBy, r.reviewedAt), leadStatusText(r.decision), esc(r.note)));
        for (const std::string& at : l.reopenedAt)
            steps.emplace_back(at, QStringLiteral("<li><b>%1</b></li>").arg(esc(cases::reopenedText(at))));
        std::stable_sort(steps.begin(), steps.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (const auto& step : steps) html += step.second;
        html += QStringLiteral("</ul>");
    }
    return html;
}

CaseWindow::CaseWindow(AppContext& context, std::int64_t caseId, QWidget* parent)
    : QWidget(parent, Qt::Window), context_(context), caseId_(caseId), view_(new QTextBrowser(this)), error_(new QLabel(this)),
      notice_(new QLabel(this)), newSearch_(new QPushButton(tr("New &search in this case…"), this)) {
    setObjectName(QStringLiteral("caseWindow"));
    setAttribute(Qt::WA_DeleteOnClose);
    view_->setOpenLinks(false);
    view_->setAccessibleName(tr("Case history"));
    makeErrorLine(*error_);
    newSearch_->setObjectName(QStringLiteral("newSearchButton"));
    newSearch_->setEnabled(false);  // until the core's search gate has answered (reload)
    auto* refresh = new QPushButton(tr("&Refresh"), this);
    auto* exportButton = new QPushButton(tr("&Export history (PDF)…"), this);
    auto* discloseButton = new QPushButton(tr("&Disclosure packet…"), this);
    discloseButton->setObjectName(QStringLiteral("discloseButton"));
    discloseButton->setToolTip(tr("Every search of this case, whatever it found, for discovery: a JSON record and a "
                                  "PDF (the case's officer, a supervisor or a program administrator)"));
    discloseButton->setEnabled(workflow::mayPerform(context_.user().roles, workflow::Action::DiscloseCase));
    notice_->setWordWrap(true);
    notice_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new PolicyBanner(PolicyBanner::Kind::Intelligence, this));
    layout->addWidget(new PolicyBanner(PolicyBanner::Kind::LeadOnly, this));
    if (context_.trainingMode()) layout->addWidget(new PolicyBanner(PolicyBanner::Kind::Training, this));
    layout->addWidget(error_);
    layout->addWidget(notice_);
    layout->addWidget(view_, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(newSearch_);
    buttons->addWidget(refresh);
    buttons->addStretch();
    buttons->addWidget(exportButton);
    buttons->addWidget(discloseButton);
    // Trials 26 F8, 28: a window of its own, with no way to close it where there is no window manager.
    auto* close = new QPushButton(tr("&Close"), this);
    close->setObjectName(QStringLiteral("closeCaseWindow"));
    buttons->addWidget(close);
    connect(close, &QPushButton::clicked, this, &QWidget::close);
    connect(new QShortcut(QKeySequence(Qt::Key_Escape), this), &QShortcut::activated, this, &QWidget::close);
    layout->addLayout(buttons);
    connect(view_, &QTextBrowser::anchorClicked, this, &CaseWindow::openLink);
    connect(refresh, &QPushButton::clicked, this, &CaseWindow::reload);
    connect(newSearch_, &QPushButton::clicked, this, [this] {
        if (history_) emit newSearchRequested(QString::fromStdString(history_->caseRecord.caseNumber));
    });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(this, tr("Export case history"), QString(), tr("PDF (*.pdf)"));
        if (!file.isEmpty() && !exportPdf(file))
            QMessageBox::warning(this, tr("Export failed"), tr("The PDF could not be written to %1.").arg(file));
    });
    connect(discloseButton, &QPushButton::clicked, this, &CaseWindow::askForDisclosure);
    resizeToFit(*this, {1000, 800});
    new ReloadWhenActivated(context_, *this, [this] { reload(); });  // issue 9: stale after another program
    reload();
}

// Trial 46 F2: the packet lists every rank and score, so making it ends the reader's blind examination of the case's
// candidates they have not examined; the core counts them and the reader decides knowing it.
void CaseWindow::askForDisclosure() {
    runWithProgress(
        this, context_, tr("Reading the case…"),
        [id = caseId_](CoreServices& s, const JobProgress&) -> Result<std::size_t> {
            return reports::blindExaminationsTheDisclosureEnds(s.session(), s.cases(), id);
        },
        [this](const Result<std::size_t>& spent) {
            if (!spent) {
                error_->setText(QString::fromStdString(spent.error().message));
                return;
            }
            if (*spent > 0 &&
                QMessageBox::question(
                    this, tr("Disclosure packet"),
                    tr("The packet lists every candidate's rank and score. You have not examined %n candidate(s) of "
                       "this case: once you have made it, you can no longer examine them blind, and another examiner "
                       "must (issue 11). Make the packet?", nullptr, int(*spent))) != QMessageBox::Yes)
                return;
            const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder for the disclosure packet"));
            if (!folder.isEmpty()) disclose(folder);
        });
}

void CaseWindow::disclose(const QString& folder) {
    runWithProgress(
        this, context_, tr("Preparing the disclosure packet…"),
        [id = caseId_, folder = folder.toStdString()](CoreServices& s, const JobProgress& progress) -> Result<int> {
            FACELEAD_TRY(checkFolderTakesPacket(folder));
            auto packet = reports::generateDisclosure(s.session(), s.cases(), id, progress.progressFn());
            if (!packet) return packet.error();
            return writeDisclosureFiles(*packet, folder);
        },
        [this, folder](const Result<int>& pages) {
            if (!pages) {
                error_->setText(QString::fromStdString(pages.error().message));
                return;
            }
            error_->clear();
            notice_->setText(tr("Disclosure packet written to %1: %2 and %3 (%n page(s)). The disclosure is in the "
                                "audit log.", nullptr, *pages)
                                 .arg(folder, QLatin1String(kPacketJsonName), QLatin1String(kPacketPdfName)));
        });
}

QString CaseWindow::notice() const { return error_->text().isEmpty() ? notice_->text() : error_->text(); }

namespace {
// The history, and whether the signed-in user may search now (the core's gate, only asked: not audited).
struct CaseView {
    cases::CaseHistory history;
    std::optional<std::string> searchRefusal;
    JudgementsByCandidate judgements;
};

Result<JudgementsByCandidate> judgementsOf(CoreServices& s, const cases::CaseHistory& history) {
    JudgementsByCandidate judgements;
    for (const cases::LeadRecord& lead : history.leads) {
        auto examinations = s.cases().examinations(lead.candidateId);
        if (!examinations) return examinations.error();
        auto resolution = s.cases().resolution(lead.candidateId);
        if (!resolution) return resolution.error();
        judgements[lead.candidateId] = {std::move(*examinations), std::move(*resolution)};
    }
    return judgements;
}
}  // namespace

void CaseWindow::reload() {
    context_.store().run(this, [id = caseId_](CoreServices& s) -> Result<CaseView> {
                             auto history = s.cases().caseHistory(id);
                             if (!history) return history.error();
                             auto judgements = judgementsOf(s, *history);
                             if (!judgements) return judgements.error();
                             const auto gate = s.cases().searchGate();
                             return CaseView{std::move(*history), gate ? std::nullopt : std::optional(gate.error().message),
                                             std::move(*judgements)};
                         },
                         [this](Result<CaseView> view) {
                             if (!view) {
                                 error_->setText(QString::fromStdString(view.error().message));
                                 return;
                             }
                             error_->clear();
                             newSearch_->setEnabled(!view->searchRefusal);
                             newSearch_->setToolTip(view->searchRefusal ? QString::fromStdString(*view->searchRefusal)
                                                                        : tr("A new search request in this case"));
                             history_ = std::move(view->history);
                             judgements_ = std::move(view->judgements);
                             setWindowTitle(tr("Case %1 — FaceLead").arg(QString::fromStdString(history_->caseRecord.caseNumber)));
                             view_->setHtml(historyHtml());
                             emit reloaded();
                         });
}

QString CaseWindow::historyHtml() const { return history_ ? renderCaseHistory(*history_, judgements_) : QString(); }

bool CaseWindow::exportPdf(const QString& file) {
    if (!history_) return false;
    // Printed as the reports are: the markings and the lead-only disclaimer on every page, the file owner-only.
    const PageMarkings markings{tr("Case history — %1").arg(QString::fromStdString(history_->caseRecord.caseNumber)),
                                QString::fromStdString(context_.agencySettings().agencyName), context_.trainingMode()};
    return renderHtmlPdf(markings, renderCaseHistory(*history_, judgements_, HistoryFor::Print), file).ok();
}

void CaseWindow::openLink(const QUrl& url) {
    const std::int64_t id = url.path().toLongLong();
    if (url.scheme() == QLatin1String("search")) emit searchOpened(id);
    if (url.scheme() == QLatin1String("image")) showImage(id);
    if (url.scheme() == QLatin1String("video"))
        showVideo(id, url.hasFragment() ? std::optional(url.fragment().toLongLong()) : std::nullopt);
}

void CaseWindow::showVideo(std::int64_t imageId, std::optional<std::int64_t> frame) {
    // readVideo re-checks the SHA-256 and is audited as viewed; the player decodes off the UI thread.
    context_.store().run(this, [imageId](CoreServices& s) { return s.cases().readVideo(imageId); },
                         [this, frame](Result<cases::StoredVideo> video) {
                             if (!video) {
                                 QMessageBox::warning(this, tr("Video"), QString::fromStdString(video.error().message));
                                 return;
                             }
                             auto* player = new VideoFrameDialog(context_, std::move(*video), frame, this);
                             player->setAttribute(Qt::WA_DeleteOnClose);
                             player->show();
                             emit videoShown(player);
                         });
}

void CaseWindow::showImage(std::int64_t imageId) {
    // readImage re-checks the SHA-256 and is audited as viewed.
    context_.store().run(this, [imageId](CoreServices& s) { return s.cases().readImage(imageId); },
                         [this, imageId](Result<cases::LoadedImage> image) { showImage(imageId, image); });
}

void CaseWindow::showImage(std::int64_t imageId, const Result<cases::LoadedImage>& image) {
    if (!image) {
        QMessageBox::warning(this, tr("Image"), QString::fromStdString(image.error().message));
        return;
    }
    auto* dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const bool frame = cases::frameTakenFromVideo(image->record).has_value();
    const bool derived = image->record.kind == cases::ImageKind::Derived && !frame;
    dialog->setWindowTitle(frame     ? tr("Image %1 — frame of video %2").arg(imageId).arg(image->record.parentId.value_or(0))
                           : derived ? tr("Image %1 — ENHANCED COPY").arg(imageId)
                                     : tr("Image %1 — original").arg(imageId));
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(new PolicyBanner(PolicyBanner::Kind::Intelligence, dialog));
    auto* view = new ImageView(dialog);
    view->setImage(toQImage(image->image.rgb));
    if (derived) view->setStamp(tr("ENHANCED COPY — not the original (SOP 302.02 VI.B.2)"));
    layout->addWidget(view, 1);
    auto* facts = new QLabel(tr("SHA-256 %1 (verified on this read)").arg(QString::fromStdString(image->record.sha256)), dialog);
    facts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(facts);
    resizeToFit(*dialog, {800, 700});
    dialog->show();
}

}  // namespace facelead::ui
