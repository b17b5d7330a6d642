#include <iostream>

#include "app/cli/Commands.h"

namespace facelead::cli {

int runStore(const Words&) {
    std::cerr << "not implemented yet\n";
    return 2;
}

int runUser(const Words&) {
    std::cerr << "not implemented yet\n";
    return 2;
}

int runAudit(const Words&) {
    std::cerr << "not implemented yet\n";
    return 2;
}

}  // namespace facelead::cli
