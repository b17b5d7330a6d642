#pragma once
// Private to core/cases: one audit event per change, appended in the change's own transaction.

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/audit/AuditLog.h"

namespace facelead::cases::detail {

inline Result<void> recordEvent(store::Transaction& tx, std::int64_t userId, const std::string& action,
                                const std::string& objectType, std::int64_t objectId,
                                const nlohmann::json& details = nlohmann::json::object()) {
    auto appended = audit::AuditLog::append(tx, {userId, action, objectType, std::to_string(objectId), details.dump()});
    if (!appended) return appended.error();
    return {};
}

}  // namespace facelead::cases::detail
