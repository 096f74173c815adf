#include "daemon/store.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace blink_sync {
namespace {

std::optional<std::string> encode_links(const std::optional<std::vector<std::int64_t>>& links) {
  if (!links) {
    return std::nullopt;
  }
  return nlohmann::json(*links).dump();
}

std::optional<std::vector<std::int64_t>> decode_links(const pqxx::field& field) {
  if (field.is_null()) {
    return std::nullopt;
  }
  const auto parsed = nlohmann::json::parse(field.c_str(), nullptr, false);
  if (!parsed.is_array()) {
    return std::nullopt;
  }
  std::vector<std::int64_t> links;
  for (const auto& id : parsed) {
    if (id.is_number_integer()) {
      links.push_back(id.get<std::int64_t>());
    }
  }
  return links;
}

}  // namespace

std::string_view outcome_name(RunOutcome outcome) {
  switch (outcome) {
    case RunOutcome::succeeded:
      return "succeeded";
    case RunOutcome::succeeded_with_errors:
      return "succeeded_with_errors";
    case RunOutcome::failed:
      return "failed";
    case RunOutcome::interrupted:
      return "interrupted";
  }
  return "failed";
}

std::string encode_synced_fields(Entity entity, const FieldValues& fields) {
  nlohmann::json object = nlohmann::json::object();
  const auto specs = fields_of(entity);
  for (std::size_t i = 0; i < specs.size() && i < fields.size(); ++i) {
    const auto value = fields.get(i);
    if (value) {
      object[std::string(specs[i].blink_key)] = std::string(*value);
    }
  }
  return object.dump();
}

FieldValues decode_synced_fields(Entity entity, const std::string& json) {
  FieldValues fields(entity);
  const auto parsed = nlohmann::json::parse(json, nullptr, false);
  if (!parsed.is_object()) {
    return fields;
  }
  for (const auto& [key, value] : parsed.items()) {
    const auto index = field_index(entity, key);
    if (index && value.is_string()) {
      fields.set(*index, value.get<std::string>());
    }
  }
  return fields;
}

IdentityMap Store::load_mapping() {
  pqxx::read_transaction transaction(connection_);
  const auto rows = transaction.exec(
      "SELECT entity, local_id, blink_id, synced_fields::text, synced_links::text FROM blink_sync.mapping");
  IdentityMap mapping;
  for (const auto& row : rows) {
    const auto entity = entity_from_name(row[0].c_str());
    if (!entity) {
      continue;  // the CHECK constraint makes this unreachable
    }
    MappedRecord record;
    record.entity = *entity;
    record.local_id = row[1].c_str();
    record.blink_id = row[2].as<std::int64_t>();
    record.synced = decode_synced_fields(*entity, row[3].c_str());
    record.synced_links = decode_links(row[4]);
    mapping.upsert(std::move(record));
  }
  return mapping;
}

void write_mapping(pqxx::transaction_base& transaction, const MappedRecord& record) {
  const auto entity = std::string(entity_name(record.entity));
  // Rows that claim this Blink id for another record are stale: Blink has
  // just given the id to this one. Staff and student-logins share one id
  // sequence, so a row of the other user entity is stale too.
  transaction.exec_params(
      "DELETE FROM blink_sync.mapping WHERE blink_id = $2 AND NOT (entity = $1 AND local_id = $3) "
      "AND (entity = $1 OR (entity IN ('staff', 'student_login') AND $1 IN ('staff', 'student_login')))",
      entity, record.blink_id, record.local_id);
  transaction.exec_params(
      "INSERT INTO blink_sync.mapping (entity, local_id, blink_id, synced_fields, synced_links) "
      "VALUES ($1, $2, $3, $4::jsonb, $5::jsonb) "
      "ON CONFLICT (entity, local_id) DO UPDATE SET blink_id = EXCLUDED.blink_id, "
      "synced_fields = EXCLUDED.synced_fields, synced_links = EXCLUDED.synced_links, synced_at = now()",
      entity, record.local_id, record.blink_id, encode_synced_fields(record.entity, record.synced),
      encode_links(record.synced_links));
}

void erase_mapping(pqxx::transaction_base& transaction, Entity entity, const std::string& local_id) {
  transaction.exec_params("DELETE FROM blink_sync.mapping WHERE entity = $1 AND local_id = $2",
                          std::string(entity_name(entity)), local_id);
}

std::optional<RecordError> Store::save_mapping(const MappedRecord& record,
                                               const std::optional<RecordFollowUp>& follow_up) {
  pqxx::work transaction(connection_);
  write_mapping(transaction, record);
  auto write_back_error = apply_follow_up(transaction, write_back_, follow_up);
  transaction.commit();
  return write_back_error;
}

