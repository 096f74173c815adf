#include "daemon/events_config.hpp"

#include <variant>

#include "daemon/config_reader.hpp"
#include "mapping/write_back_statement.hpp"

namespace blink_sync {

const std::vector<std::string>& status_write_back_parameters() {
  static const std::vector<std::string> names = {"local_id", "blink_event_id", "status"};
  return names;
}

const std::vector<std::string>& created_write_back_parameters() {
  static const std::vector<std::string> names = {"blink_event_id", "staff_local_ids", "student_local_ids",
                                                 "title",          "start_utc",       "minutes",
                                                 "all_day",        "details",         "status"};
  return names;
}

void read_events_config(ConfigReader& reader, const YAML::Node& root, EventsConfig& events) {
  const auto node = reader.section(
      root, "events",
      {"enabled", "query", "window_days_past", "window_days_future", "write_back_status", "write_back_created",
       "skip_unchanged_reads"});
  events.enabled = reader.boolean(node, "enabled", events.enabled);
  events.skip_unchanged_reads = reader.boolean(node, "skip_unchanged_reads", events.skip_unchanged_reads);
  events.window_days_past = reader.integer(node, "window_days_past", events.window_days_past, 0, 3660);
  events.window_days_future = reader.integer(node, "window_days_future", events.window_days_future, 1, 3660);
  events.write_back_status = reader.optional_text(node, "write_back_status");
  events.write_back_created = reader.optional_text(node, "write_back_created");

  if (events.enabled) {
    events.query = reader.required_text(node, "query");
  } else {
    events.query = reader.optional_text(node, "query").value_or("");
  }

  if (events.write_back_status) {
    const auto converted = to_positional(*events.write_back_status, status_write_back_parameters());
    if (const auto* problem = std::get_if<std::string>(&converted)) {
      reader.problem("events.write_back_status", *problem);
    }
  }
  if (events.write_back_created) {
    const auto converted = to_positional(*events.write_back_created, created_write_back_parameters());
    if (const auto* problem = std::get_if<std::string>(&converted)) {
      reader.problem("events.write_back_created", *problem);
    }
  }
}

}  // namespace blink_sync
