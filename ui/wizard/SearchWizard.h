#pragma once
// The search wizard (SOP 302.02): 1 case and purpose, 2 probe image and consent, 3 enhancement on a copy,
// 4 face selection, 5 review and run. Next stays disabled until a page is complete; the pages show the
// core's own policy messages (workflow::findIssues). Run hands ONE request to the core, which validates
// everything again; its refusal is shown on the review page.

#include <QWizard>

#include <cstdint>
#include <functional>
#include <optional>

#include "ui/wizard/SearchDraft.h"
#include "ui/wizard/SearchRunner.h"

namespace facelead::ui {

class AppContext;
class PurposePage;
class ProbePage;
class EnhancePage;
class FacePage;
class ReviewPage;

class SearchWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { Purpose, Probe, Enhance, Face, Review };

    SearchWizard(AppContext& context, const QString& caseNumber = {}, QWidget* parent = nullptr);
    ~SearchWizard() override;

    AppContext& context() { return context_; }
    SearchDraft& draft() { return draft_; }
    const SearchDraft& draft() const { return draft_; }

    // The id of the search the core stored (after a successful Run), for the results view.
    std::optional<std::int64_t> searchId() const { return searchId_; }
    // Records the stored search and closes the wizard for edits (issue 9 item 2): pages 1-4 leave the
    // wizard, so there is no "< Back" to change a face, a box or a consent that is already recorded; the
    // review page shows the stored record.
    void setSearchId(std::int64_t id);

    // "New search from a copy…": reads the stored search's further probes back from the store in the background
    // (progress, Cancel; copiedProbes), then closes this wizard; the caller opens a new one with copy().
    // A failure is shown on the review page and the wizard stays open.
    void startFromCopy();
    bool copying() const { return copying_; }
    bool copyRequested() const { return copyRequested_; }
    // The draft to start a new search from: the request, the probe file and the further probes as stored (issue 10
    // item 6: each original read from the store, its searched face found again); nothing new stored or detected on
    // the first probe.
    SearchDraft copy() const;
    // Fills the pages from a copied draft (case, offence, purpose, justification, attestations, probe file,
    // consent, image source, further probes). Used before exec().
    void prefill(const SearchDraft& from);

    PurposePage* purposePage() const { return purposePage_; }
    ProbePage* probePage() const { return probePage_; }
    EnhancePage* enhancePage() const { return enhancePage_; }
    FacePage* facePage() const { return facePage_; }
    ReviewPage* reviewPage() const { return reviewPage_; }

    // Closing is refused while a search runs (its Cancel button stops it and rolls everything back); before
    // the search is stored, closing asks first when something was typed or a probe chosen.
    void reject() override;

private:
    bool hasUnsavedInput() const;
    bool confirmDiscard();  // true: the user chose to discard
    AppContext& context_;
    SearchDraft draft_;
    std::optional<std::int64_t> searchId_;
    bool copyRequested_ = false;
    bool copying_ = false;
    CopiedProbes copiedProbes_;  // read back from the store by startFromCopy
    PurposePage* purposePage_;
    ProbePage* probePage_;
    EnhancePage* enhancePage_;
    FacePage* facePage_;
    ReviewPage* reviewPage_;
};

}  // namespace facelead::ui
