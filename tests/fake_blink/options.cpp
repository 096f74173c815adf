#include "options.hpp"

#include <fstream>
#include <stdexcept>
#include <string_view>

#include <CLI/CLI.hpp>
#include <boost/asio/ip/address.hpp>

#include "payload.hpp"

namespace fake_blink {
namespace {

// Splits "HOST:PORT" or "[IPV6]:PORT" and checks that HOST is a loopback
// address, because the fake must never be reachable from another machine.
void parse_listen(std::string_view text, Options& options) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    throw CLI::ValidationError("--listen", "expected HOST:PORT, got \"" + std::string{text} + "\"");
  }

  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(host, error);
  if (error || !address.is_loopback()) {
    throw CLI::ValidationError("--listen", "host must be a loopback address such as 127.0.0.1 "
                                           "or [::1], got \"" + std::string{host} + "\"");
  }

  const auto port = parse_integer(text.substr(colon + 1));
  if (!port || *port < 0 || *port > 65535) {
    throw CLI::ValidationError("--listen", "port must be 0 to 65535, got \"" +
                                               std::string{text.substr(colon + 1)} + "\"");
  }
  options.listen_host = address.to_string();
  options.listen_port = static_cast<std::uint16_t>(*port);
}

std::string read_token_file(const std::string& path) {
  std::ifstream file{path};
  std::string token;
  if (!file || !std::getline(file, token)) {
    throw CLI::ValidationError("--token-file", "cannot read a token from " + path);
  }

  token = std::string{trim_spaces(token)};
  if (!token.empty() && token.back() == '\r') {
    token.pop_back();
  }
  if (token.empty()) {
    throw CLI::ValidationError("--token-file", "the first line of " + path + " is empty");
  }
  return token;
}

}  // namespace

CommandLine parse_command_line(int argc, char** argv) {
  CLI::App app{"Fake Blink Lesson API v1 server for tests. Listens on loopback only and prints "
               "\"listening on HOST:PORT\" on standard output once it accepts connections."};

  Options options;
  std::string listen = "127.0.0.1:0";
  std::string token_file;
  app.add_option("--listen", listen, "Address and port to listen on, HOST:PORT or [::1]:PORT; "
                                     "port 0 picks a free port")
      ->capture_default_str();
  auto* token = app.add_option("--token", options.token, "The one valid API token");
  auto* file = app.add_option("--token-file", token_file,
                              "File whose first line is the one valid API token");
  token->excludes(file);
  app.add_option("--rate-limit", options.rate_limit,
                 "Maximum requests per sliding 60-second window; 0 disables the limit")
      ->capture_default_str();
  app.add_flag("--stop-on-stdin-eof", options.stop_on_stdin_eof,
               "Exit when standard input (a pipe or terminal) reaches end of file, so the "
               "server stops when the process that started it dies");
  app.add_flag("-v,--verbose", options.verbose, "Log one line per request to standard error");

  try {
    app.parse(argc, argv);
    parse_listen(listen, options);
    if (!token_file.empty()) {
      options.token = read_token_file(token_file);
    }
    if (options.token.empty()) {
      throw CLI::RequiredError("--token or --token-file");
    }
  } catch (const CLI::ParseError& error) {
    return {std::nullopt, app.exit(error)};
  }
  return {std::move(options), 0};
}

}  // namespace fake_blink
