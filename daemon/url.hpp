#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace blink_sync {

// Location of the Blink API, split from the configured base URL.
struct Endpoint {
  bool tls = true;
  std::string host;       // without brackets for IPv6 literals
  std::string port;       // "443" or "80" when the URL gives none
  std::string base_path;  // "/v1", without a trailing slash
};

// Splits a base URL such as "https://api.blinksession.com/v1". Throws
// std::invalid_argument naming the problem. Plain http is accepted only for
// a loopback host (127.0.0.0/8, ::1 or "localhost"), because the token would
// otherwise cross the network in clear text.
Endpoint parse_endpoint(std::string_view base_url);

// Returns the problem with a base URL, or nullopt when parse_endpoint accepts it.
std::optional<std::string> check_base_url(std::string_view base_url);

// Returns true for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(std::string_view host);

}  // namespace blink_sync
