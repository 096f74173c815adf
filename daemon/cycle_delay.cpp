#include "daemon/cycle_delay.hpp"

#include <algorithm>

namespace blink_sync {

std::chrono::milliseconds delay_after_cycle(const CycleReport& report, const SyncConfig& sync) {
  std::chrono::milliseconds delay = sync.poll_interval;
  if (report.outcome == RunOutcome::failed && !report.token_rejected) {
    delay = std::min<std::chrono::milliseconds>(delay, kRetryAfterFailedCycle);
  }
  if (report.held_in_doubt > 0) {
    delay = std::min<std::chrono::milliseconds>(delay, sync.in_doubt_settle + kSettleMargin);
  }
  return delay;
}

}  // namespace blink_sync
