#pragma once
// Writes a case's disclosure packet (core/reports/Disclosure.h) into a folder, for facelead-cli and the
// workstation alike: packet.json (the record, docs/disclosure.schema.json) and packet.pdf (the same for
// print, every page marked VI.B.6 / VI.B.1). Both files are readable by their owner only (0600); a missing
// folder is created owner-only (0700). Safe on a worker thread (renderPdf paints on a QPdfWriter only).

#include <filesystem>

#include "core/common/Result.h"
#include "core/reports/Disclosure.h"

namespace facelead::ui {

inline constexpr const char* kPacketJsonName = "packet.json";
inline constexpr const char* kPacketPdfName = "packet.pdf";

// Whether `folder` may take a packet: it holds none yet. A packet is never written over another, silently replacing
// another case's packet (trial 45 F8). AlreadyExists naming the file; asked before the packet is made, so that a
// refusal leaves no disclosure in the audit log that no file holds.
Result<void> checkFolderTakesPacket(const std::filesystem::path& folder);

// The number of PDF pages written; AlreadyExists as checkFolderTakesPacket; IoError naming the file or folder that
// could not be written.
Result<int> writeDisclosureFiles(const reports::DisclosurePacket& packet, const std::filesystem::path& folder);

}  // namespace facelead::ui
