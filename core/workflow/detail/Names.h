#pragma once
// Private to core/workflow: the table that gives each value of an enum its stored name (the audit log's and
// the store's word, never translated) and the label people read. Each .cpp keeps its own table; these three
// look-ups serve them all.

#include <optional>
#include <string_view>

namespace facelead::workflow::detail {

template <typename Enum>
struct Named {
    Enum value;
    std::string_view name;
    std::string_view label = {};
};

template <typename Table, typename Enum>
std::string_view nameOf(const Table& table, Enum value) {
    for (const auto& row : table) if (row.value == value) return row.name;
    return "unknown";
}

template <typename Table, typename Enum>
std::string_view labelOf(const Table& table, Enum value) {
    for (const auto& row : table) if (row.value == value) return row.label;
    return "Unknown";
}

template <typename Table>
auto valueNamed(const Table& table, std::string_view name) -> std::optional<decltype(table.begin()->value)> {
    for (const auto& row : table) if (row.name == name) return row.value;
    return std::nullopt;
}

}  // namespace facelead::workflow::detail
