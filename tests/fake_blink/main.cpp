// fake-blink: a Blink Lesson API v1 server for tests and the demo.
#include <exception>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "http_server.hpp"
#include "options.hpp"

int main(int argc, char** argv) {
  const auto command_line = fake_blink::parse_command_line(argc, argv);
  if (!command_line.options) {
    return command_line.exit_code;
  }
  const fake_blink::Options& options = *command_line.options;

  // Standard output carries only the "listening on" line that tests read.
  spdlog::set_default_logger(spdlog::stderr_color_mt("fake-blink"));
  spdlog::set_level(options.verbose ? spdlog::level::debug : spdlog::level::info);

  try {
    return fake_blink::run_server(options);
  } catch (const std::exception& error) {
    spdlog::error("Fake Blink server failed: {}", error.what());
    return 1;
  }
}
