#pragma once
// The two clocks of the face benchmarks. CPU seconds of the whole process (all threads): on a shared machine
// the wall-clock time depends on what else runs, the CPU cost per image does not ("images/s per core").

#include <sys/resource.h>

#include <chrono>

namespace facelead::bench {

inline double processCpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

inline double wallSeconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace facelead::bench
