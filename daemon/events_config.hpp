#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

namespace blink_sync {

class ConfigReader;

// The events: section. Appointments are synced only when `enabled`.
struct EventsConfig {
  bool enabled = false;
  // The roster's appointments, one row each, with the columns of
  // docs/roster-queries.md.
  std::string query;
  // Blink is read per mapped staff member for events starting from this
  // many days before today (UTC) to this many days after.
  int window_days_past = 7;
  int window_days_future = 90;
  // When true, a cycle whose appointments, window and mappings are what the
  // last read was planned from, and that read found nothing to do, reads
  // no events until sync.reconcile_interval_seconds have passed. A status
  // set in Blink then reaches the roster at the next reconcile. Off by
  // default, so statuses arrive every cycle.
  bool skip_unchanged_reads = false;
  // Optional statement run in the roster, in the transaction that stores a
  // status someone set in Blink, with :local_id, :blink_event_id and
  // :status.
  std::optional<std::string> write_back_status;
  // Optional statement run in the roster, in the same transaction, for each
  // event created in Blink that a read finds for the first time, with the
  // parameters of created_write_back_parameters().
  std::optional<std::string> write_back_created;
};

// The parameters write_back_status and write_back_created may use.
const std::vector<std::string>& status_write_back_parameters();
const std::vector<std::string>& created_write_back_parameters();

// Reads the events: section into `events`; problems go to `reader`.
void read_events_config(ConfigReader& reader, const YAML::Node& root, EventsConfig& events);

}  // namespace blink_sync
