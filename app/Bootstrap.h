#pragma once

namespace facelead {

// Hardens the process before anything sensitive is loaded: no core dumps (they would hold biometric
// data and key material), no ptrace attach by other users' processes.
void hardenProcess();

}  // namespace facelead
