#include "daemon/remote_copy.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>

#include "mapping/blink_timestamp.hpp"

namespace blink_sync {
namespace {

// Records per statement. One statement per batch keeps a roster of 100,000
// students to a few dozen round trips, and a batch's JSON to a few
// megabytes.
constexpr std::size_t kBatchSize = 5000;

nlohmann::json optional_json(const std::optional<std::string>& text) {
  return text ? nlohmann::json(*text) : nlohmann::json();
}

// The fields keyed by Blink's field names, as encode_synced_fields writes
// them for blink_sync.mapping.synced_fields.
nlohmann::json fields_json(Entity entity, const FieldValues& fields) {
  nlohmann::json object = nlohmann::json::object();
  const auto specs = fields_of(entity);
  for (std::size_t i = 0; i < specs.size() && i < fields.size(); ++i) {
    if (const auto value = fields.get(i)) {
      object[std::string(specs[i].blink_key)] = std::string(*value);
    }
  }
  return object;
}

nlohmann::json record_json(Entity entity, const ReadRecord& read) {
  const auto& record = *read.record;
  nlohmann::json item = {
      {"blink_id", record.id},
      {"local_id", read.local_id ? nlohmann::json(*read.local_id) : nlohmann::json()},
      {"fields", fields_json(entity, record.fields)},
      {"linked_students", record.linked_students ? nlohmann::json(*record.linked_students) : nlohmann::json()},
      {"join_by_link", optional_json(record.join_by_link)},
      {"activated", record.activated ? nlohmann::json(*record.activated) : nlohmann::json()},
      {"created_at", optional_json(sortable_timestamp(record.created_at))},
      {"created_at_text", record.created_at.empty() ? nlohmann::json() : nlohmann::json(record.created_at)},
      {"updated_at", optional_json(sortable_timestamp(record.updated_at))},
      {"updated_at_text", record.updated_at.empty() ? nlohmann::json() : nlohmann::json(record.updated_at)},
  };
  return item;
}

// The data-modifying CTE runs in the same snapshot as `changed`, so
// `changed` compares the incoming values with the copy stored before. It
// joins each incoming record to its copy by primary key, because a join of
// two CTEs is planned as a nested loop over every pair.
constexpr const char* kUpsert = R"(
WITH incoming AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS r(
      blink_id bigint, local_id text, fields jsonb, linked_students jsonb, join_by_link text, activated boolean,
      created_at timestamp, created_at_text text, updated_at timestamp, updated_at_text text)
), changed AS (
  SELECT i.blink_id
    FROM incoming AS i LEFT JOIN blink_sync.remote_records AS p ON p.entity = $1 AND p.blink_id = i.blink_id
   WHERE i.local_id IS NOT NULL
     AND (p.blink_id IS NULL OR p.join_by_link IS DISTINCT FROM i.join_by_link
          OR p.activated IS DISTINCT FROM i.activated)
), written AS (
  INSERT INTO blink_sync.remote_records AS r (entity, blink_id, local_id, fields, linked_students, join_by_link,
                                              activated, created_at, created_at_text, updated_at, updated_at_text)
  SELECT $1, blink_id, local_id, fields, linked_students, join_by_link, activated, created_at, created_at_text,
         updated_at, updated_at_text
    FROM incoming
  ON CONFLICT (entity, blink_id) DO UPDATE SET
      local_id = EXCLUDED.local_id, fields = EXCLUDED.fields,
      linked_students = COALESCE(EXCLUDED.linked_students, r.linked_students),
      join_by_link = EXCLUDED.join_by_link, activated = EXCLUDED.activated,
      created_at = EXCLUDED.created_at, created_at_text = EXCLUDED.created_at_text,
      updated_at = EXCLUDED.updated_at, updated_at_text = EXCLUDED.updated_at_text, read_at = now()
)
SELECT blink_id FROM changed
)";

std::string ids_json(const std::vector<std::int64_t>& ids) { return nlohmann::json(ids).dump(); }

}  // namespace

// The statement's field parameters hold the roster's values: a field edited
// in Blink reaches the roster only as a pull (see SyncCycle::pull_hook).
// A record the roster no longer lists is left alone, because NULL field
// parameters could clear the columns of a row the query filters out.
void RemoteCopy::run_changed_in_blink(pqxx::dbtransaction& transaction, Entity entity, const RemoteEntity& list,
                                      const IdentityMap& mapping, const EntityRoster& roster, std::int64_t blink_id,
                                      std::vector<RecordError>& errors) {
  const auto* mapped = mapping.find_blink(entity, blink_id);
  const auto* desired = mapped != nullptr ? roster.find(mapped->local_id) : nullptr;
  if (desired == nullptr) {
    return;
  }

  const auto values =
      changed_in_blink_values(entity, mapped->local_id, blink_id, list.find(blink_id), &desired->fields, FieldValues());
  if (auto error = write_back_.run(transaction, WriteBackEvent::changed_in_blink, values)) {
    errors.push_back(std::move(*error));
  }
}

