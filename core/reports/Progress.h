#pragma once
// Progress of a long report job (statistics over a big store, the annual review, a case report).

#include <functional>
#include <string>
#include <string_view>

#include "core/common/Result.h"

namespace facelead::reports {

// Called with the step done so far, the number of steps and what is being done. Return false to cancel:
// the job then stops with ErrorCode::Cancelled. An empty function means "no progress wanted".
using ProgressFn = std::function<bool(int done, int total, std::string_view what)>;

// Tells progress (if any) that `done` of `total` steps are over and `what` comes next. Cancelled, "The <job>
// was cancelled.", once the user pressed Cancel.
inline Result<void> reportStep(const ProgressFn& progress, int done, int total, std::string_view what,
                               std::string_view job) {
    if (progress && !progress(done, total, what))
        return makeError(ErrorCode::Cancelled, "The " + std::string(job) + " was cancelled.");
    return {};
}

}  // namespace facelead::reports
