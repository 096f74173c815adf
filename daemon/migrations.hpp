#pragma once

#include <pqxx/connection>

#include <string>
#include <vector>

namespace blink_sync {

// One numbered SQL file of migrations/, built into the executable.
struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// Returns the migrations in version order.
const std::vector<Migration>& embedded_migrations();

// Returns the highest applied version, or 0 when the blink_sync schema has
// never been set up. Reads only.
int applied_schema_version(pqxx::connection& connection);

// Applies each migration not yet recorded once, in order, each in its own transaction
// together with its row in blink_sync.schema_migrations, under an advisory
// lock so two daemons starting together do not race. Returns how many were
// applied. Throws std::runtime_error when the database has a newer schema
// than this executable knows.
int apply_migrations(pqxx::connection& connection);

}  // namespace blink_sync
