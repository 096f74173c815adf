#include "daemon/housekeeping.hpp"

#include <algorithm>

namespace blink_sync {

namespace asio = boost::asio;

asio::awaitable<void> run_housekeeping(Clock& clock, ControlChannel& control, std::function<void()> feed_watchdog,
                                       std::optional<std::chrono::microseconds> watchdog_period) {
  const auto start = clock.now();
  auto next_scan = start + kRequestScanInterval;
  auto next_beat = start + kHeartbeatInterval;
  auto next_watchdog = start;
  if (watchdog_period) {
    feed_watchdog();
    next_watchdog = start + *watchdog_period;
  }

  for (;;) {
    auto wake = clock.now() + kControlTick;
    if (watchdog_period) {
      wake = std::min(wake, next_watchdog);
    }
    if (!co_await clock.sleep_until(wake)) {
      co_return;
    }
    const auto now = clock.now();

    if (watchdog_period && now >= next_watchdog) {
      feed_watchdog();
      next_watchdog = now + *watchdog_period;
    }
    const bool scan = now >= next_scan;
    if (scan) {
      next_scan = now + kRequestScanInterval;
    }
    control.accept_requests(scan);
    if (now >= next_beat) {
      control.beat();
      next_beat = now + kHeartbeatInterval;
    }
  }
}

asio::awaitable<bool> wait_for_next_cycle(Clock& clock, Clock::time_point deadline, const ControlChannel& control) {
  while (!control.resync_pending() && !control.roster_changed()) {
    const auto now = clock.now();
    if (now >= deadline) {
      co_return true;
    }
    if (!co_await clock.sleep_until(std::min(deadline, now + kControlTick))) {
      co_return false;
    }
  }
  co_return true;
}

// Appointment counts are added only when a cycle wrote appointments, so
// the line stays short where appointments are not synced.
std::string describe_cycle(const CycleReport& report, std::chrono::seconds next_in) {
  const auto& done = report.totals.done;
  const auto& events = report.totals.events;
  const auto cycle = report.run_id ? std::to_string(*report.run_id) : std::string("unrecorded");
  std::string text = "cycle=" + cycle + " " + std::string(outcome_name(report.outcome)) +
                     " created=" + std::to_string(done.created) + " updated=" + std::to_string(done.updated) +
                     " discharged=" + std::to_string(done.discharged) + " deleted=" + std::to_string(done.deleted) +
                     " held=" + std::to_string(report.held_removals) + " errors=" + std::to_string(report.totals.errors);
  if (events.created + events.updated + events.deleted > 0) {
    text += " events_created=" + std::to_string(events.created) + " events_updated=" +
            std::to_string(events.updated) + " events_deleted=" + std::to_string(events.deleted);
  }
  return text + "; next in " + std::to_string(next_in.count()) + " s or on a resync request";
}

}  // namespace blink_sync
