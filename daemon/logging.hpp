#pragma once

#include <string>

#include "daemon/config.hpp"

namespace blink_sync {

// Sets up the default spdlog logger: standard error always, plus a file
// rotated by size (log.max_size_mb, log.max_files) when log.file is set.
// Lines read "2026-12-04T20:32:25.123+0000 info component: sentence key=value".
// Throws std::runtime_error when the log file cannot be opened.
void setup_logging(const LogConfig& config);

// Logs to standard error only, before the configuration is read.
void setup_console_logging();

// Returns `text` with email addresses and dates replaced by placeholders, so
// a message from Blink (which may quote the value it rejected) can be logged
// at error level without personal data.
std::string redact_personal_data(const std::string& text);

}  // namespace blink_sync
