#include "core/common/Paths.h"

#include <cstdlib>

namespace facelead {
namespace {

std::filesystem::path envPath(const char* name) {
    const char* value = std::getenv(name);
    return (value && *value) ? std::filesystem::path(value) : std::filesystem::path();
}

}  // namespace

std::filesystem::path userDataDir() {
    if (auto dir = envPath("FACELEAD_DATA_DIR"); !dir.empty()) return dir;
    if (auto xdg = envPath("XDG_DATA_HOME"); !xdg.empty()) return xdg / "facelead";
    if (auto home = envPath("HOME"); !home.empty()) return home / ".local" / "share" / "facelead";
    return std::filesystem::temp_directory_path() / "facelead";
}

std::filesystem::path defaultModelsDir() {
    if (auto dir = envPath("FACELEAD_MODELS_DIR"); !dir.empty()) return dir;
    return userDataDir() / "models";
}

std::filesystem::path defaultStorePath() { return userDataDir() / "facelead.store"; }

}  // namespace facelead
