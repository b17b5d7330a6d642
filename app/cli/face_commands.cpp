#include <iostream>

#include "app/cli/Commands.h"

namespace facelead::cli {

int runDetect(const Words&) {
    std::cerr << "not implemented yet\n";
    return 2;
}

int runEmbed(const Words&) {
    std::cerr << "not implemented yet\n";
    return 2;
}

int runCompare(const Words&) {
    std::cerr << "not implemented yet\n";
    return 2;
}

int runModels(const Words&) {
    std::cerr << "not implemented yet\n";
    return 2;
}

}  // namespace facelead::cli
