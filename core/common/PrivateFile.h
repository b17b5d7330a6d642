#pragma once
// Files FaceLead writes for a person (audit exports, reports): readable by the owner only (0600), since
// they hold case numbers, purposes and names (issue 8 item 5). An existing file is truncated and its mode
// tightened to 0600 before anything is written.

#include <filesystem>
#include <string_view>

#include "core/common/Result.h"

namespace facelead {

// IoError naming the file when it cannot be created or written.
Result<void> writePrivateFile(const std::filesystem::path& file, std::string_view contents);

}  // namespace facelead
