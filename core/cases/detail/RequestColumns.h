#pragma once
// Private to core/cases: how a workflow::SearchRequest maps onto the search_requests columns.
// prohibited_use_attestation holds a JSON object with what the requester stated beyond the columns:
//   {"attested_not_for": ["personal_use", ...],   VI.B.7.a-e, codes of workflow::prohibitedUses()
//    "not_detained_for_capture": true,            VI.B.5
//    "offence": "Armed robbery"}                   the offence as given with this request

#include <string>

#include "core/cases/CaseRecords.h"
#include "core/common/Result.h"
#include "core/workflow/SearchRequest.h"

namespace facelead::cases::detail {

struct StoredRequestColumns {
    std::string caseNumber;
    std::string purposeCode;
    std::string justification;
    std::string attestationJson;
    std::string consentKind;
    std::string consentReason;
    std::string consentPurpose;
    std::string imageSource;
};

// For a request that passed workflow::validate (purpose and consent present).
StoredRequestColumns columnsFromRequest(const workflow::SearchRequest& request);
// Unknown codes are dropped, so a damaged row fails workflow::validate rather than passing it.
workflow::SearchRequest requestFromColumns(const StoredRequestColumns& columns);

// A case is about one offence: a request in it names that offence, never silently another (trial 10). Checked before
// the search and before a supervisor is asked to approve one (trial 23C M6: an approval asked for, granted, then
// unusable). InvalidArgument naming both offences.
Result<void> checkOffenceOfCase(const CaseRecord& caseRecord, const workflow::SearchRequest& request);

}  // namespace facelead::cases::detail
