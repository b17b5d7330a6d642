#pragma once
// Reports as values: the core computes WHAT a report says (sections of paragraphs, labelled fields,
// tables, images); the UI only renders it (PDF, screen). The renderer prints the markings below on every
// page, so no report, print or export can leave them out (VI.B.6, VI.C.2.d, VI.B.1).

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/workflow/Markings.h"

namespace facelead::reports {

struct Paragraph {
    std::string text;
};

struct Fields {
    std::vector<std::pair<std::string, std::string>> items;  // label, value
};

struct Table {
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
};

// Encoded image bytes (JPEG, PNG, ...) straight from the store: no copy of an image is written to disk.
struct Image {
    std::vector<std::uint8_t> bytes;  // rendered at most two thirds of the page wide; unreadable: caption only
    std::string caption;
};

using Block = std::variant<Paragraph, Fields, Table, Image>;

struct Section {
    std::string heading;
    std::vector<Block> blocks;
};

struct ReportDocument {
    std::string title;
    std::string agencyName;
    std::string generatedAt;  // toIsoUtc
    std::string generatedBy;  // user name
    bool trainingStore = false;
    std::vector<Section> sections;
};

// "#12": how reports refer to a record by its id.
std::string hashId(std::int64_t id);

// The lines every page and every export carries, in print order.
std::vector<std::string> markingLines(bool trainingStore);

// RFC 4180 CSV: the marking lines first (one cell per line), an empty line, then the header and rows.
void writeCsv(std::ostream& out, const Table& table, bool trainingStore = false);
// The opening of every CSV FaceLead writes: the marking lines, one cell each, and an empty line.
void writeCsvMarking(std::ostream& out, bool trainingStore);
std::string csvField(std::string_view text);

}  // namespace facelead::reports
