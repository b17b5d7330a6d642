#include "core/cases/SearchRunEntry.h"

#include "core/audit/AuditLog.h"

namespace facelead::cases {

Result<nlohmann::ordered_json> searchRunEntry(store::Store& store, std::int64_t searchId) {
    auto events = audit::AuditLog::list(store, {.action = "search.run", .objectType = "search",
                                                .objectId = std::to_string(searchId)});
    if (!events) return events.error();
    if (events->empty()) return nlohmann::ordered_json::object();
    auto details = nlohmann::ordered_json::parse(events->front().detailsJson, nullptr, false);
    return details.is_object() ? details : nlohmann::ordered_json::object();
}

std::string probeFileName(const nlohmann::ordered_json& entry, std::int64_t imageId) {
    const auto nameIn = [](const nlohmann::ordered_json& probe) {
        const auto name = probe.find("file_name");
        return name != probe.end() && name->is_string() ? name->get<std::string>() : std::string();
    };
    if (entry.value("image_id", std::int64_t{-1}) == imageId) return nameIn(entry);
    if (const auto further = entry.find("further_probes"); further != entry.end() && further->is_array())
        for (const auto& probe : *further)
            if (probe.is_object() && probe.value("image_id", std::int64_t{-1}) == imageId) return nameIn(probe);
    return {};
}

}  // namespace facelead::cases
