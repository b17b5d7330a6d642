#pragma once
// Where FaceLead keeps its files. Nothing is relative to the working folder.

#include <filesystem>

namespace facelead {

// $FACELEAD_DATA_DIR, else $XDG_DATA_HOME/facelead, else ~/.local/share/facelead.
std::filesystem::path userDataDir();
// $FACELEAD_MODELS_DIR, else userDataDir()/models. A command-line option may override both.
std::filesystem::path defaultModelsDir();
// userDataDir()/facelead.store: the embedded default case store.
std::filesystem::path defaultStorePath();

}  // namespace facelead
