#pragma once

#include <optional>
#include <string>
#include <vector>

#include "daemon/config.hpp"

namespace blink_sync {

// The outcome of reading the configuration file again on SIGHUP.
struct ConfigReload {
  std::optional<Config> config;              // the new configuration, when it is valid
  std::vector<std::string> problems;         // why it was rejected, one line each
  std::vector<std::string> restart_keys;     // changed keys that apply only after a restart
};

// Reads `current.path` again. A valid file becomes the new configuration.
// The keys the running daemon cannot change (the database URL, the Blink
// connection, the throttle, and the log file but not its level) keep their
// current values and are listed, so the caller can say that they wait for
// a restart. An invalid file is rejected.
ConfigReload reload_config(const Config& current, const ConfigEnvironment& environment);

// Logs the outcome of a reload: the problems of a rejected file at error
// level, the keys that wait for a restart at warning level.
void log_reload(const ConfigReload& reload, const std::string& path);

}  // namespace blink_sync
