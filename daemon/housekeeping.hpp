#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <optional>

#include "daemon/clock.hpp"
#include "daemon/sync_cycle.hpp"

namespace blink_sync {

// How often the daemon looks for a NOTIFY from blink-sync --resync or a
// roster trigger. Each look is one non-blocking read of a socket.
constexpr std::chrono::milliseconds kControlTick{250};
// How often it reads blink_sync.resync_requests without a NOTIFY.
constexpr std::chrono::seconds kRequestScanInterval{15};
// How often it refreshes its heartbeat row; well under kHeartbeatStale.
constexpr std::chrono::seconds kHeartbeatInterval{10};

// The daemon's side of the heartbeat and the resync requests, as the loop
// uses it. ServiceControl is the real one.
class ControlChannel {
 public:
  virtual ~ControlChannel() = default;

  // Refreshes the heartbeat row.
  virtual void beat(std::optional<std::chrono::system_clock::time_point> next_cycle = std::nullopt) = 0;
  // Accepts new resync requests, reading the table when `force` is set or
  // a NOTIFY arrived. Returns whether a request waits.
  virtual bool accept_requests(bool force) = 0;
  virtual bool resync_pending() const = 0;
  // A committed roster change, reported by the triggers of install-triggers.
  virtual bool roster_changed() const { return false; }
  virtual void clear_roster_changed() {}
};

// The daemon's background duties on the event loop, during cycles and
// between them: the heartbeat row, accepting resync requests and, every
// `watchdog_period` when systemd set one, `feed_watchdog`. Because
// WATCHDOG=1 is sent from this coroutine, a blocked event loop stops it and
// systemd restarts the service. Ends when `clock.stop_waits()` is called.
boost::asio::awaitable<void> run_housekeeping(Clock& clock, ControlChannel& control,
                                              std::function<void()> feed_watchdog,
                                              std::optional<std::chrono::microseconds> watchdog_period);

// Waits until `deadline`, until a resync request is accepted or the roster
// changes, or until shutdown, whichever comes first. Returns false on
// shutdown.
boost::asio::awaitable<bool> wait_for_next_cycle(Clock& clock, Clock::time_point deadline,
                                                 const ControlChannel& control);

// Returns the one-line STATUS= text after a cycle, such as "cycle=12
// succeeded created=0 updated=3 deleted=0 held=0 errors=2; next in 300 s".
std::string describe_cycle(const CycleReport& report, std::chrono::seconds next_in);

}  // namespace blink_sync
