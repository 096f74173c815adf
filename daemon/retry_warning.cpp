#include "daemon/retry_warning.hpp"

#include <spdlog/spdlog.h>

namespace blink_sync {

void warn_if_retries_piled_up(const std::string& cycle, const CallCounts& counts) {
  if (counts.retries < kRetryWarningThreshold) {
    return;
  }
  spdlog::warn("cycle: retries piled up cycle={} retries={} denied={} requests={}; Blink or the network is slow "
               "or failing, see the blink: lines above",
               cycle, counts.retries, counts.denied, counts.requests);
}

}  // namespace blink_sync
