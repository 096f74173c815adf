#pragma once

#include <pqxx/connection>

#include <ostream>
#include <string>
#include <vector>

namespace blink_sync {

// The channel the roster triggers notify.
constexpr const char* kRosterChannel = "blink_sync_roster_changed";

// Puts a statement-level trigger on each table that sends a NOTIFY on
// kRosterChannel after every INSERT, UPDATE, DELETE or TRUNCATE. The daemon
// then starts a cycle within a second of a committed change instead of
// waiting for the poll interval. Replaces triggers installed
// before. Writes one line per table to `out`; throws pqxx::sql_error when
// a table does not exist or the user may not create triggers on it.
void install_roster_triggers(pqxx::connection& connection, const std::vector<std::string>& tables, std::ostream& out);

// Removes the triggers from the tables, and the trigger function.
void remove_roster_triggers(pqxx::connection& connection, const std::vector<std::string>& tables, std::ostream& out);

}  // namespace blink_sync
