#include "rate_limiter.hpp"

#include <algorithm>

namespace fake_blink {

std::optional<std::chrono::seconds> RateLimiter::try_admit(SteadyTime now) {
  if (limit_ == 0) {
    return std::nullopt;
  }

  const auto wait = admitted_.time_until_below(limit_, now);
  if (wait > std::chrono::steady_clock::duration::zero()) {
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(wait);
    return std::max(seconds, std::chrono::seconds{1});
  }

  admitted_.add(now);
  return std::nullopt;
}

}  // namespace fake_blink
