#include "daemon/event_store.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/except>
#include <pqxx/prepared_statement>
#include <pqxx/result>
#include <pqxx/transaction>

#include "daemon/database_error.hpp"
#include "mapping/text.hpp"

namespace blink_sync {
namespace {

using nlohmann::json;

std::string array_text(const std::vector<std::int64_t>& ids) { return "{" + join_ids_text(ids) + "}"; }

std::optional<std::string> optional_text(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

std::vector<std::int64_t> ids_of(const json& value) {
  std::vector<std::int64_t> ids;
  if (value.is_array()) {
    for (const auto& id : value) {
      if (id.is_number_integer()) {
        ids.push_back(id.get<std::int64_t>());
      }
    }
  }
  return ids;
}

const char* const kUpsertRemote =
    "INSERT INTO blink_sync.remote_events (blink_event_id, local_id, series_id, status, starts_at, ends_at, all_day, "
    "staff_ids, student_ids, title, details, type_id, blink_updated_at, read_at, status_changed_at) "
    "VALUES ($1, $2, $3, $4, $5::timestamp AT TIME ZONE 'UTC', $6::timestamp AT TIME ZONE 'UTC', $7, $8::bigint[], "
    "$9::bigint[], $10, $11, $12, $13, now(), NULL) "
    "ON CONFLICT (blink_event_id) DO UPDATE SET local_id = COALESCE(EXCLUDED.local_id, remote_events.local_id), "
    "series_id = EXCLUDED.series_id, status = EXCLUDED.status, starts_at = EXCLUDED.starts_at, "
    "ends_at = EXCLUDED.ends_at, all_day = EXCLUDED.all_day, staff_ids = EXCLUDED.staff_ids, "
    "student_ids = EXCLUDED.student_ids, title = EXCLUDED.title, details = EXCLUDED.details, "
    "type_id = EXCLUDED.type_id, blink_updated_at = EXCLUDED.blink_updated_at, read_at = now(), "
    "status_changed_at = CASE WHEN remote_events.status IS DISTINCT FROM EXCLUDED.status THEN now() "
    "ELSE remote_events.status_changed_at END";

void upsert_remote(pqxx::transaction_base& transaction, const RemoteEvent& event,
                   const std::optional<std::string>& local_id) {
  transaction.exec_params(kUpsertRemote, event.id, local_id, event.series_id, event.status, format_utc(event.start),
                          format_utc(event.end), event.all_day, array_text(event.staff_ids),
                          array_text(event.student_ids), event.title, event.details, event.type_id,
                          optional_text(event.updated_at));
}

void write_mapping(pqxx::transaction_base& transaction, const SyncedEvent& synced) {
  // A row that held the same Blink id under another local id loses it: the
  // roster changed the appointment's id.
  transaction.exec_params("DELETE FROM blink_sync.event_mapping WHERE blink_event_id = $1 AND local_id <> $2",
                          synced.blink_event_id, synced.local_id);
  transaction.exec_params(
      "INSERT INTO blink_sync.event_mapping (local_id, blink_event_id, is_series, synced) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (local_id) DO UPDATE SET blink_event_id = EXCLUDED.blink_event_id, "
      "is_series = EXCLUDED.is_series, synced = EXCLUDED.synced, synced_at = now()",
      synced.local_id, synced.blink_event_id, synced.is_series(), encode_synced_event(synced));
}

// Runs one write-back statement. Returns PostgreSQL's message, masked,
// when the statement failed, which leaves the transaction aborted.
std::optional<std::string> run_write_back(pqxx::transaction_base& transaction, const WriteBack& write_back) {
  std::vector<std::optional<std::string>> values;
  for (const auto& name : write_back.statement->parameters) {
    const auto value = write_back.values.find(name);
    values.push_back(value == write_back.values.end() ? std::nullopt : value->second);
  }
  try {
    transaction.exec_params(write_back.statement->sql, pqxx::prepare::make_dynamic_params(values));
  } catch (const pqxx::sql_error& error) {
    return describe_database_error(error);
  }
  return std::nullopt;
}

std::optional<IntentOperation> operation_named(std::string_view name) {
  for (const auto operation : {IntentOperation::create, IntentOperation::update, IntentOperation::remove}) {
    if (intent_operation_name(operation) == name) {
      return operation;
    }
  }
  return std::nullopt;
}

IntentOperation intent_kind(EventAction action) {
  switch (action) {
    case EventAction::create:
      return IntentOperation::create;
    case EventAction::remove:
      return IntentOperation::remove;
    case EventAction::update:
    case EventAction::record:
      break;
  }
  return IntentOperation::update;
}

}  // namespace

std::string encode_synced_event(const SyncedEvent& synced) {
  json object = {
      {"staff_ids", synced.staff_ids},
      {"student_ids", synced.student_ids},
      {"title", synced.title},
      {"details", synced.details},
      {"type_id", synced.type_id ? json(*synced.type_id) : json()},
      {"minutes", synced.minutes ? json(*synced.minutes) : json()},
      {"start", format_wall_minutes(synced.start)},
      {"timezone", synced.timezone},
      {"roster_status", synced.roster_status},
      {"blink_status", synced.blink_status},
  };
  if (synced.recurrence) {
    object["frequency"] = synced.recurrence->frequency_weeks;
    object["occurrences"] = synced.recurrence->occurrences;
  }
  return object.dump();
}

SyncedEvent decode_synced_event(const std::string& local_id, std::int64_t blink_event_id, const std::string& text) {
  SyncedEvent synced;
  synced.local_id = local_id;
  synced.blink_event_id = blink_event_id;
  const auto object = json::parse(text, nullptr, false);
  if (!object.is_object()) {
    return synced;
  }
  synced.staff_ids = ids_of(object.value("staff_ids", json()));
  synced.student_ids = ids_of(object.value("student_ids", json()));
  synced.title = object.value("title", "");
  synced.details = object.value("details", "");
  if (object.contains("type_id") && object["type_id"].is_number_integer()) {
    synced.type_id = object["type_id"].get<std::int64_t>();
  }
  if (object.contains("minutes") && object["minutes"].is_number_integer()) {
    synced.minutes = object["minutes"].get<int>();
  }
  synced.start = parse_wall_time(object.value("start", "")).value_or(LocalTime{});
  synced.timezone = object.value("timezone", "");
  synced.roster_status = object.value("roster_status", "");
  synced.blink_status = object.value("blink_status", std::string(kScheduled));
  if (object.contains("frequency") && object.contains("occurrences")) {
    synced.recurrence = Recurrence{object.value("frequency", 1), object.value("occurrences", 2)};
  }
  return synced;
}

std::vector<SyncedEvent> EventStore::load_mapping() {
  pqxx::read_transaction transaction(connection_);
  const auto rows = transaction.exec(
      "SELECT local_id, blink_event_id, synced::text FROM blink_sync.event_mapping ORDER BY local_id");
  std::vector<SyncedEvent> mapping;
  for (const auto& row : rows) {
    mapping.push_back(decode_synced_event(row[0].c_str(), row[1].as<std::int64_t>(), row[2].c_str()));
  }
  return mapping;
}

void EventStore::load_read(std::map<std::int64_t, std::string>& statuses,
                           std::map<std::int64_t, std::string>& owners) {
  pqxx::read_transaction transaction(connection_);
  const auto rows = transaction.exec("SELECT blink_event_id, status, local_id FROM blink_sync.remote_events");
  for (const auto& row : rows) {
    const auto id = row[0].as<std::int64_t>();
    statuses.emplace(id, row[1].c_str());
    if (!row[2].is_null()) {
      owners.emplace(id, row[2].c_str());
    }
  }
}

std::optional<FailedWriteBack> EventStore::save_read(const std::vector<RemoteEvent>& events,
                                                    const std::map<std::int64_t, std::string>& owners,
                                                    const EventWindow& window,
                                                    const std::vector<std::int64_t>& staff_read,
                                                    const std::vector<WriteBack>& write_backs) {
  pqxx::work transaction(connection_, "events read");

  std::vector<std::int64_t> read_ids;
  for (const auto& event : events) {
    const auto owner = owners.find(event.id);
    upsert_remote(transaction, event,
                  owner == owners.end() ? std::nullopt : std::optional<std::string>(owner->second));
    read_ids.push_back(event.id);
  }
  transaction.exec_params(
      "DELETE FROM blink_sync.remote_events WHERE starts_at >= $1::timestamp AT TIME ZONE 'UTC' "
      "AND starts_at < $2::timestamp AT TIME ZONE 'UTC' AND staff_ids && $3::bigint[] "
      "AND NOT (blink_event_id = ANY ($4::bigint[]))",
      format_utc(window.from), format_utc(window.to), array_text(staff_read), array_text(read_ids));

  // As for records, blink_sync.write_back stops the roster change triggers
  // from waking the daemon for its own write.
  if (!write_backs.empty()) {
    transaction.exec("SET LOCAL blink_sync.write_back = 'on'");
  }
  for (const auto& write_back : write_backs) {
    if (auto failure = run_write_back(transaction, write_back)) {
      return FailedWriteBack{&write_back, std::move(*failure)};  // the transaction rolls back
    }
  }
  transaction.commit();
  return std::nullopt;
}

bool EventStore::read_mark_matches(const std::string& digest, std::chrono::seconds fresh_for) {
  pqxx::read_transaction transaction(connection_);
  const auto rows = transaction.exec_params(
      "SELECT 1 FROM blink_sync.event_read_mark WHERE digest = $1 AND read_at > now() - make_interval(secs => $2)",
      digest, static_cast<double>(fresh_for.count()));
  return !rows.empty();
}

void EventStore::save_read_mark(const std::string& digest) {
  pqxx::work transaction(connection_);
  transaction.exec_params(
      "INSERT INTO blink_sync.event_read_mark (digest, read_at) VALUES ($1, now()) "
      "ON CONFLICT (singleton) DO UPDATE SET digest = EXCLUDED.digest, read_at = EXCLUDED.read_at",
      digest);
  transaction.commit();
}

void EventStore::clear_read_mark() {
  pqxx::work transaction(connection_);
  transaction.exec("DELETE FROM blink_sync.event_read_mark");
  transaction.commit();
}

void EventStore::save_mapping(const SyncedEvent& synced) {
  pqxx::work transaction(connection_);
  write_mapping(transaction, synced);
  transaction.commit();
}

std::int64_t EventStore::open_intent(std::optional<std::int64_t> run_id, const EventOperation& operation) {
  pqxx::work transaction(connection_);
  const auto row = transaction.exec_params1(
      "INSERT INTO blink_sync.intents (run_id, entity, local_id, operation, blink_id, natural_key, payload_digest) "
      "VALUES ($1, 'event', $2, $3, $4, $5, $6) RETURNING id",
      run_id, operation.local_id, std::string(intent_operation_name(intent_kind(operation.action))),
      operation.target_id, operation.natural_key, sha256_hex(operation.payload.dump()));
  transaction.commit();
  return row[0].as<std::int64_t>();
}

void EventStore::close_intent(std::int64_t intent_id, const IntentEnd& end, const EventMappingChange& change) {
  pqxx::work transaction(connection_);
  transaction.exec_params(
      "UPDATE blink_sync.intents SET outcome = $2, response_arrived = response_arrived OR $3, "
      "http_status = COALESCE($4, http_status), blink_id = COALESCE($5, blink_id), note = $6, resolved_at = now() "
      "WHERE id = $1",
      intent_id, std::string(intent_outcome_name(end.outcome)), end.response_arrived, end.http_status, end.blink_id,
      optional_text(end.note));
  if (change.erase) {
    transaction.exec_params("DELETE FROM blink_sync.event_mapping WHERE local_id = $1", *change.erase);
    transaction.exec_params("DELETE FROM blink_sync.remote_events WHERE local_id = $1", *change.erase);
  }
  if (change.save) {
    write_mapping(transaction, *change.save);
  }
  if (change.remote) {
    const auto owner = change.save ? std::optional<std::string>(change.save->local_id) : std::nullopt;
    upsert_remote(transaction, *change.remote, owner);
  }
  transaction.commit();
}

std::vector<OpenEventIntent> EventStore::open_intents(std::chrono::seconds settle_after) {
  pqxx::read_transaction transaction(connection_);
  const auto rows = transaction.exec_params(
      "SELECT id, local_id, operation, natural_key, "
      "response_arrived OR intended_at <= now() - make_interval(secs => $1) "
      "FROM blink_sync.intents WHERE outcome IS NULL AND entity = 'event' ORDER BY id",
      static_cast<double>(settle_after.count()));

  std::vector<OpenEventIntent> intents;
  for (const auto& row : rows) {
    const auto operation = operation_named(row[2].c_str());
    if (!operation) {
      continue;
    }
    intents.push_back(
        OpenEventIntent{row[0].as<std::int64_t>(), row[1].c_str(), *operation, row[3].c_str(), row[4].as<bool>()});
  }
  return intents;
}

void EventStore::record_error(std::optional<std::int64_t> run_id, const EventError& error) {
  pqxx::work transaction(connection_);
  transaction.exec_params(
      "INSERT INTO blink_sync.record_errors (run_id, entity, local_id, blink_id, http_status, message) "
      "VALUES ($1, 'event', $2, $3, $4, $5)",
      run_id, error.local_id, error.blink_event_id,
      error.http_status == 0 ? std::optional<int>() : std::optional<int>(error.http_status), error.message);
  transaction.commit();
}

}  // namespace blink_sync
