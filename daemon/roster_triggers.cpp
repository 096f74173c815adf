#include "daemon/roster_triggers.hpp"

#include <pqxx/transaction>

namespace blink_sync {
namespace {

constexpr const char* kTriggerName = "blink_sync_notify_roster_change";

// Quotes "schema.table" as an identifier, part by part. Table names cannot
// be query parameters; the configuration already accepts only plain
// identifiers, and quoting keeps any other text from reaching the SQL.
std::string quoted_table(pqxx::transaction_base& transaction, const std::string& table) {
  const auto dot = table.find('.');
  if (dot == std::string::npos) {
    return transaction.quote_name(table);
  }
  return transaction.quote_name(table.substr(0, dot)) + "." + transaction.quote_name(table.substr(dot + 1));
}

}  // namespace

void install_roster_triggers(pqxx::connection& connection, const std::vector<std::string>& tables, std::ostream& out) {
  pqxx::work transaction(connection);
  transaction.exec("CREATE SCHEMA IF NOT EXISTS blink_sync");
  transaction.exec(
      "CREATE OR REPLACE FUNCTION blink_sync.notify_roster_change() RETURNS trigger LANGUAGE plpgsql AS $fn$ "
      "BEGIN "
      // The daemon's own write-back statements set blink_sync.write_back, so
      // they do not wake it for another cycle.
      "IF current_setting('blink_sync.write_back', true) IS DISTINCT FROM 'on' THEN "
      "PERFORM pg_notify('" + std::string(kRosterChannel) + "', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME); "
      "END IF; RETURN NULL; END $fn$");
  for (const auto& table : tables) {
    const auto target = quoted_table(transaction, table);
    transaction.exec("DROP TRIGGER IF EXISTS " + std::string(kTriggerName) + " ON " + target);
    transaction.exec("CREATE TRIGGER " + std::string(kTriggerName) +
                     " AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON " + target +
                     " FOR EACH STATEMENT EXECUTE FUNCTION blink_sync.notify_roster_change()");
    out << "installed the change trigger on " << table << "\n";
  }
  transaction.commit();
}

void remove_roster_triggers(pqxx::connection& connection, const std::vector<std::string>& tables, std::ostream& out) {
  pqxx::work transaction(connection);
  for (const auto& table : tables) {
    transaction.exec("DROP TRIGGER IF EXISTS " + std::string(kTriggerName) + " ON " + quoted_table(transaction, table));
    out << "removed the change trigger from " << table << "\n";
  }
  transaction.exec("DROP FUNCTION IF EXISTS blink_sync.notify_roster_change() CASCADE");
  transaction.commit();
}

}  // namespace blink_sync
