#include "daemon/reports_config.hpp"

#include "daemon/config_reader.hpp"
#include "daemon/timezone.hpp"
#include "mapping/report_range.hpp"

namespace blink_sync {
namespace {

void read_timezone(ConfigReader& reader, const YAML::Node& node, ReportsConfig& reports) {
  const auto timezone = reader.optional_text(node, "timezone");
  if (!timezone) {
    if (reports.enabled) {
      reader.problem("reports.timezone", "missing; set the time zone the reports are read in, such as "
                                         "America/Denver (required when reports.enabled is true)");
    }
    return;
  }
  if (!is_known_timezone(*timezone)) {
    reader.problem("reports.timezone", "\"" + *timezone + "\" is not a time zone name the tz database knows "
                                       "(such as America/Denver)");
    return;
  }
  reports.timezone = *timezone;
}

void read_start_date(ConfigReader& reader, const YAML::Node& node, ReportsConfig& reports) {
  const auto text = reader.optional_text(node, "start_date");
  if (!text) {
    if (reports.enabled) {
      reader.problem("reports.start_date", "missing; set the first day to import as YYYY-MM-DD (required when "
                                           "reports.enabled is true)");
    }
    return;
  }
  const auto day = parse_day(*text);
  if (!day) {
    reader.problem("reports.start_date", "expected a date as YYYY-MM-DD, got \"" + *text + "\"");
    return;
  }
  reports.start_date = *day;
}

void read_report_names(ConfigReader& reader, const YAML::Node& node, ReportsConfig& reports) {
  if (!node["import"]) {
    return;
  }
  reports.reports.clear();
  for (const auto& name : reader.text_list(node, "import")) {
    const auto kind = report_from_name(name);
    if (!kind) {
      reader.problem("reports.import", "unknown report \"" + name + "\"; expected events or sessions");
      continue;
    }
    reports.reports.push_back(*kind);
  }
}

}  // namespace

void read_reports_config(ConfigReader& reader, const YAML::Node& root, ReportsConfig& reports) {
  const auto node = reader.section(root, "reports",
                                   {"enabled", "timezone", "interval_hours", "start_date", "overlap_days",
                                    "max_days_per_range", "import"});
  reports.enabled = reader.boolean(node, "enabled", reports.enabled);
  read_timezone(reader, node, reports);
  reports.interval = std::chrono::hours(reader.integer(node, "interval_hours", 24, 1, 24 * 31));
  read_start_date(reader, node, reports);
  reports.overlap_days = reader.integer(node, "overlap_days", reports.overlap_days, 0, 365);
  reports.max_days_per_range = reader.integer(node, "max_days_per_range", reports.max_days_per_range, 1, 366);
  read_report_names(reader, node, reports);
}

}  // namespace blink_sync
