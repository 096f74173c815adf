#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "daemon/blink_client.hpp"
#include "daemon/http_transport.hpp"
#include "daemon/throttle.hpp"
#include "fake_clock.hpp"
#include "loopback_server.hpp"

namespace blink_sync::testing {

// Runs `task` on `io` until it finishes, for at most `limit` of real time.
// Returns its result or rethrows its exception; throws std::runtime_error
// when it did not finish in time.
template <typename T>
T run_to_completion(boost::asio::io_context& io, boost::asio::awaitable<T> task,
                    std::chrono::steady_clock::duration limit = std::chrono::seconds(5)) {
  struct Outcome {
    bool done = false;
    std::exception_ptr failure;
    std::optional<T> value;
  };
  auto outcome = std::make_shared<Outcome>();

  io.restart();
  boost::asio::co_spawn(io, std::move(task), [outcome, &io](std::exception_ptr failure, T value) {
    outcome->done = true;
    outcome->failure = failure;
    if (!failure) {
      outcome->value = std::move(value);
    }
    io.stop();
  });
  io.run_for(limit);

  if (!outcome->done) {
    throw std::runtime_error("the coroutine did not finish within the time limit");
  }
  if (outcome->failure) {
    std::rethrow_exception(outcome->failure);
  }
  return std::move(*outcome->value);
}

struct ClientSetup {
  int max_attempts = 3;
  // High enough that the throttle adds only milliseconds of fake time, so a
  // test can tell a Retry-After wait from the throttle's.
  int requests_per_minute = 6000;
  int burst = 1;
  std::chrono::seconds connect_timeout{2};
  std::chrono::seconds request_timeout{5};
  std::size_t max_response_bytes = 1024U * 1024U;
  std::string token = "test-token";
  std::string token_source = "blink.token_file (\"/etc/blink-sync/token\")";
  // Connect here instead of to the loopback server.
  std::optional<std::string> base_url;
  std::optional<std::string> ca_file;  // blink.ca_file; the system store when unset
};

// A BlinkClient wired to a LoopbackServer and a FakeClock on one io_context.
// The io_context is declared first, so it outlives everything bound to it.
struct ClientHarness {
  explicit ClientHarness(Handler handler, ClientSetup setup = {});

  // Sends one call and returns its result; rethrows what the call throws.
  ApiResult call(boost::beast::http::verb method, std::string target,
                 std::optional<nlohmann::json> body = std::nullopt);

  boost::asio::io_context io;
  LoopbackServer server;
  FakeClock clock;
  TokenBucket bucket;
  HttpTransport transport;
  BlinkClient client;
};

}  // namespace blink_sync::testing
