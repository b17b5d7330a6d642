#pragma once
// Progress of a long report job (statistics over a big store, the annual review, a case report).

#include <functional>
#include <string_view>

namespace facelead::reports {

// Called with the step done so far, the number of steps and what is being done. Return false to cancel:
// the job then stops with ErrorCode::Cancelled. An empty function means "no progress wanted".
using ProgressFn = std::function<bool(int done, int total, std::string_view what)>;

}  // namespace facelead::reports
