#pragma once
// Time comes from an injectable clock so lockouts, inactivity and audit times are testable.

#include <chrono>
#include <string>

namespace facelead {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// ISO 8601 UTC with milliseconds, e.g. 2026-11-24T15:27:50.123Z: the one format stored and shown.
std::string toIsoUtc(TimePoint t);
// Parses toIsoUtc's format (milliseconds optional); returns false on anything else.
bool fromIsoUtc(const std::string& text, TimePoint& out);

}  // namespace facelead
