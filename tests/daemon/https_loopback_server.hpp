#pragma once

#include <atomic>
#include <cstddef>
#include <memory>

#include "test_certificates.hpp"

namespace blink_sync::testing {

// An HTTPS/1.1 server on 127.0.0.1 and a port the system picks, presenting
// the certificate given. It responds to every request with HTTP 200 and a
// small Blink-shaped JSON body, then closes the connection. It runs on a thread
// of its own, so a test can drive the client's io_context alone.
class HttpsLoopbackServer {
 public:
  explicit HttpsLoopbackServer(const Identity& identity);
  ~HttpsLoopbackServer();
  HttpsLoopbackServer(const HttpsLoopbackServer&) = delete;
  HttpsLoopbackServer& operator=(const HttpsLoopbackServer&) = delete;

  unsigned short port() const;

  // TLS handshakes that clients started, and requests that got a response.
  std::size_t handshakes() const;
  std::size_t requests() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace blink_sync::testing
