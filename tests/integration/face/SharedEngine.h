#pragma once
// One face engine per test executable (loading the networks costs about a second).

#include "core/face/FaceEngine.h"

namespace facelead::test {

// The engine with the default configuration, or nullptr when the models are absent (test skipped).
const face::FaceEngine* sharedEngine();

}  // namespace facelead::test
