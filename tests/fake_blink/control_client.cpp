#include "control_client.hpp"

#include <stdexcept>

namespace fake_blink {

ControlClient::ControlClient(std::uint16_t port, std::string host,
                             std::chrono::milliseconds timeout)
    : client_(std::move(host), port, timeout) {}

nlohmann::json ControlClient::send(std::string_view method, std::string_view path,
                                   const nlohmann::json& body) {
  const std::string text = body.is_null() ? std::string{} : body.dump();
  HttpResponse response;
  try {
    response = client_.request(method, path, text);
  } catch (const HttpTransportError&) {
    // The server closes a connection idle for a minute. A GET is sent again
    // on a new connection; other requests may have been applied.
    if (method != "GET") {
      throw;
    }
    response = client_.request(method, path, text);
  }
  if (response.status != 200) {
    throw std::runtime_error(std::string{method} + " " + std::string{path} + " returned " +
                             std::to_string(response.status) + ": " + response.body);
  }
  return response.json();
}

nlohmann::json ControlClient::get(std::string_view path) { return send("GET", path); }

nlohmann::json ControlClient::stats() { return get("/_control/stats"); }

nlohmann::json ControlClient::state() { return get("/_control/state"); }

void ControlClient::reset() { send("POST", "/_control/reset"); }

nlohmann::json ControlClient::seed(const nlohmann::json& document) {
  return send("POST", "/_control/seed", document);
}

void ControlClient::add_faults(const nlohmann::json& rules) {
  send("POST", "/_control/faults", rules);
}

void ControlClient::clear_faults() { send("DELETE", "/_control/faults"); }

void ControlClient::set_rate_limit(std::size_t limit) {
  send("POST", "/_control/rate-limit", {{"limit", limit}});
}

}  // namespace fake_blink
