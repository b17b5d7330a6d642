#include "core/reports/ReportDocument.h"

#include <ostream>

namespace facelead::reports {

std::string hashId(std::int64_t id) {
    // Built by appending: GCC 12 warns falsely (-Wrestrict) on "#" + std::string.
    std::string text = "#";
    text += std::to_string(id);
    return text;
}

std::vector<std::string> markingLines(bool trainingStore) {
    std::vector<std::string> lines;
    if (trainingStore) lines.emplace_back(workflow::kTrainingMarking);
    lines.emplace_back(workflow::kIntelligenceMarking);
    lines.emplace_back(workflow::kLeadOnlyDisclaimer);
    return lines;
}

std::string csvField(std::string_view text) {
    // A leading =, +, - or @ would be run as a formula by spreadsheets: neutralise it.
    const bool formula = !text.empty() && (text.front() == '=' || text.front() == '+' || text.front() == '-' ||
                                           text.front() == '@');
    const bool quote = formula || text.find_first_of(",\"\r\n") != std::string_view::npos;
    if (!quote) return std::string(text);
    std::string out = "\"";
    if (formula) out += '\'';
    for (const char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

void writeCsvMarking(std::ostream& out, bool trainingStore) {
    for (const auto& line : markingLines(trainingStore)) out << csvField(line) << "\r\n";
    out << "\r\n";
}

void writeCsv(std::ostream& out, const Table& table, bool trainingStore) {
    writeCsvMarking(out, trainingStore);
    const auto writeRow = [&out](const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << csvField(cells[i]);
        out << "\r\n";
    };
    writeRow(table.columns);
    for (const auto& row : table.rows) writeRow(row);
}

}  // namespace facelead::reports
