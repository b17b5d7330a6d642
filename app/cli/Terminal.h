#pragma once
// Secrets come from the terminal (without echo) or from standard input, never from arguments.

#include <string>

namespace facelead::cli {

// Prompts on stderr when stdin is a terminal (echo off); otherwise reads one line from stdin.
// Returns false at end of input.
bool readSecret(const std::string& prompt, std::string& out);

}  // namespace facelead::cli
