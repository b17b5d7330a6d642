#include "app/Bootstrap.h"

#include <sodium.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

namespace facelead {

bool hardenProcess() {
    rlimit none{0, 0};
    setrlimit(RLIMIT_CORE, &none);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    umask(S_IRWXG | S_IRWXO);
    return sodium_init() >= 0;  // 1 (already initialised) is fine too
}

}  // namespace facelead
