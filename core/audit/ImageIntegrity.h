#pragma once
// Originals are never altered (SOP 302.02 VI.B.2) and their SHA-256 is re-checked on every read.
// Triggers in the store refuse UPDATE of images.bytes/sha256 and any DELETE of images; this is the read
// side: the bytes come back only when they still match the stored hash.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/common/Result.h"
#include "core/store/Store.h"

namespace facelead::audit {

struct VerifiedImageBytes {
    std::vector<std::uint8_t> bytes;
    std::string sha256;  // hex, as stored and as recomputed
};

// Reads images.bytes of imageId and re-checks its SHA-256. On a mismatch returns IntegrityViolation and
// records "image.integrity_violation" in the audit log. Call it OUTSIDE a transaction, so that audit event
// commits even though the read fails (inside one, the event is part of the caller's transaction).
// NotFound when there is no such image.
Result<VerifiedImageBytes> readImageBytes(store::Store& store, std::optional<std::int64_t> actingUserId,
                                          std::int64_t imageId);

// Every stored picture whose bytes no longer match its recorded SHA-256 — case images and gallery photos — one
// sentence each, for `audit verify` (trial 22A F12: a probe's or a gallery photo's bytes changed were caught only
// when the picture was shown or disclosed, and verify said intact). Reads every picture: as slow as the store is big.
Result<std::vector<std::string>> picturesNotMatchingTheirHash(store::Store& store);

}  // namespace facelead::audit
