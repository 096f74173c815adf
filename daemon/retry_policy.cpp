#include "daemon/retry_policy.hpp"

#include <algorithm>

namespace blink_sync {

namespace http = boost::beast::http;

bool RetryPolicy::may_retry(http::verb method, AttemptFailure failure, int attempt) const {
  if (attempt >= max_attempts) {
    return false;
  }
  if (method != http::verb::post) {
    return true;
  }
  return failure == AttemptFailure::denied || failure == AttemptFailure::not_sent;
}

std::chrono::milliseconds RetryPolicy::delay(int attempt, std::optional<std::chrono::seconds> retry_after,
                                             double jitter) const {
  auto wait = initial_delay;
  for (int i = 1; i < attempt && wait < max_delay; ++i) {
    wait *= 2;
  }
  wait = std::min(wait, max_delay);
  const auto clamped_jitter = std::clamp(jitter, 0.5, 1.0);
  auto jittered = std::chrono::milliseconds(static_cast<long long>(static_cast<double>(wait.count()) * clamped_jitter));
  if (retry_after) {
    jittered = std::max<std::chrono::milliseconds>(jittered, *retry_after);
  }
  return jittered;
}

}  // namespace blink_sync
