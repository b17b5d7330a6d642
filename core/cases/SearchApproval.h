#pragma once
// A search held for a second approver (issue 11 item 5): the agency's rule pack lists purposes a supervisor
// approves before the search runs (workflow::PolicyPack::purposesNeedingApproval). The request is stored as
// pending; a supervisor, never the requester, approves it; the one search it allows is then recorded against it.
// The approval covers the probe originals named when it was asked (trial 19B HIGH-2): the supervisor sees what will
// be searched, and the search that uses it searches exactly those originals.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/cases/Person.h"
#include "core/workflow/Purposes.h"

namespace facelead::cases {

// A probe original an approval covers, as stored with the request (schema v13).
struct ApprovalProbe {
    std::string sha256;                      // of the original file (the video itself for a video frame)
    std::string fileName;                    // as the requester gave it ("" = not known)
    std::optional<std::int64_t> videoFrame;  // the original is a video and this frame of it is the probe

    bool operator==(const ApprovalProbe& other) const {
        return sha256 == other.sha256 && videoFrame == other.videoFrame;  // the name is only a label
    }
};

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
    // When its requester withdrew it, by the signed "search.approval_withdrawn" audit entry; "" when not withdrawn.
    std::string withdrawnAt;
    // What the supervisor approves searching, in the order given; empty for a request stored before approvals named
    // their probes (schema v13), which allows no search.
    std::vector<ApprovalProbe> probes;

    bool approved() const { return approvedBy.has_value(); }
    bool withdrawn() const { return !withdrawnAt.empty(); }
};

// What became of it, for people: "waiting for a supervisor's approval; not searched", "withdrawn by who asked,
// <time>; not searched", "approved by <name>, <time>; not searched yet" or "approved by <name>, <time>; searched
// (search request #N)". One wording for the case window, the case report and the disclosure packet.
std::string approvalOutcomeText(const SearchApproval& approval);
// "CCTV-2.png (SHA-256 3f2a9c01...), an image (SHA-256 ...), ...": the probes a request names, short, for people.
std::string approvalProbesText(const std::vector<ApprovalProbe>& probes);

}  // namespace facelead::cases
