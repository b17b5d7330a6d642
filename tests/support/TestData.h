#pragma once
// Test data that lives outside the repository, and scratch folders.

#include <filesystem>
#include <optional>
#include <string>

namespace facelead::test {

// The labelled faces (../shared/data/faces, or $FACELEAD_FACES_DIR). When they are missing: under CI
// (CI=true) the calling test fails; elsewhere it is skipped with a message. Use as:
//   auto faces = requireFaces(); if (!faces) return;
std::optional<std::filesystem::path> requireFaces();

// The field cases of issue 10 (../shared/data/intake-cases, or $FACELEAD_INTAKE_CASES_DIR; README.md there says
// what is right for each), with the same CI rule as requireFaces().
std::optional<std::filesystem::path> requireIntakeCases();

// The model files (defaultModelsDir()), with the same CI rule as requireFaces().
std::optional<std::filesystem::path> requireModels();

// A fresh folder removed when the object goes out of scope.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

}  // namespace facelead::test
