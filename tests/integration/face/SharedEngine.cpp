#include "tests/integration/face/SharedEngine.h"

#include <catch2/catch.hpp>

#include "tests/support/TestData.h"

namespace facelead::test {

const face::FaceEngine* sharedEngine() {
    if (!requireModels()) return nullptr;
    static const auto engine = [] {
        auto created = face::FaceEngine::create({});
        if (!created) FAIL(created.error().message);
        return std::move(*created);
    }();
    return engine.get();
}

}  // namespace facelead::test
