#include "daemon/blink_edits.hpp"

#include <pqxx/except>
#include <pqxx/prepared_statement>
#include <pqxx/result>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>

#include "daemon/database_error.hpp"
#include "daemon/store.hpp"
#include "mapping/field_access.hpp"

namespace blink_sync {
namespace {

std::optional<std::string> base_value_text(const FieldConflict& conflict) { return conflict.base_value; }

bool schema_has_conflicts(pqxx::connection& connection) {
  pqxx::read_transaction transaction(connection);
  return transaction.exec1("SELECT to_regclass('blink_sync.conflicts') IS NOT NULL")[0].as<bool>();
}

// Returns the value of one named parameter of an import statement.
std::optional<std::string> parameter_value(const BlinkOnlyRecord& record, const std::string& name,
                                           const std::string& fields_json) {
  if (name == "blink_id") {
    return std::to_string(record.blink_id);
  }
  if (name == "entity") {
    return std::string(entity_name(record.entity));
  }
  if (name == "fields") {
    return fields_json;
  }
  const auto specs = fields_of(record.entity);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].roster_column == name) {
      return value_at(record.fields, i);
    }
  }
  return std::nullopt;
}

void run_import_statement(pqxx::work& transaction, const BlinkOnlyRecord& record, const PositionalStatement& statement,
                          const std::string& fields_json) {
  std::vector<std::optional<std::string>> values;
  for (const auto& name : statement.parameters) {
    values.push_back(parameter_value(record, name, fields_json));
  }
  transaction.exec_params(statement.sql, pqxx::prepare::make_dynamic_params(values));
}

// Returns true when the staging row is new or its values changed.
bool stage(pqxx::work& transaction, const BlinkOnlyRecord& record, const std::string& fields_json) {
  const auto rows = transaction.exec_params(
      "INSERT INTO blink_sync.blink_only_records AS staged (entity, blink_id, fields) VALUES ($1, $2, $3::jsonb) "
      "ON CONFLICT (entity, blink_id) DO UPDATE SET last_seen = now(), fields = EXCLUDED.fields "
      "RETURNING (xmax = 0) AS inserted, "
      "(SELECT fields FROM blink_sync.blink_only_records WHERE entity = $1 AND blink_id = $2) IS DISTINCT FROM "
      "$3::jsonb AS changed",
      std::string(entity_name(record.entity)), record.blink_id, fields_json);
  return rows[0][0].as<bool>() || rows[0][1].as<bool>();
}

}  // namespace

WriteBackHook log_only_write_back() {
  return [](pqxx::work&, Entity entity, const std::string& local_id, std::int64_t blink_id,
            const FieldValues& pulled) -> std::optional<RecordError> {
    spdlog::debug("write-back: no statement is configured, so the roster keeps its values entity={} local_id={} "
                  "blink_id={} fields={}",
                  entity_name(entity), local_id, blink_id, known_field_names(entity, pulled));
    return std::nullopt;
  };
}

void set_blink_edit_options(const BlinkEditsConfig& config, const OpenConflicts& open_conflicts,
                            PlanOptions& options) {
  options.field_owners = config.field_owners;
  options.conflict_policy = config.conflict_policy;
  for (std::size_t index = 0; index < options.blink_only.size(); ++index) {
    options.blink_only[index] = config.blink_only[index].policy;
  }
  // Only a reported conflict keeps its field unchanged; ConflictStore loads
  // no other. One left open under another policy (because its call failed)
  // is found again and retried. A conflict is reported under every policy
  // when Blink would win it on a field the roster cannot take.
  options.open_conflicts = &open_conflicts;
}

std::string known_field_names(Entity entity, const FieldValues& fields) {
  std::string names;
  const auto specs = fields_of(entity);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (value_at(fields, i)) {
      names += (names.empty() ? "" : ",") + std::string(specs[i].blink_key);
    }
  }
  return names;
}

OpenConflicts ConflictStore::load_open() {
  OpenConflicts open;
  if (!schema_has_conflicts(connection_)) {
    return open;
  }
  pqxx::read_transaction transaction(connection_);
  const auto rows = transaction.exec(
      "SELECT entity, local_id, field, roster_value, blink_value FROM blink_sync.conflicts "
      "WHERE resolved_at IS NULL AND policy = 'report'");
  for (const auto& row : rows) {
    const auto entity = entity_from_name(row[0].c_str());
    if (entity) {
      open.add(*entity, row[1].c_str(), row[2].c_str(), OpenConflict{row[3].c_str(), row[4].c_str()});
    }
  }
  return open;
}

std::size_t ConflictStore::record(const std::vector<FieldConflict>& conflicts, std::optional<std::int64_t> run_id) {
  std::size_t added = 0;
  for (const auto& conflict : conflicts) {
    pqxx::work transaction(connection_);
    const auto rows = transaction.exec_params(
        "INSERT INTO blink_sync.conflicts (entity, local_id, blink_id, field, roster_value, blink_value, base_value, "
        "policy, outcome, run_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
        "ON CONFLICT (entity, local_id, field, roster_value, blink_value) WHERE resolved_at IS NULL DO NOTHING "
        "RETURNING id",
        std::string(entity_name(conflict.entity)), conflict.local_id, conflict.blink_id, conflict.field,
        conflict.roster_value, conflict.blink_value, base_value_text(conflict),
        std::string(conflict_policy_name(conflict.policy)), std::string(conflict_outcome_name(conflict.policy)),
        run_id);
    transaction.commit();
    if (rows.empty()) {
      continue;  // recorded by an earlier cycle and still open
    }
    ++added;
    spdlog::info("conflict: both sides changed a field since the last sync entity={} local_id={} blink_id={} "
                 "field={} policy={}",
                 entity_name(conflict.entity), conflict.local_id, conflict.blink_id, conflict.field,
                 conflict_policy_name(conflict.policy));
    spdlog::debug("conflict: values entity={} local_id={} field={} roster=\"{}\" blink=\"{}\"",
                  entity_name(conflict.entity), conflict.local_id, conflict.field, conflict.roster_value,
                  conflict.blink_value);
  }
  return added;
}

