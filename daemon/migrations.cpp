#include "daemon/migrations.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include <spdlog/spdlog.h>

namespace blink_sync {
namespace {

// Advisory lock key for migrations: the bytes of "blinkmig" read as a number.
constexpr long long kMigrationLock = 0x626c696e6b6d6967LL;

const char* const kVersionTable = R"sql(
CREATE SCHEMA IF NOT EXISTS blink_sync;
CREATE TABLE IF NOT EXISTS blink_sync.schema_migrations (
    version    integer     PRIMARY KEY,
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
)sql";

int latest_known_version() {
  const auto& migrations = embedded_migrations();
  return migrations.empty() ? 0 : migrations.back().version;
}

int current_version(pqxx::transaction_base& transaction) {
  return transaction.exec1("SELECT COALESCE(max(version), 0) FROM blink_sync.schema_migrations")[0].as<int>();
}

// Checks each version on its own rather than against the highest applied
// one, so a migration numbered below one applied earlier (two branches
// that each added one) is still applied.
bool is_applied(pqxx::transaction_base& transaction, int version) {
  return !transaction.exec_params("SELECT 1 FROM blink_sync.schema_migrations WHERE version = $1", version).empty();
}

}  // namespace

int applied_schema_version(pqxx::connection& connection) {
  pqxx::read_transaction transaction(connection);
  const auto exists = transaction.exec1("SELECT to_regclass('blink_sync.schema_migrations') IS NOT NULL")[0].as<bool>();
  return exists ? current_version(transaction) : 0;
}

int apply_migrations(pqxx::connection& connection) {
  {
    pqxx::work setup(connection);
    setup.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLock);
    setup.exec(kVersionTable);
    setup.commit();
  }

  int applied = 0;
  for (const auto& migration : embedded_migrations()) {
    pqxx::work transaction(connection);
    transaction.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLock);
    const int version = current_version(transaction);
    if (version > latest_known_version()) {
      throw std::runtime_error("the database's blink_sync schema is at version " + std::to_string(version) +
                               ", newer than this blink-sync knows (" + std::to_string(latest_known_version()) +
                               "); install the newer blink-sync");
    }
    if (is_applied(transaction, migration.version)) {
      continue;
    }
    transaction.exec(migration.sql);
    transaction.exec_params("INSERT INTO blink_sync.schema_migrations (version, name) VALUES ($1, $2)",
                            migration.version, migration.name);
    transaction.commit();
    spdlog::info("database: applied migration version={} name={}", migration.version, migration.name);
    ++applied;
  }
  return applied;
}

}  // namespace blink_sync
