// The annual review of usage by each licensed operator (SOP 302.02 VI.C.2.c).

#include <catch2/catch.hpp>

#include <algorithm>

#include "core/admin/Administration.h"
#include "core/audit/AuditLog.h"
#include "core/reports/AnnualReview.h"
#include "tests/unit/reports/UsageFixture.h"

using namespace facelead;

TEST_CASE("The annual review lists each operator's searches, purposes, training and account changes",
          "[reports][annual_review]") {
    test::UsageFixture fx;
    admin::Administration administration(*fx.admin);
    REQUIRE(administration.deactivate(fx.cora.id, "left the unit"));
    // The deactivation rotated the database key: the deputy's session, open since before, holds the old key
    // and signs in again (docs/SECURITY.md, "Rotation while another session is open"). It only passed before
    // while every page the deputy read next was still in its page cache.
    auto deputyAgain = fx.signIn("deputy");
    REQUIRE(deputyAgain);
    fx.deputy = std::make_unique<accounts::Session>(std::move(*deputyAgain));
    // Issue 9 item 6: role changes are account changes the review shows (requested, then approved).
    REQUIRE(administration.setRoles(fx.ines.id, {workflow::Role::Investigator, workflow::Role::CaseOfficer}));
    auto pending = accounts::AccountService(*fx.deputy).pendingRoleChanges();
    REQUIRE(pending);
    REQUIRE(pending->size() == 1);
    REQUIRE(accounts::AccountService(*fx.deputy).approveRoleChange(pending->front().id));

    auto review = reports::computeAnnualReview(*fx.admin, 2026);
    REQUIRE(review);
    CHECK(review->year == 2026);
    CHECK(review->totalSearches == 6);  // the December 2025 search belongs to 2025
    CHECK(review->deactivationsInYear == 1);
    CHECK(review->operators.size() == 5);  // admin, deputy, ivan, ines, cora
    for (const auto& op : review->operators) {
        if (op.username == "ivan") {
            CHECK(op.searches == 3);
            REQUIRE(op.searchesPerPurpose.size() == 2);
            CHECK(op.searchesPerPurpose[0] == std::pair<std::string, int>{"VI.A.3", 2});
            CHECK(op.trainingAtYearEnd == training::TrainingStatus::Current);
        }
        if (op.username == "ines") {
            CHECK(op.searches == 3);
            bool sawRoleChange = false;
            for (const auto& event : op.accountEvents) sawRoleChange |= event.find("user.roles_changed") != std::string::npos;
            CHECK(sawRoleChange);
        }
        if (op.username == "cora") {
            CHECK(op.statusNow == "deactivated");
            bool sawDeactivation = false;
            for (const auto& event : op.accountEvents) sawDeactivation |= event.find("user.deactivated") != std::string::npos;
            CHECK(sawDeactivation);
        }
    }

    // The accounts were created in March 2026: they held no licence in 2025.
    auto previous = reports::computeAnnualReview(*fx.admin, 2025);
    REQUIRE(previous);
    CHECK(previous->operators.empty());

    const auto doc = reports::annualReviewReport(*review, "North Port PD", "admin", fx.clock->now());
    REQUIRE(doc.sections.size() == 4);
    // Trial 23A F5: the review says whether the log it counts from held.
    CHECK(review->auditLog.intact);
    CHECK_THAT(doc.sections[1].heading, Catch::Contains("The audit log"));
    CHECK_THAT(std::get<reports::Paragraph>(doc.sections[1].blocks.front()).text, Catch::StartsWith("Verified intact"));
    const auto& table = std::get<reports::Table>(doc.sections[2].blocks.front());
    CHECK(table.rows.size() == 5);
}

// Trial 23A F5: a search dated a year back was in no year's review, and the review said nothing.
TEST_CASE("The annual review says when the audit log it counts from does not hold", "[reports][annual_review][insider]") {
    test::UsageFixture fx;
    REQUIRE(fx.store().transact([&](store::Transaction& tx) -> Result<void> {
        auto noted = audit::AuditLog::append(tx, {fx.admin->userId(), "report.printed", "report", "annual"});
        if (!noted) return noted.error();
        return {};
    }));
    REQUIRE(fx.store().exec("DROP TRIGGER audit_log_append_only_update; UPDATE audit_log SET at = "
                            "'2025-01-02T10:00:00.000Z' WHERE seq = (SELECT max(seq) FROM audit_log)"));
    auto review = reports::computeAnnualReview(*fx.admin, 2026);
    REQUIRE(review);
    CHECK_FALSE(review->auditLog.intact);
    REQUIRE_FALSE(review->auditLog.problems.empty());
    const auto doc = reports::annualReviewReport(*review, "North Port PD", "admin", fx.clock->now());
    const auto& said = std::get<reports::Paragraph>(doc.sections[1].blocks.front()).text;
    CHECK_THAT(said, Catch::StartsWith("NOT INTACT") && Catch::Contains("may be wrong"));
    CHECK(doc.sections[1].blocks.size() == 1 + review->auditLog.problems.size());
}

TEST_CASE("The annual review refuses a nonsensical year", "[reports][annual_review]") {
    test::AccountabilityFixture fx;
    CHECK(reports::computeAnnualReview(*fx.admin, 1900).error().code == ErrorCode::InvalidArgument);
}

// Trial 21A N2: the review's "last activity" was the users table's date, which the desktop user can edit: an idle
// operator forward-dated there read as active all year. It is their latest entry in the chained log before the
// year's end, and their roles are the signed ones.
TEST_CASE("The annual review shows each operator's last activity from the signed log, not the users table",
          "[reports][annual_review][insider]") {
    test::UsageFixture fx;
    REQUIRE(fx.signIn("ivan"));  // an entry of his own in the log
    REQUIRE(fx.store().exec("UPDATE users SET last_activity_at = '2026-12-30T10:00:00.000Z', roles = 'supervisor' "
                            "WHERE username = 'ivan'").ok());
    auto logged = admin::latestLoggedActivity(fx.store(), fx.ivan.id);
    REQUIRE(logged);
    REQUIRE(*logged);
    auto review = reports::computeAnnualReview(*fx.admin, 2026);
    REQUIRE(review);
    const auto ivan = std::find_if(review->operators.begin(), review->operators.end(),
                                   [](const reports::OperatorYear& op) { return op.username == "ivan"; });
    REQUIRE(ivan != review->operators.end());
    CHECK(ivan->lastActivityAt == toIsoUtc(**logged));
    CHECK(ivan->lastActivityAt.substr(0, 10) != "2026-12-30");
    CHECK_THAT(ivan->roles, Catch::Contains("Investigator"));
    CHECK_THAT(ivan->roles, !Catch::Contains("Supervisor"));
}
