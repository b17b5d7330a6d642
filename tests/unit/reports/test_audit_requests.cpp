// Audit requests (SOP 302.02 VI.C.2.a-b): filed by the Intel Supervisor, run by the program administrator,
// the result shown to the requester; every step in the audit log.

#include <catch2/catch.hpp>

#include "core/admin/Administration.h"
#include "core/reports/AuditRequests.h"
#include "tests/unit/admin/AccountabilityFixture.h"

using namespace facelead;
using workflow::Role;

namespace {

struct AuditWorld : test::AccountabilityFixture {
    accounts::User intel = addActiveUser("intel", {Role::IntelSupervisor});
    accounts::User subject = addActiveUser("subject", {Role::Investigator});
    accounts::User other = addActiveUser("other", {Role::IntelSupervisor});
    std::unique_ptr<accounts::Session> intelSession = session("intel");

    std::unique_ptr<accounts::Session> session(const std::string& name) {
        auto s = signIn(name);
        if (!s) FAIL(s.error().message);
        return std::make_unique<accounts::Session>(std::move(*s));
    }

    reports::AuditRequestInput userScope() const {
        reports::AuditRequestInput input;
        input.scope.kind = reports::AuditScopeKind::User;
        input.scope.userId = subject.id;
        input.reason = "Complaint 2026-14 about queries by this user";
        return input;
    }
};

}  // namespace

TEST_CASE("The Intel Supervisor files, the administrator runs, the requester sees the result", "[reports][audit_requests]") {
    AuditWorld w;
    {
        admin::Administration administration(*w.admin);  // something to find: the subject is suspended
        REQUIRE(administration.suspend(w.subject.id, "inquiry"));
    }
    reports::AuditRequests byIntel(*w.intelSession);
    auto filed = byIntel.file(w.userScope());
    REQUIRE(filed);
    CHECK(filed->status == reports::AuditRequestStatus::Filed);
    CHECK(filed->requesterName == "intel");

    auto early = byIntel.result(filed->id);
    REQUIRE_FALSE(early);
    CHECK(early.error().code == ErrorCode::InvalidTransition);

    reports::AuditRequests byAdmin(*w.admin);
    auto completed = byAdmin.run(filed->id);
    REQUIRE(completed);
    CHECK(completed->status == reports::AuditRequestStatus::Completed);
    CHECK(completed->completedByName == "admin");
    CHECK(completed->resultEntryCount >= 3);  // created, approved, training recorded, suspended ...
    CHECK(completed->resultSha256.size() == 64);
    CHECK(completed->chainIntact);

    auto again = byAdmin.run(filed->id);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == ErrorCode::InvalidTransition);

    auto shown = byIntel.result(filed->id);
    REQUIRE(shown);
    CHECK(static_cast<int>(shown->entries.size()) == completed->resultEntryCount);
    bool sawSuspension = false;
    for (const auto& e : shown->entries) sawSuspension |= e.action == "user.suspended";
    CHECK(sawSuspension);

    // Entries appended after the run are not part of the result: it stays what was handed over.
    REQUIRE(w.signIn("subject").error().code == ErrorCode::AccountNotActive);
    auto later = byIntel.result(filed->id);
    REQUIRE(later);
    CHECK(later->entries.size() == shown->entries.size());

    audit::AuditFilter filter;
    filter.action = "audit_request.";
    auto trail = audit::AuditLog::list(w.store(), filter);
    REQUIRE(trail);
    REQUIRE(trail->size() == 4);  // filed, completed, viewed twice
    CHECK((*trail)[0].action == "audit_request.filed");
    CHECK((*trail)[1].action == "audit_request.completed");
    CHECK((*trail)[2].action == "audit_request.result_viewed");

    const auto doc = reports::auditRequestReport(*shown, "North Port PD", "intel", w.clock->now());
    CHECK(doc.sections.size() == 2);
}

TEST_CASE("Only the Intel Supervisor files, only the administrator runs, others see nothing", "[reports][audit_requests]") {
    AuditWorld w;
    auto investigator = w.session("subject");
    auto refused = reports::AuditRequests(*investigator).file(w.userScope());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::PermissionDenied);

    reports::AuditRequests byIntel(*w.intelSession);
    auto filed = byIntel.file(w.userScope());
    REQUIRE(filed);
    auto notAdmin = byIntel.run(filed->id);
    REQUIRE_FALSE(notAdmin);
    CHECK(notAdmin.error().code == ErrorCode::PermissionDenied);

    REQUIRE(reports::AuditRequests(*w.admin).run(filed->id));
    auto otherSession = w.session("other");
    reports::AuditRequests byOther(*otherSession);
    CHECK(byOther.list()->empty());
    auto hidden = byOther.result(filed->id);
    REQUIRE_FALSE(hidden);
    CHECK(hidden.error().code == ErrorCode::NotFound);
    CHECK(reports::AuditRequests(*w.admin).list()->size() == 1);
}

TEST_CASE("An audit request needs a complete scope and a reason", "[reports][audit_requests]") {
    AuditWorld w;
    reports::AuditRequests byIntel(*w.intelSession);
    auto input = w.userScope();
    input.reason = "why";
    CHECK(byIntel.file(input).error().code == ErrorCode::InvalidArgument);

    input = w.userScope();
    input.scope.userId.reset();
    CHECK(byIntel.file(input).error().code == ErrorCode::InvalidArgument);

    input.scope = {reports::AuditScopeKind::Case, std::nullopt, 9999, std::nullopt, std::nullopt};
    CHECK(byIntel.file(input).error().code == ErrorCode::NotFound);

    input.scope = {reports::AuditScopeKind::Period, std::nullopt, std::nullopt, test::utc(2026, 3, 1), std::nullopt};
    CHECK(byIntel.file(input).error().code == ErrorCode::InvalidArgument);
    input.scope.to = test::utc(2026, 2, 1);
    CHECK(byIntel.file(input).error().code == ErrorCode::InvalidArgument);  // ends before it starts
    CHECK(byIntel.list()->empty());
}

TEST_CASE("A period audit returns the entries of the period", "[reports][audit_requests]") {
    AuditWorld w;
    reports::AuditRequestInput input;
    input.scope.kind = reports::AuditScopeKind::Period;
    input.scope.from = w.clock->now() - std::chrono::hours(1);
    input.scope.to = w.clock->now() + std::chrono::hours(1);
    input.reason = "Quarterly check of all activity";
    reports::AuditRequests byIntel(*w.intelSession);
    auto filed = byIntel.file(input);
    REQUIRE(filed);
    auto done = reports::AuditRequests(*w.admin).run(filed->id);
    REQUIRE(done);
    auto all = audit::AuditLog::list(w.store());
    // Every entry so far falls inside the period, except the completion entry appended by the run itself.
    CHECK(done->resultEntryCount == static_cast<int>(all->size()) - 1);
}
