#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include "daemon/clock.hpp"
#include "daemon/http_transport.hpp"
#include "daemon/retry_policy.hpp"
#include "daemon/throttle.hpp"

namespace blink_sync {

// The outcome of one API call after retries. Expected failures (404, 406,
// 5xx after the last retry, no response) are values, not exceptions.
struct ApiResult {
  unsigned status = 0;          // 0 when no response arrived
  // Blink's status.message, or what went wrong. For a 2xx response whose
  // body cannot be parsed, the reason it cannot.
  std::string message;
  nlohmann::json body;          // the parsed body; null when it was not JSON
  bool outcome_unknown = false; // Blink may have applied the request; no response confirms it

  bool ok() const { return status >= 200 && status < 300; }
};

// Blink returned 401: the token is wrong, or locked out after failed
// attempts. The cycle stops at once, because every further request would
// count towards Blink's lock-out (five failures lock the token for 60 s).
class AuthenticationFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A wait was cut short because the daemon is shutting down.
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted by shutdown") {}
};

// Requests sent in the current cycle, for the summary line.
struct CallCounts {
  std::size_t requests = 0;  // every attempt sent, retries included
  std::size_t denied = 0;    // attempts the rate limit refused
  std::size_t retries = 0;
};

struct ClientOptions {
  std::string token;
  RetryPolicy retry;
  std::function<double()> jitter;  // returns a value in [0.5, 1]
  // Where the token came from, named in the message of a 401 (token_source()).
  std::string token_source = "the configured API token source";
};

// Calls the Blink API: throttles every attempt through the token bucket,
// retries what RetryPolicy allows, and classifies the response. One call at a
// time, from one coroutine.
class BlinkClient {
 public:
  BlinkClient(HttpTransport& transport, Clock& clock, TokenBucket& bucket, ClientOptions options);

  // Sends `method target` with an optional JSON body. Throws
  // AuthenticationFailed on 401 and Interrupted when shutdown cuts a wait.
  boost::asio::awaitable<ApiResult> call(boost::beast::http::verb method, std::string target,
                                         std::optional<nlohmann::json> body = std::nullopt);

  CallCounts& counts() { return counts_; }

  // Replaces the token for later calls (after the token file changed).
  void set_token(std::string token) { options_.token = std::move(token); }

 private:
  boost::asio::awaitable<void> wait_for_token();
  boost::asio::awaitable<void> wait_before_retry(int attempt, std::optional<std::chrono::seconds> retry_after);

  HttpTransport& transport_;
  Clock& clock_;
  TokenBucket& bucket_;
  ClientOptions options_;
  CallCounts counts_;
};

}  // namespace blink_sync
