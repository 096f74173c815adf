#include "daemon/config_reload.hpp"

#include <spdlog/spdlog.h>

#include "mapping/text.hpp"

namespace blink_sync {
namespace {

std::vector<std::string> keys_needing_restart(const Config& old_config, const Config& new_config) {
  const auto& a = old_config.blink;
  const auto& b = new_config.blink;
  const std::vector<std::pair<const char*, bool>> changes = {
      {"database.url", old_config.database.url != new_config.database.url},
      {"blink.base_url", a.base_url != b.base_url},
      {"blink.ca_file", a.ca_file != b.ca_file},
      {"blink.requests_per_minute", a.requests_per_minute != b.requests_per_minute},
      {"blink.burst", a.burst != b.burst},
      {"blink.connect_timeout_seconds", a.connect_timeout != b.connect_timeout},
      {"blink.request_timeout_seconds", a.request_timeout != b.request_timeout},
      {"blink.max_attempts", a.max_attempts != b.max_attempts},
      {"blink.retry_initial_delay_ms", a.retry_initial_delay != b.retry_initial_delay},
      {"blink.retry_max_delay_ms", a.retry_max_delay != b.retry_max_delay},
      {"blink.max_response_mb", a.max_response_bytes != b.max_response_bytes},
      {"log.file", old_config.log.file != new_config.log.file},
      {"log.format", old_config.log.format != new_config.log.format},
      {"log.rotation", old_config.log.rotation != new_config.log.rotation},
      {"log.max_size_mb", old_config.log.max_size_mb != new_config.log.max_size_mb},
      {"log.max_files", old_config.log.max_files != new_config.log.max_files},
  };
  std::vector<std::string> keys;
  for (const auto& [key, changed] : changes) {
    if (changed) {
      keys.emplace_back(key);
    }
  }
  return keys;
}

// Keeps the values the running daemon was built with, so the configuration
// it reports is the one in effect until a restart.
void keep_running_values(const Config& current, Config& config) {
  config.database = current.database;
  const auto page_size = config.blink.page_size;
  const auto token_file = config.blink.token_file;
  const auto token_credential = config.blink.token_credential;
  config.blink = current.blink;
  config.blink.page_size = page_size;
  config.blink.token_file = token_file;
  config.blink.token_credential = token_credential;
  const auto level = config.log.level;
  config.log = current.log;
  config.log.level = level;
}

}  // namespace

ConfigReload reload_config(const Config& current, const ConfigEnvironment& environment) {
  ConfigReload reload;
  try {
    auto config = load_config(current.path, environment);
    load_token(config, environment);
    reload.restart_keys = keys_needing_restart(current, config);
    keep_running_values(current, config);
    reload.config = std::move(config);
  } catch (const ConfigError& error) {
    reload.problems = error.problems();
  }
  return reload;
}

void log_reload(const ConfigReload& reload, const std::string& path) {
  if (!reload.config) {
    for (const auto& problem : reload.problems) {
      spdlog::error("service: reload rejected, keeping the running configuration: {}", problem);
    }
    return;
  }
  spdlog::info("service: reloaded version={} config={}; it applies from the next cycle", BLINK_SYNC_VERSION, path);
  if (!reload.restart_keys.empty()) {
    spdlog::warn("service: these changed keys apply only after a restart: {}", join(reload.restart_keys, ", "));
  }
}

}  // namespace blink_sync
