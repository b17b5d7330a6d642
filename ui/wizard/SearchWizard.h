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
    void setSearchId(std::int64_t id) { searchId_ = id; }

    PurposePage* purposePage() const { return purposePage_; }
    ProbePage* probePage() const { return probePage_; }
    EnhancePage* enhancePage() const { return enhancePage_; }
    FacePage* facePage() const { return facePage_; }
    ReviewPage* reviewPage() const { return reviewPage_; }

    // Closing is refused while a search runs (its Cancel button stops it and rolls everything back).
    void reject() override;

private:
    AppContext& context_;
    SearchDraft draft_;
    std::optional<std::int64_t> searchId_;
    PurposePage* purposePage_;
    ProbePage* probePage_;
    EnhancePage* enhancePage_;
    FacePage* facePage_;
    ReviewPage* reviewPage_;
};

}  // namespace facelead::ui