std::optional<RecordError> Store::delete_mapping(Entity entity, const std::string& local_id,
                                                 const std::optional<RecordFollowUp>& follow_up) {
  pqxx::work transaction(connection_);
  erase_mapping(transaction, entity, local_id);
  auto write_back_error = apply_follow_up(transaction, write_back_, follow_up);
  transaction.commit();
  return write_back_error;
}

std::int64_t Store::begin_run(std::string_view mode) {
  pqxx::work transaction(connection_);
  const auto row = transaction.exec_params1("INSERT INTO blink_sync.runs (mode) VALUES ($1) RETURNING id",
                                            std::string(mode));
  transaction.commit();
  return row[0].as<std::int64_t>();
}

bool Store::blink_read_due(std::chrono::seconds interval) {
  pqxx::read_transaction transaction(connection_);
  const auto row = transaction.exec_params1(
      "SELECT COALESCE(max(started_at) <= now() - make_interval(secs => $1), true) FROM blink_sync.runs "
      "WHERE api_calls > 0 AND outcome IN ('succeeded', 'succeeded_with_errors')",
      static_cast<double>(interval.count()));
  return row[0].as<bool>();
}

// The counts of a killed cycle come from its intents whose outcome was
// recorded as applied. An update may have been a discharge or a change of
// links only, so those are counted as updates.
std::size_t Store::close_abandoned_runs() {
  pqxx::work transaction(connection_);
  const auto rows = transaction.exec(
      "UPDATE blink_sync.runs AS r SET outcome = 'interrupted', finished_at = now(), "
      "created = c.created, updated = c.updated, deleted = c.deleted, "
      "events_created = c.events_created, events_updated = c.events_updated, events_deleted = c.events_deleted, "
      "message = 'the process stopped before it recorded the end of this cycle; the counts are the requests "
      "whose outcome it recorded, and updated includes discharges and link changes' "
      "FROM (SELECT runs.id, "
      "  count(i.id) FILTER (WHERE i.entity <> 'event' AND i.operation = 'create') AS created, "
      "  count(i.id) FILTER (WHERE i.entity <> 'event' AND i.operation = 'update') AS updated, "
      "  count(i.id) FILTER (WHERE i.entity <> 'event' AND i.operation = 'delete') AS deleted, "
      "  count(i.id) FILTER (WHERE i.entity = 'event' AND i.operation = 'create') AS events_created, "
      "  count(i.id) FILTER (WHERE i.entity = 'event' AND i.operation = 'update') AS events_updated, "
      "  count(i.id) FILTER (WHERE i.entity = 'event' AND i.operation = 'delete') AS events_deleted "
      "  FROM blink_sync.runs LEFT JOIN blink_sync.intents AS i ON i.run_id = runs.id AND i.outcome = 'applied' "
      "  WHERE runs.outcome = 'running' GROUP BY runs.id) AS c "
      "WHERE r.id = c.id");
  transaction.commit();
  return rows.affected_rows();
}

void Store::finish_run(std::int64_t run_id, RunOutcome outcome, const RunTotals& totals, const std::string& message) {
  pqxx::work transaction(connection_);
  const auto& done = totals.done;
  const auto& events = totals.events;
  transaction.exec_params(
      "UPDATE blink_sync.runs SET finished_at = now(), outcome = $2, created = $3, adopted = $4, updated = $5, "
      "linked = $6, discharged = $7, deleted = $8, errors = $9, api_calls = $10, denied = $11, message = $12, "
      "events_created = $13, events_updated = $14, events_deleted = $15 "
      "WHERE id = $1",
      run_id, std::string(outcome_name(outcome)), done.created, done.adopted, done.updated, done.linked,
      done.discharged, done.deleted, totals.errors, totals.api_calls, totals.denied,
      message.empty() ? std::optional<std::string>() : std::optional<std::string>(message), events.created,
      events.updated, events.deleted);
  transaction.commit();
}

void Store::record_error(std::optional<std::int64_t> run_id, const RecordError& error) {
  pqxx::work transaction(connection_);
  transaction.exec_params(
      "INSERT INTO blink_sync.record_errors (run_id, entity, local_id, blink_id, http_status, message) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      run_id, std::string(entity_name(error.entity)), error.local_id, error.blink_id,
      error.http_status == 0 ? std::optional<int>() : std::optional<int>(error.http_status), error.message);
  transaction.commit();
}

}  // namespace blink_sync
