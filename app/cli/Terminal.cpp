#include "app/cli/Terminal.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace facelead::cli {

bool readSecret(const std::string& prompt, std::string& out) {
    const bool interactive = isatty(STDIN_FILENO);
    termios saved{};
    if (interactive) {
        std::cerr << prompt << std::flush;
        tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    const bool got = static_cast<bool>(std::getline(std::cin, out));
    if (interactive) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::cerr << '\n';
    }
    return got;
}

}  // namespace facelead::cli
