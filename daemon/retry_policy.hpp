#pragma once

#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <optional>

namespace blink_sync {

// Kind of attempt failure, as far as retrying is concerned.
enum class AttemptFailure {
  denied,        // the rate limit refused it (HTTP 429): nothing was done
  server_error,  // HTTP 5xx: Blink may or may not have applied it
  not_sent,      // resolving, connecting, TLS or writing failed: Blink never saw it
  no_response,   // sent, but no response came (timeout, reset): outcome unknown
};

// Which failures are retried and how long to wait, in one place.
//
// GET, PUT and DELETE are idempotent, so every failure is retried. A POST is
// retried only when Blink certainly did not act on it: a denial, or a request
// never sent. A second POST after a lost response may create a duplicate, and
// a duplicate staff member is charged to the organisation.
// A POST whose outcome is unknown is left to the next cycle, which reads
// Blink and adopts the record if it was created.
struct RetryPolicy {
  int max_attempts = 5;
  std::chrono::milliseconds initial_delay{1000};
  std::chrono::milliseconds max_delay{60000};

  // Returns true when attempt number `attempt` (1-based) may be followed by another.
  bool may_retry(boost::beast::http::verb method, AttemptFailure failure, int attempt) const;

  // Returns the wait before the attempt after `attempt`: `initial_delay`
  // doubled per attempt up to `max_delay`, scaled by `jitter` in [0.5, 1]
  // so that clients do not retry in step, and never shorter than Blink's
  // Retry-After.
  std::chrono::milliseconds delay(int attempt, std::optional<std::chrono::seconds> retry_after,
                                  double jitter) const;
};

}  // namespace blink_sync
