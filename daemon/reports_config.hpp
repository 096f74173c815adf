#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <string>
#include <vector>

#include "mapping/report_row.hpp"

namespace blink_sync {

class ConfigReader;

// The `reports:` section: the import of Blink's attendance reports into
// blink_sync.report_events and blink_sync.report_sessions.
struct ReportsConfig {
  bool enabled = false;
  // The IANA zone Blink is asked for: rangeStart, rangeEnd and "today" are
  // days in it, and the local times in the rows are read in it.
  std::string timezone;
  // An import runs after a sync cycle once this long has passed since the
  // last one ended.
  std::chrono::hours interval{24};
  // The first day of the first import.
  std::chrono::sys_days start_date{};
  // Each import reads again this many days before the last day it imported
  // completely, because Blink recomputes report rows nightly.
  int overlap_days = 2;
  // A longer range is split into ranges of this many days.
  int max_days_per_range = 31;
  std::vector<ReportKind> reports = {ReportKind::events, ReportKind::sessions};
};

// Reads the `reports:` section of `root` into `reports`, recording each
// problem in `reader`. timezone and start_date are required when enabled.
void read_reports_config(ConfigReader& reader, const YAML::Node& root, ReportsConfig& reports);

}  // namespace blink_sync
