#include "daemon/write_back.hpp"

#include <pqxx/except>
#include <pqxx/prepared_statement>
#include <pqxx/result>
#include <pqxx/transaction>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <spdlog/spdlog.h>

#include "daemon/database_error.hpp"

namespace blink_sync {
namespace {

std::string named_values_json(const WriteBackValues& values) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [name, value] : values.named) {
    object[name] = value ? nlohmann::json(*value) : nlohmann::json();
  }
  return object.dump();
}

void read_named_values(const std::string& json, WriteBackValues& values) {
  const auto parsed = nlohmann::json::parse(json, nullptr, false);
  if (!parsed.is_object()) {
    return;
  }
  for (const auto& [name, value] : parsed.items()) {
    values.named[name] = value.is_string() ? std::optional<std::string>(value.get<std::string>()) : std::nullopt;
  }
}

std::string failure_message(const WriteBackStatement& statement, const std::string& database_message) {
  return "write-back statement " + statement.key + " failed: " + database_message +
         ". The mapping is saved and the statement runs again next cycle; correct the statement or the roster row";
}

// Stores a failed write-back for the next cycle, replacing an older failure
// of the same record and event.
void store_pending(pqxx::dbtransaction& transaction, WriteBackEvent event, const WriteBackValues& values,
                   const std::string& message) {
  transaction.exec_params(
      "INSERT INTO blink_sync.pending_write_backs (entity, local_id, event, blink_id, parameters, last_error) "
      "VALUES ($1, $2, $3, $4, $5::jsonb, $6) "
      "ON CONFLICT (entity, local_id, event) DO UPDATE SET blink_id = EXCLUDED.blink_id, "
      "parameters = EXCLUDED.parameters, last_error = EXCLUDED.last_error, last_failed_at = now(), "
      "attempts = blink_sync.pending_write_backs.attempts + 1",
      std::string(entity_name(values.entity)), values.local_id, std::string(write_back_event_name(event)),
      values.blink_id, named_values_json(values), message);
}

void clear_pending(pqxx::dbtransaction& transaction, WriteBackEvent event, const WriteBackValues& values) {
  transaction.exec_params(
      "DELETE FROM blink_sync.pending_write_backs WHERE entity = $1 AND local_id = $2 AND event = $3",
      std::string(entity_name(values.entity)), values.local_id, std::string(write_back_event_name(event)));
}

}  // namespace

bool WriteBackRunner::uses(Entity entity, WriteBackEvent event, std::string_view name) const {
  const auto* statement = config_.find(entity, event);
  if (statement == nullptr) {
    return false;
  }
  const auto& names = statement->statement.parameters;
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::vector<bool> WriteBackRunner::fields_taken(Entity entity) const {
  std::vector<bool> taken(fields_of(entity).size(), false);
  for (std::size_t i = 0; i < taken.size(); ++i) {
    taken[i] = uses(entity, WriteBackEvent::changed_in_blink, field_parameter_name(entity, i));
  }
  return taken;
}

std::optional<std::string> WriteBackRunner::execute(pqxx::dbtransaction& transaction,
                                                    const WriteBackStatement& statement,
                                                    const WriteBackValues& values) const {
  std::vector<std::optional<std::string>> bound;
  bound.reserve(statement.statement.parameters.size());
  for (const auto& name : statement.statement.parameters) {
    bound.push_back(values.value_of(name));
  }

  // The savepoint is set by hand: libpqxx 6.4's subtransaction opens its
  // SAVEPOINT lazily on exec() but not on exec_params(), so a failing
  // statement would abort the whole transaction.
  // blink_sync.write_back stops the roster change triggers that
  // install-triggers creates from waking the daemon for its own write.
  pqxx::result result;
  transaction.exec("SET LOCAL blink_sync.write_back = 'on'; SAVEPOINT blink_sync_write_back");
  try {
    result = transaction.exec_params(statement.statement.sql, pqxx::prepare::make_dynamic_params(bound));
  } catch (const pqxx::broken_connection&) {
    throw;
  } catch (const pqxx::sql_error& error) {
    transaction.exec("ROLLBACK TO SAVEPOINT blink_sync_write_back");
    return describe_database_error(error);
  }
  transaction.exec("RELEASE SAVEPOINT blink_sync_write_back");

  // A removal usually follows the roster row's deletion, so no row is
  // expected then.
  if (result.affected_rows() == 0 && result.empty()) {
    const auto level = statement.key.ends_with(".removed") ? spdlog::level::debug : spdlog::level::warn;
    spdlog::log(level, "write-back: {} changed no row entity={} local_id={} blink_id={}; the roster row may be gone",
                statement.key, entity_name(values.entity), values.local_id, values.blink_id);
  }
  return std::nullopt;
}

std::optional<RecordError> WriteBackRunner::run(pqxx::dbtransaction& transaction, WriteBackEvent event,
                                                const WriteBackValues& values) const {
  const auto* statement = config_.find(values.entity, event);
  if (statement == nullptr) {
    return std::nullopt;
  }

  const auto failure = execute(transaction, *statement, values);
  if (!failure) {
    if (pending_may_exist_) {
      clear_pending(transaction, event, values);
    }
    return std::nullopt;
  }
  const auto message = failure_message(*statement, *failure);
  store_pending(transaction, event, values, message);
  pending_may_exist_ = true;
  return RecordError{values.entity, values.local_id, values.blink_id, 0, message};
}

std::vector<RecordError> WriteBackRunner::retry_pending(pqxx::connection& connection) const {
  pqxx::result rows;
  {
    pqxx::read_transaction transaction(connection);
    rows = transaction.exec(
        "SELECT entity, local_id, event, blink_id, parameters::text FROM blink_sync.pending_write_backs "
        "ORDER BY first_failed_at, entity, local_id, event");
  }

  std::vector<RecordError> errors;
  for (const auto& row : rows) {
    const auto entity = entity_from_name(row[0].c_str());
    const auto event = write_back_event_from_name(row[2].c_str());
    if (!entity || !event) {
      continue;  // the CHECK constraints make this unreachable
    }
    WriteBackValues values{*entity, row[1].c_str(), row[3].as<std::int64_t>(), {}};
    read_named_values(row[4].c_str(), values);

    pqxx::work transaction(connection);
    const auto* statement = config_.find(*entity, *event);
    if (statement == nullptr) {
      clear_pending(transaction, *event, values);
      transaction.commit();
      spdlog::info("write-back: dropped the pending {} of entity={} local_id={}, because write_back.{}.{} is no "
                   "longer configured",
                   write_back_event_name(*event), entity_name(*entity), values.local_id,
                   write_back_entity_key(*entity), write_back_event_name(*event));
      continue;
    }
    if (auto error = run(transaction, *event, values)) {
      errors.push_back(std::move(*error));
    } else {
      spdlog::info("write-back: {} succeeded on retry entity={} local_id={} blink_id={}", statement->key,
                   entity_name(*entity), values.local_id, values.blink_id);
    }
    transaction.commit();
  }
  pending_may_exist_ = !errors.empty();
  return errors;
}

}  // namespace blink_sync
