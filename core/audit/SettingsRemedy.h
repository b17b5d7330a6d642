#pragma once
// What answers agency settings that differ from the ones a program administrator signed
// (AccountLedger::compareSettings): told in the same words by the core, the workstation and the CLI (trial 81 F9: the
// CLI user was told to "save the settings", which only the workstation's form does).

namespace facelead::audit {

// Ends "No search runs until " and "… holds to (the stricter of the two) until ".
inline constexpr const char* kSettingsSignedAgain =
    "a program administrator signs the settings again (the workstation: Administration > Users and access > Agency "
    "settings > Save; the CLI: facelead-cli pack use PACK, with the pack in use)";

}  // namespace facelead::audit
