#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace blink_sync {

// Tells systemd about the service's state through sd_notify(3). Every call
// does nothing when NOTIFY_SOCKET is unset, so the daemon runs the same way
// outside systemd. Call from the event loop's thread.
class SystemdNotifier {
 public:
  // Reads WATCHDOG_USEC and WATCHDOG_PID once; keeps NOTIFY_SOCKET set, so
  // a reload can send READY=1 again.
  SystemdNotifier();

  void ready(const std::string& status) const;
  void status(const std::string& status) const;
  void reloading() const;
  void stopping() const;
  void watchdog() const;

  // Returns how often to send WATCHDOG=1 (half of WatchdogSec=), or nullopt
  // when systemd does not watch this process.
  std::optional<std::chrono::microseconds> watchdog_period() const { return watchdog_period_; }

 private:
  void send(const std::string& message) const;

  std::optional<std::chrono::microseconds> watchdog_period_;
};

}  // namespace blink_sync
