#include "core/cases/VerificationStanding.h"

#include <algorithm>

namespace facelead::cases {

VerificationStanding verificationStanding(const std::vector<ExaminationRecord>& examinations) {
    if (examinations.empty()) return VerificationStanding::NotExamined;
    const bool verified = std::any_of(examinations.begin(), examinations.end(), [](const ExaminationRecord& e) {
        return e.kind == workflow::ExaminationKind::Verification;
    });
    if (!verified) return VerificationStanding::NotVerified;
    for (std::size_t i = 0; i < examinations.size(); ++i)
        for (std::size_t j = i + 1; j < examinations.size(); ++j)
            if (workflow::conclusionsDisagree(examinations[i].examination.conclusion,
                                              examinations[j].examination.conclusion))
                return VerificationStanding::Disagree;
    return VerificationStanding::Agree;
}

}  // namespace facelead::cases
