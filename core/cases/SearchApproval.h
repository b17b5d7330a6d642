#pragma once
// A search held for a second approver (issue 11 item 5): the agency's rule pack lists purposes a supervisor
// approves before the search runs (workflow::PolicyPack::purposesNeedingApproval). The request is stored as
// pending; a supervisor, never the requester, approves it; the one search it allows is then recorded against it.

#include <cstdint>
#include <optional>
#include <string>

#include "core/cases/CaseRecords.h"
#include "core/workflow/Purposes.h"

namespace facelead::cases {

struct SearchApproval {
    std::int64_t id = 0;
    std::string caseNumber;
    std::string offence;
    workflow::Purpose purpose = workflow::Purpose::SuspectedOffence;
    std::string justification;
    std::string pack;  // the pack that asked for it (PolicyPack::name())
    Person requestedBy;
    std::string requestedAt;
    std::optional<Person> approvedBy;
    std::string approvedAt;                     // "" while pending
    std::optional<std::int64_t> usedByRequest;  // the search request it allowed

    bool approved() const { return approvedBy.has_value(); }
};

}  // namespace facelead::cases
