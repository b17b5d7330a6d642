#pragma once
// What a user's authenticator app shows (RFC 6238, liboath's generator: independent of the verification
// path under test). Test programs using it link PkgConfig::OATH.

#include <catch2/catch.hpp>

#include <liboath/oath.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/accounts/SecondFactor.h"

namespace facelead::test {

inline std::string authenticatorCode(const std::vector<std::uint8_t>& secret,
                                     TimePoint at = std::chrono::system_clock::now()) {
    char code[accounts::kTotpDigits + 1] = {};
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
    REQUIRE(oath_totp_generate(reinterpret_cast<const char*>(secret.data()), secret.size(), static_cast<time_t>(seconds),
                               accounts::kTotpStepSeconds, 0, accounts::kTotpDigits, code) == OATH_OK);
    return code;
}

}  // namespace facelead::test
