// CaseService: the history of a case (for the case view and the PDF report) and the work lists.

#include "core/cases/CaseService.h"
#include "core/cases/detail/Audit.h"
#include "core/cases/detail/NeedToKnow.h"
#include "core/cases/detail/Rows.h"

namespace facelead::cases {

using detail::queryAll;

Result<CaseHistory> CaseService::caseHistory(std::int64_t caseId) {
    auto user = detail::caseReader(session_, caseId);
    if (!user) return user.error();
    store::Store& store = session_.store();
    CaseHistory history;
    auto caseRecord = detail::loadCase(store, caseId);
    if (!caseRecord) return caseRecord.error();
    history.caseRecord = std::move(*caseRecord);

    auto requests = queryAll(store, std::string(detail::kRequestSelect) + " WHERE r.case_id = ? ORDER BY r.id",
                             detail::readRequest, caseId);
    if (!requests) return requests.error();
    history.requests = std::move(*requests);

    auto images = queryAll(store, std::string(detail::kImageSelect) + " WHERE i.case_id = ? ORDER BY i.id",
                           detail::readImage, caseId);
    if (!images) return images.error();
    history.images = std::move(*images);

    auto searchIds = queryAll(
        store, "SELECT s.id FROM searches s JOIN search_requests r ON r.id = s.request_id WHERE r.case_id = ? ORDER BY s.id",
        [](const store::Statement& row) { return row.getInt(0); }, caseId);
    if (!searchIds) return searchIds.error();
    for (std::int64_t searchId : *searchIds) {
        auto search = detail::loadSearch(store, searchId);
        if (!search) return search.error();
        for (const auto& candidate : search->candidates) {
            if (!candidate.leadId) continue;
            auto lead = detail::loadLeadOfCandidate(store, candidate.id);
            if (!lead) return lead.error();
            history.leads.push_back(std::move(*lead));
        }
        FACELEAD_TRY(withholdRanks(*user, search->candidates));
        history.searches.push_back(std::move(*search));
    }

    auto approvalRequests = approvalRequestsOfCase(history.caseRecord.caseNumber);
    if (!approvalRequests) return approvalRequests.error();
    history.approvalRequests = std::move(*approvalRequests);

    FACELEAD_TRY(store.transact([&](store::Transaction& tx) -> Result<void> {
        for (const SearchRecord& search : history.searches) FACELEAD_TRY(recordRanksShown(tx, *user, search));
        return detail::recordEvent(tx, user->id, "case.viewed", "case", caseId,
                                   {{"case_number", history.caseRecord.caseNumber}});
    }));
    return history;
}

Result<std::vector<SearchSummary>> CaseService::mySearches() {
    auto user = currentUser(workflow::Action::RunSearch);
    if (!user) return user.error();
    return queryAll(
        session_.store(),
        "SELECT s.id, c.id, c.case_number, r.purpose_code, s.run_at, "
        "(SELECT count(*) FROM candidates WHERE search_id = s.id) FROM searches s "
        "JOIN search_requests r ON r.id = s.request_id JOIN cases c ON c.id = r.case_id "
        "WHERE s.run_by = ? ORDER BY s.id DESC",
        [](const store::Statement& row) {
            return SearchSummary{row.getInt(0), row.getInt(1), row.getText(2), row.getText(3), row.getText(4),
                                 static_cast<int>(row.getInt(5))};
        },
        user->id);
}

Result<std::vector<LeadSummary>> CaseService::leadsAwaitingMyFollowUp() {
    auto user = currentUser(workflow::Action::RecordFollowUp);
    if (!user) return user.error();
    return queryAll(session_.store(),
                    std::string(detail::kLeadSummarySelect) +
                        " WHERE cs.assigned_officer_id = ? AND l.status IN ('possible_lead', 'returned_for_follow_up')"
                        " ORDER BY l.updated_at, l.id",
                    detail::readLeadSummary, user->id);
}

Result<std::vector<LeadSummary>> CaseService::reviewsAwaitingMe() {
    auto user = currentUser(workflow::Action::ReviewFollowUp);
    if (!user) return user.error();
    // VI.C.1: never one's own follow-up, nor a lead one examined, marked or settled the disagreement on (planReview),
    // so those are not offered.
    return queryAll(session_.store(),
                    std::string(detail::kLeadSummarySelect) +
                        " WHERE l.status = 'follow_up_recorded' AND fu.recorded_by <> ?1 AND l.marked_by <> ?1 AND NOT "
                        "EXISTS (SELECT 1 FROM examinations e WHERE e.candidate_id = l.candidate_id AND e.examiner_id = ?1) "
                        "AND NOT EXISTS (SELECT 1 FROM examination_resolutions x WHERE x.candidate_id = l.candidate_id "
                        "AND x.resolved_by = ?1) ORDER BY l.updated_at, l.id",
                    detail::readLeadSummary, user->id);
}

}  // namespace facelead::cases
