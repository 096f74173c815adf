#pragma once

#include <pqxx/connection>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "daemon/journal.hpp"
#include "mapping/event_planner.hpp"
#include "mapping/write_back_statement.hpp"

namespace blink_sync {

// An event write whose outcome was never recorded.
struct OpenEventIntent {
  std::int64_t id = 0;
  std::string local_id;
  IntentOperation operation = IntentOperation::create;
  std::string natural_key;
  bool settled = false;  // a response arrived, or it was sent long enough ago
};

// One run of a write-back statement: its values by parameter name, and
// what an error names when it fails.
struct WriteBack {
  const PositionalStatement* statement = nullptr;
  std::map<std::string, std::optional<std::string>> values;
  std::string config_key;  // events.write_back_status or events.write_back_created
  std::string local_id;    // the roster appointment, empty for an event created in Blink
  std::int64_t blink_event_id = 0;
};

// The write-back statement that failed in EventStore::save_read.
struct FailedWriteBack {
  const WriteBack* write_back = nullptr;  // points into save_read's `write_backs`
  std::string database_message;           // masked by describe_database_error
};

// The mapping change committed together with an event intent's outcome.
struct EventMappingChange {
  std::optional<SyncedEvent> save;          // insert or replace this mapping
  std::optional<std::string> erase;         // delete the mapping and the read copies of this local id
  std::optional<RemoteEvent> remote;        // the event Blink returned, stored as read
};

// The blink_sync tables of appointments (event_mapping, remote_events) and
// their rows in intents and record_errors. Each call is its own committed
// transaction; every value goes through parameters.
class EventStore {
 public:
  explicit EventStore(pqxx::connection& connection) : connection_(connection) {}

  std::vector<SyncedEvent> load_mapping();

  // Returns Blink's status of every event as last read, and the roster
  // appointment of those that had one.
  void load_read(std::map<std::int64_t, std::string>& statuses, std::map<std::int64_t, std::string>& owners);

  // Stores the events read from Blink and deletes the stored ones, in the
  // window and of the staff read, that the read no longer found. Runs the
  // write-back statements in the same transaction, so a status or a new
  // event is marked as seen only once the roster has it. When a write-back
  // statement fails, returns it without running the ones after it, and the
  // whole transaction rolls back, so nothing is stored. Throws
  // pqxx::failure when anything else fails.
  std::optional<FailedWriteBack> save_read(const std::vector<RemoteEvent>& events,
                                           const std::map<std::int64_t, std::string>& owners,
                                           const EventWindow& window, const std::vector<std::int64_t>& staff_read,
                                           const std::vector<WriteBack>& write_backs);

  // Saves a mapping that no request changed (an adopted event, a status
  // read from Blink).
  void save_mapping(const SyncedEvent& synced);

  std::int64_t open_intent(std::optional<std::int64_t> run_id, const EventOperation& operation);
  void close_intent(std::int64_t intent_id, const IntentEnd& end, const EventMappingChange& change);
  std::vector<OpenEventIntent> open_intents(std::chrono::seconds settle_after);

  void record_error(std::optional<std::int64_t> run_id, const EventError& error);

  // Returns true when the last read of Blink's events was planned from
  // `digest` less than `fresh_for` ago (see migrations/010_event_read_mark.sql).
  bool read_mark_matches(const std::string& digest, std::chrono::seconds fresh_for);
  // Records that a read planned from `digest` found nothing to do.
  void save_read_mark(const std::string& digest);
  // Deletes the mark, so the next cycle reads Blink's events.
  void clear_read_mark();

 private:
  pqxx::connection& connection_;
};

// Converts a synced copy to and from the JSON of event_mapping.synced.
std::string encode_synced_event(const SyncedEvent& synced);
SyncedEvent decode_synced_event(const std::string& local_id, std::int64_t blink_event_id, const std::string& json);

}  // namespace blink_sync
