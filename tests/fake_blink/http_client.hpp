// A small blocking HTTP/1.1 client for tests, with keep-alive and a bound
// on every network step.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace fake_blink {

// A failure below HTTP: connecting, sending or receiving failed or timed
// out, or the server closed the connection without a response.
class HttpTransportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  // Returns the header value, or "" when the header is absent.
  std::string header(std::string_view name) const;

  // Parses the body as JSON. Throws nlohmann::json::parse_error when it is not.
  nlohmann::json json() const;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// Not thread-safe. Keeps one connection open across requests and reconnects
// after the server closes it.
class HttpClient {
 public:
  // `host` must be an IP address literal. `timeout` bounds each of connect,
  // write and read.
  HttpClient(std::string host, std::uint16_t port,
             std::chrono::milliseconds timeout = std::chrono::seconds{5});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request and waits for its response. A non-empty `body` is sent
  // with Content-Type application/json. Throws HttpTransportError.
  HttpResponse request(std::string_view method, std::string_view target,
                       const std::string& body = {}, const HttpHeaders& headers = {});

  // Closes the connection; the next request opens a new one.
  void disconnect();

 private:
  struct Connection;
  std::unique_ptr<Connection> connection_;
};

}  // namespace fake_blink
