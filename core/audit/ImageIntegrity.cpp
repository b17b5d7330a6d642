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

}  // namespace facelead::audit
