#include <iostream>

#include "app/cli/Commands.h"

namespace facelead::cli {

int runGallery(const Words&) {
    std::cerr << "not implemented yet\n";
    return 2;
}

}  // namespace facelead::cli
