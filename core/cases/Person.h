#pragma once
// A user as shown next to what they did: a name read with the record, never a live account.

#include <cstdint>
#include <string>

namespace facelead::cases {

struct Person {
    std::int64_t id = 0;
    std::string displayName;  // "" when unknown
};

}  // namespace facelead::cases
