#include "core/audit/ImageIntegrity.h"

#include <nlohmann/json.hpp>

#include "core/audit/AuditLog.h"
#include "core/common/Hash.h"

namespace facelead::audit {

Result<VerifiedImageBytes> readImageBytes(store::Store& store, std::optional<std::int64_t> actingUserId,
                                          std::int64_t imageId) {
    auto statement = store.prepare("SELECT bytes, sha256 FROM images WHERE id = ?");
    if (!statement) return statement.error();
    statement->bind(1, imageId);
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return makeError(ErrorCode::NotFound, "Image " + std::to_string(imageId) + " is not in the store.");
    VerifiedImageBytes image{statement->getBlob(0), statement->getText(1)};
    const std::string actual = sha256Hex(image.bytes);
    if (actual == image.sha256) return image;

    const nlohmann::json details = {{"expected_sha256", image.sha256}, {"actual_sha256", actual}};
    auto recorded = store.transact([&](store::Transaction& tx) -> Result<std::int64_t> {
        return AuditLog::append(tx, {actingUserId, "image.integrity_violation", "image", std::to_string(imageId),
                                     details.dump()});
    });
    std::string message = "Image " + std::to_string(imageId) +
                          " no longer matches the fingerprint taken when it was added: it has been altered "
                          "(SOP 302.02 VI.B.2). Do not use it; report this to the program administrator.";
    if (!recorded) message += " The event could not be written to the audit log: " + recorded.error().message;
    return makeError(ErrorCode::IntegrityViolation, message);
}

Result<std::vector<std::string>> picturesNotMatchingTheirHash(store::Store& store) {
    struct Pictures {
        const char* select;  // id, bytes, recorded hash
        const char* label;
    };
    static constexpr Pictures kPictures[] = {
        {"SELECT id, bytes, sha256 FROM images ORDER BY id", "Image"},
        {"SELECT face_id, image, image_sha256 FROM gallery_face_images ORDER BY face_id", "The photo of gallery face"},
    };
    std::vector<std::string> problems;
    for (const Pictures& pictures : kPictures) {
        auto statement = store.prepare(pictures.select);
        if (!statement) return statement.error();
        while (true) {
            auto row = statement->step();
            if (!row) return row.error();
            if (!*row) break;
            if (sha256Hex(statement->getBlob(1)) == statement->getOptionalText(2).value_or(""))
                continue;
            problems.push_back(std::string(pictures.label) + " " + std::to_string(statement->getInt(0)) +
                               " no longer matches the SHA-256 recorded when it was stored: its bytes were altered "
                               "outside FaceLead (SOP 302.02 VI.B.2).");
        }
    }
    return problems;
}

}  // namespace facelead::audit
