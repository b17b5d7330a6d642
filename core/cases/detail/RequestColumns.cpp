#include "core/cases/detail/RequestColumns.h"

#include <nlohmann/json.hpp>

namespace facelead::cases::detail {

StoredRequestColumns columnsFromRequest(const workflow::SearchRequest& request) {
    StoredRequestColumns columns;
    columns.caseNumber = request.caseNumber;
    columns.purposeCode = request.purpose ? std::string(workflow::purposeInfo(*request.purpose).code) : "";
    columns.justification = request.justification;
    nlohmann::json attested = nlohmann::json::array();
    for (auto use : request.attestedNotFor) attested.push_back(workflow::prohibitedUseInfo(use).code);
    const workflow::ConsentRecord consent = request.consent.value_or(workflow::ConsentRecord{});
    columns.attestationJson = nlohmann::json{{"attested_not_for", attested},
                                             {"not_detained_for_capture", consent.notDetainedForCapture},
                                             {"offence", request.offence}}
                                  .dump();
    columns.consentKind = workflow::consentKindName(consent.kind);
    columns.consentReason = consent.reasonUnableToConsent;
    columns.consentPurpose = consent.submissionPurpose;
    columns.imageSource = request.imageSource;
    return columns;
}

workflow::SearchRequest requestFromColumns(const StoredRequestColumns& columns) {
    workflow::SearchRequest request;
    request.caseNumber = columns.caseNumber;
    request.purpose = workflow::purposeFromCode(columns.purposeCode);
    request.justification = columns.justification;
    request.imageSource = columns.imageSource;
    const auto attestation = nlohmann::json::parse(columns.attestationJson, nullptr, false);
    bool notDetained = false;
    if (attestation.is_object()) {
        if (auto it = attestation.find("offence"); it != attestation.end() && it->is_string()) request.offence = *it;
        if (auto it = attestation.find("not_detained_for_capture"); it != attestation.end() && it->is_boolean())
            notDetained = *it;
        if (attestation.contains("attested_not_for") && attestation["attested_not_for"].is_array()) {
            for (const auto& code : attestation["attested_not_for"]) {
                if (!code.is_string()) continue;
                if (auto use = workflow::prohibitedUseFromCode(code.get<std::string>())) request.attestedNotFor.insert(*use);
            }
        }
    }
    if (auto kind = workflow::consentKindFromName(columns.consentKind)) {
        request.consent = workflow::ConsentRecord{*kind, notDetained, columns.consentReason, columns.consentPurpose};
    }
    return request;
}

Result<void> checkOffenceOfCase(const CaseRecord& caseRecord, const workflow::SearchRequest& request) {
    if (request.offence == caseRecord.offence) return {};
    return makeError(ErrorCode::InvalidArgument,
                     "Case " + caseRecord.caseNumber + " is recorded for the offence \"" + caseRecord.offence +
                         "\"; a search in it names that offence. A search about another offence belongs to another "
                         "case.");
}

}  // namespace facelead::cases::detail
