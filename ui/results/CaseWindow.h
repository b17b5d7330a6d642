#pragma once
// The whole history of a case (SOP 302.02 VI.B.2, VI.B.3, VI.C.1, VI.C.2): requests, images (originals and
// their enhanced copies with the recipe), searches and candidates, leads, follow-ups and reviews, each with
// who and when. Opening it is audited by the core ("case.viewed"). Links open a search's results or an
// image (a derived image always shows the ENHANCED COPY stamp). Export writes a PDF carrying both banners.
// "Disclosure packet" writes the case's discovery packet (core/reports/Disclosure.h) in the background.

#include <QWidget>

#include <cstdint>
#include <map>
#include <optional>

#include "core/cases/CaseService.h"

class QDialog;
class QLabel;
class QPushButton;
class QTextBrowser;

namespace facelead::ui {

class AppContext;

// What the examiners and a supervisor concluded on a lead's candidate, as the reader may read it (the blind rule).
struct LeadJudgements {
    std::vector<cases::ExaminationRecord> examinations;  // the examination, then the verifications
    std::optional<cases::ResolutionRecord> resolution;
};
using JudgementsByCandidate = std::map<std::int64_t, LeadJudgements>;

class CaseWindow : public QWidget {
    Q_OBJECT
public:
    CaseWindow(AppContext& context, std::int64_t caseId, QWidget* parent = nullptr);
    std::int64_t caseId() const { return caseId_; }

    void reload();
    QString historyHtml() const;
    // Writes the history as a PDF with the lead-only notice and the VI.B.6 marking on it.
    bool exportPdf(const QString& file);
    // Writes packet.json and packet.pdf into folder off the UI thread (runWithProgress); the outcome, or the
    // core's refusal word for word, is shown in the window. Who may is the core's rule.
    void disclose(const QString& folder);
    QString notice() const;  // the last outcome shown
    // What a click on a link of the history does (also the test's way in): search:ID, image:ID, video:ID[#FRAME].
    void openLink(const QUrl& url);

signals:
    void newSearchRequested(const QString& caseNumber);
    void searchOpened(std::int64_t searchId);
    void reloaded();  // the history was read back from the store
    void videoShown(QDialog* player);  // a stored video opened in the player (tests find it by this)

private:
    // The "Disclosure packet…" button: says how many blind examinations the packet ends (the core counts), then asks
    // for the folder.
    void askForDisclosure();
    void showImage(std::int64_t imageId);
    void showImage(std::int64_t imageId, const Result<cases::LoadedImage>& image);
    // A stored video in the player, at `frame` when given (the frame a search took from it).
    void showVideo(std::int64_t imageId, std::optional<std::int64_t> frame);

    AppContext& context_;
    std::int64_t caseId_;
    std::optional<cases::CaseHistory> history_;
    JudgementsByCandidate judgements_;
    QTextBrowser* view_;
    QLabel* error_;
    QLabel* notice_;
    QPushButton* newSearch_;
};

// Where the history is shown: on screen its links open what they name; on paper words such as "view it in the video"
// mean nothing (trial 74 F5: the exported PDF printed them).
enum class HistoryFor { Screen, Print };

// Renders the history (also used by the export); each lead with its candidate's judgements (trial 31 M6: a lead
// resolved as Exclusion read as a corroborated lead awaiting review).
QString renderCaseHistory(const cases::CaseHistory& history, const JudgementsByCandidate& judgements = {},
                          HistoryFor use = HistoryFor::Screen);

}  // namespace facelead::ui
