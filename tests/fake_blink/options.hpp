// Command line of the fake-blink executable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace fake_blink {

struct Options {
  std::string listen_host = "127.0.0.1";  // a loopback address literal
  std::uint16_t listen_port = 0;  // 0 lets the kernel choose
  std::string token;
  std::size_t rate_limit = 60;
  bool stop_on_stdin_eof = false;
  bool verbose = false;
};

struct CommandLine {
  std::optional<Options> options;  // empty when the program should exit
  int exit_code = 0;
};

// Parses the command line. On --help or an error it prints the help or a
// message naming the option and returns no options with the exit code.
CommandLine parse_command_line(int argc, char** argv);

}  // namespace fake_blink
