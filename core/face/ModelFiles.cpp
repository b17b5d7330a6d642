#include "core/face/ModelFiles.h"

#include <system_error>

#include "core/common/Hash.h"

namespace facelead::face {
namespace {

std::string howToGet(const ModelFile& model) {
    return " Expected SHA-256 " + std::string(model.sha256) +
           ". Run packaging/fetch-models.sh to download the models, or point FaceLead at a folder that holds "
           "them with --models DIR or the FACELEAD_MODELS_DIR environment variable.";
}

}  // namespace

Result<void> verifyModelFile(const std::filesystem::path& modelsDir, const ModelFile& model) {
    const auto path = modelsDir / model.fileName;
    const std::string what = "The " + std::string(model.purpose) + " model " + path.string();
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        return makeError(ErrorCode::ModelMissing, what + " is missing." + howToGet(model));
    const auto bytes = std::filesystem::file_size(path, error);
    if (error) return makeError(ErrorCode::ModelMissing, what + " cannot be read: " + error.message() + "." + howToGet(model));
    if (bytes != model.bytes)
        return makeError(ErrorCode::ModelCorrupt, what + " has " + std::to_string(bytes) + " bytes instead of " +
                                                      std::to_string(model.bytes) + " (incomplete or wrong file)." +
                                                      howToGet(model));
    const auto digest = sha256FileHex(path);
    if (!digest) return makeError(ErrorCode::ModelMissing, what + " cannot be read." + howToGet(model));
    if (*digest != model.sha256)
        return makeError(ErrorCode::ModelCorrupt,
                         what + " is damaged or not the published file (SHA-256 " + *digest + ")." + howToGet(model));
    return {};
}

}  // namespace facelead::face
