#include "daemon/systemd_notify.hpp"

#include <systemd/sd-daemon.h>

#include <spdlog/spdlog.h>

#include <cstdint>
#include <cstring>

namespace blink_sync {
namespace {

// STATUS= is one line; systemd shows it in `systemctl status`.
std::string one_line_status(const std::string& status) {
  std::string line = status;
  for (auto& character : line) {
    if (character == '\n' || character == '\r') {
      character = ' ';
    }
  }
  return line;
}

}  // namespace

SystemdNotifier::SystemdNotifier() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    watchdog_period_ = std::chrono::microseconds(usec / 2);
  }
}

void SystemdNotifier::ready(const std::string& status) const {
  send("READY=1\nSTATUS=" + one_line_status(status));
}

void SystemdNotifier::status(const std::string& status) const { send("STATUS=" + one_line_status(status)); }

void SystemdNotifier::reloading() const { send("RELOADING=1\nSTATUS=reloading the configuration"); }

void SystemdNotifier::stopping() const { send("STOPPING=1\nSTATUS=stopping"); }

void SystemdNotifier::watchdog() const { send("WATCHDOG=1"); }

void SystemdNotifier::send(const std::string& message) const {
  const int result = sd_notify(0, message.c_str());
  if (result < 0) {
    spdlog::warn("systemd: cannot send a notification to NOTIFY_SOCKET: {}", std::strerror(-result));
  }
}

}  // namespace blink_sync
