#pragma once
// Private to core/imaging: a small EXIF reader (orientation, DateTimeOriginal, Make, Model) for JPEG APP1,
// PNG eXIf, WebP EXIF chunks and TIFF files. Damaged EXIF is ignored: the pixels still count, the metadata is simply absent.

#include <cstdint>
#include <span>

#include "core/imaging/Image.h"
#include "core/imaging/detail/Sniff.h"

namespace facelead::imaging::detail {

CaptureMetadata readCaptureMetadata(Format format, std::span<const std::uint8_t> bytes);

}  // namespace facelead::imaging::detail
