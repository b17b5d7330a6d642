#pragma once
// Retention review (issue 11 item 5): the probes and search records older than the agency's rule pack keeps them
// (PolicyPack::probeRetentionDays, searchRecordRetentionDays), listed for a program administrator to review.
// Nothing is deleted here: images are evidence and are never deleted by the store (SOP 302.02 VI.B.2); the
// review decides, under the agency's records schedule (VI.B.6). A pack period of 0 lists nothing.
// workflow::Action::RunAudit; a refusal is audited, and so is each review ("retention.reviewed").

#include <cstdint>
#include <string>
#include <vector>

#include "core/accounts/Session.h"
#include "core/common/Result.h"

namespace facelead::reports {

struct RetentionItem {
    std::int64_t id = 0;      // the image's or the search's id
    std::string caseNumber;
    std::string at;           // when it was stored or run (toIsoUtc)
    int ageDays = 0;
};

struct RetentionReview {
    std::string pack;           // PolicyPack::name()
    std::string citation;       // PolicyPack::retentionCitation
    int probeDays = 0;          // 0: the pack sets no review date
    int searchRecordDays = 0;
    std::vector<RetentionItem> probes;    // original probe images past probeDays, oldest first
    std::vector<RetentionItem> searches;  // searches past searchRecordDays, oldest first
};

Result<RetentionReview> reviewRetention(accounts::Session& session);

}  // namespace facelead::reports
