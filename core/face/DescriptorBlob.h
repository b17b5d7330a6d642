#pragma once
// A descriptor as the store keeps it: 128 little-endian float32, 512 bytes (gallery_faces.descriptor and
// search_probe_templates.template). Pure functions: thread-safe.

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

#include "core/face/FaceEngine.h"

namespace facelead::face {

static_assert(std::endian::native == std::endian::little, "descriptor blobs are little-endian float32");
inline constexpr std::size_t kDescriptorBytes = sizeof(Descriptor);

inline std::vector<std::uint8_t> descriptorBlob(const Descriptor& descriptor) {
    std::vector<std::uint8_t> blob(kDescriptorBytes);
    std::memcpy(blob.data(), descriptor.data(), kDescriptorBytes);
    return blob;
}

// nullopt when the blob is not a descriptor's size (a damaged row).
inline std::optional<Descriptor> descriptorFromBlob(std::span<const std::uint8_t> blob) {
    if (blob.size() != kDescriptorBytes) return std::nullopt;
    Descriptor descriptor;
    std::memcpy(descriptor.data(), blob.data(), kDescriptorBytes);
    return descriptor;
}

}  // namespace facelead::face
