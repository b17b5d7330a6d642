// Missing, truncated or substituted model files -> ModelMissing / ModelCorrupt naming the file, the
// expected hash and how to get it; never a crash, never a silent fallback.

#include <catch2/catch.hpp>

#include <fstream>

#include "core/face/FaceEngine.h"
#include "core/face/ModelFiles.h"
#include "tests/support/TestData.h"

namespace {

using facelead::ErrorCode;
using facelead::face::FaceEngine;
using facelead::face::kModelFiles;

// A models folder where every file is a symbolic link to the installed one.
void linkModels(const std::filesystem::path& from, const std::filesystem::path& to) {
    for (const auto& model : kModelFiles) std::filesystem::create_symlink(from / model.fileName, to / model.fileName);
}

void replaceWith(const std::filesystem::path& file, std::uint64_t bytes, char fill) {
    std::filesystem::remove(file);
    std::ofstream out(file, std::ios::binary);
    const std::string block(bytes, fill);
    out.write(block.data(), static_cast<std::streamsize>(block.size()));
}

facelead::face::EngineConfig configFor(const std::filesystem::path& modelsDir) {
    facelead::face::EngineConfig config;
    config.modelsDir = modelsDir;
    config.threads = 1;
    return config;
}

void requireHelpfulMessage(const facelead::Error& error, const facelead::face::ModelFile& model) {
    CHECK_THAT(error.message, Catch::Contains(std::string(model.fileName)));
    CHECK_THAT(error.message, Catch::Contains(std::string(model.sha256)));
    CHECK_THAT(error.message, Catch::Contains("fetch-models.sh"));
    CHECK_THAT(error.message, Catch::Contains("FACELEAD_MODELS_DIR"));
}

}  // namespace

TEST_CASE("The installed models verify", "[face][models]") {
    const auto models = facelead::test::requireModels();
    if (!models) return;
    CHECK(FaceEngine::verifyModels(*models).ok());
}

TEST_CASE("An empty models folder gives ModelMissing naming the first file", "[face][models]") {
    facelead::test::TempDir dir;
    const auto checked = FaceEngine::verifyModels(dir.path());
    REQUIRE_FALSE(checked.ok());
    CHECK(checked.error().code == ErrorCode::ModelMissing);
    requireHelpfulMessage(checked.error(), kModelFiles[0]);

    const auto engine = FaceEngine::create(configFor(dir.path()));
    REQUIRE_FALSE(engine.ok());
    CHECK(engine.error().code == ErrorCode::ModelMissing);
}

TEST_CASE("Each model file is checked: missing, truncated, same size but different bytes", "[face][models]") {
    const auto models = facelead::test::requireModels();
    if (!models) return;
    for (const auto& model : kModelFiles) {
        INFO(model.fileName);
        facelead::test::TempDir dir;
        linkModels(*models, dir.path());
        const auto file = dir / std::string(model.fileName);

        std::filesystem::remove(file);
        auto checked = facelead::face::verifyModelFile(dir.path(), model);
        REQUIRE_FALSE(checked.ok());
        CHECK(checked.error().code == ErrorCode::ModelMissing);
        requireHelpfulMessage(checked.error(), model);

        replaceWith(file, model.bytes / 2, 'x');  // an interrupted download
        checked = facelead::face::verifyModelFile(dir.path(), model);
        REQUIRE_FALSE(checked.ok());
        CHECK(checked.error().code == ErrorCode::ModelCorrupt);
        requireHelpfulMessage(checked.error(), model);

        replaceWith(file, model.bytes, 'x');  // the right size, the wrong content
        checked = facelead::face::verifyModelFile(dir.path(), model);
        REQUIRE_FALSE(checked.ok());
        CHECK(checked.error().code == ErrorCode::ModelCorrupt);
        requireHelpfulMessage(checked.error(), model);

        const auto engine = FaceEngine::create(configFor(dir.path()));
        REQUIRE_FALSE(engine.ok());
        CHECK(engine.error().code == ErrorCode::ModelCorrupt);
    }
}
