#pragma once

#include <string>

#include "daemon/config.hpp"

namespace blink_sync {

// Sets up the default spdlog logger: standard error always, plus log.file
// when it is set, rotated by size (log.max_size_mb, log.max_files) or, with
// log.rotation external, left to logrotate. Text lines read
// "2026-12-04T20:32:25.123+0000 info component: sentence key=value"; with
// log.format json each line is one JSON object with the same fields.
// Throws std::runtime_error when the log file cannot be opened.
void setup_logging(const LogConfig& config);

// Reopens log.file after an external tool rotated it (log.rotation
// external); does nothing otherwise. A failure is logged, not thrown.
void reopen_log_file(const LogConfig& config);

// Changes the level of the default logger ("debug", "info", ...).
void set_log_level(const std::string& level);

// Logs to standard error only, before the configuration is read.
void setup_console_logging();

// Returns `text` with email addresses and dates replaced by placeholders, so
// a message from Blink (which may quote the value it rejected) can be logged
// at error level without personal data.
std::string redact_personal_data(const std::string& text);

}  // namespace blink_sync
