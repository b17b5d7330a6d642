#pragma once

namespace facelead {

// Hardens the process before anything sensitive is loaded: no core dumps (they would hold biometric
// data and key material), no ptrace attach by other users' processes, and every file the process creates
// (store, -wal/-shm, key file, exports, reports, anchors) owner-only: umask 077, so 0600 whatever the
// user's umask and whichever library writes the file (issue 8 item 5). Initialises libsodium; false
// when it cannot (then nothing cryptographic may run).
[[nodiscard]] bool hardenProcess();

}  // namespace facelead
