#include "daemon/throttle.hpp"

#include <algorithm>

namespace blink_sync {

TokenBucket::TokenBucket(const Limits& limits, clock::time_point start) {
  const int burst = std::max(1, limits.burst);
  const int earned_per_window = std::max(1, limits.requests_per_window - burst);
  const auto span = limits.window + limits.margin;
  // Round the interval up, so rounding can only make the throttle slower.
  interval_ = (span + clock::duration(earned_per_window - 1)) / earned_per_window;
  tolerance_ = interval_ * (burst - 1);
  theoretical_arrival_ = start + interval_ * burst;
}

TokenBucket::clock::time_point TokenBucket::next_allowed(clock::time_point now) const {
  return std::max(now, theoretical_arrival_ - tolerance_);
}

void TokenBucket::take(clock::time_point now) {
  theoretical_arrival_ = std::max(theoretical_arrival_, now) + interval_;
}

}  // namespace blink_sync
