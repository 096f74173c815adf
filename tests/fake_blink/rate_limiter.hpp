// The document's request limit: "60 API request per minute. Any requests
// within a minute window that go beyond 60 will be denied."
//
// The window slides over exact arrival times: a request is denied when
// `limit` requests were admitted in the 60 seconds before it. Denied
// requests are not recorded, so a client that keeps retrying is admitted as
// soon as the oldest admitted request is 60 seconds old.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

#include "sliding_window.hpp"

namespace fake_blink {

inline constexpr std::chrono::seconds kRateWindow{60};

class RateLimiter {
 public:
  // A `limit` of 0 admits every request.
  explicit RateLimiter(std::size_t limit) : limit_(limit) {}

  // Admits and records a request at `now`, or returns the whole seconds
  // (at least 1) until a slot frees, for the Retry-After header.
  std::optional<std::chrono::seconds> try_admit(SteadyTime now);

  // Changes the limit and keeps the requests already admitted.
  void set_limit(std::size_t limit) { limit_ = limit; }
  std::size_t limit() const { return limit_; }

  void clear() { admitted_.clear(); }

 private:
  std::size_t limit_;
  SlidingWindow admitted_{kRateWindow};
};

}  // namespace fake_blink
