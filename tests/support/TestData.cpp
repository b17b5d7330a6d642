#include "tests/support/TestData.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <random>

#include "core/common/Paths.h"

namespace facelead::test {
namespace {

bool underCi() {
    const char* ci = std::getenv("CI");
    return ci && std::string(ci) == "true";
}

std::optional<std::filesystem::path> requireDir(const std::filesystem::path& dir, const std::string& what,
                                                const std::filesystem::path& marker) {
    if (std::filesystem::exists(dir / marker)) return dir;
    const std::string message = what + " not found at " + dir.string();
    if (underCi()) FAIL(message + " (required under CI)");
    WARN("SKIPPED: " + message);
    return std::nullopt;
}

}  // namespace

std::optional<std::filesystem::path> requireFaces() {
    const char* env = std::getenv("FACELEAD_FACES_DIR");
    const std::filesystem::path dir = (env && *env) ? env : FACELEAD_DEFAULT_FACES_DIR;
    return requireDir(dir, "Shared face images (set FACELEAD_FACES_DIR)", "identities.csv");
}

std::optional<std::filesystem::path> requireIntakeCases() {
    const char* env = std::getenv("FACELEAD_INTAKE_CASES_DIR");
    const std::filesystem::path dir = (env && *env) ? env : FACELEAD_DEFAULT_INTAKE_CASES_DIR;
    return requireDir(dir, "Intake field cases (set FACELEAD_INTAKE_CASES_DIR)", "README.md");
}

std::optional<std::filesystem::path> requireModels() {
    return requireDir(defaultModelsDir(), "Face models (run packaging/fetch-models.sh)",
                      "dlib_face_recognition_resnet_model_v1.dat");
}

TempDir::TempDir() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() / ("facelead-test-" + std::to_string(random()));
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

}  // namespace facelead::test
