#pragma once

#include <chrono>

namespace blink_sync {

// Token bucket that keeps every request under Blink's limit: at most
// `requests_per_window` requests in any sliding window of `window`.
//
// It contains at most `burst` tokens and earns one every
// (window + margin) / (requests_per_window - burst), so burst + rate x window
// stays under the limit even when the network delivers two requests closer
// together than they were sent (the margin). It is kept in the
// virtual-scheduling form (GCRA) on integer nanoseconds, so the bound is
// exact rather than subject to floating-point drift.
//
// The bucket starts empty rather than full, because the previous process (a
// --once run a moment ago) may have used the server's current window: the
// first window of this process then adds at most rate x window, and the two
// together stay within the limit.
//
// Pure arithmetic on time points; the waiting is the caller's.
class TokenBucket {
 public:
  using clock = std::chrono::steady_clock;

  struct Limits {
    int requests_per_window = 60;
    int burst = 1;
    clock::duration window = std::chrono::seconds(60);
    clock::duration margin = std::chrono::milliseconds(500);
  };

  TokenBucket(const Limits& limits, clock::time_point start);

  // Returns the earliest time at which take() may be called.
  clock::time_point next_allowed(clock::time_point now) const;

  // Consumes one token at `now`, which must not be before next_allowed(now).
  void take(clock::time_point now);

  clock::duration interval() const { return interval_; }

 private:
  clock::duration interval_;   // time to earn one token
  clock::duration tolerance_;  // (burst - 1) intervals: how early a request may come
  clock::time_point theoretical_arrival_;
};

}  // namespace blink_sync
