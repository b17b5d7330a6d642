#pragma once
// Command groups of facelead-cli. Each returns the process exit code: 0 success, 1 a failed item or
// refused operation, 2 usage error.

#include <string>
#include <vector>

namespace facelead::cli {

using Words = std::vector<std::string>;  // the words after the command name

int runDetect(const Words& words);   // face_commands.cpp
int runEmbed(const Words& words);    // face_commands.cpp
int runCompare(const Words& words);  // face_commands.cpp
int runModels(const Words& words);   // face_commands.cpp: `models check`
int runStore(const Words& words);    // store_commands.cpp: store init
int runUser(const Words& words);     // store_commands.cpp: user add|approve|passwd|deactivate|list
int runAudit(const Words& words);    // store_commands.cpp: audit verify|export
int runGallery(const Words& words);  // gallery_commands.cpp: gallery enroll|list|duplicates|remove
int runSearch(const Words& words);   // search_command.cpp: search
int runTraining(const Words& words); // training_commands.cpp: training quiz|record
int runLead(const Words& words);     // lead_commands.cpp: lead examine|verify|mark|exclude|follow-up|review|resolve|show
int runPack(const Words& words);     // pack_commands.cpp: pack list|show|check|active|use
int runReport(const Words& words);   // pack_commands.cpp: report statutory
int runVideo(const Words& words);    // video_commands.cpp: video info|best|frame
int runCase(const Words& words);     // case_commands.cpp: case disclose (built with the Qt PDF renderer)

}  // namespace facelead::cli
