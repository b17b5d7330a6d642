#include "core/reports/Retention.h"

#include <nlohmann/json.hpp>

#include "core/accounts/Authority.h"
#include "core/admin/Administration.h"
#include "core/audit/AuditLog.h"

namespace facelead::reports {
namespace {

Result<std::vector<RetentionItem>> olderThan(store::Store& store, const char* sql, int days) {
    std::vector<RetentionItem> items;
    if (days == 0) return items;
    const TimePoint now = store.now();
    auto statement = store.prepare(sql);
    if (!statement) return statement.error();
    statement->bind(1, toIsoUtc(now - std::chrono::days(days)));
    for (;;) {
        auto more = statement->step();
        if (!more) return more.error();
        if (!*more) return items;
        RetentionItem item{statement->getInt(0), statement->getText(1), statement->getText(2), 0};
        TimePoint at;
        if (fromIsoUtc(item.at, at))
            item.ageDays = static_cast<int>(std::chrono::floor<std::chrono::days>(now - at).count());
        items.push_back(std::move(item));
    }
}

}  // namespace

Result<RetentionReview> reviewRetention(accounts::Session& session) {
    return accounts::refusalsAudited(session, "retention.review", [&]() -> Result<RetentionReview> {
        FACELEAD_TRY(accounts::authorize(session, workflow::Action::RunAudit));
        auto& store = session.store();
        auto settings = admin::loadSettings(store);
        if (!settings) return settings.error();
        const auto pack = admin::policySettings(*settings).pack;
        RetentionReview review{pack.name(), pack.retentionCitation, pack.probeRetentionDays,
                               pack.searchRecordRetentionDays, {}, {}};
        auto probes = olderThan(store,
                                "SELECT i.id, c.case_number, i.created_at FROM images i JOIN cases c ON c.id = i.case_id "
                                "WHERE i.kind = 'original' AND i.created_at < ? ORDER BY i.created_at, i.id",
                                pack.probeRetentionDays);
        if (!probes) return probes.error();
        review.probes = std::move(*probes);
        auto searches = olderThan(store,
                                  "SELECT s.id, c.case_number, s.run_at FROM searches s JOIN search_requests r ON "
                                  "r.id = s.request_id JOIN cases c ON c.id = r.case_id WHERE s.run_at < ? "
                                  "ORDER BY s.run_at, s.id",
                                  pack.searchRecordRetentionDays);
        if (!searches) return searches.error();
        review.searches = std::move(*searches);
        FACELEAD_TRY(store.transact([&](store::Transaction& tx) {
            return audit::AuditLog::append(
                tx, {session.userId(), "retention.reviewed", "retention", "",
                     nlohmann::json{{"pack", pack.id}, {"probes_due", review.probes.size()},
                                    {"searches_due", review.searches.size()}}.dump()});
        }));
        return review;
    });
}

}  // namespace facelead::reports
