#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "daemon/url.hpp"

namespace blink_sync {

struct HttpResponse {
  unsigned status = 0;
  std::string body;
  std::optional<std::chrono::seconds> retry_after;
};

// A request that got no HTTP response. `may_have_arrived` is false only
// when Blink certainly never received the whole request (resolving,
// connecting, the TLS handshake or the write failed).
class TransportError : public std::runtime_error {
 public:
  // `permanent` marks a failure that sending again cannot cure, such as a
  // certificate that does not verify.
  TransportError(const std::string& message, bool may_have_arrived, bool permanent = false)
      : std::runtime_error(message), may_have_arrived_(may_have_arrived), permanent_(permanent) {}
  bool may_have_arrived() const { return may_have_arrived_; }
  bool permanent() const { return permanent_; }

 private:
  bool may_have_arrived_;
  bool permanent_;
};

struct TransportOptions {
  std::chrono::seconds connect_timeout{10};  // resolve, connect and TLS handshake
  std::chrono::seconds request_timeout{60};  // writing the request and reading the whole response
  std::optional<std::string> ca_file;        // PEM bundle; the system store when unset
  std::size_t max_response_bytes = 64U * 1024U * 1024U;
  std::string user_agent = "blink-sync";
};

// One HTTP/1.1 connection to Blink, kept alive between requests and opened
// again when the server closes it. HTTPS verifies the certificate chain and
// the host name and sends SNI. Call from one coroutine at a time, on the
// executor given.
class HttpTransport {
 public:
  HttpTransport(boost::asio::any_io_executor executor, Endpoint endpoint, TransportOptions options);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Sends one request and reads its response. `target` is the path under
  // the base path, with its query ("/staff?page=2"). A connection that sat
  // idle is replaced first, so a request is not lost to a server that closed
  // the idle connection meanwhile. Throws TransportError.
  boost::asio::awaitable<HttpResponse> send(boost::beast::http::verb method, std::string_view target,
                                            std::string body, std::string_view bearer_token);

  // Closes the connection at once, failing a request in flight (the last
  // step of shutdown).
  void close();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace blink_sync
