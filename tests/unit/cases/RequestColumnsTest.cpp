#include <catch2/catch.hpp>

#include "core/cases/detail/RequestColumns.h"

using namespace facelead;
using namespace facelead::workflow;
using facelead::cases::detail::columnsFromRequest;
using facelead::cases::detail::requestFromColumns;

namespace {

SearchRequest consensualRequest() {
    SearchRequest request;
    request.caseNumber = "NP-7";
    request.offence = "Retail theft";
    request.purpose = Purpose::ConcealedIdentity;
    request.justification = "Refused to give a name after being seen taking goods without paying.";
    for (const auto& use : prohibitedUses()) request.attestedNotFor.insert(use.use);
    ConsentRecord consent;
    consent.kind = ConsentKind::ConsensualEncounter;
    consent.notDetainedForCapture = true;
    request.consent = consent;
    return request;
}

}  // namespace

TEST_CASE("VI.B.5 / VI.B.7: the stored columns keep every attestation and the consent record") {
    const SearchRequest request = consensualRequest();
    const auto columns = columnsFromRequest(request);
    CHECK(columns.purposeCode == "concealed_identity");
    CHECK(columns.consentKind == "consensual_encounter");
    const SearchRequest back = requestFromColumns(columns);
    CHECK(back.caseNumber == request.caseNumber);
    CHECK(back.offence == request.offence);
    CHECK(back.purpose == request.purpose);
    CHECK(back.justification == request.justification);
    CHECK(back.attestedNotFor == request.attestedNotFor);
    REQUIRE(back.consent);
    CHECK(back.consent->notDetainedForCapture);
    CHECK(validate(back, {}).ok());
}

TEST_CASE("A damaged stored request fails validation instead of passing it") {
    auto columns = columnsFromRequest(consensualRequest());
    SECTION("attestation not JSON") {
        columns.attestationJson = "{not json";
        const auto back = requestFromColumns(columns);
        CHECK(back.attestedNotFor.empty());
        CHECK_FALSE(back.consent->notDetainedForCapture);
    }
    SECTION("unknown purpose code") {
        columns.purposeCode = "curiosity";
        CHECK_FALSE(requestFromColumns(columns).purpose);
    }
    SECTION("unknown consent kind") {
        columns.consentKind = "implied";
        CHECK_FALSE(requestFromColumns(columns).consent);
    }
    CHECK(validate(requestFromColumns(columns), {}).error().code == ErrorCode::PolicyViolation);
}
