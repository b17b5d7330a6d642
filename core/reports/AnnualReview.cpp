#include "core/reports/AnnualReview.h"

#include <algorithm>

#include "core/accounts/AccountService.h"
#include "core/accounts/Authority.h"
#include "core/admin/Administration.h"
#include "core/audit/AuditLog.h"
#include "core/cases/CaseService.h"
#include "core/common/Text.h"
#include "core/training/TrainingService.h"
#include "core/workflow/Purposes.h"

namespace facelead::reports {
namespace {

TimePoint startOfYear(int year) {
    return std::chrono::sys_days{std::chrono::year{year} / std::chrono::January / 1};
}

std::string purposeCitation(const std::string& code) {
    const auto purpose = workflow::purposeFromCode(code);
    return purpose ? std::string(workflow::purposeInfo(*purpose).citation) : code;
}

std::string optionalTime(const std::optional<TimePoint>& t) { return t ? toIsoUtc(*t) : std::string(); }

bool isAccountEvent(const std::string& action) {
    for (const char* prefix : {"user.approved", "user.suspended", "user.deactivated", "user.reactivated",
                               "user.created", "user.added", "user.training", "user.roles",
                               "user.role_change"})
        if (action.rfind(prefix, 0) == 0) return true;
    return false;
}

// Each operator as the signed log shows them (roles, status, name, training: Session::signedGrantsOf).
Result<AnnualReview> annualReviewOf(accounts::Session& session, int year, const ProgressFn& progress) {
    auto& store = session.store();
    if (year < 2000 || year > 2200) return makeError(ErrorCode::InvalidArgument, "Choose a year between 2000 and 2200.");
    auto settings = admin::loadSettings(store);
    if (!settings) return settings.error();
    auto trainingStore = training::isTrainingStore(store);
    if (!trainingStore) return trainingStore.error();
    const TimePoint from = startOfYear(year);
    const TimePoint to = startOfYear(year + 1);
    const TimePoint yearEnd = std::min(to, store.now());

    AnnualReview review;
    review.year = year;
    review.trainingStore = *trainingStore;
    review.licenceSeats = settings->licenceSeats;
    review.inactivityDays = settings->inactivityDays;

    auto ids = store.prepare("SELECT id FROM users WHERE created_at < ? ORDER BY username");
    if (!ids) return ids.error();
    ids->bind(1, toIsoUtc(to));
    std::vector<std::int64_t> userIds;
    for (;;) {
        auto row = ids->step();
        if (!row) return row.error();
        if (!*row) break;
        userIds.push_back(ids->getInt(0));
    }

    audit::AuditFilter accountFilter;
    accountFilter.objectType = "user";
    accountFilter.from = from;
    accountFilter.to = to;
    auto accountEntries = audit::AuditLog::list(store, accountFilter);
    if (!accountEntries) return accountEntries.error();

    const int total = static_cast<int>(userIds.size());
    for (int i = 0; i < total; ++i) {
        FACELEAD_TRY(reportStep(progress, i, total, "Operators", "annual review"));
        auto stored = accounts::loadUser(store, userIds[static_cast<std::size_t>(i)]);
        if (!stored) return stored.error();
        auto granted = session.signedGrantsOf(std::move(*stored));
        if (!granted) return granted.error();
        const accounts::User* user = &granted->user;
        auto lastActivity = admin::latestLoggedActivity(store, user->id, to);  // not the table's (trial 21A N2)
        if (!lastActivity) return lastActivity.error();
        // Accounts deactivated before the year began held no licence during it.
        if (user->deactivatedAt && *user->deactivatedAt < from) continue;

        OperatorYear op;
        op.userId = user->id;
        op.username = user->username;
        op.displayName = user->displayName;
        for (const auto role : user->roles)
            op.roles += (op.roles.empty() ? "" : ", ") + std::string(workflow::roleLabel(role));
        op.statusNow = std::string(workflow::statusName(user->status));
        op.approvedAt = optionalTime(user->approvedAt);
        const auto completedByYearEnd =
            user->trainingCompletedAt && *user->trainingCompletedAt < to ? user->trainingCompletedAt : std::nullopt;
        op.trainingAtYearEnd = training::trainingStatus(completedByYearEnd, yearEnd, settings->trainingValidityDays);
        op.trainingCompletedAt = optionalTime(user->trainingCompletedAt);
        op.lastActivityAt = optionalTime(*lastActivity);
        if (*lastActivity && **lastActivity <= yearEnd)
            op.daysInactiveAtYearEnd =
                static_cast<int>(std::chrono::floor<std::chrono::days>(yearEnd - **lastActivity).count());

        auto searches = store.prepare(
            "SELECT r.purpose_code, count(*) FROM searches s JOIN search_requests r ON r.id = s.request_id "
            "WHERE s.run_by = ? AND s.run_at >= ? AND s.run_at < ? GROUP BY 1 ORDER BY 2 DESC, 1");
        if (!searches) return searches.error();
        searches->bind(1, user->id).bind(2, toIsoUtc(from)).bind(3, toIsoUtc(to));
        for (;;) {
            auto row = searches->step();
            if (!row) return row.error();
            if (!*row) break;
            const int count = static_cast<int>(searches->getInt(1));
            op.searchesPerPurpose.emplace_back(purposeCitation(searches->getText(0)), count);
            op.searches += count;
        }
        review.totalSearches += op.searches;

        for (const auto& e : *accountEntries) {
            if (e.objectId != std::to_string(user->id) || !isAccountEvent(e.action)) continue;
            op.accountEvents.push_back(e.at.substr(0, 10) + " " + e.action + " by " + e.username);
            if (e.action.rfind("user.deactivated", 0) == 0) ++review.deactivationsInYear;
        }
        review.operators.push_back(std::move(op));
    }
    return review;
}

}  // namespace

Result<void> requireCasesAsSigned(accounts::Session& session, const std::string& report) {
    auto edited = cases::editedCaseRecords(session);
    if (!edited) return edited.error();
    if (edited->empty()) return {};
    return makeError(ErrorCode::AuditChainBroken,
                     report + " counts the searches of every case, and " +
                         text::counted(edited->size(), "case was", "cases were") + " edited outside FaceLead (the first: " +
                         edited->front() + ") Audit verify names them; the report waits until they are looked into.");
}

Result<AnnualReview> computeAnnualReview(accounts::Session& session, int year, const ProgressFn& progress) {
    return accounts::refusalsAudited(session, "annual_review.compute", [&]() -> Result<AnnualReview> {
        FACELEAD_TRY(accounts::authorize(session, workflow::Action::ProduceReport));
        FACELEAD_TRY(requireCasesAsSigned(session, "The annual review"));
        auto review = annualReviewOf(session, year, progress);
        if (!review) return review;
        auto auditLog = auditLogState(session.store());
        if (!auditLog) return auditLog.error();
        review->auditLog = std::move(*auditLog);
        return review;
    });
}


ReportDocument annualReviewReport(const AnnualReview& review, const std::string& agencyName,
                                  const std::string& generatedBy, TimePoint generatedAt) {
    ReportDocument doc;
    doc.title = "Annual review of facial recognition usage " + std::to_string(review.year);
    doc.agencyName = agencyName;
    doc.generatedBy = generatedBy;
    doc.generatedAt = toIsoUtc(generatedAt);
    doc.trainingStore = review.trainingStore;
    doc.sections.push_back(
        {"Summary (SOP 302.02 VI.C.2.c)",
         {Fields{{{"Year", std::to_string(review.year)},
                  {"Accounts reviewed", std::to_string(review.operators.size())},
                  {"Licence seats", std::to_string(review.licenceSeats)},
                  {"Searches in the year", std::to_string(review.totalSearches)},
                  {"Deactivations in the year", std::to_string(review.deactivationsInYear)},
                  {"Inactivity period", std::to_string(review.inactivityDays) + " days (VI.C.2 NOTE)"}}},
          Paragraph{"Usage by each licensed operator over the year: searches and the authorized purposes they cited "
                    "(VI.A), training status (VI.D.2.b), last activity and account changes."}}});
    doc.sections.push_back(auditLogSection(review.auditLog,
                                           "the searches, last activities and account changes below are read from "
                                           "it and may be wrong (an entry written under a clock set wrong is counted "
                                           "in the wrong year; a deleted one not at all)."));
    Table table{{"Operator", "Roles", "Status now", "Training at year end", "Searches", "Purposes",
                 "Last activity", "Days inactive"},
                {}};
    for (const auto& op : review.operators) {
        std::string purposes;
        for (const auto& [citation, count] : op.searchesPerPurpose)
            purposes += (purposes.empty() ? "" : ", ") + citation + " \u00d7" + std::to_string(count);
        table.rows.push_back({op.username + " (" + op.displayName + ")", op.roles, op.statusNow,
                              std::string(training::trainingStatusLabel(op.trainingAtYearEnd)) +
                                  (op.trainingCompletedAt.empty() ? "" : " " + op.trainingCompletedAt.substr(0, 10)),
                              std::to_string(op.searches), purposes.empty() ? "-" : purposes,
                              op.lastActivityAt.empty() ? "never" : op.lastActivityAt.substr(0, 10),
                              op.daysInactiveAtYearEnd ? std::to_string(*op.daysInactiveAtYearEnd) : "-"});
    }
    doc.sections.push_back({"Operators", {std::move(table)}});
    Table events{{"Operator", "Account events in the year (approval, suspension, deactivation, training)"}, {}};
    for (const auto& op : review.operators)
        for (const auto& event : op.accountEvents) events.rows.push_back({op.username, event});
    doc.sections.push_back({"Account changes", {std::move(events)}});
    return doc;
}

}  // namespace facelead::reports
