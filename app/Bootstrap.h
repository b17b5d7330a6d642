#pragma once

namespace facelead {

// Hardens the process before anything sensitive is loaded: no core dumps (they would hold biometric
// data and key material), no ptrace attach by other users' processes. Initialises libsodium; false
// when it cannot (then nothing cryptographic may run).
[[nodiscard]] bool hardenProcess();

}  // namespace facelead