void ConflictStore::close(const std::vector<ConflictKey>& keys) {
  if (keys.empty()) {
    return;
  }
  pqxx::work transaction(connection_);
  for (const auto& key : keys) {
    transaction.exec_params(
        "UPDATE blink_sync.conflicts SET resolved_at = now() "
        "WHERE entity = $1 AND local_id = $2 AND field = $3 AND resolved_at IS NULL",
        std::string(entity_name(key.entity)), key.local_id, key.field);
  }
  transaction.commit();
}

void ConflictStore::close_applied(const std::vector<FieldConflict>& conflicts, const IdentityMap& mapping) {
  std::vector<ConflictKey> applied;
  for (const auto& conflict : conflicts) {
    if (conflict.policy == ConflictPolicy::report) {
      continue;
    }
    const auto* mapped = mapping.find_local(conflict.entity, conflict.local_id);
    const auto slot = field_index(conflict.entity, conflict.field);
    if (mapped == nullptr || !slot) {
      continue;
    }
    const auto& winner = conflict.policy == ConflictPolicy::roster_wins ? conflict.roster_value : conflict.blink_value;
    if (value_at(mapped->synced, *slot) == winner) {
      applied.push_back(ConflictKey{conflict.entity, conflict.local_id, conflict.field});
    }
  }
  close(applied);
}

void ConflictStore::close_applied_earlier(const IdentityMap& mapping) {
  std::vector<FieldConflict> open;
  {
    pqxx::read_transaction transaction(connection_);
    const auto rows = transaction.exec(
        "SELECT entity, local_id, field, roster_value, blink_value, policy FROM blink_sync.conflicts "
        "WHERE resolved_at IS NULL AND policy <> 'report'");
    for (const auto& row : rows) {
      const auto entity = entity_from_name(row[0].c_str());
      if (!entity) {
        continue;
      }
      FieldConflict conflict;
      conflict.entity = *entity;
      conflict.local_id = row[1].c_str();
      conflict.field = row[2].c_str();
      conflict.roster_value = row[3].c_str();
      conflict.blink_value = row[4].c_str();
      conflict.policy = std::string_view(row[5].c_str()) == "blink_wins" ? ConflictPolicy::blink_wins
                                                                          : ConflictPolicy::roster_wins;
      open.push_back(std::move(conflict));
    }
  }
  close_applied(open, mapping);
}

void print_open_conflicts(pqxx::transaction_base& transaction, std::ostream& out) {
  const auto rows = transaction.exec(
      "SELECT entity, local_id, blink_id, field, policy, "
      "to_char(detected_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), count(*) OVER () "
      "FROM blink_sync.conflicts WHERE resolved_at IS NULL ORDER BY detected_at DESC, id DESC LIMIT 10");
  out << "\nopen conflicts (values in blink_sync.conflicts):\n";
  if (rows.empty()) {
    out << "  none\n";
    return;
  }
  for (const auto& row : rows) {
    out << "  entity=" << row[0].c_str() << " local_id=" << row[1].c_str() << " blink_id=" << row[2].c_str()
        << " field=" << row[3].c_str() << " policy=" << row[4].c_str() << " since=" << row[5].c_str() << "\n";
  }
  const auto total = rows[0][6].as<std::size_t>();
  if (total > rows.size()) {
    out << "  ... and " << (total - rows.size()) << " more\n";
  }
}

std::size_t import_blink_only_records(pqxx::connection& connection, const std::vector<BlinkOnlyRecord>& records,
                                      const BlinkEditsConfig& config,
                                      const std::function<void(const RecordError&)>& report) {
  std::array<std::optional<PositionalStatement>, 3> statements;
  for (std::size_t index = 0; index < statements.size(); ++index) {
    if (const auto& sql = config.blink_only[index].import_statement) {
      // The configuration check has already refused a statement that does
      // not translate, so an error here leaves the entity without one.
      auto translated = to_positional(*sql, import_parameter_names(static_cast<Entity>(index)));
      if (auto* statement = std::get_if<PositionalStatement>(&translated)) {
        statements[index] = std::move(*statement);
      }
    }
  }

  std::size_t imported = 0;
  for (const auto& record : records) {
    const auto fields_json = encode_synced_fields(record.entity, record.fields);
    try {
      pqxx::work transaction(connection);
      const bool changed = stage(transaction, record, fields_json);
      const auto& statement = statements[static_cast<std::size_t>(record.entity)];
      if (changed && statement) {
        run_import_statement(transaction, record, *statement, fields_json);
      }
      transaction.commit();
      imported += changed ? 1 : 0;
      if (changed) {
        spdlog::info("import: Blink-only record staged entity={} blink_id={}", entity_name(record.entity),
                     record.blink_id);
      }
    } catch (const pqxx::sql_error& error) {
      report(RecordError{record.entity, "", record.blink_id, 0,
                         "the Blink-only record could not be imported: " + describe_database_error(error) +
                             "; check the import_statement of the " + std::string(entity_name(record.entity)) +
                             " entity in sync.blink_only"});
    }
  }
  return imported;
}


}  // namespace blink_sync