std::vector<std::int64_t> write_remote_records(pqxx::dbtransaction& transaction, Entity entity,
                                               const std::vector<ReadRecord>& records) {
  if (records.empty()) {
    return {};
  }
  nlohmann::json batch = nlohmann::json::array();
  for (const auto& read : records) {
    batch.push_back(record_json(entity, read));
  }
  const auto rows = transaction.exec_params(kUpsert, std::string(entity_name(entity)), batch.dump());

  std::vector<std::int64_t> changed;
  changed.reserve(rows.size());
  for (const auto& row : rows) {
    changed.push_back(row[0].as<std::int64_t>());
  }
  return changed;
}

void erase_remote_records(pqxx::dbtransaction& transaction, Entity entity, const std::vector<std::int64_t>& blink_ids) {
  if (blink_ids.empty()) {
    return;
  }
  transaction.exec_params(
      "DELETE FROM blink_sync.remote_records WHERE entity = $1 "
      "AND blink_id IN (SELECT jsonb_array_elements_text($2::jsonb)::bigint)",
      std::string(entity_name(entity)), ids_json(blink_ids));
}

std::vector<RecordError> RemoteCopy::store_read(const RemoteState& remote,
                                                const std::array<ListReadSummary, 3>& summaries,
                                                const IdentityMap& mapping, const DesiredState& desired) {
  std::vector<RecordError> errors;
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    const auto& summary = summaries[static_cast<std::size_t>(entity)];
    store_entity(entity, remote.of(entity), summary.read && summary.full, mapping, desired.of(entity), errors);
  }
  return errors;
}

void RemoteCopy::store_entity(Entity entity, const RemoteEntity& list, bool full_read, const IdentityMap& mapping,
                              const EntityRoster& roster, std::vector<RecordError>& errors) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<ReadRecord> read;
  read.reserve(list.records.size());
  for (const auto& record : list.records) {
    if (!record.assumed) {
      const auto* mapped = mapping.find_blink(entity, record.id);
      read.push_back(ReadRecord{&record, mapped ? &mapped->local_id : nullptr});
    }
  }

  const bool write_back = write_back_.configured(entity, WriteBackEvent::changed_in_blink);
  std::size_t changed_count = 0;
  for (std::size_t start = 0; start < read.size(); start += kBatchSize) {
    const auto end = std::min(read.size(), start + kBatchSize);
    const std::vector<ReadRecord> batch(read.begin() + static_cast<std::ptrdiff_t>(start),
                                        read.begin() + static_cast<std::ptrdiff_t>(end));
    pqxx::work transaction(connection_);
    const auto changed = write_remote_records(transaction, entity, batch);
    changed_count += changed.size();
    // NOTE: each changed record runs its statement separately, in a
    // savepoint. The first full read after an upgrade finds no stored copy, so
    // changed_in_blink runs once for every mapped record. That cost is not
    // measured at 100,000 records.
    for (const auto blink_id : write_back ? changed : std::vector<std::int64_t>{}) {
      run_changed_in_blink(transaction, entity, list, mapping, roster, blink_id, errors);
    }
    transaction.commit();
  }

  pqxx::work transaction(connection_);
  erase_remote_records(transaction, entity, {list.confirmed_missing.begin(), list.confirmed_missing.end()});
  if (full_read && list.complete) {
    // Copies of records no longer listed are of records deleted in Blink.
    std::vector<std::int64_t> listed;
    listed.reserve(list.records.size() + list.unreadable_ids.size());
    for (const auto& record : list.records) {
      listed.push_back(record.id);
    }
    listed.insert(listed.end(), list.unreadable_ids.begin(), list.unreadable_ids.end());
    transaction.exec_params(
        "DELETE FROM blink_sync.remote_records WHERE entity = $1 "
        "AND blink_id NOT IN (SELECT jsonb_array_elements_text($2::jsonb)::bigint)",
        std::string(entity_name(entity)), ids_json(listed));
  }
  transaction.commit();

  spdlog::debug("remote copy: stored entity={} records={} changed={} duration_ms={}", entity_name(entity),
                read.size(), changed_count,
                std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                    .count());
}

}  // namespace blink_sync
